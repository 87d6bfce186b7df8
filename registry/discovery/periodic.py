"""Discovery's periodic job: the nightly reconciliation of topic stats. A function of `now`,
run by Celery beat through registry.discovery.tasks on the schedule in
registry/discovery/schedule.py, or by hand with `manage.py run_periodic stats_reconcile`."""

import datetime
import logging

from registry.discovery.stats import topic_stats_reconcile

logger = logging.getLogger(__name__)


def stats_reconcile(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Nightly: recompute every topic's stored status and counts, logging any drift.

    Drift means some write skipped the stats subscribers: it is corrected and logged as an error."""
    drifted = topic_stats_reconcile()
    if drifted:
        logger.error("topic stats had drifted on %d topics; corrected", drifted)
    return {"drifted": drifted}


JOBS = {job.__name__: job for job in (stats_reconcile,)}
