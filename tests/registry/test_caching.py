"""Public pages for visitors without cookies come from the cache, per stats version."""

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from rest_framework.test import APIClient

from proposals.services import proposal_update
from registry import services
from registry.caching import for_visitors
from registry.tokens.services import api_token_create
from tests.factories import (
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_visitor_page_second_request_served_from_cache(client, django_assert_num_queries):
    TopicFactory(slug="chips", title="Chip export controls")
    first = client.get("/topics/chips/")

    with django_assert_num_queries(1):  # the stats version only
        second = client.get("/topics/chips/")

    assert (second.status_code, second.content) == (200, first.content)
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_visitor_page_after_a_claim_shows_it(client, alice):
    topic = TopicFactory(slug="chips", title="Chip export controls")
    assert b"A survey of export rules." not in client.get("/topics/chips/").content

    services.claim_create(topic=topic, person=alice, plan="A survey of export rules.")

    assert b"A survey of export rules." in client.get("/topics/chips/").content


def test_visitor_api_detail_keeps_its_etag_from_the_cache(api, alice):
    proposal = ProposalFactory(author=alice, title="Shared checklist")
    first = api.get(f"/api/v1/proposals/{proposal.pk}/")
    second = api.get(f"/api/v1/proposals/{proposal.pk}/")

    assert first["ETag"] == second["ETag"] == f'"{proposal.version}"'
    assert second.json()["title"] == "Shared checklist"


def test_visitor_api_proposal_edit_shows_at_once(api, alice):
    proposal = ProposalFactory(author=alice, title="Shared checklist")
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["title"] == "Shared checklist"

    proposal_update(proposal=proposal, actor=alice, title="A shared checklist for labs")

    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["title"] == (
        "A shared checklist for labs")


def test_signed_in_pages_never_come_from_the_visitors_cache(client, alice):
    TopicFactory(slug="chips", title="Chip export controls")
    visitor = Client().get("/topics/chips/")  # a visitor fills the cache
    client.force_login(alice)

    page = client.get("/topics/chips/")

    assert b"/me/" not in visitor.content
    assert b"/me/" in page.content


def test_visitor_response_with_a_csrf_token_is_never_stored(rf):
    def form_page(request):
        return HttpResponse(get_token(request))

    view = for_visitors(form_page)

    first, second = view(rf.get("/form/")), view(rf.get("/form/"))

    assert first.content != second.content


def test_visitor_with_any_cookie_gets_a_fresh_page(rf):
    calls = []

    def page(request):
        calls.append(request)
        return HttpResponse("page")

    view = for_visitors(page)
    view(rf.get("/p/"))
    view(rf.get("/p/"))
    request = rf.get("/p/")
    request.COOKIES["messages"] = "x"
    view(request)

    assert len(calls) == 2


def test_token_request_never_served_or_stored_for_visitors(api, alice):
    topic = TopicFactory(slug="chips")
    funder = FunderFactory(username="fiona")
    FunderInterestFactory(topic=topic, funder=funder, visibility="private", note="secret")
    _, token = api_token_create(user=funder, name="CLI")

    mine = api.get("/api/v1/topics/chips/interest/", HTTP_AUTHORIZATION=f"Token {token}")
    visitor = APIClient().get("/api/v1/topics/chips/interest/")

    assert [row["note"] for row in mine.json()] == ["secret"]
    assert visitor.json() == []


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("path", ["/me/", "/me/notifications/", "/topics/chips/", "/"])
def test_signed_in_page_is_private_to_shared_caches(client, alice, path):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.get(path)

    assert response.status_code == 200
    assert "private" in _cache_control(response)
    assert "public" not in _cache_control(response)


def test_token_api_response_is_private_to_shared_caches(api, alice):
    TopicFactory(slug="chips")
    _, token = api_token_create(user=alice, name="CLI")

    response = api.get("/api/v1/topics/chips/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert "private" in _cache_control(response)
    assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}


def test_session_api_response_is_private_to_shared_caches(api, alice):
    TopicFactory(slug="chips")
    api.force_login(alice)

    response = api.get("/api/v1/topics/chips/")

    assert (response.status_code, "private" in _cache_control(response)) == (200, True)


def test_visitor_page_is_not_marked_private(client):
    TopicFactory(slug="chips")

    response = client.get("/topics/chips/")

    assert "private" not in _cache_control(response)
