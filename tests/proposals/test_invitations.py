"""Owner consent: the stage reaches `owner` only when the invited person accepts."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from proposals import services
from proposals.errors import InvitationNotPending, InvitationPending, WrongStage
from proposals.models import OwnerInvitation, Proposal, ProposalEvent, Stage
from registry.core.errors import NotAllowed, ValidationFailed
from tests.factories import co_author_add


@pytest.fixture
def invitation(at_stage, alice, dave):
    return services.owner_invite(proposal=at_stage(Stage.PROPOSAL), invitee=dave, actor=alice)


def test_owner_invite_accepted_makes_invitee_owner(invitation, dave):
    services.owner_invitation_accept(invitation=invitation, actor=dave)
    proposal = Proposal.objects.get(pk=invitation.proposal_id)
    invitation.refresh_from_db()
    assert (proposal.stage, proposal.owner, invitation.state) == (
        Stage.OWNER, dave, OwnerInvitation.State.ACCEPTED)


def test_owner_invite_expires_after_configured_days(settings, at_stage, alice, dave):
    settings.GAPMAP_OWNER_INVITE_DAYS = 3
    invitation = services.owner_invite(proposal=at_stage(Stage.PROPOSAL), invitee=dave,
                                       actor=alice)
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)


def test_author_cannot_move_own_proposal_to_owner(invitation, alice, bob, moderator):
    proposal = Proposal.objects.get(pk=invitation.proposal_id)
    for person in (alice, bob, moderator):
        with pytest.raises(NotAllowed) as caught:
            services.proposal_move(proposal=proposal, to=Stage.OWNER, actor=person)
        assert caught.value.status == 403
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.PROPOSAL


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_invite_refuses_an_author_as_invitee(who, at_stage, alice, request):
    with pytest.raises(ValidationFailed) as caught:
        services.owner_invite(proposal=at_stage(Stage.PROPOSAL),
                              invitee=request.getfixturevalue(who), actor=alice)
    assert caught.value.fields == {"username": [
        "The owner must be someone other than the proposal's authors."]}


def test_owner_invitation_accept_refused_once_invitee_became_co_author(invitation, dave):
    co_author_add(invitation.proposal, dave)
    with pytest.raises(NotAllowed):
        services.owner_invitation_accept(invitation=invitation, actor=dave)
    assert Proposal.objects.get(pk=invitation.proposal_id).stage == Stage.PROPOSAL


def test_owner_invite_refused_outside_proposal_stage(proposal, alice, dave):
    with pytest.raises(WrongStage) as caught:
        services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    assert (caught.value.status, caught.value.code) == (409, "wrong_stage")


def test_owner_invite_refused_for_outsider(at_stage, charlie, dave):
    with pytest.raises(NotAllowed):
        services.owner_invite(proposal=at_stage(Stage.PROPOSAL), invitee=dave, actor=charlie)


def test_owner_invite_only_one_pending(invitation, alice, charlie):
    with pytest.raises(InvitationPending) as caught:
        services.owner_invite(proposal=invitation.proposal, invitee=charlie, actor=alice)
    assert (caught.value.status, caught.value.code) == (409, "invitation_pending")
    assert OwnerInvitation.objects.filter(proposal=invitation.proposal).count() == 1


def test_one_pending_invitation_is_a_database_constraint(invitation, charlie, alice):
    with pytest.raises(IntegrityError):
        OwnerInvitation.objects.create(
            proposal=invitation.proposal, invitee=charlie, invited_by=alice,
            created_at=timezone.now(), expires_at=timezone.now())


def test_owner_invitation_decline_leaves_stage_and_allows_new_invite(invitation, dave, alice,
                                                                    charlie):
    services.owner_invitation_decline(invitation=invitation, actor=dave)
    invitation.refresh_from_db()
    assert invitation.state == OwnerInvitation.State.DECLINED
    assert Proposal.objects.get(pk=invitation.proposal_id).stage == Stage.PROPOSAL
    again = services.owner_invite(proposal=invitation.proposal, invitee=charlie, actor=alice)
    assert again.state == OwnerInvitation.State.PENDING


def test_owner_invitation_declined_cannot_be_accepted(invitation, dave):
    services.owner_invitation_decline(invitation=invitation, actor=dave)
    with pytest.raises(InvitationNotPending) as caught:
        services.owner_invitation_accept(invitation=invitation, actor=dave)
    assert (caught.value.status, caught.value.code) == (409, "invitation_not_pending")


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "moderator"])
def test_owner_invitation_accept_and_decline_only_by_invitee(who, invitation, request):
    person = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.owner_invitation_accept(invitation=invitation, actor=person)
    with pytest.raises(NotAllowed):
        services.owner_invitation_decline(invitation=invitation, actor=person)
    invitation.refresh_from_db()
    assert invitation.state == OwnerInvitation.State.PENDING


@pytest.mark.parametrize("who", ["alice", "bob", "moderator"])
def test_owner_invitation_withdraw_by_authors(who, invitation, dave, request):
    services.owner_invitation_withdraw(invitation=invitation,
                                       actor=request.getfixturevalue(who))
    invitation.refresh_from_db()
    assert invitation.state == OwnerInvitation.State.WITHDRAWN
    with pytest.raises(InvitationNotPending):
        services.owner_invitation_accept(invitation=invitation, actor=dave)


@pytest.mark.parametrize("who", ["dave", "charlie"])
def test_owner_invitation_withdraw_refused_for_others(who, invitation, request):
    with pytest.raises(NotAllowed):
        services.owner_invitation_withdraw(invitation=invitation,
                                           actor=request.getfixturevalue(who))


def test_owner_invitations_expire_only_overdue_and_only_once(invitation):
    assert services.owner_invitations_expire(
        now=invitation.expires_at - timedelta(seconds=1)) == 0
    assert services.owner_invitations_expire(now=invitation.expires_at) == 1
    assert services.owner_invitations_expire(now=invitation.expires_at) == 0
    invitation.refresh_from_db()
    assert invitation.state == OwnerInvitation.State.EXPIRED
    last = ProposalEvent.objects.filter(proposal=invitation.proposal).last()
    assert (last.kind, last.actor, last.created_at) == (
        ProposalEvent.Kind.INVITATION_EXPIRED, None, invitation.expires_at)


def test_owner_invitation_accept_refused_after_expiry_time(invitation, dave):
    OwnerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    invitation.refresh_from_db()
    with pytest.raises(InvitationNotPending):
        services.owner_invitation_accept(invitation=invitation, actor=dave)
    assert Proposal.objects.get(pk=invitation.proposal_id).stage == Stage.PROPOSAL
