"""/api/v1/ follows, notifications and notification settings; alice/bob/charlie permissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import services
from registry.notifications import selectors
from registry.notifications import services as notifications
from registry.notifications.models import EventKind, Notification
from tests.factories import ProposalFactory, TopicFactory


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips", title="Compute governance")


def make_notifications(person, topic, n):
    """n claims on `topic` by other people, each notifying `person` once."""
    from tests.factories import UserFactory

    notifications.follow_create(person=person, topic=topic)
    for i in range(n):
        services.claim_create(topic=topic, person=UserFactory(username=f"claimant{i}"),
                              plan="A survey.")
    return list(Notification.objects.filter(recipient=person).order_by("-created_at", "-id"))


def test_topic_follow_and_unfollow(api_as, alice, topic):
    client = api_as(alice)
    response = client.post("/api/v1/topics/chips/follow/")
    assert (response.status_code, response.json()) == (201, {"following": True})
    assert client.post("/api/v1/topics/chips/follow/").status_code == 201  # harmless twice
    assert selectors.follows(alice, topic=topic) is True
    assert client.delete("/api/v1/topics/chips/follow/").status_code == 204
    assert selectors.follows(alice, topic=topic) is False


def test_topic_follow_needs_sign_in(api, topic):
    response = api.post("/api/v1/topics/chips/follow/")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_topic_follow_of_someone_elses_suggestion_is_404(api_as, alice, charlie, topic):
    services.topic_suggest(person=alice, title="Secret idea", cluster=topic.cluster,
                           reason="Why not.")
    response = api_as(charlie).post("/api/v1/topics/secret-idea/follow/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api_as(alice).post("/api/v1/topics/secret-idea/follow/").status_code == 201


def test_proposal_follow_and_unfollow(api_as, alice, charlie):
    proposal = ProposalFactory(author=alice)
    client = api_as(charlie)
    assert client.post(f"/api/v1/proposals/{proposal.pk}/follow/").status_code == 201
    assert selectors.follows(charlie, proposal=proposal) is True
    assert client.delete(f"/api/v1/proposals/{proposal.pk}/follow/").status_code == 204
    assert selectors.follows(charlie, proposal=proposal) is False
    assert client.post("/api/v1/proposals/999999/follow/").status_code == 404


def test_notifications_list_own_only_newest_first(api_as, alice, bob, topic):
    rows = make_notifications(alice, topic, 2)
    make_notifications(bob, TopicFactory(slug="evals"), 1)
    response = api_as(alice).get("/api/v1/notifications/")
    body = response.json()
    assert response.status_code == 200
    assert [item["id"] for item in body["results"]] == [row.pk for row in rows]
    assert body["results"][0] == {
        "id": rows[0].pk, "kind": "claim_made", "text": "Claimant1 claimed “Compute governance”.",
        "topic": "chips", "proposal": None, "writeup": None, "comment": None,
        "actor": "claimant1",
        "url": "http://testserver/topics/chips/",
        "created_at": rows[0].created_at.isoformat().replace("+00:00", "Z"), "read_at": None,
        "delivery": "email", "email_state": rows[0].email_state,
    }


def test_notifications_list_unread_only(api_as, alice, topic):
    rows = make_notifications(alice, topic, 2)
    notifications.notifications_mark_read(person=alice, notification_id=rows[0].pk)
    response = api_as(alice).get("/api/v1/notifications/?unread=true")
    assert [item["id"] for item in response.json()["results"]] == [rows[1].pk]


def test_notifications_list_needs_sign_in(api):
    assert api.get("/api/v1/notifications/").status_code == 401


@pytest.mark.parametrize("n", [1, 3])
def test_notifications_list_query_count_does_not_grow(api_as, alice, topic, n):
    make_notifications(alice, topic, n)
    client = api_as(alice)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/notifications/").status_code == 200
        counts.append(len(queries))
    # The site version, the count and the page; then the site version alone (for_person).
    assert counts == [3, 1]


def test_notification_read_marks_it(api_as, alice, topic):
    row = make_notifications(alice, topic, 1)[0]
    response = api_as(alice).post(f"/api/v1/notifications/{row.pk}/read/")
    row.refresh_from_db()
    assert (response.status_code, response.json()["read_at"] is not None) == (200, True)
    assert row.read_at is not None


def test_notification_read_checks_ownership(api_as, alice, charlie, topic):
    row = make_notifications(alice, topic, 1)[0]
    response = api_as(charlie).post(f"/api/v1/notifications/{row.pk}/read/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    row.refresh_from_db()
    assert row.read_at is None


def test_notifications_read_all_marks_only_mine(api_as, alice, bob, topic):
    make_notifications(alice, topic, 2)
    make_notifications(bob, TopicFactory(slug="evals"), 1)
    response = api_as(alice).post("/api/v1/notifications/read-all/")
    assert (response.status_code, response.json()) == (200, {"marked_read": 2})
    assert list(Notification.objects.filter(read_at__isnull=True, recipient__in=[alice, bob])
                .values_list("recipient__username", flat=True)) == ["bob"]


def test_notification_settings_get_defaults(api_as, alice):
    response = api_as(alice).get("/api/v1/me/notification-settings/")
    assert response.json() == {"delivery": {kind: "email" for kind in EventKind.values},
                               "digest_frequency": "daily"}


def test_notification_settings_patch_changes_some_kinds(api_as, alice):
    client = api_as(alice)
    response = client.patch("/api/v1/me/notification-settings/",
                            {"delivery": {"claim_made": "digest"}, "digest_frequency": "weekly"},
                            format="json")
    assert response.status_code == 200
    response = client.patch("/api/v1/me/notification-settings/",
                            {"delivery": {"writeup_published": "site"}}, format="json")
    expected = {kind: "email" for kind in EventKind.values}
    expected.update(claim_made="digest", writeup_published="site")
    assert response.json() == {"delivery": expected, "digest_frequency": "weekly"}


def test_notification_settings_patch_refuses_unknown_mode(api_as, alice):
    response = api_as(alice).patch("/api/v1/me/notification-settings/",
                                   {"delivery": {"claim_made": "pigeon"}}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert response.json()["fields"] == {
        "delivery.claim_made": ['"pigeon" is not a valid choice.']}
    assert response.json()["detail"] == "Some fields are not valid: delivery.claim_made."


def test_notification_settings_need_sign_in(api):
    assert api.get("/api/v1/me/notification-settings/").status_code == 401


def test_notifications_read_at_is_set_once(api_as, alice, topic):
    row = make_notifications(alice, topic, 1)[0]
    earlier = timezone.now() - timezone.timedelta(days=1)
    Notification.objects.filter(pk=row.pk).update(read_at=earlier)
    api_as(alice).post("/api/v1/notifications/read-all/")
    row.refresh_from_db()
    assert row.read_at == earlier


def _email_states(client) -> list[str]:
    return [row["email_state"] for row in client.get("/api/v1/notifications/").json()["results"]]


def test_notifications_list_shows_each_email_state_change_at_once(
        api_as, alice, topic, django_capture_on_commit_callbacks):
    """The list is kept under alice's inbox stamp (for_person); sending the e-mail and the
    retry sweep's hand-back move it, though nothing anyone else sees changes."""
    (row,) = make_notifications(alice, topic, 1)
    client = api_as(alice)
    assert _email_states(client) == ["pending"]

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notification_emails_send(recipient_id=alice.pk, ids=[row.pk]) == 1
    assert _email_states(client) == ["sent"]

    # A worker that died mid-send left the row claimed; the sweep hands it back and queues
    # its e-mail again (sent at once here: tasks run eagerly).
    long_ago = timezone.now() - notifications.SENDING_STALE_AFTER * 2
    Notification.objects.filter(pk=row.pk).update(email_state="sending",
                                                  email_claimed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.person_stamp_bump(notifications.INBOX_STAMP, [alice.pk])
    assert _email_states(client) == ["sending"]
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notifications_retry()
    assert _email_states(client) == ["sent"]
    assert Notification.objects.get(pk=row.pk).email_state == "sent"
