"""An API token as stored: never the secret, only its SHA-256 and a short display prefix.

A token is live while it is not revoked, not expired, and its `password_digest` still matches
the owner's password (registry.tokens.binding): changing the password, by any route, ends
every token issued before, as it ends every session.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TokenStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("token state", "Active")
    EXPIRED = "expired", pgettext_lazy("token state", "Expired")
    REVOKED = "revoked", pgettext_lazy("token state", "Revoked")
    PASSWORD_CHANGED = "password_changed", pgettext_lazy("token state",
                                                         "Ended by a password change")


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, default="API",
                            help_text=_("What the token is for, e.g. the client that asked."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False,
                                help_text="SHA-256 (hex) of the secret.")
    prefix = models.CharField(max_length=8, editable=False,
                              help_text=_("The secret's first characters, to tell tokens apart."))
    password_digest = models.CharField(max_length=64, editable=False,
                                       help_text="Binds the token to the password it was "
                                                 "issued under.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="tokens_user_created")]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    def status(self, *, now=None) -> str:
        """Why the token does or does not authenticate, in the order the check is made."""
        from registry.tokens.binding import matches_password

        now = now or timezone.now()
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= now:
            return TokenStatus.EXPIRED
        if not matches_password(self.user, self.password_digest):
            return TokenStatus.PASSWORD_CHANGED
        return TokenStatus.ACTIVE
