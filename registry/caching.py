"""Whole public pages for visitors, served from the shared cache.

Funders and newcomers browsing without an account are most of the traffic, and they all see
the same page for a URL. `for_visitors` keeps that page in the cache (Redis in production, so
every web process shares it) under the URL and the current stats version
(selectors.stats_version), which every claim, writeup event, proposal event, interest and
moderation decision changes: the next request after any of them is rendered afresh.
What no stats row records (a renamed cluster, a profile's display name) shows within
PAGE_CACHE_SECONDS.

Only requests that carry no credentials and no cookie are served from or stored in the
cache: a person with a session, an API token, a message waiting or a CSRF cookie always gets
their own page, and a response that sets a cookie or embeds a CSRF token is never stored.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from registry.selectors import stats_version

PAGE_CACHE_SECONDS = 60


def _cache_key(request) -> str:
    # Accept: the API's content negotiation serves JSON or the browsable HTML for one URL.
    parts = f"{stats_version()}|{request.get_full_path()}|{request.META.get('HTTP_ACCEPT', '')}"
    return "visitor-page:" + hashlib.sha256(parts.encode()).hexdigest()


def _is_visitor(request) -> bool:
    return (request.method in ("GET", "HEAD") and not request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            # DRF's APIClient.force_authenticate (tests) leaves no header; it is a person too.
            and getattr(request, "_force_auth_user", None) is None)


def _storable(request, response) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def for_visitors(view):
    """Serve visitors' GET and HEAD requests from the cache (see the module)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _is_visitor(request):
            return view(request, *args, **kwargs)
        key = _cache_key(request)
        if (stored := cache.get(key)) is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # DRF's Response, rendered by its negotiated renderer
        if _storable(request, response):
            cache.set(key, (response.content, dict(response.headers)), PAGE_CACHE_SECONDS)
        return response

    return wrapped


class ForVisitorsMixin:
    """for_visitors for a DRF view or viewset: wraps the view that as_view() returns."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return for_visitors(super().as_view(*args, **kwargs))
