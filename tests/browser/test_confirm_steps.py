"""The steps that cannot be undone ask first, with JavaScript off, on a phone-wide screen
(issue 16, item 5): the summary only opens the step; its real submit does it."""

from playwright.sync_api import expect

from proposals.models import Proposal, Stage
from registry.models import Claim
from tests.browser.helpers import log_in
from tests.factories import ClaimFactory, ProposalFactory, TopicFactory, UserFactory

PHONE = {"width": 390, "height": 844}


def no_side_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_withdraw_a_proposal_without_javascript(live_server, browser, screenshot):
    author = UserFactory(username="author")
    proposal = ProposalFactory(author=author, title="Signed run logs")
    page = browser.new_context(java_script_enabled=False, viewport=PHONE).new_page()
    log_in(page, live_server.url, "author")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")

    yes = page.get_by_role("button", name="Yes, withdraw this proposal")
    expect(yes).to_be_hidden()
    page.locator("summary", has_text="Withdraw…").click()
    expect(yes).to_be_visible()
    assert no_side_scroll(page)
    screenshot(page, "withdraw-step")
    page.locator("#id_withdrawn-reason").select_option("duplicate")
    yes.click()

    expect(page.locator(".badge-stage")).to_have_text("withdrawn")
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.WITHDRAWN


def test_release_a_claim_from_my_work_without_javascript(live_server, browser):
    alice = UserFactory(username="alice")
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    page = browser.new_context(java_script_enabled=False, viewport=PHONE).new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/me/")

    page.locator("summary", has_text="Release my claim…").click()
    page.get_by_label("Note (optional)").fill("Someone closer to it took over.")
    page.get_by_role("button", name="Yes, release my claim").click()

    expect(page).to_have_url(f"{live_server.url}/me/")
    assert Claim.objects.get(pk=claim.pk).state == Claim.State.RELEASED
    assert claim.topic.events.get(kind="released").note == "Someone closer to it took over."
