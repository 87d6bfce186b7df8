from playwright.sync_api import expect

from registry import services
from registry.models import Profile, Topic
from tests.browser.helpers import log_in
from tests.factories import UserFactory, WriteupFactory


def test_a_newcomer_asks_a_named_reviewer_who_comments_and_is_named_once_published(
        live_server, page, screenshot):
    """A newcomer's draft: she finds a reviewer by name, he accepts from My work, reads the
    draft and comments on one paragraph; she resolves it and publishes; he finished and
    opted in, so the published page says "Reviewed by" him, and nothing else of the review."""
    services.catalogue_load()
    topic = Topic.objects.get(slug="proof-of-learning")
    newcomer, reviewer = UserFactory(username="newcomer"), UserFactory(username="rev")
    Profile.objects.filter(user=reviewer).update(display_name="Ravi Reviewer")
    draft = WriteupFactory(topic=topic, author=newcomer, title="Spoofing proofs cheaply",
                           body="Intro.\n\nThe attack costs under a dollar.\n\nThe end.")
    draft_url = f"{live_server.url}/writeups/{draft.pk}/"

    log_in(page, live_server.url, "newcomer")
    page.goto(draft_url)
    page.get_by_label("Find a person by name").fill("ravi")
    page.locator("#invite").get_by_role("button", name="Search").click()
    page.get_by_label("Person to ask").select_option(label="Ravi Reviewer, Independent")
    page.get_by_label("Message").fill("Is the cost estimate right?")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".review-requests")).to_contain_text("Ravi Reviewer pending")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "rev")
    page.goto(f"{live_server.url}/me/")
    page.locator("#reviews").get_by_role("button", name="Accept").click()
    expect(page.locator("p.meta").first).to_contain_text("draft, shared with you for review")
    page.get_by_role("link", name="Comment on it on the review page").click()
    page.locator(".review-segment", has_text="The attack costs").get_by_role(
        "link", name="Comment here").click()
    page.get_by_label("Your comment").fill("Which **prices**? Cite them.")
    page.get_by_role("button", name="Post the review comment").click()
    expect(page.locator(".review-segment", has_text="The attack costs")).to_contain_text(
        "Which prices? Cite them.")
    screenshot(page, "review-page-with-a-comment")
    page.goto(draft_url)
    page.get_by_label("Name me as a reviewer on the published page").check()
    page.get_by_role("button", name="Finish my review").click()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "newcomer")
    page.goto(draft_url)
    expect(page.locator("#reviews")).to_contain_text("1 open review comment")
    page.get_by_role("link", name="Open the review page").click()
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".review-comment")).to_contain_text("resolved by Newcomer")
    page.goto(draft_url)
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Log out").click()

    page.goto(draft_url)
    expect(page.locator(".reviewed-by")).to_have_text("Reviewed by Ravi Reviewer")
    expect(page.locator("main")).not_to_contain_text("Which prices")
    screenshot(page, "published-reviewed-by")
