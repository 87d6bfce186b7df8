"""Proposal events reach the people who follow the proposal (or, when it is new, its topic)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from proposals import periodic, services
from proposals.models import Stage
from registry.notifications import selectors as notification_selectors
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from tests.factories import ProposalFactory, TopicFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_batch_window(settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0


def inbox(person):
    return list(Notification.objects.filter(recipient=person).order_by("created_at", "id")
                .values_list("kind", "text"))


def test_proposal_created_notifies_topic_followers_and_authors_follow(alice, bob, charlie):
    erin = UserFactory(username="erin")
    topic = TopicFactory(slug="chips", title="Compute governance")
    notifications.follow_create(person=charlie, topic=topic)
    proposal = ProposalFactory(topic=topic, author=alice, co_authors=[erin],
                               title="Incident checklist")
    assert inbox(charlie) == [("proposal_created",
                               "Alice proposed “Incident checklist” on “Compute governance”.")]
    assert (notification_selectors.follows(alice, proposal=proposal),
            notification_selectors.follows(erin, proposal=proposal)) == (True, True)


def test_proposal_move_notifies_followers_but_not_the_mover(proposal, alice, bob, charlie):
    notifications.follow_create(person=charlie, proposal=proposal)
    services.proposal_move(proposal=proposal, to=Stage.PROPOSAL, actor=alice)
    assert inbox(charlie) == [("proposal_moved", f"Alice moved “{proposal.title}” from "
                                                 "analysis to proposal.")]
    assert inbox(bob) == [
        ("co_author_invited", f"Alice invited you to co-author “{proposal.title}”. Accept or "
                              "decline on its page."),
        ("proposal_moved", f"Alice moved “{proposal.title}” from analysis to proposal.")]
    assert inbox(alice) == [("co_author_answered",
                             f"Bob accepted the invitation to co-author “{proposal.title}”.")]


def test_owner_invitation_sent_tells_the_invitee_who_then_follows(at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    assert inbox(dave) == [("invitation_sent", f"Alice invited you to own “{proposal.title}”. "
                                               "Accept or decline on its page.")]
    assert notification_selectors.follows(dave, proposal=proposal) is True


def test_owner_gained_and_lost_notify_followers(at_stage, alice, bob, dave):
    proposal = at_stage(Stage.OWNER)
    services.proposal_move(proposal=proposal, to=Stage.PROPOSAL, actor=dave)
    title = proposal.title
    assert inbox(alice)[-2:] == [
        ("owner_gained", f"Dave accepted the owner invitation and now owns “{title}”."),
        ("owner_lost", f"“{title}” no longer has an owner (Dave moved it back to the "
                       "proposal stage)."),
    ]


def test_owner_invitation_declined_tells_the_authors(at_stage, alice, bob, dave):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    services.owner_invitation_decline(invitation=invitation, actor=dave)
    assert inbox(bob)[-1] == ("invitation_declined",
                              f"Dave declined the invitation to own “{proposal.title}”.")
    assert ("invitation_declined" in dict(inbox(dave))) is False


def test_owner_invitation_expiry_tells_author_and_invitee(at_stage, alice, dave, settings):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    for person in (alice, dave):  # they are told even after they stopped following
        notifications.follow_delete(person=person, proposal=proposal)
        notifications.notification_emails_send(recipient_id=person.pk)
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=settings.GAPMAP_OWNER_INVITE_DAYS, hours=1)
    assert periodic.owner_invitation_expiry(now=later) == {"expired": 1}
    assert periodic.owner_invitation_expiry(now=later) == {"expired": 0}
    text = f"The invitation for Dave to own “{proposal.title}” expired unanswered."
    assert (inbox(alice)[-1], inbox(dave)[-1]) == (("invitation_expired", text),
                                                  ("invitation_expired", text))
    for person in (alice, dave):
        notifications.notification_emails_send(recipient_id=person.pk, now=later)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("alice@example.org", f"Gapmap: {text}"), ("dave@example.org", f"Gapmap: {text}")]
