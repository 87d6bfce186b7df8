"""The proposal page says what each action will do (issue 16, items 4 and 5): the move to the
proposal stage is shown disabled with the checklist as its reason, each missing part links to
its field, the analysis comes before the moves, and the steps that cannot be undone ask first;
people are named by their display names, linked to their profiles; answering an invitation
marks its notification read."""

import re

import pytest

from proposals import services
from proposals.models import CoAuthorInvitation, Invitation, OwnerInvitation, Proposal, Stage
from registry.notifications.models import Notification
from tests.factories import ProposalFactory, UserFactory
from tests.proposals.conftest import move_to


def page(client, proposal) -> str:
    return client.get(proposal.get_absolute_url()).content.decode()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def stage_of(proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).stage


# --- Moving to the proposal stage -------------------------------------------------------------

def test_move_to_proposal_disabled_while_the_gate_has_a_cross(client, alice):
    proposal = ProposalFactory(author=alice, ask="", steps=[])
    client.force_login(alice)
    html = page(client, proposal)
    assert re.findall(r"<button[^>]*>Move to proposal</button>", html) == [
        '<button type="submit" disabled aria-describedby="move-blocked gate-checklist">'
        "Move to proposal</button>"]
    assert 'id="gate-checklist"' in html


def test_move_to_proposal_enabled_once_the_gate_passes(client, alice):
    proposal = ProposalFactory(author=alice)
    client.force_login(alice)
    assert re.findall(r"<button[^>]*>Move to proposal</button>", page(client, proposal)) == [
        '<button type="submit">Move to proposal</button>']


def test_gate_crosses_link_to_the_fields_to_fill(client, alice):
    proposal = ProposalFactory(author=alice, ask="", steps=[])
    client.force_login(alice)
    checklist = page(client, proposal).split('id="gate-checklist">')[1].split("</ul>")[0]
    edit = f"/proposals/{proposal.pk}/edit/"
    assert re.findall(r'<a href="([^"]+)">', checklist) == [f"{edit}#id_ask", f"{edit}#id_steps"]
    form = client.get(edit).content.decode()
    assert 'id="id_ask"' in form and 'id="id_steps"' in form  # the anchors land on the fields


def test_gate_crosses_are_not_links_for_a_visitor(client, alice):
    proposal = ProposalFactory(author=alice, ask="", steps=[])
    checklist = page(client, proposal).split('id="gate-checklist">')[1].split("</ul>")[0]
    assert "<a " not in checklist


def test_forged_move_past_the_gate_is_still_refused(client, alice):
    proposal = ProposalFactory(author=alice, ask="")
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/proposal/")
    assert (response.status_code, stage_of(proposal)) == (409, Stage.ANALYSIS)
    assert "missing: ask." in response.content.decode()


def test_analysis_comes_before_the_moves(client, alice):
    proposal = ProposalFactory(author=alice, analysis="Why this matters.")
    client.force_login(alice)
    html = page(client, proposal)
    assert html.index('id="h-ask"') < html.index('id="h-analysis"') < html.index(
        'id="h-gate"') < html.index('id="h-moves"')


# --- Steps that ask first ----------------------------------------------------------------------

def test_withdraw_is_behind_a_confirmation_step(client, alice):
    proposal = ProposalFactory(author=alice)
    client.force_login(alice)
    html = squeeze(page(client, proposal))
    step = re.search(r'<details class="confirm card">\s*<summary class="button secondary">'
                     r"Withdraw…</summary>(.*?)</details>", html).group(1)
    assert re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', step) == [
        "Yes, withdraw this proposal"]
    assert '<input type="hidden" name="confirm" value="yes">' in step
    assert 'class="danger"' in step


def test_withdraw_first_press_only_opens_the_confirmation(client, alice):
    proposal = ProposalFactory(author=alice)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/withdrawn/",
                           {"withdrawn-reason": "duplicate", "withdrawn-note": "Typed note"})
    html = squeeze(response.content.decode())
    assert (response.status_code, stage_of(proposal)) == (200, Stage.ANALYSIS)
    assert '<details class="confirm card" open> <summary class="button secondary">Withdraw…' in html
    assert "Typed note" in html


def test_withdraw_confirmed_withdraws(client, alice):
    proposal = ProposalFactory(author=alice)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/withdrawn/",
                           {"withdrawn-reason": "duplicate", "confirm": "yes"})
    assert (response.status_code, stage_of(proposal)) == (302, Stage.WITHDRAWN)


def test_withdraw_by_an_outsider_is_refused_not_asked(client, alice, charlie):
    proposal = ProposalFactory(author=alice)
    client.force_login(charlie)
    response = client.post(f"/proposals/{proposal.pk}/move/withdrawn/",
                           {"withdrawn-reason": "duplicate"})
    assert (response.status_code, stage_of(proposal)) == (403, Stage.ANALYSIS)


def test_step_down_asks_first(client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.OWNER, owner=dave)
    client.force_login(dave)
    url = f"/proposals/{proposal.pk}/move/proposal/"
    asked = client.post(url)
    assert (asked.status_code, stage_of(proposal)) == (200, Stage.OWNER)
    assert "Step down as owner…" in asked.content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert stage_of(proposal) == Stage.PROPOSAL


def test_leave_as_co_author_asks_first(client, proposal, bob):
    client.force_login(bob)
    asked = client.post(f"/proposals/{proposal.pk}/leave/")
    assert (asked.status_code, list(proposal.co_authors.all())) == (200, [bob])
    assert '<details class="confirm" open>' in asked.content.decode()
    client.post(f"/proposals/{proposal.pk}/leave/", {"confirm": "yes"})
    assert list(proposal.co_authors.all()) == []


@pytest.mark.parametrize("model", [OwnerInvitation, CoAuthorInvitation])
def test_withdrawing_an_invitation_asks_first(model, client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    if model is OwnerInvitation:
        services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
        url = "/proposals/invitations/{}/withdraw/"
    else:
        services.proposal_update(proposal=proposal, actor=alice, co_authors=[dave])
        url = "/proposals/co-author-invitations/{}/withdraw/"
    invitation = model.objects.get(invitee=dave)
    client.force_login(alice)
    asked = client.post(url.format(invitation.pk))
    assert asked.status_code == 200
    assert squeeze(asked.content.decode()).count('<details class="confirm" open>') == 1
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING
    client.post(url.format(invitation.pk), {"confirm": "yes"})
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN


# --- One name per person -------------------------------------------------------------------------

def test_history_names_people_by_display_name_linked(client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    history = squeeze(page(client, proposal).split('id="h-history"')[1])
    assert ('<a href="/people/alice/">Alice</a> invited <a href="/people/dave/">Dave</a> to own'
            " it") in history
    assert 'created by <a href="/people/alice/">Alice</a>' in history
    assert ">alice<" not in history and ">dave<" not in history


def test_pending_invitations_and_co_authors_are_display_names_linked(client, alice, bob, dave):
    proposal = move_to(ProposalFactory(author=alice, co_authors=[bob]), Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(alice)
    html = squeeze(page(client, proposal))
    assert ('Invitation pending: <a href="/people/dave/">Dave</a> is invited to own this '
            "proposal.") in html
    assert ('by <a href="/people/alice/">Alice</a>, <a href="/people/bob/">Bob</a>') in html


def test_hidden_profile_shows_its_username_in_history(client, alice, dave):
    dave.profile.hidden = True
    dave.profile.save()
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    history = squeeze(page(client, proposal).split('id="h-history"')[1])
    assert 'invited <a href="/people/dave/">dave</a> to own it' in history


# --- Answering marks the invitation's notification read ----------------------------------------

def unread(person, kind) -> int:
    return Notification.objects.filter(recipient=person, kind=kind, read_at__isnull=True).count()


def test_owner_invitee_hears_invited_you_to_own(alice, dave):
    proposal = move_to(ProposalFactory(author=alice, title="Audit duty"), Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    assert list(Notification.objects.filter(recipient=dave).values_list("text", flat=True)) == [
        "Alice invited you to own “Audit duty”. Accept or decline on its page."]


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_an_owner_invitation_marks_its_notification_read(answer, client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    assert unread(dave, "invitation_sent") == 1
    client.force_login(dave)
    client.post(f"/proposals/invitations/{invitation.pk}/{answer}/")
    assert unread(dave, "invitation_sent") == 0


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_a_co_author_invitation_marks_only_its_notification_read(answer, client,
                                                                          alice):
    carol = UserFactory(username="carol")
    proposal, other = ProposalFactory(author=alice), ProposalFactory(author=alice)
    for each in (proposal, other):
        services.proposal_update(proposal=each, actor=alice, co_authors=[carol])
    assert unread(carol, "co_author_invited") == 2
    invitation = CoAuthorInvitation.objects.get(proposal=proposal)
    client.force_login(carol)
    client.post(f"/proposals/co-author-invitations/{invitation.pk}/{answer}/")
    assert list(Notification.objects.filter(recipient=carol, read_at__isnull=True)
                .values_list("proposal", flat=True)) == [other.pk]


def test_board_card_and_topic_page_link_the_owner_by_name(client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.OWNER, owner=dave)
    card = squeeze(client.get("/proposals/").content.decode())
    assert '<dt>Owner</dt><dd><a href="/people/dave/">Dave</a></dd>' in card
    topic_page = squeeze(client.get(proposal.topic.get_absolute_url()).content.decode())
    assert '— owned by <a href="/people/dave/">Dave</a>' in topic_page


def test_invitation_flash_names_the_invitee(client, alice, dave):
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "dave"},
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Invitation sent to Dave. The stage moves to owner when they accept."]
