"""The moderator's journey, on a desktop and on a phone: someone reports a writeup, the
moderator finds it from the header's count, hides it with a reason that the page then shows
its readers, and the queue's log names everyone as they are named everywhere else."""

import pytest
from playwright.sync_api import expect

from registry.models import Profile
from tests.browser.helpers import PageWatch, log_in, open_menu_on_a_phone
from tests.factories import TopicFactory, UserFactory, WriteupFactory


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_a_report_reaches_the_moderator_who_hides_the_writeup_with_a_reason(
        live_server, browser, screenshot, width, height):
    author, reader = UserFactory(username="ada"), UserFactory(username="bob")
    UserFactory(username="mod", is_staff=True)
    Profile.objects.filter(user=reader).update(display_name="Bob Okafor")
    Profile.objects.filter(user__username="mod").update(display_name="Mia Moderator")
    writeup = WriteupFactory(topic=TopicFactory(title="Detecting datacenters"), author=author,
                             title="Cheap pills here", published=True)
    address = f"{live_server.url}{writeup.get_absolute_url()}"

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    log_in(page, live_server.url, "bob")
    page.goto(address)
    page.locator("summary", has_text="Report").click()
    page.get_by_label("Reason").select_option("spam")
    page.get_by_label("Note").fill("An advert, not a writeup.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("report")
    watch.check_width()
    context.close()

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch.attach(page)
    log_in(page, live_server.url, "mod")
    open_menu_on_a_phone(page)
    page.get_by_role("link", name="Moderation (1").click()
    expect(page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    report = page.locator("li", has_text="An advert, not a writeup.")
    expect(report).to_contain_text("spam by Bob Okafor")
    watch.check_width()
    page.get_by_label("Reason").first.fill("Advertising.")
    page.get_by_role("button", name="Hide", exact=True).click()
    expect(page.locator(".moderation-action")).to_contain_text("Mia Moderator hid writeup")
    watch.check_width()
    screenshot(page, f"queue-after-hide-{width}")
    context.close()

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch.attach(page)
    page.goto(address)
    expect(page.locator(".moderation-notice")).to_have_text(
        "Hidden by a moderator: Advertising.")
    expect(page.get_by_text("Cheap pills here")).to_have_count(0)
    watch.check_width()
    context.close()

    assert watch.problems == []
