"""Pages: the inbox, mark read, the header count, settings, follow buttons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import services
from registry.notifications import selectors
from registry.notifications import services as notifications
from registry.notifications.models import EventKind, Notification
from tests.factories import ProposalFactory, TopicFactory


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips", title="Compute governance")


@pytest.fixture
def alice_notified(alice, bob, topic):
    """alice follows the topic and bob claims it: one unread notification for alice."""
    notifications.follow_create(person=alice, topic=topic)
    services.claim_create(topic=topic, person=bob, plan="A survey.")
    return Notification.objects.get(recipient=alice)


def test_inbox_lists_my_notifications_with_unread_count_in_header(client, alice,
                                                                  alice_notified):
    client.force_login(alice)
    page = client.get("/me/notifications/").content.decode()
    assert ('Notifications<span class="visually-hidden"> (</span><span class="count">1</span>'
            '<span class="visually-hidden"> unread)</span>') in page
    assert '<a href="/topics/chips/">Bob claimed “Compute governance”.</a>' in page


def test_inbox_needs_sign_in(client):
    response = client.get("/me/notifications/")
    assert (response.status_code, response["Location"]) == (
        302, "/accounts/login/?next=/me/notifications/")


def test_inbox_mark_read_and_mark_all_read(client, alice, bob, topic, alice_notified):
    client.force_login(alice)
    response = client.post(f"/me/notifications/{alice_notified.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/me/notifications/")
    assert selectors.unread_count(alice) == 0
    services.claim_create(topic=TopicFactory(slug="evals"), person=bob, plan="More.")
    services.claim_release(claim=bob.claims.get(topic=topic), actor=bob)
    assert selectors.unread_count(alice) == 1
    client.post("/me/notifications/read-all/")
    assert selectors.unread_count(alice) == 0


def test_mark_read_checks_ownership(client, charlie, alice_notified):
    client.force_login(charlie)
    client.post(f"/me/notifications/{alice_notified.pk}/read/")
    alice_notified.refresh_from_db()
    assert alice_notified.read_at is None


def test_header_asks_no_query_for_anonymous_visitors(client, topic):
    client.get("/about/")  # warm up anything cached per process
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/about/").status_code == 200
    assert [q["sql"] for q in queries if "notification" in q["sql"]] == []


def test_header_counts_unread_with_one_query(client, alice, alice_notified):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get("/about/")
    assert len([q for q in queries if "registry_notification" in q["sql"]]) == 1


def test_settings_page_saves_choices(client, alice):
    client.force_login(alice)
    assert client.get("/me/notifications/settings/").status_code == 200
    data = {kind: "email" for kind in EventKind.values} | {
        "claim_made": "digest", "writeup_published": "site", "digest_frequency": "weekly"}
    response = client.post("/me/notifications/settings/", data)
    assert (response.status_code, response["Location"]) == (302, "/me/notifications/settings/")
    prefs = selectors.settings_for(alice)
    assert (prefs.delivery_for("claim_made"), prefs.delivery_for("writeup_published"),
            prefs.delivery_for("claim_released"), prefs.digest_frequency) == (
        "digest", "site", "email", "weekly")


def test_topic_page_follow_and_unfollow_buttons(client, alice, topic):
    client.force_login(alice)
    assert '<button type="submit">Follow</button>' in client.get("/topics/chips/").content.decode()
    response = client.post("/topics/chips/follow/", {"action": "follow",
                                                      "next": "/topics/chips/"})
    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")
    assert selectors.follows(alice, topic=topic) is True
    page = client.get("/topics/chips/").content.decode()
    assert '<button type="submit">Unfollow</button>' in page
    client.post("/topics/chips/follow/", {"action": "unfollow"})
    assert selectors.follows(alice, topic=topic) is False


def test_follow_button_hidden_from_visitors(client, topic):
    assert "Follow</button>" not in client.get("/topics/chips/").content.decode()


def test_follow_refuses_an_outside_redirect(client, alice, topic):
    client.force_login(alice)
    response = client.post("/topics/chips/follow/", {"next": "https://evil.example/"})
    assert response["Location"] == "/topics/chips/"


def test_proposal_page_follow_button(client, alice, charlie):
    proposal = ProposalFactory(author=alice)
    client.force_login(charlie)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert '<button type="submit">Follow</button>' in page
    client.post(f"/proposals/{proposal.pk}/follow/")
    assert selectors.follows(charlie, proposal=proposal) is True
