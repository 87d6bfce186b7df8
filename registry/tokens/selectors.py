"""Reads of API tokens."""

from registry.tokens.binding import hash_secret
from registry.tokens.models import ApiToken


def api_tokens_of(user):
    """A person's own tokens, newest first: every list of tokens (page and API) starts here,
    so someone else's token id is simply not found (404)."""
    return ApiToken.objects.filter(user=user).select_related("user")


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, live or not, with its owner; None if there is none."""
    return (ApiToken.objects.select_related("user")
            .filter(key_hash=hash_secret(secret)).first())
