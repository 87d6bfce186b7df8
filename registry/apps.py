"""The registry app: clusters, topics, profiles, claims, writeups and the topic history."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registry"

    def ready(self):
        from registry.core import caching, checks  # noqa: F401  (checks: registers them)
        from registry.selectors import site_version

        # The visitors' cache (plumbing) keys on the registry's site version.
        caching.use_version(site_version)
