"""The header's unread count comes from the shared cache, keyed on the person, the site
version and their inbox stamp: a new notification, a mark-read and a hide all show on the
next page, nobody sees another's count, and a count computed before a change committed is
never served after it. The inbox page's list and the notifications API are kept under the
same keys (registry.core.caching.for_person), so each test reads all three (`unread_shown`).

Writes run with their on-commit callbacks executed, as in production: the inbox stamp moves
only after commit.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from registry import services
from registry.moderation import context_processors
from registry.moderation.services import content_hide
from registry.notifications import services as notifications
from registry.notifications.models import EventKind, Notification
from registry.permissions import MODERATORS_GROUP
from tests.factories import TopicFactory, UserFactory

NOTIFICATIONS_LINK = re.compile(r'<a href="/me/notifications/">Notifications(.*?)</a>')


def _unread_in_header(client) -> int:
    link = NOTIFICATIONS_LINK.search(client.get("/about/").content.decode()).group(1)
    count = re.search(r'<span class="count">(\d+)</span>', link)
    return int(count.group(1)) if count else 0


def _unread_in_inbox(client) -> int:
    return client.get("/me/notifications/").content.decode().count("<strong>New:</strong>")


def _unread_in_api(client) -> int:
    return sum(row["read_at"] is None
               for row in client.get("/api/v1/notifications/").json()["results"])


@pytest.fixture(params=["header", "inbox", "api"])
def unread_shown(request):
    """How many unread notifications the signed-in person is shown: by the header's count, by
    the inbox page's list or by the API's."""
    return {"header": _unread_in_header, "inbox": _unread_in_inbox,
            "api": _unread_in_api}[request.param]


@pytest.fixture
def topics(db):
    return [TopicFactory(slug="chips", title="Compute governance"),
            TopicFactory(slug="evals", title="Evaluations")]


@pytest.fixture
def bob(db):
    person = UserFactory(username="bob")
    person.profile.display_name = "Robert Tables"
    person.profile.save()
    return person


@pytest.fixture
def alice_follows_both(alice, topics):
    for topic in topics:
        notifications.follow_create(person=alice, topic=topic)
    return alice


def _claim(person, topic, callbacks):
    with callbacks(execute=True):
        return services.claim_create(topic=topic, person=person, plan="A survey.")


def test_header_unread_count_rises_when_a_followed_topic_is_claimed(
        unread_shown, client, bob, topics, alice_follows_both, django_capture_on_commit_callbacks):
    _claim(bob, topics[0], django_capture_on_commit_callbacks)
    client.force_login(alice_follows_both)
    assert unread_shown(client) == 1
    _claim(bob, topics[1], django_capture_on_commit_callbacks)
    assert unread_shown(client) == 2


def test_header_unread_count_rises_with_a_notification_that_leaves_the_site_version(
        unread_shown, client, alice, topics, django_capture_on_commit_callbacks):
    """A claim reminder changes nothing anyone else sees: only alice's inbox stamp moves."""
    claim = _claim(alice, topics[0], django_capture_on_commit_callbacks)
    client.force_login(alice)
    assert unread_shown(client) == 0
    due = claim.last_activity_at + datetime.timedelta(
        days=settings.GAPMAP_CLAIM_REMINDER_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.claims_remind(now=due) == 1
    assert unread_shown(client) == 1


@pytest.fixture
def alice_reads_two_unread(unread_shown, client, bob, topics, alice_follows_both,
                           django_capture_on_commit_callbacks):
    """bob claims both topics alice follows; alice, signed in, has two unread."""
    for topic in topics:
        _claim(bob, topic, django_capture_on_commit_callbacks)
    client.force_login(alice_follows_both)
    assert unread_shown(client) == 2
    return alice_follows_both


def test_header_unread_count_is_zero_after_mark_all_read(
        unread_shown, client, alice_reads_two_unread, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/me/notifications/read-all/").status_code == 302
    assert unread_shown(client) == 0


def test_header_unread_count_drops_for_a_person_when_a_moderator_hides_the_quoted_name(
        unread_shown, client, bob, moderator, topics, alice_follows_both,
        django_capture_on_commit_callbacks):
    """The row quotes bob's display name: hidden, it is withheld from alice, while the
    moderator, who may see bob's profile, still counts it."""
    notifications.follow_create(person=moderator, topic=topics[0])
    _claim(bob, topics[0], django_capture_on_commit_callbacks)
    client.force_login(alice_follows_both)
    assert unread_shown(client) == 1
    client.force_login(moderator)
    assert unread_shown(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        content_hide(moderator=moderator, target_type="profile", obj=bob.profile,
                     reason="Impersonation.")
    assert unread_shown(client) == 1
    client.force_login(alice_follows_both)
    assert unread_shown(client) == 0


def test_header_unread_count_is_each_persons_own(
        unread_shown, client, bob, charlie, topics, alice_follows_both,
        django_capture_on_commit_callbacks):
    notifications.follow_create(person=charlie, topic=topics[0])
    for topic in topics:
        _claim(bob, topic, django_capture_on_commit_callbacks)
    counts = []
    for person in (alice_follows_both, charlie, alice_follows_both, charlie):
        client.force_login(person)
        counts.append(unread_shown(client))
    assert counts == [2, 1, 2, 1]


def test_header_second_page_with_nothing_changed_makes_one_query_fewer(
        client, bob, topics, alice_follows_both, django_assert_num_queries,
        django_capture_on_commit_callbacks):
    """Session, and the person with the header row and the site version; the first page
    counts the unread in one more."""
    _claim(bob, topics[0], django_capture_on_commit_callbacks)
    client.force_login(alice_follows_both)
    with django_assert_num_queries(3):
        first = _unread_in_header(client)
    with django_assert_num_queries(2):
        second = _unread_in_header(client)
    assert (first, second) == (1, 1)


def test_header_count_stored_after_a_notification_committed_is_never_served(
        client, alice, topics, monkeypatch, django_capture_on_commit_callbacks):
    """The race: alice's page reads her inbox stamp and counts, bob's notification commits
    (no visible write, so the site version stays), then the page stores its stale count.
    It was stored under the stamp read before the commit, so the next page counts again."""
    client.force_login(alice)
    counted = context_processors.unread_count

    def count_then_notify(person):
        stale = counted(person)
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify(kind=EventKind.CLAIM_REMINDER, text="Meanwhile.",
                                 topic=topics[0], also=[alice], followers=False)
        return stale

    monkeypatch.setattr(context_processors, "unread_count", count_then_notify)
    assert _unread_in_header(client) == 0
    monkeypatch.setattr(context_processors, "unread_count", counted)
    assert _unread_in_header(client) == 1


def test_header_unread_count_rises_at_once_for_a_person_made_a_moderator(
        unread_shown, client, bob, moderator, topics, alice_follows_both,
        django_capture_on_commit_callbacks):
    """Made a moderator (the group: no visible write, the site version stays), alice counts
    the row that quotes bob's hidden name on her next page, not after the cache timeout."""
    _claim(bob, topics[0], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        content_hide(moderator=moderator, target_type="profile", obj=bob.profile,
                     reason="Impersonation.")
    client.force_login(alice_follows_both)
    assert unread_shown(client) == 0

    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        moderators.user_set.add(alice_follows_both)

    assert unread_shown(client) == 1


def test_header_unread_count_drops_at_once_when_notifications_are_deleted(
        unread_shown, client, topics, alice_reads_two_unread, django_capture_on_commit_callbacks):
    """Rows deleted outside the services (the admin, a cascade) move the inbox stamp too."""
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(recipient=alice_reads_two_unread, topic=topics[0]).delete()

    assert unread_shown(client) == 1
