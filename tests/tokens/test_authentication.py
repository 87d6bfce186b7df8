import datetime

from django.utils import timezone

from registry.tokens.models import ApiToken
from registry.tokens.services import api_token_create, api_token_mark_used


def _get(api, secret):
    return api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Token {secret}")


def test_unknown_token_is_401_invalid_token(api, db):
    response = _get(api, "not-a-real-token")

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_token_first_use_sets_last_used_at(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")

    assert _get(api, secret).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_last_used_at_not_written_within_a_minute(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    recent = timezone.now() - datetime.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    assert _get(api, secret).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at == recent


def test_token_last_used_at_written_after_a_minute(api, alice):
    token, secret = api_token_create(user=alice, name="CLI")
    old = timezone.now() - datetime.timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)

    assert _get(api, secret).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at > old


def test_mark_used_writes_once_per_minute(alice):
    token, _ = api_token_create(user=alice, name="CLI")
    start = token.created_at

    writes = [api_token_mark_used(token=token, now=start + datetime.timedelta(seconds=s))
              for s in (0, 30, 59, 60, 61, 119, 120)]

    assert writes == [True, False, False, True, False, False, True]
    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=120)


def test_mark_used_with_stale_copy_does_not_write_twice(alice):
    """Two requests that read the row before either wrote: the conditional UPDATE lets one."""
    token, _ = api_token_create(user=alice, name="CLI")
    other_copy = ApiToken.objects.get(pk=token.pk)
    now = timezone.now()

    assert api_token_mark_used(token=token, now=now) is True
    assert api_token_mark_used(token=other_copy, now=now) is False


def test_mark_used_within_a_minute_sends_no_query(alice, django_assert_num_queries):
    token, _ = api_token_create(user=alice, name="CLI")
    api_token_mark_used(token=token, now=token.created_at)

    with django_assert_num_queries(0):
        written = api_token_mark_used(token=token,
                                      now=token.created_at + datetime.timedelta(seconds=59))

    assert written is False
