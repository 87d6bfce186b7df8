"""The feedback journey (issue 15) in a real browser: a claimant asks two people to review a
draft, one comments on a paragraph, the author edits and resolves it, publishes, and a third
person comments publicly and mentions the author, who is told."""

from playwright.sync_api import expect

from registry import services
from registry.models import Topic
from tests.browser.helpers import log_in, log_out
from tests.factories import ProfileFactory, UserFactory

DRAFT_BODY = ("Spoofing is cheap when checkpoints are sparse.\n\n"
              "Dense checkpoints cost ten times more storage.")
MENTION = "Did you try sparse proofs, @claimant?"


def person(username, display_name):
    user = UserFactory(username=username)
    ProfileFactory(user=user)
    user.profile.display_name = display_name
    user.profile.save()
    return user


def ask_for_review(page, t, name):
    page.get_by_label(t("Find a person by name")).fill(name)
    page.locator("#invite").get_by_role("button", name=t("Search", "verb")).click()
    page.get_by_label(t("Person to ask")).select_option(label=f"{name}, Independent")
    page.get_by_label(t("Message")).fill("Is the storage estimate right?")
    page.get_by_role("button", name=t("Send the request")).click()


def open_review_comments(journey, count):
    """"N open review comment(s)", as the review panel and page say it."""
    return journey.tn("%(counter)s open review comment", "%(counter)s open review comments",
                      count) % {"counter": count}


def test_draft_reviewed_then_published_then_discussed(live_server, journey, screenshot):
    t = journey.t
    services.catalogue_load()
    topic = Topic.objects.get(slug="proof-of-learning")
    claimant = person("claimant", "Clara Claimant")
    person("rosa", "Rosa Reviewer")
    person("omar", "Omar Second")
    person("tess", "Tess Third")
    services.claim_create(topic=topic, person=claimant, plan="A survey by March.")
    draft = services.writeup_create(topic=topic, author=claimant, title="Where it breaks",
                                    kind="insight", body=DRAFT_BODY)
    draft_url = f"{live_server.url}/writeups/{draft.pk}/"
    page = journey.new_page()

    # 1. The claimant asks two people, found by display name, to review the draft.
    log_in(page, live_server.url, "claimant", t)
    journey.expect_language(page)
    page.goto(draft_url)
    ask_for_review(page, t, "Rosa Reviewer")
    ask_for_review(page, t, "Omar Second")
    requests = page.locator("table.review-requests")
    expect(requests).to_contain_text("Rosa Reviewer")
    expect(requests).to_contain_text("Omar Second")
    expect(requests.locator("tbody tr")).to_have_count(2)
    journey.check(page)
    screenshot(page, "draft-with-review-requests")

    # 2. Rosa accepts and comments on the second paragraph; before accepting she cannot read it.
    log_out(page, t)
    log_in(page, live_server.url, "rosa", t)
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_text("Where it breaks")).to_be_visible()
    page.get_by_role("button", name=t("Accept")).first.click()
    page.goto(draft_url)
    expect(page.get_by_text("Dense checkpoints cost ten times more storage.")).to_be_visible()
    page.get_by_role("link", name=t("Comment on it on the review page")).click()
    page.get_by_role("link", name=t("Comment here")).nth(1).click()
    page.get_by_label(t("Your comment")).fill("Ten times? Your table says **four**.")
    page.get_by_role("button", name=t("Post the review comment")).click()
    expect(page.locator(".review-comment")).to_contain_text("Your table says four.")
    expect(page.get_by_text(open_review_comments(journey, 1)).first).to_be_visible()
    journey.check(page)
    screenshot(page, "review-page-with-a-comment")

    # The author edits the draft; the paragraph Rosa commented on is unchanged, so her
    # comment stays beside it; the author resolves it.
    log_out(page, t)
    log_in(page, live_server.url, "claimant", t)
    page.goto(draft_url)
    expect(page.locator("#reviews")).to_contain_text(open_review_comments(journey, 1))
    page.get_by_role("link", name=t("Edit")).click()
    page.get_by_label(t("Body"), exact=True).fill(DRAFT_BODY.replace("cheap", "very cheap"))
    page.get_by_role("button", name=t("Save changes")).click()
    page.get_by_role("link", name=t("Open the review page")).click()
    anchored = page.locator(".review-segment", has_text="Dense checkpoints")
    expect(anchored.locator(".review-comment")).to_contain_text("Your table says four.")
    anchored.get_by_role("button", name=t("Resolve")).click()
    expect(page.get_by_text(open_review_comments(journey, 0))).to_be_visible()
    expect(page.locator(".review-comment.resolved")).to_have_count(1)

    # 3. The author publishes.
    page.goto(draft_url)
    page.get_by_role("button", name=t("Publish")).click()
    expect(page.get_by_role("status")).to_contain_text(t("Published. Everyone can read it now."))
    log_out(page, t)

    # 4. Tess comments publicly and mentions the author, who is told.
    log_in(page, live_server.url, "tess", t)
    page.goto(draft_url)
    expect(page.get_by_text("Ten times? Your table says")).to_have_count(0)
    page.get_by_label(t("Your comment")).fill(MENTION)
    page.get_by_role("button", name=t("Post the comment")).click()
    thread = page.locator(".comment").first
    expect(thread).to_contain_text("Did you try sparse proofs")
    expect(thread.get_by_role("link", name="Clara Claimant")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "published-with-a-comment-390")
    log_out(page, t)  # a phone's header folds into a menu

    log_in(page, live_server.url, "claimant", t)
    page.goto(f"{live_server.url}/me/notifications/")
    expect(page.locator("main")).to_contain_text(
        t("%(name)s mentioned you in a comment on “%(title)s”: “%(quote)s”")
        % {"name": "Tess Third", "title": "Where it breaks", "quote": MENTION})
    assert journey.problems == []
