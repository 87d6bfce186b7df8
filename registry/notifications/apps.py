"""The notifications app: follows, the outbox, e-mails, digests and claim reminders."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Follows, the notification outbox, settings and e-mails, claim reminders. Its tables
    keep the names they had when this was part of the registry app (registry_…; see
    migrations/0001_initial)."""

    name = "registry.notifications"
    label = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the Celery tasks in every process, so services can queue them by name,
        # and the receivers that keep the header's cached unread count right.
        from registry.notifications import signals, tasks  # noqa: F401
