"""Reads of API tokens."""

import functools

from django.contrib.auth import get_user_model

from registry.core.caching import version_reading
from registry.core.raw_rows import RawRows
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
    request keys its caches on it without asking for it apart. Written as SQL
    (registry.core.raw_rows): it runs on every API request, and Django spent longer building
    the query than PostgreSQL answering it."""
    User = get_user_model()
    version_sql, version_params = site_version_sql()
    found = _token_rows().fetch_one(
        also=[version_sql], params=[*version_params, hash_secret(secret)],
        rest=f"FROM {ApiToken._meta.db_table} token "
             f"JOIN {User._meta.db_table} person ON person.id = token.user_id "
             "WHERE token.key_hash = %s")
    if found is None:
        return None
    (token, user), (version,) = found
    ApiToken.user.field.set_cached_value(token, user)
    user.site_version_reading = version_reading(version)
    return token


@functools.cache
def _token_rows() -> RawRows:
    return RawRows(("token", ApiToken), ("person", get_user_model()))
