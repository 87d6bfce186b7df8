"""Every error under /api/ is the JSON error shape (registry.core.api_errors) with its own status,
and no request a browser or a crafted cursor can send is a 500."""

import base64
import json
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from registry import services
from registry.core.pagination import NewestFirstCursorPagination
from registry.models import Writeup
from tests.factories import ClaimFactory, ProposalFactory, TopicFactory, WriteupFactory

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


# --- Addresses that match no endpoint ------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/nowhere/", "/api/v1/topics/a/b/c/", "/api/",
                                 "/api/v2/topics/"])
def test_api_unknown_address_is_a_json_404(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")

    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "No API endpoint at this address.",
                               "code": "not_found"}


def test_api_unknown_address_is_a_json_404_with_debug_on_too(client, settings):
    settings.DEBUG = True  # `make run`: Django would answer with its HTML "Page not found"
    response = client.get("/api/v1/nope/", HTTP_ACCEPT="text/html")

    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json()["code"] == "not_found"


def test_api_address_without_slash_still_redirects(client):
    response = client.get("/api/v1/topics")

    assert (response.status_code, response["Location"]) == (301, "/api/v1/topics/")


def test_page_unknown_address_is_still_the_html_404(client):
    response = client.get("/nowhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE and other refused requests ---------------------

@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000


def test_api_json_body_over_the_limit_is_a_json_413(api_as, alice, small_limit):
    response = api_as(alice).post("/api/v1/topics/", {"title": "x" * 2000}, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the 1000 bytes "
                                         "allowed.", "code": "request_too_large"}


def test_api_body_over_the_limit_read_by_django_is_a_json_413(client, alice, small_limit,
                                                              settings):
    # Without the size middleware, the session's CSRF check reads request.POST and Django
    # raises RequestDataTooBig inside the view: the API's exception handler (or, behind it,
    # handler400) must still answer in JSON.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m != "registry.core.middleware.RequestSizeMiddleware"]
    client.force_login(alice)

    response = client.post("/api/v1/topics/", urlencode({"title": "x" * 2000}),
                           content_type=FORM)

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the 1000 bytes "
                                         "allowed.", "code": "request_too_large"}


def test_api_form_body_with_too_many_fields_is_a_json_400(api_as, alice, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    body = {f"field{i}": "x" for i in range(10)}

    response = api_as(alice).post("/api/v1/topics/", urlencode(body), content_type=FORM)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request was refused: The number of GET/POST parameters exceeded "
                  "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.", "code": "bad_request"}


def test_api_bad_content_length_is_a_json_400(client):
    response = client.generic("POST", "/api/v1/topics/", b"{}",
                              content_type="application/json", CONTENT_LENGTH="many")

    assert response.status_code == 400
    assert response.json() == {"detail": "The Content-Length header is not a number.",
                               "code": "bad_request"}


# --- Crafted cursors and page numbers ------------------------------------------------------

def _cursor(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize("cursor", [
    _cursor(b"p=garbage"),
    _cursor(b"p=2024-13-45 10:00:00+00:00"),
    _cursor(b"p=2024-01-01 10:00:00"),  # no time zone
    _cursor(b"p=0001-01-01 00:00:00+05:00"),  # before year 1 in UTC
    _cursor(b"p=%00"),
    _cursor(b"p=\x01"),
    _cursor(b"o=-1"),
    _cursor(b"r=x"),
    _cursor("p=é".encode()),
    "not base64 at all!",
])
def test_api_writeups_crafted_cursor_is_a_json_404(api, cursor):
    WriteupFactory(published=True)

    response = api.get("/api/v1/writeups/", {"cursor": cursor})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor", "code": "not_found"}


def test_api_writeups_cursor_pages_still_follow(api, monkeypatch):
    monkeypatch.setattr(NewestFirstCursorPagination, "page_size", 2)
    writeups = [WriteupFactory(published=True) for _ in range(3)]
    Writeup.objects.update(created_at=writeups[0].created_at)  # ties on the position

    first = api.get("/api/v1/writeups/").json()
    ids = [row["id"] for row in first["results"]]
    while first["next"]:
        first = api.get(first["next"]).json()
        ids += [row["id"] for row in first["results"]]

    assert sorted(ids) == sorted(w.pk for w in writeups)


@pytest.mark.parametrize(("url", "page"), [
    ("/api/v1/search/?q=x", "²"), ("/api/v1/search/?q=x", "0"), ("/api/v1/search/?q=x", "-1"),
    ("/api/v1/search/?q=x", "1.5"), ("/api/v1/topics/", "²"), ("/api/v1/topics/", "1e400"),
    ("/api/v1/topics/", "99999999999999999999999"), ("/api/v1/gaps/", "nan"),
    ("/api/v1/proposals/", "٣"), ("/api/v1/claims/", "0x10"),
])
def test_api_crafted_page_is_a_json_404(api, url, page):
    response = api.get(url, {"page": page})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- The browsable API (a browser's Accept: text/html, or ?format=api) -----------------------

def _every_get_address(world):
    """Each API route with its parameters filled from `world`, by route name prefix."""
    schema = json.loads(APIClient().get("/api/v1/schema/?format=json").content)
    for path in schema["paths"]:
        yield (path.replace("{slug}", world["slug"])
               .replace("{id}", str(world.get(path.split("/")[3], 1))))


@pytest.fixture
def world(alice):
    services.catalogue_load()
    topic = TopicFactory(slug="chips")
    claim = ClaimFactory(person=alice, topic=topic)
    writeup = WriteupFactory(topic=topic, author=alice, published=True)
    proposal = ProposalFactory(topic=topic, author=alice)
    return {"slug": "chips", "claims": claim.pk, "writeups": writeup.pk,
            "proposals": proposal.pk}


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("how", ["accept", "format"])
def test_api_every_route_renders_for_a_browser(client, alice, world, signed_in, how):
    if signed_in:
        client.force_login(alice)
    failures = {}
    for url in _every_get_address(world):
        if how == "accept":
            response = client.get(url, HTTP_ACCEPT="text/html")
        else:
            response = client.get(url, {"format": "api"})
        if response.status_code >= 500:
            failures[url] = response.status_code

    assert failures == {}


@pytest.mark.parametrize("url", ["/api/v1/gaps/", "/api/v1/gaps/at-risk/",
                                 "/api/v1/me/funder-alerts/"])
def test_api_discovery_lists_render_for_a_signed_in_browser(client, alice, url):
    client.force_login(alice)

    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"



def test_page_body_over_the_limit_is_a_413_page_naming_the_limit(client, alice, small_limit):
    client.force_login(alice)

    response = client.post("/topics/suggest/", urlencode({"title": "x" * 2000}),
                           content_type=FORM)

    assert response.status_code == 413
    html = response.content.decode()
    assert "larger than the 1000\xa0bytes Gapmap accepts in one go, so nothing was saved" in html
    assert "a writeup's body takes up to 100000 characters, a comment up to 10000" in html
    assert "alice" in html  # the header still shows who is signed in
