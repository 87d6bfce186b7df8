import pytest

from registry import permissions, selectors, services
from registry.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.models import Topic, TopicEvent
from tests.factories import ClusterFactory, TopicFactory


def test_topic_suggest_creates_a_suggested_topic_with_a_free_slug(alice):
    cluster = ClusterFactory()
    TopicFactory(slug="chip-export-rules")

    topic = services.topic_suggest(person=alice, title=" Chip export rules ", cluster=cluster,
                                   reason="Nobody tracks them.")

    assert (topic.slug, topic.title, topic.state, topic.suggested_by, topic.reason) == (
        "chip-export-rules-2", "Chip export rules", "suggested", alice, "Nobody tracks them.")
    assert TopicEvent.objects.get(topic=topic).kind == "suggested"


def test_topic_suggest_never_takes_a_reserved_slug(alice):
    topic = services.topic_suggest(person=alice, title="Suggest", cluster=ClusterFactory(),
                                   reason="r")

    assert topic.slug == "suggest-2"


def test_topic_suggest_bad_input_names_the_fields_and_writes_nothing(alice):
    with pytest.raises(ValidationFailed) as error:
        services.topic_suggest(person=alice, title="t" * 201, cluster=ClusterFactory(),
                               reason="")

    assert error.value.fields == {
        "title": ["Keep this to 200 characters or fewer (it has 201)."],
        "reason": ["This field is required."],
    }
    assert Topic.objects.count() == 0


def test_suggestion_is_visible_to_its_author_and_moderators_only(alice, bob, moderator):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")

    assert [permissions.can_see_topic(u, topic) for u in (alice, bob, moderator)] == [
        True, False, True]
    assert [list(selectors.topics_visible_to(u)) for u in (alice, bob, moderator)] == [
        [topic], [], [topic]]
    assert list(selectors.topics_with_status()) == []


def test_topic_decide_lists_a_suggestion(alice, moderator):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")

    services.topic_decide(topic=topic, moderator=moderator, state="listed", note="Welcome")

    topic.refresh_from_db()
    assert (topic.state, topic.decided_by, topic.decision_note) == ("listed", moderator,
                                                                    "Welcome")
    assert [t.slug for t in selectors.topics_with_status()] == [topic.slug]


def test_topic_decide_decline_needs_a_reason(alice, moderator):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")

    with pytest.raises(ValidationFailed) as error:
        services.topic_decide(topic=topic, moderator=moderator, state="declined", note="")

    assert error.value.fields == {"note": ["This field is required."]}
    assert Topic.objects.get(pk=topic.pk).state == "suggested"


def test_topic_decide_by_a_member_of_the_moderators_group(alice, bob):
    from django.contrib.auth.models import Group

    bob.groups.add(Group.objects.create(name="moderators"))
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")

    services.topic_decide(topic=topic, moderator=bob, state="declined", note="Duplicate")

    assert Topic.objects.get(pk=topic.pk).decision_note == "Duplicate"


def test_topic_decide_by_a_non_moderator_is_not_allowed(alice, bob):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")

    with pytest.raises(NotAllowed):
        services.topic_decide(topic=topic, moderator=alice, state="listed")

    assert Topic.objects.get(pk=topic.pk).state == "suggested"


def test_topic_decide_twice_is_invalid(alice, moderator):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")
    services.topic_decide(topic=topic, moderator=moderator, state="declined", note="No")

    with pytest.raises(InvalidTransition):
        services.topic_decide(topic=topic, moderator=moderator, state="listed")
