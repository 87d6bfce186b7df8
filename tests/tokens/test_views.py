import re

import pytest
from django.test import Client

from registry.tokens.models import ApiToken
from registry.tokens.services import api_token_create, api_token_revoke


@pytest.fixture
def page(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def _csrf(client) -> str:
    html = client.get("/me/tokens/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_token_page_requires_log_in(client, db):
    response = client.get("/me/tokens/")

    assert (response.status_code, response["Location"]) == (
        302, "/accounts/login/?next=/me/tokens/")


def test_my_work_links_to_token_page(client, alice):
    client.force_login(alice)

    assert 'href="/me/tokens/"' in client.get("/me/").content.decode()


def test_token_page_lists_only_own_tokens(page, alice, bob):
    api_token_create(user=alice, name="alice laptop")
    api_token_create(user=bob, name="bob laptop")

    html = page.get("/me/tokens/").content.decode()

    assert ("alice laptop" in html, "bob laptop" in html) == (True, False)


def test_token_page_create_shows_secret_once(page, alice):
    response = page.post("/me/tokens/", {"name": "CLI", "csrfmiddlewaretoken": _csrf(page)})

    token = ApiToken.objects.get(user=alice)
    secret = re.search(r'id="new-token-secret" type="text" value="([^"]+)"',
                       response.content.decode()).group(1)
    assert (response.status_code, token.name, token.prefix) == (200, "CLI", secret[:8])
    assert "no-store" in response["Cache-Control"]
    assert secret not in page.get("/me/tokens/").content.decode()


def test_token_page_post_without_csrf_is_refused(page, alice):
    response = page.post("/me/tokens/", {"name": "CLI"})

    assert response.status_code == 403
    assert ApiToken.objects.count() == 0


def test_token_page_revoke(page, alice):
    token, _ = api_token_create(user=alice, name="CLI")

    response = page.post(f"/me/tokens/{token.pk}/revoke/",
                         {"csrfmiddlewaretoken": _csrf(page)}, follow=True)

    token.refresh_from_db()
    assert token.revoked_by == alice
    assert f"Token {token.prefix}… is revoked: it no longer works." in response.content.decode()


def test_token_page_revoke_checks_ownership(alice, bob, charlie):
    token, _ = api_token_create(user=alice, name="CLI")

    for outsider in (bob, charlie):
        client = Client()
        client.force_login(outsider)
        assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_revoke_is_post_only(client, alice):
    token, _ = api_token_create(user=alice, name="CLI")
    client.force_login(alice)

    assert client.get(f"/me/tokens/{token.pk}/revoke/").status_code == 405


def test_token_page_revoke_all(page, alice, bob):
    api_token_create(user=alice, name="one")
    api_token_create(user=alice, name="two")
    bobs, _ = api_token_create(user=bob, name="bob's")

    response = page.post("/me/tokens/revoke-all/", {"csrfmiddlewaretoken": _csrf(page)},
                         follow=True)

    assert "2 tokens revoked." in response.content.decode()
    assert list(ApiToken.objects.filter(revoked_at__isnull=True)) == [bobs]


def test_token_page_shows_revoke_button_only_for_live_tokens(page, alice):
    live, _ = api_token_create(user=alice, name="live")
    dead, _ = api_token_create(user=alice, name="dead")
    api_token_revoke(token=dead, actor=alice)

    html = page.get("/me/tokens/").content.decode()

    assert re.findall(r'action="/me/tokens/(\d+)/revoke/"', html) == [str(live.pk)]


def test_web_log_out_revokes_no_token(client, alice):
    token, _ = api_token_create(user=alice, name="CLI")
    client.force_login(alice)

    assert client.post("/accounts/logout/").status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("rows", [1, 3])
def test_token_page_queries_do_not_grow(client, alice, rows, django_assert_max_num_queries):
    for n in range(rows):
        api_token_create(user=alice, name=f"token {n}")
    client.force_login(alice)
    client.get("/me/tokens/")  # warm the per-request caches once

    with django_assert_max_num_queries(8) as captured:
        client.get("/me/tokens/")

    tokens_queries = [q for q in captured.captured_queries if "tokens_apitoken" in q["sql"]]
    assert len(tokens_queries) == 2  # the count and the page
