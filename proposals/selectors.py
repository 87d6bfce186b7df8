"""Reusable reads for proposals."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from proposals.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    CoAuthorInvitation,
    Invitation,
    OwnerInvitation,
    Proposal,
    ProposalEvent,
)
from registry.permissions import is_moderator, moderator_condition
from registry.selectors import topics_visible_to, writeups_visible_to


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


PUBLIC = Q(hidden=False, topic__hidden=False)


def shown_to(user, *, with_hidden: bool = False) -> Q:
    """The one filter for "proposals `user` may see", used by pages, lists, the API, the
    interest page, follows and notifications. Hidden proposals, and proposals whose main
    topic is hidden, are left out for all but their authors and moderators (see
    registry.moderation.permissions). `with_hidden` keeps hidden proposals (not those on a
    hidden topic) for the proposal's page, which shows others a notice instead."""
    public = Q(topic__hidden=False) if with_hidden else PUBLIC
    if not user.is_authenticated:
        return public
    co_authored = Proposal.co_authors.through.objects.filter(user=user).values("proposal_id")
    return public | Q(author=user) | Q(pk__in=co_authored) | moderator_condition(user)


def proposals_visible_to(user, *, with_hidden: bool = False) -> QuerySet:
    """proposals_listed() that `user` may see (see shown_to)."""
    return proposals_listed().filter(shown_to(user, with_hidden=with_hidden))


def pending_co_author_invitations() -> Prefetch:
    """Prefetch each proposal's pending co-author invitations, with their invitees, into
    `pending_co_author_invitations` (read by co_author_invitees)."""
    return Prefetch("co_author_invitations", to_attr="pending_co_author_invitations",
                    queryset=CoAuthorInvitation.objects.filter(state=Invitation.State.PENDING)
                    .select_related("invitee__profile").order_by("created_at", "pk"))


def co_author_invitees(proposal) -> list:
    """The people with a pending invitation to co-author `proposal`, longest invited first
    (from the pending_co_author_invitations prefetch when there is one)."""
    invitations = getattr(proposal, "pending_co_author_invitations", None)
    if invitations is None:
        invitations = proposal.co_author_invitations.filter(
            state=Invitation.State.PENDING).select_related("invitee").order_by("created_at", "pk")
    return [invitation.invitee for invitation in invitations]


def co_author_names(proposal) -> list[str]:
    """Usernames of the proposal's co-authors and of the people invited to co-author it who
    have not answered, in one query: what the edit form's co_authors field starts from."""
    members = (Proposal.co_authors.through.objects.filter(proposal=proposal).order_by()
               .values("user_id"))
    invited = (CoAuthorInvitation.objects.filter(proposal=proposal,
                                                 state=Invitation.State.PENDING)
               .order_by().values("invitee_id"))
    return list(get_user_model().objects.filter(pk__in=members.union(invited))
                .order_by("username").values_list("username", flat=True))


def with_relations_visible_to(user, proposals: QuerySet) -> QuerySet:
    """`proposals` with what the page and the API show of each prefetched for `user`: the
    co-authors, the pending co-author invitations, and only the published supporting
    writeups and related topics `user` may see (through their visibility selectors), so a
    hidden writeup or topic is neither linked nor listed."""
    return proposals.prefetch_related(None).prefetch_related(
        Prefetch("co_authors", queryset=get_user_model().objects.select_related("profile")),
        pending_co_author_invitations(),
        Prefetch("supporting_writeups", queryset=writeups_visible_to(user)
                 .filter(published_at__isnull=False).order_by("title", "pk")),
        Prefetch("related_topics", queryset=topics_visible_to(user).order_by("title")),
    )


def with_pending_owner_invitation(proposals: QuerySet) -> QuerySet:
    """`proposals` with the pending owner invitation and its invitee joined into their own
    query, not read by one more (read by pending_invitation). There is at most one per
    proposal (a database constraint), so the join adds no rows."""
    return proposals.annotate(
        pending_owner_invitation=FilteredRelation(
            "owner_invitations", condition=Q(owner_invitations__state=Invitation.State.PENDING)),
        pending_owner_invitation_pk=F("pending_owner_invitation__pk"),
    ).select_related("pending_owner_invitation__invitee__profile")


def proposal_visible_to(user, proposal) -> bool:
    """shown_to for one proposal in hand (a query only when it is not public)."""
    if not proposal.hidden and not proposal.topic.hidden:
        return True
    return Proposal.objects.filter(shown_to(user), pk=proposal.pk).exists()


def proposal_events(proposal) -> QuerySet:
    return ProposalEvent.objects.filter(proposal=proposal).select_related(
        "actor__profile", "subject__profile"
    )


def invitations_visible_to(user, model=OwnerInvitation) -> QuerySet:
    """Owner invitations (or those of `model`, e.g. CoAuthorInvitation) the user may see: as
    invitee, as an author, or as a moderator.

    Others get 404 (permissions.can_see_invitation says the same for one object)."""
    invitations = model.objects.select_related("proposal", "invitee", "invited_by")
    if is_moderator(user):
        return invitations
    if not user.is_authenticated:
        return invitations.none()
    return invitations.filter(
        Q(invitee=user) | Q(proposal__author=user) | Q(proposal__co_authors=user)
    ).distinct()


def pending_invitation(proposal) -> OwnerInvitation | None:
    """The proposal's pending owner invitation, as joined by with_pending_owner_invitation,
    or read now for a proposal read otherwise."""
    if hasattr(proposal, "pending_owner_invitation_pk"):
        return getattr(proposal, "pending_owner_invitation", None)
    return (OwnerInvitation.objects.filter(proposal=proposal,
                                           state=OwnerInvitation.State.PENDING)
            .select_related("invitee__profile").first())


def pending_invitations_for(user, model=OwnerInvitation) -> QuerySet:
    """The user's live owner invitations (or those of `model`), for their "My work" page;
    not those to a proposal hidden from them, whose title they may not see."""
    return model.objects.filter(
        invitee=user, state=Invitation.State.PENDING, expires_at__gt=timezone.now(),
        proposal__in=Proposal.objects.filter(shown_to(user)).order_by().values("pk"),
    ).select_related("proposal__topic", "invited_by__profile")


def topic_proposals(topic) -> QuerySet:
    """Proposals whose main or related topic is `topic`, each once (hidden ones left out)."""
    # The union of two indexed id lists: an OR across the join needed DISTINCT over every
    # proposal (20 ms per topic page at 20,000 proposals, 2 ms this way).
    main = Proposal.objects.filter(topic=topic).order_by().values("pk")
    related = (Proposal.related_topics.through.objects.filter(topic=topic).order_by()
               .values("proposal_id"))
    return (Proposal.objects.filter(PUBLIC, pk__in=main.union(related))
            .select_related("owner__profile"))


def proposal_topic_ids(proposal) -> list[int]:
    """The proposal's main and related topics: those whose open-proposal counts it is in."""
    return [proposal.topic_id, *proposal.related_topics.values_list("pk", flat=True)]


def with_open_proposal_counts(topics: QuerySet) -> QuerySet:
    """Annotate topics with open_proposals_<stage> counts (main or related topic, hidden
    ones left out), read from the topic's stored TopicStats (registry.discovery.stats)."""
    return topics.annotate(**{f"open_proposals_{stage}": F(f"stats__open_{stage}")
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


# --- The board ----------------------------------------------------------------------------

BOARD_COLUMNS = (*OPEN_STAGES, "closed")
BOARD_CARDS_PER_COLUMN = 20


def board_column_filter(column: str) -> Q:
    return Q(stage__in=CLOSED_STAGES) if column == "closed" else Q(stage=column)


def proposals_on_board(*, column: str | None = None, **filters) -> QuerySet:
    """Public (not hidden) proposals as a card shows them, most recently moved first.

    `filters` are those of proposals_listed; `column` is a stage or "closed". A card shows
    no co-authors, related topics or writeups, so their prefetches are dropped.
    """
    proposals = (proposals_listed(**filters).filter(PUBLIC).prefetch_related(None)
                 .order_by("-stage_changed_at", "-pk"))
    return proposals.filter(board_column_filter(column)) if column else proposals


def _in_columns(columns) -> Q:
    wanted = Q()
    for column in columns:
        wanted |= board_column_filter(column)
    return wanted


def board_columns(proposals: QuerySet, *, columns=BOARD_COLUMNS,
                  per_column: int = BOARD_CARDS_PER_COLUMN) -> dict[str, dict]:
    """{column: {"cards": its `per_column` most recently moved, "count": how many}} for
    proposals_on_board(...), in two queries whatever the rows.

    The first reads only the proposal_board_idx index (stage, hidden, -stage_changed_at,
    -id): a row number and a count per stage (window functions), keeping the first
    `per_column` ids of each stage. The second joins just those ids to the card's topic and
    people. The closed column merges two stages, so it is cut to `per_column` again here.
    """
    per_stage = {"partition_by": [F("stage")]}
    kept = (proposals.filter(_in_columns(columns)).order_by().annotate(
        row=Window(RowNumber(), order_by=[F("stage_changed_at").desc(), F("pk").desc()],
                   **per_stage),
        in_stage=Window(Count("pk"), **per_stage),
    ).filter(row__lte=per_column).values_list("pk", "stage", "in_stage"))
    board = {column: {"cards": [], "count": 0} for column in columns}
    ids, counted = [], set()
    for pk, stage, in_stage in kept:
        ids.append(pk)
        if stage not in counted:
            counted.add(stage)
            board[stage if stage in OPEN_STAGES else "closed"]["count"] += in_stage
    for proposal in proposals.filter(pk__in=ids):
        cards = board[proposal.stage if proposal.is_open else "closed"]["cards"]
        if len(cards) < per_column:
            cards.append(proposal)
    return board
