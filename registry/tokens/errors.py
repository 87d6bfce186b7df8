"""Refusals of the token endpoints (see registry.errors for the convention).

Failed token *authentication* is not here: it is DRF's AuthenticationFailed, raised by
registry.tokens.authentication, so that it answers 401 with WWW-Authenticate.
"""

from registry.errors import GapmapError


class TokenRequired(GapmapError):
    status = 400
    code = "token_required"
    default_message = ("Send the token to revoke in the Authorization header "
                       "(Authorization: Token <secret>).")
