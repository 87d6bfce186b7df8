"""Layout on a phone (390×844) and a desktop (1280×800): no page scrolls sideways, the header
takes little of a phone's screen and folds into a Menu that opens without JavaScript, and a
staff member's header (the most links: moderation, alerts, notifications) is one line on a
desktop."""

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

PHONE, DESKTOP = (390, 844), (1280, 800)


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


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_layout_no_page_scrolls_sideways_for_visitor_and_staff(live_server, page, screenshot,
                                                               size):
    paths = _world()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    visitor = _visit_all(page, live_server.url, paths, screenshot, "visitor-")
    log_in(page, live_server.url, "staffer")
    staff = _visit_all(page, live_server.url, paths, screenshot, "staff-")
    assert (visitor, staff) == ({path: True for path in paths}, {path: True for path in paths})


def test_layout_phone_header_is_short_and_its_menu_opens_from_the_keyboard(live_server, page,
                                                                          screenshot):
    _world()
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    log_in(page, live_server.url, "staffer")
    page.goto(live_server.url + "/gaps/")
    assert _header_height(page) <= 70
    gaps_link = page.locator(".site-header").get_by_role("link", name="Gaps", exact=True)
    expect(gaps_link).to_be_hidden()

    page.get_by_role("checkbox", name="Menu").focus()
    page.keyboard.press("Space")
    expect(gaps_link).to_be_visible()
    expect(page.get_by_role("link", name="Moderation (1)")).to_be_visible()
    assert _no_sideways_scroll(page)
    screenshot(page, "menu-open")

    gaps_link.click()
    expect(page.get_by_role("heading", name="Gaps: topics nobody is working on")).to_be_visible()


def test_layout_phone_gaps_show_the_neglect_score_without_scrolling(live_server, page):
    _world()
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(live_server.url + "/gaps/")
    row = page.locator("table.gaps-table tbody tr").first
    box, title = row.locator("td.score").bounding_box(), row.locator("th").bounding_box()
    assert (box["x"] >= 0, box["x"] + box["width"] <= PHONE[0]) == (True, True)
    # Stacked, not squeezed into eight columns: the title takes most of the line, its score
    # beside it.
    assert (title["width"] >= PHONE[0] / 2, abs(box["y"] - title["y"]) < 10) == (True, True)
    assert page.evaluate("""() => [...document.querySelectorAll('table')].every(t =>
        t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().right <= innerWidth)""")


def test_layout_desktop_staff_header_is_one_line(live_server, page, screenshot):
    _world()
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    log_in(page, live_server.url, "staffer")
    page.goto(live_server.url + "/about/")
    expect(page.get_by_role("link", name="Moderation (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Alerts", exact=True)).to_be_visible()
    tops = page.evaluate("""() => [...document.querySelectorAll(
        '.site-header .brand, .site-header li, .site-header .site-search')].map(
        e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))""")
    assert (max(tops) - min(tops) <= 6, _header_height(page) <= 60) == (True, True), tops
    screenshot(page, "staff-header")


def test_layout_field_counts_characters_as_the_person_types(live_server, page):
    _world()
    log_in(page, live_server.url, "author")
    page.goto(live_server.url + "/me/profile/")
    limit = page.locator("#id_display_name_limit")
    expect(limit).to_have_text("14 of 120 characters")  # "Clara Claimant", already there
    page.get_by_label("Display name").fill("Nia")
    expect(limit).to_have_text("3 of 120 characters")


def test_layout_phone_menu_opens_and_logs_out_without_javascript(live_server, browser):
    _world()
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": PHONE[0], "height": PHONE[1]})
    page = context.new_page()
    log_in(page, live_server.url, "staffer")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_hidden()
    page.locator("label", has_text="Menu").click()
    expect(page.locator(".nav-person")).to_have_text("NSNia Silva-Okonkwo")
    log_out.click()
    expect(page.locator(".nav-account")).to_contain_text("Log in")  # the menu is closed again
    context.close()
