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
