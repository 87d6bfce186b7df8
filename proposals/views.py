"""Pages. Each view reads with selectors, writes with one service call, and shows a
service's refusal beside the form that caused it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from proposals import permissions, selectors, services
from proposals.forms import (
    AnswerForm,
    BoardFilterForm,
    InviteOwnerForm,
    MoveForm,
    ProposalForm,
)
from proposals.models import OPEN_STAGES, CoAuthorInvitation, OwnerInvitation, Stage
from registry.core.caching import for_visitors
from registry.core.forms import confirmed, form_status, offer_overwrite, submit
from registry.core.throttling import rate_limited
from registry.permissions import is_moderator
from registry.selectors import person_name
from registry.track_records import paged

MOVE_LABELS = {
    Stage.PROPOSAL: gettext_lazy("Move to proposal"),
    Stage.ANALYSIS: gettext_lazy("Move back to analysis"),
    Stage.ADOPTED: gettext_lazy("Mark as adopted"),
    Stage.WITHDRAWN: gettext_lazy("Withdraw…"),
}
# What the real submit of a move that cannot be undone says, behind its confirmation step.
WITHDRAW_YES = gettext_lazy("Yes, withdraw this proposal")


@for_visitors
def board(request):
    """Columns of the most recently moved cards with each column's count, or with ?stage=
    one column's every proposal, BOARD_CARDS_PER_COLUMN a page."""
    form = BoardFilterForm(request.GET or None)
    # Read only when the page's shared fragment is not stored yet
    # (registry.templatetags.shared_cache).
    return render(request, "proposals/board.html",
                  {"form": form, "parts": lambda: _board_parts(request, form)})


def _board_parts(request, form) -> dict:
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = {"cluster": filters["cluster"].slug if filters.get("cluster") else None,
              "topic": filters["topic"].slug if filters.get("topic") else None,
              "target": filters.get("target")}
    parts = {"show_closed": bool(filters.get("closed")), "stage": filters.get("stage")}
    if parts["stage"]:
        parts["page"] = Paginator(
            selectors.proposals_on_board(column=parts["stage"], **wanted),
            selectors.BOARD_CARDS_PER_COLUMN).get_page(request.GET.get("page"))
    else:
        shown = selectors.BOARD_COLUMNS if parts["show_closed"] else OPEN_STAGES
        parts["columns"] = selectors.board_columns(
            selectors.proposals_on_board(**wanted), columns=shown,
            per_column=selectors.BOARD_CARDS_PER_COLUMN)
    return parts


def _move_buttons(user, proposal, failed=None, missing=()):
    """A dict per move the user may make: `to`, `label`, `form` (`failed` is a bound form to
    show again), `confirm` (the real submit's label when the move cannot be undone and asks
    first, else "") and `blocked` (the stage gate still lacks parts: shown disabled)."""
    buttons = []
    for to in services.moves_for(user, proposal):
        label, confirm = MOVE_LABELS.get(to), ""
        if to == Stage.WITHDRAWN:
            confirm = WITHDRAW_YES
        if to == Stage.PROPOSAL and proposal.stage == Stage.OWNER:
            label, confirm = ((_("Step down as owner…"), _("Yes, step down as owner"))
                              if permissions.is_owner(user, proposal)
                              else (_("Remove the owner…"), _("Yes, remove the owner")))
        form = failed if failed is not None and failed.prefix == to else MoveForm(prefix=to)
        buttons.append({"to": to, "label": label, "form": form, "confirm": confirm,
                        "blocked": to == Stage.PROPOSAL and proposal.stage == Stage.ANALYSIS
                        and bool(missing)})
    return buttons


def _detail(request, proposal, *, failed_move=None, invite_form=None, status=200,
            asking=""):
    """The proposal page. `asking` names the confirmation step to show open: a move's stage,
    "leave", or "invitation-<pk>" / "co-author-invitation-<pk>"."""
    user = request.user
    invitation = selectors.pending_invitation(proposal)
    if invitation and not permissions.can_see_invitation(user, invitation):
        invitation = None
    missing = services.proposal_gate_missing(proposal)
    can_edit = permissions.can_edit_proposal(user, proposal)
    context = {
        "proposal": proposal,
        # Prefetched through the viewer's own selectors (_visible_on_page): a hidden
        # writeup or topic is not linked.
        "supporting_writeups": proposal.supporting_writeups.all(),
        "related_topics": proposal.related_topics.all(),
        # The newest first, 20 a page (?history_page=): a proposal moved back and
        # forth for years keeps a page of one length. The same for every viewer of a class:
        # a shared fragment, read only when it is not stored yet.
        "history_parts": lambda: {"events": paged(
            "history", selectors.proposal_events(proposal).order_by("-created_at", "-id"),
            request.GET)},
        "gate": [(part, label, part not in missing)
                 for part, label in services.GATE_PARTS.items()],
        "can_edit": can_edit and proposal.is_open,
        "moves": _move_buttons(user, proposal, failed_move, missing),
        "asking": asking,
        "invitation": invitation,
        "can_answer": invitation and permissions.can_answer_invitation(user, invitation),
        "invite_form": (invite_form or InviteOwnerForm())
        if can_edit and proposal.stage == Stage.PROPOSAL and not invitation else None,
        "co_author_invitations": _co_author_invitations(user, proposal),
        "can_leave": permissions.can_leave_proposal(user, proposal),
    }
    return render(request, "proposals/proposal_detail.html", context, status=status)


def _co_author_invitations(user, proposal):
    """(invitation, may answer, may withdraw) for each pending co-author invitation the user
    may see: the invitee their own, the authors and moderators all (no query: prefetched)."""
    rows = []
    for invitation in proposal.pending_co_author_invitations:
        invitation.proposal = proposal
        if permissions.can_see_invitation(user, invitation):
            rows.append((invitation, permissions.can_answer_invitation(user, invitation),
                         permissions.can_withdraw_invitation(user, invitation)))
    return rows


def _visible(request, pk):
    return get_object_or_404(selectors.proposals_visible_to(request.user, with_hidden=True),
                             pk=pk)


def _visible_on_page(request, pk):
    """_visible, with only the supporting writeups and related topics this viewer may see
    prefetched in place of all of them (the edit form keeps them all), and the pending
    invitations the page shows."""
    # Asked first (the page asks it anyway): each visibility condition below then carries a
    # constant instead of its own subquery on the moderators group.
    is_moderator(request.user)
    proposals = selectors.with_relations_visible_to(
        request.user, selectors.proposals_visible_to(request.user, with_hidden=True))
    return get_object_or_404(selectors.with_pending_owner_invitation(proposals), pk=pk)


@for_visitors
def proposal_detail(request, pk):
    # A hidden proposal's page stays reachable: it shows others the moderation notice.
    return _detail(request, _visible_on_page(request, pk))


@login_required
@rate_limited("post")
def proposal_create(request):
    form = ProposalForm(request.POST or None, user=request.user, live_similar=True,
                        initial={"topic": request.GET.get("topic", ""),
                                 "writeup_q": request.GET.get("writeup_q", "")})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved, proposal = submit(form, lambda: services.proposal_create(
            author=request.user, **data), request=request,
            done=_("Your proposal is saved in the analysis stage."))
        if saved:
            return redirect(proposal)
    return render(request, "proposals/proposal_form.html", {"form": form, "proposal": None},
                  status=form_status(form))


@login_required
@rate_limited("post")
def proposal_edit(request, pk):
    # The co-authors are not prefetched: the author's form reads them with the invitees
    # (selectors.co_author_names), and is_co_author reads them for anyone else.
    proposal = get_object_or_404(selectors.proposals_visible_to(request.user, with_hidden=True)
                                 .prefetch_related(None)
                                 .prefetch_related("related_topics", "supporting_writeups"), pk=pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    may_change = permissions.can_change_co_authors(request.user, proposal)
    form = ProposalForm(request.POST or None, user=request.user, can_change_co_authors=may_change,
                        initial=ProposalForm.initial_for(proposal, with_co_authors=may_change))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        if submit(form, lambda: services.proposal_update(
                proposal=proposal, actor=request.user, expected_version=expected, **data),
                request=request, done=_("Your changes are saved."))[0]:
            return redirect(proposal)
        if form_status(form) == 412:
            proposal.refresh_from_db(fields=["version"])
            offer_overwrite(form, current_version=proposal.version)
    return render(request, "proposals/proposal_form.html", {"form": form, "proposal": proposal},
                  status=form_status(form))


@login_required
@require_POST
def proposal_move(request, pk, to):
    proposal = _visible(request, pk)
    form = MoveForm(request.POST, prefix=to)
    asks_first = any(move["to"] == to and move["confirm"]
                     for move in _move_buttons(request.user, proposal))
    if asks_first and not confirmed(request):
        # The first press only opens the confirmation step, keeping what was typed.
        return _detail(request, _visible_on_page(request, pk), failed_move=form, asking=to)
    if form.is_valid() and submit(form, lambda: services.proposal_move(
            proposal=proposal, to=to, actor=request.user, **form.cleaned_data))[0]:
        messages.success(request, _("The proposal is now at the %(stage)s stage.")
                         % {"stage": proposal.get_stage_display()})
        return redirect(proposal)
    return _detail(request, _visible_on_page(request, pk), failed_move=form,
                   status=form_status(form), asking=to)


@login_required
@require_POST
def owner_invite(request, pk):
    proposal = _visible(request, pk)
    form = InviteOwnerForm(request.POST)
    if form.is_valid() and submit(form, lambda: services.owner_invite(
            proposal=proposal, invitee=form.cleaned_data["username"], actor=request.user),
            request=request,
            done=_("Invitation sent to %(name)s. The stage moves to owner when they accept.")
            % {"name": person_name(form.cleaned_data["username"], request.user)})[0]:
        return redirect(proposal)
    return _detail(request, _visible_on_page(request, pk), invite_form=form,
                   status=form_status(form))


INVITATION_ANSWERS = {
    (OwnerInvitation, "accept"): (services.owner_invitation_accept,
                                  gettext_lazy("You now own this proposal. Thank you.")),
    (CoAuthorInvitation, "accept"): (
        services.co_author_invitation_accept,
        gettext_lazy("You are now a co-author of this proposal. Thank you.")),
    **{(model, "decline"): (services.invitation_decline,
                            gettext_lazy("You declined the invitation."))
       for model in (OwnerInvitation, CoAuthorInvitation)},
    **{(model, "withdraw"): (services.invitation_withdraw,
                             gettext_lazy("The invitation is withdrawn."))
       for model in (OwnerInvitation, CoAuthorInvitation)},
}


@login_required
@require_POST
def invitation_answer(request, pk, answer, model=OwnerInvitation):
    """Accept, decline or withdraw an owner invitation, or (model=CoAuthorInvitation, from
    the URL) a co-author invitation. Withdrawing asks first (registry.core.forms.confirmed)."""
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user, model), pk=pk)
    service, done = INVITATION_ANSWERS[model, answer]
    asking = ""
    if answer == "withdraw" and permissions.can_withdraw_invitation(request.user, invitation):
        asking = f"{'co-author-' if model is CoAuthorInvitation else ''}invitation-{pk}"
    return _button(request, invitation.proposal, done, lambda note: service(
        invitation=invitation, actor=request.user, note=note), asking=asking)


@login_required
@require_POST
def co_author_leave(request, pk):
    """Leave as co-author; asks first (registry.core.forms.confirmed)."""
    proposal = _visible(request, pk)
    return _button(request, proposal, _("You are no longer a co-author of this proposal."),
                   lambda note: services.co_author_leave(proposal=proposal, actor=request.user,
                                                         note=note),
                   asking="leave" if permissions.can_leave_proposal(request.user, proposal)
                   else "")


def _button(request, proposal, done, call, *, asking=""):
    """A button with an optional note on `proposal`'s page: done, back to the page; refused
    (a note over its limit, a Refusal from the service), the page again with the reason at
    the refusal's status. NotAllowed and NotVisible are Django's own 403 and 404
    (registry.core.errors), so they are not caught. `asking` names the confirmation step a
    press without confirm=yes only opens (for someone allowed to go on; others get the 403)."""
    if asking and not confirmed(request):
        return _detail(request, _visible_on_page(request, proposal.pk), asking=asking)
    form = AnswerForm(request.POST)
    if form.is_valid() and submit(form, lambda: call(form.cleaned_data["note"]),
                                  request=request, done=done)[0]:
        return redirect(proposal)
    for message in form.errors.get("__all__", []):
        messages.error(request, message)
    for message in form.errors.get("note", []):
        messages.error(request, _("Note: %(problem)s") % {"problem": message})
    return _detail(request, _visible_on_page(request, proposal.pk), status=form_status(form))
