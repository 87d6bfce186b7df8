"""Proposal pages answer a service's refusal with its own status, the reason on the page and
what was typed kept (registry.core.forms.submit); not allowed is Django's 403."""

import pytest

from proposals import services
from proposals.models import Stage
from registry.core.limits import max_length
from tests.factories import ProposalFactory


def test_edit_with_a_stale_version_is_412_keeping_the_typing(client, alice, proposal):
    services.proposal_update(proposal=proposal, actor=alice, title="Theirs")
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/edit/", {
        "topic": proposal.topic.slug, "title": "Mine, typed", "analysis": "", "ask": "",
        "target": "", "steps": "", "cost_range": "", "time_horizon": "", "version": 1})
    assert response.status_code == 412
    body = response.content.decode()
    assert "Someone changed this since you loaded it." in body
    assert 'value="Mine, typed"' in body


def test_move_past_the_gate_is_409_beside_the_move(client, alice):
    proposal = ProposalFactory(author=alice, ask="", target="", steps=[])
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/proposal/", {"proposal-note": ""})
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.stage == Stage.ANALYSIS


def test_move_by_an_outsider_is_403(client, charlie, proposal):
    client.force_login(charlie)
    response = client.post(f"/proposals/{proposal.pk}/move/withdrawn/",
                           {"withdrawn-reason": "duplicate", "withdrawn-note": ""})
    assert response.status_code == 403


def test_inviting_the_author_as_owner_is_refused_on_the_page(client, alice, at_stage):
    proposal = at_stage(Stage.PROPOSAL)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "alice"})
    assert response.status_code == 400
    assert proposal.owner_invitations.count() == 0


def test_answering_an_answered_invitation_is_409_with_the_reason(client, alice, dave,
                                                                   at_stage):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    services.invitation_decline(invitation=invitation, actor=dave)
    client.force_login(dave)
    response = client.post(f"/proposals/invitations/{invitation.pk}/accept/", {"note": ""})
    assert response.status_code == 409
    assert ('<li class="message error">This invitation has already been answered, withdrawn '
            'or has expired.</li>') in response.content.decode()


def test_an_over_long_note_is_400_and_named(client, alice, dave, at_stage):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(dave)
    limit = max_length("proposal", "note")
    response = client.post(f"/proposals/invitations/{invitation.pk}/decline/",
                           {"note": "n" * (limit + 1)})
    assert response.status_code == 400
    assert "Note: Ensure this value has at most" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "pending"


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_someone_elses_invitation_is_not_allowed(client, alice, charlie, dave,
                                                           at_stage, answer):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(charlie)
    response = client.post(f"/proposals/invitations/{invitation.pk}/{answer}/", {"note": ""})
    assert response.status_code == 404


def test_saving_again_after_a_412_replaces_the_other_change_on_purpose(client, alice,
                                                                        proposal):
    services.proposal_update(proposal=proposal, actor=alice, title="Theirs")
    client.force_login(alice)
    typed = {"topic": proposal.topic.slug, "title": "Mine, typed", "analysis": "", "ask": "",
             "target": "", "steps": "", "cost_range": "", "time_horizon": "", "version": 1}
    stale = client.post(f"/proposals/{proposal.pk}/edit/", typed)
    assert stale.status_code == 412
    assert 'name="version" value="2"' in stale.content.decode()
    assert "Save again to replace their change with yours" in stale.content.decode()

    again = client.post(f"/proposals/{proposal.pk}/edit/", {**typed, "version": 2})
    assert again.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == ("Mine, typed", 3)
