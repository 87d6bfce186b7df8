"""The registry's forms: sign-up, profile, claims, writeups and topic suggestions."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import URLValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.core import limits
from registry.core.textclean import ControlCharactersFormMixin
from registry.core.widgets import LookupFormMixin, SimilarTitleInput
from registry.models import Cluster, Profile, Writeup
from registry.services.languages import active_language


class SignUpForm(ControlCharactersFormMixin, forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=limits.max_length("account", "username"), label=_("Username"),
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in a username.")},
    )
    email = forms.EmailField(max_length=limits.max_length("account", "email"), label=_("Email"),
                             help_text=_("Used for password resets and notifications."))
    # Lazy: the validators' help (Django's own, translated) in the language of the request.
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False,
        help_text=lazy(password_validation.password_validators_help_text_html, str)())
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken. Please choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
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
        labels = {"display_name": _("Display name"), "affiliation": _("Affiliation"),
                  "bio": _("Bio"), "links": _("Links"),
                  "conflict_of_interest": _("Conflict-of-interest disclosure")}

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
                _("These are not http(s) addresses: %(bad)s"), params={"bad": ", ".join(bad)}
            )
        return "\n".join(lines)


class ClaimForm(ControlCharactersFormMixin, forms.Form):
    plan = forms.CharField(
        max_length=limits.max_length("claim", "plan"), widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Plan"), help_text=_("What you intend to produce, and by when. Others see this."),
    )
    target_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  label=_("Target date"), help_text=_("Optional."))


class ClaimNoteForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(max_length=limits.max_length("claim", "note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), label=_("Note (optional)"),
                           help_text=_("Why you are releasing it. Others see it in the topic's "
                                       "history."))


class ClaimRenewForm(ClaimNoteForm):
    note = forms.CharField(max_length=limits.max_length("claim", "note"),
                           widget=forms.Textarea(attrs={"rows": 3}), label=_("Progress note"),
                           help_text=_("What you have done since."))


# The kinds as the pages name them (registry/_topic_work.html, writeup_detail.html).
KIND_LABELS = {Writeup.Kind.PLAN: pgettext_lazy("writeup kind", "plan"),
               Writeup.Kind.INSIGHT: pgettext_lazy("writeup kind", "insight"),
               Writeup.Kind.MODEL: pgettext_lazy("writeup kind", "model"),
               Writeup.Kind.ANALYSIS: pgettext_lazy("writeup kind", "analysis")}


def _languages():
    # Called per form, so the choices follow settings.LANGUAGES (overridden in tests too).
    return settings.LANGUAGES


def language_field(**options) -> forms.ChoiceField:
    """"Language of the text", for what people write (writeups, proposals, comments). Not
    required: a form sent without it (an older page, a script) keeps the language it started
    from: the stored one when editing, else the reader's (see each form's clean_language)."""
    return forms.ChoiceField(
        choices=_languages, required=False, label=_("Language of the text"),
        help_text=_("So that browsers, screen readers and translators read it right."),
        **options)


class WriteupForm(ControlCharactersFormMixin, forms.Form):
    title = forms.CharField(max_length=limits.max_length("writeup", "title"), label=_("Title"))
    kind = forms.ChoiceField(
        choices=[(value, KIND_LABELS.get(value, label)) for value, label in Writeup.Kind.choices],
        label=_("Kind"),
        help_text=_("The essay's order of priority: plans first, insights second, models last."),
    )
    body = forms.CharField(
        max_length=limits.max_length("writeup", "body"), required=False, label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Links, emphasis, lists, tables and code are kept; raw HTML is "
                    "not."),
    )
    external_url = forms.CharField(
        max_length=limits.max_length("writeup", "external_url"), required=False,
        label=_("Link to the work elsewhere"),
        widget=forms.URLInput(), help_text=_("Optional: an http(s) address of a paper or post."),
    )
    language = language_field(initial=active_language)
    # The version the editor started from, so a concurrent save is detected, not overwritten.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_language(self):
        return (self.cleaned_data["language"]
                or self.get_initial_for_field(self.fields["language"], "language"))


class ClusterChoiceField(forms.ModelChoiceField):
    """Clusters by their name in the active language (Cluster.local_name)."""

    def label_from_instance(self, obj):
        return obj.local_name


class TopicSuggestForm(LookupFormMixin, ControlCharactersFormMixin, forms.Form):
    # The similar listed topics show beside it as it is typed (or after "Check for similar").
    title = forms.CharField(max_length=limits.max_length("topic_suggestion", "title"),
                            label=_("Title"), widget=SimilarTitleInput(kind="topic"))
    cluster = ClusterChoiceField(queryset=Cluster.objects.order_by("position", "name"),
                                 empty_label=None, label=_("Cluster"))
    reason = forms.CharField(max_length=limits.max_length("topic_suggestion", "reason"),
                             label=_("Why it matters"),
                             widget=forms.Textarea(attrs={"rows": 5}))


class TopicDecisionForm(ControlCharactersFormMixin, forms.Form):
    note = forms.CharField(max_length=limits.max_length("topic_suggestion", "decision_note"),
                           required=False, label=_("Reason"),
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Shown to the person who suggested it. Needed to decline."))


class EndorsementForm(ControlCharactersFormMixin, forms.Form):
    statement = forms.CharField(
        min_length=limits.min_length("endorsement", "statement"),
        max_length=limits.max_length("endorsement", "statement"),
        label=_("What did this work move forward?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public, with your name: say what is new here and why it matters "
                    "(40–2,000 characters)."))
    disclosure = forms.CharField(
        required=False, max_length=limits.max_length("endorsement", "disclosure"),
        label=_("Conflicts of interest"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Taken from your profile; change it for this endorsement if you need to."))


class ModeratorReasonForm(ControlCharactersFormMixin, forms.Form):
    reason = forms.CharField(max_length=limits.max_length("endorsement", "reason"),
                             label=_("Reason"), help_text=_("Kept in the topic's history."))
