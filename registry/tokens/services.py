"""Writes of API tokens. Keyword-only arguments; each write runs in one transaction.

A token's history is on its row: created_at, last_used_at, and who revoked it when
(revoked_at, revoked_by). Rows are never deleted by these services.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.core.errors import FieldErrors, NotAllowed
from registry.tokens.binding import PREFIX_LENGTH, hash_secret, new_secret, password_digest
from registry.tokens.models import ApiToken
from registry.tokens.permissions import can_revoke_token, can_revoke_tokens_of

log = logging.getLogger(__name__)

# last_used_at is written at most this often per token, so that a busy client does not turn
# every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
NAME_MAX = ApiToken._meta.get_field("name").max_length


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.GAPMAP_API_TOKEN_DAYS)


@transaction.atomic
def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Issue a new token for `user`; returns (token, secret).

    The secret is returned once and never stored: the row keeps its SHA-256, its first
    characters for display, and the binding to the user's current password. It expires after
    GAPMAP_API_TOKEN_DAYS. `name` defaults to "API". Raises ValidationFailed for a name over
    the column's length or with a control character.
    """
    errors = FieldErrors()
    errors.text("name", name, max_length=NAME_MAX, required=False)
    errors.raise_if_any()
    secret = new_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", key_hash=hash_secret(secret),
        prefix=secret[:PREFIX_LENGTH], password_digest=password_digest(user),
        created_at=now, expires_at=now + token_lifetime())
    log.info("API token %s issued to user %s", token.prefix, user.pk)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke one token: it stops authenticating at once. Only its owner or staff may.

    Side effects: revoked_at and revoked_by are written. Revoking a revoked token changes
    nothing (the first revocation is the one kept).
    """
    if not can_revoke_token(actor, token):
        raise NotAllowed(_("Only the token's owner can revoke it."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = timezone.now(), actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        log.info("API token %s revoked by user %s", locked.prefix, actor.pk)
    token.revoked_at, token.revoked_by = locked.revoked_at, locked.revoked_by
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user, actor) -> int:
    """Revoke every token of `user` that is not revoked yet; returns how many.

    Only the person themselves or staff may. Side effects: revoked_at and revoked_by on each.
    """
    if not can_revoke_tokens_of(actor, user.pk):
        raise NotAllowed(_("Only the tokens' owner can revoke them all."))
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor)
    log.info("%s API tokens of user %s revoked by user %s", count, user.pk, actor.pk)
    return count


def api_token_mark_used(*, token: ApiToken, now=None) -> bool:
    """Record that the token was used, at most once per LAST_USED_RESOLUTION.

    Called on every authenticated request, so the common case writes nothing: the check is
    made on the row already read, and the UPDATE is conditional so concurrent requests
    write once. Returns whether a write was made.
    """
    now = now or timezone.now()
    due = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > due:
        return False
    written = ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=due), pk=token.pk,
    ).update(last_used_at=now)
    token.last_used_at = now
    return bool(written)
