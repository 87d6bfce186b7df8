from playwright.sync_api import expect

from registry import services
from registry.models import Topic
from tests.browser.helpers import log_in, log_out
from tests.factories import UserFactory, WriteupFactory


def badge(page):
    return page.locator("h1 + p .badge, .topic > p .badge").first


def test_two_peers_endorse_a_published_writeup_and_the_topic_turns_covered(live_server, journey,
                                                                         screenshot):
    """A claimant publishes; two people with published work in the same cluster endorse it
    on its page; the topic turns covered and shows the recognition with the statements."""
    t = journey.t
    services.catalogue_load()
    topic = Topic.objects.get(slug="proof-of-learning")
    author = UserFactory(username="claimant")
    services.claim_create(topic=topic, person=author, plan="A survey.")
    writeup = WriteupFactory(topic=topic, author=author, published=True,
                             title="Where proof-of-learning breaks")
    for name in ("peer-one", "peer-two"):
        peer = UserFactory(username=name)
        other = Topic.objects.filter(cluster=topic.cluster).exclude(pk=topic.pk).first()
        WriteupFactory(topic=other, author=peer, published=True)
    topic_url = f"{live_server.url}/topics/proof-of-learning/"
    page = journey.new_page()

    for number, name in enumerate(("peer-one", "peer-two"), start=1):
        log_in(page, live_server.url, name, t)
        if number == 1:
            journey.expect_language(page)
        page.goto(f"{live_server.url}/writeups/{writeup.pk}/")
        page.get_by_label(t("What did this work move forward?")).fill(
            f"Endorsement {number}: the first measurement of how cheap spoofing is.")
        page.get_by_role("button", name=t("Add my endorsement")).click()
        expect(page.locator(".endorsement")).to_have_count(number)
        journey.check(page)
        log_out(page, t)

    page.goto(topic_url)
    expect(badge(page)).to_have_text(t("covered", "topic status"))
    recognitions = page.locator(".recognitions")
    expect(recognitions).to_contain_text("Claimant")
    expect(recognitions).to_contain_text("Endorsement 2: the first measurement")
    journey.check(page)
    screenshot(page, "topic-covered-by-recognition")
    page.goto(f"{live_server.url}/experts/")
    expect(page.locator(".recognition").first).to_contain_text("Where proof-of-learning breaks")
    page.goto(f"{live_server.url}/people/claimant/")
    expect(page.locator("#recognitions")).to_contain_text(journey.catalogue_text(topic))
    journey.check(page)
    screenshot(page, "profile-with-recognition")
    assert journey.problems == []
