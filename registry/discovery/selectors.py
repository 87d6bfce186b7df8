"""Reads for funders and discovery: the gaps list and its neglect score, funder interest,
the gap map and the proposals pipeline."""

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
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

from proposals import selectors as proposal_selectors
from proposals.models import OPEN_STAGES, Proposal, Stage
from proposals.permissions import is_author, is_co_author
from registry import permissions, selectors
from registry.discovery.models import FunderAlert, FunderInterest
from registry.models import Claim, Cluster, Profile, Topic, TopicEvent, TopicStatus

# The neglect score of a gap (higher = more neglected), shown on /gaps/ and in the API docs.
NEGLECT_FORMULA = ("days unclaimed + 30 if nothing is published on it + 20 per funder "
                   "interest (interest nobody is acting on) + 10 per earlier claim that was "
                   "released or went dormant")
NO_WRITEUPS_POINTS, INTEREST_POINTS, EARLIER_CLAIM_POINTS = 30, 20, 10


def neglect_score(*, days_unclaimed: int, published_writeups: int, funder_interest: int,
                  earlier_claims: int) -> int:
    """See NEGLECT_FORMULA."""
    return (days_unclaimed + NO_WRITEUPS_POINTS * (published_writeups == 0)
            + INTEREST_POINTS * funder_interest + EARLIER_CLAIM_POINTS * earlier_claims)


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

def _gap_since():
    """When the topic last became free: its latest release/dormancy, else its listing."""
    events = (TopicEvent.objects.filter(
        topic=OuterRef("pk"),
        kind__in=[TopicEvent.Kind.RELEASED, TopicEvent.Kind.DORMANT, TopicEvent.Kind.LISTED])
        .order_by("-created_at").values("created_at")[:1])
    return Coalesce(Subquery(events), "created_at")


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

    @property
    def earlier_claims(self) -> int:
        return self.released_claims + self.dormant_claims

    @property
    def neglect_score(self) -> int:
        return neglect_score(days_unclaimed=self.days_unclaimed,
                             published_writeups=self.published_writeups,
                             funder_interest=self.funder_interest,
                             earlier_claims=self.earlier_claims)


def _gap_topics(cluster: str | None) -> QuerySet:
    topics = selectors.topics_with_status(cluster=cluster, status=TopicStatus.GAP)
    topics = proposal_selectors.with_open_proposal_counts(with_funder_interest(topics))
    return topics.annotate(
        gap_since=_gap_since(),
        released_claims=_count_claims(Claim.State.RELEASED),
        dormant_claims=_count_claims(Claim.State.DORMANT),
    )


def _count_claims(state):
    counted = (Claim.objects.filter(topic=OuterRef("pk"), state=state).order_by()
               .values("topic").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def gaps(*, cluster: str | None = None, now: datetime.datetime | None = None) -> list[Gap]:
    """Every listed topic whose status is gap, most neglected first (see NEGLECT_FORMULA),
    ties broken by title. One query, whatever the number of topics."""
    now = now or timezone.now()
    rows = []
    for topic in _gap_topics(cluster):
        rows.append(Gap(
            topic=topic,
            gap_since=topic.gap_since,
            days_unclaimed=max(0, (now - topic.gap_since).days),
            released_claims=topic.released_claims,
            dormant_claims=topic.dormant_claims,
            published_writeups=topic.published_writeups,
            open_proposals=sum(getattr(topic, f"open_proposals_{stage}")
                               for stage in OPEN_STAGES),
            funder_interest=topic.funder_interest,
        ))
    rows.sort(key=lambda gap: (-gap.neglect_score, gap.topic.title, gap.topic.pk))
    return rows


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
    topics = (selectors.topics_with_status(cluster=cluster, status=TopicStatus.CLAIMED)
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
