"""Moderation's forms: a report, a moderator's reason, a decision on a report."""

from django import forms

from registry.moderation.models import Report, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=2000, help_text="What is wrong, for the moderators.")


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text="Shown in the moderation log; a hide's reason is shown "
                                       "on the page too.")


class ReportDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(Report.State.RESOLVED, "resolved"),
                                         (Report.State.DISMISSED, "dismissed")])
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
