"""Layout on a phone (390×844) and a desktop (1280×800): no page scrolls sideways, the header
takes little of a phone's screen and folds into a Menu that opens without JavaScript, and a
staff member's header (the most links: moderation, alerts, notifications) is one line on a
desktop. Each runs in the journey's language: the phone's is Spanish, the desktop's English."""

import pytest
from playwright.sync_api import expect

from registry import services
from registry.models import Topic
from tests.browser.helpers import log_in
from tests.factories import (
    ClaimFactory,
    ProposalFactory,
    ReportFactory,
    UserFactory,
    WriteupFactory,
)

PHONE, DESKTOP = (390, 844), (1280, 800)  # the journey fixture's two runs
ON_A_PHONE = pytest.mark.parametrize("journey", ["390"], indirect=True)
ON_A_DESKTOP = pytest.mark.parametrize("journey", ["1280"], indirect=True)


def _world():
    services.catalogue_load()
    staff = UserFactory(username="staffer", is_staff=True)
    staff.profile.display_name = "Nia Silva-Okonkwo"
    staff.profile.is_funder = True
    staff.profile.save()
    author = UserFactory(username="author")
    author.profile.display_name = "Clara Claimant"
    author.profile.bio = "Works on compute governance. " * 20
    author.profile.save()
    ReportFactory(reporter=author, target_type="profile", target_id=staff.profile.pk)
    # A track record with long titles, so the profile's tables are tested full.
    worked_on = Topic.objects.get(slug="proof-of-learning")
    ClaimFactory(topic=worked_on, person=author)
    WriteupFactory(topic=worked_on, author=author, published=True,
                   title="Where proof-of-learning breaks when checkpoints are sparse")
    ProposalFactory(topic=worked_on, author=author,
                    title="A shared incident-reporting checklist for training-run audits")
    topic = Topic.objects.get(title="Detecting datacenters")
    return ["/", "/gaps/", topic.get_absolute_url(), "/people/author/", "/about/"]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def _visit_all(page, base, paths, screenshot, who):
    wide = {}
    for path in paths:
        page.goto(base + path)
        wide[path] = _no_sideways_scroll(page)
        screenshot(page, f"{who}{path.strip('/').replace('/', '-') or 'home'}")
    return wide


def test_layout_no_page_scrolls_sideways_for_visitor_and_staff(live_server, journey,
                                                               screenshot):
    paths = _world()
    page = journey.new_page()
    visitor = _visit_all(page, live_server.url, paths, screenshot, "visitor-")
    journey.expect_language(page)
    log_in(page, live_server.url, "staffer", journey.t)
    staff = _visit_all(page, live_server.url, paths, screenshot, "staff-")
    assert (visitor, staff) == ({path: True for path in paths}, {path: True for path in paths})


@ON_A_PHONE
def test_layout_phone_header_is_short_and_its_menu_opens_from_the_keyboard(live_server, journey,
                                                                          screenshot):
    t = journey.t
    _world()
    page = journey.new_page()
    log_in(page, live_server.url, "staffer", t)
    page.goto(live_server.url + "/gaps/")
    journey.expect_language(page)
    assert _header_height(page) <= 70
    gaps_link = page.locator(".site-header").get_by_role("link", name=t("Gaps"), exact=True)
    expect(gaps_link).to_be_hidden()

    page.get_by_role("checkbox", name=t("Menu")).focus()
    page.keyboard.press("Space")
    expect(gaps_link).to_be_visible()
    expect(page.get_by_role("link", name=t("Moderation (%(count)s)") % {"count": 1})
           ).to_be_visible()
    assert _no_sideways_scroll(page)
    screenshot(page, "menu-open")

    gaps_link.click()
    expect(page.get_by_role("heading", name=t("Gaps: topics nobody is working on"))
           ).to_be_visible()


@ON_A_PHONE
def test_layout_phone_gaps_show_the_neglect_score_without_scrolling(live_server, journey):
    _world()
    page = journey.new_page()
    page.goto(live_server.url + "/gaps/")
    journey.expect_language(page)
    row = page.locator("table.gaps-table tbody tr").first
    box, title = row.locator("td.score").bounding_box(), row.locator("th").bounding_box()
    assert (box["x"] >= 0, box["x"] + box["width"] <= PHONE[0]) == (True, True)
    # Stacked, not squeezed into eight columns: the title takes most of the line, its score
    # beside it.
    assert (title["width"] >= PHONE[0] / 2, abs(box["y"] - title["y"]) < 10) == (True, True)
    assert page.evaluate("""() => [...document.querySelectorAll('table')].every(t =>
        t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().right <= innerWidth)""")


@ON_A_DESKTOP
def test_layout_desktop_staff_header_is_one_line(live_server, journey, screenshot):
    t = journey.t
    _world()
    page = journey.new_page()
    log_in(page, live_server.url, "staffer", t)
    page.goto(live_server.url + "/about/")
    journey.expect_language(page)
    expect(page.get_by_role("link", name=t("Moderation (%(count)s)") % {"count": 1})
           ).to_be_visible()
    expect(page.get_by_role("link", name=t("Alerts"), exact=True)).to_be_visible()
    tops = page.evaluate("""() => [...document.querySelectorAll(
        '.site-header .brand, .site-header li, .site-header .site-search')].map(
        e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))""")
    assert (max(tops) - min(tops) <= 6, _header_height(page) <= 60) == (True, True), tops
    screenshot(page, "staff-header")


def test_layout_field_counts_characters_as_the_person_types(live_server, journey):
    t = journey.t

    def counting(used):
        return t("{used} of {limit} characters").replace("{used}", str(used)).replace(
            "{limit}", "120")

    _world()
    page = journey.new_page()
    log_in(page, live_server.url, "author", t)
    page.goto(live_server.url + "/me/profile/")
    journey.expect_language(page)
    limit = page.locator("#id_display_name_limit")
    expect(limit).to_have_text(counting(14))  # "Clara Claimant", already there
    page.get_by_label(t("Display name")).fill("Nia")
    expect(limit).to_have_text(counting(3))


@ON_A_PHONE
def test_layout_phone_menu_opens_and_logs_out_without_javascript(live_server, journey):
    t = journey.t
    _world()
    page = journey.new_page(java_script_enabled=False)
    log_in(page, live_server.url, "staffer", t)
    journey.expect_language(page)
    log_out = page.get_by_role("button", name=t("Log out"))
    expect(log_out).to_be_hidden()
    page.locator("label", has_text=t("Menu")).click()
    expect(page.locator(".nav-person")).to_have_text("NSNia Silva-Okonkwo")
    log_out.click()
    # The menu is closed again.
    expect(page.locator(".nav-account")).to_contain_text(t("Log in"))
