import re

from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory


def test_analysis_to_owner_with_the_gate_and_a_second_persons_consent(live_server, journey,
                                                                       screenshot):
    services.catalogue_load()
    UserFactory(username="author")
    UserFactory(username="leader")
    author = journey.new_page()
    log_in(author, live_server.url, "author")

    author.goto(f"{live_server.url}/proposals/new/")
    author.get_by_label("Title").fill("Log every large training run in tamper-evident firmware")
    author.locator("#id_topic").select_option("tamper-evident-gpu-logging")
    author.get_by_label("Analysis").fill("Today nobody can *prove* a run's size.")
    author.get_by_role("button", name="Save").first.click()

    gate = author.locator(".gate")
    expect(gate).to_contain_text("A concrete ask, in one or two sentences (missing)")
    expect(gate).to_contain_text("A target: who is being asked (missing)")
    expect(gate).to_contain_text("At least one step (missing)")
    # Disabled while a part is missing, and each ✗ links to its field on the edit form.
    expect(author.get_by_role("button", name="Move to proposal")).to_be_disabled()
    gate.get_by_role("link", name="A concrete ask, in one or two sentences").click()
    expect(author).to_have_url(re.compile(r"/proposals/\d+/edit/#id_ask$"))
    author.get_by_label("Concrete ask").fill("Ship signed run logs in the next firmware.")
    author.get_by_label("Target").fill("GPU vendors")
    author.get_by_label("Steps").fill("Draft the log format\nPilot with one vendor")
    author.get_by_role("button", name="Save").first.click()
    expect(gate).to_contain_text("At least one step (done)")
    author.get_by_role("button", name="Move to proposal").click()
    expect(author.locator(".gate")).to_have_count(0)
    proposal_url = author.url
    journey.check(author)

    author.get_by_label("Person to invite").fill("leader")
    author.get_by_role("button", name="Send invitation").click()
    expect(author.get_by_role("button", name="Accept and become owner")).to_have_count(0)

    leader = journey.new_page()
    log_in(leader, live_server.url, "leader")
    leader.goto(proposal_url)
    leader.get_by_role("button", name="Accept and become owner").click()
    expect(leader.locator("#h-owner + p")).to_contain_text("has agreed to lead this effort")
    journey.check(leader)

    author.reload()
    history = author.locator("section[aria-labelledby=h-history]")
    for step in ("created", "proposal", "invited", "owner"):
        expect(history).to_contain_text(step)
    journey.check(author)
    screenshot(author, f"proposal-owner-{journey.width}")
    assert journey.problems == []
