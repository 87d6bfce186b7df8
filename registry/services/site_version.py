"""The site version: a number every visitor-visible write moves, so the visitors' cache
(registry.core.caching) and the per-version caches key on a number that changes whenever what
visitors may see does (see registry.models.SiteVersion).

On PostgreSQL it is a sequence, which writers move without waiting for each other; on SQLite
(one writer at a time anyway) it is the SiteVersion row.
"""

import time

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from registry.core.caching import version_moved
from registry.models import SITE_VERSION_SEQUENCE, SiteVersion, site_version_is_sequence


def _next_value() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{SITE_VERSION_SEQUENCE}')")
    version_moved()


def site_version_bump() -> None:
    """Move the site version (registry.selectors.site_version), so the visitors' caches
    render anew. Call inside the transaction of a write that changes what visitors may see:
    topic_stats_refresh does, which every such write already passes through
    (history.record_event, proposals' events and edits, moderation, funder interest, the Topic
    admin); the few writes that touch no topic call it themselves.

    PostgreSQL: the sequence moves now and again once the transaction commits. A reader that
    took the first number during the transaction rendered the data from before it; the second
    number, taken after commit and before the writer's response leaves, orphans whatever was
    stored under the first, so the writer's next page and everyone's after that commit are
    rendered afresh. Neither move takes a lock: the row this used to UPDATE inside the
    transaction made every write on the site wait for the one before it to commit (6 claims
    a second under 16 writers).

    SQLite: an UPDATE of one row inside the transaction: the new number is committed with the
    data and not a moment before.
    """
    if site_version_is_sequence():
        _next_value()
        if not any(hook is _next_value for _, hook, _ in connection.run_on_commit):
            transaction.on_commit(_next_value)
        return
    version_moved()
    if SiteVersion.objects.filter(pk=1).update(n=F("n") + 1):
        return
    try:  # no row yet: a new or restored database, or one flushed by a test
        with transaction.atomic():
            # From the clock, so a restored database never repeats a number whose pages
            # the shared cache may still hold.
            SiteVersion.objects.create(pk=1, n=time.time_ns() // 1000)
    except IntegrityError:  # a concurrent writer made it first
        SiteVersion.objects.filter(pk=1).update(n=F("n") + 1)
