"""The unread notifications count in every page's header (one query, only when shown)."""

from django.utils.functional import SimpleLazyObject

from registry.notifications import selectors


def unread_notifications(request):
    """`unread_notifications` for the header: counted only when a page shows it, and never
    for anonymous visitors (no query for them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
