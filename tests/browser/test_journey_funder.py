from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory


def test_funder_finds_gaps_on_the_list_and_the_map_and_registers_interest(live_server, page,
                                                                         screenshot):
    services.catalogue_load()
    funder = UserFactory(username="funder")
    funder.profile.is_funder = True
    funder.profile.save()
    log_in(page, live_server.url, "funder")

    page.get_by_role("link", name="Gaps", exact=True).click()
    expect(page.get_by_role("heading", name="Gaps: topics nobody is working on")).to_be_visible()
    expect(page.locator("table.gaps-table tbody tr")).to_have_count(24)

    page.get_by_role("link", name="Map", exact=True).click()
    svg = page.locator("svg").first
    expect(svg).to_be_visible()
    expect(svg.locator("a")).to_have_count(25)
    screenshot(page, "map")

    page.get_by_role("link", name="Gaps", exact=True).click()
    row = page.locator("tr", has_text="Detecting datacenters")
    row.get_by_role("link", name="register interest").click()
    page.get_by_label("Amount range").fill("$10k–50k")
    page.get_by_label("Note").fill("Happy to fund a first survey.")
    page.get_by_role("button", name="Register interest").click()

    expect(page.get_by_text("1 funder has registered interest")).to_be_visible()
    expect(page.locator("li", has_text="funder · $10k–50k")).to_contain_text(
        "Happy to fund a first survey.")
    screenshot(page, "interest")
