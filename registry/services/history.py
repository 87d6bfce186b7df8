"""The audit trail and field validation shared by the registry's services."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from registry.discovery.followups import on_topic_event
from registry.errors import ValidationFailed
from registry.limits import too_long_message, too_many_message
from registry.models import TopicEvent
from registry.notifications.services import notify_topic_event
from registry.services.stats import topic_stats_refresh


def record_event(*, topic, kind, actor=None, claim=None, writeup=None, note="", now=None):
    """Append one TopicEvent. Call inside the transaction that makes the change it records.

    Side effects: the topic's stats refreshed (services.stats), before anything reads them;
    the event's notifications (registry.notifications.services.notify_topic_event:
    outbox rows now, e-mail tasks on commit), so every recorded event reaches its followers;
    the search entries and funders' alerts of registry.discovery.followups.on_topic_event.
    """
    extra = {"created_at": now} if now is not None else {}
    event = TopicEvent.objects.create(topic=topic, kind=kind, actor=actor, claim=claim,
                                      writeup=writeup, note=note, **extra)
    topic_stats_refresh(topic_ids=[topic.pk])
    notify_topic_event(event=event)
    on_topic_event(event=event)
    return event


class FieldErrors:
    """Collects messages per field so a form or API call hears about every bad field at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str):
        self.fields.setdefault(name, []).append(message)

    def text(self, name: str, value: str, *, max_length: int, required: bool = True):
        """`max_length`: from registry.limits, where every field's limit is kept."""
        if required and not (value or "").strip():
            self.add(name, "This field is required.")
        elif len(value or "") > max_length:
            self.add(name, too_long_message(max_length, len(value)))

    def http_url(self, name: str, value: str, *, max_length: int):
        if not value:
            return
        if len(value) > max_length:  # before the validator's regular expression
            self.add(name, too_long_message(max_length, len(value)))
            return
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.add(name, "Enter a full http:// or https:// address.")

    def count(self, name: str, items: list, *, max_items: int):
        """A list field (`max_items` from registry.limits). Check it before resolving its
        items: each may cost a query."""
        if len(items) > max_items:
            self.add(name, too_many_message(max_items, len(items)))

    def raise_if_any(self):
        if self.fields:
            names = ", ".join(sorted(self.fields))
            raise ValidationFailed(f"Some fields are not valid: {names}.", fields=self.fields)
