"""Rate limits shared by the API (DRF throttles) and the HTML forms.

Both sides use DRF's cache-backed counters with the same cache keys, so a person who posts
through the page and the API draws on one budget, and with REDIS_URL set the limit holds
across every web process.

Anonymous requests count by registry.core.clients.client_address, never by DRF's own get_ident,
which believes any X-Forwarded-For when NUM_PROXIES is unset: a new header per request would
be a new budget.
"""

import hashlib
import math
from functools import wraps

from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from registry.core.clients import client_address


class ClientAddressIdent:
    """Mixin for DRF throttles: anonymous requests count by the one client address."""

    def get_ident(self, request):
        return client_address(request)


class ActionScopedRateThrottle(ClientAddressIdent, ScopedRateThrottle):
    """ScopedRateThrottle that reads the scope per viewset action (`throttle_scopes`)."""

    def allow_request(self, request, view):
        scopes = getattr(view, "throttle_scopes", {})
        scope = scopes.get(getattr(view, "action", None)) or getattr(view, "throttle_scope", None)
        if not scope:
            return True
        view.throttle_scope = scope
        return super().allow_request(request, view)


class ClientAddressRateThrottle(ClientAddressIdent, ScopedRateThrottle):
    """Counts by client address even for signed-in people, so accounts made on one machine
    share one budget. The view names a scope per action in `client_throttle_scopes`."""

    def allow_request(self, request, view):
        scope = getattr(view, "client_throttle_scopes", {}).get(getattr(view, "action", None))
        if not scope:
            return True
        self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FormRateThrottle(ClientAddressIdent, SimpleRateThrottle):
    """The same counter as ScopedRateThrottle for `scope`, usable from a plain Django view.

    `key(request)` counts by something else than the person or address, e.g. the e-mail
    address a password reset is for; when it returns None the request is not counted.
    """

    cache_format = ScopedRateThrottle.cache_format

    def __init__(self, scope, *, key=None):
        self.scope = scope
        self.key_func = key
        super().__init__()

    def get_cache_key(self, request, view):
        if self.key_func is not None:
            ident = self.key_func(request)
            if ident is None:
                return None
        elif request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def posted_email_key(request) -> str | None:
    """A rate-limit key for the e-mail address in the POST (case and spaces ignored), hashed
    so no address sits in the cache; None when there is none."""
    email = request.POST.get("email", "").strip().lower()
    if not email:
        return None
    return "email-" + hashlib.sha256(email.encode()).hexdigest()[:32]


def rate_limited(scope, *, key=None):
    """Decorate a view: its POSTs count against `scope`; over the limit → a 429 page.

    By default a signed-in person counts by their id and anyone else by client_address;
    `key` counts by something else (see FormRateThrottle).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                throttle = FormRateThrottle(scope, key=key)
                if not throttle.allow_request(request, None):
                    wait = math.ceil(throttle.wait() or 1)
                    response = render(request, "429.html", {"wait_seconds": wait}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
