"""The feedback app: discussion on published writeups and proposals, and review requests on
drafts before they are published."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "registry.feedback"
    label = "feedback"
    verbose_name = "Discussion and reviews"
    default_auto_field = "django.db.models.BigAutoField"
