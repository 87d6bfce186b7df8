from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory


def badge(page):
    return page.locator("h1 + p .badge, .topic > p .badge").first


def test_claim_publish_and_release_moves_the_badge_along_the_ladder(live_server, journey,
                                                                     screenshot):
    services.catalogue_load()
    UserFactory(username="claimant")
    page = journey.new_page()
    log_in(page, live_server.url, "claimant")
    topic_url = f"{live_server.url}/topics/proof-of-learning/"

    page.goto(topic_url)
    expect(badge(page)).to_have_text("gap")
    page.get_by_label("Plan").fill("A survey of proof-of-learning attacks, by March.")
    page.get_by_role("button", name="Claim this topic").click()
    expect(badge(page)).to_have_text("claimed")
    journey.check(page)

    page.get_by_role("link", name="Write a writeup").click()
    page.get_by_label("Title").fill("Where proof-of-learning breaks")
    page.get_by_label("Kind").select_option("insight")
    page.get_by_label("Body").fill("Spoofing is **cheap** when checkpoints are sparse.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("strong", has_text="cheap")).to_be_visible()
    journey.check(page)
    page.get_by_role("button", name="Publish").click()

    page.goto(topic_url)
    # Published, not covered: covering takes peers' recognition (test_journey_expertise).
    expect(badge(page)).to_have_text("published")
    expect(page.locator(".writeups").get_by_role("link", name="Where proof-of-learning breaks")
           ).to_be_visible()

    # Releasing asks first: the summary opens the step, with its optional note.
    page.locator("summary", has_text="Release my claim…").click()
    page.get_by_label("Note (optional)").fill("Handing over to the lab.")
    page.get_by_role("button", name="Yes, release my claim").click()
    expect(page).to_have_url(topic_url)
    expect(badge(page)).to_have_text("gap")
    history = page.locator(".history")
    expect(history).to_contain_text("claimed")
    expect(history).to_contain_text("published")
    expect(history).to_contain_text("released")
    journey.check(page)
    screenshot(page, f"topic-history-{journey.width}")
    assert journey.problems == []
