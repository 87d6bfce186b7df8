"""Where to go after a form: the one check on a posted or queried `next`.

Plumbing shared by every app; imports no app. Every view that redirects to `next` (claim
release and renew, reports, notifications, follows, log-in and log-out) asks safe_next, so an
open redirect cannot be fixed on one form and left on another.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(url: str, request) -> bool:
    """True only for a path on this site: "/…", not scheme-relative ("//host", "/\\host"),
    no backslash anywhere (browsers read it as "/"), no whitespace or control characters
    (browsers drop them), and Django's own host and scheme check on top."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return False
    if "\\" in url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())


def safe_next(request, default: str, *, field: str = "next") -> str:
    """The posted (else queried) `next` when it is a path on this site, else `default`."""
    url = request.POST.get(field) or request.GET.get(field) or ""
    return url if is_safe_next(url, request) else default
