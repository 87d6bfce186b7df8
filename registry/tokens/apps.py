"""The tokens app: hashed, expiring, revocable API tokens."""

from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "registry.tokens"
    label = "tokens"
    verbose_name = "API tokens"
    default_auto_field = "django.db.models.BigAutoField"
