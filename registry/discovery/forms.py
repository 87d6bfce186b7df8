"""Discovery's forms: funder interest, the gaps and search filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.discovery.models import FunderInterest, SearchEntry
from registry.models import Cluster


class ClusterChoiceField(forms.ModelChoiceField):
    """Clusters by their names in the active language."""

    def label_from_instance(self, obj):
        return obj.local_name


class InterestForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}), label=_("Note"),
        help_text=_("Optional: what you would like to see funded."))
    amount_range = forms.CharField(max_length=100, required=False, label=_("Amount range"),
                                   help_text=_("Optional, e.g. “$10k–50k”. Non-binding."))
    visibility = forms.ChoiceField(
        choices=FunderInterest.Visibility.choices, initial=FunderInterest.Visibility.PUBLIC,
        label=_("Visibility"),
        help_text=_("Private: only moderators and the people working on it see your note and "
                    "range; everyone still sees the count."))

    @staticmethod
    def initial_from(interest: FunderInterest | None) -> dict[str, str]:
        """What the funder registered, to show in the form so they can change it."""
        if interest is None:
            return {}
        return {"note": interest.note, "amount_range": interest.amount_range,
                "visibility": interest.visibility}


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label=_("Search"))
    kind = forms.ChoiceField(choices=[("", _("everything")), *SearchEntry.Kind.choices],
                             required=False, label=_("Kind"))
    cluster = ClusterChoiceField(Cluster.objects.all(), to_field_name="slug", required=False,
                                 empty_label=_("all clusters"), label=_("Cluster"))


class ClusterFilterForm(forms.Form):
    cluster = ClusterChoiceField(Cluster.objects.all(), to_field_name="slug", required=False,
                                 empty_label=_("all clusters"), label=_("Cluster"))
