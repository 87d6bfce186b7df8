"""Reads for funders and discovery: the gaps list and its neglect score, funder interest,
the gap map and the proposals pipeline."""

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from proposals import selectors as proposal_selectors
from proposals.models import OPEN_STAGES, Proposal, Stage
from proposals.permissions import is_author, is_co_author
from registry import permissions, selectors
from registry.discovery.models import FunderAlert, FunderInterest
from registry.models import Claim, Cluster, Profile, Topic, TopicStatus

# The neglect score of a gap (higher = more neglected), shown on /gaps/ (translated there)
# and in the API docs.
NEGLECT_FORMULA = gettext_noop("days unclaimed + 30 if nothing is published on it + 20 per "
                               "funder interest (interest nobody is acting on) + 10 per earlier "
                               "claim that was released or went dormant")
GAPS_PER_PAGE = 50


# --- Funder interest ----------------------------------------------------------------------

LIVE = Q(withdrawn_at__isnull=True)


def is_funder(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_funder"):  # cached per request object, like is_moderator
        user._is_funder = Profile.objects.filter(user=user, is_funder=True).exists()
    return user._is_funder


def interest_count(target: str = "topic") -> Coalesce:
    """A correlated count of live interests in the outer topic or proposal (for annotate)."""
    counted = (FunderInterest.objects.filter(LIVE, **{target: OuterRef("pk")}).order_by()
               .values(target).annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_funder_interest(queryset: QuerySet, *, target: str = "topic") -> QuerySet:
    """Annotate `funder_interest`: for topics from their stored TopicStats, for proposals
    counted (their lists are paginated)."""
    if target == "topic":
        return queryset.annotate(funder_interest=F("stats__funder_interest"))
    return queryset.annotate(funder_interest=interest_count(target))


def can_see_private_interest(user, *, topic=None, proposal=None) -> bool:
    """Moderators, the topic's active claimants, the proposal's authors and co-authors."""
    if not user.is_authenticated:
        return False
    if permissions.is_moderator(user):
        return True
    if topic is not None:
        return Claim.objects.filter(topic=topic, person=user, state=Claim.State.ACTIVE).exists()
    return is_author(user, proposal) or is_co_author(user, proposal)


def interests_visible_to(user, *, topic=None, proposal=None) -> QuerySet:
    """Live interests in the topic or proposal that `user` may read: public ones, their own,
    and private ones when can_see_private_interest."""
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    interests = FunderInterest.objects.filter(LIVE, **target).select_related("funder__profile")
    if can_see_private_interest(user, topic=topic, proposal=proposal):
        return interests
    mine = Q(funder=user) if user.is_authenticated else Q(pk__in=[])
    return interests.filter(Q(visibility=FunderInterest.Visibility.PUBLIC) | mine)


# --- Gaps ---------------------------------------------------------------------------------

@dataclass
class Gap:
    topic: Topic
    gap_since: datetime.datetime
    days_unclaimed: int
    released_claims: int
    dormant_claims: int
    published_writeups: int
    open_proposals: int
    funder_interest: int
    neglect_score: int

    @property
    def earlier_claims(self) -> int:
        return self.released_claims + self.dormant_claims


def gap_topics(*, cluster: str | None = None) -> QuerySet:
    """Listed gaps, most neglected first (see NEGLECT_FORMULA): an index scan on the stored
    `neglected_since` (services.stats), whose whole days to now are the score. Ties on the
    score go to the longer neglected, then the title."""
    topics = selectors.topics_with_status(cluster=cluster, status=TopicStatus.GAP)
    topics = proposal_selectors.with_open_proposal_counts(with_funder_interest(topics))
    return topics.annotate(
        gap_since=F("stats__gap_since"), neglected_since=F("stats__neglected_since"),
        released_claims=F("stats__released_claims"), dormant_claims=F("stats__dormant_claims"),
    ).order_by("neglected_since", "title", "pk")


UNRECOGNISED_SHOWN = 50


def unrecognised_work(*, cluster: str | None = None) -> QuerySet:
    """Topics at `published`: an active claimant has published, nobody is recognised yet,
    so the work exists and waits for review or support. Most recently active first, with
    their funder interest; the first UNRECOGNISED_SHOWN (the cluster pages list the rest)."""
    topics = selectors.topics_with_status(cluster=cluster, status=TopicStatus.PUBLISHED)
    return with_funder_interest(topics).order_by(
        F("last_activity_at").desc(nulls_last=True), "title", "pk")[:UNRECOGNISED_SHOWN]


def as_gap(topic: Topic, *, now: datetime.datetime) -> Gap:
    """One row of gap_topics with its days unclaimed and neglect score as of `now`."""
    return Gap(
        topic=topic, gap_since=topic.gap_since,
        days_unclaimed=max(0, (now - topic.gap_since).days),
        released_claims=topic.released_claims, dormant_claims=topic.dormant_claims,
        published_writeups=topic.published_writeups,
        open_proposals=sum(getattr(topic, f"open_proposals_{stage}") for stage in OPEN_STAGES),
        funder_interest=topic.funder_interest,
        neglect_score=max(0, (now - topic.neglected_since).days),
    )


def gaps(topics=None, *, cluster: str | None = None,
         now: datetime.datetime | None = None) -> list[Gap]:
    """`topics` (a page or slice of gap_topics; all of gap_topics(cluster) when None) as Gap
    rows as of `now`. One query."""
    now = now or timezone.now()
    topics = gap_topics(cluster=cluster) if topics is None else topics
    return [as_gap(topic, now=now) for topic in topics]


@dataclass
class AtRisk:
    topic: Topic
    days_until_dormant: int


def at_risk(*, cluster: str | None = None,
            now: datetime.datetime | None = None) -> list[AtRisk]:
    """Claimed topics whose every active claim has been quiet for GAPMAP_CLAIM_REMINDER_DAYS
    or more, so all of them are near dormancy; soonest to go dormant first. One query."""
    now = now or timezone.now()
    newest = (Claim.objects.filter(topic=OuterRef("pk"), state=Claim.State.ACTIVE).order_by()
              .values("topic").annotate(latest=Max("last_activity_at")).values("latest"))
    cutoff = now - datetime.timedelta(days=settings.GAPMAP_CLAIM_REMINDER_DAYS)
    # Only topics with at least one quiet active claim can qualify: a short list from the
    # (state, last_activity_at) index, where computing every claimed topic's latest activity
    # took 25 ms at 5,000 topics.
    quiet = Claim.objects.filter(state=Claim.State.ACTIVE, last_activity_at__lte=cutoff)
    topics = (selectors.topics_with_status(cluster=cluster, status=TopicStatus.CLAIMED)
              .filter(pk__in=quiet.values("topic"))
              .annotate(latest_claim_activity=Subquery(newest))
              .filter(latest_claim_activity__lte=cutoff)
              .order_by("latest_claim_activity", "title"))
    dormant = datetime.timedelta(days=settings.GAPMAP_CLAIM_DORMANT_DAYS)
    return [AtRisk(topic=topic,
                   days_until_dormant=max(0, (topic.latest_claim_activity + dormant - now).days))
            for topic in topics]


# --- The gap map and the pipeline ---------------------------------------------------------

def map_clusters() -> list[Cluster]:
    """Clusters with `listed_topics` (status, counts and funder interest annotated), for the
    map. Two queries."""
    topics = with_funder_interest(selectors.topics_with_status())
    topics = proposal_selectors.with_open_proposal_counts(topics)
    return list(Cluster.objects.prefetch_related(
        Prefetch("topics", queryset=topics, to_attr="listed_topics")).order_by("position", "name"))


# A cluster band on the map shows this many tiles at most; a larger cluster shows one fewer
# and a tile linking to its page, so the map stays a picture (and a small file) at 5,000
# topics.
MAP_TILES_PER_CLUSTER = 12
_LADDER = {status: rank for rank, status in enumerate(TopicStatus.values)}


@dataclass
class MapBand:
    """One cluster on the map: its topics in ladder order (gaps first; within a status the
    most funder interest first), the counts by status and what the funder asks about."""

    cluster: Cluster
    topics: list[Topic]
    status_counts: dict[str, int]
    funder_interest: int

    @property
    def total(self) -> int:
        return len(self.topics)

    @property
    def gaps(self) -> int:
        return self.status_counts[TopicStatus.GAP]

    @property
    def gap_percent(self) -> int:
        return round(100 * self.gaps / self.total) if self.total else 0

    @property
    def waiting(self) -> int:
        """Topics at `published`: the work exists and waits for recognition."""
        return self.status_counts[TopicStatus.PUBLISHED]

    @property
    def shown(self) -> list[Topic]:
        if self.total <= MAP_TILES_PER_CLUSTER:
            return self.topics
        return self.topics[:MAP_TILES_PER_CLUSTER - 1]

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def map_bands(clusters: list[Cluster]) -> list[MapBand]:
    """map_clusters() as bands, the largest share of gaps first (the most neglected clusters
    lead the map), then catalogue order. No query."""
    bands = []
    for cluster in clusters:
        topics = sorted(cluster.listed_topics, key=lambda t: (
            _LADDER[t.status], -t.funder_interest, t.title.casefold(), t.pk))
        counts = dict.fromkeys(TopicStatus.values, 0)
        for topic in topics:
            counts[topic.status] += 1
        bands.append(MapBand(cluster=cluster, topics=topics, status_counts=counts,
                             funder_interest=sum(t.funder_interest for t in topics)))
    # sorted() is stable: equal shares keep the catalogue's order.
    return sorted(bands, key=lambda band: -band.gaps / band.total if band.total else 0)


def interest_of(user, *, topic=None, proposal=None) -> FunderInterest | None:
    """`user`'s live interest in the topic or proposal, or None."""
    if not user.is_authenticated:
        return None
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    return FunderInterest.objects.filter(LIVE, funder=user, **target).first()


@dataclass
class StageBar:
    stage: str
    count: int
    median_days: float | None


def pipeline(*, now: datetime.datetime | None = None) -> list[StageBar]:
    """Proposals by stage: how many, and the median days they have spent in it so far."""
    now = now or timezone.now()
    days: dict[str, list[float]] = {stage: [] for stage in Stage.values}
    for stage, changed_at in Proposal.objects.order_by().values_list("stage",
                                                                     "stage_changed_at"):
        days[stage].append((now - changed_at).total_seconds() / 86400)
    return [StageBar(stage=stage, count=len(values),
                     median_days=round(statistics.median(values), 1) if values else None)
            for stage, values in days.items()]


def alerts_of(user) -> QuerySet:
    return FunderAlert.objects.filter(funder=user).select_related("cluster")
