"""The discussion's forms: a comment (or a reply) and an edit. Each field's limit is the one
the service checks (registry.core.limits)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal
from registry.core.limits import max_length
from registry.core.textclean import ControlCharactersFormMixin
from registry.feedback.models import Aspect
from registry.forms import language_field
from registry.services.languages import active_language


def body_field() -> forms.CharField:
    # Not stripped: Markdown's leading spaces mean something; the service refuses a blank one.
    return forms.CharField(
        label=_("Your comment"), strip=False, max_length=max_length("comment", "body"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Name someone with @username to tell them (they must be able "
                    "to see this page)."))


class CommentForm(ControlCharactersFormMixin, forms.Form):
    """A new comment; `parent` makes it a reply. Only a proposal's comments have an aspect,
    and a reply takes its comment's, so neither a writeup's form nor a reply asks for one."""

    body = body_field()
    language = language_field()
    aspect = forms.ChoiceField(label=_("It is about"), required=False,
                               choices=[("", _("the proposal as a whole")), *Aspect.choices])
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, target, replying: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = active_language()
        if replying or not isinstance(target, Proposal):
            del self.fields["aspect"]


class CommentEditForm(ControlCharactersFormMixin, forms.Form):
    """The author's edit. `version` is the one they loaded: saving over someone's later save
    is refused (412) and offered again (registry.core.forms.offer_overwrite). The language
    starts from the stored one (the page's language when unknown): give it in `initial`."""

    body = body_field()
    language = language_field()
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
