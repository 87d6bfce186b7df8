"""Catalogue loading and its translations, accounts and profiles."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from registry import permissions
from registry.core.errors import FieldErrors, NotAllowed
from registry.core.events import TOPICS_CHANGED, publish
from registry.core.limits import max_length
from registry.models import Cluster, Profile, Topic, TopicEvent
from registry.services.endorsements import recognition_for_recorded_expert
from registry.services.history import record_event
from registry.services.site_version import site_version_bump

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue.json"
ENGLISH = "en"
# A translated topic's title takes what the English one does (Topic.title); its description,
# unbounded in English (a moderator's admin text), is bounded here: several times the
# catalogue's longest (about 500 characters).
TRANSLATION_MAX_LENGTH = {"title": max_length("topic_suggestion", "title"),
                          "description": 4_000}


@dataclass
class CatalogueLoadResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Translations, named like "es topic proof-of-learning".
    translations_added: list[str] = field(default_factory=list)
    translations_updated: list[str] = field(default_factory=list)
    # Already loaded with the same text, or edited on the site (also in translations_edited).
    translations_kept: list[str] = field(default_factory=list)
    translations_edited: list[str] = field(default_factory=list)


def translation_languages() -> list[str]:
    """The codes of settings.LANGUAGES other than English: the catalogue's translations."""
    return [code for code, _name in settings.LANGUAGES if code != ENGLISH]


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_PATH) -> CatalogueLoadResult:
    """Create the clusters and topics of the catalogue that do not exist yet.

    Matching is by slug. An existing cluster or topic is never changed, so edits made on the
    site or in the admin survive every later load. Then, for each language of
    translation_languages() whose file sits beside `path` (catalogue.es.json beside
    catalogue.json), its translations (catalogue_translations_load). Side effects: new topics'
    stats rows and search entries; for a new topic with a recorded expert, its Recognition
    and `recognised` event (see recognition_for_recorded_expert); the translations' writes.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
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
    for language in translation_languages():
        translated = path.with_name(f"{path.stem}.{language}{path.suffix}")
        if translated.exists():
            catalogue_translations_load(
                language=language, data=json.loads(translated.read_text(encoding="utf-8")),
                result=result)
    return result


@transaction.atomic
def catalogue_translations_load(*, language: str, data: dict,
                                result: CatalogueLoadResult | None = None) -> CatalogueLoadResult:
    """Put one language's catalogue translations on the clusters and topics that exist.

    `data` is a catalogue.<language>.json: {"clusters": {slug: {"name", "description"}},
    "topics": {slug: {"title", "description", "source"}}}; slugs not in the database are
    ignored.
    A row without a translation in `language` gets it; one loaded earlier (edited false)
    takes the file's text when it changed; one edited on the site (edited true,
    topic_translation_set) is kept whatever the file says. English fields are never touched.
    Side effects: each changed row saved (translations only); the site version moved once
    if any changed, so cached pages show the new text.
    """
    result = result if result is not None else CatalogueLoadResult()
    changed = False
    for model, kind, name_field in ((Cluster, "cluster", "name"), (Topic, "topic", "title")):
        rows = data.get(f"{kind}s", {})
        for row in model.objects.filter(slug__in=list(rows)).order_by("pk"):
            text = rows[row.slug]
            wanted = {name_field: text[name_field].strip(),
                      "description": text.get("description", "").strip(), "edited": False}
            if text.get("source"):  # a topic's citation of where it comes from
                wanted["source"] = text["source"].strip()
            current = (row.translations or {}).get(language)
            label = f"{language} {kind} {row.slug}"
            if current and current.get("edited"):
                result.translations_kept.append(label)
                result.translations_edited.append(label)
                continue
            if current == wanted:
                result.translations_kept.append(label)
                continue
            (result.translations_updated if current else result.translations_added).append(label)
            row.translations = {**(row.translations or {}), language: wanted}
            row.save(update_fields=["translations"])
            changed = True
    if changed:
        site_version_bump()
    return result


def translations_mark_edited(*, before: dict, after: dict) -> dict:
    """`after` (a Cluster's or Topic's translations as edited in the admin) with edited true
    on each language whose text differs from `before`, so a later catalogue load keeps it."""
    def text(entry):
        return {k: v for k, v in (entry or {}).items() if k != "edited"}

    return {language: ({**entry, "edited": True}
                       if isinstance(entry, dict) and text(entry) != text(before.get(language))
                       else entry)
            for language, entry in (after or {}).items()}


@transaction.atomic
def topic_translation_set(*, topic: Topic, language: str, title: str, description: str,
                          actor) -> Topic:
    """A moderator writes a topic's title and description in `language` (a listed topic or
    a suggestion alike).

    Raises NotAllowed unless `actor` is a moderator; ValidationFailed naming `language` (not
    one of translation_languages()), `title` (required) or `description` (over their
    TRANSLATION_MAX_LENGTH). Side effects: the translation stored with edited true, so no
    later catalogue load replaces it; a TopicEvent `edited` whose note names the language
    and the new title (its subscribers refresh the stats, which moves the site version).
    """
    if not permissions.is_moderator(actor):
        raise NotAllowed(_("Only moderators translate topics."))
    errors = FieldErrors()
    if language not in translation_languages():
        errors.add("language", _("Choose one of the site's languages other than English."))
    errors.text("title", title, max_length=TRANSLATION_MAX_LENGTH["title"])
    errors.text("description", description, required=False,
                max_length=TRANSLATION_MAX_LENGTH["description"])
    errors.raise_if_any()
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.translations = {**(topic.translations or {}), language: {
        "title": title.strip(), "description": (description or "").strip(), "edited": True}}
    topic.save(update_fields=["translations", "updated_at"])
    record_event(topic=topic, kind=TopicEvent.Kind.EDITED, actor=actor,
                 note=f"{language}: {topic.translations[language]['title']}")
    return topic


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
