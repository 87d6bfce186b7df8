from playwright.sync_api import expect

from registry import services
from registry.models import Topic
from tests.browser.helpers import log_in, open_menu_on_a_phone
from tests.factories import UserFactory


def test_funder_finds_gaps_on_the_list_and_the_map_and_registers_interest(live_server, journey,
                                                                         screenshot):
    t = journey.t
    services.catalogue_load()
    datacenters = Topic.objects.get(title="Detecting datacenters")
    funder = UserFactory(username="funder")
    funder.profile.is_funder = True
    funder.profile.save()
    page = journey.new_page()
    log_in(page, live_server.url, "funder", t)
    journey.expect_language(page)

    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Gaps"), exact=True).click()
    expect(page.get_by_role("heading", name=t("Gaps: topics nobody is working on"))
           ).to_be_visible()
    expect(page.locator("table.gaps-table tbody tr")).to_have_count(24)

    journey.check(page)
    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Map"), exact=True).click()
    if journey.on_a_phone:  # a card per cluster, the SVG hidden
        expect(page.locator(".map-card")).to_have_count(3)
    else:
        svg = page.locator("svg.gap-map, figure svg").first
        expect(svg).to_be_visible()
    expect(page.locator(f"{'.map-cards' if journey.on_a_phone else 'figure'} "
                        "a[href^='/topics/']")).to_have_count(25)
    journey.check(page)
    screenshot(page, f"map-{journey.width}")

    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Gaps"), exact=True).click()
    row = page.locator("tr", has_text=journey.catalogue_text(datacenters))
    row.get_by_role("link", name=t("register interest")).click()
    page.get_by_label(t("Amount range")).fill("$10k–50k")
    page.get_by_label(t("Note")).fill("Happy to fund a first survey.")
    page.get_by_role("button", name=t("Register interest")).click()

    expect(page.get_by_text(journey.tn(
        "%(counter)s funder has registered interest.",
        "%(counter)s funders have registered interest.", 1) % {"counter": 1})).to_be_visible()
    expect(page.locator("li", has_text="funder · $10k–50k")).to_contain_text(
        "Happy to fund a first survey.")
    journey.check(page)
    screenshot(page, f"interest-{journey.width}")
    assert journey.problems == []
