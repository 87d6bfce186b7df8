"""When Celery beat runs the feedback app's periodic tasks (config/celery.py merges every
app's)."""

from celery.schedules import crontab

BEAT = {
    "review_request_sweep": {"task": "registry.feedback.tasks.review_request_sweep",
                             "schedule": crontab(minute=20)},
}
