"""The Celery app: settings from Django's (CELERY_*), tasks found in every installed app, and the
beat schedule merged from each app's schedule.py."""

import os

from celery import Celery

from proposals.schedule import BEAT as proposals_beat
from registry.discovery.schedule import BEAT as discovery_beat
from registry.feedback.schedule import BEAT as feedback_beat
from registry.notifications.schedule import BEAT as notifications_beat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gapmap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Run exactly one `celery -A config beat` against these. Each app names its own periodic
# tasks and their times in its schedule.py; each job is safe to run twice, and
# `manage.py run_periodic <name>` runs one by hand.
app.conf.beat_schedule = {**notifications_beat, **proposals_beat, **discovery_beat,
                          **feedback_beat}
