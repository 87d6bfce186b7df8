import datetime

import pytest
from django.utils import timezone

from registry.tokens.binding import hash_secret
from registry.tokens.models import ApiToken
from registry.tokens.services import api_token_create, api_token_revoke
from tests.factories import PASSWORD

LOGIN = {"username": "alice", "password": PASSWORD}


def _log_in(api, **headers):
    return api.post("/api/v1/auth/token/", LOGIN, format="json", **headers)


def _authed(api, secret):
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def _refusal(response):
    return response.status_code, response.json()["code"], response["WWW-Authenticate"]


def test_login_issues_a_new_token_each_time(api, alice):
    first, second = _log_in(api), _log_in(api)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["token"] != second.json()["token"]
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_login_returns_token_expiry_and_prefix(api, alice, settings):
    settings.GAPMAP_API_TOKEN_DAYS = 7

    body = _log_in(api, HTTP_USER_AGENT="gapmap-cli/1.0").json()

    token = ApiToken.objects.get(user=alice)
    assert sorted(body) == ["expires_at", "prefix", "token"]
    assert body["prefix"] == body["token"][:8] == token.prefix
    assert token.expires_at - token.created_at == datetime.timedelta(days=7)
    assert body["expires_at"] == token.expires_at.isoformat().replace("+00:00", "Z")
    assert token.name == "gapmap-cli/1.0"


def test_login_without_user_agent_names_the_token_api(api, alice):
    _log_in(api)

    assert ApiToken.objects.get(user=alice).name == "API"


def test_stored_token_row_holds_no_secret(api, alice):
    secret = _log_in(api).json()["token"]

    row = ApiToken.objects.values().get(user=alice)
    assert row["key_hash"] == hash_secret(secret)
    assert [name for name, value in row.items() if secret in str(value)] == []


def test_token_authenticates(api, alice):
    secret = _log_in(api).json()["token"]

    response = _authed(api, secret).get("/api/v1/me/tokens/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_expired_token_is_401_token_expired(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())

    response = _authed(api, secret).get("/api/v1/topics/")

    assert _refusal(response) == (401, "token_expired", "Token")
    assert response.json()["detail"] == "This token has expired. Log in again for a new one."


def test_revoked_token_is_401_token_revoked(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    api_token_revoke(token=token, actor=alice)

    response = _authed(api, secret).get("/api/v1/topics/")

    assert _refusal(response) == (401, "token_revoked", "Token")


def test_password_change_makes_tokens_401(api, alice):
    _, secret = api_token_create(user=alice, name="CLI")
    alice.set_password("a whole new password 42")
    alice.save()

    response = _authed(api, secret).get("/api/v1/topics/")

    assert _refusal(response) == (401, "token_password_changed", "Token")


def test_token_issued_after_password_change_works(api, alice):
    alice.set_password("a whole new password 42")
    alice.save()
    _, secret = api_token_create(user=alice, name="CLI")

    assert _authed(api, secret).get("/api/v1/topics/").status_code == 200


def test_token_survives_secret_key_rotation_with_fallback(api, alice, settings):
    _, secret = api_token_create(user=alice, name="CLI")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    assert _authed(api, secret).get("/api/v1/topics/").status_code == 200


def test_inactive_user_token_is_401(api, alice):
    _, secret = api_token_create(user=alice, name="CLI")
    alice.is_active = False
    alice.save()

    response = _authed(api, secret).get("/api/v1/topics/")

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted.",
                               "code": "authentication_failed"}


def test_login_with_a_dead_token_attached_still_issues_one(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    api_token_revoke(token=token, actor=alice)

    response = _log_in(_authed(api, secret))

    assert response.status_code == 200


def test_delete_revokes_the_token_used(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    other, other_secret = api_token_create(user=alice, name="laptop")

    response = _authed(api, secret).delete("/api/v1/auth/token/")

    assert response.status_code == 204
    assert _refusal(api.get("/api/v1/topics/")) == (401, "token_revoked", "Token")
    token.refresh_from_db()
    other.refresh_from_db()
    assert (token.revoked_by, other.revoked_at) == (alice, None)
    assert _authed(api, other_secret).get("/api/v1/topics/").status_code == 200


def test_delete_without_token_is_401(api, db):
    response = api.delete("/api/v1/auth/token/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_delete_with_session_only_is_401(api, alice):
    api.force_login(alice)

    response = api.delete("/api/v1/auth/token/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_list_shows_only_own_tokens_and_no_secret(api_as, alice, bob):
    mine, secret = api_token_create(user=alice, name="CLI")
    api_token_create(user=bob, name="bob's")

    response = api_as(alice).get("/api/v1/me/tokens/")

    assert response.status_code == 200
    assert response.json()["results"] == [{
        "id": mine.pk, "name": "CLI", "prefix": secret[:8],
        "created_at": mine.created_at.isoformat().replace("+00:00", "Z"),
        "last_used_at": None,
        "expires_at": mine.expires_at.isoformat().replace("+00:00", "Z"),
        "revoked_at": None, "status": "active",
    }]
    assert secret not in response.content.decode()


def test_token_list_requires_log_in(api, db):
    assert api.get("/api/v1/me/tokens/").status_code == 401


def test_token_revoke_by_id(api_as, alice):
    token, secret = api_token_create(user=alice, name="CLI")

    response = api_as(alice).post(f"/api/v1/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    token.refresh_from_db()
    assert token.revoked_by == alice


def test_token_revoke_checks_ownership(api_as, alice, bob, charlie):
    token, _ = api_token_create(user=alice, name="CLI")

    for outsider in (bob, charlie):
        assert api_as(outsider).get(f"/api/v1/me/tokens/{token.pk}/").status_code == 404
        assert api_as(outsider).post(f"/api/v1/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_as(alice).get(f"/api/v1/me/tokens/{token.pk}/").status_code == 200


def test_token_revoke_all_revokes_only_own(api_as, alice, bob):
    api_token_create(user=alice, name="one")
    api_token_create(user=alice, name="two")
    bobs, _ = api_token_create(user=bob, name="bob's")

    response = api_as(alice).post("/api/v1/me/tokens/revoke-all/")

    assert (response.status_code, response.json()) == (200, {"revoked": 2})
    assert list(ApiToken.objects.filter(revoked_at__isnull=True)) == [bobs]


@pytest.mark.parametrize("rows", [1, 3])
def test_token_list_queries_do_not_grow(api_as, alice, rows, django_assert_num_queries):
    for n in range(rows):
        api_token_create(user=alice, name=f"token {n}")
    client = api_as(alice)

    with django_assert_num_queries(2):  # the page count and the page
        assert client.get("/api/v1/me/tokens/").json()["count"] == rows
