"""The notification settings forms: how one hears of each kind of event, and one choice for
every kind at once."""

from django import forms

from registry.notifications.models import SETTINGS_GROUPS, Delivery, DigestFrequency, EventKind


class NotificationSettingsForm(forms.Form):
    """One choice per event kind (labelled by the kind's sentence, grouped as SETTINGS_GROUPS
    lists them), plus the digest frequency."""

    def __init__(self, *args, prefs, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in EventKind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Delivery.choices,
                                                  initial=prefs.delivery_for(kind))
        self.fields["digest_frequency"] = forms.ChoiceField(
            label="Send my digest", choices=DigestFrequency.choices,
            initial=prefs.digest_frequency)

    def groups(self) -> list[tuple[str, list]]:
        """(heading, its kinds' bound fields) in the page's order."""
        return [(heading, [self[kind] for kind in kinds]) for heading, kinds in SETTINGS_GROUPS]

    def delivery(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in EventKind.values}


class SetAllForm(forms.Form):
    """The separate submit that gives every kind one delivery (works without JavaScript)."""

    every_kind = forms.ChoiceField(label="Set every kind to", choices=Delivery.choices)

    def delivery(self) -> dict[str, str]:
        return dict.fromkeys(EventKind.values, self.cleaned_data["every_kind"])
