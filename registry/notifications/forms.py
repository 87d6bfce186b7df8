"""The notification settings forms: how one hears of each kind of event, and one choice for
every kind at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.notifications.models import SETTINGS_GROUPS, Delivery, DigestFrequency, EventKind


class NotificationSettingsForm(forms.Form):
    """One choice per event kind of `groups` (selectors.settings_groups_for: the headings of
    SETTINGS_GROUPS this person needs), labelled by the kind's sentence, plus the digest
    frequency. Kinds left out keep their setting."""

    def __init__(self, *args, prefs, groups=SETTINGS_GROUPS, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_groups = groups
        for _heading, kinds in groups:
            for kind in kinds:
                self.fields[kind] = forms.ChoiceField(label=EventKind(kind).label,
                                                      choices=Delivery.choices,
                                                      initial=prefs.delivery_for(kind))
        self.fields["digest_frequency"] = forms.ChoiceField(
            label=_("Send my digest"), choices=DigestFrequency.choices,
            initial=prefs.digest_frequency)

    def groups(self) -> list[tuple[str, list]]:
        """(heading, its kinds' bound fields) in the page's order."""
        return [(heading, [self[kind] for kind in kinds]) for heading, kinds in self.kind_groups]

    def delivery(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for _heading, kinds in self.kind_groups
                for kind in kinds}


class SetAllForm(forms.Form):
    """The separate submit that gives every kind one delivery (works without JavaScript)."""

    every_kind = forms.ChoiceField(label=_("Set every kind to"), choices=Delivery.choices)

    def delivery(self) -> dict[str, str]:
        return dict.fromkeys(EventKind.values, self.cleaned_data["every_kind"])
