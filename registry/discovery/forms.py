"""Discovery's forms: funder interest, the gaps and search filters."""

from django import forms

from registry.discovery.models import FunderInterest, SearchEntry
from registry.models import Cluster


class InterestForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="Optional: what you would like to see funded.")
    amount_range = forms.CharField(max_length=100, required=False, label="Amount range",
                                   help_text="Optional, e.g. “$10k–50k”. Non-binding.")
    visibility = forms.ChoiceField(
        choices=FunderInterest.Visibility.choices, initial=FunderInterest.Visibility.PUBLIC,
        help_text="Private: only moderators and the people working on it see your note and "
                  "range; everyone still sees the count.")

    @staticmethod
    def initial_from(interest: FunderInterest | None) -> dict[str, str]:
        """What the funder registered, to show in the form so they can change it."""
        if interest is None:
            return {}
        return {"note": interest.note, "amount_range": interest.amount_range,
                "visibility": interest.visibility}


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, label="Search")
    kind = forms.ChoiceField(choices=[("", "everything"), *SearchEntry.Kind.choices],
                             required=False)
    cluster = forms.ModelChoiceField(Cluster.objects.all(), to_field_name="slug",
                                     required=False, empty_label="all clusters")


class ClusterFilterForm(forms.Form):
    cluster = forms.ModelChoiceField(Cluster.objects.all(), to_field_name="slug",
                                     required=False, empty_label="all clusters")
