"""Forms of the review pages. They check shape; the services check the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.core import limits
from registry.core.textclean import ControlCharactersFormMixin

# The paragraph choice's value for "the draft as a whole" (a blank anchor): the blank value
# itself is the "choose" prompt, so nobody comments on the whole draft by not choosing.
WHOLE = "whole"


class ReviewInviteForm(ControlCharactersFormMixin, forms.Form):
    """Whom to ask, chosen from people shown by name (`options`: (id, label) pairs, the
    suggestions or a search's candidates); any active person's id is accepted, and the
    service decides whether they may be asked."""

    reviewer = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True), label=_("Person to ask"),
        error_messages={"invalid_choice": _("Choose one of the people listed."),
                        "required": _("Choose the person to ask.")})
    message = forms.CharField(
        label=_("Message"), required=False,
        max_length=limits.max_length("review_request", "message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what you would like them to look at, and by when. Only they "
                    "see it."))
    # The search the choices came from, so a refusal shows the same people again.
    reviewer_q = forms.CharField(required=False, widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", _("Choose a person")), *options]


class ReviewCommentForm(ControlCharactersFormMixin, forms.Form):
    """A review comment on one paragraph of the version shown (see offer), or on the draft
    as a whole. The anchor is checked by the service, which knows the current version."""

    anchor = forms.CharField(
        label=pgettext_lazy("review comment anchor", "On"), max_length=64,
        error_messages={"required": _("Choose the paragraph your comment is on, or the draft "
                                      "as a whole.")})
    body = forms.CharField(
        label=_("Your comment"), max_length=limits.max_length("review_comment", "body"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Only the authors and the reviewers of this draft see it."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def offer(self, choices) -> None:
        """The paragraphs of the version shown, (anchor, label) pairs, as the choices."""
        self.fields["anchor"].widget = forms.Select(choices=[
            ("", _("Choose a paragraph")), (WHOLE, _("The draft as a whole")),
            *((anchor, f"“{label}”") for anchor, label in choices)])

    def clean_anchor(self):
        anchor = self.cleaned_data["anchor"]
        return "" if anchor == WHOLE else anchor


class ReviewFinishForm(forms.Form):
    named = forms.BooleanField(
        required=False, label=_("Name me as a reviewer on the published page"),
        help_text=_("Your name, linked to your profile, appears as “Reviewed by …” once it is "
                    "published. Nothing else about your review is ever public."))
