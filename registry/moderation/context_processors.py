"""What the header shows each signed-in person: their display name, their unread
notifications, "Alerts" for a funder and "Moderation (N)" with the open reports for a
moderator.

Lazy, so a page that shows no header asks nothing, and visitors never cost a query. For a
signed-in person the profile and the moderators' group come with the person themselves, in
the one query that signs them in (person_with_header, read by
registry.moderation.backends.PersonBackend on every request), and the header asks only the
site version (a moderator's, their open reports too). A session made by another backend
(one older than PersonBackend) gets them in one query with the site version (_header_row).
Either fills the per-request caches that person_name, is_funder and is_moderator read, so the
page's own later checks are free.

The unread count comes from the shared cache, keyed on the person, the site version (which
every visible write moves, hides included) and the person's inbox stamp (which moves after
every commit that adds to their notifications or marks some read). Counting it asks about
the visibility of each notification's topic, proposal, writeup, comment and quoted name, a
query Django takes ~12 ms to build, so it is counted in one more query only when one of those
moved. The roles are never cached: permission checks rely on them.
"""

import functools
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections
from django.db.models.sql import Query
from django.utils.functional import SimpleLazyObject

from registry.core.caching import person_stamp, request_site_version
from registry.discovery.selectors import is_funder
from registry.models import Profile
from registry.moderation.models import Report
from registry.notifications.selectors import unread_count
from registry.notifications.services import INBOX_STAMP
from registry.permissions import MODERATORS_GROUP, is_moderator
from registry.selectors import person_name, site_version_sql

# Keyed on the site version and the inbox stamp too (which also moves when someone is made or
# unmade a moderator, or rows are deleted outside the services: registry.notifications.signals);
# the timeout only bounds what might still escape both.
UNREAD_CACHE_SECONDS = 300


def _header_row(user) -> Profile | None:
    """The person's profile with `site_version_n` (registry.selectors.site_version's number,
    read in this query), `in_moderators` and `open_reports` (counted only for someone known
    to be a moderator; a member of the group found here counts them in one more
    query, HeaderRoles.open_reports).

    Written as SQL rather than built by the ORM: this runs on every signed-in page, and
    Django took ~1.5 ms to build the query it stood for (annotations with two subqueries),
    against 0.2 ms for the round trip to PostgreSQL."""
    version_sql, version_params = site_version_sql()
    known_moderator = user.is_staff or getattr(user, "_is_moderator", False)
    if known_moderator:
        moderators, moderator_params = "TRUE", []
    elif hasattr(user, "_is_moderator"):  # asked already: not a moderator
        moderators, moderator_params = "FALSE", []
    else:  # most people: the group check rides along
        moderators, moderator_params = _IN_MODERATORS, [MODERATORS_GROUP]
    reports, report_params = (f", {_OPEN_REPORTS} AS open_reports", [Report.State.OPEN]) \
        if known_moderator else ("", [])
    rows = Profile.objects.raw(
        f"SELECT profile.*, ({version_sql}) AS site_version_n, {moderators} AS in_moderators"
        f"{reports} FROM {Profile._meta.db_table} profile WHERE profile.user_id = %s",
        [*version_params, *moderator_params, *report_params, user.pk])
    for profile in rows:
        profile.in_moderators = bool(profile.in_moderators)  # SQLite answers 0 or 1
        return profile
    return None


_GROUPS = get_user_model().groups.through
_IN_MODERATORS = (
    f"EXISTS (SELECT 1 FROM {_GROUPS._meta.db_table} member "
    f"JOIN {Group._meta.db_table} grp ON grp.id = member.group_id "
    "WHERE member.user_id = profile.user_id AND grp.name = %s)")
_OPEN_REPORTS = f"(SELECT COUNT(*) FROM {Report._meta.db_table} WHERE state = %s)"


def person_with_header(user_id, *, using: str = "default"):
    """The user `user_id` (None when there is none) with what the header shows of them read in
    the same query: their profile (cached on them as `user.profile`; None when the account has
    none yet), `_is_moderator` and `_is_funder` (what is_moderator and is_funder read). The
    open reports a moderator's header counts are asked apart (HeaderRoles.open_reports): only
    moderators pay for them.

    Written as SQL for the reason _header_row is: it runs on every signed-in request. Each
    column goes through its field's converters, as the ORM's own reads do (SQLite returns
    dates as text and booleans as numbers)."""
    User = get_user_model()
    user_fields, profile_fields = User._meta.concrete_fields, Profile._meta.concrete_fields
    columns = ", ".join([*(f'person."{field.column}"' for field in user_fields),
                         *(f'profile."{field.column}"' for field in profile_fields)])
    moderators = _IN_MODERATORS.replace("profile.user_id", "person.id")
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, {moderators} FROM {User._meta.db_table} person "
            f"LEFT JOIN {Profile._meta.db_table} profile ON profile.user_id = person.id "
            "WHERE person.id = %s", [MODERATORS_GROUP, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    compiler, converters = _converters(using)
    row = next(compiler.apply_converters([row], converters))
    split = len(user_fields)
    user = User.from_db(using, [field.attname for field in user_fields], row[:split])
    profile = None
    if row[split] is not None:  # the profile's id: an account made in the admin has none
        profile = Profile.from_db(using, [field.attname for field in profile_fields],
                                  row[split:split + len(profile_fields)])
        Profile.user.field.set_cached_value(profile, user)
        user._is_funder = profile.is_funder
    User.profile.related.set_cached_value(user, profile)
    if not user.is_staff:
        user._is_moderator = bool(row[-1])  # SQLite answers 0 or 1
    user._header_read = True
    return user


@functools.cache
def _converters(using: str):
    """The SQL compiler and the converters of person_with_header's columns, worked out once per
    database."""
    User = get_user_model()
    compiler = Query(User).get_compiler(using)
    columns = [*(field.get_col(User._meta.db_table) for field in User._meta.concrete_fields),
               *(field.get_col(Profile._meta.db_table) for field in Profile._meta.concrete_fields)]
    return compiler, compiler.get_converters(columns)


def _cached_unread_count(user, site_version: str) -> int:
    """unread_count(user), counted again only when the site version read with the header row
    or the person's inbox stamp moved. Both are read before counting, so a count of rows
    that changed meanwhile is stored under a key nobody reads again (person_stamp)."""
    key = f"header-unread:{user.pk}:{site_version}:{person_stamp(INBOX_STAMP, user.pk)}"
    count = cache.get(key)
    if count is None:
        count = unread_count(user)
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


class HeaderRoles:
    def __init__(self, user, request):
        self._user = user
        if getattr(user, "_header_read", False):
            self._from_sign_in(user, request)
        else:
            self._from_header_row(user, request)
        self.is_funder = is_funder(user)
        self.is_moderator = is_moderator(user)
        self.name = person_name(user, user)

    def _from_sign_in(self, user, request):
        """What person_with_header brought: only the site version is asked."""
        if getattr(user, "profile", None) is not None:
            self.unread = _cached_unread_count(user, request_site_version(request))

    def _from_header_row(self, user, request):
        profile = _header_row(user)
        get_user_model().profile.related.set_cached_value(user, profile)
        if profile is not None:
            Profile.user.field.set_cached_value(profile, user)
            user._is_funder = profile.is_funder
            if not user.is_staff:
                user._is_moderator = profile.in_moderators
            # The page's other parts keyed on the version (shared fragments) reuse this read.
            version = request_site_version(request, read=str(profile.site_version_n or 0))
            self.unread = _cached_unread_count(user, version)
            if hasattr(profile, "open_reports"):
                self.open_reports = profile.open_reports

    # Asked on their own only when the header's one query could not bring them: an account
    # made in the admin has no profile yet; a moderator by group only is known in that query.
    @cached_property
    def unread(self) -> int:
        return unread_count(self._user)

    @cached_property
    def open_reports(self) -> int:
        if not self.is_moderator:
            return 0
        return Report.objects.filter(state=Report.State.OPEN).count()


def header(request):
    """`header_roles` and `unread_notifications` for base.html: nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = SimpleLazyObject(lambda: HeaderRoles(user, request))
    return {"header_roles": roles, "unread_notifications": SimpleLazyObject(lambda: roles.unread)}
