"""The notifications' periodic jobs: claim reminders (with the dormancy they warn of),
digests and the outbox retry. Each is a function of `now`, run by Celery beat through
registry.notifications.tasks on the schedule in registry/notifications/schedule.py, or by
hand with `manage.py run_periodic <name>`. Safe to run twice."""

import datetime

from django.utils import timezone

from registry.notifications.services import claims_remind, digests_send, notifications_retry
from registry.services import claims_mark_dormant


def claim_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Daily: remind claimants whose claims went quiet, then make idle claims dormant (each
    dormancy notifies the topic's followers, the claimant included)."""
    now = now or timezone.now()
    return {"reminded": claims_remind(now=now), "dormant": claims_mark_dormant(now=now)}


def digests(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Daily: one digest e-mail per person with digest notifications waiting."""
    return {"sent": digests_send(now=now)}


def outbox_retry(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every 5 minutes: queue e-mails for notifications that have not gone out."""
    return {"queued": notifications_retry(now=now)}


JOBS = {job.__name__: job for job in (claim_sweep, digests, outbox_retry)}
