"""Follower fan-out: one queued e-mail task per event, however many people follow, and that
task still e-mails each person once, even when another person's send fails."""

import datetime
import logging

import pytest
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.utils import timezone

from registry import services
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from registry.notifications.tasks import send_notification_emails
from tests.factories import TopicFactory, UserFactory

State = Notification.EmailState


@pytest.fixture(autouse=True)
def _no_batch_window(settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips", title="Compute governance")


@pytest.fixture
def fourteen_followers(topic):
    people = [UserFactory(username=f"follower{n:02}") for n in range(14)]
    for person in people:
        notifications.follow_create(person=person, topic=topic)
    return people


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(send_notification_emails, "apply_async",
                        lambda args, **kwargs: calls.append((args, kwargs)))
    return calls


def claim(person, topic, **kwargs):
    return services.claim_create(topic=topic, person=person, plan="A survey.", **kwargs)


def follow(topic, *people):
    for person in people:
        notifications.follow_create(person=person, topic=topic)


def email_states():
    return list(Notification.objects.order_by("recipient__username", "created_at")
                .values_list("recipient__username", "email_state"))


def test_claim_with_fourteen_followers_queues_one_task_for_all_of_them(
        settings, alice, topic, fourteen_followers, queued,
        django_capture_on_commit_callbacks):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        claim(alice, topic)
    ids = sorted(person.pk for person in fourteen_followers)
    assert len(ids) == 14
    assert queued == [((ids,), {"countdown": 600})]


def test_two_events_queue_two_tasks(alice, topic, fourteen_followers, queued,
                                    django_capture_on_commit_callbacks):
    ids = sorted(person.pk for person in fourteen_followers)
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(alice, topic)
        services.claim_release(claim=made, actor=alice)
    assert queued == [((ids,), {"countdown": 0}), ((ids,), {"countdown": 0})]


def test_fan_out_task_is_registered_under_its_queued_name():
    task = current_app.tasks[notifications.SEND_EMAILS_TASK]
    assert (task.name, task.time_limit, task.soft_time_limit) == (
        "registry.notifications.tasks.send_notification_emails", 540, 480)
    # Tasks queued before the fan-out still find their worker.
    assert notifications.SEND_EMAIL_TASK in current_app.tasks


def test_send_notification_emails_run_twice_sends_each_person_one_email(
        alice, bob, charlie, topic):
    follow(topic, bob, charlie)
    claim(alice, topic)
    assert send_notification_emails([bob.pk, charlie.pk]) == 2
    assert send_notification_emails([bob.pk, charlie.pk]) == 0
    assert [m.to for m in mail.outbox] == [["bob@example.org"], ["charlie@example.org"]]


def test_burst_tasks_naming_the_same_person_send_one_email_each(
        settings, alice, bob, charlie, topic):
    """Each event of a burst queues its own task; the first task due sends the whole burst
    and the later ones find nothing left to send."""
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 10
    follow(topic, bob, charlie)
    t0 = timezone.now() - datetime.timedelta(minutes=20)
    made = claim(alice, topic, now=t0)
    services.claim_release(claim=made, actor=alice, now=t0 + datetime.timedelta(minutes=3))
    claim(UserFactory(username="dave"), topic, now=t0 + datetime.timedelta(minutes=5))
    assert send_notification_emails([bob.pk, charlie.pk]) == 6
    assert send_notification_emails([bob.pk, charlie.pk]) == 0
    assert send_notification_emails([bob.pk]) == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bob@example.org"], "Gapmap: 3 updates on what you follow"),
        (["charlie@example.org"], "Gapmap: 3 updates on what you follow"),
    ]


def test_one_failed_send_does_not_stop_the_next_person(
        alice, bob, charlie, topic, monkeypatch, caplog):
    follow(topic, bob, charlie)
    claim(alice, topic)
    real_send_mail = notifications.send_mail

    def bob_unreachable(subject, body, sender, to):
        if to == ["bob@example.org"]:
            raise ConnectionRefusedError("bob's server is down")
        return real_send_mail(subject, body, sender, to)

    monkeypatch.setattr(notifications, "send_mail", bob_unreachable)
    with caplog.at_level(logging.ERROR, logger="registry.notifications.services"):
        assert send_notification_emails([bob.pk, charlie.pk]) == 1
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    assert email_states() == [("bob", State.PENDING), ("charlie", State.SENT)]
    assert [r.getMessage() for r in caplog.records] == [
        f"Could not e-mail person {bob.pk} their notifications; the outbox retry sweep will "
        "send them."]


def test_soft_time_limit_ends_the_run_and_leaves_the_rest_pending(
        alice, bob, charlie, topic, monkeypatch):
    follow(topic, bob, charlie)
    claim(alice, topic)

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(notifications, "send_mail", out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        send_notification_emails([bob.pk, charlie.pk])
    assert email_states() == [("bob", State.PENDING), ("charlie", State.PENDING)]


def test_broker_down_fan_out_claim_succeeds_and_rows_stay_pending(
        alice, topic, fourteen_followers, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused.")

    monkeypatch.setattr(send_notification_emails, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(alice, topic)
    assert made.pk is not None
    assert Notification.objects.filter(email_state=State.PENDING).count() == 14
    assert mail.outbox == []


def test_outbox_retry_with_nothing_due_queues_no_task(db, queued):
    assert notifications.notifications_retry() == 0
    assert queued == []
