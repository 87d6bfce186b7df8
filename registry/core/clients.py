"""Who is asking: the one client address every rate limit and the log-in lockout count by.

Plumbing shared by every app; imports no app. The DRF throttles (registry.core.throttling), the
HTML form limits, sign-up, password reset, reports and django-axes (AXES_CLIENT_IP_CALLABLE)
all call client_address, so a limit cannot be dodged on one door and held on another.

X-Forwarded-For is written by whoever sent the request, so it is trusted only as far as
GAPMAP_TRUSTED_PROXIES says: each trusted proxy appends the address it saw on the right, so
with N proxies the N-th entry from the right was written by our own outermost proxy, and
everything left of it may be a lie.
"""

import ipaddress

from django.conf import settings

# No address at all (a test client's force_login, a Unix socket without a proxy): "", which
# django-axes stores as NULL, and all such requests share one budget.
UNKNOWN = ""


def _address(value: str) -> str | None:
    """`value` as a normalised IP address, or None. Accepts "[v6]:port" and "v4:port", which
    some proxies write."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxies() -> int:
    count = settings.GAPMAP_TRUSTED_PROXIES
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"GAPMAP_TRUSTED_PROXIES must be a whole number of 0 or more, "
                         f"not {count!r}.")
    return count


def client_address(request) -> str:
    """The address that rate limits and lockouts count by.

    With GAPMAP_TRUSTED_PROXIES = 0 (the default), X-Forwarded-For is ignored and the
    connection's own address (REMOTE_ADDR) is used. With N > 0, the N-th address from the
    right of X-Forwarded-For is used; REMOTE_ADDR when the header has fewer than N entries or
    that entry is not an IP address (a proxy that did not write it). Never raises for what a
    client sends; "" when there is no address at all.
    """
    remote = _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    proxies = trusted_proxies()
    if proxies == 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
