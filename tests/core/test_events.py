"""registry.core.events: the one subscriber list from a domain event to the apps that follow
it up (stats, notifications, search, funders' alerts)."""

import pytest
from django.conf import settings

from registry import services
from registry.core import events
from registry.models import TopicEvent
from tests.factories import ClusterFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_every_listed_subscriber_imports_and_stats_come_first():
    assert set(settings.GAPMAP_EVENT_SUBSCRIBERS) == set(events.EVENTS)
    for name in events.EVENTS:
        found = events.subscribers(name)
        assert len(found) == len(settings.GAPMAP_EVENT_SUBSCRIBERS[name]) >= 2
        assert found[0].__module__ == "registry.discovery.stats"


def test_publishing_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown event 'topic_evnt'"):
        events.publish("topic_evnt", event=None)


def test_subscribers_run_in_the_listed_order(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "subscribers", lambda name: (
        lambda **payload: heard.append(("first", name, sorted(payload))),
        lambda **payload: heard.append(("second", name, sorted(payload)))))
    events.publish(events.TOPICS_CHANGED, topics=[])
    assert heard == [("first", "topics_changed", ["topics"]),
                     ("second", "topics_changed", ["topics"])]


def test_a_recorded_event_reaches_stats_and_search_through_the_list(alice, moderator):
    from registry.discovery.models import SearchEntry

    topic = services.topic_suggest(person=alice, title="New field", cluster=ClusterFactory(),
                                   reason="Why")
    services.topic_decide(topic=topic, moderator=moderator, state="listed")
    assert topic.stats.status == "gap"
    assert SearchEntry.objects.get(kind="topic", object_id=topic.pk).title == "New field"


def test_topic_save_records_edited_and_refreshes_search(moderator):
    from registry.discovery.models import SearchEntry

    topic = TopicFactory(title="Old")
    topic.title = "Renamed"
    services.topic_save(topic=topic, actor=moderator, created=False)
    assert list(TopicEvent.objects.filter(topic=topic).values_list("kind", "actor")) == [
        ("edited", moderator.pk)]
    assert SearchEntry.objects.get(kind="topic", object_id=topic.pk).title == "Renamed"


def test_topic_save_by_a_non_moderator_is_refused(alice):
    from registry.core.errors import NotAllowed

    topic = TopicFactory(title="Old")
    topic.title = "Mine now"
    with pytest.raises(NotAllowed):
        services.topic_save(topic=topic, actor=alice, created=False)
    topic.refresh_from_db()
    assert topic.title == "Old"
