"""Reads of API tokens."""

from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL

from registry.core.caching import version_reading
from registry.selectors import site_version_sql
from registry.tokens.binding import hash_secret
from registry.tokens.models import ApiToken


def api_tokens_of(user):
    """A person's own tokens, newest first: every list of tokens (page and API) starts here,
    so someone else's token id is simply not found (404)."""
    return ApiToken.objects.filter(user=user).select_related("user")


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, live or not, with its owner; None if there is none.

    The owner carries the site version read in the same query (`site_version_reading`, as a
    person signed in by session does: registry.moderation.context_processors), so an API
    request keys its caches on it without asking for it apart."""
    token = (ApiToken.objects.select_related("user")
             .annotate(site_version=RawSQL(*site_version_sql(), output_field=BigIntegerField()))
             .filter(key_hash=hash_secret(secret)).first())
    if token is not None:
        token.user.site_version_reading = version_reading(token.site_version)
    return token
