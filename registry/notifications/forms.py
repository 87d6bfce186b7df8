"""The notification settings form: how one hears of each kind of event."""

from django import forms

from registry.notifications.models import Delivery, DigestFrequency, EventKind


class NotificationSettingsForm(forms.Form):
    """One choice per event kind, plus the digest frequency (fields built from EventKind)."""

    def __init__(self, *args, prefs, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in EventKind.choices:
            self.fields[kind] = forms.ChoiceField(label=f"When {label}", choices=Delivery.choices,
                                                  initial=prefs.delivery_for(kind))
        self.fields["digest_frequency"] = forms.ChoiceField(
            label="Send my digest", choices=DigestFrequency.choices,
            initial=prefs.digest_frequency)

    def delivery(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in EventKind.values}
