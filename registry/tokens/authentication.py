"""`Authorization: Token <secret>` for the API, checked against registry.tokens.ApiToken.

It subclasses DRF's TokenAuthentication for the header parsing, its error messages and the
OpenAPI security scheme (drf-spectacular's tokenAuth), and replaces only the lookup, which
never touches rest_framework.authtoken. Every refusal is a 401 with WWW-Authenticate and a
`code` saying why, so a client knows whether to log in again.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from registry.tokens import selectors, services
from registry.tokens.models import TokenStatus

REFUSALS = {
    TokenStatus.REVOKED: (gettext_lazy("This token has been revoked. Log in again for a new one."),
                          "token_revoked"),
    TokenStatus.EXPIRED: (gettext_lazy("This token has expired. Log in again for a new one."),
                          "token_expired"),
    TokenStatus.PASSWORD_CHANGED: (
        gettext_lazy("This token was issued before the account's password changed. "
                     "Log in again for a new one."), "token_password_changed"),
}


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = selectors.api_token_for_secret(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        status = token.status(now=now)
        if status != TokenStatus.ACTIVE:
            raise exceptions.AuthenticationFailed(*REFUSALS[status])
        services.api_token_mark_used(token=token, now=now)
        return token.user, token
