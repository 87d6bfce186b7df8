"""The gap map as a picture a funder reads at a glance (issue 16, item 10): a legend in
words, a band per cluster with its exact share of gaps, work waiting for recognition and
funder interest, linked tiles named by status, a card per cluster for phones, and a file that
stays small at thousands of topics."""

import xml.etree.ElementTree as ET

import pytest

from registry.discovery import selectors, svg
from registry.discovery.stats import topic_stats_refresh
from registry.models import Cluster, Topic
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderInterestFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _map(client):
    return ET.fromstring(client.get("/map.svg").content)


def _text(element) -> str:
    return "".join(element.itertext())


def _mixed_cluster(name="Mixed", position=0):
    """Six topics: three gaps, one claimed, one published (its claimant published), one
    covered (a recorded expert); the second gap has two funders' interest, one private."""
    cluster = ClusterFactory(slug=name.lower(), name=name, position=position)
    gaps = [TopicFactory(cluster=cluster, slug=f"{name.lower()}-gap-{i}", title=f"Gap {i}")
            for i in range(3)]
    ClaimFactory(topic=TopicFactory(cluster=cluster, slug=f"{name.lower()}-claimed"))
    published = TopicFactory(cluster=cluster, slug=f"{name.lower()}-published")
    author = UserFactory()
    ClaimFactory(topic=published, person=author)
    WriteupFactory(topic=published, author=author, published=True)
    TopicFactory(cluster=cluster, slug=f"{name.lower()}-covered", expert_name="Baker")
    FunderInterestFactory(topic=gaps[1])
    FunderInterestFactory(topic=gaps[1], visibility="private")
    return cluster, gaps


def test_map_legend_names_every_status_in_words(client):
    ClusterFactory()
    legend = _map(client).find(f"{SVG}g[@class='legend']")
    assert [_text(t) for t in legend.iter(f"{SVG}text") if _text(t)[0].isalpha()] == [
        "gap: nobody is working on it", "claimed: someone is working on it",
        "published: waiting for recognition", "covered: a recognised expert",
        "funders interested in the topic", "a cluster’s topics by status"]


def test_map_band_summary_counts_are_exact(client):
    _mixed_cluster()
    band = _map(client).find(f"{SVG}g[@class='band']")
    texts = [_text(t) for t in band.findall(f"{SVG}text")]
    assert texts == ["Mixed", "3 of 6 topics are gaps (50%)",
                     "1 waiting for recognition · 2 funder interests"]
    # Half or more gaps: the share is drawn in the gap colour, bold.
    assert band.findall(f"{SVG}text")[1].get("class") == "hot"
    widths = [(r.get("class"), r.get("width")) for r in band.find(f"{SVG}g[@class='bar']")]
    assert widths == [("gap", "120"), ("claimed", "40"), ("published", "40"), ("covered", "40")]


def test_map_marks_funder_interest_on_its_topic_with_the_count(client):
    _, gaps = _mixed_cluster()
    tiles = {a.get("href"): a for a in _map(client).iter(f"{SVG}a")}
    marked = {href: _text(a.find(f"{SVG}g[@class='fi']"))
              for href, a in tiles.items() if a.find(f"{SVG}g[@class='fi']") is not None}
    assert marked == {gaps[1].get_absolute_url(): "2"}
    assert tiles[gaps[1].get_absolute_url()].find(f"{SVG}title").text == (
        "Gap 1: gap; 2 funders interested")


def test_map_tiles_go_up_the_ladder_most_interest_first(client):
    _, gaps = _mixed_cluster()
    order = [a.get("class") for a in _map(client).iter(f"{SVG}a")]
    assert order == ["t gap", "t gap", "t gap", "t claimed", "t published", "t covered"]
    first = next(_map(client).iter(f"{SVG}a"))
    assert first.get("href") == gaps[1].get_absolute_url()  # the one funders want


def test_map_puts_the_cluster_with_the_largest_share_of_gaps_first(client):
    covered = ClusterFactory(slug="covered", name="Mostly covered", position=0)
    TopicFactory(cluster=covered, expert_name="Baker")
    TopicFactory(cluster=covered)
    neglected = ClusterFactory(slug="neglected", name="Neglected", position=1)
    TopicFactory(cluster=neglected)
    names = [band.find(f"{SVG}text[@class='cn']").text
             for band in _map(client).iter(f"{SVG}g") if band.get("class") == "band"]
    assert names == ["Neglected", "Mostly covered"]


def test_map_large_cluster_shows_its_first_tiles_and_links_the_rest(client):
    cluster = ClusterFactory(slug="big", name="Big")
    for i in range(selectors.MAP_TILES_PER_CLUSTER + 2):
        TopicFactory(cluster=cluster, slug=f"big-{i:02d}", title=f"Big {i:02d}")
    links = [a for a in _map(client).iter(f"{SVG}a")]
    assert len(links) == selectors.MAP_TILES_PER_CLUSTER
    more = links[-1]
    assert (more.get("href"), more.get("class")) == (cluster.get_absolute_url(), "t more")
    assert more.find(f"{SVG}title").text == "All 14 topics in Big"
    assert _text(more.find(f"{SVG}text")) == "3 more topics"


def test_map_wraps_long_titles_into_two_lines_with_an_ellipsis():
    assert svg.wrap("Detecting datacenters") == ["Detecting", "datacenters"]
    assert svg.wrap("How vulnerable are nuclear command and control systems?") == [
        "How vulnerable are", "nuclear command…"]
    assert svg.wrap("Supercalifragilisticexpialidocious") == ["Supercalifragilis…"]
    assert all(len(line) <= svg.LINE_CHARS for line in svg.wrap("word " * 40))


def test_map_page_has_a_card_per_cluster_for_phones(client):
    _mixed_cluster()
    ClusterFactory(slug="empty", name="Empty", position=1)
    html = client.get("/map/").content.decode()
    assert html.count('class="map-card card"') == 2
    assert "<strong>3 of 6</strong> topics are gaps (50%)" in html
    assert "1 waiting for recognition · 2 funder interests" in html
    assert html.count("2 funders interested</span>") == 1
    assert "<strong>0 of 0</strong> topics are gaps (0%)" in html


def _bulk_catalogue(clusters: int, per_cluster: int) -> None:
    """clusters × per_cluster listed topics with long titles, their stats computed in one go."""
    made = Cluster.objects.bulk_create(
        Cluster(slug=f"bulk-cluster-{c:02d}", name=f"Bulk cluster number {c:02d} of the catalogue",
                position=c) for c in range(clusters))
    Topic.objects.bulk_create(
        Topic(cluster=cluster, slug=f"bulk-{c:02d}-topic-{t:03d}-with-a-long-slug",
              title=f"How would a careful survey of question {t} in area {c} change policy?",
              description="d", state=Topic.State.LISTED)
        for c, cluster in enumerate(made) for t in range(per_cluster))
    topic_stats_refresh(topic_ids=Topic.objects.values_list("pk", flat=True))


def test_map_stays_small_at_30_clusters_of_40_topics(client):
    _bulk_catalogue(30, 40)
    picture = client.get("/map.svg").content
    page = client.get("/map/").content
    ET.fromstring(picture)
    # 30 bands of 12 tiles of long titles: about 130 KB of SVG; the page adds a card per
    # cluster and the summary table (1,200 topics is above MAP_TABLE_ROWS). The map of
    # letters it replaced was 2.6 MB at 5,000 topics.
    assert len(picture) < 150_000
    assert len(page) < 250_000


def test_map_page_without_topics_says_how_they_come(client):
    html = client.get("/map/").content.decode()
    assert ('<div class="empty"><p>No topics are listed yet, so the map is empty.' in html)
    assert '<a href="/topics/suggest/">suggest a topic</a>' in html


def test_map_svg_file_stands_alone_every_reference_defined_inside_it(client):
    _mixed_cluster()
    root = _map(client)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    used = {use.get("href")[1:] for use in root.iter(f"{SVG}use")}
    clips = {text.get("clip-path")[5:-1] for text in root.iter(f"{SVG}text")
             if text.get("clip-path")}
    assert used == {"gm-gap", "gm-claimed", "gm-published", "gm-covered"}
    assert clips == {"gm-clip"}
    assert used | clips <= ids
    assert root.find(f"{SVG}style") is None  # nothing that needs the page's stylesheet
