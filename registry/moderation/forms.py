"""Moderation's forms: a report, a moderator's reason, a decision on a report."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.moderation.models import Report, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False, max_length=2000,
                           help_text=_("What is wrong, for the moderators."))


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000,
                             help_text=_("Shown in the moderation log; a hide's reason is "
                                         "shown on the page too."))


class ReportDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        (Report.State.RESOLVED, pgettext_lazy("report state", "resolved")),
        (Report.State.DISMISSED, pgettext_lazy("report state", "dismissed"))])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)
