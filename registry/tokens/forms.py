"""The token page's forms: a new token's name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.core.textclean import ControlCharactersFormMixin
from registry.tokens.models import ApiToken


class ApiTokenCreateForm(ControlCharactersFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"), required=False,
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What it is for, e.g. “CLI on my laptop”. Left empty, it is called “API”."))
