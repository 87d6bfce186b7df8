import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from proposals.models import Proposal
from registry.discovery import selectors
from registry.models import Topic
from tests.factories import ClaimFactory, ClusterFactory, ProposalFactory, TopicFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _catalogue(n_per_cluster=3):
    for position in range(2):
        cluster = ClusterFactory(position=position)
        for _ in range(n_per_cluster):
            TopicFactory(cluster=cluster)
    ClaimFactory(topic=TopicFactory(cluster=cluster))
    TopicFactory(cluster=cluster, expert_name="Baker")
    TopicFactory(cluster=cluster, state="suggested")


def test_map_svg_is_well_formed_and_links_every_listed_topic_once(client):
    _catalogue()
    response = client.get("/map.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    hrefs = [a.get("href") for a in root.iter(f"{SVG}a")]
    from registry.models import Topic

    listed = sorted(t.get_absolute_url() for t in Topic.objects.filter(state="listed"))
    assert sorted(hrefs) == listed
    assert len(hrefs) == len(set(hrefs)) == 8


def test_map_tiles_named_and_classed_by_status(client):
    _catalogue(n_per_cluster=1)
    root = ET.fromstring(client.get("/map.svg").content)
    shapes = sorted(a.find(f"{SVG}use").get("href") for a in root.iter(f"{SVG}a"))
    assert shapes == ["#gm-claimed", "#gm-covered", "#gm-gap", "#gm-gap"]
    # Each status's shape carries its name in words.
    assert [text.text for text in root.iter(f"{SVG}text") if text.get("font-size") == "12"
            and text.text in ("gap", "claimed", "published", "covered")] == [
        "gap", "claimed", "published", "covered"]
    assert sorted(a.get("class") for a in root.iter(f"{SVG}a")) == [
        "t claimed", "t covered", "t gap", "t gap"]


def test_map_svg_escapes_titles(client):
    TopicFactory(title="<b>Bold</b> & co")
    root = ET.fromstring(client.get("/map.svg").content)
    assert [a.find(f"{SVG}title").text for a in root.iter(f"{SVG}a")] == [
        "<b>Bold</b> & co: gap"]


def test_map_page_has_svg_and_table_equivalent(client):
    _catalogue(n_per_cluster=1)
    html = client.get("/map/").content.decode()
    assert html.count('class="gap-map"') == 1
    assert html.count('class="pipeline-chart"') == 1  # beside the map
    # One table per cluster, and the pipeline's.
    assert html.count("<caption>") == 3


@pytest.mark.parametrize("url", ["/map/", "/map.svg"])
def test_map_query_count_same_for_one_and_many(client, django_assert_num_queries, url):
    _catalogue(n_per_cluster=1)
    # The stats version, read once for the page cache (registry.core.caching) and the map's,
    # then (not cached for it yet) clusters, their topics and the proposals' stages for the
    # pipeline.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    _catalogue(n_per_cluster=5)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_map_built_once_per_version_and_rebuilt_after_a_claim(client, alice,
                                                             django_assert_num_queries):
    _catalogue(n_per_cluster=2)
    first = client.get("/map.svg").content
    with django_assert_num_queries(1):  # the version only: the map comes from the cache
        assert client.get("/map.svg").content == first
    topic = Topic.objects.order_by("pk").first()

    ClaimFactory(topic=topic, person=alice)

    again = client.get("/map.svg").content.decode()
    assert f"<title>{topic.title}: gap</title>" in first.decode()
    assert f"<title>{topic.title}: claimed</title>" in again


def test_pipeline_counts_and_median_days():
    now = timezone.now()
    for days in (2, 4, 10):
        proposal = ProposalFactory()
        Proposal.objects.filter(pk=proposal.pk).update(
            stage_changed_at=now - datetime.timedelta(days=days))
    bars = {bar.stage: (bar.count, bar.median_days) for bar in selectors.pipeline(now=now)}
    assert bars == {"analysis": (3, 4.0), "proposal": (0, None), "owner": (0, None),
                    "adopted": (0, None), "withdrawn": (0, None)}


def test_pipeline_chart_on_board_is_well_formed(client):
    ProposalFactory()
    html = client.get("/proposals/").content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg"')
    root = ET.fromstring(html[start:html.index("</svg>", start) + 6])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1 · median 0 days" in texts


def test_map_text_equivalent_above_the_row_limit_is_counts_per_cluster(client, monkeypatch):
    from registry.discovery import views

    monkeypatch.setattr(views, "MAP_TABLE_ROWS", 4)
    _catalogue(n_per_cluster=3)

    html = client.get("/map/").content.decode()

    assert "Topics by cluster and status" in html
    assert html.count("<caption>") == 2  # the summary, and the pipeline's
    assert html.count('?status=gap">') == 2  # one row per cluster
    assert html.count('?status=gap">3</a>') == 2
    assert html.count('?status=covered">1</a>') == 1  # the expert's topic, second cluster
