import pytest

from registry.core.errors import NotAllowed
from registry.tokens.binding import hash_secret, password_digest
from registry.tokens.models import ApiToken
from registry.tokens.services import (
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
)


def test_api_token_create_stores_hash_prefix_and_binding(alice):
    token, secret = api_token_create(user=alice, name="  CLI  ")

    assert (token.name, token.prefix, token.key_hash, token.password_digest) == (
        "CLI", secret[:8], hash_secret(secret), password_digest(alice))
    assert len(secret) == 43


def test_api_token_create_empty_name_is_api(alice):
    token, _ = api_token_create(user=alice, name="")

    assert token.name == "API"


def test_api_token_revoke_by_outsider_is_refused(alice, bob, charlie):
    token, _ = api_token_create(user=alice, name="CLI")

    for outsider in (bob, charlie):
        with pytest.raises(NotAllowed):
            api_token_revoke(token=token, actor=outsider)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_api_token_revoke_by_staff_records_who(alice, moderator):
    token, _ = api_token_create(user=alice, name="CLI")

    api_token_revoke(token=token, actor=moderator)

    token.refresh_from_db()
    assert token.revoked_by == moderator


def test_api_token_revoke_twice_keeps_the_first(alice, moderator):
    token, _ = api_token_create(user=alice, name="CLI")
    api_token_revoke(token=token, actor=alice)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    api_token_revoke(token=token, actor=moderator)

    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (first, alice)


def test_api_tokens_revoke_all_by_outsider_is_refused(alice, bob):
    api_token_create(user=alice, name="CLI")

    with pytest.raises(NotAllowed):
        api_tokens_revoke_all(user=alice, actor=bob)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_api_tokens_revoke_all_skips_revoked(alice):
    first, _ = api_token_create(user=alice, name="one")
    api_token_create(user=alice, name="two")
    api_token_revoke(token=first, actor=alice)

    assert api_tokens_revoke_all(user=alice, actor=alice) == 1
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
