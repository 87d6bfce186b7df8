"""Refuse request addresses the database could not store (a NUL byte in the path or query).

PostgreSQL raises on NUL in text, so such a value reaching a lookup would be a 500. Forms and
the API parsers check bodies (registry.parsers); this covers URLs for every page and endpoint.
"""

from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The address contains a NUL (\\u0000) character, which is not allowed."


class RejectNulInAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "code": "invalid_address"}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
