"""Notifications in each reader's language (issue 18): a row keeps its English text and a
message (msgid and parameters) that is translated when shown, and each e-mail is written in
its recipient's language. Django's own catalogue names the months, so a date tells which
language a text was rendered in, whatever our catalogue holds."""


import pytest
from django.core import mail
from django.utils import translation

from registry import services
from registry.notifications import messages, periodic
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from tests.factories import TopicFactory
from tests.notifications.conftest import T0, days

pytestmark = pytest.mark.usefixtures("claim_rules")


def speaks(person, language):
    person.profile.language = language
    person.profile.save(update_fields=["language"])


def test_row_keeps_english_text_and_its_message(alice_claim, bob):
    row = Notification.objects.get(recipient=bob)
    assert (row.text, row.message) == ("Alice claimed “Compute governance”.", {
        "msgid": "%(name)s claimed “%(topic)s”.",
        "params": {"name": "Alice",
                   "topic": {"topic": alice_claim.topic_id, "title": "Compute governance"}}})


def test_row_names_its_topic_in_the_readers_language(alice_claim, bob):
    topic = alice_claim.topic
    topic.translations = {"es": {"title": "Gobernanza del cómputo", "description": "",
                                 "edited": True}}
    topic.save(update_fields=["translations"])
    row = Notification.objects.select_related("topic__cluster").get(recipient=bob)
    with translation.override("es"):
        spanish = row.local_text
    assert ("Gobernanza del cómputo" in spanish, "Compute governance" in spanish) == (True, False)
    assert row.local_text == "Alice claimed “Compute governance”."


def test_row_written_in_a_spanish_request_is_stored_in_english(alice, bob):
    speaks(alice, "es")
    topic = TopicFactory(slug="chips", title="Compute governance")
    notifications.follow_create(person=alice, topic=topic)
    services.claim_create(topic=topic, person=alice, plan="A survey.", now=T0)
    with translation.override("es"):
        notifications.claims_remind(now=days(150))
    row = Notification.objects.get(kind="claim_reminder")
    assert "since 1 January 2031" in row.text
    assert row.message["params"]["since"] == {"date": "2031-01-01"}


def test_reminder_email_is_in_the_claimants_language(alice, alice_claim):
    speaks(alice, "es")
    periodic.claim_sweep(now=days(150))
    notifications.notification_emails_send(recipient_id=alice.pk, now=days(1000))
    (message,) = mail.outbox
    assert "enero" in message.subject and "enero" in message.body
    assert "January" not in message.body
    assert "1 January 2031" in Notification.objects.get(kind="claim_reminder").text


def test_email_without_a_language_is_in_english(alice, alice_claim):
    periodic.claim_sweep(now=days(150))
    with translation.override("es"):  # the worker's language does not matter
        notifications.notification_emails_send(recipient_id=alice.pk, now=days(1000))
    assert "quiet since 1 January 2031" in mail.outbox[0].body


def test_inbox_shows_the_row_in_the_readers_language(client, alice, alice_claim):
    speaks(alice, "es")
    periodic.claim_sweep(now=days(150))
    client.force_login(alice)
    page = client.get("/me/notifications/").content.decode()
    assert "enero" in page and "January" not in page


def test_message_whose_translation_does_not_fit_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(messages, "gettext", lambda text: "%(missing)s")
    message = messages.Message("%(name)s claimed “%(topic)s”.", name="Alice", topic="X")
    assert messages.render(message.as_json()) == "Alice claimed “X”."
