import re

from django.utils.html import strip_tags
from playwright.sync_api import expect

from registry import services
from tests.browser.helpers import log_in
from tests.factories import UserFactory

ASK, TARGET, STEP = ("A concrete ask, in one or two sentences", "A target: who is being asked",
                     "At least one step")


def moved(t, source, to, actor):
    """A history line for a move, as the proposal's page writes it."""
    return strip_tags(t("%(from)s → <strong>%(to)s</strong> by %(actor)s") % {
        "from": t(source, "stage"), "to": t(to, "stage"), "actor": actor})


def test_analysis_to_owner_with_the_gate_and_a_second_persons_consent(live_server, journey,
                                                                       screenshot):
    t = journey.t
    services.catalogue_load()
    UserFactory(username="author")
    UserFactory(username="leader")
    author = journey.new_page()
    log_in(author, live_server.url, "author", t)
    journey.expect_language(author)

    author.goto(f"{live_server.url}/proposals/new/")
    author.get_by_label(t("Title")).fill("Log every large training run in tamper-evident firmware")
    author.locator("#id_topic").select_option("tamper-evident-gpu-logging")
    author.get_by_label(t("Analysis")).fill("Today nobody can *prove* a run's size.")
    author.get_by_role("button", name=t("Save proposal")).click()

    gate = author.locator(".gate")
    for part in (ASK, TARGET, STEP):
        expect(gate).to_contain_text(f"{t(part)} {t('(missing)')}")
    # Disabled while a part is missing, and each ✗ links to its field on the edit form.
    expect(author.get_by_role("button", name=t("Move to proposal"))).to_be_disabled()
    gate.get_by_role("link", name=t(ASK)).click()
    expect(author).to_have_url(re.compile(r"/proposals/\d+/edit/#id_ask$"))
    author.get_by_label(t("Concrete ask")).fill("Ship signed run logs in the next firmware.")
    author.get_by_label(t("Target")).fill("GPU vendors")
    author.get_by_label(t("Steps")).fill("Draft the log format\nPilot with one vendor")
    author.get_by_role("button", name=t("Save changes")).click()
    expect(gate).to_contain_text(f"{t(STEP)} {t('(done)')}")
    author.get_by_role("button", name=t("Move to proposal")).click()
    expect(author.locator(".gate")).to_have_count(0)
    proposal_url = author.url
    journey.check(author)

    author.get_by_label(t("Person to invite")).fill("leader")
    author.get_by_role("button", name=t("Send invitation")).click()
    expect(author.get_by_role("button", name=t("Accept and become owner"))).to_have_count(0)

    leader = journey.new_page()
    log_in(leader, live_server.url, "leader", t)
    leader.goto(proposal_url)
    leader.get_by_role("button", name=t("Accept and become owner")).click()
    expect(leader.locator("#h-owner + p")).to_contain_text(
        t("%(owner)s, %(affiliation)s has agreed to lead this effort.")
        % {"owner": "Leader", "affiliation": "Independent"})
    journey.check(leader)

    author.reload()
    history = author.locator("section[aria-labelledby=h-history]")
    for line in (strip_tags(t("created by %(actor)s") % {"actor": "Author"}),
                 moved(t, "analysis", "proposal", "Author"),
                 t("%(actor)s invited %(subject)s to own it") % {"actor": "Author",
                                                                 "subject": "Leader"},
                 moved(t, "proposal", "owner", "Leader")):
        expect(history).to_contain_text(line)
    journey.check(author)
    screenshot(author, f"proposal-owner-{journey.width}")
    assert journey.problems == []
