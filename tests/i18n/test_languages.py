"""Choosing the language (issue 18): Accept-Language on a first visit, the switcher (cookie,
and the profile for a signed-in person), the profile at log-in, and bad choices refused."""

import pytest
from django.conf import settings
from django.test import Client

from registry.models import Profile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    head = response.content.decode()[:200]
    return head.split('<html lang="', 1)[1].split('"', 1)[0]


def test_language_first_visit_follows_accept_language(client):
    spanish = client.get("/about/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    english = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    unknown = client.get("/about/", HTTP_ACCEPT_LANGUAGE="de-DE")

    assert [html_lang(r) for r in (spanish, english, unknown)] == ["es", "en", "en"]
    assert [r["Content-Language"] for r in (spanish, english, unknown)] == ["es", "en", "en"]


def test_language_switcher_shown_in_header_and_footer(client):
    page = client.get("/about/").content.decode()
    spanish_page = client.get("/about/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert page.count('action="/language/"') == 2
    assert page.count('<button type="submit" name="language" value="es" lang="es"') == 2
    # Each language by its own name, whatever the page's language.
    assert ('<span class="language-current" lang="en" aria-current="true">English</span>'
            in page)
    assert '<span class="visually-hidden">Español</span>' in page
    assert '<span class="visually-hidden">English</span>' in spanish_page


def test_language_switcher_visitor_sets_cookie_without_csrf_token():
    visitor = Client(enforce_csrf_checks=True)

    response = visitor.post("/language/", {"language": "es", "next": "/gaps/?page=2"})

    assert (response.status_code, response["Location"]) == (302, "/gaps/?page=2")
    assert response.cookies[COOKIE].value == "es"
    assert html_lang(visitor.get("/about/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_language_switcher_next_elsewhere_stays_on_site(client):
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})

    assert (response.status_code, response["Location"]) == (302, "/")


def test_language_switcher_unknown_language_names_it(client, alice):
    client.force_login(alice)

    response = client.post("/language/", {"language": "xx", "next": "/"})

    assert response.status_code == 400
    assert response.content.decode() == (
        "“xx” is not a language Gapmap speaks. Choose one of: en, es.")
    assert COOKIE not in response.cookies
    assert Profile.objects.get(user=alice).language == ""


def test_language_switcher_signed_in_saves_profile_and_wins_over_browser(client, alice):
    client.force_login(alice)

    client.post("/language/", {"language": "es", "next": "/"})
    client.cookies.pop(COOKIE)  # another device: only the session and the profile know

    assert Profile.objects.get(user=alice).language == "es"
    assert html_lang(client.get("/about/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_language_switcher_signed_in_without_csrf_token_refused(alice):
    person = Client(enforce_csrf_checks=True)
    person.force_login(alice)

    response = person.post("/language/", {"language": "es", "next": "/"})

    assert response.status_code == 403
    assert Profile.objects.get(user=alice).language == ""


def test_language_log_in_uses_profile_language(client, alice):
    Profile.objects.filter(user=alice).update(language="es")

    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert html_lang(client.get("/about/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_language_log_in_keeps_switcher_choice_for_new_profile(client, alice):
    client.cookies[COOKIE] = "es"

    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert Profile.objects.get(user=alice).language == "es"


def test_language_log_in_profile_choice_beats_cookie(client, alice):
    Profile.objects.filter(user=alice).update(language="en")
    client.cookies[COOKIE] = "es"

    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert html_lang(client.get("/about/")) == "en"
    assert Profile.objects.get(user=alice).language == "en"
