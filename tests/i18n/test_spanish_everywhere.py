"""Every page and every e-mail in Spanish (issue 18, "Done when"): no English left in what a
person reads, but their own content and names (tests/i18n/english_left.py).

The world and the page list are the browser's every-page gate's (tests/browser/pages.py):
each role visits every page it can reach, with Spanish chosen by the switcher's cookie. The
people of the world have chosen Spanish too, so every e-mail the world's events send them,
and their digests, must be Spanish.
"""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import models
from django.test import Client
from django.utils import timezone

from registry.models import Cluster, Profile, Topic
from registry.notifications.models import Delivery, Notification
from registry.notifications.services import notification_digest_send, notification_emails_send
from tests.browser.pages import PAGES, ROLES, SENT_EMPTY, build_gate_world
from tests.factories import UserFactory
from tests.i18n.english_left import english_left, visible_text
from tests.test_permission_matrix import USERNAMES

# Apps whose rows are what people wrote (shown in the language it was written in).
USER_CONTENT_APPS = ("registry", "proposals", "feedback", "notifications", "tokens",
                     "moderation")
# Names, and the English terms of art and cited title the Spanish catalogue keeps on purpose
# (fixtures/catalogue.es.json); the map cuts long titles short ("Inspecciones in…").
ALWAYS_ALLOWED = ["Gapmap", "English", "API", "proof-of-learning", "in situ", "Inspecciones in",
                  "What does it take to catch a Chinchilla?"]


def user_content() -> list[str]:
    """Every text the world's people wrote or were given: all text fields of the user-content
    apps' rows, but for catalogue topics and clusters, which are translated."""
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in USER_CONTENT_APPS or model in (Cluster,):
            continue
        fields = [field.name for field in model._meta.get_fields()
                  if isinstance(field, (models.CharField, models.TextField))]
        if not fields:
            continue
        rows = model.objects.all()
        if model is Topic:  # a catalogue topic is translated; a suggested one is user content
            rows = rows.exclude(translations__has_key="es")
        for values in rows.values_list(*fields):
            texts += [str(value) for value in values if value]
    texts += [user.username for user in apps.get_model(settings.AUTH_USER_MODEL).objects.all()]
    return texts + ALWAYS_ALLOWED


@pytest.fixture(scope="module")
def world(module_transaction):
    # The world's people chose Spanish before anything happened to them.
    for role, username in USERNAMES.items():
        user = UserFactory(username=username, is_staff=(role == "moderator"))
        Profile.objects.filter(user=user).update(language="es")
    people, ids = build_gate_world()
    return people, ids


def _client(people, role):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    if ROLES[role]:
        client.force_login(people[ROLES[role]])
    return client


@pytest.mark.parametrize("role", list(PAGES))
def test_spanish_every_page_has_no_english_left(db, world, role):
    people, ids = world
    client = _client(people, role)
    allowed = user_content()
    leaks = []
    for name, address in PAGES[role]:
        response = client.get(address.format(**ids), HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        assert '<html lang="es">' in html, (name, response.status_code)
        leaks += [f"{name} {address}: {leak}" for leak in english_left(visible_text(html), allowed)]
    assert leaks == [], "\n".join(leaks)


@pytest.mark.parametrize("role", list(SENT_EMPTY))
def test_spanish_forms_sent_empty_have_no_english_left(db, world, role):
    people, ids = world
    client = _client(people, role)
    allowed = user_content()
    leaks = []
    for name, address in SENT_EMPTY[role]:
        response = client.post(address.format(**ids), {}, follow=True)
        leaks += [f"{name}: {leak}" for leak in
                  english_left(visible_text(response.content.decode()), allowed)]
    assert leaks == [], "\n".join(leaks)


def test_spanish_every_email_has_no_english_left(db, world):
    people, _ids = world
    later = timezone.now() + datetime.timedelta(days=2)
    alice = people["author"]
    # alice's notifications go out in a digest, everyone else's one by one.
    Notification.objects.filter(recipient=alice).update(delivery=Delivery.DIGEST)
    mail.outbox.clear()
    for person in people.values():
        notification_emails_send(recipient_id=person.pk, now=later)
    notification_digest_send(recipient_id=alice.pk, now=later)
    Client().post("/accounts/password_reset/", {"email": alice.email},
                  HTTP_ACCEPT_LANGUAGE="es")

    allowed = user_content()
    assert len(mail.outbox) >= 3
    leaks = [f"{message.subject!r}: {leak}" for message in mail.outbox
             for leak in english_left(f"{message.subject}\n{message.body}", allowed)]
    assert leaks == [], "\n".join(leaks)
