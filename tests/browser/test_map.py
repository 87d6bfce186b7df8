"""The gap map in a real browser: beside the pipeline on a desktop, a card per cluster on a
phone, readable text and no sideways scroll at either width (issue 16, item 10). The desktop's
pages are the journey's English run, the phone's its Spanish one (issue 18)."""

import pytest
from playwright.sync_api import expect

from registry import services
from registry.models import Cluster, Topic
from tests.browser.helpers import log_in
from tests.browser.test_every_page import BLOCKING, axe_violations
from tests.factories import ClaimFactory, FunderFactory, FunderInterestFactory, ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)
ON_A_PHONE = pytest.mark.parametrize("journey", ["390"], indirect=True)
ON_A_DESKTOP = pytest.mark.parametrize("journey", ["1280"], indirect=True)

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# The size a tile's title is drawn at: its font size times the SVG's scale on the page.
TILE_TEXT_PX = """() => {
  const svg = document.querySelector('svg.gap-map');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const text = svg.querySelector('a.t text');
  return parseFloat(getComputedStyle(text).fontSize) * scale;
}"""


@pytest.fixture
def catalogue(db):
    services.catalogue_load()
    topics = list(Topic.objects.order_by("pk"))
    ClaimFactory(topic=topics[0])
    FunderInterestFactory(topic=topics[1])
    ProposalFactory(topic=topics[2])
    return topics


@ON_A_DESKTOP
def test_map_on_a_desktop_has_the_pipeline_beside_it(live_server, journey, screenshot,
                                                      catalogue):
    page = journey.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/map/")
    journey.expect_language(page)

    figure = page.locator(".map-figure")
    pipeline = page.locator(".map-pipeline .pipeline-chart")
    expect(figure).to_be_visible()
    expect(pipeline).to_be_visible()
    expect(page.locator(".map-cards")).to_be_hidden()
    map_box, pipeline_box = figure.bounding_box(), pipeline.bounding_box()
    assert pipeline_box["y"] < map_box["y"] + map_box["height"]
    assert pipeline_box["x"] >= map_box["x"] + map_box["width"]  # beside it, not below
    assert page.evaluate(TILE_TEXT_PX) >= 12
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    expect(page.locator("svg.gap-map a.t")).to_have_count(25)
    assert _blocking(page, inject=True) == []
    screenshot(page, "desktop")


@ON_A_PHONE
def test_map_on_a_phone_is_a_card_per_cluster(live_server, journey, screenshot, catalogue):
    page = journey.new_page()
    page.goto(f"{live_server.url}/map/")
    journey.expect_language(page)

    expect(page.locator(".map-figure")).to_be_hidden()
    cards = page.locator(".map-cards .map-card")
    expect(cards).to_have_count(Cluster.objects.count())
    expect(cards.locator(".map-topics a")).to_have_count(25)
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        '.map-card a, .map-card p, .map-card .badge')].map(
        e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 12
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # The pipeline follows the cards.
    cards_box = page.locator(".map-cards").bounding_box()
    assert page.locator(".map-pipeline").bounding_box()["y"] >= cards_box["y"] + cards_box["height"]
    assert _blocking(page, inject=True) == []
    screenshot(page, "phone")


def _blocking(page, *, inject):
    return [(v["id"], v["impact"]) for v in axe_violations(page, inject=inject)
            if v["impact"] in BLOCKING]


@ON_A_PHONE
def test_funder_changes_and_withdraws_interest_without_javascript(live_server, journey,
                                                                   screenshot, catalogue):
    t = journey.t
    FunderFactory(username="fiona")
    page = journey.new_page(java_script_enabled=False)
    log_in(page, live_server.url, "fiona", t)
    journey.expect_language(page)
    topic = catalogue[3]
    title = {"title": journey.catalogue_text(topic)}
    page.goto(f"{live_server.url}/topics/{topic.slug}/interest/")
    expect(page.get_by_text(t("Withdraw my interest…"))).to_have_count(0)
    page.get_by_label(t("Amount range")).fill("$10k–50k")
    page.get_by_role("button", name=t("Register interest")).click()

    expect(page.get_by_text(t("Your interest in “%(title)s” is registered.") % title)
           ).to_be_visible()
    expect(page.get_by_label(t("Amount range"))).to_have_value("$10k–50k")
    confirm = page.get_by_role("button", name=t("Yes, withdraw my interest"))
    expect(confirm).to_be_hidden()  # behind its confirmation
    page.get_by_text(t("Withdraw my interest…")).click()
    screenshot(page, "confirm")
    confirm.click()

    expect(page.get_by_text(t("Your interest in “%(title)s” is withdrawn.") % title)
           ).to_be_visible()
    expect(page.get_by_label(t("Amount range"))).to_have_value("")
