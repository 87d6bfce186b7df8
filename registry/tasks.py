"""Found by config/celery.py's autodiscover_tasks(), which looks in installed apps only: the
notifications' and discovery's tasks live with them and are named here until they are apps
of their own."""

from registry.discovery.tasks import stats_reconcile  # noqa: F401
from registry.notifications.tasks import (  # noqa: F401
    claim_sweep,
    digests,
    outbox_retry,
    send_notification_email,
)
