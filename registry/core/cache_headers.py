"""Cache-Control: private on every response made for one person.

A response to a request that carries a session, an API token or a CSRF token of its own, or
that embeds one, is that person's: a shared cache in front of the site (a CDN, a proxy) must
never keep it for the next visitor. Visitors' public pages are left as they are; their own
cache is registry.core.caching.
"""

from django.utils.cache import patch_cache_control, patch_vary_headers


def _for_one_person(request) -> bool:
    # A session always comes with a cookie, a token with Authorization; reading request.user
    # here instead would load the session of every visitor.
    return ("HTTP_AUTHORIZATION" in request.META
            or getattr(request, "_force_auth_user", None) is not None  # DRF tests
            or bool(request.COOKIES)
            or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")))


class PrivateCacheControlMiddleware:
    """Marks personal responses `Cache-Control: private` and varies them on Cookie and
    Authorization. Place after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _for_one_person(request) or response.cookies:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response
