"""Found by config/celery.py's autodiscover_tasks(); the tasks live with their feature."""

from registry.notifications.tasks import (  # noqa: F401
    claim_sweep,
    digests,
    outbox_retry,
    owner_invitation_expiry,
    send_notification_email,
)
