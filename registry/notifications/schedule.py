"""When Celery beat runs the notifications' periodic tasks (config/celery.py merges every
app's)."""

from celery.schedules import crontab

BEAT = {
    "claim_sweep": {"task": "registry.notifications.tasks.claim_sweep",
                    "schedule": crontab(hour=3, minute=0)},
    "digests": {"task": "registry.notifications.tasks.digests",
                "schedule": crontab(hour=6, minute=0)},
    "outbox_retry": {"task": "registry.notifications.tasks.outbox_retry",
                     "schedule": 5 * 60.0},
}
