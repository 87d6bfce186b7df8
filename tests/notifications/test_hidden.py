"""Hiding reaches notifications and follows made before the hide: rows quoting a hidden
item or a hidden person's name are withheld from the inbox, the count, the API and unsent
e-mails, and a hidden item can still be unfollowed."""

import pytest
from django.core import mail

from proposals import services as proposal_services
from registry import services
from registry.moderation.services import content_hide, content_unhide
from registry.notifications import selectors
from registry.notifications import services as notifications
from registry.notifications.models import Follow, Notification
from tests.factories import TopicFactory, UserFactory


@pytest.fixture
def topic(moderator):
    """A listed suggestion of dana's: the kind of topic a moderator can hide."""
    suggested = services.topic_suggest(person=UserFactory(username="dana"),
                                       title="Compute governance", reason="Because.",
                                       cluster=TopicFactory().cluster)
    return services.topic_decide(topic=suggested, moderator=moderator, state="listed",
                                 note="ok")


@pytest.fixture
def proposal(alice, bob, topic):
    """alice follows the topic; bob's new proposal on it notifies her."""
    notifications.follow_create(person=alice, topic=topic)
    proposal = proposal_services.proposal_create(topic=topic, author=bob,
                                                 title="Secret chip registry")
    notifications.follow_create(person=alice, proposal=proposal)
    return proposal


def _texts(person):
    return [row.text for row in selectors.notifications_for(person)]


def test_notification_about_hidden_proposal_withheld_until_unhidden(alice, proposal,
                                                                    moderator):
    quoting = [t for t in _texts(alice) if "Secret chip registry" in t]
    assert len(quoting) == 1
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    assert [t for t in _texts(alice) if "Secret chip registry" in t] == []
    assert selectors.unread_count(alice) == 0
    content_unhide(moderator=moderator, target_type="proposal", obj=proposal, reason="Fine.")
    assert [t for t in _texts(alice) if "Secret chip registry" in t] == quoting
    assert selectors.unread_count(alice) == 1


def test_notification_about_hidden_proposal_shown_to_its_author_and_moderators(
        bob, moderator, proposal):
    notifications.notify(kind="proposal_moved", text="Moved: Secret chip registry",
                         proposal=proposal, also=[bob, moderator], followers=False)
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    assert _texts(bob) == ["Moved: Secret chip registry"]
    assert "Moved: Secret chip registry" in _texts(moderator)


def test_notification_about_hidden_topic_withheld(alice, bob, topic, moderator):
    notifications.follow_create(person=alice, topic=topic)
    services.claim_create(topic=topic, person=bob, plan="A survey.")
    assert len(_texts(alice)) == 1
    content_hide(moderator=moderator, target_type="suggestion", obj=topic, reason="Duplicate.")
    assert _texts(alice) == []


def test_notification_naming_hidden_profile_withheld(alice, bob, topic, moderator):
    bob.profile.display_name = "Robert Tables"
    bob.profile.save()
    notifications.follow_create(person=alice, topic=topic)
    services.claim_create(topic=topic, person=bob, plan="A survey.")
    assert _texts(alice) == ["Robert Tables claimed “Compute governance”."]
    content_hide(moderator=moderator, target_type="profile", obj=bob.profile,
                 reason="Impersonation.")
    assert _texts(alice) == []
    assert _texts(bob) == []  # bob's own claim never notifies bob


def test_notifications_api_withholds_hidden_proposal(api_as, alice, proposal, moderator):
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    body = api_as(alice).get("/api/v1/notifications/").json()
    assert [row["text"] for row in body["results"] if "Secret" in row["text"]] == []


def test_pending_email_about_item_hidden_before_send_is_never_sent(alice, proposal,
                                                                   moderator, settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0
    alice.email = "alice@example.org"
    alice.save()
    mail.outbox.clear()
    Notification.objects.filter(recipient=alice).update(email_state="pending",
                                                        delivery="email")
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    sent = notifications.notification_emails_send(recipient_id=alice.pk)
    assert sent == 0
    assert mail.outbox == []
    assert set(Notification.objects.filter(recipient=alice)
               .values_list("email_state", flat=True)) == {"none"}


def test_unfollow_hidden_proposal_on_page(client, alice, proposal, moderator):
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/follow/",
                           {"action": "unfollow", "next": "/me/notifications/settings/"})
    assert (response.status_code, response["Location"]) == (302, "/me/notifications/settings/")
    assert Follow.objects.filter(person=alice, proposal=proposal).exists() is False


def test_follow_hidden_proposal_refused_404(client, charlie, proposal, moderator):
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    client.force_login(charlie)
    assert client.post(f"/proposals/{proposal.pk}/follow/",
                       {"action": "follow"}).status_code == 404
    # Unfollowing what one never followed says nothing about whether it exists.
    assert client.post(f"/proposals/{proposal.pk}/follow/",
                       {"action": "unfollow"}).status_code == 404
    assert client.post("/proposals/999999/follow/", {"action": "unfollow"}).status_code == 404


def test_unfollow_hidden_topic_through_api(api_as, alice, charlie, topic, moderator):
    notifications.follow_create(person=alice, topic=topic)
    content_hide(moderator=moderator, target_type="suggestion", obj=topic, reason="Duplicate.")
    assert api_as(charlie).post(f"/api/v1/topics/{topic.slug}/follow/").status_code == 404
    assert api_as(charlie).delete(f"/api/v1/topics/{topic.slug}/follow/").status_code == 404
    assert api_as(alice).delete(f"/api/v1/topics/{topic.slug}/follow/").status_code == 204
    assert Follow.objects.filter(person=alice).exists() is False


def test_settings_page_lists_follows_and_names_no_hidden_one(client, alice, topic, proposal,
                                                             moderator):
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")
    client.force_login(alice)
    page = client.get("/me/notifications/settings/").content.decode()
    assert f'Topic <a href="/topics/{topic.slug}/">Compute governance</a>' in page
    assert "A proposal that is no longer shown" in page
    assert "Secret chip registry" not in page
    assert f'action="/proposals/{proposal.pk}/follow/"' in page
