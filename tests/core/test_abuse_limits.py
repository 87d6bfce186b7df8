import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from registry.moderation.models import Report
from tests.factories import PASSWORD, UserFactory, WriteupFactory


@pytest.fixture
def tight_rates(monkeypatch):
    # DRF copies the rates table into SimpleRateThrottle.THROTTLE_RATES when the module is
    # first imported, so overriding settings would not reach it; swap the class attribute.
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"signup": "2/hour", "login": "3/hour", "post": "60/hour", "claim": "20/hour",
             "password_reset": "3/hour", "password_reset_client": "10/hour",
             "report_client": "30/hour"}
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
    assert "After 3 wrong passwords in a row for “alice”" in page
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


# --- Client address: a spoofed X-Forwarded-For is no fresh budget --------------------------

def _spoofed(n):
    return {"HTTP_X_FORWARDED_FOR": f"6.6.6.{n}"}


def test_api_token_spoofed_forwarded_for_without_proxies_shares_one_budget(
        api, alice, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    statuses = [api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD},
                         format="json", **_spoofed(n)).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_sign_up_spoofed_forwarded_for_without_proxies_shares_one_budget(
        client, db, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    statuses = []
    for n in range(3):
        statuses.append(client.post("/accounts/sign-up/", {
            "username": f"person{n}", "email": f"p{n}@example.org",
            "password1": "a long unusual pass 42", "password2": "a long unusual pass 42",
        }, **_spoofed(n)).status_code)
        client.logout()
    assert statuses == [302, 302, 429]
    assert get_user_model().objects.filter(username="person2").exists() is False


def test_login_form_spoofed_forwarded_for_without_proxies_shares_one_budget(
        client, alice, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    statuses = [client.post("/accounts/login/", {"username": "alice", "password": "wrong"},
                            **_spoofed(n)).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_one_proxy_counts_by_right_most_entry_and_left_most_spoof_does_not_help(
        api, alice, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1
    body = {"username": "alice", "password": PASSWORD}

    def token(forwarded):
        return api.post("/api/v1/auth/token/", body, format="json",
                        HTTP_X_FORWARDED_FOR=forwarded).status_code

    spoofs = [token(f"6.6.6.{n}, 198.51.100.1") for n in range(4)]
    other_client = token("6.6.6.9, 198.51.100.2")
    assert (spoofs, other_client) == ([200, 200, 200, 429], 200)


def test_one_proxy_form_limit_counts_by_right_most_entry(client, alice, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1

    def log_in(forwarded):
        return client.post("/accounts/login/", {"username": "alice", "password": "wrong"},
                           HTTP_X_FORWARDED_FOR=forwarded).status_code

    spoofs = [log_in(f"6.6.6.{n}, 198.51.100.1") for n in range(4)]
    other_client = log_in("198.51.100.2")
    assert (spoofs, other_client) == ([200, 200, 200, 429], 200)


# --- Password reset ---------------------------------------------------------------------

def _reset(client, email, **extra):
    return client.post("/accounts/password_reset/", {"email": email}, **extra)


def test_password_reset_limited_per_address_with_a_429_page(client, alice, tight_rates):
    statuses = [_reset(client, "alice@example.org", **_spoofed(n)).status_code
                for n in range(3)]
    refused = _reset(client, " ALICE@example.org ")

    assert (statuses, refused.status_code) == ([302, 302, 302], 429)
    assert "Too many attempts" in refused.content.decode()
    assert refused["Retry-After"].isdigit()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] * 3


def test_password_reset_per_address_limit_leaves_other_addresses(client, alice, bob,
                                                                 tight_rates):
    for _ in range(3):
        _reset(client, "alice@example.org")
    assert _reset(client, "alice@example.org").status_code == 429
    assert _reset(client, "bob@example.org").status_code == 302


def test_password_reset_limited_per_client_address(client, db, tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    tight_rates["password_reset_client"] = "4/hour"
    statuses = [_reset(client, f"p{n}@example.org", **_spoofed(n)).status_code
                for n in range(5)]
    assert statuses == [302, 302, 302, 302, 429]


def test_password_reset_does_not_reveal_whether_an_address_exists(client, alice, tight_rates):
    def answers(email):
        responses = [_reset(client, email) for _ in range(4)]
        return [(r.status_code, r.get("Location")) for r in responses]

    known, unknown = answers("alice@example.org"), answers("nobody@example.org")

    assert known == unknown == [(302, "/accounts/password_reset/done/")] * 3 + [(429, None)]
    assert len(mail.outbox) == 3


# --- Reports ------------------------------------------------------------------------------

def test_reports_limited_per_client_address_across_accounts(client, api_as, alice,
                                                            tight_rates, settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    tight_rates["report_client"] = "2/hour"
    writeups = [WriteupFactory(author=alice, published=True) for _ in range(3)]
    statuses = []
    for n, writeup in enumerate(writeups[:2]):
        client.force_login(UserFactory())
        statuses.append(client.post(f"/report/writeup/{writeup.pk}/", {"reason": "spam"},
                                    **_spoofed(n)).status_code)
    api_refused = api_as(UserFactory()).post(
        "/api/v1/reports/", {"target_type": "writeup", "target_id": writeups[2].pk,
                             "reason": "spam"}, format="json", **_spoofed(99))

    assert (statuses, api_refused.status_code) == ([302, 302], 429)
    assert Report.objects.count() == 2
