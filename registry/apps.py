"""The registry app: clusters, topics, profiles, claims, writeups and the topic history."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registry"

    def ready(self):
        # checks registers the system checks, languages its log-in receiver, on import.
        from registry.core import caching, checks, lookups  # noqa: F401
        from registry.selectors import site_version
        from registry.services import languages  # noqa: F401

        # The visitors' cache (plumbing) keys on the registry's site version.
        caching.use_version(site_version)
        lookups.register()
