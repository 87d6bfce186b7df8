"""Whole public pages for visitors, served from the shared cache.

Funders and newcomers browsing without an account are most of the traffic, and they all see
the same page for a URL. `for_visitors` keeps that page in the cache (Redis in production, so
every web process shares it) under the URL and the current site version
(registry.selectors.site_version, handed over by use_version), which every write that changes
what visitors may see moves inside its own transaction (claims, writeups, proposals, interest,
moderation, profiles, the Topic admin): the first request after such a commit is rendered
afresh, never a moment later.
What no service records (a cluster renamed in the admin) shows within PAGE_CACHE_SECONDS.

Pages and API responses carry absolute URLs built from the request's scheme and host
(pagination links, `url` fields), so the key holds both exactly as Django builds them: a
request with another port, or a different X-Forwarded-Proto, gets its own entry and can never
put its URLs into a plain visitor's page. A host in a form no browser sends (upper case, a
trailing dot) is rendered but never stored, so such variants cannot fill the cache.

The language is part of the key too: a Spanish page is never served to an English reader.

Only requests that carry no credentials and no cookie but the language switcher's are served
from or stored in the cache: a person with a session, an API token, a message waiting or a CSRF
cookie always gets their own page, and a response that sets a cookie or embeds a CSRF token is
never stored. What is cached for one signed-in person is keyed on their stamp too (person_stamp
below).
"""

import hashlib
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

PAGE_CACHE_SECONDS = 60
T = TypeVar("T")
_version_source: Callable[[], str] | None = None


def use_version(source: Callable[[], str]) -> None:
    """Key the cache on `source()`, a number that moves with every commit that changes what
    visitors may see. Set once at start-up by the app that owns that number
    (registry.apps: registry.selectors.site_version)."""
    global _version_source
    _version_source = source


def site_version() -> str:
    return _version_source()


# How many times this context has moved the site version (version_moved). A version read
# before the latest move is not the version of what this request itself wrote.
_moves = ContextVar("site_version_moves", default=0)


def version_moved() -> None:
    """Called by whatever moves the site version, in the process that moves it: a version this
    request read before is then read again (request_site_version), so the writer's own page is
    never keyed on a number from before its write."""
    _moves.set(_moves.get() + 1)


def version_reading(version) -> tuple[str, int]:
    """A version just read from the database, as request_site_version keeps it: with the moves
    made so far, so that a later move makes it stale."""
    return str(version or 0), _moves.get()


def request_site_version(request) -> str:
    """The site version for this request, read once, so every part of one page keyed on it
    (the header's unread count, shared fragments, what for_person keeps) comes from the same
    version; read again only when this request itself moved the version since.

    A signed-in person's first read is free: it came in the query that read them
    (`site_version_reading` on the user, registry.moderation.context_processors), made before
    anything in this request could have moved it."""
    reading = getattr(request, "_site_version", None)
    if reading is None:
        reading = getattr(getattr(request, "user", None), "site_version_reading", None)
    if reading is None or reading[1] != _moves.get():
        reading = version_reading(site_version())
    request._site_version = reading
    return reading[0]


def _cache_key(request) -> str:
    # Accept: the API's content negotiation serves JSON or the browsable HTML for one URL.
    # The language (LocaleMiddleware's choice from the cookie or Accept-Language): one URL
    # serves English and Spanish.
    parts = "|".join([request_site_version(request), translation.get_language(), request.scheme,
                      request.get_host(), request.get_full_path(),
                      request.META.get("HTTP_ACCEPT", "")])
    return "visitor-page:" + hashlib.sha256(parts.encode()).hexdigest()


def _canonical_host(request) -> bool:
    host = request.get_host()
    return host == host.lower() and not host.split(":")[0].endswith(".")


def _is_visitor(request) -> bool:
    return (request.method in ("GET", "HEAD")
            # The language switcher's cookie is the one cookie a visitor's page may depend on,
            # and the key holds the language.
            and set(request.COOKIES) <= {settings.LANGUAGE_COOKIE_NAME}
            and "HTTP_AUTHORIZATION" not in request.META
            # DRF's APIClient.force_authenticate (tests) leaves no header; it is a person too.
            and getattr(request, "_force_auth_user", None) is None
            and _canonical_host(request))


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


# --- Per-person stamps ------------------------------------------------------------------------
# Something cached for one person (their unread count) goes stale when a write changes it for
# them alone, which the site version does not see. Such writes move the person's stamp, and the
# cached value is keyed on it. A stamp outlives what is keyed on it; if it is lost all the same
# (evicted), the next reader makes a new one, so nothing stored before it is read again.
PERSON_STAMP_SECONDS = 24 * 60 * 60


def _stamp_key(name: str, person_id: int) -> str:
    return f"person-stamp:{name}:{person_id}"


def person_stamp(name: str, person_id: int) -> str:
    """The person's current `name` stamp, to key a cached value of theirs on.

    Read it BEFORE computing the value and store the value under the stamp read: a change
    that commits meanwhile moves the stamp (person_stamp_bump), so a value computed before
    it is stored under a stamp nobody reads again."""
    key = _stamp_key(name, person_id)
    if (stamp := cache.get(key)) is not None:
        return stamp
    fresh = uuid.uuid4().hex
    if cache.add(key, fresh, PERSON_STAMP_SECONDS):
        return fresh
    # Another reader made it first; if it vanished in between, `fresh` is as good: it is
    # stored nowhere, so whatever is keyed on it is computed afresh.
    return cache.get(key) or fresh


def person_stamp_bump(name: str, person_ids: Iterable[int]) -> None:
    """Move these people's `name` stamps once the current transaction commits (at once
    outside one): only then can a reader see the change, so a reader that counted before
    the commit stores its value under the old stamp. A failed bump is logged, not raised:
    the write has committed, and what is keyed on the stamp expires on its own."""
    keys = [_stamp_key(name, pk) for pk in sorted(set(person_ids))]
    if keys:
        transaction.on_commit(lambda: cache.set_many(
            {key: uuid.uuid4().hex for key in keys}, PERSON_STAMP_SECONDS), robust=True)


# What is cached for one person under a stamp of theirs (for_person) lives as long as the
# shared fragments do: every write it shows moves the stamp or the site version before then.
PERSON_CACHE_SECONDS = 600


def for_person(request, name: str, stamp: str, build: Callable[[], T], *, vary=()) -> T:
    """build() for the signed-in person, cached under their `stamp` stamp (person_stamp), the
    site version (which moves when anything they may see is hidden or shown), the language and
    the request's absolute URL (what is built may hold links and pagination from it), plus
    `vary`.

    Both the stamp and the version are read before build() runs, so a value built from rows
    a change committed meanwhile is stored under a key nobody reads again. Every write that
    changes what build() returns without moving the site version must move `stamp`."""
    person_id = request.user.pk
    parts = "|".join([str(person_id), request_site_version(request),
                      person_stamp(stamp, person_id), translation.get_language(),
                      request.build_absolute_uri(), *(str(value) for value in vary)])
    key = f"person-cached:{name}:{hashlib.sha256(parts.encode()).hexdigest()}"
    return versioned_get_or_build(key, build, PERSON_CACHE_SECONDS)


# --- The process's own copies of versioned entries --------------------------------------------
# Much of what a signed-in page reads from the shared cache is stored under a key that names
# its content: the site version, a person's stamp, and every other input are in the key, and a
# change is stored under a new key, never over an old one (shared fragments, the header's
# unread count, for_person, per_stats_version). Such an entry may be kept in the process too,
# and read from there without the round trip to Redis (about 0.25 ms on the bench machine, as
# long as the page's one query).


class LocalCopies:
    """A bounded copy, in this process, of shared-cache entries under versioned keys: the
    least recently read go first past `max_bytes` (their pickled size), and each is kept at
    most `seconds`, so what a timeout lets move (days in stage) moves at most that much
    later than in the shared cache. Values are kept pickled, as Redis keeps them, so a reader
    that changes what it was given changes nobody else's. Thread-safe; `max_bytes` 0 keeps
    nothing."""

    def __init__(self, *, max_bytes: int, seconds: float):
        self.max_bytes, self.seconds = max_bytes, seconds
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            if (entry := self._entries.get(key)) is None:
                return None
            expires_at, data = entry
            if expires_at <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        return pickle.loads(data)

    def set(self, key: str, value) -> None:
        if not self.max_bytes:
            return
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 8:  # no one entry pushes out most of the others
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, data)
            self._bytes += len(data)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._entries.pop(key)[1])


# A minute: far less than any versioned entry's own timeout, far more than a burst of reads.
LOCAL_COPY_SECONDS = 60
_local_copies: LocalCopies | None = None


def local_copies() -> LocalCopies:
    """This process's copies, sized by settings.LOCAL_CACHE_MAX_BYTES (0 where the shared
    cache is itself in the process: the embedded default's local memory)."""
    global _local_copies
    if _local_copies is None:
        _local_copies = LocalCopies(max_bytes=settings.LOCAL_CACHE_MAX_BYTES,
                                    seconds=LOCAL_COPY_SECONDS)
    return _local_copies


def versioned_get(key: str):
    """The entry under `key`, a versioned key (see above): this process's copy, else the
    shared cache's, copied here; None when neither has it."""
    copies = local_copies()
    if (value := copies.get(key)) is None and (value := cache.get(key)) is not None:
        copies.set(key, value)
    return value


def versioned_set(key: str, value, timeout: float) -> None:
    cache.set(key, value, timeout)
    local_copies().set(key, value)


def versioned_get_or_build(key: str, build: Callable[[], T], timeout: float) -> T:
    """versioned_get(key), else build() stored there for `timeout` seconds."""
    if (value := versioned_get(key)) is None:
        value = build()
        versioned_set(key, value, timeout)
    return value
