from playwright.sync_api import expect

from proposals import services as proposal_services
from registry import services
from registry.models import Topic
from tests.browser.helpers import log_in
from tests.factories import UserFactory
from tests.xss import PAYLOADS

ALL = "\n\n".join(PAYLOADS)


def test_xss_corpus_executes_nothing_in_a_real_browser(live_server, journey, screenshot):
    services.catalogue_load()
    topic = Topic.objects.get(slug="detecting-datacenters")
    author = UserFactory(username="author")
    author.profile.bio = ALL
    author.profile.conflict_of_interest = ALL
    author.profile.save()
    services.claim_create(topic=topic, person=author, plan=ALL[:2000])
    writeup = services.writeup_create(topic=topic, author=author, title=PAYLOADS[0],
                                      kind="plan", body=ALL)
    services.writeup_publish(writeup=writeup, actor=author)
    proposal = proposal_services.proposal_create(
        topic=topic, author=author, title=PAYLOADS[3], analysis=ALL, ask=PAYLOADS[5],
        target=PAYLOADS[24], steps=PAYLOADS[:20])
    page = journey.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server.url, "author", journey.t)
    journey.expect_language(page)

    for path in [f"/writeups/{writeup.pk}/", f"/proposals/{proposal.pk}/", "/people/author/",
                 f"/topics/{topic.slug}/", "/proposals/", "/me/"]:
        page.goto(live_server.url + path)
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
        assert page.evaluate("window.__xss") is None, path
    expect(page.locator("main")).to_be_visible()
    assert dialogs == []

    page.goto(f"{live_server.url}/writeups/{writeup.pk}/")
    screenshot(page, "writeup-with-corpus")
