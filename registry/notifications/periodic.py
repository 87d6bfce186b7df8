"""The periodic jobs: each is a function of `now`, run by Celery beat (see config/celery.py)
through registry.notifications.tasks, or by hand with `manage.py run_periodic <name>`."""

import datetime
import logging

from django.utils import timezone

from proposals.services import co_author_invitations_expire, owner_invitations_expire
from registry.discovery.stats import topic_stats_reconcile
from registry.notifications.services import claims_remind, digests_send, notifications_retry
from registry.services import claims_mark_dormant

logger = logging.getLogger(__name__)


def claim_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Daily: remind claimants whose claims went quiet, then make idle claims dormant (each
    dormancy notifies the topic's followers, the claimant included)."""
    now = now or timezone.now()
    return {"reminded": claims_remind(now=now), "dormant": claims_mark_dormant(now=now)}


def owner_invitation_expiry(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hourly: expire overdue owner invitations (each tells the author and the invitee).

    Overdue co-author invitations expire in the same sweep and are counted with them."""
    now = now or timezone.now()
    return {"expired": owner_invitations_expire(now=now) + co_author_invitations_expire(now=now)}


def digests(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Daily: one digest e-mail per person with digest notifications waiting."""
    return {"sent": digests_send(now=now)}


def outbox_retry(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every 5 minutes: queue e-mails for notifications that have not gone out."""
    return {"queued": notifications_retry(now=now)}


def stats_reconcile(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Nightly: recompute every topic's stored status and counts, logging any drift.

    Drift means some write skipped services.stats: it is corrected and logged as an error."""
    drifted = topic_stats_reconcile()
    if drifted:
        logger.error("topic stats had drifted on %d topics; corrected", drifted)
    return {"drifted": drifted}


JOBS = {job.__name__: job for job in (claim_sweep, owner_invitation_expiry, digests,
                                      outbox_retry, stats_reconcile)}
