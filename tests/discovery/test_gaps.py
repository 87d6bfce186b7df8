import datetime

import pytest
from django.utils import timezone

from registry.discovery import selectors
from registry.discovery.stats import topic_stats_refresh
from registry.models import Topic
from registry.services import claim_create, claim_release
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    FunderInterestFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _age(topic, days):
    """Pretend the topic was listed `days` ago: rewrites history no service ever changes, so
    its stored stats are recomputed as the nightly reconciliation would."""
    Topic.objects.filter(pk=topic.pk).update(created_at=NOW - datetime.timedelta(days=days))
    topic_stats_refresh(topic_ids=[topic.pk])


@pytest.fixture
def hand_built(alice):
    """Four gaps with known scores, one claimed and one covered topic (not gaps):
    d 200 days, a writeup → 200; a 100 days → 130; c freed 50 days ago after one claim
    → 50+30+10 = 90; b 10 days, two funders → 10+30+40 = 80."""
    cluster = ClusterFactory(slug="safety")
    a, b, c, d = (TopicFactory(cluster=cluster, slug=s, title=s.upper()) for s in "abcd")
    _age(a, 100)
    _age(b, 10)
    FunderInterestFactory(topic=b)
    FunderInterestFactory(topic=b)
    _age(c, 400)
    claim = claim_create(topic=c, person=alice, plan="p", now=NOW - datetime.timedelta(days=60))
    claim_release(claim=claim, actor=alice, now=NOW - datetime.timedelta(days=50))
    WriteupFactory(topic=d, published=True)
    _age(d, 200)
    ClaimFactory(topic=TopicFactory(cluster=cluster, slug="claimed"))
    TopicFactory(cluster=cluster, slug="covered", expert_name="Baker")
    return cluster


def test_gaps_ordered_by_neglect_score(hand_built):
    rows = selectors.gaps(now=NOW)
    assert [(g.topic.slug, g.neglect_score) for g in rows] == [
        ("d", 200), ("a", 130), ("c", 90), ("b", 80)]


def test_gaps_ingredients_exact(hand_built):
    c = {g.topic.slug: g for g in selectors.gaps(now=NOW)}["c"]
    assert (c.days_unclaimed, c.released_claims, c.dormant_claims, c.published_writeups,
            c.funder_interest, c.open_proposals) == (50, 1, 0, 0, 0, 0)


def test_gaps_filtered_by_cluster(hand_built):
    TopicFactory(cluster=ClusterFactory(slug="other"), slug="elsewhere")
    assert [g.topic.slug for g in selectors.gaps(cluster="other", now=NOW)] == ["elsewhere"]


def test_gaps_api_order_and_shape(api, hand_built):
    rows = api.get("/api/v1/gaps/").json()["results"]
    assert [row["topic"] for row in rows] == ["d", "a", "c", "b"]
    assert rows[2]["earlier_claims"] == {"released": 1, "dormant": 0}
    assert rows[3]["funder_interest"] == 2


def test_gaps_page_shows_formula_and_rows_in_order(client, hand_built):
    html = client.get("/gaps/").content.decode()
    assert selectors.NEGLECT_FORMULA in html
    positions = [html.index(f'href="/topics/{slug}/"') for slug in "dacb"]
    assert positions == sorted(positions)


def test_at_risk_lists_topic_whose_claims_are_all_near_dormancy(settings):
    quiet_topic, busy_topic = TopicFactory(slug="quiet"), TopicFactory(slug="busy")
    long_ago = NOW - datetime.timedelta(days=settings.GAPMAP_CLAIM_REMINDER_DAYS + 10)
    claim_create(topic=quiet_topic, person=UserFactory(), plan="p", now=long_ago)
    claim_create(topic=busy_topic, person=UserFactory(), plan="p", now=long_ago)
    claim_create(topic=busy_topic, person=UserFactory(), plan="p", now=NOW)
    rows = selectors.at_risk(now=NOW)
    expected_days = settings.GAPMAP_CLAIM_DORMANT_DAYS - settings.GAPMAP_CLAIM_REMINDER_DAYS - 10
    assert [(r.topic.slug, r.days_until_dormant) for r in rows] == [("quiet", expected_days)]


def _gaps(n):
    cluster = ClusterFactory()
    funder = FunderFactory()
    for i in range(n):
        topic = TopicFactory(cluster=cluster)
        FunderInterestFactory(funder=funder, topic=topic)
        if i % 2:
            WriteupFactory(topic=topic, published=True)


# /gaps/: the count of gaps, a page of them, unrecognised work, at risk, the cluster filter's
# choices. The API: the count and the page. Each + the stats version (registry.core.caching).
@pytest.mark.parametrize(("url", "queries"), [("/gaps/", 6), ("/api/v1/gaps/", 3)])
def test_gaps_query_count_same_for_one_and_many(client, django_assert_num_queries, url,
                                                queries):
    _gaps(1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _gaps(6)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_gaps_page_lists_unrecognised_work_apart_from_the_gaps(client, alice):
    from registry import services as registry_services

    worked = TopicFactory(slug="worked", title="Worked on")
    registry_services.claim_create(topic=worked, person=alice, plan="A plan.")
    WriteupFactory(topic=worked, author=alice, published=True)
    TopicFactory(slug="empty", title="Nobody here")
    page = client.get("/gaps/").content.decode()
    unrecognised = page[page.index('id="unrecognised"'):page.index('id="at-risk"')]
    assert '<a href="/topics/worked/">Worked on</a>' in unrecognised
    assert "Nobody here" not in unrecognised
    gaps_table = page[:page.index('id="unrecognised"')]
    assert "Worked on" not in gaps_table and "Nobody here" in gaps_table
