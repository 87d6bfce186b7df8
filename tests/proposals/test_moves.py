"""The one door: proposal_move against the transition table, the gate and the version."""

import itertools

import pytest

from proposals import services
from proposals.errors import InvalidTransition, StageGate, StaleStage
from proposals.models import OwnerInvitation, Proposal, ProposalEvent, Stage
from registry.core.errors import NotAllowed, ValidationFailed
from tests.factories import ProposalFactory

A, P, OW, AD, W = Stage.ANALYSIS, Stage.PROPOSAL, Stage.OWNER, Stage.ADOPTED, Stage.WITHDRAWN
# Written out by hand from the issue, so a change to services.TRANSITIONS shows up here.
ALLOWED = {(A, P), (P, A), (P, OW), (OW, P), (OW, AD), (A, W), (P, W), (OW, W)}
ALL_PAIRS = list(itertools.product(Stage.values, repeat=2))


def test_transition_table_is_exactly_the_allowed_moves():
    assert set(services.TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("frm", "to"), ALL_PAIRS)
def test_move_every_pair_follows_the_table(frm, to, at_stage, alice, dave, moderator):
    proposal = at_stage(frm)
    before = ProposalEvent.objects.filter(proposal=proposal).count()
    if (frm, to) not in ALLOWED:
        # Even a moderator cannot make a move that is not in the table.
        with pytest.raises(InvalidTransition) as caught:
            services.proposal_move(proposal=proposal, to=to, actor=moderator, note="n",
                                   reason="other")
        assert (caught.value.status, caught.value.code) == (409, "invalid_transition")
        assert Proposal.objects.get(pk=proposal.pk).stage == frm
        assert ProposalEvent.objects.filter(proposal=proposal).count() == before
        return
    actor, note, reason = alice, "", ""
    if (frm, to) == (P, OW):
        services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
        before += 1
        actor = dave
    elif frm == OW and to != W:
        actor, note = dave, "Handing over."
    if to == W:
        reason = "superseded"

    event = services.proposal_move(proposal=proposal, to=to, actor=actor, note=note,
                                   reason=reason)

    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.stage == to
    assert (event.from_stage, event.to_stage, event.actor, event.kind) == (
        frm, to, actor, ProposalEvent.Kind.MOVED)
    assert ProposalEvent.objects.filter(proposal=proposal).count() == before + 1


def test_move_to_proposal_gate_names_each_missing_part(alice):
    proposal = ProposalFactory(author=alice, ask="  ", target="", steps=[])
    with pytest.raises(StageGate) as caught:
        services.proposal_move(proposal=proposal, to=P, actor=alice)
    assert (caught.value.status, caught.value.code) == (409, "stage_gate")
    assert caught.value.extra == {"missing": ["ask", "target", "steps"]}
    assert Proposal.objects.get(pk=proposal.pk).stage == A


@pytest.mark.parametrize(("fields", "missing"), [
    ({"ask": ""}, ["ask"]),
    ({"target": ""}, ["target"]),
    ({"steps": []}, ["steps"]),
    ({"steps": ["   "]}, ["steps"]),
    ({"ask": "", "steps": []}, ["ask", "steps"]),
])
def test_proposal_gate_missing_lists_exactly_the_absent_parts(fields, missing):
    proposal = Proposal(ask="Ask.", target="A lab", steps=["One"])
    for name, value in fields.items():
        setattr(proposal, name, value)
    assert services.proposal_gate_missing(proposal) == missing


def test_move_to_proposal_with_everything_present_passes_gate(proposal, alice):
    assert services.proposal_gate_missing(proposal) == []
    services.proposal_move(proposal=proposal, to=P, actor=alice)
    assert Proposal.objects.get(pk=proposal.pk).stage == P


def test_move_to_adopted_needs_an_outcome_note(at_stage, dave):
    proposal = at_stage(OW)
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_move(proposal=proposal, to=AD, actor=dave, note="  ")
    assert caught.value.fields == {"note": [
        "Say how it was adopted: by whom, and what they committed to."]}


def test_move_to_withdrawn_needs_a_reason(proposal, alice):
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_move(proposal=proposal, to=W, actor=alice, reason="bored")
    assert caught.value.fields == {"reason": ["Choose a reason for withdrawing."]}
    services.proposal_move(proposal=proposal, to=W, actor=alice, reason="done_elsewhere",
                           note="Another group did it.")
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.stage, stored.withdraw_reason) == (W, "done_elsewhere")


def test_move_owner_removed_by_author_needs_note_and_clears_owner(at_stage, alice):
    proposal = at_stage(OW)
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_move(proposal=proposal, to=P, actor=alice)
    assert caught.value.fields == {"note": [
        "Say why you remove the owner. It shows in the proposal's history."]}
    services.proposal_move(proposal=proposal, to=P, actor=alice, note="No reply for months.")
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.stage, stored.owner) == (P, None)


def test_move_owner_steps_down_without_note(at_stage, dave):
    proposal = at_stage(OW)
    services.proposal_move(proposal=proposal, to=P, actor=dave)
    assert Proposal.objects.get(pk=proposal.pk).owner is None


@pytest.mark.parametrize("who", ["alice", "bob", "moderator"])
def test_move_analysis_to_proposal_allowed_for_authors_and_moderator(who, proposal, request):
    services.proposal_move(proposal=proposal, to=P, actor=request.getfixturevalue(who))
    assert Proposal.objects.get(pk=proposal.pk).stage == P


@pytest.mark.parametrize("who", ["charlie", "dave"])
def test_move_analysis_to_proposal_refused_for_others(who, proposal, request):
    with pytest.raises(NotAllowed):
        services.proposal_move(proposal=proposal, to=P, actor=request.getfixturevalue(who))
    assert Proposal.objects.get(pk=proposal.pk).stage == A


def test_move_to_adopted_refused_for_co_author(at_stage, bob):
    proposal = at_stage(OW)
    with pytest.raises(NotAllowed):
        services.proposal_move(proposal=proposal, to=AD, actor=bob, note="Done.")


def test_move_from_stale_copy_is_rejected_by_conditional_update(proposal, alice, bob):
    stale = Proposal.objects.get(pk=proposal.pk)
    services.proposal_move(proposal=proposal, to=P, actor=alice)

    with pytest.raises(StaleStage) as caught:
        services.proposal_move(proposal=stale, to=W, actor=bob, reason="other")

    assert (caught.value.status, caught.value.code) == (409, "stale_version")
    assert Proposal.objects.get(pk=proposal.pk).stage == P
    moves = ProposalEvent.objects.filter(proposal=proposal, kind=ProposalEvent.Kind.MOVED)
    assert [(e.from_stage, e.to_stage) for e in moves] == [(A, P)]


def test_move_after_content_edit_from_old_copy_is_stale(proposal, alice):
    stale = Proposal.objects.get(pk=proposal.pk)
    services.proposal_update(proposal=proposal, actor=alice, ask="A different ask.")
    with pytest.raises(StaleStage):
        services.proposal_move(proposal=stale, to=P, actor=alice)


def test_move_bumps_version(proposal, alice):
    assert proposal.version == 1
    services.proposal_move(proposal=proposal, to=P, actor=alice)
    assert (proposal.version, Proposal.objects.get(pk=proposal.pk).version) == (2, 2)


def test_move_leaving_proposal_stage_withdraws_pending_invitation(at_stage, alice, dave):
    proposal = at_stage(P)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    services.proposal_move(proposal=proposal, to=A, actor=alice)
    invitation.refresh_from_db()
    assert invitation.state == OwnerInvitation.State.WITHDRAWN


def test_events_record_the_whole_path_in_order(proposal, alice, dave, charlie):
    services.proposal_move(proposal=proposal, to=P, actor=alice)
    first = services.owner_invite(proposal=proposal, invitee=charlie, actor=alice)
    services.owner_invitation_decline(invitation=first, actor=charlie, note="No time.")
    second = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    services.owner_invitation_accept(invitation=second, actor=dave)
    proposal.refresh_from_db()
    services.proposal_move(proposal=proposal, to=AD, actor=dave, note="The lab adopted it.")

    rows = [(e.kind, e.from_stage, e.to_stage, e.actor.username,
             e.subject.username if e.subject else "", e.note)
            for e in ProposalEvent.objects.filter(proposal=proposal)]
    assert rows == [
        ("created", "", "analysis", "alice", "", ""),
        ("co_author_invited", "", "", "alice", "bob", ""),  # the fixture's co-author
        ("co_author_accepted", "", "", "bob", "bob", ""),
        ("moved", "analysis", "proposal", "alice", "", ""),
        ("owner_invited", "", "", "alice", "charlie", ""),
        ("invitation_declined", "", "", "charlie", "charlie", "No time."),
        ("owner_invited", "", "", "alice", "dave", ""),
        ("moved", "proposal", "owner", "dave", "", "Accepted the owner invitation."),
        ("moved", "owner", "adopted", "dave", "", "The lab adopted it."),
    ]
