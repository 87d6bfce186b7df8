"""The registry's audit trail: record_event, the one door for a topic's history."""

from registry.discovery.followups import on_topic_event
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
