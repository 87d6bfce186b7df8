"""The reviews' API: asking, answering, finishing and withdrawing; review comments on the
current version; resolve and reopen; suggestions and blocks. Refusals carry their stable
codes, and anyone outside a review gets 404."""

import pytest
from rest_framework.test import APIClient

from registry import services
from registry.feedback import anchors
from registry.feedback.models import ReviewComment, ReviewRequest
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory
from tests.feedback.review_factories import ReviewRequestFactory, review_comment

State = ReviewRequest.State
BODY = "Intro.\n\nThe claim stands.\n\n- a step"


@pytest.fixture
def draft(alice):
    return WriteupFactory(author=alice, title="Counting chips", body=BODY)


def _as(person):
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


def _error(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


# --- Requests -------------------------------------------------------------------------------

def test_api_review_request_create_by_username_or_id(draft, alice, bob, charlie):
    by_name = _as(alice).post("/api/v1/review-requests/", {
        "writeup": draft.pk, "reviewer": "bob", "message": "By Friday?"}, format="json")
    by_id = _as(alice).post("/api/v1/review-requests/", {
        "writeup": draft.pk, "reviewer": charlie.pk}, format="json")

    assert (by_name.status_code, by_id.status_code) == (201, 201)
    body = by_name.json()
    assert {key: body[key] for key in ("writeup", "proposal", "title", "reviewer",
                                       "reviewer_name", "invited_by", "message", "state",
                                       "named")} == {
        "writeup": draft.pk, "proposal": None, "title": "Counting chips", "reviewer": "bob",
        "reviewer_name": "Bob", "invited_by": "alice", "message": "By Friday?",
        "state": "pending", "named": False}
    assert body["url"] == f"http://testserver/reviews/requests/{body['id']}/"
    assert by_id.json()["reviewer"] == "charlie"


@pytest.mark.parametrize(("payload", "fields"), [
    ({"reviewer": "bob"}, ["non_field_errors"]),
    ({"writeup": 1, "proposal": 1, "reviewer": "bob"}, ["non_field_errors"]),
    ({"writeup": 1, "reviewer": "nobody"}, ["reviewer"]),
    ({"writeup": 1, "reviewer": "12"}, ["reviewer"]),
    ({"writeup": 1, "reviewer": 10**30}, ["reviewer"]),
    ({"writeup": 1, "reviewer": True}, ["reviewer"]),
    ({"writeup": 1, "reviewer": "bob", "message": "x" * 2001}, ["message"]),
    ({"writeup": 1, "reviewer": "bob", "message": "a\x07"}, ["message"]),
])
def test_api_review_request_create_refuses_bad_shapes(draft, alice, bob, payload, fields):
    response = _as(alice).post("/api/v1/review-requests/", payload, format="json")

    assert _error(response) == (400, "invalid")
    assert sorted(response.json()["fields"]) == fields


@pytest.mark.parametrize(("case", "expected"), [
    ("self", (400, "reviewer_is_author")),
    ("inactive", (400, "reviewer_inactive")),
    ("twice", (409, "already_invited")),
    ("published", (409, "not_reviewable")),
    ("by_its_reviewer", (403, "not_an_author")),
    ("by_an_outsider", (404, "not_found")),
])
def test_api_review_request_create_refusals_have_their_codes(alice, bob, charlie, case,
                                                             expected):
    draft = WriteupFactory(author=alice, published=case == "published")
    reviewer = {"self": alice, "inactive": UserFactory(username="gone", is_active=False),
                "by_its_reviewer": charlie}.get(case, bob)
    if case in ("twice", "by_its_reviewer"):
        ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    actor = {"by_its_reviewer": bob, "by_an_outsider": charlie}.get(case, alice)

    response = _as(actor).post("/api/v1/review-requests/", {
        "writeup": draft.pk, "reviewer": reviewer.pk}, format="json")

    assert _error(response) == expected
    if expected[1] in ("reviewer_is_author", "reviewer_inactive"):
        assert list(response.json()["fields"]) == ["reviewer"]
    assert ReviewRequest.objects.filter(state=State.PENDING).count() == 0


def test_api_review_request_create_on_a_proposal_by_its_co_author(alice, bob, charlie):
    proposal = ProposalFactory(author=alice, co_authors=[bob])

    response = _as(bob).post("/api/v1/review-requests/", {
        "proposal": proposal.pk, "reviewer": "charlie"}, format="json")

    assert response.status_code == 201
    assert (response.json()["proposal"], response.json()["invited_by"]) == (proposal.pk, "bob")


def test_api_review_requests_list_mine_by_role_and_state(draft, alice, bob, charlie):
    to_bob = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    to_charlie = ReviewRequestFactory(writeup=draft, reviewer=charlie)
    bobs_draft = WriteupFactory(author=bob)
    to_alice = ReviewRequestFactory(writeup=bobs_draft, reviewer=alice)
    ReviewRequestFactory(writeup=WriteupFactory(), reviewer=UserFactory())  # not hers

    def ids(client, **params):
        return [row["id"] for row in client.get("/api/v1/review-requests/", params)
                .json()["results"]]

    assert ids(_as(alice)) == [to_alice.pk, to_charlie.pk, to_bob.pk]
    assert ids(_as(alice), role="reviewer") == [to_alice.pk]
    assert ids(_as(alice), role="author") == [to_charlie.pk, to_bob.pk]
    assert ids(_as(alice), role="author", state="pending") == [to_charlie.pk]
    assert ids(_as(bob)) == [to_alice.pk, to_bob.pk]
    assert _as(None).get("/api/v1/review-requests/").status_code == 401


@pytest.mark.parametrize(("who", "status"), [
    ("reviewer", 200), ("author", 200), ("outsider", 404), ("moderator", 404)])
def test_api_review_request_detail_for_its_people_only(draft, bob, charlie, moderator, alice,
                                                       who, status):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    person = {"reviewer": bob, "author": alice, "outsider": charlie,
              "moderator": moderator}[who]

    assert _as(person).get(f"/api/v1/review-requests/{review_request.pk}/").status_code == \
        status


@pytest.mark.parametrize(("action", "who", "expected"), [
    ("accept", "reviewer", 200), ("accept", "author", (403, "not_a_reviewer")),
    ("accept", "outsider", (404, "not_found")),
    ("decline", "reviewer", 200), ("decline", "author", (403, "not_a_reviewer")),
    ("withdraw", "author", 200), ("withdraw", "reviewer", (403, "not_an_author")),
    ("withdraw", "outsider", (404, "not_found")),
    ("finish", "reviewer", (409, "request_not_accepted")),
])
def test_api_review_request_actions_by_who(draft, alice, bob, charlie, action, who, expected):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    person = {"reviewer": bob, "author": alice, "outsider": charlie}[who]

    response = _as(person).post(f"/api/v1/review-requests/{review_request.pk}/{action}/",
                                {}, format="json")

    if expected == 200:
        assert response.status_code == 200
        assert response.json()["state"] == {"accept": "accepted", "decline": "declined",
                                            "withdraw": "withdrawn"}[action]
    else:
        assert _error(response) == expected


def test_api_review_request_answer_twice_is_request_not_pending(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.DECLINED)

    assert _error(_as(bob).post(f"/api/v1/review-requests/{review_request.pk}/accept/")) == (
        409, "request_not_pending")


def test_api_review_request_finish_with_named(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)

    response = _as(bob).post(f"/api/v1/review-requests/{review_request.pk}/finish/",
                             {"named": True}, format="json")

    assert (response.status_code, response.json()["state"], response.json()["named"]) == (
        200, "finished", True)


# --- Review comments ------------------------------------------------------------------------

@pytest.fixture
def reviewing(draft, bob):
    return ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)


def test_api_review_blocks_give_the_anchors_of_the_current_version(draft, bob, reviewing):
    response = _as(bob).get("/api/v1/review-blocks/", {"writeup": draft.pk})

    assert response.json() == {"version": draft.version, "blocks": [
        {"anchor": anchors.digest(words), "text": words, "tag": tag}
        for words, tag in (("Intro.", "p"), ("The claim stands.", "p"), ("a step", "li"))]}


def test_api_review_comment_create_under_a_request_and_on_the_draft(draft, alice, bob,
                                                                    reviewing):
    anchor = anchors.digest("The claim stands.")

    first = _as(bob).post(f"/api/v1/review-requests/{reviewing.pk}/comments/", {
        "anchor": anchor, "body": "Source?", "version": draft.version}, format="json")
    second = _as(bob).post("/api/v1/review-comments/", {
        "writeup": draft.pk, "body": "Overall fine."}, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert {key: first.json()[key] for key in ("request", "author", "author_name", "version",
                                                "anchor", "anchor_text", "body_html", "state",
                                                "resolved_by")} == {
        "request": reviewing.pk, "author": "bob", "author_name": "Bob",
        "version": draft.version, "anchor": anchor, "anchor_text": "The claim stands.",
        "body_html": "<p>Source?</p>\n", "state": "open", "resolved_by": None}
    assert second.json()["anchor"] == ""
    listed = _as(alice).get("/api/v1/review-comments/", {"writeup": draft.pk}).json()
    assert [row["body"] for row in listed["results"]] == ["Source?", "Overall fine."]
    mine = _as(bob).get(f"/api/v1/review-requests/{reviewing.pk}/comments/").json()
    assert mine["count"] == 2


def test_api_review_comment_on_an_earlier_version_says_so(draft, alice, bob, reviewing):
    review_comment(reviewing, anchor=anchors.digest("The claim stands."))
    services.writeup_update(writeup=draft, editor=alice, body="Intro.\n\nA new claim.")

    rows = _as(alice).get("/api/v1/review-comments/", {"writeup": draft.pk}).json()["results"]

    assert [(row["version"], row["on_current_version"]) for row in rows] == [(1, False)]


@pytest.mark.parametrize(("payload", "expected"), [
    ({"anchor": "0" * 64, "body": "x"}, (400, "anchor_not_found")),
    ({"body": "x", "version": 99}, (409, "stale_version")),
    ({"body": ""}, (400, "invalid")),
    ({"body": "x" * 10_001}, (400, "invalid")),
])
def test_api_review_comment_refusals_have_their_codes(draft, bob, reviewing, payload,
                                                      expected):
    response = _as(bob).post(f"/api/v1/review-requests/{reviewing.pk}/comments/", payload,
                             format="json")

    assert _error(response) == expected
    if expected[1] == "stale_version":
        assert response.json()["current_version"] == draft.version
    assert ReviewComment.objects.count() == 0


def test_api_review_comment_by_an_author_is_not_a_reviewer(draft, alice, reviewing):
    response = _as(alice).post("/api/v1/review-comments/", {"writeup": draft.pk, "body": "x"},
                               format="json")

    assert _error(response) == (403, "not_a_reviewer")


@pytest.mark.parametrize("state", [State.PENDING, State.DECLINED, State.WITHDRAWN])
def test_api_review_comments_are_404_to_a_reviewer_who_does_not_read(draft, bob, state):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=state)
    client = _as(bob)

    assert client.get(f"/api/v1/review-requests/{review_request.pk}/").status_code == 200
    assert client.get(f"/api/v1/review-requests/{review_request.pk}/comments/").status_code \
        == 404
    assert client.post(f"/api/v1/review-requests/{review_request.pk}/comments/",
                       {"body": "x"}, format="json").status_code == 404
    assert client.get("/api/v1/review-comments/", {"writeup": draft.pk}).status_code == 404
    assert client.get("/api/v1/review-blocks/", {"writeup": draft.pk}).status_code == 404


def test_api_review_comment_by_a_finished_reviewer_is_request_not_accepted(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.FINISHED)

    response = _as(bob).post(f"/api/v1/review-requests/{review_request.pk}/comments/",
                             {"body": "x"}, format="json")

    assert _error(response) == (409, "request_not_accepted")
    assert _as(bob).get("/api/v1/review-comments/", {"writeup": draft.pk}).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "moderator"])
def test_api_review_comments_of_a_published_writeup_stay_private(draft, alice, reviewing,
                                                                 charlie, moderator, who):
    comment = review_comment(reviewing)
    services.writeup_publish(writeup=draft, actor=alice)
    client = _as({"outsider": charlie, "moderator": moderator}[who])

    assert client.get("/api/v1/review-comments/", {"writeup": draft.pk}).status_code == 404
    assert client.post(f"/api/v1/review-comments/{comment.pk}/resolve/").status_code == 404
    assert client.get(f"/api/v1/review-requests/{reviewing.pk}/").status_code == 404


def test_api_review_comment_resolve_and_reopen(draft, alice, bob, reviewing):
    comment = review_comment(reviewing)

    assert _error(_as(bob).post(f"/api/v1/review-comments/{comment.pk}/resolve/")) == (
        403, "not_an_author")
    resolved = _as(alice).post(f"/api/v1/review-comments/{comment.pk}/resolve/")
    assert (resolved.status_code, resolved.json()["state"], resolved.json()["resolved_by"]) == (
        200, "resolved", "alice")
    assert _error(_as(alice).post(f"/api/v1/review-comments/{comment.pk}/resolve/")) == (
        409, "invalid_transition")
    reopened = _as(alice).post(f"/api/v1/review-comments/{comment.pk}/reopen/")
    assert (reopened.json()["state"], reopened.json()["resolved_by"]) == ("open", None)
    assert _error(_as(alice).post("/api/v1/review-comments/999999/resolve/")) == (
        404, "not_found")


@pytest.mark.parametrize("params", [{}, {"writeup": 1, "proposal": 1}, {"writeup": "x"},
                                    {"writeup": 10**30}])
def test_api_review_comments_list_needs_exactly_one_target(alice, params):
    assert _error(_as(alice).get("/api/v1/review-comments/", params)) == (400, "invalid")


# --- Suggestions ----------------------------------------------------------------------------

def test_api_review_suggestions_for_the_authors_with_why(alice, bob, charlie):
    topic = TopicFactory(title="Compute accounting")
    draft = WriteupFactory(author=alice, topic=topic)
    WriteupFactory(author=charlie, topic=topic, published=True)
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)

    response = _as(alice).get("/api/v1/review-suggestions/", {"writeup": draft.pk})

    assert response.json() == [{"id": charlie.pk, "username": "charlie", "name": "Charlie",
                                "reason": "published on Compute accounting"}]
    assert _error(_as(bob).get("/api/v1/review-suggestions/", {"writeup": draft.pk})) == (
        403, "not_an_author")
    assert _error(_as(charlie).get("/api/v1/review-suggestions/", {"writeup": draft.pk})) == (
        404, "not_found")


@pytest.mark.parametrize("address", ["/api/v1/review-comments/true/resolve/",
                                     "/api/v1/review-comments/99999999999999999999/reopen/",
                                     "/api/v1/review-requests/x/accept/",
                                     "/api/v1/review-requests/99999999999999999999/"])
def test_api_review_ids_that_are_no_ids_are_a_json_404(alice, address):
    client = _as(alice)
    response = client.post(address) if address.endswith("/resolve/") or address.endswith(
        ("/reopen/", "/accept/")) else client.get(address)

    assert _error(response) == (404, "not_found")
