"""The site version: one counter row every visitor-visible write moves in its own transaction,
so the visitors' cache (registry.core.caching) keys on a number that changes exactly when
what visitors may see does (see registry.models.SiteVersion)."""

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from registry.models import SiteVersion


def site_version_bump() -> None:
    """Move the site version (registry.selectors.site_version), so the visitors' caches
    render anew. Call inside the transaction of a write that changes what visitors may see,
    after its row locks: topic_stats_refresh does, which every such write already passes
    through (history.record_event, proposals' events and edits, moderation, funder
    interest, the Topic admin); the few writes that touch no topic call it themselves.

    An UPDATE of one row inside that transaction: the new number is committed with the
    data and not a moment before, and concurrent writers queue on the row from here to
    their commit, so the number read after any commit differs from every one before it.
    (A version taken from the clock before commit did not: a hide committing after a
    later-stamped change left the version alone and its page cached.)
    """
    if SiteVersion.objects.filter(pk=1).update(n=F("n") + 1):
        return
    try:  # no row yet: a new or restored database, or one flushed by a test
        with transaction.atomic():
            # From the clock, so a restored database never repeats a number whose pages
            # the shared cache may still hold.
            SiteVersion.objects.create(pk=1, n=time.time_ns() // 1000)
    except IntegrityError:  # a concurrent writer made it first
        SiteVersion.objects.filter(pk=1).update(n=F("n") + 1)
