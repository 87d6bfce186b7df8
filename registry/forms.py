"""The registry's forms: sign-up, profile, claims, writeups and topic suggestions."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import URLValidator

from registry.core import limits
from registry.core.textclean import ControlCharactersFormMixin
from registry.core.widgets import LookupFormMixin, SimilarTitleInput
from registry.models import Cluster, Profile, Writeup


class SignUpForm(ControlCharactersFormMixin, forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=limits.max_length("account", "username"),
        help_text="Letters, digits and @ . + - _ only.",
        error_messages={"invalid": "Use only letters, digits and @ . + - _ in a username."},
    )
    email = forms.EmailField(max_length=limits.max_length("account", "email"),
                             help_text="Used for password resets and notifications.")
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False,
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Please choose another.")
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            user = get_user_model()(username=cleaned.get("username", ""),
                                    email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _profile_formfield(db_field, **kwargs):
    """The model's form field, with its maximum from registry.core.limits."""
    if db_field.name in limits.MAX_LENGTH["profile"]:
        kwargs["max_length"] = limits.max_length("profile", db_field.name)
    return db_field.formfield(**kwargs)


class ProfileForm(ControlCharactersFormMixin, forms.ModelForm):
    class Meta:
        model = Profile
        formfield_callback = _profile_formfield
        fields = ["display_name", "affiliation", "bio", "links", "conflict_of_interest"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "conflict_of_interest": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"conflict_of_interest": "Conflict-of-interest disclosure"}

    def clean_links(self):
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        bad = []
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                "These are not http(s) addresses: %(bad)s", params={"bad": ", ".join(bad)}
            )
        return "\n".join(lines)


class ClaimForm(ControlCharactersFormMixin, forms.Form):
    plan = forms.CharField(
        max_length=limits.max_length("claim", "plan"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you intend to produce, and by when. Others see this.",
    )
    target_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text="Optional.")


class ClaimNoteForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(max_length=limits.max_length("claim", "note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), label="Note (optional)",
                           help_text="Why you are releasing it. Others see it in the topic's "
                                     "history.")


class ClaimRenewForm(ClaimNoteForm):
    note = forms.CharField(max_length=limits.max_length("claim", "note"),
                           widget=forms.Textarea(attrs={"rows": 3}), label="Progress note",
                           help_text="What you have done since.")


class WriteupForm(ControlCharactersFormMixin, forms.Form):
    title = forms.CharField(max_length=limits.max_length("writeup", "title"))
    kind = forms.ChoiceField(
        choices=Writeup.Kind.choices,
        help_text="The essay's order of priority: plans first, insights second, models last.",
    )
    body = forms.CharField(
        max_length=limits.max_length("writeup", "body"), required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown. Links, emphasis, lists, tables and code are kept; raw HTML is not.",
    )
    external_url = forms.CharField(
        max_length=limits.max_length("writeup", "external_url"), required=False,
        label="Link to the work elsewhere",
        widget=forms.URLInput(), help_text="Optional: an http(s) address of a paper or post.",
    )
    # The version the editor started from, so a concurrent save is detected, not overwritten.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicSuggestForm(LookupFormMixin, ControlCharactersFormMixin, forms.Form):
    # The similar listed topics show beside it as it is typed (or after "Check for similar").
    title = forms.CharField(max_length=limits.max_length("topic_suggestion", "title"),
                            widget=SimilarTitleInput(kind="topic"))
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.order_by("position", "name"),
                                     empty_label=None)
    reason = forms.CharField(max_length=limits.max_length("topic_suggestion", "reason"),
                             label="Why it matters",
                             widget=forms.Textarea(attrs={"rows": 5}))


class TopicDecisionForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(max_length=limits.max_length("topic_suggestion", "decision_note"),
                           required=False, label="Reason",
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Shown to the person who suggested it. Needed to decline.")


class EndorsementForm(ControlCharactersFormMixin, forms.Form):
    statement = forms.CharField(
        min_length=limits.min_length("endorsement", "statement"),
        max_length=limits.max_length("endorsement", "statement"),
        label="What did this work move forward?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Public, with your name: say what is new here and why it matters "
                  "(40–2,000 characters).")
    disclosure = forms.CharField(
        required=False, max_length=limits.max_length("endorsement", "disclosure"),
        label="Conflicts of interest", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Taken from your profile; change it for this endorsement if you need to.")


class ModeratorReasonForm(ControlCharactersFormMixin, forms.Form):
    reason = forms.CharField(max_length=limits.max_length("endorsement", "reason"),
                             label="Reason", help_text="Kept in the topic's history.")
