"""The proposals app: concrete asks moved analysis → proposal → owner."""

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
