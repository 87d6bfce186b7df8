from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registry"

    def ready(self):
        from registry import checks, signals  # noqa: F401  (registers the checks and receivers)
