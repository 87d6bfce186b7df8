"""Reusable reads for proposals."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from proposals.models import OPEN_STAGES, OwnerInvitation, Proposal, ProposalEvent
from registry.permissions import is_moderator


def proposals_listed(*, topic: str | None = None, cluster: str | None = None,
                     target: str | None = None, stage: str | None = None,
                     author: str | None = None, owner: str | None = None,
                     closed: bool | None = None) -> QuerySet:
    """Proposals with everything a card or an API row shows, in one query plus prefetches.

    Filters take slugs and usernames; `closed` True/False keeps closed/open ones only.
    """
    proposals = Proposal.objects.select_related(
        "topic__cluster", "author__profile", "owner__profile"
    ).prefetch_related("co_authors", "related_topics", "supporting_writeups")
    if topic:
        proposals = proposals.filter(topic__slug=topic)
    if cluster:
        proposals = proposals.filter(topic__cluster__slug=cluster)
    if target:
        proposals = proposals.filter(target__icontains=target)
    if stage:
        proposals = proposals.filter(stage=stage)
    if author:
        proposals = proposals.filter(author__username=author)
    if owner:
        proposals = proposals.filter(owner__username=owner)
    if closed is True:
        proposals = proposals.exclude(stage__in=OPEN_STAGES)
    elif closed is False:
        proposals = proposals.filter(stage__in=OPEN_STAGES)
    return proposals


def shown_to(user) -> Q:
    """Lists leave hidden proposals out for all but their authors and moderators (see
    registry.moderation.permissions); a hidden proposal's page shows others a notice."""
    if is_moderator(user):
        return Q()
    if not user.is_authenticated:
        return Q(hidden=False)
    co_authored = Proposal.co_authors.through.objects.filter(user=user).values("proposal_id")
    return Q(hidden=False) | Q(author=user) | Q(pk__in=co_authored)


def proposal_events(proposal) -> QuerySet:
    return ProposalEvent.objects.filter(proposal=proposal).select_related(
        "actor__profile", "subject__profile"
    )


def invitations_visible_to(user) -> QuerySet:
    """Owner invitations the user may see: as invitee, as an author, or as a moderator.

    Others get 404 (permissions.can_see_invitation says the same for one object)."""
    invitations = OwnerInvitation.objects.select_related("proposal", "invitee", "invited_by")
    if is_moderator(user):
        return invitations
    if not user.is_authenticated:
        return invitations.none()
    return invitations.filter(
        Q(invitee=user) | Q(proposal__author=user) | Q(proposal__co_authors=user)
    ).distinct()


def pending_invitation(proposal) -> OwnerInvitation | None:
    return (OwnerInvitation.objects.filter(proposal=proposal,
                                           state=OwnerInvitation.State.PENDING)
            .select_related("invitee__profile").first())


def pending_invitations_for(user) -> QuerySet:
    """The user's live owner invitations, for their "My work" page."""
    return OwnerInvitation.objects.filter(
        invitee=user, state=OwnerInvitation.State.PENDING, expires_at__gt=timezone.now()
    ).select_related("proposal__topic", "invited_by__profile")


def topic_proposals(topic) -> QuerySet:
    """Proposals whose main or related topic is `topic`, each once (hidden ones left out)."""
    return (Proposal.objects.filter(Q(topic=topic) | Q(related_topics=topic), hidden=False)
            .distinct().select_related("owner__profile"))


def _open_count(stage):
    """Proposals at `stage` whose main topic is the outer topic, plus those that list it as a
    related topic (and have another main topic), hidden ones left out: two counts that each
    use an index, where one OR across the join scanned every proposal for every topic
    (minutes on /map/ at 5,000 topics)."""
    main = (Proposal.objects.filter(topic=OuterRef("pk"), stage=stage, hidden=False)
            .order_by().values("stage").annotate(n=Count("pk")).values("n"))
    related = (Proposal.related_topics.through.objects
               .filter(topic=OuterRef("pk"), proposal__stage=stage, proposal__hidden=False)
               .exclude(proposal__topic=OuterRef("pk"))
               .order_by().values("topic").annotate(n=Count("pk")).values("n"))
    return (Coalesce(Subquery(main, output_field=IntegerField()), 0)
            + Coalesce(Subquery(related, output_field=IntegerField()), 0))


def with_open_proposal_counts(topics: QuerySet) -> QuerySet:
    """Annotate topics with open_proposals_<stage> counts (main or related topic), as
    subqueries so they never multiply rows with other annotations' joins."""
    return topics.annotate(**{f"open_proposals_{stage}": _open_count(stage)
                              for stage in OPEN_STAGES})


def open_proposal_counts(topic) -> dict[str, int]:
    """{stage: count} of open proposals on a topic, from the annotation when present."""
    if hasattr(topic, f"open_proposals_{OPEN_STAGES[0]}"):
        return {str(stage): getattr(topic, f"open_proposals_{stage}") for stage in OPEN_STAGES}
    counts = dict.fromkeys(OPEN_STAGES, 0)
    rows = topic_proposals(topic).filter(stage__in=OPEN_STAGES).order_by().values("stage")
    for row in rows:
        counts[row["stage"]] += 1
    return {str(stage): n for stage, n in counts.items()}
