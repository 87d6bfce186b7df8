"""Catalogue loading, accounts and profiles."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from registry.core.errors import FieldErrors
from registry.core.events import TOPICS_CHANGED, publish
from registry.core.limits import max_length
from registry.models import Cluster, Profile, Topic
from registry.services.endorsements import recognition_for_recorded_expert
from registry.services.site_version import site_version_bump

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue.json"


@dataclass
class CatalogueLoadResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_PATH) -> CatalogueLoadResult:
    """Create the clusters and topics of the catalogue that do not exist yet.

    Matching is by slug. An existing cluster or topic is never changed, so edits made on the
    site or in the admin survive every later load. Side effects: new topics'
    stats rows and search entries; for a new topic with a recorded expert, its Recognition
    and `recognised` event (see recognition_for_recorded_expert).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    result = CatalogueLoadResult()
    clusters = {}
    for row in data["clusters"]:
        cluster, created = Cluster.objects.get_or_create(
            slug=row["slug"],
            defaults={k: row[k] for k in ("name", "description", "position")},
        )
        clusters[cluster.slug] = cluster
        (result.created if created else result.skipped).append(f"cluster {cluster.slug}")
    topic_fields = ("title", "description", "source", "expert_name", "expert_work_title",
                    "expert_work_url")
    existing = set(Topic.objects.filter(slug__in=[row["slug"] for row in data["topics"]])
                   .values_list("slug", flat=True))
    new_topics = [
        Topic(slug=row["slug"], cluster=clusters[row["cluster"]], state=Topic.State.LISTED,
              **{k: row[k] for k in topic_fields if k in row})
        for row in data["topics"] if row["slug"] not in existing
    ]
    # One insert, then one stats refresh and search update for all of them (the subscribers
    # of TOPICS_CHANGED).
    Topic.objects.bulk_create(new_topics)
    publish(TOPICS_CHANGED, topics=new_topics)
    for topic in new_topics:  # a catalogue expert (Baker) covers the topic by a recognition
        recognition_for_recorded_expert(topic=topic)
    result.created += [f"topic {topic.slug}" for topic in new_topics]
    result.skipped += [f"topic {row['slug']}" for row in data["topics"] if row["slug"] in existing]
    return result


@transaction.atomic
def account_create(*, username: str, email: str, password: str):
    """Create a user (password already validated by the caller's form) and an empty profile.

    Raises ValidationFailed for a username or address over its registry.core.limits maximum.
    """
    errors = FieldErrors()
    errors.text("username", username, max_length=max_length("account", "username"))
    errors.text("email", email, max_length=max_length("account", "email"), required=False)
    errors.raise_if_any()
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user)
    return user


PROFILE_FIELDS = ("display_name", "affiliation", "bio", "links", "conflict_of_interest")


@transaction.atomic
def profile_update(*, profile: Profile, **changes) -> Profile:
    """Change some of a person's profile fields (PROFILE_FIELDS), each stripped.

    Raises ValidationFailed naming each field over its registry.core.limits maximum; nothing is
    written then. Side effects: the profile saved; the site version moved (the name shows on
    cached public pages).
    """
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {', '.join(sorted(unknown))}")
    errors = FieldErrors()
    for name, value in changes.items():
        errors.text(name, value, max_length=max_length("profile", name), required=False)
    errors.raise_if_any()
    for name, value in changes.items():
        setattr(profile, name, (value or "").strip())
    profile.save(update_fields=list(changes))
    site_version_bump()
    return profile


def profile_for(user) -> Profile:
    """The user's profile, created on first use for accounts made outside sign-up (admin)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
