"""Writes with rules for proposals. Keyword-only arguments; each runs in one transaction.

`proposal_move` is the only code that writes `stage` (and `owner`); every other change to a
stage, the owner invitation's acceptance included, goes through it. Likewise only
`co_author_invitation_accept` adds to `co_authors`: naming people as co-authors
(proposal_create, proposal_update) invites them, and they become co-authors by accepting.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from proposals import permissions
from proposals.errors import (
    InvalidTransition,
    InvitationNotPending,
    InvitationPending,
    OwnerCannotCoAuthor,
    StageGate,
    StaleStage,
    WrongStage,
)
from proposals.models import (
    CoAuthorInvitation,
    Invitation,
    OwnerInvitation,
    Proposal,
    ProposalEvent,
    Stage,
    WithdrawReason,
)
from proposals.selectors import proposal_topic_ids
from registry.core.errors import FieldErrors, NotAllowed, StaleVersion, ValidationFailed
from registry.core.events import PROPOSAL_EDITED, PROPOSAL_EVENT, publish
from registry.core.limits import max_items, max_length
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.core.textclean import control_character_problem
from registry.models import Topic
from registry.selectors import public_name, topics_visible_to, writeups_visible_to
from registry.services.languages import supported_language

# The parts the proposal stage needs, in the order the checklist shows them.
GATE_PARTS = {
    "ask": gettext_lazy("A concrete ask, in one or two sentences"),
    "target": gettext_lazy("A target: who is being asked"),
    "steps": gettext_lazy("At least one step"),
}
# Notes the services write into the history themselves. They are stored in English, like every
# note, and shown in the reader's language (proposal_tags.history_note).
ACCEPTED_NOTE = gettext_noop("Accepted the owner invitation.")
MOVED_NOTE = gettext_noop("The proposal moved to %(stage)s.")  # the stage's stable value
ADMIN_WITHDRAWN_NOTE = gettext_noop("Withdrawn in the admin.")
CONTENT_FIELDS = ("title", "language", "analysis", "ask", "target", "steps", "cost_range",
                  "time_horizon")
# Each within its registry.core.limits maximum, checked by _check_limits.
TEXT_FIELDS = ("title", "analysis", "ask", "target", "cost_range", "time_horizon")
LIST_FIELDS = ("steps", "co_authors", "related_topics", "supporting_writeups")


def proposal_gate_missing(proposal) -> list[str]:
    """The parts (keys of GATE_PARTS) the proposal lacks for the proposal stage, in order."""
    present = {
        "ask": bool(proposal.ask.strip()),
        "target": bool(proposal.target.strip()),
        "steps": any(step.strip() for step in proposal.steps),
    }
    return [part for part in GATE_PARTS if not present[part]]


def _never(actor, proposal) -> bool:
    return False


def _always(actor, proposal) -> bool:
    return True


def _is_not_owner(actor, proposal) -> bool:
    return not permissions.is_owner(actor, proposal)


def _may_take_ownership(actor, proposal) -> bool:
    """The owner's consent: only a person holding a live invitation, and never an author."""
    if permissions.is_author(actor, proposal) or permissions.is_co_author(actor, proposal):
        return False
    return actor.is_authenticated and OwnerInvitation.objects.filter(
        proposal=proposal, invitee=actor, state=OwnerInvitation.State.PENDING,
        expires_at__gt=timezone.now(),
    ).exists()


@dataclass(frozen=True)
class Move:
    allowed: Callable
    gate: Callable | None = None
    needs_note: Callable = _never
    needs_reason: bool = False


# Every allowed (from, to) pair. Anything absent is refused with 409 invalid_transition.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (Stage.ANALYSIS, Stage.PROPOSAL): Move(permissions.can_edit_proposal,
                                           gate=proposal_gate_missing),
    (Stage.PROPOSAL, Stage.ANALYSIS): Move(permissions.can_edit_proposal),
    # Reached only by accepting an invitation (owner_invitation_accept calls proposal_move).
    (Stage.PROPOSAL, Stage.OWNER): Move(_may_take_ownership),
    # The owner steps down (note optional), or the author or a moderator removes them.
    (Stage.OWNER, Stage.PROPOSAL): Move(permissions.can_remove_owner, needs_note=_is_not_owner),
    (Stage.OWNER, Stage.ADOPTED): Move(permissions.can_mark_adopted, needs_note=_always),
    **{
        (stage, Stage.WITHDRAWN): Move(permissions.can_edit_proposal, needs_reason=True)
        for stage in (Stage.ANALYSIS, Stage.PROPOSAL, Stage.OWNER)
    },
}


# What a move that needs a note asks for, in plain words.
NOTE_NEEDED = {
    Stage.ADOPTED: gettext_lazy("Say how it was adopted: by whom, and what they committed to."),
    Stage.PROPOSAL: gettext_lazy(
        "Say why you remove the owner. It shows in the proposal's history."),
}


def moves_for(user, proposal) -> list[str]:
    """Target stages the user may offer as buttons on the proposal page (not `owner`, which
    is reached by accepting an invitation)."""
    return [
        to for (frm, to), move in TRANSITIONS.items()
        if frm == proposal.stage and to != Stage.OWNER and move.allowed(user, proposal)
    ]


def _event(proposal, kind, *, actor, now, **fields) -> ProposalEvent:
    """Append one ProposalEvent inside the caller's transaction and publish PROPOSAL_EVENT to
    its subscribers (settings.GAPMAP_EVENT_SUBSCRIBERS): its topics' stats, its
    notifications, its search entry and funders' alerts."""
    event = ProposalEvent.objects.create(proposal=proposal, kind=kind, actor=actor,
                                         created_at=now, **fields)
    publish(PROPOSAL_EVENT, event=event)
    return event


@transaction.atomic
def proposal_move(*, proposal: Proposal, to: str, actor, note: str = "",
                  reason: str = "") -> ProposalEvent:
    """Move `proposal` to stage `to` on behalf of `actor`; the one door for stage changes.

    Checks in order: the TRANSITIONS table (409 invalid_transition), the actor's permission
    (403), a note over its registry.core.limits maximum, a required note or withdrawal reason
    (400), the stage gate (409 stage_gate with `missing`). `proposal` is the copy the actor
    saw: the UPDATE matches its stage and version, so of two concurrent moves one wins and the
    other raises StaleStage (409 stale_version).

    Side effects: updates stage, stage_changed_at, owner, withdraw_reason and version (also on
    `proposal` in memory); on a move to owner the actor's pending invitation becomes accepted
    and the actor the owner; leaving the proposal stage otherwise withdraws a pending
    invitation; writes one ProposalEvent(kind=moved) and returns it.
    Notifications: the event's followers hear of the move (see _event).
    """
    frm = proposal.stage
    move = TRANSITIONS.get((frm, to))
    if move is None:
        raise InvalidTransition(_("A proposal cannot move from %(from)s to %(to)s.") % {
            "from": _stage_label(frm), "to": _stage_label(to)})
    if not move.allowed(actor, proposal):
        if to == Stage.OWNER:
            raise NotAllowed(_("Only the invited person can become the owner, by accepting the "
                               "owner invitation."))
        raise NotAllowed(_("You are not allowed to move this proposal to %(stage)s.")
                         % {"stage": _stage_label(to)})
    _check_note(note)
    note = note.strip()
    if move.needs_note(actor, proposal) and not note:
        raise ValidationFailed(fields={"note": [str(NOTE_NEEDED.get(to, _("Say why.")))]})
    if move.needs_reason and reason not in WithdrawReason.values:
        raise ValidationFailed(fields={"reason": [_("Choose a reason for withdrawing.")]})
    if move.gate and (missing := move.gate(proposal)):
        raise StageGate(missing)

    now = timezone.now()
    changes = {"stage": to, "stage_changed_at": now}
    if to == Stage.OWNER:
        changes["owner"] = actor
    elif frm == Stage.OWNER and to == Stage.PROPOSAL:
        changes["owner"] = None
    if to == Stage.WITHDRAWN:
        changes["withdraw_reason"] = reason
    updated = Proposal.objects.filter(pk=proposal.pk, stage=frm, version=proposal.version).update(
        **changes, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise StaleStage()
    if to == Stage.OWNER:
        accepted = OwnerInvitation.objects.filter(
            proposal=proposal, invitee=actor, state=OwnerInvitation.State.PENDING
        ).update(state=OwnerInvitation.State.ACCEPTED, answered_at=now)
        if accepted != 1:
            raise InvitationNotPending()
    elif frm == Stage.PROPOSAL:
        for invitation in OwnerInvitation.objects.filter(
            proposal=proposal, state=OwnerInvitation.State.PENDING
        ):
            _invitation_close(invitation, state=OwnerInvitation.State.WITHDRAWN, actor=actor,
                              now=now, note=MOVED_NOTE % {"stage": to})
    for name, value in changes.items():
        setattr(proposal, name, value)
    proposal.version += 1
    proposal.updated_at = now
    return _event(proposal, ProposalEvent.Kind.MOVED, actor=actor, now=now, from_stage=frm,
                  to_stage=to, note=note, reason=reason if to == Stage.WITHDRAWN else "")


def _stage_label(stage: str) -> str:
    """A stage's name in the active language; anything else (a stage asked for that does not
    exist) as it was sent."""
    return str(Stage(stage).label) if stage in Stage.values else stage


def _clean_steps(steps: Iterable[str]) -> list[str]:
    return [step.strip() for step in steps if step.strip()]


def _check_limits(values: dict) -> None:
    """Raise ValidationFailed naming every field of `values` over its registry.core.limits maximum
    (text length; the number of steps, co-authors, related topics or supporting writeups;
    each step's length), an empty title, or a language Gapmap does not speak (blank is
    allowed: unknown). Lists must be lists: check them before resolving their items."""
    errors = FieldErrors()
    if values.get("language", "") != "" and supported_language(values["language"]) is None:
        errors.add("language", _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(code for code, _name in settings.LANGUAGES)})
    for name in TEXT_FIELDS:
        if name in values:
            errors.text(name, values[name], max_length=max_length("proposal", name),
                        required=name == "title")
    for name in LIST_FIELDS:
        if name in values:
            errors.count(name, values[name], max_items=max_items("proposal", name))
    step_limit = max_length("proposal", "step")
    long_steps = [n for n, step in enumerate(values.get("steps", ()), start=1)
                  if len(step.strip()) > step_limit]
    if long_steps and "steps" not in errors.fields:
        errors.add("steps", ngettext(
            "Keep each step to %(limit)s characters or fewer (step %(steps)s is longer).",
            "Keep each step to %(limit)s characters or fewer (steps %(steps)s are longer).",
            len(long_steps)) % {"limit": number_format(step_limit, force_grouping=True),
                                "steps": ", ".join(map(str, long_steps[:5]))})
    for n, step in enumerate(values.get("steps", ()), start=1):
        if "steps" not in errors.fields and (problem := control_character_problem(step)):
            errors.add("steps", _("Step %(number)s: %(problem)s") % {"number": n,
                                                                     "problem": problem})
    errors.raise_if_any()


def _check_relations(person, *, topic=None, related_topics=None,
                     supporting_writeups=None) -> None:
    """Raise ValidationFailed naming each field that points at something `person` may not
    attach: a topic that is not listed (or is hidden from them), a writeup that is not
    published (or deleted, or hidden from them). Forms and the API offer only these; this is
    the rule itself, whoever calls."""
    errors = FieldErrors()
    topics = [topic] if topic is not None else []
    listed = set(topics_visible_to(person).filter(
        state=Topic.State.LISTED, pk__in=[t.pk for t in [*topics, *(related_topics or ())]]
    ).values_list("pk", flat=True))
    if topic is not None and topic.pk not in listed:
        errors.add("topic", _("Choose a listed topic."))
    if any(t.pk not in listed for t in related_topics or ()):
        errors.add("related_topics", _("Choose listed topics only."))
    if supporting_writeups:
        published = set(writeups_visible_to(person).filter(
            published_at__isnull=False, deleted_at__isnull=True,
            pk__in=[w.pk for w in supporting_writeups]).values_list("pk", flat=True))
        if any(w.pk not in published for w in supporting_writeups):
            errors.add("supporting_writeups", _("Choose published writeups only."))
    errors.raise_if_any()


def _check_note(note: str) -> None:
    errors = FieldErrors()
    errors.text("note", note, max_length=max_length("proposal", "note"), required=False)
    errors.raise_if_any()


def _check_co_authors(co_authors, *, author_id: int, owner_id: int | None = None) -> None:
    """The author and the owner already take part, so neither can be invited to co-author."""
    errors = []
    if any(person.pk == author_id for person in co_authors):
        errors.append(_("The author cannot also be a co-author."))
    if owner_id is not None and any(person.pk == owner_id for person in co_authors):
        errors.append(_("The owner cannot also be a co-author."))
    if errors:
        raise ValidationFailed(fields={"co_authors": errors})


@transaction.atomic
def proposal_create(*, topic, author, title: str, language: str = "", analysis: str = "",
                    ask: str = "", target: str = "", steps: Iterable[str] = (),
                    cost_range: str = "", time_horizon: str = "", related_topics=(),
                    co_authors=(), supporting_writeups=()) -> Proposal:
    """Create a proposal in the analysis stage. `language` is the code (settings.LANGUAGES)
    of the language its text is written in; blank when unknown.

    Raises ValidationFailed naming each field that is empty (title), a language Gapmap does
    not speak, a field over its registry.core.limits maximum, a co-author who is the author,
    or a topic or supporting writeup that is not listed or published (_check_relations).
    Side effects: renders analysis to analysis_html, sets related_topics and
    supporting_writeups, writes a `created` event, then invites each of `co_authors` (see
    _co_authors_change): nobody becomes a co-author here.
    """
    steps, related_topics, co_authors, supporting_writeups = (
        list(steps), list(related_topics), list(co_authors), list(supporting_writeups))
    _check_limits({"title": title, "language": language, "analysis": analysis, "ask": ask,
                   "target": target, "cost_range": cost_range, "time_horizon": time_horizon,
                   "steps": steps, "related_topics": related_topics, "co_authors": co_authors,
                   "supporting_writeups": supporting_writeups})
    _check_co_authors(co_authors, author_id=author.pk)
    _check_relations(author, topic=topic, related_topics=related_topics,
                     supporting_writeups=supporting_writeups)
    now = timezone.now()
    proposal = Proposal.objects.create(
        topic=topic, author=author, title=title.strip(), language=language, analysis=analysis,
        analysis_html=render_markdown(analysis), renderer_version=RENDERER_VERSION,
        ask=ask.strip(), target=target.strip(), steps=_clean_steps(steps),
        cost_range=cost_range.strip(), time_horizon=time_horizon.strip(),
        stage=Stage.ANALYSIS, stage_changed_at=now,
    )
    proposal.related_topics.set([t for t in related_topics if t.pk != topic.pk])
    proposal.supporting_writeups.set(supporting_writeups)
    _event(proposal, ProposalEvent.Kind.CREATED, actor=author, now=now, to_stage=Stage.ANALYSIS)
    _co_authors_change(proposal, co_authors, actor=author, now=now)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, actor, expected_version: int | None = None,
                    **changes) -> Proposal:
    """Change content fields (CONTENT_FIELDS, plus topic and the M2Ms related_topics,
    co_authors and supporting_writeups).

    `expected_version` is the version the actor edited (If-Match, or the form's hidden
    field); None means the version of `proposal`. Raises NotAllowed (403) for non-editors and
    for co-author changes by anyone but the author or a moderator, ValidationFailed (400)
    naming each changed field that is empty (title), over its registry.core.limits maximum
    or a language Gapmap does not speak (before anything is rendered or written),
    WrongStage (409) on a closed proposal, StageGate (409) when past analysis and the edit
    removes a gate part, StaleVersion (412) when the stored version differs.

    Side effects: re-renders analysis_html; bumps version with a conditional UPDATE; updates
    `proposal` in memory, its search entry, and the stats of the topics it leaves or joins.
    Content edits write no event: the history records stage changes. `co_authors` is everyone
    who should co-author: see _co_authors_change for the invitations, withdrawals and
    removals it makes (each with its event and notification).
    """
    if not permissions.can_edit_proposal(actor, proposal):
        raise NotAllowed(_("Only the proposal's authors and moderators can edit it."))
    changes = {name: list(value) if name in LIST_FIELDS else value
               for name, value in changes.items()}
    _check_limits(changes)
    if "co_authors" in changes:
        if not permissions.can_change_co_authors(actor, proposal):
            raise NotAllowed(_("Only the author can change the co-authors."))
        _check_co_authors(changes["co_authors"], author_id=proposal.author_id,
                          owner_id=proposal.owner_id)
    if not proposal.is_open:
        raise WrongStage(_("A %(stage)s proposal is closed and can no longer be edited.")
                         % {"stage": _stage_label(proposal.stage)})
    _check_relations(actor, topic=changes.get("topic"),
                     related_topics=changes.get("related_topics"),
                     supporting_writeups=changes.get("supporting_writeups"))
    fields = {name: changes[name] for name in (*CONTENT_FIELDS, "topic") if name in changes}
    for name in ("title", "ask", "target", "cost_range", "time_horizon"):
        if name in fields:
            fields[name] = fields[name].strip()
    if "steps" in fields:
        fields["steps"] = _clean_steps(fields["steps"])
    if "analysis" in fields:
        fields["analysis_html"] = render_markdown(fields["analysis"])
        fields["renderer_version"] = RENDERER_VERSION
    after = Proposal(**{name: getattr(proposal, name) for name in ("ask", "target", "steps")})
    for name in ("ask", "target", "steps"):
        if name in fields:
            setattr(after, name, fields[name])
    if proposal.stage != Stage.ANALYSIS and (missing := proposal_gate_missing(after)):
        raise StageGate(missing)

    expected = proposal.version if expected_version is None else expected_version
    topics_before = proposal_topic_ids(proposal)
    now = timezone.now()
    updated = Proposal.objects.filter(pk=proposal.pk, version=expected).update(
        **fields, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise StaleVersion()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.version = expected + 1
    proposal.updated_at = now
    if "related_topics" in changes:
        topic_id = fields["topic"].pk if "topic" in fields else proposal.topic_id
        proposal.related_topics.set([t for t in changes["related_topics"] if t.pk != topic_id])
    if "co_authors" in changes:
        # Timed now that the UPDATE holds the row: an acceptance that went first is earlier.
        _co_authors_change(proposal, changes["co_authors"], actor=actor, now=timezone.now())
    if "supporting_writeups" in changes:
        proposal.supporting_writeups.set(changes["supporting_writeups"])
    publish(PROPOSAL_EDITED, proposal=proposal,
            topic_ids={*topics_before, *proposal_topic_ids(proposal)})
    return proposal


@transaction.atomic
def owner_invite(*, proposal: Proposal, invitee, actor) -> OwnerInvitation:
    """Invite `invitee` to own the effort; the stage moves only when they accept.

    Raises NotAllowed (403) unless the actor may edit the proposal, WrongStage (409) outside
    the proposal stage, ValidationFailed (400) for an author or co-author as invitee,
    InvitationPending (409) when one is already pending.
    Side effects: an OwnerInvitation expiring after GAPMAP_OWNER_INVITE_DAYS, an
    `owner_invited` event.
    """
    if not permissions.can_edit_proposal(actor, proposal):
        raise NotAllowed(_("Only the proposal's authors and moderators can invite an owner."))
    if proposal.stage != Stage.PROPOSAL:
        raise WrongStage(_("An owner can be invited only while the proposal is at the "
                           "proposal stage."))
    if permissions.is_author(invitee, proposal) or permissions.is_co_author(invitee, proposal):
        raise ValidationFailed(fields={"username": [
            _("The owner must be someone other than the proposal's authors.")]})
    return _invitation_create(OwnerInvitation, proposal=proposal, invitee=invitee, actor=actor,
                              now=timezone.now(), kind=ProposalEvent.Kind.OWNER_INVITED,
                              conflict=InvitationPending())


def _invitation_create(model, *, proposal, invitee, actor, now, kind, conflict) -> Invitation:
    """Call inside a transaction. A pending owner or co-author invitation expiring after
    GAPMAP_OWNER_INVITE_DAYS, and its `kind` event. Raises `conflict` when the database's
    one-pending constraint refuses it (a concurrent request invited first)."""
    try:
        with transaction.atomic():
            invitation = model.objects.create(
                proposal=proposal, invitee=invitee, invited_by=actor, created_at=now,
                expires_at=now + timedelta(days=settings.GAPMAP_OWNER_INVITE_DAYS),
            )
    except IntegrityError:
        raise conflict from None
    _event(proposal, kind, actor=actor, now=now, subject=invitee)
    return invitation


def owner_invitation_accept(*, invitation: OwnerInvitation, actor, note: str = ""):
    """The invitee accepts: proposal → owner through proposal_move (which marks the
    invitation accepted). Raises NotAllowed (403) for anyone but the invitee and
    InvitationNotPending (409) for an answered, withdrawn or expired invitation."""
    if not permissions.can_answer_invitation(actor, invitation):
        raise NotAllowed(_("Only the invited person can accept this invitation."))
    if invitation.state != OwnerInvitation.State.PENDING or (
        invitation.expires_at <= timezone.now()
    ):
        raise InvitationNotPending()
    proposal = Proposal.objects.get(pk=invitation.proposal_id)
    return proposal_move(proposal=proposal, to=Stage.OWNER, actor=actor,
                         note=note or ACCEPTED_NOTE)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, actor, note: str = "") -> Invitation:
    """The invitee says no to an owner or a co-author invitation. Raises NotAllowed (403) for
    anyone else, InvitationNotPending (409) once it is answered, withdrawn or expired.
    Side effects: the invitation becomes declined; an event, which tells the authors."""
    if not permissions.can_answer_invitation(actor, invitation):
        raise NotAllowed(_("Only the invited person can decline this invitation."))
    _check_note(note)
    return _invitation_close(invitation, state=Invitation.State.DECLINED, actor=actor,
                             now=timezone.now(), note=note)


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor, note: str = "") -> Invitation:
    """The authors take an owner or a co-author invitation back (who may: see
    permissions.can_withdraw_invitation). Side effects: invitation withdrawn; an event."""
    if not permissions.can_withdraw_invitation(actor, invitation):
        raise NotAllowed(_("You are not allowed to withdraw this invitation."))
    _check_note(note)
    return _invitation_close(invitation, state=Invitation.State.WITHDRAWN, actor=actor,
                             now=timezone.now(), note=note)


owner_invitation_decline = co_author_invitation_decline = invitation_decline
owner_invitation_withdraw = co_author_invitation_withdraw = invitation_withdraw


@transaction.atomic
def owner_invitations_expire(*, now=None) -> int:
    """Expire every pending owner invitation past its expires_at; returns how many. Safe to
    run twice (the second run finds none). Side effects: one `invitation_expired` event each."""
    return _invitations_expire(OwnerInvitation, now=now or timezone.now())


@transaction.atomic
def co_author_invitations_expire(*, now=None) -> int:
    """owner_invitations_expire for co-author invitations (`co_author_expired` events)."""
    return _invitations_expire(CoAuthorInvitation, now=now or timezone.now())


def _invitations_expire(model, *, now) -> int:
    overdue = model.objects.filter(
        state=Invitation.State.PENDING, expires_at__lte=now
    ).select_related("proposal")
    count = 0
    for invitation in overdue:
        _invitation_close(invitation, state=Invitation.State.EXPIRED, actor=None, now=now)
        count += 1
    return count


_CLOSE_EVENT = {
    (OwnerInvitation, Invitation.State.DECLINED): ProposalEvent.Kind.INVITATION_DECLINED,
    (OwnerInvitation, Invitation.State.WITHDRAWN): ProposalEvent.Kind.INVITATION_WITHDRAWN,
    (OwnerInvitation, Invitation.State.EXPIRED): ProposalEvent.Kind.INVITATION_EXPIRED,
    (CoAuthorInvitation, Invitation.State.ACCEPTED): ProposalEvent.Kind.CO_AUTHOR_ACCEPTED,
    (CoAuthorInvitation, Invitation.State.DECLINED): ProposalEvent.Kind.CO_AUTHOR_DECLINED,
    (CoAuthorInvitation, Invitation.State.WITHDRAWN): ProposalEvent.Kind.CO_AUTHOR_WITHDRAWN,
    (CoAuthorInvitation, Invitation.State.EXPIRED): ProposalEvent.Kind.CO_AUTHOR_EXPIRED,
}


def _invitation_close(invitation, *, state, actor, now, note="") -> Invitation:
    """Call inside a transaction. Ends a pending owner or co-author invitation with a
    conditional UPDATE, so a race with accept or another answer leaves exactly one winner,
    and writes its event (_CLOSE_EVENT). An acceptance must also be before expires_at."""
    pending = type(invitation).objects.filter(pk=invitation.pk, state=Invitation.State.PENDING)
    if state == Invitation.State.ACCEPTED:
        pending = pending.filter(expires_at__gt=now)
    if pending.update(state=state, answered_at=now) != 1:
        raise InvitationNotPending()
    invitation.state, invitation.answered_at = state, now
    _event(invitation.proposal, _CLOSE_EVENT[type(invitation), state], actor=actor, now=now,
           subject_id=invitation.invitee_id, note=note)
    return invitation


# --- Co-authors -----------------------------------------------------------------------------

def _co_authors_change(proposal: Proposal, people, *, actor, now) -> None:
    """Call inside the transaction of proposal_create or proposal_update, after their checks.

    `people` is everyone who should co-author. Each of them who is neither a co-author nor
    invited yet gets a CoAuthorInvitation expiring after GAPMAP_OWNER_INVITE_DAYS and a
    `co_author_invited` event (which tells them). A pending invitee left out has the
    invitation withdrawn (`co_author_withdrawn`); a co-author left out is removed
    (`co_author_removed`, which tells them).
    """
    wanted = {person.pk: person for person in people}
    current = set(Proposal.co_authors.through.objects.filter(proposal=proposal)
                  .values_list("user_id", flat=True))
    # Locked, so an answer racing this edit waits for it instead of making it fail.
    pending = {invitation.invitee_id: invitation for invitation in CoAuthorInvitation.objects
               .select_for_update().filter(proposal=proposal, state=Invitation.State.PENDING)}
    for invitation in pending.values():
        if invitation.invitee_id not in wanted:
            invitation.proposal = proposal
            _invitation_close(invitation, state=Invitation.State.WITHDRAWN, actor=actor, now=now)
    if gone := current - set(wanted):
        proposal.co_authors.remove(*gone)
        for person_id in sorted(gone):
            _event(proposal, ProposalEvent.Kind.CO_AUTHOR_REMOVED, actor=actor, now=now,
                   subject_id=person_id)
    for person_id, person in wanted.items():
        if person_id not in current and person_id not in pending:
            _co_author_invite(proposal, person, actor=actor, now=now)


def _co_author_invite(proposal, invitee, *, actor, now) -> Invitation:
    return _invitation_create(
        CoAuthorInvitation, proposal=proposal, invitee=invitee, actor=actor, now=now,
        kind=ProposalEvent.Kind.CO_AUTHOR_INVITED, conflict=InvitationPending(
            _("%(name)s already has a pending invitation to co-author this proposal.")
            % {"name": public_name(invitee)}))


@transaction.atomic
def co_author_invitation_accept(*, invitation: CoAuthorInvitation, actor,
                                note: str = "") -> CoAuthorInvitation:
    """The invitee accepts and becomes a co-author, with the rights that brings
    (permissions.is_co_author).

    Raises NotAllowed (403) for anyone but the invitee, InvitationNotPending (409) for an
    answered, withdrawn or expired invitation, OwnerCannotCoAuthor (409) when the invitee has
    since become the owner. Locks the proposal row first, so an edit of the co-authors and
    the acceptance happen one after the other. Side effects: the invitation accepted, the
    invitee in co_authors, a `co_author_accepted` event that tells the author and makes the
    invitee follow the proposal. The version stays: it counts content edits and moves.
    """
    if not permissions.can_answer_invitation(actor, invitation):
        raise NotAllowed(_("Only the invited person can accept this invitation."))
    _check_note(note)
    proposal = Proposal.objects.select_for_update().get(pk=invitation.proposal_id)
    if permissions.is_owner(actor, proposal):
        raise OwnerCannotCoAuthor()
    now = timezone.now()
    proposal.co_authors.add(actor)
    invitation.proposal = proposal
    return _invitation_close(invitation, state=Invitation.State.ACCEPTED, actor=actor, now=now,
                             note=note)


@transaction.atomic
def co_author_leave(*, proposal: Proposal, actor, note: str = "") -> ProposalEvent:
    """A co-author stops being one (and loses the rights it gave). Raises NotAllowed (403)
    for anyone who is not a co-author. Locks the proposal row, as accepting does. Side
    effects: removed from co_authors, a `co_author_left` event that tells the author."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.can_leave_proposal(actor, proposal):
        raise NotAllowed(_("Only a co-author can leave a proposal."))
    _check_note(note)
    proposal.co_authors.remove(actor)
    return _event(proposal, ProposalEvent.Kind.CO_AUTHOR_LEFT, actor=actor, now=timezone.now(),
                  subject=actor, note=note.strip())


def proposals_rerender() -> int:
    """Re-render the stored analysis_html of every proposal rendered by an older
    RENDERER_VERSION (registry.core.rendering); run by `manage.py rerender_markdown`. Content and
    `version` do not change. Returns how many were re-rendered."""
    count = 0
    stale = Proposal.objects.exclude(renderer_version=RENDERER_VERSION).only("pk", "analysis")
    for proposal in stale.iterator():
        count += Proposal.objects.filter(pk=proposal.pk, analysis=proposal.analysis).update(
            analysis_html=render_markdown(proposal.analysis), renderer_version=RENDERER_VERSION)
    return count
