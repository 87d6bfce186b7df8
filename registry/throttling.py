"""Rate limits shared by the API (DRF throttles) and the HTML forms.

Both sides use DRF's cache-backed counters with the same cache keys, so a person who posts
through the page and the API draws on one budget, and with REDIS_URL set the limit holds
across every web process.
"""

import math
from functools import wraps

from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class ActionScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads the scope per viewset action (`throttle_scopes`)."""

    def allow_request(self, request, view):
        scopes = getattr(view, "throttle_scopes", {})
        scope = scopes.get(getattr(view, "action", None)) or getattr(view, "throttle_scope", None)
        if not scope:
            return True
        view.throttle_scope = scope
        return super().allow_request(request, view)


class FormRateThrottle(SimpleRateThrottle):
    """The same counter as ScopedRateThrottle for `scope`, usable from a plain Django view."""

    cache_format = ScopedRateThrottle.cache_format

    def __init__(self, scope):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def rate_limited(scope):
    """Decorate a view: its POSTs count against `scope`; over the limit → a 429 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                throttle = FormRateThrottle(scope)
                if not throttle.allow_request(request, None):
                    wait = math.ceil(throttle.wait() or 1)
                    response = render(request, "429.html", {"wait_seconds": wait}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
