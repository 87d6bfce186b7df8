"""When Celery beat runs discovery's periodic tasks (config/celery.py merges every app's)."""

from celery.schedules import crontab

BEAT = {
    "stats_reconcile": {"task": "registry.discovery.tasks.stats_reconcile",
                        "schedule": crontab(hour=4, minute=0)},
}
