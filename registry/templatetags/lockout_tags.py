"""The log-in lockout in plain words (django-axes: AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME)."""

import datetime

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


def _count(n: int, unit: str) -> str:
    if unit == "day":
        return ngettext("%(count)s day", "%(count)s days", n) % {"count": n}
    if unit == "hour":
        return ngettext("%(count)s hour", "%(count)s hours", n) % {"count": n}
    return ngettext("%(count)s minute", "%(count)s minutes", n) % {"count": n}


@register.filter
def plain_duration(value: datetime.timedelta | None) -> str:
    """timedelta(minutes=15) → "15 minutes", timedelta(hours=1, minutes=30) → "1 hour and 30
    minutes", timedelta(days=1, hours=2, minutes=5) → "1 day, 2 hours and 5 minutes".
    Seconds are rounded up to a minute."""
    if not value:
        return ""
    minutes = -(-int(value.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [_count(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
             if n]
    if len(parts) == 1:
        return parts[0]
    # Translators: the last two of a list of durations, e.g. "1 day, 2 hours" and "5 minutes".
    return gettext("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


# The login form warns from this many attempts left (the brief's "attempts 3 and 4 of 5").
WARN_AT_ATTEMPTS_LEFT = 2


def lockout_warning(*, failures: int, limit: int, cool_off: datetime.timedelta | None) -> str:
    """What the log-in form says after a failed attempt that brings the lockout near, or ""."""
    left = limit - failures
    if not 0 < left <= WARN_AT_ATTEMPTS_LEFT:
        return ""
    if cool_off:
        return ngettext(
            "%(count)s attempt left before log-in is paused for %(duration)s.",
            "%(count)s attempts left before log-in is paused for %(duration)s.", left,
        ) % {"count": left, "duration": plain_duration(cool_off)}
    return ngettext(
        "%(count)s attempt left before log-in is locked until an administrator unlocks it.",
        "%(count)s attempts left before log-in is locked until an administrator unlocks it.",
        left,
    ) % {"count": left}
