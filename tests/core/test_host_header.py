"""A request's Host and X-Forwarded-* headers never reach another visitor's cached page.

Absolute URLs in API responses (`url` fields, pagination links) come from the request's scheme
and host, and ALLOWED_HOSTS lets through another port, upper case and a trailing dot. The
visitors' cache (registry.core.caching) keys on both, so one crafted request cannot decide what the
next plain visitor receives.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

HOST = "gapmap.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True


@pytest.fixture
def topics(db):
    return [TopicFactory(slug=f"topic-{n:02}", title=f"Topic {n:02}") for n in range(21)]


def _plain_visitor(**headers):
    return APIClient().get("/api/v1/topics/", HTTP_HOST=HOST, HTTP_ACCEPT="application/json",
                           **headers)


POISONS = {
    "another port": {"HTTP_HOST": f"{HOST}:31337"},
    "upper case": {"HTTP_HOST": HOST.upper()},
    "trailing dot": {"HTTP_HOST": f"{HOST}."},
    "forwarded https": {"HTTP_X_FORWARDED_PROTO": "https"},
    "forwarded host": {"HTTP_X_FORWARDED_HOST": f"{HOST}:31337"},
}


@pytest.mark.parametrize("poison", POISONS.values(), ids=POISONS.keys())
def test_host_header_variant_never_reaches_the_next_plain_visitor(topics, poison):
    unpoisoned = _plain_visitor().content
    cache.clear()
    crafted = APIClient().get("/api/v1/topics/", HTTP_ACCEPT="application/json",
                              **{"HTTP_HOST": HOST, **poison})

    after = _plain_visitor()

    assert crafted.status_code == 200
    assert crafted.content != unpoisoned  # the variant did build other URLs
    assert after.content == unpoisoned
    assert (after.json()["next"], after.json()["results"][0]["url"]) == (
        f"http://{HOST}/api/v1/topics/?page=2", f"http://{HOST}/topics/topic-00/")


def test_host_header_plain_http_never_reaches_the_next_https_visitor(topics):
    secure = _plain_visitor(HTTP_X_FORWARDED_PROTO="https").content
    cache.clear()
    _plain_visitor()

    after = _plain_visitor(HTTP_X_FORWARDED_PROTO="https")

    assert after.content == secure
    assert after.json()["next"] == f"https://{HOST}/api/v1/topics/?page=2"


def test_host_header_plain_visitors_still_share_one_cached_page(topics,
                                                                django_assert_num_queries):
    first = _plain_visitor()

    with django_assert_num_queries(1):  # the site version only
        second = _plain_visitor()

    assert second.content == first.content
