"""registry.core.redirects.safe_next: every form that goes on to a posted `next` stays on
the site."""

import pytest
from django.test import RequestFactory

from registry.core.redirects import is_safe_next
from registry.models import Claim
from tests.factories import PASSWORD, ClaimFactory, TopicFactory, WriteupFactory

UNSAFE = [
    "https://evil.example/",
    "http://testserver.evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example/",
    "\\/evil.example/",
    "javascript:alert(1)",
    " /topics/",
    "/topics/\n",
    "\x01//evil.example/",
    "evil.example",
    "",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_is_safe_next_refuses_other_sites_and_tricks(url):
    assert is_safe_next(url, RequestFactory().get("/")) is False


@pytest.mark.parametrize("url", ["/topics/chips/", "/me/?page=2#claims", "/"])
def test_is_safe_next_allows_paths_on_this_site(url):
    assert is_safe_next(url, RequestFactory().get("/")) is True


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_claim_release_external_next_falls_back_to_topic(client, alice, url):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post(f"/claims/{claim.pk}/release/", {"next": url, "confirm": "yes"})

    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")
    assert Claim.objects.get(pk=claim.pk).state == "released"


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_claim_renew_external_next_falls_back_to_topic(client, alice, url):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post(f"/claims/{claim.pk}/renew/", {"note": "Drafted.", "next": url})

    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")


def test_claim_renew_local_next_followed(client, alice):
    claim = ClaimFactory(person=alice)
    client.force_login(alice)

    response = client.post(f"/claims/{claim.pk}/renew/", {"note": "Drafted.", "next": "/me/"})

    assert (response.status_code, response["Location"]) == (302, "/me/")


def test_report_external_next_falls_back_to_the_reported_page(client, alice, bob):
    writeup = WriteupFactory(author=alice, published=True)
    client.force_login(bob)

    response = client.post(f"/report/writeup/{writeup.pk}/",
                           {"reason": "spam", "next": "/\\evil.example/"})

    assert (response.status_code, response["Location"]) == (302, writeup.get_absolute_url())


def test_follow_external_next_falls_back_to_the_topic(client, bob):
    TopicFactory(slug="chips")
    client.force_login(bob)

    response = client.post("/topics/chips/follow/", {"next": "//evil.example/"})

    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")


def test_login_external_next_falls_back_to_home(client, alice):
    response = client.post("/accounts/login/?next=/\\evil.example/",
                           {"username": "alice", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/")
