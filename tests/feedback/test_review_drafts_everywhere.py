"""A draft under review is seen on its own pages by its author and its reading reviewers, and
nowhere else: no list, search, feed, export, track record or count shows it, to anyone,
reviewers included. Its title reaches the people asked (their request, My work, their
notifications); its body never leaves its pages.

The world (built once per module) holds alice's draft, with a marker word in its title and
another in its body, reviewed by bob (accepted), carol (finished) and dan (asked), beside
her published writeup on the same topic.
"""

import pytest
from django.test import Client

from registry import services
from registry.feedback.services import reviews
from registry.models import Topic
from tests.factories import UserFactory

TITLE, BODY = "Zqreviewtitle", "Zqreviewbody"
VIEWERS = ["visitor", "outsider", "accepted", "finished", "asked", "moderator", "author"]
READERS = {"accepted", "finished", "author"}


@pytest.fixture(scope="module")
def world_built_once(module_transaction):
    services.catalogue_load()
    alice, bob, carol, dan, charlie = (UserFactory(username=name) for name in (
        "alice", "bob", "carol", "dan", "charlie"))
    mod = UserFactory(username="mod", is_staff=True)
    topic = Topic.objects.get(slug="proof-of-learning")
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    out = services.writeup_create(topic=topic, author=alice, title="Out in the open",
                                  kind="plan", body="Public words.")
    services.writeup_publish(writeup=out, actor=alice)
    draft = services.writeup_create(topic=topic, author=alice, title=f"Draft {TITLE}",
                                    kind="plan", body=f"Words {BODY}.")
    asked = {}
    for person in (bob, carol, dan):
        asked[person] = reviews.review_request_create(target=draft, reviewer=person,
                                                      actor=alice)
    for person in (bob, carol):
        reviews.review_request_accept(review_request=asked[person], actor=person)
    reviews.review_comment_create(review_request=asked[bob], actor=bob, body="A remark.")
    reviews.review_request_finish(review_request=asked[carol], actor=carol, named=True)
    people = {"outsider": charlie, "accepted": bob, "finished": carol, "asked": dan,
              "moderator": mod, "author": alice}
    ids = {"draft": draft.pk, "topic": topic.slug, "cluster": topic.cluster.slug,
           "asked": asked[dan].pk}
    return people, ids


@pytest.fixture
def world(world_built_once, db):
    return world_built_once


def _body(people, viewer, path) -> str:
    client = Client()
    if viewer != "visitor":
        client.force_login(people[viewer])
    response = client.get(path)
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    return content.decode()


# Every list, search, feed, export, record and count that could hold a writeup.
LISTS = [
    "/", "/topics/{topic}/", "/clusters/{cluster}/", "/gaps/", "/map/", "/map.svg",
    "/experts/", "/proposals/", "/proposals/new/", "/search/?q=zqreviewtitle",
    "/search/?q=zqreviewbody", "/search/?q=draft", "/api/v1/search/?q=zqreviewtitle",
    "/api/v1/search/?q=zqreviewbody", "/feeds/writeups/", "/feeds/writeups/topic/{topic}/",
    "/feeds/writeups/cluster/{cluster}/", "/feeds/recognitions/", "/export/writeups.csv",
    "/export/writeups.json", "/export/comments.json", "/api/v1/writeups/",
    "/api/v1/writeups/?topic={topic}", "/api/v1/writeups/?author=alice", "/api/v1/topics/",
    "/api/v1/topics/{topic}/", "/people/alice/", "/api/v1/people/alice/track-record/",
    "/people/bob/", "/people/carol/", "/api/v1/endorsements/", "/api/v1/recognitions/",
    "/api/v1/experts/", "/topics/{topic}/interest/",
]


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "author"])
@pytest.mark.parametrize("route", LISTS)
def test_draft_under_review_is_in_no_list_for_anyone(world, route, viewer):
    people, ids = world
    body = _body(people, viewer, route.format(**ids))

    assert [marker for marker in (TITLE, BODY) if marker in body] == []


@pytest.mark.parametrize("viewer", VIEWERS)
def test_draft_under_review_is_read_on_its_pages_by_its_readers_only(world, viewer):
    people, ids = world
    found = {path: [m for m in (TITLE, BODY) if m in _body(people, viewer, path.format(**ids))]
             for path in ("/writeups/{draft}/", "/writeups/{draft}/versions/1/",
                          "/reviews/writeup/{draft}/", "/api/v1/writeups/{draft}/")}

    expected = [TITLE, BODY] if viewer in READERS else []
    assert found == dict.fromkeys(found, expected)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_draft_title_reaches_the_people_asked_and_its_body_never(world, viewer):
    people, ids = world
    found = {path: [m for m in (TITLE, BODY) if m in _body(people, viewer, path.format(**ids))]
             for path in ("/me/", "/me/notifications/", "/api/v1/notifications/",
                          "/reviews/requests/{asked}/", "/api/v1/review-requests/")}

    title = [TITLE]
    expected = {
        # My reviews lists what is still to answer or to do (a finished one is done); the
        # author's own drafts are on hers.
        "/me/": title if viewer in ("accepted", "asked", "author") else [],
        "/me/notifications/": title if viewer in ("accepted", "finished", "asked", "author")
        else [],
        "/api/v1/notifications/": title if viewer in ("accepted", "finished", "asked",
                                                      "author") else [],
        "/reviews/requests/{asked}/": title if viewer in ("asked", "author") else [],
        "/api/v1/review-requests/": title if viewer in ("accepted", "finished", "asked",
                                                        "author") else [],
    }
    if viewer == "visitor":
        expected = dict.fromkeys(expected, [])
    assert found == expected


def test_topic_counts_only_the_published_writeup(world):
    people, ids = world
    client = Client()
    client.force_login(people["accepted"])

    topic = client.get(f"/api/v1/topics/{ids['topic']}/").json()

    assert topic["writeups"] == 1
