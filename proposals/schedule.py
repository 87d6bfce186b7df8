"""When Celery beat runs proposals' periodic tasks (config/celery.py merges every app's)."""

from celery.schedules import crontab

BEAT = {
    "owner_invitation_expiry": {"task": "proposals.tasks.owner_invitation_expiry",
                                "schedule": crontab(minute=5)},
}
