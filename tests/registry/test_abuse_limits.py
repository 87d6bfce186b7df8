import pytest
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD


@pytest.fixture
def tight_rates(monkeypatch):
    # DRF copies the rates table into SimpleRateThrottle.THROTTLE_RATES when the module is
    # first imported, so overriding settings would not reach it; swap the class attribute.
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"signup": "2/hour", "login": "3/hour", "post": "60/hour", "claim": "20/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def _sign_up(client, n):
    return client.post("/accounts/sign-up/", {
        "username": f"person{n}", "email": f"p{n}@example.org",
        "password1": "a long unusual pass 42", "password2": "a long unusual pass 42",
    })


def test_sign_up_form_is_rate_limited_with_a_page_that_says_when(client, db, tight_rates):
    assert _sign_up(client, 1).status_code == 302
    client.logout()
    assert _sign_up(client, 2).status_code == 302
    client.logout()

    response = _sign_up(client, 3)

    assert response.status_code == 429
    assert 3600 - 5 <= int(response["Retry-After"]) <= 3600
    assert "Please try again in 36" in response.content.decode()
    assert get_user_model().objects.filter(username="person3").exists() is False


def test_login_limit_is_shared_by_form_and_api_token(client, api, alice, tight_rates):
    for _ in range(2):
        assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}
                           ).status_code == 302
        client.logout()
    assert api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD},
                    format="json").status_code == 200

    refused = api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD},
                       format="json")

    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 3590 <= refused.json()["retry_after_seconds"] <= 3600


def test_login_locks_out_after_repeated_failures(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "After 3 failed attempts" in page
    assert client.get("/").context["user"].is_authenticated is False


def test_lockout_is_per_username_so_others_can_still_log_in(client, alice, bob, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302


def test_claiming_is_limited_across_form_and_api(client, api_as, alice, tight_rates):
    from registry import services

    services.catalogue_load()
    tight_rates["claim"] = "2/hour"
    client.force_login(alice)
    api = api_as(alice)

    assert client.post("/topics/proof-of-learning/claim/", {"plan": "A"}).status_code == 302
    assert api.post("/api/v1/topics/detecting-datacenters/claim/", {"plan": "B"},
                    format="json").status_code == 201
    page = client.post("/topics/global-gpu-tracking/claim/", {"plan": "C"})
    api_refused = api.post("/api/v1/topics/global-gpu-tracking/claim/", {"plan": "C"},
                           format="json")

    assert page.status_code == 429
    assert api_refused.status_code == 429
    assert api_refused.json()["code"] == "throttled"


def test_posting_writeups_is_limited_with_a_429(api_as, alice, tight_rates):
    from registry import services

    services.catalogue_load()
    tight_rates["post"] = "3/hour"
    api = api_as(alice)
    body = {"topic": "proof-of-learning", "title": "T", "kind": "plan", "body": "b"}

    statuses = [api.post("/api/v1/writeups/", body, format="json").status_code
                for _ in range(4)]

    assert statuses == [201, 201, 201, 429]
