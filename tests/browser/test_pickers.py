"""In a real browser: similar proposals appear beside the title as it is typed, without
leaving the page or losing the analysis typed first; without JavaScript the form still
saves, and a refusal shows the similar ones with the text kept; the owner picker finds
"Nia Silva" from "Nia", and a supporting writeup is added by its title (issue 16, items 2
and 3). Each at the journey's two runs (the phone's in Spanish), the board's on a phone only."""

import pytest
from playwright.sync_api import expect

from proposals.models import CoAuthorInvitation, Proposal, Stage
from tests.browser.helpers import log_in
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory
from tests.proposals.conftest import move_to


def _errors(page) -> list[str]:
    """Console errors (a script refused by the CSP is one) and uncaught exceptions."""
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _nia():
    nia = UserFactory(username="nsilva")
    nia.profile.display_name, nia.profile.affiliation = "Nia Silva", "Oxford"
    nia.profile.save()
    return nia


def _world():
    author = UserFactory(username="author")
    topic = TopicFactory(slug="incident-reporting", title="Incident reporting")
    ProposalFactory(topic=topic, title="Incident reporting for labs")
    return author, topic


def test_similar_proposals_appear_while_typing_and_nothing_typed_is_lost(live_server, journey,
                                                                        screenshot):
    t = journey.t
    _, topic = _world()
    nia = _nia()
    TopicFactory(title="Chip export rules")
    census = WriteupFactory(title="Census of incident databases", published=True)
    page = journey.new_page()
    errors = _errors(page)
    log_in(page, live_server.url, "author", t)
    journey.expect_language(page)
    page.goto(f"{live_server.url}/proposals/new/?topic={topic.slug}")
    expect(page.get_by_role("button", name=t("Check for similar proposals"))).to_have_count(0)
    page.get_by_label(t("Analysis")).fill("Typed before the title.")
    page.get_by_label(t("Title")).press_sequentially("incident reports", delay=20)

    similar = page.locator("#similar-proposal")
    expect(similar).to_contain_text("Incident reporting for labs")
    assert page.url == f"{live_server.url}/proposals/new/?topic={topic.slug}"
    expect(page.get_by_label(t("Analysis"))).to_have_value("Typed before the title.")
    expect(page.locator("#id_topic")).to_have_value(topic.slug)

    co_authors = page.get_by_label(t("Co-authors"))
    co_authors.press_sequentially("nia", delay=20)
    expect(page.get_by_role("option", name="Nia Silva @nsilva · Oxford")).to_be_visible()
    co_authors.press("ArrowDown")
    co_authors.press("Enter")
    expect(co_authors).to_have_value("nsilva, ")

    page.get_by_label(t("Filter the topics")).fill("chip")
    expect(page.get_by_role("checkbox", name="Incident reporting")).to_be_hidden()
    page.get_by_role("checkbox", name="Chip export rules").check()
    page.get_by_label(t("Filter the topics")).fill("")

    search = page.get_by_label(t("Search for another writeup"))
    search.press_sequentially("census", delay=20)
    expect(page.get_by_role("option", name="Census of incident databases")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    added = page.get_by_role("checkbox",
                             name=f"Census of incident databases ({census.topic.title})")
    expect(added).to_be_checked()
    screenshot(page, "similar-and-writeup-picker")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "similar-and-writeup-picker-phone")

    page.get_by_role("button", name=t("Save proposal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("incident reports")
    proposal = Proposal.objects.get(title="incident reports")
    assert ([w.title for w in proposal.supporting_writeups.all()],
            [t.title for t in proposal.related_topics.all()], proposal.analysis) == (
        ["Census of incident databases"], ["Chip export rules"], "Typed before the title.")
    assert [i.invitee for i in CoAuthorInvitation.objects.filter(proposal=proposal)] == [nia]
    assert errors == []


def test_without_javascript_a_refusal_shows_similar_and_keeps_the_text(live_server, journey):
    t = journey.t
    _, topic = _world()
    page = journey.new_page(java_script_enabled=False)
    log_in(page, live_server.url, "author", t)
    journey.expect_language(page)
    page.goto(f"{live_server.url}/proposals/new/")
    page.get_by_label(t("Title")).fill("incident reports")
    page.get_by_label(t("Analysis")).fill("Typed without JavaScript.")
    page.get_by_role("button", name=t("Save proposal")).click()  # no topic chosen: refused

    expect(page.locator("#similar-proposal")).to_contain_text("Incident reporting for labs")
    expect(page.get_by_label(t("Analysis"))).to_have_value("Typed without JavaScript.")
    expect(page.get_by_label(t("Title"))).to_have_value("incident reports")

    page.locator("#id_topic").select_option(topic.slug)
    page.get_by_role("button", name=t("Save proposal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("incident reports")
    assert Proposal.objects.get(title="incident reports").analysis == "Typed without JavaScript."


def test_owner_picker_finds_nia_silva_by_typing_nia(live_server, journey):
    t = journey.t
    author, _ = _world()
    nia = _nia()
    proposal = move_to(ProposalFactory(author=author), Stage.PROPOSAL)
    page = journey.new_page()
    errors = _errors(page)
    log_in(page, live_server.url, "author", t)
    journey.expect_language(page)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")

    field = page.get_by_label(t("Person to invite"))
    field.press_sequentially("Nia", delay=20)
    option = page.get_by_role("option", name="Nia Silva @nsilva · Oxford")
    expect(option).to_be_visible()
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", "id_username-option-0")
    field.press("Enter")
    expect(field).to_have_value("nsilva")
    page.get_by_role("button", name=t("Send invitation")).click()
    expect(page.locator("body")).to_contain_text("Nia Silva")
    assert proposal.owner_invitations.get().invitee == nia
    assert errors == []


@pytest.mark.parametrize("journey", ["390"], indirect=True)
def test_board_topic_picker_fills_the_title_and_filters(live_server, journey, screenshot):
    t = journey.t
    topic = TopicFactory(slug="detecting-datacenters", title="Detecting datacenters")
    ProposalFactory(topic=topic, title="Satellite census of datacenters")
    ProposalFactory(title="Something else entirely")
    page = journey.new_page()
    errors = _errors(page)
    page.goto(f"{live_server.url}/proposals/")
    journey.expect_language(page)

    field = page.get_by_role("combobox", name=t("Topic"))
    field.press_sequentially("detect", delay=20)
    expect(page.get_by_role("option", name="Detecting datacenters")).to_be_visible()
    screenshot(page, "board-topic-picker-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    field.press("Tab")  # leaving the field closes its suggestions
    expect(page.locator("#id_topic-options [role=option]")).to_have_count(0)
    expect(field).to_have_attribute("aria-expanded", "false")
    field.fill("")
    field.press_sequentially("detecting", delay=20)
    page.get_by_role("option", name="Detecting datacenters").click()
    expect(field).to_have_value("Detecting datacenters")
    page.get_by_role("button", name=t("Filter")).click()
    expect(page.locator("main")).to_contain_text("Satellite census of datacenters")
    expect(page.locator("main")).not_to_contain_text("Something else entirely")
    assert errors == []
