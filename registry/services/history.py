"""The registry's audit trail: record_event, the one door for a topic's history."""

from registry.core.events import TOPIC_EVENT, publish
from registry.models import TopicEvent


def record_event(*, topic, kind, actor=None, claim=None, writeup=None, endorsement=None,
                 recognition=None, note="", now=None):
    """Append one TopicEvent. Call inside the transaction that makes the change it records.

    Side effects: publishes TOPIC_EVENT to its subscribers (settings.GAPMAP_EVENT_SUBSCRIBERS,
    in this order): the topic's stats refreshed first, so everything after reads them
    fresh; the event's notifications (outbox rows now, e-mail tasks on commit), so every
    recorded event reaches its followers; the search entries and funders' alerts.
    """
    extra = {"created_at": now} if now is not None else {}
    event = TopicEvent.objects.create(topic=topic, kind=kind, actor=actor, claim=claim,
                                      writeup=writeup, endorsement=endorsement,
                                      recognition=recognition, note=note, **extra)
    publish(TOPIC_EVENT, event=event)
    return event
