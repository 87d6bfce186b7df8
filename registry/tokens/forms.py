"""The token page's forms: a new token's name."""

from django import forms

from registry.core.textclean import ControlCharactersFormMixin
from registry.tokens.models import ApiToken


class ApiTokenCreateForm(ControlCharactersFormMixin, forms.Form):
    name = forms.CharField(
        label="Token name", required=False,
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What it is for, e.g. “CLI on my laptop”. Left empty, it is called “API”.")
