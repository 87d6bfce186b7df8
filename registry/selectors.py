"""Reusable read queries for the registry."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Lower, NullIf, RowNumber
from django.utils import timezone, translation

from registry import permissions
from registry.core.caching import request_site_version, versioned_get_or_build
from registry.models import (
    SITE_VERSION_SEQUENCE,
    Claim,
    Cluster,
    Endorsement,
    Profile,
    Recognition,
    SiteVersion,
    Topic,
    TopicEvent,
    TopicStatus,
    Writeup,
    site_version_is_sequence,
)

T = TypeVar("T")
PUBLISHED = Q(published_at__isnull=False, deleted_at__isnull=True)


def local_text(field: str, *, path: str = "") -> Coalesce | F:
    """SQL for `field` ("title" or "name") in the active language: the translation's text,
    else the English column, as Topic.local_title reads it (a regional code such as es-ar
    falls back to es, an empty translation to the English). `path` reaches a related row
    ("topic__"). Lists order by it so that a reader's list is in the order of the titles they
    read; it works on SQLite and PostgreSQL and adds no query."""
    language = translation.get_language()
    codes = [language, language.split("-")[0]] if language else []
    texts = [NullIf(KeyTextTransform(field, KeyTransform(code, f"{path}translations")),
                    Value("")) for code in dict.fromkeys(codes)]
    if not texts:
        return F(f"{path}{field}")
    return Coalesce(*texts, F(f"{path}{field}"), output_field=CharField())


def _annotate_topics(topics: QuerySet) -> QuerySet:
    """Add status, active_claims, published_writeups and last_activity_at from the topic's
    stored TopicStats (kept by services.stats): one join, whatever the number of topics."""
    return topics.select_related("cluster").annotate(
        status=F("stats__status"),
        active_claims=F("stats__active_claims"),
        published_writeups=F("stats__published_writeups"),
        last_activity_at=F("stats__last_activity_at"),
    )


def topics_visible_to(user, *, with_hidden: bool = False) -> QuerySet:
    """Every topic `user` may open, annotated like topics_with_status (see can_see_topic).

    A hidden topic is left out for all but its suggester and moderators, unless
    `with_hidden` (its page, which shows others the moderation notice instead).
    """
    mine = Q(suggested_by=user) if user.is_authenticated else Q(pk__in=[])
    listed = Q(state=Topic.State.LISTED) if with_hidden else Q(state=Topic.State.LISTED,
                                                               hidden=False)
    topics = Topic.objects.filter(listed | mine | permissions.moderator_condition(user))
    return _annotate_topics(topics)


def topics_with_status(*, cluster: str | None = None, status: str | None = None) -> QuerySet:
    """Listed topics (hidden ones left out) annotated with `status`, `active_claims`,
    `published_writeups` and `last_activity_at`, optionally filtered by cluster slug and status."""
    topics = _annotate_topics(Topic.objects.filter(state=Topic.State.LISTED, hidden=False))
    if cluster:
        topics = topics.filter(cluster__slug=cluster)
    if status:
        topics = topics.filter(status=status)
    return topics


def clusters_with_topics() -> QuerySet:
    """Clusters, each with all its `listed_topics` (status-annotated) prefetched (the API's
    cluster detail)."""
    return Cluster.objects.annotate(
        topic_count=Count("topics", filter=Q(topics__state=Topic.State.LISTED))
    ).prefetch_related(
        Prefetch("topics", queryset=topics_with_status(), to_attr="listed_topics")
    ).order_by("position", "name")  # Meta.ordering is ignored on GROUP BY queries


# Pictures of every topic (the home page's lists, the map, the pipeline) are built once per
# site version; the timeout lets "days in stage" move on.
STATS_CACHE_SECONDS = 600


def site_version_sql() -> tuple[str, list]:
    """The site version as an SQL expression and its parameters, to read it as a column of
    another query (a signed-in person's, registry.moderation.context_processors): the
    sequence's last number on PostgreSQL, the SiteVersion row's elsewhere (NULL, meaning 0,
    until the first write)."""
    if site_version_is_sequence():
        return f"(SELECT last_value FROM {SITE_VERSION_SEQUENCE})", []
    return f"(SELECT n FROM {SiteVersion._meta.db_table} WHERE id = %s)", [1]


def site_version() -> str:
    """Changes with every commit that changes what visitors may see
    (services.site_version.site_version_bump). One query."""
    sql, params = site_version_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return str(cursor.fetchone()[0] or 0)


def per_stats_version(name: str, build: Callable[[], T], *, request) -> T:
    """build(), cached under `name` for the request's site version (read once for every part
    of the page, caching.request_site_version) and language (what is built may hold
    translated text: the map's labels)."""
    key = f"{name}:{request_site_version(request)}:{translation.get_language()}"
    return versioned_get_or_build(key, build, STATS_CACHE_SECONDS)


def clusters_in_order(*, request) -> list[Cluster]:
    """Every cluster, by position then name, as of the request's site version (which the
    admin's edits move): the experts directory's choices and the cluster pages' lookup ask no
    query of their own."""
    return per_stats_version(
        "clusters", lambda: list(Cluster.objects.order_by("position", "name")), request=request)


def cluster_by_slug(slug: str, *, request) -> Cluster | None:
    """The cluster `slug` from clusters_in_order; one made since (by something that moves no
    site version) is read from the database."""
    return next((cluster for cluster in clusters_in_order(request=request)
                 if cluster.slug == slug), None) or Cluster.objects.filter(slug=slug).first()


HOME_TOPICS_PER_CLUSTER = 12


@dataclass
class Overview:
    """The home page: clusters, each with its first topics, and the counts by status."""

    clusters: list[Cluster]
    counts: dict[str, int]


def overview(*, per_cluster: int = HOME_TOPICS_PER_CLUSTER) -> Overview:
    """Every cluster with `listed_topics` (its first `per_cluster` by title in the active
    language, local_text), `status_counts` and `topic_count`, and the totals by status. Three
    queries, and the page stays the same size however many topics a cluster holds."""
    clusters = list(Cluster.objects.order_by("position", "name"))
    by_cluster = {cluster.pk: cluster for cluster in clusters}
    for cluster in clusters:
        cluster.listed_topics, cluster.topic_count = [], 0
        cluster.status_counts = dict.fromkeys(TopicStatus.values, 0)
    totals = dict.fromkeys(TopicStatus.values, 0)
    rows = topics_with_status().order_by().values("cluster_id", "status").annotate(n=Count("pk"))
    for row in rows:
        cluster = by_cluster[row["cluster_id"]]
        cluster.status_counts[row["status"]] = row["n"]
        cluster.topic_count += row["n"]
        totals[row["status"]] += row["n"]
    first = topics_with_status().annotate(local_title_sort=local_text("title")).annotate(
        position=Window(RowNumber(), partition_by=F("cluster_id"),
                        order_by=[F("local_title_sort").asc(), F("pk").asc()]))
    for topic in first.filter(position__lte=per_cluster).order_by("cluster_id",
                                                                  "local_title_sort", "pk"):
        by_cluster[topic.cluster_id].listed_topics.append(topic)
    return Overview(clusters=clusters, counts=totals)


def cluster_topics(cluster: Cluster, *, status: str | None = None) -> QuerySet:
    """A cluster's listed topics by title in the active language (local_text), for its own
    page (paginated there)."""
    return (topics_with_status(status=status).filter(cluster=cluster)
            .order_by(local_text("title").asc(), "pk"))


def topics_titled(q: str) -> QuerySet:
    """Listed topics (hidden ones left out) whose English title or title in the active
    language contains `q`, case-blind, by the title in the active language, with their
    cluster: the topic picker's matches."""
    return (Topic.objects.filter(state=Topic.State.LISTED, hidden=False)
            .select_related("cluster").annotate(local_title_sort=local_text("title"))
            .filter(Q(title__icontains=q) | Q(local_title_sort__icontains=q))
            .order_by("local_title_sort", "pk"))


def published_writeup_visible_to(user, writeup) -> bool:
    """writeups_visible_to for one published writeup in hand, as proposals'
    proposal_visible_to: no query when it is public (published, not deleted, neither it nor
    its topic hidden), else one by primary key."""
    if (writeup.is_published and writeup.deleted_at is None and not writeup.hidden
            and not writeup.topic.hidden):
        return True
    return writeups_visible_to(user).filter(PUBLISHED, pk=writeup.pk).exists()


def writeups_visible_to(user, *, with_hidden: bool = False,
                        for_review: bool = False) -> QuerySet:
    """Published writeups, plus the user's own drafts (see permissions.can_see_writeup).

    Hidden ones, and those on a hidden topic, are left out for all but their author and the
    moderators (as proposals' shown_to). `with_hidden` keeps hidden ones (not those on a
    hidden topic, whose page would name it) for the writeup's page, which shows others the
    moderation notice instead.

    `for_review` adds the drafts shared with `user` for review (permissions.
    reviewing_condition). Only what shows one writeup passes it (its page, its versions, the
    API's single writeup): lists, searches, feeds, exports and counts never do, so a
    reviewer's access never puts a draft in any of them.
    """
    public = PUBLISHED & Q(topic__hidden=False)
    if not with_hidden:
        public &= Q(hidden=False)
    visible = public | (PUBLISHED & permissions.moderator_condition(user))
    if user.is_authenticated:
        visible |= Q(author=user, deleted_at__isnull=True)
    if for_review:
        visible |= (Q(published_at__isnull=True, deleted_at__isnull=True, hidden=False,
                      topic__hidden=False) & permissions.reviewing_condition(user))
    return Writeup.objects.filter(visible).select_related("topic", "author__profile")


def profiles_visible_to(user) -> QuerySet:
    """Profiles whose name, affiliation and disclosure `user` may see: all but hidden ones,
    which only their owner and moderators see (profile_visible_to says the same for one)."""
    mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    return Profile.objects.select_related("user").filter(
        Q(hidden=False) | mine | permissions.moderator_condition(user))


def profile_visible_to(user, profile) -> bool:
    """profiles_visible_to for one profile already in hand (no query unless it is hidden)."""
    if profile is None or not profile.hidden:
        return profile is not None
    return (user.is_authenticated and profile.user_id == user.pk) or permissions.is_moderator(
        user)


def person_name(person, user) -> str:
    """What `user` sees as `person`'s name: the display name, or only the username when the
    profile is hidden from them (then no affiliation or disclosure is shown either)."""
    profile = getattr(person, "profile", None)
    return profile.name if profile_visible_to(user, profile) else person.username


def public_name(person) -> str:
    """person_name as everyone may see it, for texts sent to others (notifications): a
    hidden profile's display name stays out."""
    return person_name(person, AnonymousUser())


def people_named(q: str, *, exact: bool = False) -> QuerySet:
    """Active people whose display name or username contains `q` (equals it, with `exact`),
    case-blind, by display name then username: for pickers and "invite by name" fields.
    People whose profile is hidden are left out: their display name is not public, and a
    name search must not reveal who is behind one. (They can still be named by username
    where a form accepts one.)"""
    lookup = "iexact" if exact else "icontains"
    named = Q(**{f"profile__display_name__{lookup}": q}) | Q(**{f"username__{lookup}": q})
    return (get_user_model().objects.filter(named, is_active=True)
            .exclude(profile__hidden=True).select_related("profile")
            .order_by(Lower("profile__display_name"), "username"))


KIND_ORDER = Case(*[When(kind=kind, then=Value(i)) for i, kind in enumerate(Writeup.Kind.values)],
                  output_field=IntegerField())


def topic_writeups(topic: Topic, user) -> QuerySet:
    """The writeups on a topic `user` may see, in the essay's order of priority (plan,
    insight, model, analysis), newest first within a kind: the topic page shows them a page
    at a time, grouped by kind."""
    # The page lists titles: the bodies (2 KB of Markdown and its HTML each) stay behind.
    return (writeups_visible_to(user).filter(topic=topic).defer("body", "body_html")
            .order_by(KIND_ORDER, "-published_at", "-created_at", "-pk"))


def has_writeups_only_they_see(topic: Topic, user) -> bool:
    """Whether the topic's list of writeups shows `user` some of their own that others of
    their viewer class do not see: their drafts, and their published ones that are hidden or
    on a hidden topic (writeups_visible_to's `author=user`). Then the topic page renders that
    list for them alone instead of sharing it (registry/topic_detail.html)."""
    if not user.is_authenticated:
        return False
    seen_by_others = PUBLISHED & Q(hidden=False, topic__hidden=False)
    return (Writeup.objects.filter(topic=topic, author=user, deleted_at__isnull=True)
            .exclude(seen_by_others).exists())


def active_claim_of(topic: Topic, user) -> Claim | None:
    """`user`'s active claim on `topic`, if any."""
    if not user.is_authenticated:
        return None
    return Claim.objects.filter(topic=topic, person=user, state=Claim.State.ACTIVE).first()


def claims_for_topic(topic: Topic) -> QuerySet:
    """Active and dormant claims on a topic with the claimant's profile, active ones first."""
    return (Claim.objects.filter(topic=topic, state__in=[Claim.State.ACTIVE, Claim.State.DORMANT])
            .select_related("person__profile").order_by("state", "created_at"))


def topic_timeline(topic: Topic, *, limit: int = 30) -> QuerySet:
    """The topic's public history, newest first (events about drafts and hidden writeups are
    left out)."""
    return (topic.events.filter(kind__in=TopicEvent.PUBLIC_KINDS).exclude(writeup__hidden=True)
            .select_related("actor__profile", "writeup")[:limit])


def claim_dormant_at(claim: Claim) -> datetime.datetime:
    return claim.last_activity_at + datetime.timedelta(days=settings.GAPMAP_CLAIM_DORMANT_DAYS)


def my_claims(user, *, now: datetime.datetime | None = None) -> list[Claim]:
    """The user's claims, newest first, each active one with `days_until_dormant`."""
    now = now or timezone.now()
    claims = list(Claim.objects.filter(person=user).select_related("topic"))
    for claim in claims:
        if claim.state == Claim.State.ACTIVE:
            claim.days_until_dormant = max(0, (claim_dormant_at(claim) - now).days)
    return claims


def my_writeups(user) -> QuerySet:
    return (Writeup.objects.filter(author=user, deleted_at__isnull=True)
            .select_related("topic").order_by("-updated_at"))


def topic_suggestions(*, state: str = Topic.State.SUGGESTED) -> QuerySet:
    """Suggestions for the moderators' queue, oldest first."""
    return (Topic.objects.filter(state=state).select_related("cluster", "suggested_by")
            .order_by("created_at"))


def my_suggestions(user) -> QuerySet:
    return (Topic.objects.filter(suggested_by=user).exclude(state=Topic.State.LISTED)
            .select_related("cluster").order_by("-created_at"))


# --- Endorsements and recognitions ----------------------------------------------------------
# What pages and the API show of them: only what stands on a public writeup of a listed topic
# that is not hidden. Names go through person_name (a hidden profile shows its username).

PUBLIC_ENDORSEMENT = Q(state=Endorsement.State.LIVE, writeup__published_at__isnull=False,
                       writeup__deleted_at__isnull=True, writeup__hidden=False,
                       writeup__topic__hidden=False, writeup__topic__state=Topic.State.LISTED)
LIVE_RECOGNITION = Q(ended_at__isnull=True)
PUBLIC_RECOGNITION = Q(topic__hidden=False, topic__state=Topic.State.LISTED)


def public_endorsements() -> QuerySet:
    """Live endorsements of public writeups, with the endorser's profile and the writeup's
    topic and author, newest first."""
    return (Endorsement.objects.filter(PUBLIC_ENDORSEMENT)
            .select_related("endorser__profile", "writeup__topic", "writeup__author__profile")
            .order_by("-created_at", "-id"))


def writeup_endorsements(writeup: Writeup) -> QuerySet:
    """A writeup's live endorsements, oldest first (the order they were given)."""
    return public_endorsements().filter(writeup=writeup).order_by("created_at", "id")


def endorsements_given(person) -> QuerySet:
    return public_endorsements().filter(endorser=person)


def endorsements_received(person) -> QuerySet:
    return public_endorsements().filter(writeup__author=person)


def public_recognitions(*, live: bool = True) -> QuerySet:
    """Recognitions on listed, visible topics, newest first, each with its topic and cluster,
    the person's profile, the evidence writeup and (`evidence`) that writeup's live
    endorsements with their endorsers: a constant number of queries however many rows.
    `live` False includes ended ones (history)."""
    recognitions = Recognition.objects.filter(PUBLIC_RECOGNITION)
    if live:
        recognitions = recognitions.filter(LIVE_RECOGNITION)
    return (recognitions
            .select_related("topic__cluster", "person__profile", "writeup__author__profile")
            .prefetch_related(Prefetch(
                "writeup__endorsements",
                queryset=Endorsement.objects.filter(state=Endorsement.State.LIVE)
                .select_related("endorser__profile").order_by("created_at", "id"),
                to_attr="evidence"))
            .order_by("-created_at", "-id"))


def topic_recognitions(topic: Topic) -> QuerySet:
    """The topic page's "Recognised expertise": its live recognitions, oldest first."""
    return public_recognitions().filter(topic=topic).order_by("created_at", "id")


def person_recognitions(person, *, live: bool = True) -> QuerySet:
    return public_recognitions(live=live).filter(person=person)


@dataclass
class Experts:
    """Who knows about a topic: people recognised on it (with their evidence), and active
    claimants who have published on it but are not recognised (yet)."""

    recognised: QuerySet
    claimants: QuerySet


def experts(*, cluster: str | None = None, topic: str | None = None) -> Experts:
    """The experts directory, optionally for one cluster or topic (slugs). `recognised` are
    live recognitions (see public_recognitions), by cluster and topic; `claimants` are active
    claims whose claimant has a public writeup on the topic and is not recognised on it yet,
    by cluster and topic (ExpertsList gives each its writeups there)."""
    place = Q()
    if cluster:
        place &= Q(topic__cluster__slug=cluster)
    if topic:
        place &= Q(topic__slug=topic)
    by_topic = local_text("title", path="topic__").asc()
    recognised = public_recognitions().filter(place).order_by(
        "topic__cluster__position", by_topic, "created_at", "id")
    claimants = (Claim.objects.filter(place, PUBLIC_RECOGNITION, state=Claim.State.ACTIVE)
                 .filter(Exists(_public_work().filter(topic=OuterRef("topic"),
                                                      author=OuterRef("person"))))
                 .exclude(Exists(Recognition.objects.filter(
                     LIVE_RECOGNITION, topic=OuterRef("topic"), person=OuterRef("person"))))
                 .select_related("topic__cluster", "person__profile")
                 .order_by("topic__cluster__position", by_topic, "created_at", "id"))
    return Experts(recognised=recognised, claimants=claimants)


def _public_work() -> QuerySet:
    return Writeup.objects.filter(PUBLISHED, hidden=False)


class ExpertsList:
    """A list of the experts directory that reads only the slice asked for: first the slice's
    ids in a narrow query (sorting every matching row with its joined columns, writeup
    bodies and all, cost seconds at scale), then those rows. Sliceable and countable, so
    Paginator pages it in SQL; `with_work` gives each claim its `work`: the claimant's public
    writeups on the claimed topic, newest first, read for the whole slice in one query."""

    def __init__(self, rows: QuerySet, *, with_work: bool = False):
        self.rows = rows
        self.with_work = with_work

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        ids = list(self.rows.values_list("pk", flat=True)[index])
        by_id = {row.pk: row for row in self.rows.filter(pk__in=ids)} if ids else {}
        rows = [by_id[pk] for pk in ids]
        if self.with_work:
            _attach_work(rows)
        return rows


def _attach_work(claims: list) -> None:
    work: dict[tuple[int, int], list] = {}
    if claims:
        pairs = Q()
        for claim in claims:
            pairs |= Q(author_id=claim.person_id, topic_id=claim.topic_id)
        for writeup in (_public_work().filter(pairs).select_related("topic")
                        .order_by("-published_at", "-id")):
            work.setdefault((writeup.author_id, writeup.topic_id), []).append(writeup)
    for claim in claims:
        claim.work = work.get((claim.person_id, claim.topic_id), [])


def _matching(q: str, *, person: str) -> Q:
    """What a search may match of a person (`person` is the path to them): username, and the
    name and affiliation everyone may see (a hidden profile shows neither)."""
    return (Q(**{f"{person}__username__icontains": q})
            | Q(**{f"{person}__profile__hidden": False,
                   f"{person}__profile__display_name__icontains": q})
            | Q(**{f"{person}__profile__hidden": False,
                   f"{person}__profile__affiliation__icontains": q}))


def experts_search(*, cluster: str | None = None, topic: str | None = None,
                   status: str = "", q: str = "") -> tuple:
    """(recognised, claimants) for the experts page and API: experts() narrowed to one list by
    `status` ("recognised" or "claimants"; else both; the other is an empty list) and by `q`,
    matched case-blind against names, affiliations and topic titles. Both are lazy and read
    only the slice a caller takes (ExpertsList; each claim's `work` is their public writeups
    on the claimed topic)."""
    found = experts(cluster=cluster, topic=topic)
    recognised, claimants = found.recognised, found.claimants
    q = q.strip()
    if q:
        recognised = recognised.filter(Q(name__icontains=q) | Q(topic__title__icontains=q)
                                       | _matching(q, person="person"))
        claimants = claimants.filter(Q(topic__title__icontains=q)
                                     | _matching(q, person="person"))
    return ([] if status == "claimants" else ExpertsList(recognised),
            [] if status == "recognised" else ExpertsList(claimants, with_work=True))
