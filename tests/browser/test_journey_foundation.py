import re

from playwright.sync_api import expect

from registry import services


def test_new_person_signs_up_and_browses_the_catalogue(live_server, page, screenshot):
    services.catalogue_load()

    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Topics that still need an expert")).to_be_visible()
    expect(page.locator(".topic-row")).to_have_count(25)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.org")
    page.locator("#id_password1").fill("a long unusual pass 42")
    page.get_by_label("Password again").fill("a long unusual pass 42")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    page.get_by_label("Display name").fill("New Comer")
    page.get_by_label("Conflict-of-interest disclosure").fill("None.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", name="New Comer @newcomer")).to_be_visible()

    page.get_by_role("link", name="Topics", exact=True).click()
    page.get_by_role("link", name="Lessons from nuclear arms control for AI").click()
    expect(page.locator(".badge-covered").first).to_have_text("covered")
    screenshot(page, "topic")
