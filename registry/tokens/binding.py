"""Secrets, their hashes, and the binding of a token to its owner's password.

The binding is a SHA-256 of `user.get_session_auth_hash()`, the same HMAC of the password hash
that Django keeps in each session: when the password changes (the person, a reset, an admin,
`set_password` anywhere), every token issued before stops matching, exactly as sessions do.
SECRET_KEY_FALLBACKS are honoured as Django honours them for sessions.
"""

import hashlib
import secrets

from django.utils.crypto import constant_time_compare

PREFIX_LENGTH = 8


def new_secret() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # A plain SHA-256 is enough: the secret is random, not a guessable password.
    return hashlib.sha256(secret.encode()).hexdigest()


def _digest(session_auth_hash: str) -> str:
    return hashlib.sha256(session_auth_hash.encode()).hexdigest()


def password_digest(user) -> str:
    return _digest(user.get_session_auth_hash())


def matches_password(user, digest: str) -> bool:
    if constant_time_compare(digest, password_digest(user)):
        return True
    return any(constant_time_compare(digest, _digest(fallback))
               for fallback in user.get_session_auth_fallback_hash())
