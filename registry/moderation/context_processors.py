"""What the header shows each signed-in person: their display name, their unread
notifications, "Alerts" for a funder and "Moderation (N)" with the open reports for a
moderator.

Lazy, so a page that shows no header asks nothing, and visitors never cost a query. For a
signed-in person it is one query, as the unread count alone was before: the profile, with the
unread count, the moderators' group and (for staff) the open reports beside it. It
fills the per-request caches that person_name, is_funder and is_moderator read, so the page's
own later checks are free.
"""

from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from registry.discovery.selectors import is_funder
from registry.models import Profile
from registry.moderation.models import Report
from registry.notifications.selectors import notifications_for, unread_count
from registry.permissions import MODERATORS_GROUP, is_moderator
from registry.selectors import person_name


def _count_column(rows, by: str):
    """COUNT(rows) as a column of another query (rows all share the value of `by`)."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _header_row(user) -> Profile | None:
    """The person's profile with `unread`, `in_moderators` and, when they are known to be a
    moderator, `open_reports` beside it.
    notifications_for asks the moderators' group inside its own query when it is not known
    (registry.permissions.moderator_condition), so building it costs no round trip."""
    rows = Profile.objects.filter(user=user).annotate(
        unread=_count_column(notifications_for(user, unread=True), "recipient"))
    open_reports = _count_column(Report.objects.filter(state=Report.State.OPEN), "state")
    if user.is_staff or getattr(user, "_is_moderator", False):
        return rows.annotate(in_moderators=Value(True), open_reports=open_reports).first()
    if hasattr(user, "_is_moderator"):  # asked already: not a moderator
        return rows.annotate(in_moderators=Value(False), open_reports=Value(0)).first()
    # Most people: the group check rides along, and a member of the group (rare) counts the
    # open reports in one more query (HeaderRoles.open_reports).
    return rows.annotate(in_moderators=Exists(Group.objects.filter(
        user=OuterRef("user"), name=MODERATORS_GROUP))).first()


class HeaderRoles:
    def __init__(self, user):
        self._user = user
        profile = _header_row(user)
        get_user_model().profile.related.set_cached_value(user, profile)
        if profile is not None:
            Profile.user.field.set_cached_value(profile, user)
            user._is_funder = profile.is_funder
            if not user.is_staff:
                user._is_moderator = profile.in_moderators
            self.unread = profile.unread
            if hasattr(profile, "open_reports"):
                self.open_reports = profile.open_reports
        self.is_funder = is_funder(user)
        self.is_moderator = is_moderator(user)
        self.name = person_name(user, user)

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
    roles = SimpleLazyObject(lambda: HeaderRoles(user))
    return {"header_roles": roles, "unread_notifications": SimpleLazyObject(lambda: roles.unread)}
