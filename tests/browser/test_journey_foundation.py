import re

from playwright.sync_api import expect

from registry import services
from registry.models import Topic
from tests.browser.helpers import open_menu_on_a_phone


def test_new_person_signs_up_and_browses_the_catalogue(live_server, journey, screenshot):
    t = journey.t
    services.catalogue_load()
    covered = Topic.objects.get(title="Lessons from nuclear arms control for AI")
    page = journey.new_page()

    page.goto(live_server.url)
    journey.expect_language(page)
    expect(page.get_by_role("heading", name=t("Topics that still need an expert"))
           ).to_be_visible()
    expect(page.locator(".topic-row")).to_have_count(25)
    journey.check(page)
    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Sign up")).click()
    page.get_by_label(t("Username")).fill("newcomer")
    page.get_by_label(t("Email")).fill("newcomer@example.org")
    page.locator("#id_password1").fill("a long unusual pass 42")
    page.get_by_label(t("Password again")).fill("a long unusual pass 42")
    page.get_by_role("button", name=t("Create account")).click()

    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    page.get_by_label(t("Display name")).fill("New Comer")
    page.get_by_label(t("Conflict-of-interest disclosure")).fill("None.")
    page.get_by_role("button", name=t("Save profile")).click()
    expect(page.get_by_role("heading", name="New Comer @newcomer")).to_be_visible()
    journey.check(page)

    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Topics"), exact=True).click()
    page.get_by_role("link", name=journey.catalogue_text(covered)).click()
    expect(page.locator(".badge-covered").first).to_have_text(t("covered", "topic status"))
    journey.check(page)
    screenshot(page, "topic")
    assert journey.problems == []
