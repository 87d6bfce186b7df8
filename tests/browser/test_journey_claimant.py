from django.utils.html import strip_tags
from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory

TITLE = "Where proof-of-learning breaks"


def badge(page):
    return page.locator("h1 + p .badge, .topic > p .badge").first


def test_claim_publish_and_release_moves_the_badge_along_the_ladder(live_server, journey,
                                                                     screenshot):
    t = journey.t
    services.catalogue_load()
    UserFactory(username="claimant")
    page = journey.new_page()
    log_in(page, live_server.url, "claimant", t)
    journey.expect_language(page)
    topic_url = f"{live_server.url}/topics/proof-of-learning/"

    page.goto(topic_url)
    expect(badge(page)).to_have_text(t("gap", "topic status"))
    page.get_by_label(t("Plan")).fill("A survey of proof-of-learning attacks, by March.")
    page.get_by_role("button", name=t("Claim this topic")).click()
    expect(badge(page)).to_have_text(t("claimed", "topic status"))
    journey.check(page)

    page.get_by_role("link", name=t("Write a writeup")).click()
    page.get_by_label(t("Title")).fill(TITLE)
    page.get_by_label(t("Kind")).select_option("insight")
    page.get_by_label(t("Body"), exact=True).fill(
        "Spoofing is **cheap** when checkpoints are sparse.")
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.locator("strong", has_text="cheap")).to_be_visible()
    journey.check(page)
    page.get_by_role("button", name=t("Publish")).click()

    page.goto(topic_url)
    # Published, not covered: covering takes peers' recognition (test_journey_expertise).
    expect(badge(page)).to_have_text(t("published", "topic status"))
    expect(page.locator(".writeups").get_by_role("link", name=TITLE)).to_be_visible()

    # Releasing asks first: the summary opens the step, with its optional note.
    page.locator("summary", has_text=t("Release my claim…")).click()
    page.get_by_label(t("Note (optional)")).fill("Handing over to the lab.")
    page.get_by_role("button", name=t("Yes, release my claim")).click()
    expect(page).to_have_url(topic_url)
    expect(badge(page)).to_have_text(t("gap", "topic status"))
    history = page.locator(".history")
    expect(history).to_contain_text(t("claimed the topic"))
    expect(history).to_contain_text(strip_tags(
        t('published <a href="%(url)s">%(title)s</a>') % {"url": "", "title": TITLE}))
    expect(history).to_contain_text(t("released a claim"))
    journey.check(page)
    screenshot(page, f"topic-history-{journey.width}")
    assert journey.problems == []
