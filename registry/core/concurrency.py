"""Optimistic concurrency for API updates: ETag out, If-Match in.

A model taking part has an integer `version` that its service functions bump on every write,
with a conditional UPDATE (`WHERE id = … AND version = expected`). The ETag is that version.
"""

from registry.core.errors import StaleVersion


def etag_for(obj) -> str:
    return f'"{obj.version}"'


def expected_version(request) -> int | None:
    """The version the client last saw, from If-Match; None when the header is absent or `*`.

    Raises StaleVersion for a value that cannot be one of our ETags, since it can only be stale.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    try:
        return int(tag)
    except ValueError:
        raise StaleVersion() from None


class ETagMixin:
    """DRF view mixin: put the object's ETag on every single-object response."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "etag_object", None)
        if obj is not None and 200 <= response.status_code < 300 and hasattr(obj, "version"):
            response["ETag"] = etag_for(obj)
        return response

    def get_object(self):
        self.etag_object = super().get_object()
        return self.etag_object
