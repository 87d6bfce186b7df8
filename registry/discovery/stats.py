"""Keeping TopicStats true: each topic's status and counts, stored so that pages read one row
per topic (see registry.models.TopicStats).

The truth is topic_stats_compute: SQL over claims, writeups, recognitions, proposals, funder
interest and the topic's history, which is why it lives here, above the registry and proposals.
topic_stats_refresh stores it for some topics, inside the transaction of the change: the
registry's and proposals' events reach it through the subscriber list
(registry.core.events, the on_* functions below, listed first so everything after them reads
fresh stats); moderation and funder interest call it directly. topic_stats_reconcile
recomputes every topic nightly and reports what had drifted.
"""

import datetime
import functools

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from proposals.models import OPEN_STAGES, Proposal
from proposals.selectors import proposal_topic_ids
from registry.discovery.models import FunderInterest
from registry.models import (
    Claim,
    Recognition,
    Topic,
    TopicEvent,
    TopicStats,
    TopicStatus,
    Writeup,
)
from registry.selectors import PUBLISHED
from registry.services.site_version import site_version_bump

# What counts towards a topic's coverage and counts: published and not hidden by a moderator.
PUBLIC_WRITEUP = PUBLISHED & Q(hidden=False)
# The neglect score's points besides days (discovery.selectors.NEGLECT_FORMULA).
NO_WRITEUPS_POINTS, INTEREST_POINTS, EARLIER_CLAIM_POINTS = 30, 20, 10
STORED = ["status", "active_claims", "released_claims", "dormant_claims", "published_writeups",
          "open_analysis", "open_proposal", "open_owner", "funder_interest", "recognitions",
          "last_activity_at", "gap_since", "neglected_since"]


def _claims(state):
    return Claim.objects.filter(topic=OuterRef("pk"), state=state)


def _count(queryset, group_by="topic"):
    """A correlated COUNT(*) of `queryset` (already filtered on OuterRef), 0 when empty."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _live_recognitions():
    return Recognition.objects.filter(topic=OuterRef("pk"), ended_at__isnull=True)


def _status():
    """The ladder (models.TopicStatus): covered: a live recognition, whatever the claims;
    published: someone holding an active claim on the topic has published a writeup on it
    (public, not hidden); claimed: at least one active claim; gap: otherwise."""
    claimant_published = _claims(Claim.State.ACTIVE).filter(Exists(
        Writeup.objects.filter(PUBLIC_WRITEUP, topic=OuterRef("topic"),
                               author=OuterRef("person"))))
    return Case(
        When(Exists(_live_recognitions()), then=Value(TopicStatus.COVERED)),
        When(Exists(claimant_published), then=Value(TopicStatus.PUBLISHED)),
        When(Exists(_claims(Claim.State.ACTIVE)), then=Value(TopicStatus.CLAIMED)),
        default=Value(TopicStatus.GAP),
    )


def _open_proposals(stage):
    """Proposals at `stage` whose main topic is the outer topic, plus those that list it as a
    related topic (and have another main topic), hidden ones left out: two counts that each
    use an index, where one OR across the join scanned every proposal for every topic."""
    main = Proposal.objects.filter(topic=OuterRef("pk"), stage=stage, hidden=False)
    related = (Proposal.related_topics.through.objects
               .filter(topic=OuterRef("pk"), proposal__stage=stage, proposal__hidden=False)
               .exclude(proposal__topic=OuterRef("pk")))
    return _count(main, group_by="stage") + _count(related)


def _latest_event(kinds):
    return Subquery(TopicEvent.objects.filter(topic=OuterRef("pk"), kind__in=kinds)
                    .order_by("-created_at").values("created_at")[:1])


@functools.cache
def _computed_for_every_topic() -> QuerySet:
    """The computing query over all topics, built once per process. Resolving its dozen
    correlated subqueries costs about 12 ms, several times what running it for one topic
    does, and every refresh and drift check would otherwise pay it again; callers only
    filter it by id, which clones the query without resolving it anew."""
    freed = [TopicEvent.Kind.RELEASED, TopicEvent.Kind.DORMANT, TopicEvent.Kind.LISTED,
             TopicEvent.Kind.RECOGNITION_ENDED]
    return Topic.objects.order_by("pk").annotate(
        computed_status=_status(),
        computed_active=_count(_claims(Claim.State.ACTIVE)),
        computed_released=_count(_claims(Claim.State.RELEASED)),
        computed_dormant=_count(_claims(Claim.State.DORMANT)),
        computed_published=_count(Writeup.objects.filter(PUBLIC_WRITEUP, topic=OuterRef("pk"))),
        computed_analysis=_open_proposals(OPEN_STAGES[0]),
        computed_proposal=_open_proposals(OPEN_STAGES[1]),
        computed_owner=_open_proposals(OPEN_STAGES[2]),
        computed_interest=_count(FunderInterest.objects.filter(topic=OuterRef("pk"),
                                                               withdrawn_at__isnull=True)),
        computed_recognitions=_count(_live_recognitions()),
        computed_last_activity=_latest_event(TopicEvent.PUBLIC_KINDS),
        computed_gap_since=Coalesce(_latest_event(freed), "created_at"),
    ).values("pk", "computed_status", "computed_active", "computed_released",
             "computed_dormant", "computed_published", "computed_analysis",
             "computed_proposal", "computed_owner", "computed_interest",
             "computed_recognitions", "computed_last_activity", "computed_gap_since")


def topic_stats_compute(*, topic_ids) -> QuerySet:
    """These topics as dicts of topic_id and every STORED field but neglected_since,
    computed from the source tables (one query)."""
    return _computed_for_every_topic().filter(pk__in=topic_ids)


def neglect_points(stats: TopicStats) -> int:
    """The neglect score's points besides days unclaimed."""
    return (NO_WRITEUPS_POINTS * (stats.published_writeups == 0)
            + INTEREST_POINTS * stats.funder_interest
            + EARLIER_CLAIM_POINTS * (stats.released_claims + stats.dormant_claims))


def _stats_row(row: dict, now: datetime.datetime) -> TopicStats:
    stats = TopicStats(
        topic_id=row["pk"], status=row["computed_status"],
        active_claims=row["computed_active"], released_claims=row["computed_released"],
        dormant_claims=row["computed_dormant"], published_writeups=row["computed_published"],
        open_analysis=row["computed_analysis"], open_proposal=row["computed_proposal"],
        open_owner=row["computed_owner"], funder_interest=row["computed_interest"],
        recognitions=row["computed_recognitions"],
        last_activity_at=row["computed_last_activity"], gap_since=row["computed_gap_since"],
        refreshed_at=now)
    stats.neglected_since = stats.gap_since - datetime.timedelta(days=neglect_points(stats))
    return stats


def _store(rows: list[TopicStats]) -> None:
    TopicStats.objects.bulk_create(rows, update_conflicts=True, unique_fields=["topic"],
                                   update_fields=[*STORED, "refreshed_at"])


# No savepoint inside the caller's transaction (two round trips each time): an error here
# undoes the whole write anyway.
@transaction.atomic(savepoint=False)
def topic_stats_refresh(*, topic_ids) -> None:
    """Recompute and store the stats of these topics. Call inside the transaction of the
    write that changed them, after the write.

    Locks the topics' rows first (in id order, so two writers never deadlock on them): a
    concurrent writer on the same topic waits, and then counts this one's committed rows
    too, so two claims made at once leave active_claims at 2, not 1. Then moves the site
    version (site_version_bump), also when no topic is given.
    """
    ids = sorted({pk for pk in topic_ids if pk is not None})
    if ids:
        list(Topic.objects.select_for_update().filter(pk__in=ids).order_by("pk")
             .values_list("pk", flat=True))
        now = timezone.now()
        _store([_stats_row(row, now) for row in topic_stats_compute(topic_ids=ids)])
    site_version_bump()


def topic_stats_drift(*, topic_ids=None, chunk_size: int = 1000) -> list[int]:
    """Ids of topics whose stored stats differ from the computed ones (or are missing)."""
    topics = Topic.objects.all() if topic_ids is None else Topic.objects.filter(pk__in=topic_ids)
    drifted = []
    now = timezone.now()
    ids = list(topics.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start:start + chunk_size]
        stored = {stats.topic_id: stats for stats in TopicStats.objects.filter(topic_id__in=chunk)}
        for row in topic_stats_compute(topic_ids=chunk):
            expected, actual = _stats_row(row, now), stored.get(row["pk"])
            if actual is None or any(getattr(expected, field) != getattr(actual, field)
                                     for field in STORED):
                drifted.append(row["pk"])
    return drifted


def topic_stats_reconcile(*, chunk_size: int = 500) -> int:
    """Recompute every topic's stats, a chunk per transaction; returns how many had drifted
    (0 when every service kept them current). Run nightly (the `stats_reconcile` periodic
    job, also `manage.py run_periodic stats_reconcile`), and after bulk loads (generate_demo,
    import_all)."""
    drifted = topic_stats_drift(chunk_size=chunk_size)
    for start in range(0, len(drifted), chunk_size):
        topic_stats_refresh(topic_ids=drifted[start:start + chunk_size])
    return len(drifted)


# --- Subscribers (settings.GAPMAP_EVENT_SUBSCRIBERS) ----------------------------------------

def on_topic_event(*, event) -> None:
    topic_stats_refresh(topic_ids=[event.topic_id])


def on_proposal_event(*, event) -> None:
    topic_stats_refresh(topic_ids=proposal_topic_ids(event.proposal))


def on_proposal_edited(*, proposal, topic_ids) -> None:
    # Also with no topic change: the refresh moves the site version, so cached public pages
    # show the edit.
    topic_stats_refresh(topic_ids=topic_ids)


def on_topics_changed(*, topics) -> None:
    topic_stats_refresh(topic_ids=[topic.pk for topic in topics])
