"""The moderation app: reports, hiding, the moderation log and the funder role."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Reports, hiding and the moderation log. Its tables keep the names they had when this
    was part of the registry app (registry_…; see migrations/0001_initial)."""

    name = "registry.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    default_auto_field = "django.db.models.BigAutoField"
