"""What the header shows each signed-in person: their display name, their unread
notifications, "Alerts" for a funder and "Moderation (N)" with the open reports for a
moderator.

Lazy, so a page that shows no header asks nothing, and visitors never cost a query. The
profile, the moderators' group and the site version come with the person themselves, in the
one query that signs them in (person_with_header, read by
registry.moderation.backends.PersonBackend on every request); it fills the per-request caches
that person_name, is_funder, is_moderator and request_site_version read, so the header and the
page's own later checks are free (a moderator's header asks for the open reports).

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
from django.utils.functional import SimpleLazyObject

from registry.core.caching import (
    person_stamp,
    request_site_version,
    version_reading,
    versioned_get_or_build,
)
from registry.core.raw_rows import RawRows
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


_GROUPS = get_user_model().groups.through
_IN_MODERATORS = (
    f"EXISTS (SELECT 1 FROM {_GROUPS._meta.db_table} member "
    f"JOIN {Group._meta.db_table} grp ON grp.id = member.group_id "
    "WHERE member.user_id = person.id AND grp.name = %s)")


def person_with_header(user_id):
    """The user `user_id` (None when there is none) with what the header shows of them read in
    the same query: their profile (cached on them as `user.profile`; None when the account has
    none yet), `_is_moderator` and `_is_funder` (what is_moderator and is_funder read), and
    `site_version_reading`, the site version as this request will key its caches on it
    (caching.request_site_version), so a signed-in page does not ask for it apart. The
    open reports a moderator's header counts are asked apart (HeaderRoles.open_reports): only
    moderators pay for them.

    Written as SQL rather than built by the ORM (registry.core.raw_rows): it runs on every
    signed-in request, and Django took ~0.8 ms to build and read the person and their header
    apart."""
    User = get_user_model()
    version_sql, version_params = site_version_sql()
    found = _person_rows().fetch_one(
        also=[_IN_MODERATORS, version_sql],
        params=[MODERATORS_GROUP, *version_params, user_id],
        rest=f"FROM {User._meta.db_table} person "
             f"LEFT JOIN {Profile._meta.db_table} profile ON profile.user_id = person.id "
             "WHERE person.id = %s")
    if found is None:
        return None
    (user, profile), (in_moderators, version) = found
    # The profile is None for an account made in the admin, which has none.
    if profile is not None:
        Profile.user.field.set_cached_value(profile, user)
    User.profile.related.set_cached_value(user, profile)
    user._is_funder = profile is not None and profile.is_funder
    if not user.is_staff:
        user._is_moderator = bool(in_moderators)  # SQLite answers 0 or 1
    user.site_version_reading = version_reading(version)
    return user


@functools.cache
def _person_rows() -> RawRows:
    return RawRows(("person", get_user_model()), ("profile", Profile))


def _cached_unread_count(user, site_version: str) -> int:
    """unread_count(user), counted again only when the site version or the person's inbox
    stamp moved. Both are read before counting, so a count of rows
    that changed meanwhile is stored under a key nobody reads again (person_stamp)."""
    key = f"header-unread:{user.pk}:{site_version}:{person_stamp(INBOX_STAMP, user.pk)}"
    return versioned_get_or_build(key, lambda: unread_count(user), UNREAD_CACHE_SECONDS)


class HeaderRoles:
    def __init__(self, user, request):
        # Free for a person PersonBackend read (person_with_header); a query each otherwise.
        self.is_funder = is_funder(user)
        self.is_moderator = is_moderator(user)
        self.name = person_name(user, user)
        self.unread = _cached_unread_count(user, request_site_version(request))

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
