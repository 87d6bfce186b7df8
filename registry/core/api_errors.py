"""One JSON error shape for the whole API: {"detail": sentence, "code": word, "fields"?: {}}.

exception_handler covers what DRF's views raise. The handler404/400/403/500 below cover what
happens outside them (an unknown /api/ address, a body over DATA_UPLOAD_MAX_MEMORY_SIZE read
before the view): under /api/ they answer in the same shape, elsewhere with the usual pages.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from registry.core.errors import GapmapError


def _flatten_fields(detail):
    if isinstance(detail, dict):
        return _field_messages(detail, "")
    messages = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(m) for m in messages]}


def _field_messages(errors, key: str) -> dict[str, list[str]]:
    """{field: [sentence, …]}, with a nested field named by its path (`delivery.claim_made`,
    `steps.2`): a client reads one sentence per field, never a Python repr of a dict."""
    if isinstance(errors, dict):
        found = {}
        for name, inner in errors.items():
            found.update(_field_messages(inner, f"{key}.{name}" if key else str(name)))
        return found
    if isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        found = {}
        for index, inner in enumerate(errors):
            if inner:
                found.update(_field_messages(inner, f"{key}.{index}"))
        return found
    return {key: [str(m) for m in (errors if isinstance(errors, list) else [errors])]}


def too_large_body(limit: int) -> dict:
    detail = gettext("The request body is larger than the %(limit)s bytes allowed.")
    return {"detail": detail % {"limit": limit}, "code": "request_too_large"}


def _suspicious(exc) -> Response:
    """A 413 for a body over the limit; a 400 naming the problem for other refused requests
    (too many fields, a bad header...), which Django would answer with an HTML page."""
    if isinstance(exc, RequestDataTooBig):
        return Response(too_large_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    detail = gettext("The request was refused: %(problem)s") % {"problem": exc}
    return Response({"detail": detail, "code": "bad_request"}, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, SuspiciousOperation):
        return _suspicious(exc)
    if isinstance(exc, GapmapError):
        # str(): a class's default message is lazy, resolved here in the request's language.
        body = {"detail": str(exc.message), "code": exc.code, **exc.extra}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_fields(exc.detail)
        names = ", ".join(sorted(fields))
        response.data = {
            "detail": gettext("Some fields are not valid: %(names)s.") % {"names": names},
            "code": "invalid",
            "fields": fields,
        }
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"detail": str(detail), "code": code}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        response.data["retry_after_seconds"] = int(exc.wait)
    return response


# --- Django's error handlers (config/urls.py) ----------------------------------------------

def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(body, status_code):
    return JsonResponse(body, status=status_code)


def no_api_endpoint(request, *args, **kwargs):
    """The last /api/ route: an unknown API address is the JSON 404 in every mode (with
    DEBUG on, Django would show its HTML "Page not found" instead of handler404)."""
    return _json({"detail": gettext("No API endpoint at this address."), "code": "not_found"},
                 404)


def page_not_found(request, exception):
    if _is_api(request):
        return no_api_endpoint(request)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    if _is_api(request):
        response = _suspicious(exception)  # Django calls this for SuspiciousOperation and
        return _json(response.data, response.status_code)  # BadRequest, both 400s
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _json({"detail": gettext("You are not allowed to do that."),
                      "code": "permission_denied"}, 403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _is_api(request):
        return _json({"detail": gettext("Something went wrong on our side; it has been logged."),
                      "code": "server_error"}, 500)
    return defaults.server_error(request)
