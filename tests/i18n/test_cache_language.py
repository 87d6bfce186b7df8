"""The caches key on the language (issue 18): the visitors' page cache, shared fragments and
per-stats-version builds never serve a page in one language to a reader of the other."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from registry.templatetags.shared_cache import fragment_key
from tests.factories import TopicFactory
from tests.i18n.test_languages import html_lang

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.parametrize("path", ["/", "/gaps/", "/map/", "/topics/chips/", "/clusters/security/"])
@pytest.mark.parametrize("first", ["es", "en"])
def test_visitor_cache_language_never_crosses(client, path, first):
    TopicFactory(slug="chips", title="Chip export controls", cluster__slug="security")
    other = "en" if first == "es" else "es"

    served = {language: client.get(path, HTTP_ACCEPT_LANGUAGE=language)
              for language in (first, other, first)}

    assert [response.status_code for response in served.values()] == [200, 200]
    assert (html_lang(served[first]), html_lang(served[other])) == (first, other)


def test_visitor_cache_language_cookie_only_still_cached(django_assert_num_queries):
    TopicFactory(slug="chips", title="Chip export controls")
    visitor = Client()
    visitor.cookies[COOKIE] = "es"
    first = visitor.get("/topics/chips/", HTTP_ACCEPT_LANGUAGE="en")

    with django_assert_num_queries(1):  # the stats version only
        second = visitor.get("/topics/chips/", HTTP_ACCEPT_LANGUAGE="en")

    assert (html_lang(first), second.content) == ("es", first.content)


def test_shared_fragment_key_holds_language(rf, alice):
    request = rf.get("/gaps/")
    request.user = alice

    with translation.override("es"):
        spanish = fragment_key(request, "gaps")
    with translation.override("en"):
        english = fragment_key(request, "gaps")

    assert spanish != english
    assert spanish.split(":")[:2] == english.split(":")[:2] == ["shared-fragment-2", "gaps"]
