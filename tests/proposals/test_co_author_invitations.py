"""Co-authors' consent: naming someone on a proposal invites them; only accepting makes them a
co-author (with the rights that brings). Services, pages, the API and the notifications."""

import datetime
import re

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals import periodic, permissions, selectors, services
from proposals.errors import InvitationNotPending, OwnerCannotCoAuthor
from proposals.forms import ProposalForm
from proposals.models import CoAuthorInvitation, Proposal, ProposalEvent, Stage
from registry.core.errors import NotAllowed, ValidationFailed
from registry.moderation.services import content_hide
from registry.notifications import selectors as notification_selectors
from registry.notifications.models import Notification
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory
from tests.proposals.test_pages import buttons

PENDING, ACCEPTED = CoAuthorInvitation.State.PENDING, CoAuthorInvitation.State.ACCEPTED
DECLINED, WITHDRAWN = CoAuthorInvitation.State.DECLINED, CoAuthorInvitation.State.WITHDRAWN
EXPIRED = CoAuthorInvitation.State.EXPIRED


@pytest.fixture
def carol(db):
    """The person alice names as a second co-author of her proposal."""
    return UserFactory(username="carol")


@pytest.fixture
def invitation(proposal, alice, bob, carol):
    """carol's pending invitation to co-author alice's proposal (bob already co-authors)."""
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, carol])
    return CoAuthorInvitation.objects.get(proposal=proposal, invitee=carol)


def inbox(person):
    return list(Notification.objects.filter(recipient=person).order_by("created_at", "id")
                .values_list("kind", "text"))


def co_author_events(proposal):
    return [(e.kind, e.actor.username if e.actor else None, e.subject.username)
            for e in ProposalEvent.objects.filter(proposal=proposal, kind__startswith="co_author")]


def co_authors(proposal):
    return sorted(Proposal.objects.get(pk=proposal.pk).co_authors.values_list("username",
                                                                               flat=True))


def fresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)


# --- Inviting -------------------------------------------------------------------------------

def test_co_author_named_on_create_is_invited_not_added(alice, bob):
    proposal = services.proposal_create(topic=TopicFactory(), author=alice, title="Audit duty",
                                        co_authors=[bob])

    invitation = CoAuthorInvitation.objects.get(proposal=proposal)
    assert (co_authors(proposal), invitation.invitee, invitation.invited_by, invitation.state) == (
        [], bob, alice, PENDING)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert co_author_events(proposal) == [("co_author_invited", "alice", "bob")]
    assert inbox(bob) == [("co_author_invited", "Alice invited you to co-author “Audit duty”. "
                                                "Accept or decline on its page.")]
    assert permissions.can_edit_proposal(bob, fresh(proposal)) is False


def test_co_author_named_on_update_is_invited_not_added(invitation, proposal, bob, carol):
    assert (co_authors(proposal), invitation.state) == (["bob"], PENDING)
    assert selectors.co_author_invitees(proposal) == [carol]
    assert inbox(carol) == [("co_author_invited", f"Alice invited you to co-author "
                                                  f"“{proposal.title}”. Accept or decline on "
                                                  "its page.")]
    assert permissions.is_co_author(carol, fresh(proposal)) is False


def test_co_author_invitation_expiry_follows_the_owner_invitation_setting(settings, proposal,
                                                                          alice, carol):
    settings.GAPMAP_OWNER_INVITE_DAYS = 3
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[carol])
    invitation = CoAuthorInvitation.objects.get(invitee=carol)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_co_author_invitation_pending_invitee_cannot_edit(invitation, proposal, carol):
    with pytest.raises(NotAllowed):
        services.proposal_update(proposal=fresh(proposal), actor=carol, title="Mine now")
    assert fresh(proposal).title == proposal.title


def test_co_author_invite_refuses_the_author(proposal, alice, bob):
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, alice])
    assert caught.value.fields == {"co_authors": ["The author cannot also be a co-author."]}
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_create(topic=TopicFactory(), author=alice, title="X",
                                 co_authors=[alice])
    assert caught.value.fields == {"co_authors": ["The author cannot also be a co-author."]}
    assert CoAuthorInvitation.objects.filter(invitee=alice).count() == 0


def test_co_author_invite_refuses_the_owner(at_stage, alice, bob, dave):
    proposal = at_stage(Stage.OWNER)
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, dave])
    assert caught.value.fields == {"co_authors": ["The owner cannot also be a co-author."]}
    assert CoAuthorInvitation.objects.filter(invitee=dave).count() == 0


def test_co_author_invite_named_again_makes_no_second_pending_invitation(invitation, proposal,
                                                                         alice, bob, carol):
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, carol],
                             title="Renamed")
    assert CoAuthorInvitation.objects.filter(invitee=carol).count() == 1
    assert co_author_events(proposal).count(("co_author_invited", "alice", "carol")) == 1


def test_one_pending_co_author_invitation_per_person_is_a_database_constraint(invitation, alice,
                                                                             carol):
    with pytest.raises(IntegrityError):
        CoAuthorInvitation.objects.create(
            proposal=invitation.proposal, invitee=carol, invited_by=alice,
            created_at=timezone.now(), expires_at=timezone.now())


@pytest.mark.parametrize("who", ["bob", "charlie", "carol"])
def test_co_author_invite_only_by_author_or_moderator(who, invitation, proposal, request, dave):
    with pytest.raises(NotAllowed):
        services.proposal_update(proposal=fresh(proposal), actor=request.getfixturevalue(who),
                                 co_authors=[dave])
    assert CoAuthorInvitation.objects.filter(invitee=dave).count() == 0


def test_co_author_invite_by_moderator(proposal, moderator, bob, dave):
    services.proposal_update(proposal=proposal, actor=moderator, co_authors=[bob, dave])
    assert (CoAuthorInvitation.objects.get(invitee=dave).invited_by, co_authors(proposal)) == (
        moderator, ["bob"])


# --- Answering ------------------------------------------------------------------------------

def test_co_author_invitation_accept_makes_a_co_author(invitation, proposal, alice, carol):
    services.co_author_invitation_accept(invitation=invitation, actor=carol)

    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (ACCEPTED, ["bob", "carol"])
    assert permissions.can_edit_proposal(carol, fresh(proposal)) is True
    assert co_author_events(proposal)[-1] == ("co_author_accepted", "carol", "carol")
    assert inbox(alice)[-1] == ("co_author_answered", f"Carol accepted the invitation to "
                                                      f"co-author “{proposal.title}”.")
    assert notification_selectors.follows(carol, proposal=proposal) is True
    assert selectors.co_author_invitees(proposal) == []


def test_co_author_invitation_accept_keeps_the_version(invitation, proposal, carol):
    services.co_author_invitation_accept(invitation=invitation, actor=carol)
    assert fresh(proposal).version == proposal.version


def test_co_author_invitation_decline_tells_the_author(invitation, proposal, alice, carol):
    services.co_author_invitation_decline(invitation=invitation, actor=carol, note="No time.")

    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (DECLINED, ["bob"])
    assert ProposalEvent.objects.filter(proposal=proposal).last().note == "No time."
    assert co_author_events(proposal)[-1] == ("co_author_declined", "carol", "carol")
    assert inbox(alice)[-1] == ("co_author_answered", f"Carol declined the invitation to "
                                                      f"co-author “{proposal.title}”.")
    with pytest.raises(InvitationNotPending) as caught:
        services.co_author_invitation_accept(invitation=invitation, actor=carol)
    assert (caught.value.status, caught.value.code) == (409, "invitation_not_pending")


def test_co_author_declined_can_be_invited_again(invitation, proposal, alice, bob, carol):
    services.co_author_invitation_decline(invitation=invitation, actor=carol)
    services.proposal_update(proposal=fresh(proposal), actor=alice, co_authors=[bob, carol])
    assert list(CoAuthorInvitation.objects.filter(invitee=carol).order_by("pk")
                .values_list("state", flat=True)) == [DECLINED, PENDING]


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "moderator"])
def test_co_author_invitation_accept_and_decline_only_by_invitee(who, invitation, proposal,
                                                                 request):
    person = request.getfixturevalue(who)
    with pytest.raises(NotAllowed) as caught:
        services.co_author_invitation_accept(invitation=invitation, actor=person)
    assert caught.value.status == 403
    with pytest.raises(NotAllowed):
        services.co_author_invitation_decline(invitation=invitation, actor=person)
    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (PENDING, ["bob"])


@pytest.mark.parametrize("who", ["alice", "moderator"])
def test_co_author_invitation_withdraw_by_author_or_moderator(who, invitation, proposal, carol,
                                                             request):
    person = request.getfixturevalue(who)
    services.co_author_invitation_withdraw(invitation=invitation, actor=person)

    invitation.refresh_from_db()
    assert invitation.state == WITHDRAWN
    assert co_author_events(proposal)[-1] == ("co_author_withdrawn", person.username, "carol")
    assert inbox(carol)[-1] == ("co_author_withdrawn", f"{person.profile.display_name} withdrew "
                                                       "the invitation for you to co-author "
                                                       f"“{proposal.title}”.")
    with pytest.raises(InvitationNotPending):
        services.co_author_invitation_accept(invitation=invitation, actor=carol)
    assert co_authors(proposal) == ["bob"]


@pytest.mark.parametrize("who", ["bob", "carol", "charlie"])
def test_co_author_invitation_withdraw_refused_to_others(who, invitation, request):
    with pytest.raises(NotAllowed):
        services.co_author_invitation_withdraw(invitation=invitation,
                                               actor=request.getfixturevalue(who))
    invitation.refresh_from_db()
    assert invitation.state == PENDING


def test_co_author_invitation_accept_refused_once_invitee_owns_it(at_stage, alice, bob, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, dave])
    co_invitation = CoAuthorInvitation.objects.get(invitee=dave)
    owner_invitation = services.owner_invite(proposal=fresh(proposal), invitee=dave, actor=alice)
    services.owner_invitation_accept(invitation=owner_invitation, actor=dave)

    with pytest.raises(OwnerCannotCoAuthor) as caught:
        services.co_author_invitation_accept(invitation=co_invitation, actor=dave)
    assert (caught.value.status, caught.value.code) == (409, "owner_cannot_co_author")
    co_invitation.refresh_from_db()
    assert (co_invitation.state, co_authors(proposal)) == (PENDING, ["bob"])


# --- Expiry ---------------------------------------------------------------------------------

def test_co_author_invitations_expire_only_overdue_and_only_once(invitation, proposal, alice,
                                                                 carol):
    due = invitation.expires_at
    assert services.co_author_invitations_expire(now=due - datetime.timedelta(seconds=1)) == 0
    assert services.co_author_invitations_expire(now=due) == 1
    assert services.co_author_invitations_expire(now=due) == 0

    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (EXPIRED, ["bob"])
    assert co_author_events(proposal)[-1] == ("co_author_expired", None, "carol")
    text = f"The invitation for Carol to co-author “{proposal.title}” expired unanswered."
    assert (inbox(alice)[-1], inbox(carol)[-1]) == (("co_author_withdrawn", text),
                                                    ("co_author_withdrawn", text))


def test_co_author_invitations_expire_in_the_hourly_sweep(invitation, at_stage, dave, alice):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    later = invitation.expires_at + datetime.timedelta(hours=1)
    assert periodic.owner_invitation_expiry(now=later) == {"expired": 2}
    assert periodic.owner_invitation_expiry(now=later) == {"expired": 0}


def test_co_author_invitation_accept_refused_once_overdue_even_before_the_sweep(invitation,
                                                                               proposal, carol):
    CoAuthorInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))
    invitation.refresh_from_db()
    with pytest.raises(InvitationNotPending):
        services.co_author_invitation_accept(invitation=invitation, actor=carol)
    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (PENDING, ["bob"])


# --- Removing and leaving -------------------------------------------------------------------

def test_co_author_left_out_of_the_list_is_removed(proposal, alice, bob):
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[])

    assert co_authors(proposal) == []
    assert co_author_events(proposal)[-1] == ("co_author_removed", "alice", "bob")
    assert inbox(bob)[-1] == ("co_author_removed", f"Alice removed you from the co-authors of "
                                                   f"“{proposal.title}”.")
    with pytest.raises(NotAllowed):
        services.proposal_update(proposal=fresh(proposal), actor=bob, title="Still mine?")


def test_co_author_pending_left_out_of_the_list_is_withdrawn(invitation, proposal, alice, bob,
                                                            carol):
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob])

    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (WITHDRAWN, ["bob"])
    assert co_author_events(proposal)[-1] == ("co_author_withdrawn", "alice", "carol")
    assert inbox(carol)[-1] == ("co_author_withdrawn", "Alice withdrew the invitation for you "
                                                       f"to co-author “{proposal.title}”.")


def test_co_author_leave_gives_up_the_rights(proposal, alice, bob):
    services.co_author_leave(proposal=proposal, actor=bob, note="Changed jobs.")

    assert co_authors(proposal) == []
    assert co_author_events(proposal)[-1] == ("co_author_left", "bob", "bob")
    assert ProposalEvent.objects.filter(proposal=proposal).last().note == "Changed jobs."
    assert inbox(alice)[-1] == ("co_author_removed", f"Bob left the co-authors of "
                                                     f"“{proposal.title}”.")
    with pytest.raises(NotAllowed):
        services.proposal_update(proposal=fresh(proposal), actor=bob, title="Still mine?")


@pytest.mark.parametrize("who", ["alice", "charlie", "moderator", "carol"])
def test_co_author_leave_refused_to_anyone_not_a_co_author(who, invitation, proposal, request):
    with pytest.raises(NotAllowed) as caught:
        services.co_author_leave(proposal=proposal, actor=request.getfixturevalue(who))
    assert caught.value.message == "Only a co-author can leave a proposal."
    assert co_authors(proposal) == ["bob"]


# --- Pages ----------------------------------------------------------------------------------

def co_author_section(response) -> str:
    html = response.content.decode()
    if 'id="h-co-authors"' not in html:
        return ""
    return html[html.index('id="h-co-authors"'):html.index('id="h-analysis"')]


@pytest.mark.parametrize(("who", "expected"), [
    ("alice", ["Yes, withdraw the invitation to Carol", "Move to proposal",
               "Yes, withdraw this proposal"]),
    ("moderator", ["Yes, withdraw the invitation to Carol", "Move to proposal",
                   "Yes, withdraw this proposal"]),
    ("bob", ["Yes, leave as co-author", "Move to proposal", "Yes, withdraw this proposal"]),
    ("carol", ["Accept and become co-author", "Decline"]),
    ("charlie", []),
    (None, []),
])
def test_proposal_page_shows_co_author_invitation_buttons_by_person(who, expected, client,
                                                                   invitation, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert buttons(client.get(invitation.proposal.get_absolute_url())) == expected


PENDING_CAROL = ('Invitation pending: <a href="/people/carol/">Carol</a> is invited to co-author '
                 'this proposal.')


@pytest.mark.parametrize(("who", "expected"), [
    ("alice", [PENDING_CAROL]),
    ("bob", [PENDING_CAROL]),
    ("moderator", [PENDING_CAROL]),
    ("carol", ["You are invited to co-author this proposal: to be named beside its author and "
               "to edit it with them."]),
    ("charlie", []),
    (None, []),
])
def test_proposal_page_shows_pending_co_author_invitations_to_whom_it_concerns(
        who, expected, client, invitation, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    section = co_author_section(client.get(invitation.proposal.get_absolute_url()))
    assert re.findall(r'<div class="card invitation">\s*<p>(.*?) It expires', section) == expected


def test_proposal_page_accept_decline_and_withdraw_through_forms(client, invitation, proposal,
                                                                  alice, bob, carol):
    client.force_login(carol)
    response = client.post(f"/proposals/co-author-invitations/{invitation.pk}/accept/")
    assert (response.status_code, response["Location"]) == (302, proposal.get_absolute_url())
    assert co_authors(proposal) == ["bob", "carol"]

    erin = UserFactory(username="erin")
    services.proposal_update(proposal=fresh(proposal), actor=alice,
                             co_authors=[bob, carol, erin])
    erins = CoAuthorInvitation.objects.get(invitee=erin)
    client.force_login(alice)
    client.post(f"/proposals/co-author-invitations/{erins.pk}/withdraw/", {"confirm": "yes"})
    erins.refresh_from_db()
    assert erins.state == WITHDRAWN


def test_proposal_page_decline_through_the_form(client, invitation, carol):
    client.force_login(carol)
    client.post(f"/proposals/co-author-invitations/{invitation.pk}/decline/", {"note": "Busy."})
    invitation.refresh_from_db()
    assert invitation.state == DECLINED


@pytest.mark.parametrize(("who", "status"), [
    ("charlie", 404), ("alice", 403), ("bob", 403), ("moderator", 403), ("carol", 302),
])
def test_proposal_page_co_author_accept_permissions(who, status, client, invitation, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/proposals/co-author-invitations/{invitation.pk}/accept/")
    assert response.status_code == status


def test_proposal_page_leave_through_the_form(client, proposal, bob):
    client.force_login(bob)
    response = client.post(f"/proposals/{proposal.pk}/leave/", {"confirm": "yes"})
    assert (response.status_code, co_authors(proposal)) == (302, [])


def test_proposal_page_history_tells_the_co_author_steps(client, invitation, proposal, carol):
    services.co_author_invitation_accept(invitation=invitation, actor=carol)
    services.co_author_leave(proposal=fresh(proposal), actor=carol)
    html = client.get(proposal.get_absolute_url()).content.decode()
    # The names are display names linked to profiles (tested in test_detail_actions).
    timeline = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[html.index('id="h-history"'):]))
    for line in ("Alice invited Bob to co-author it", "Bob accepted and is a co-author",
                 "Alice invited Carol to co-author it", "Carol accepted and is a co-author",
                 "Carol left the co-authors"):
        assert line in timeline


def test_proposal_page_query_count_same_for_1_and_5_pending_co_author_invitations(
        client, proposal, alice, bob):
    client.force_login(alice)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(proposal.get_absolute_url()).status_code == 200
        return len(queries)

    invitees = [UserFactory(username=f"guest{n}") for n in range(5)]
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[bob, invitees[0]])
    one = count()
    services.proposal_update(proposal=fresh(proposal), actor=alice, co_authors=[bob, *invitees])
    assert count() == one


def test_edit_form_starts_from_co_authors_and_invitees_and_keeps_them(client, invitation,
                                                                       proposal, alice):
    client.force_login(alice)
    form = client.get(f"/proposals/{proposal.pk}/edit/").context["form"]
    assert form.initial["co_authors"] == "bob, carol"

    data = {name: value for name, value in form.initial.items() if value is not None}
    data["related_topics"], data["supporting_writeups"] = [], []
    client.post(f"/proposals/{proposal.pk}/edit/", data)
    invitation.refresh_from_db()
    assert (invitation.state, co_authors(proposal)) == (PENDING, ["bob"])


def test_proposal_form_says_named_people_get_an_invitation():
    assert ProposalForm().fields["co_authors"].help_text == (
        "Names or usernames, separated by commas: type part of a name and choose from the "
        "suggestions. Each person named gets an invitation and becomes a co-author only when "
        "they accept it; removing a name withdraws their invitation or removes them. Only the "
        "author can change these.")


def test_my_work_lists_co_author_invitations(client, invitation, proposal, carol, charlie):
    client.force_login(carol)
    html = client.get("/me/").content.decode()
    section = html[html.index('id="h-co-author-invitations"'):html.index('id="h-my-claims"')]
    assert proposal.title in section
    client.force_login(charlie)
    html = client.get("/me/").content.decode()
    section = html[html.index('id="h-co-author-invitations"'):html.index('id="h-my-claims"')]
    assert "No pending invitations." in section


def test_my_work_leaves_out_invitations_to_a_hidden_proposal(invitation, proposal, moderator,
                                                             carol):
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="spam")
    assert list(selectors.pending_invitations_for(carol, CoAuthorInvitation)) == []


def test_admin_co_author_invitation_actions_go_through_the_services(client, invitation,
                                                                    proposal):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/proposals/coauthorinvitation/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "withdraw_selected", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.state == WITHDRAWN
    assert co_author_events(proposal)[-1] == ("co_author_withdrawn", "root", "carol")
    assert ProposalEvent.objects.filter(proposal=proposal).last().note == (
        "Withdrawn in the admin.")


# --- API ------------------------------------------------------------------------------------

URL = "/api/v1/proposals/"


def test_api_co_authors_round_trip(api_as, proposal, alice, carol):
    response = api_as(alice).patch(f"{URL}{proposal.pk}/", {"co_authors": ["bob", "carol"]},
                                   format="json")
    assert (response.status_code, response.json()["co_authors"],
            response.json()["co_authors_invited"]) == (200, ["bob"], ["carol"])

    listed = api_as(carol).get("/api/v1/co-author-invitations/").json()["results"]
    assert [(r["proposal"], r["invitee"], r["invited_by"], r["state"]) for r in listed] == [
        (proposal.pk, "carol", "alice", "pending")]
    accepted = api_as(carol).post(f"/api/v1/co-author-invitations/{listed[0]['id']}/accept/")
    assert (accepted.status_code, accepted.json()["state"]) == (200, "accepted")

    shown = api_as(alice).get(f"{URL}{proposal.pk}/").json()
    assert (shown["co_authors"], shown["co_authors_invited"]) == (["bob", "carol"], [])

    assert api_as(carol).post(f"{URL}{proposal.pk}/leave/").status_code == 204
    assert api_as(alice).get(f"{URL}{proposal.pk}/").json()["co_authors"] == ["bob"]


@pytest.mark.parametrize(("who", "status"), [
    ("carol", 200), ("alice", 403), ("bob", 403), ("moderator", 403), ("charlie", 404),
])
def test_api_co_author_invitation_accept_permissions(who, status, api_as, invitation, request):
    response = api_as(request.getfixturevalue(who)).post(
        f"/api/v1/co-author-invitations/{invitation.pk}/accept/")
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [
    ("alice", 200), ("moderator", 200), ("bob", 403), ("carol", 403), ("charlie", 404),
])
def test_api_co_author_invitation_withdraw_permissions(who, status, api_as, invitation, request):
    response = api_as(request.getfixturevalue(who)).post(
        f"/api/v1/co-author-invitations/{invitation.pk}/withdraw/")
    assert response.status_code == status


def test_api_co_author_invitations_list_only_those_the_caller_may_see(api_as, invitation, bob,
                                                                     carol, charlie):
    def ids(person):
        return [r["id"] for r in
                api_as(person).get("/api/v1/co-author-invitations/").json()["results"]]

    assert (ids(carol), ids(charlie)) == ([invitation.pk], [])
    # The fixture's own invitation, which bob accepted, is his to see too.
    assert sorted(ids(bob)) == sorted(CoAuthorInvitation.objects.values_list("pk", flat=True))


def test_api_leave_refused_to_the_author(api_as, proposal, alice):
    response = api_as(alice).post(f"{URL}{proposal.pk}/leave/")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_api_proposal_lists_only_supporting_writeups_and_topics_the_caller_may_see(
        api_as, alice, bob, charlie, moderator):
    topic = TopicFactory(slug="chips")
    hidden_topic = TopicFactory(slug="hidden-gap", suggested_by=bob)
    shown_writeup = WriteupFactory(topic=topic, author=bob, published=True)
    hidden_writeup = WriteupFactory(topic=topic, author=bob, published=True)
    proposal = ProposalFactory(topic=topic, author=alice, related_topics=[hidden_topic],
                               supporting_writeups=[shown_writeup, hidden_writeup])
    content_hide(moderator=moderator, target_type="writeup", obj=hidden_writeup, reason="spam")
    content_hide(moderator=moderator, target_type="suggestion", obj=hidden_topic, reason="spam")

    def shown(person, response=None):
        data = response or api_as(person).get(f"{URL}{proposal.pk}/").json()
        return data["supporting_writeups"], data["related_topics"]

    assert shown(charlie) == ([shown_writeup.pk], [])
    assert api_as(charlie).get(URL).json()["results"][0]["supporting_writeups"] == [
        shown_writeup.pk]
    assert shown(alice, api_as(alice).patch(f"{URL}{proposal.pk}/", {"title": "New title"},
                                            format="json").json()) == ([shown_writeup.pk], [])
    writeups, topics = shown(moderator)
    assert (sorted(writeups), topics) == (sorted([shown_writeup.pk, hidden_writeup.pk]),
                                          ["hidden-gap"])


# --- Demo data ------------------------------------------------------------------------------

def test_demo_co_authors_each_accepted_an_invitation_in_time(db):
    from registry.demo import SCALES, Generator

    Generator(SCALES["small"]).run()
    members = Proposal.co_authors.through.objects.all()
    accepted = CoAuthorInvitation.objects.filter(state=ACCEPTED)
    assert members.count() > 0
    assert sorted(members.values_list("proposal_id", "user_id")) == sorted(
        accepted.values_list("proposal_id", "invitee_id"))
    for invitation in accepted:
        kinds = list(ProposalEvent.objects.filter(proposal=invitation.proposal_id,
                                                  subject=invitation.invitee_id,
                                                  kind__startswith="co_author")
                     .values_list("kind", "created_at"))
        assert kinds == [("co_author_invited", invitation.created_at),
                         ("co_author_accepted", invitation.answered_at)]
        assert invitation.created_at < invitation.answered_at < invitation.expires_at
