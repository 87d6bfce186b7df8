"""The feedback app: discussion on published writeups and proposals, and review requests on
drafts before they are published."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "registry.feedback"
    label = "feedback"
    verbose_name = _("Discussion and reviews")
    default_auto_field = "django.db.models.BigAutoField"
