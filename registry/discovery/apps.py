"""The discovery app: funders' interest and alerts, gaps, the map, search, feeds, exports and
topic stats."""

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """Funders' interest and alerts, gaps, the map, search, feeds, exports and topic stats.
    Its tables keep the names they had when this was part of the registry app (registry_…;
    see migrations/0001_initial)."""

    name = "registry.discovery"
    label = "discovery"
    verbose_name = "Discovery"
    default_auto_field = "django.db.models.BigAutoField"
