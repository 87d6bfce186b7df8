"""The notification outbox: who hears of what, one e-mail per burst, sent exactly once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from registry import services
from registry.notifications import periodic, selectors
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from registry.notifications.tasks import send_notification_email, send_notification_emails
from tests.factories import TopicFactory, UserFactory

State = Notification.EmailState


@pytest.fixture(autouse=True)
def _no_batch_window(settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0
    settings.GAPMAP_SITE_URL = "https://gapmap.test"


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips", title="Compute governance")


@pytest.fixture
def bob_follows(bob, topic):
    return notifications.follow_create(person=bob, topic=topic)


def claim(person, topic, **kwargs):
    return services.claim_create(topic=topic, person=person, plan="A survey.", **kwargs)


def test_claim_notifies_follower_with_one_row_and_one_email(
        alice, bob_follows, topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim(alice, topic)
    rows = list(Notification.objects.values_list("recipient__username", "kind", "text",
                                                 "email_state"))
    assert rows == [("bob", "claim_made", "Alice claimed “Compute governance”.", "sent")]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bob@example.org"], "Gapmap: Alice claimed “Compute governance”.")]
    assert mail.outbox[0].body == (
        "Hello Bob,\n\n"
        "- Alice claimed “Compute governance”.\n"
        "  https://gapmap.test/topics/chips/\n\n"
        "Your notifications: https://gapmap.test/me/notifications/\n"
        "Choose how you hear about each kind of event: "
        "https://gapmap.test/me/notifications/settings/\n")


def test_claim_actor_is_never_notified(alice, topic, django_capture_on_commit_callbacks):
    notifications.follow_create(person=alice, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        claim(alice, topic)
    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_claim_makes_the_claimant_follow(alice, topic):
    claim(alice, topic)
    assert selectors.follows(alice, topic=topic) is True


def test_unfollow_stops_notifications(alice, bob, bob_follows, topic):
    assert notifications.follow_delete(person=bob, topic=topic) is True
    claim(alice, topic)
    assert Notification.objects.count() == 0


def test_notify_queues_email_for_the_end_of_the_batch_window(
        settings, alice, bob_follows, topic, monkeypatch, django_capture_on_commit_callbacks):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 10
    queued = []
    monkeypatch.setattr(send_notification_emails, "apply_async",
                        lambda args, **kwargs: queued.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        claim(alice, topic)
    assert queued == [(([bob_follows.person_id],), {"countdown": 600})]


def test_burst_for_one_person_sends_one_email(
        settings, alice, bob, charlie, bob_follows, topic, django_capture_on_commit_callbacks):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 10
    t0 = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # eager tasks: not due yet
        alice_claim = claim(alice, topic, now=t0)
        claim(charlie, topic, now=t0 + datetime.timedelta(minutes=3))
        services.claim_release(claim=alice_claim, actor=alice,
                               now=t0 + datetime.timedelta(minutes=5))
    assert mail.outbox == []
    sent = notifications.notification_emails_send(recipient_id=bob.pk,
                                                  now=t0 + datetime.timedelta(minutes=10))
    assert sent == 3
    assert [m.subject for m in mail.outbox] == ["Gapmap: 3 updates on what you follow"]
    assert mail.outbox[0].body.splitlines()[2:7] == [
        "- Alice claimed “Compute governance”.",
        "  https://gapmap.test/topics/chips/",
        "",
        "- Charlie claimed “Compute governance”.",
        "  https://gapmap.test/topics/chips/",
    ]
    assert "- Alice released their claim on “Compute governance”." in mail.outbox[0].body


def test_burst_is_held_until_its_window_closes(settings, alice, bob, bob_follows, topic):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 10
    t0 = timezone.now()
    claim(alice, topic, now=t0)
    early = notifications.notification_emails_send(recipient_id=bob.pk,
                                                   now=t0 + datetime.timedelta(minutes=9))
    assert (early, len(mail.outbox)) == (0, 0)


def test_send_notification_email_run_twice_sends_one_email(alice, bob, bob_follows, topic):
    claim(alice, topic)
    assert send_notification_email(bob.pk) == 1
    assert send_notification_email(bob.pk) == 0
    assert len(mail.outbox) == 1


def test_send_interleaved_redeliveries_send_one_email(alice, bob, bob_follows, topic):
    """Two deliveries of one task both read the pending rows before either claims them: the
    conditional UPDATE lets only one of them send."""
    claim(alice, topic)
    ids = selectors.due_email_ids(recipient_id=bob.pk, now=timezone.now())
    first = notifications.notification_emails_send(recipient_id=bob.pk, ids=ids)
    second = notifications.notification_emails_send(recipient_id=bob.pk, ids=ids)
    assert (first, second, len(mail.outbox)) == (1, 0, 1)
    assert list(Notification.objects.values_list("email_state", flat=True)) == [State.SENT]


def test_send_notification_email_returns_quietly_for_a_gone_person(db):
    assert send_notification_email(987654) == 0


def test_send_failure_hands_rows_back_for_a_retry(alice, bob, bob_follows, topic, monkeypatch):
    claim(alice, topic)

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        notifications.notification_emails_send(recipient_id=bob.pk)
    row = Notification.objects.get()
    assert (row.email_state, row.batch_key) == (State.PENDING, None)


def test_broker_down_claim_succeeds_and_retry_sends_it(
        alice, bob, bob_follows, topic, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(send_notification_emails, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            made = claim(alice, topic)
    assert made.pk is not None
    assert (Notification.objects.get().email_state, len(mail.outbox)) == (State.PENDING, 0)
    assert periodic.outbox_retry() == {"queued": 1}
    assert Notification.objects.get().email_state == State.SENT
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_outbox_retry_releases_rows_of_a_worker_that_died_mid_send(
        alice, bob, bob_follows, topic):
    claim(alice, topic)
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    Notification.objects.update(email_state=State.SENDING, email_claimed_at=long_ago)
    assert periodic.outbox_retry() == {"queued": 1}
    assert (Notification.objects.get().email_state, len(mail.outbox)) == (State.SENT, 1)


def test_outbox_retry_leaves_a_recent_send_alone(alice, bob, bob_follows, topic):
    claim(alice, topic)
    Notification.objects.update(email_state=State.SENDING, email_claimed_at=timezone.now())
    assert periodic.outbox_retry() == {"queued": 0}
    assert (Notification.objects.get().email_state, len(mail.outbox)) == (State.SENDING, 0)


def test_settings_choose_delivery_per_event_kind(alice, bob, bob_follows, topic):
    notifications.notification_settings_update(
        person=bob, delivery={"claim_made": "site", "claim_released": "digest"})
    made = claim(alice, topic)
    services.claim_release(claim=made, actor=alice)
    rows = list(Notification.objects.order_by("created_at", "id")
                .values_list("kind", "delivery", "email_state"))
    assert rows == [("claim_made", "site", "none"), ("claim_released", "digest", "pending")]
    assert send_notification_email(bob.pk) == 0
    assert mail.outbox == []


def test_settings_update_refuses_unknown_kinds_and_modes(bob):
    from registry.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        notifications.notification_settings_update(
            person=bob, delivery={"claim_made": "pigeon", "nonsense": "email"},
            digest_frequency="hourly")
    assert caught.value.fields == {
        "delivery": ["claim_made: choose one of email, digest, site, off.",
                     "“nonsense” is not an event kind."],
        "digest_frequency": ["Choose one of daily, weekly."],
    }


def test_digest_groups_events_by_what_they_are_about(alice, bob, charlie, bob_follows, topic):
    other = TopicFactory(slug="evals", title="Evaluation science")
    notifications.follow_create(person=bob, topic=other)
    notifications.notification_settings_update(
        person=bob, delivery={"claim_made": "digest", "claim_released": "digest"})
    t0 = timezone.now() - datetime.timedelta(hours=3)
    made = claim(alice, topic, now=t0)
    claim(charlie, other, now=t0 + datetime.timedelta(hours=1))
    services.claim_release(claim=made, actor=alice, now=t0 + datetime.timedelta(hours=2))
    assert mail.outbox == []
    assert periodic.digests() == {"sent": 1}
    assert periodic.digests() == {"sent": 0}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bob@example.org"], "Gapmap digest: 3 updates on what you follow")]
    assert mail.outbox[0].body == (
        "Hello Bob,\n\n"
        "Here is what happened in what you follow.\n\n"
        "Compute governance (https://gapmap.test/topics/chips/)\n"
        "- Alice claimed “Compute governance”.\n"
        "- Alice released their claim on “Compute governance”.\n\n"
        "Evaluation science (https://gapmap.test/topics/evals/)\n"
        "- Charlie claimed “Evaluation science”.\n\n"
        "Your notifications: https://gapmap.test/me/notifications/\n"
        "Choose how you hear about each kind of event: "
        "https://gapmap.test/me/notifications/settings/\n")


@pytest.mark.parametrize(("day", "sent"), [(datetime.date(2031, 3, 3), 1),   # a Monday
                                           (datetime.date(2031, 3, 4), 0)])  # a Tuesday
def test_weekly_digest_goes_out_on_mondays_only(day, sent, alice, bob, bob_follows, topic):
    notifications.notification_settings_update(person=bob, delivery={"claim_made": "digest"},
                                               digest_frequency="weekly")
    claim(alice, topic)
    now = datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC)
    assert notifications.digests_send(now=now) == sent
    assert len(mail.outbox) == sent


def test_suggestion_decision_goes_to_its_suggester_only(alice, bob, moderator, topic):
    notifications.follow_create(person=bob, topic=topic)
    suggestion = services.topic_suggest(person=alice, title="Chip export controls",
                                        cluster=topic.cluster, reason="Nobody covers it.")
    services.topic_decide(topic=suggestion, moderator=moderator, state="declined",
                          note="Covered by “Compute governance”.")
    rows = list(Notification.objects.values_list("recipient__username", "kind", "text"))
    assert rows == [("alice", "suggestion_declined", "Your suggested topic “Chip export "
                     "controls” was declined: Covered by “Compute governance”.")]


def test_suggestion_listed_tells_its_suggester(alice, moderator, topic):
    suggestion = services.topic_suggest(person=alice, title="Chip export controls",
                                        cluster=topic.cluster, reason="Nobody covers it.")
    services.topic_decide(topic=suggestion, moderator=moderator, state="listed")
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("alice", "suggestion_listed")]


def test_writeup_published_notifies_followers_and_author_follows(alice, bob, bob_follows,
                                                                  topic):
    writeup = services.writeup_create(topic=topic, author=alice, title="State of play",
                                      kind="insight", body="Findings.")
    assert Notification.objects.count() == 0  # drafts are nobody's business
    services.writeup_publish(writeup=writeup, actor=alice)
    assert list(Notification.objects.values_list("recipient__username", "kind", "text")) == [
        ("bob", "writeup_published", "Alice published “State of play” on “Compute governance”.")]
    assert selectors.follows(alice, topic=topic) is True


def test_inactive_follower_is_not_notified(alice, topic):
    gone = UserFactory(username="gone", is_active=False)
    notifications.follow_create(person=gone, topic=topic)
    claim(alice, topic)
    assert Notification.objects.count() == 0


# --- Reports: every moderator hears of every new report ------------------------------------

def _report_writeup(reporter, writeup, reason="spam"):
    from registry.moderation.services import report_create

    return report_create(reporter=reporter, target_type="writeup", target_id=writeup.pk,
                         reason=reason)


@pytest.fixture
def reported_writeup(alice, topic):
    from tests.factories import WriteupFactory

    return WriteupFactory(author=alice, topic=topic, published=True, title="Buy pills")


@pytest.fixture
def group_moderator(db):
    from django.contrib.auth.models import Group

    person = UserFactory(username="gina")
    person.groups.add(Group.objects.get_or_create(name="moderators")[0])
    return person


def test_report_notifies_every_moderator_once_by_email(
        bob, moderator, group_moderator, reported_writeup,
        django_capture_on_commit_callbacks):
    UserFactory(username="retired", is_staff=True, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _report_writeup(bob, reported_writeup)

    rows = list(Notification.objects.order_by("recipient__username").values_list(
        "recipient__username", "kind", "text", "actor__username", "topic__slug"))
    assert rows == [
        ("gina", "report_made", "Bob reported the writeup “Buy pills” (spam).", "bob", "chips"),
        ("mod", "report_made", "Bob reported the writeup “Buy pills” (spam).", "bob", "chips"),
    ]
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == ["gina@example.org", "mod@example.org"]
    assert bodies["mod@example.org"] == (
        "Hello Mod,\n\n"
        "- Bob reported the writeup “Buy pills” (spam).\n"
        "  https://gapmap.test/moderation/\n\n"
        "Your notifications: https://gapmap.test/me/notifications/\n"
        "Choose how you hear about each kind of event: "
        "https://gapmap.test/me/notifications/settings/\n")


def test_report_reporter_is_not_told_who_else_reported(bob, charlie, moderator,
                                                       reported_writeup):
    _report_writeup(bob, reported_writeup)
    _report_writeup(charlie, reported_writeup, reason="abuse")

    assert list(Notification.objects.filter(recipient__in=[bob, charlie])) == []
    assert list(Notification.objects.filter(recipient=moderator).order_by("id")
                .values_list("text", flat=True)) == [
        "Bob reported the writeup “Buy pills” (spam).",
        "Charlie reported the writeup “Buy pills” (abuse or harassment).",
    ]


def test_report_by_a_moderator_notifies_the_other_moderators(moderator, group_moderator,
                                                             reported_writeup):
    _report_writeup(moderator, reported_writeup)

    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("gina", "report_made")]


def test_report_notification_follows_the_moderators_delivery_setting(
        bob, moderator, reported_writeup, django_capture_on_commit_callbacks):
    notifications.notification_settings_update(person=moderator,
                                               delivery={"report_made": "site"})
    with django_capture_on_commit_callbacks(execute=True):
        _report_writeup(bob, reported_writeup)

    assert list(Notification.objects.values_list("recipient__username", "email_state")) == [
        ("mod", "none")]
    assert mail.outbox == []
