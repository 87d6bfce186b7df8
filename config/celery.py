import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gapmap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Run exactly one `celery -A config beat` against these. Each job is safe to run twice, and
# `manage.py run_periodic <name>` runs one by hand (see registry/notifications/periodic.py).
app.conf.beat_schedule = {
    "claim_sweep": {"task": "registry.notifications.tasks.claim_sweep",
                    "schedule": crontab(hour=3, minute=0)},
    "owner_invitation_expiry": {"task": "registry.notifications.tasks.owner_invitation_expiry",
                                "schedule": crontab(minute=5)},
    "digests": {"task": "registry.notifications.tasks.digests",
                "schedule": crontab(hour=6, minute=0)},
    "outbox_retry": {"task": "registry.notifications.tasks.outbox_retry",
                     "schedule": 5 * 60.0},
    "stats_reconcile": {"task": "registry.notifications.tasks.stats_reconcile",
                        "schedule": crontab(hour=4, minute=0)},
}
