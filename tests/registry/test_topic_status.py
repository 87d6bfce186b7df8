import datetime

import pytest

from registry import selectors, services
from tests.factories import ClaimFactory, ClusterFactory, TopicFactory, WriteupFactory


def status_of(topic):
    return selectors.topics_with_status().get(pk=topic.pk).status


def test_status_is_gap_without_claims(db):
    assert status_of(TopicFactory()) == "gap"


def test_status_is_claimed_with_an_active_claim(alice):
    claim = ClaimFactory(person=alice)

    assert status_of(claim.topic) == "claimed"


def test_status_is_published_when_a_claimant_publishes(alice):
    claim = ClaimFactory(person=alice)
    WriteupFactory(author=alice, topic=claim.topic, published=True)

    assert status_of(claim.topic) == "published"


def test_status_is_claimed_while_the_claimants_writeup_is_a_draft(alice):
    claim = ClaimFactory(person=alice)
    WriteupFactory(author=alice, topic=claim.topic)

    assert status_of(claim.topic) == "claimed"


def test_status_ignores_writeups_by_people_without_an_active_claim(alice, bob):
    claim = ClaimFactory(person=alice)
    WriteupFactory(author=bob, topic=claim.topic, published=True)

    assert status_of(claim.topic) == "claimed"


def test_status_ignores_the_claimants_writeups_on_other_topics(alice):
    claim = ClaimFactory(person=alice)
    WriteupFactory(author=alice, published=True)

    assert status_of(claim.topic) == "claimed"


def test_status_goes_back_to_gap_when_the_claim_is_released(alice):
    claim = ClaimFactory(person=alice)
    WriteupFactory(author=alice, topic=claim.topic, published=True)

    services.claim_release(claim=claim, actor=alice)

    assert status_of(claim.topic) == "gap"


def test_status_is_gap_when_the_only_claim_is_dormant(alice):
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    claim = ClaimFactory(person=alice, now=now)
    services.claims_mark_dormant(now=now + datetime.timedelta(days=365))

    assert status_of(claim.topic) == "gap"


def test_status_ignores_deleted_writeups(alice):
    claim = ClaimFactory(person=alice)
    writeup = WriteupFactory(author=alice, topic=claim.topic, published=True)

    services.writeup_delete(writeup=writeup, actor=alice)

    assert status_of(claim.topic) == "claimed"


def test_status_is_covered_with_a_recognised_expert_and_no_claim(db):
    assert status_of(TopicFactory(expert_name="J. Baker")) == "covered"


def test_topic_annotations_count_active_claims_and_published_writeups(alice, bob, charlie):
    topic = TopicFactory()
    ClaimFactory(topic=topic, person=alice)
    ClaimFactory(topic=topic, person=bob)
    released = ClaimFactory(topic=topic, person=charlie)
    services.claim_release(claim=released, actor=charlie)
    WriteupFactory(topic=topic, author=alice, published=True)
    WriteupFactory(topic=topic, author=bob)

    row = selectors.topics_with_status().get(pk=topic.pk)

    assert (row.status, row.active_claims, row.published_writeups) == ("published", 2, 1)
    assert row.last_activity_at == topic.events.filter(kind="published").get().created_at


def test_topic_without_events_has_no_last_activity(db):
    row = selectors.topics_with_status().get(pk=TopicFactory().pk)

    assert (row.active_claims, row.published_writeups, row.last_activity_at) == (0, 0, None)


def test_topics_with_status_filters_by_each_status(alice):
    gap = TopicFactory(slug="a-gap")
    claimed = ClaimFactory(person=alice, topic=TopicFactory(slug="b-claimed")).topic
    covered = TopicFactory(slug="c-covered", expert_name="Someone")

    found = {s: [t.slug for t in selectors.topics_with_status(status=s)]
             for s in ("gap", "claimed", "covered")}

    assert found == {"gap": [gap.slug], "claimed": [claimed.slug], "covered": [covered.slug]}


@pytest.mark.parametrize("rows", [1, 4])
def test_topics_with_status_is_one_query_whatever_the_rows(db, rows, django_assert_num_queries):
    cluster = ClusterFactory()
    for _ in range(rows):
        claim = ClaimFactory(topic=TopicFactory(cluster=cluster))
        WriteupFactory(topic=claim.topic, author=claim.person, published=True)

    with django_assert_num_queries(1):
        listed = [(t.status, t.active_claims, t.published_writeups, t.cluster.name)
                  for t in selectors.topics_with_status()]

    assert listed == [("published", 1, 1, cluster.name)] * rows


def test_hidden_writeup_neither_covers_the_topic_nor_counts(db, alice, moderator):
    from registry import services
    from registry.moderation.services import content_hide
    from registry.selectors import topics_with_status
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="hidden-cover")
    services.claim_create(topic=topic, person=alice, plan="Plan")
    writeup = services.writeup_create(topic=topic, author=alice, title="W", kind="plan",
                                      body="b")
    services.writeup_publish(writeup=writeup, actor=alice)
    assert topics_with_status().get(pk=topic.pk).status == "published"

    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="spam")

    shown = topics_with_status().get(pk=topic.pk)
    assert (shown.status, shown.published_writeups) == ("claimed", 0)
