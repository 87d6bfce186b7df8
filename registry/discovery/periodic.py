"""Discovery's periodic job: the nightly reconciliation of topic stats. A function of `now`,
run by Celery beat through registry.discovery.tasks on the schedule in
registry/discovery/schedule.py, or by hand with `manage.py run_periodic stats_reconcile`."""

import datetime
import logging

from registry.discovery.stats import topic_stats_reconcile
from registry.feedback.services.comments import comment_counts_reconcile

logger = logging.getLogger(__name__)


def stats_reconcile(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Nightly: recompute every topic's stored status and counts, logging any drift.

    Drift means some write skipped the stats subscribers: it is corrected and logged as an
    error. The writeups' and proposals' stored comment counts are checked the same way
    (registry.feedback: only its services write them)."""
    drifted = topic_stats_reconcile()
    if drifted:
        logger.error("topic stats had drifted on %d topics; corrected", drifted)
    comments = comment_counts_reconcile()
    if comments:
        logger.error("comment counts had drifted on %d writeups and proposals; corrected: %s",
                     len(comments), ", ".join(f"{kind} {pk} ({stored} → {computed})"
                                              for kind, pk, stored, computed in comments))
    return {"drifted": drifted, "comment_counts_drifted": len(comments)}


JOBS = {job.__name__: job for job in (stats_reconcile,)}
