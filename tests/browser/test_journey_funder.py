from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in, open_menu_on_a_phone
from tests.factories import UserFactory


def test_funder_finds_gaps_on_the_list_and_the_map_and_registers_interest(live_server, journey,
                                                                         screenshot):
    services.catalogue_load()
    funder = UserFactory(username="funder")
    funder.profile.is_funder = True
    funder.profile.save()
    page = journey.new_page()
    log_in(page, live_server.url, "funder")

    open_menu_on_a_phone(page)
    page.get_by_role("link", name="Gaps", exact=True).click()
    expect(page.get_by_role("heading", name="Gaps: topics nobody is working on")).to_be_visible()
    expect(page.locator("table.gaps-table tbody tr")).to_have_count(24)

    journey.check(page)
    open_menu_on_a_phone(page)
    page.get_by_role("link", name="Map", exact=True).click()
    if journey.on_a_phone:  # a card per cluster, the SVG hidden
        expect(page.locator(".map-card")).to_have_count(3)
    else:
        svg = page.locator("svg.gap-map, figure svg").first
        expect(svg).to_be_visible()
    expect(page.locator(f"{'.map-cards' if journey.on_a_phone else 'figure'} "
                        "a[href^='/topics/']")).to_have_count(25)
    journey.check(page)
    screenshot(page, f"map-{journey.width}")

    open_menu_on_a_phone(page)
    page.get_by_role("link", name="Gaps", exact=True).click()
    row = page.locator("tr", has_text="Detecting datacenters")
    row.get_by_role("link", name="register interest").click()
    page.get_by_label("Amount range").fill("$10k–50k")
    page.get_by_label("Note").fill("Happy to fund a first survey.")
    page.get_by_role("button", name="Register interest").click()

    expect(page.get_by_text("1 funder has registered interest")).to_be_visible()
    expect(page.locator("li", has_text="funder · $10k–50k")).to_contain_text(
        "Happy to fund a first survey.")
    journey.check(page)
    screenshot(page, f"interest-{journey.width}")
    assert journey.problems == []
