from proposals import selectors
from proposals import services as proposal_services
from registry.moderation.services import content_hide
from registry.selectors import topics_with_status
from tests.factories import TopicFactory


def test_hidden_proposal_is_not_counted_as_open(db, alice, moderator):
    topic = TopicFactory(slug="counted")
    shown = proposal_services.proposal_create(topic=topic, author=alice, title="Shown")
    hidden = proposal_services.proposal_create(topic=topic, author=alice, title="Spam")

    content_hide(moderator=moderator, target_type="proposal", obj=hidden, reason="spam")
    annotated = selectors.with_open_proposal_counts(topics_with_status()).get(pk=topic.pk)

    assert selectors.open_proposal_counts(annotated) == {"analysis": 1, "proposal": 0,
                                                         "owner": 0}
    assert selectors.open_proposal_counts(topic) == {"analysis": 1, "proposal": 0, "owner": 0}
    assert shown.stage == "analysis"


def test_proposals_on_a_hidden_topic_are_counted_without_joining_every_topic(db, alice, bob,
                                                                           moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.models import Proposal
    from registry.discovery.stats import topic_stats_refresh
    from registry.models import Topic

    shown_topic, hidden_topic = TopicFactory(slug="shown"), TopicFactory(slug="hidden")
    proposal_services.proposal_create(topic=shown_topic, author=alice, title="On a shown topic")
    proposal_services.proposal_create(topic=hidden_topic, author=alice, title="On a hidden one")
    # As the topic admin hides a listed topic (moderation's door is for suggestions).
    Topic.objects.filter(pk=hidden_topic.pk).update(hidden=True)
    topic_stats_refresh(topic_ids=[hidden_topic.pk])
    with CaptureQueriesContext(connection) as queries:
        counts = {"bob": Proposal.objects.filter(selectors.shown_to(bob)).count(),
                  "alice": Proposal.objects.filter(selectors.shown_to(alice)).count(),
                  "moderator": Proposal.objects.filter(selectors.shown_to(moderator)).count()}
    assert counts == {"bob": 1, "alice": 2, "moderator": 2}
    # The hidden topics are read through their partial index, not by joining every topic.
    assert all('JOIN "registry_topic"' not in query["sql"] for query in queries.captured_queries)
