"""Notification settings (issue 16, item 8): grouped under headings, each kind labelled by a
sentence, an "off" that the services honour (nothing is written or sent), and one choice for
every kind at once."""

import re

import pytest
from django.core import mail

from registry import services
from registry.notifications import selectors
from registry.notifications import services as notifications
from registry.notifications.models import SETTINGS_GROUPS, EventKind, Notification
from tests.factories import TopicFactory

URL = "/me/notifications/settings/"


@pytest.fixture(autouse=True)
def _no_batch_window(settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0


def test_every_kind_is_in_exactly_one_group():
    grouped = [kind for _, kinds in SETTINGS_GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(EventKind.values)


def test_settings_page_groups_the_kinds_under_headings(client, alice):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert re.findall(r"<legend>([^<]+)</legend>", page) == [
        "Your claims, writeups and suggestions", "Proposals you author, own or are invited to",
        "Discussion and reviews", "Topics and proposals you follow"]
    quiet = page.split("<legend>Your claims")[1].split("</fieldset>")[0]
    assert '<label for="id_claim_reminder">A claim of yours is going quiet (a reminder) ' in quiet


def test_funders_and_moderators_also_see_their_groups(client, moderator):
    moderator.profile.is_funder = True
    moderator.profile.save()
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    assert re.findall(r"<legend>([^<]+)</legend>", page)[-2:] == ["Funders&#x27; alerts",
                                                                  "Moderation"]


def test_saving_the_shown_groups_keeps_the_others(client, alice):
    notifications.notification_settings_update(person=alice, delivery={"gap_opened": "off"})
    client.force_login(alice)
    data = {kind: "digest" for kind in EventKind.values if kind not in (
        "gap_opened", "topic_covered", "report_made")} | {"digest_frequency": "daily"}
    assert client.post(URL, data).status_code == 302
    prefs = selectors.settings_for(alice)
    assert (prefs.delivery_for("claim_made"), prefs.delivery_for("gap_opened")) == (
        "digest", "off")


def test_every_label_reads_as_a_sentence(client, moderator):
    moderator.profile.is_funder = True
    moderator.profile.save()
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    labels = re.findall(r'<label for="id_(?!every_kind|digest)\w+">([^<]+) <span', page)
    assert len(labels) == len(EventKind.values)
    assert all(label[0].isupper() and not label.startswith("When ") for label in labels)


def test_each_kind_offers_off(client, alice):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    select = page.split('name="claim_made"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', select) == ["email", "digest", "site", "off"]


def test_off_means_no_inbox_line_and_no_email(alice, bob):
    topic = TopicFactory(slug="chips")
    notifications.follow_create(person=bob, topic=topic)
    notifications.notification_settings_update(person=bob, delivery={"claim_made": "off"})
    services.claim_create(topic=topic, person=alice, plan="A report")
    assert (Notification.objects.filter(recipient=bob).count(), len(mail.outbox)) == (0, 0)


def test_off_for_one_kind_leaves_the_others(alice, bob):
    topic = TopicFactory(slug="chips")
    notifications.follow_create(person=bob, topic=topic)
    notifications.notification_settings_update(person=bob, delivery={"claim_made": "off"})
    claim = services.claim_create(topic=topic, person=alice, plan="A report")
    services.claim_release(claim=claim, actor=alice)
    assert list(Notification.objects.filter(recipient=bob).values_list("kind", flat=True)) == [
        "claim_released"]


def test_set_all_sets_every_kind(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"every_kind": "site"})
    assert (response.status_code, response["Location"]) == (302, URL)
    prefs = selectors.settings_for(alice)
    assert {kind: prefs.delivery_for(kind) for kind in EventKind.values} == dict.fromkeys(
        EventKind.values, "site")


def test_set_all_off_keeps_the_digest_frequency(client, alice):
    notifications.notification_settings_update(person=alice, digest_frequency="weekly")
    client.force_login(alice)
    client.post(URL, {"every_kind": "off"})
    prefs = selectors.settings_for(alice)
    assert ({prefs.delivery_for(kind) for kind in EventKind.values}, prefs.digest_frequency) == (
        {"off"}, "weekly")


def test_set_all_with_an_unknown_choice_is_400_and_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"every_kind": "pigeon"})
    assert response.status_code == 400
    assert "Select a valid choice. pigeon is not one of the available choices." in \
        response.content.decode()
    assert selectors.settings_for(alice).delivery == {}


def test_api_accepts_off_and_the_services_honour_it(api_as, alice, bob):
    topic = TopicFactory(slug="chips")
    notifications.follow_create(person=bob, topic=topic)
    response = api_as(bob).patch("/api/v1/me/notification-settings/",
                                 {"delivery": {"claim_made": "off"}}, format="json")
    assert (response.status_code, response.json()["delivery"]["claim_made"]) == (200, "off")
    services.claim_create(topic=topic, person=alice, plan="A report")
    assert Notification.objects.filter(recipient=bob).count() == 0
