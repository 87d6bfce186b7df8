from playwright.sync_api import expect

from registry import services
from registry.models import Profile, Topic
from tests.browser.helpers import log_in, log_out
from tests.factories import UserFactory, WriteupFactory


def test_a_newcomer_asks_a_named_reviewer_who_comments_and_is_named_once_published(
        live_server, journey, screenshot):
    """A newcomer's draft: she finds a reviewer by name, he accepts from My work, reads the
    draft and comments on one paragraph; she resolves it and publishes; he finished and
    opted in, so the published page says "Reviewed by" him, and nothing else of the review."""
    t = journey.t
    services.catalogue_load()
    topic = Topic.objects.get(slug="proof-of-learning")
    newcomer, reviewer = UserFactory(username="newcomer"), UserFactory(username="rev")
    Profile.objects.filter(user=reviewer).update(display_name="Ravi Reviewer")
    draft = WriteupFactory(topic=topic, author=newcomer, title="Spoofing proofs cheaply",
                           body="Intro.\n\nThe attack costs under a dollar.\n\nThe end.")
    draft_url = f"{live_server.url}/writeups/{draft.pk}/"
    page = journey.new_page()

    log_in(page, live_server.url, "newcomer", t)
    journey.expect_language(page)
    page.goto(draft_url)
    page.get_by_label(t("Find a person by name")).fill("ravi")
    page.locator("#invite").get_by_role("button", name=t("Search", "verb")).click()
    page.get_by_label(t("Person to ask")).select_option(label="Ravi Reviewer, Independent")
    page.get_by_label(t("Message")).fill("Is the cost estimate right?")
    page.get_by_role("button", name=t("Send the request")).click()
    expect(page.locator(".review-requests")).to_contain_text(
        f"Ravi Reviewer {t('pending', 'review request state')}")
    journey.check(page)
    log_out(page, t)

    log_in(page, live_server.url, "rev", t)
    page.goto(f"{live_server.url}/me/")
    page.locator("#reviews").get_by_role("button", name=t("Accept")).click()
    expect(page.locator("p.meta").first).to_contain_text(
        f"{t('draft')}, {t('shared with you for review')}")
    page.get_by_role("link", name=t("Comment on it on the review page")).click()
    page.locator(".review-segment", has_text="The attack costs").get_by_role(
        "link", name=t("Comment here")).click()
    page.get_by_label(t("Your comment")).fill("Which **prices**? Cite them.")
    page.get_by_role("button", name=t("Post the review comment")).click()
    expect(page.locator(".review-segment", has_text="The attack costs")).to_contain_text(
        "Which prices? Cite them.")
    journey.check(page)
    screenshot(page, "review-page-with-a-comment")
    page.goto(draft_url)
    page.get_by_label(t("Name me as a reviewer on the published page")).check()
    page.get_by_role("button", name=t("Finish my review")).click()
    log_out(page, t)

    log_in(page, live_server.url, "newcomer", t)
    page.goto(draft_url)
    expect(page.locator("#reviews")).to_contain_text(
        journey.tn("%(counter)s open review comment", "%(counter)s open review comments", 1)
        % {"counter": 1})
    page.get_by_role("link", name=t("Open the review page")).click()
    page.get_by_role("button", name=t("Resolve")).click()
    expect(page.locator(".review-comment")).to_contain_text(
        f"{t('resolved', 'review comment state')} "
        f"{t('by %(name)s', 'resolved by') % {'name': 'Newcomer'}}")
    page.goto(draft_url)
    page.get_by_role("button", name=t("Publish")).click()
    log_out(page, t)

    page.goto(draft_url)
    expect(page.locator(".reviewed-by")).to_have_text(f"{t('Reviewed by')} Ravi Reviewer")
    expect(page.locator("main")).not_to_contain_text("Which prices")
    journey.check(page)
    screenshot(page, "published-reviewed-by")
    assert journey.problems == []
