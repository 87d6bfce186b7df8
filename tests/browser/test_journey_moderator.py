"""The moderator's journey, on a desktop and on a phone: someone reports a writeup, the
moderator finds it from the header's count, hides it with a reason that the page then shows
its readers, and the queue's log names everyone as they are named everywhere else."""

from playwright.sync_api import expect

from registry.models import Profile
from tests.browser.helpers import log_in, open_menu_on_a_phone
from tests.factories import TopicFactory, UserFactory, WriteupFactory


def test_a_report_reaches_the_moderator_who_hides_the_writeup_with_a_reason(
        live_server, journey, screenshot):
    t = journey.t
    author, reader = UserFactory(username="ada"), UserFactory(username="bob")
    UserFactory(username="mod", is_staff=True)
    Profile.objects.filter(user=reader).update(display_name="Bob Okafor")
    Profile.objects.filter(user__username="mod").update(display_name="Mia Moderator")
    writeup = WriteupFactory(topic=TopicFactory(title="Detecting datacenters"), author=author,
                             title="Cheap pills here", published=True)
    address = f"{live_server.url}{writeup.get_absolute_url()}"

    page = journey.new_page()
    log_in(page, live_server.url, "bob", t)
    journey.expect_language(page)
    page.goto(address)
    page.locator("summary", has_text=t("Report", "to report")).click()
    page.get_by_label(t("Reason")).select_option("spam")
    page.get_by_label(t("Note")).fill("An advert, not a writeup.")
    page.get_by_role("button", name=t("Send the report")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Thank you. The moderators will look at your report."))
    journey.check(page)

    page = journey.new_page()
    log_in(page, live_server.url, "mod", t)
    open_menu_on_a_phone(page, t)
    page.get_by_role("link", name=t("Moderation (%(count)s)") % {"count": 1}).click()
    expect(page.get_by_role("heading", name=t("Moderation"), exact=True)).to_be_visible()
    report = page.locator("li", has_text="An advert, not a writeup.")
    expect(report).to_contain_text(f"{t('spam')} {t('by', 'reported by')} Bob Okafor")
    journey.check(page)
    page.get_by_label(t("Reason")).first.fill("Advertising.")
    page.get_by_role("button", name=t("Hide"), exact=True).click()
    expect(page.locator(".moderation-action")).to_contain_text(
        f"Mia Moderator {t('hid')} {t('writeup')}")
    journey.check(page)
    screenshot(page, f"queue-after-hide-{journey.width}")

    page = journey.new_page()
    page.goto(address)
    expect(page.locator(".moderation-notice")).to_have_text(
        t("Hidden by a moderator: %(reason)s") % {"reason": "Advertising."})
    expect(page.get_by_text("Cheap pills here")).to_have_count(0)
    journey.check(page)

    assert journey.problems == []
