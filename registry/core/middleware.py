"""Refuse request addresses the database could not store (a NUL byte in the path or query).

PostgreSQL raises on NUL in text, so such a value reaching a lookup would be a 500. Forms and
the API parsers check bodies (registry.core.parsers); this covers URLs for every page and endpoint.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from registry.core import limits
from registry.core.api_errors import too_large_body


def nul_message() -> str:
    return gettext("The address contains a NUL (\\u0000) character, which is not allowed.")


class RejectNulInAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": nul_message(), "code": "invalid_address"},
                                    status=400)
            return HttpResponseBadRequest(nul_message(),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestSizeMiddleware:
    """Refuse a body over DATA_UPLOAD_MAX_MEMORY_SIZE with a 413 before anything reads it: in
    the API's JSON shape under /api/, and elsewhere a page that names the limit and says how to
    get the text back. Django checks the limit only when a form body is read through
    request.POST or request.body (its 400 is a bare "Bad Request", or the debug page with DEBUG
    on); DRF reads the stream itself, so without this a JSON body of any size would be read and
    parsed. Listed after the authentication middleware, so the page shows who is signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path.startswith("/api/") and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                detail = gettext("The Content-Length header is not a number.")
                return JsonResponse({"detail": detail, "code": "bad_request"}, status=400)
            if length > limit:
                return JsonResponse(too_large_body(limit), status=413)
        elif limit is not None and _content_length(request) > limit:
            return render(request, "413.html", {
                "limit": limit, "writeup_body": limits.max_length("writeup", "body"),
                "comment_body": limits.max_length("comment", "body")}, status=413)
        return self.get_response(request)


def _content_length(request) -> int:
    """The declared body size of a page request; a malformed header counts as none, and Django
    answers it when the body is read."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
