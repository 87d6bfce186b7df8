"""The steps that cannot be undone ask first, with JavaScript off, on a phone-wide screen
(issue 16, item 5): the summary only opens the step; its real submit does it. The journey's
phone run only, so in Spanish (issue 18)."""

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal, Stage
from registry.models import Claim
from tests.browser.helpers import log_in
from tests.factories import ClaimFactory, ProposalFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.parametrize("journey", ["390"], indirect=True)


def no_side_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_withdraw_a_proposal_without_javascript(live_server, journey, screenshot):
    t = journey.t
    author = UserFactory(username="author")
    proposal = ProposalFactory(author=author, title="Signed run logs")
    page = journey.new_page(java_script_enabled=False)
    log_in(page, live_server.url, "author", t)
    journey.expect_language(page)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")

    yes = page.get_by_role("button", name=t("Yes, withdraw this proposal"))
    expect(yes).to_be_hidden()
    page.locator("summary", has_text=t("Withdraw…")).click()
    expect(yes).to_be_visible()
    assert no_side_scroll(page)
    screenshot(page, "withdraw-step")
    page.locator("#id_withdrawn-reason").select_option("duplicate")
    yes.click()

    expect(page.locator(".badge-stage")).to_have_text(t("withdrawn", "stage"))
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.WITHDRAWN


def test_release_a_claim_from_my_work_without_javascript(live_server, journey):
    t = journey.t
    alice = UserFactory(username="alice")
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    page = journey.new_page(java_script_enabled=False)
    log_in(page, live_server.url, "alice", t)
    journey.expect_language(page)
    page.goto(f"{live_server.url}/me/")

    page.locator("summary", has_text=t("Release my claim…")).click()
    page.get_by_label(t("Note (optional)")).fill("Someone closer to it took over.")
    page.get_by_role("button", name=t("Yes, release my claim")).click()

    expect(page).to_have_url(f"{live_server.url}/me/")
    assert Claim.objects.get(pk=claim.pk).state == Claim.State.RELEASED
    assert claim.topic.events.get(kind="released").note == "Someone closer to it took over."
