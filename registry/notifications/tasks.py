"""Celery tasks: thin wrappers that take primitive ids and call a service.

All are safe to run twice, which is why the app acknowledges late and requeues a task whose
worker died (config/settings.py: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST).
"""

import os
import time

from celery import shared_task

from registry.notifications import periodic, services


def _test_send_delay() -> None:
    # Only the real-worker integration test sets this, to kill the worker mid-task.
    delay = float(os.environ.get("GAPMAP_TEST_SEND_DELAY", "0"))
    if delay:
        time.sleep(delay)


# One task e-mails every recipient of an event in turn, so it gets longer limits than the
# default; the hard limit stays under services.SENDING_STALE_AFTER (10 minutes), so a row
# still `sending` after that really belongs to a dead worker.
@shared_task(time_limit=540, soft_time_limit=480)
def send_notification_emails(recipient_ids: list[int]) -> int:
    """E-mail each person their due notifications, one message each; a person whose send
    fails is left to the outbox retry sweep. Returns rows e-mailed in all."""
    _test_send_delay()
    return services.notification_emails_send_each(recipient_ids=recipient_ids)


# No longer queued (one send_notification_emails per event is): kept registered for the
# tasks a broker still holds from before.
@shared_task
def send_notification_email(recipient_id: int) -> int:
    """E-mail a person's due notifications in one message; returns quietly if they are gone."""
    _test_send_delay()
    return services.notification_emails_send(recipient_id=recipient_id)


@shared_task
def claim_sweep() -> dict[str, int]:
    return periodic.claim_sweep()


# One task sends every digest in turn, so it gets longer limits than the default.
@shared_task(time_limit=1800, soft_time_limit=1700)
def digests() -> dict[str, int]:
    return periodic.digests()


@shared_task
def outbox_retry() -> dict[str, int]:
    return periodic.outbox_retry()
