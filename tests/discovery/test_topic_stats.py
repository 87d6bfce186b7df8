"""TopicStats: each service keeps a topic's stored status and counts equal to the computed
ones (tests/conftest.py checks that after every test), and the reconciliation repairs rows
that something else changed."""

import datetime
import logging

import pytest
from django.utils import timezone

from proposals import services as proposal_services
from registry import services
from registry.discovery import periodic
from registry.discovery import services as discovery_services
from registry.discovery.stats import topic_stats_drift, topic_stats_reconcile
from registry.models import TopicStats
from registry.moderation import services as moderation_services
from tests.factories import (
    FunderFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db


def _stats(topic) -> TopicStats:
    return TopicStats.objects.get(topic=topic)


def test_topic_stats_created_with_the_topic_as_a_gap():
    topic = TopicFactory()

    stats = _stats(topic)
    assert (stats.status, stats.active_claims, stats.published_writeups) == ("gap", 0, 0)
    assert stats.gap_since == topic.created_at
    # No writeups: 30 neglect points, so neglected since 30 days before it was listed.
    assert stats.neglected_since == topic.created_at - datetime.timedelta(days=30)


def test_topic_stats_follow_claim_publish_release(alice):
    topic = TopicFactory()

    claim = services.claim_create(topic=topic, person=alice, plan="A survey.")
    assert (_stats(topic).status, _stats(topic).active_claims) == ("claimed", 1)

    WriteupFactory(topic=topic, author=alice, published=True)
    assert (_stats(topic).status, _stats(topic).published_writeups) == ("published", 1)

    released_at = timezone.now()
    services.claim_release(claim=claim, actor=alice, now=released_at)
    stats = _stats(topic)
    assert (stats.status, stats.active_claims, stats.released_claims,
            stats.published_writeups) == ("gap", 0, 1, 1)
    assert stats.gap_since == released_at
    assert stats.neglected_since == released_at - datetime.timedelta(days=10)


def test_topic_stats_hidden_writeup_no_longer_covers(alice, moderator):
    topic = TopicFactory()
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    writeup = WriteupFactory(topic=topic, author=alice, published=True)

    moderation_services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                                     reason="Copied from elsewhere.")

    assert (_stats(topic).status, _stats(topic).published_writeups) == ("claimed", 0)


def test_topic_stats_count_proposals_on_main_and_related_topics_as_they_move(alice):
    main, related, later = TopicFactory(), TopicFactory(), TopicFactory()
    proposal = ProposalFactory(topic=main, author=alice, related_topics=[related])
    assert [(_stats(t).open_analysis, _stats(t).open_proposal) for t in (main, related)] == [
        (1, 0), (1, 0)]

    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    assert [(_stats(t).open_analysis, _stats(t).open_proposal) for t in (main, related)] == [
        (0, 1), (0, 1)]

    proposal_services.proposal_update(proposal=proposal, actor=alice, related_topics=[later])
    assert [_stats(t).open_proposal for t in (main, related, later)] == [1, 0, 1]


def test_topic_stats_count_live_funder_interest_only():
    topic = TopicFactory()
    funder = FunderFactory()

    discovery_services.interest_register(funder=funder, topic=topic, note="", amount_range="",
                                         visibility="public")
    assert _stats(topic).funder_interest == 1

    discovery_services.interest_withdraw(funder=funder, topic=topic)
    assert _stats(topic).funder_interest == 0


def test_topic_stats_reconcile_repairs_drift_and_reports_it(alice):
    right = TopicFactory()
    wrong = TopicFactory()
    services.claim_create(topic=wrong, person=alice, plan="A survey.")
    TopicStats.objects.filter(topic=wrong).update(status="gap", active_claims=0)
    assert topic_stats_drift() == [wrong.pk]

    assert topic_stats_reconcile() == 1

    assert (_stats(wrong).status, _stats(wrong).active_claims) == ("claimed", 1)
    assert _stats(right).status == "gap"
    assert topic_stats_reconcile() == 0


def test_topic_stats_reconcile_recreates_a_missing_row():
    topic = TopicFactory()
    TopicStats.objects.filter(topic=topic).delete()

    assert topic_stats_reconcile() == 1
    assert _stats(topic).status == "gap"


def test_stats_reconcile_job_logs_drift_as_an_error(caplog):
    topic = TopicFactory()
    TopicStats.objects.filter(topic=topic).update(published_writeups=7)

    with caplog.at_level(logging.ERROR, logger="registry.discovery.periodic"):
        assert periodic.stats_reconcile() == {"drifted": 1, "comment_counts_drifted": 0}

    assert [record.getMessage() for record in caplog.records] == [
        "topic stats had drifted on 1 topics; corrected"]
    assert periodic.stats_reconcile() == {"drifted": 0, "comment_counts_drifted": 0}


def test_topic_stats_expert_recorded_in_admin_covers_the_topic(client):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    topic = TopicFactory(slug="arms-control", title="Arms control")
    client.force_login(staff)

    response = client.post(f"/admin/registry/topic/{topic.pk}/change/", {
        "cluster": topic.cluster_id, "slug": topic.slug, "title": topic.title,
        "description": "", "source": "", "expert_name": "Baker", "expert_work_title": "",
        "expert_work_url": "", "reason": ""})

    assert response.status_code == 302
    assert _stats(topic).status == "covered"
