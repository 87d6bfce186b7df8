"""The discussion's API: threads (paged, with replies, by aspect), posting, one comment with
its ETag (PATCH with If-Match, DELETE to a tombstone), versions, my mentions, and the stored
counts in the writeup and proposal lists. Refusals in the documented shape with stable
codes."""

import pytest

from registry.feedback.models import Comment
from registry.feedback.services import comments as services
from registry.moderation.services import content_hide
from tests.factories import WriteupFactory
from tests.feedback.factories import CommentFactory


def test_thread_api_lists_top_level_comments_with_their_replies(api, writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob, body="A *question*.")
    reply = CommentFactory(target=writeup, author=charlie, parent=top, body="An answer.")

    response = api.get(f"/api/v1/writeups/{writeup.pk}/comments/")

    body = response.json()
    assert (response.status_code, body["count"], body["next"]) == (200, 1, None)
    (item,) = body["results"]
    assert item == {
        "id": top.pk, "writeup": writeup.pk, "proposal": None, "parent": None,
        "author": "bob", "author_name": "Bob", "aspect": "", "body": "A *question*.",
        "body_html": "<p>A <em>question</em>.</p>\n", "language": "", "hidden": False,
        "deleted": False,
        "version": 1, "created_at": top.created_at.isoformat().replace("+00:00", "Z"),
        "edited_at": None, "url": f"http://testserver/comments/{top.pk}/",
        "replies": [{
            "id": reply.pk, "writeup": writeup.pk, "proposal": None, "parent": top.pk,
            "author": "charlie", "author_name": "Charlie", "aspect": "", "body": "An answer.",
            "body_html": "<p>An answer.</p>\n", "language": "", "hidden": False,
            "deleted": False,
            "version": 1, "created_at": reply.created_at.isoformat().replace("+00:00", "Z"),
            "edited_at": None, "url": f"http://testserver/comments/{reply.pk}/"}],
    }


def test_thread_api_pages_fifty_at_a_time(api, writeup, bob):
    for i in range(51):
        CommentFactory(target=writeup, author=bob, body=f"n{i}")
    first = api.get(f"/api/v1/writeups/{writeup.pk}/comments/").json()
    second = api.get(f"/api/v1/writeups/{writeup.pk}/comments/?page=2").json()
    assert (first["count"], len(first["results"]), [c["body"] for c in second["results"]]) == (
        51, 50, ["n50"])


def test_thread_api_by_aspect_on_a_proposal(api, proposal, bob):
    CommentFactory(target=proposal, author=bob, aspect="steps", body="Step two is vague.")
    CommentFactory(target=proposal, author=bob, body="Overall fine.")

    body = api.get(f"/api/v1/proposals/{proposal.pk}/comments/?aspect=steps").json()

    assert [(c["aspect"], c["body"]) for c in body["results"]] == [
        ("steps", "Step two is vague.")]


def test_thread_api_aspect_on_a_writeup_refused(api, writeup):
    response = api.get(f"/api/v1/writeups/{writeup.pk}/comments/?aspect=ask")
    assert (response.status_code, response.json()["code"], list(response.json()["fields"])) == (
        400, "aspect_not_allowed", ["aspect"])


def test_thread_api_of_a_draft_is_not_found(api, api_as, alice):
    draft = WriteupFactory(author=alice)
    assert api.get(f"/api/v1/writeups/{draft.pk}/comments/").status_code == 404
    assert api_as(alice).get(f"/api/v1/writeups/{draft.pk}/comments/").status_code == 404


def test_comment_api_post_answers_201_with_an_etag(api_as, writeup, bob):
    response = api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/",
                                {"body": "Hello."}, format="json")

    comment = Comment.objects.get()
    assert (response.status_code, response["ETag"], response.json()["id"]) == (
        201, '"1"', comment.pk)


def test_comment_api_post_anonymous_refused(api, writeup):
    response = api.post(f"/api/v1/writeups/{writeup.pk}/comments/", {"body": "Hi."},
                        format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(("data", "status", "code", "fields"), [
    ({"body": ""}, 400, "invalid", ["body"]),
    ({"body": "x" * 10_001}, 400, "invalid", ["body"]),
    ({"body": "On the ask.", "aspect": "ask"}, 400, "aspect_not_allowed", ["aspect"]),
    ({"body": "Hi.", "parent": 999999}, 400, "invalid", ["parent"]),
])
def test_comment_api_post_refusals_name_the_field(api_as, writeup, bob, data, status, code,
                                                  fields):
    response = api_as(bob).post(f"/api/v1/writeups/{writeup.pk}/comments/", data,
                                format="json")
    assert (response.status_code, response.json()["code"],
            sorted(response.json()["fields"])) == (status, code, fields)


def test_comment_api_reply_to_a_reply_joins_the_top(api_as, proposal, bob, charlie):
    top = CommentFactory(target=proposal, author=bob, aspect="owner")
    reply = CommentFactory(target=proposal, author=charlie, parent=top)

    response = api_as(bob).post(f"/api/v1/proposals/{proposal.pk}/comments/",
                                {"body": "Agreed.", "parent": reply.pk}, format="json")

    assert (response.status_code, response.json()["parent"], response.json()["aspect"]) == (
        201, top.pk, "owner")


def test_comment_api_post_on_a_hidden_writeup_is_a_conflict_for_its_author(
        api_as, writeup, alice, moderator):
    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="Spam.")
    response = api_as(alice).post(f"/api/v1/writeups/{writeup.pk}/comments/",
                                  {"body": "But why?"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "not_commentable")


def test_comment_api_edit_with_if_match(api_as, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="One.")
    api = api_as(bob)
    assert api.get(f"/api/v1/comments/{comment.pk}/")["ETag"] == '"1"'

    response = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Two."}, format="json",
                         HTTP_IF_MATCH='"1"')
    stale = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Three."}, format="json",
                      HTTP_IF_MATCH='"1"')

    assert (response.status_code, response["ETag"], response.json()["body"]) == (
        200, '"2"', "Two.")
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert Comment.objects.get(pk=comment.pk).body == "Two."


def test_comment_api_edit_by_someone_else_refused(api_as, writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob)
    response = api_as(charlie).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Mine."},
                                     format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_comment_author")


def test_comment_api_delete_leaves_a_tombstone_then_conflicts(api_as, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Oops.")
    api = api_as(bob)

    assert api.delete(f"/api/v1/comments/{comment.pk}/").status_code == 204
    shown = api.get(f"/api/v1/comments/{comment.pk}/").json()
    again = api.delete(f"/api/v1/comments/{comment.pk}/")
    edit = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Back."}, format="json")

    assert (shown["deleted"], shown["body"], shown["author"]) == (True, "", None)
    assert (again.status_code, again.json()["code"]) == (409, "comment_deleted")
    assert (edit.status_code, edit.json()["code"]) == (409, "comment_deleted")


def test_comment_api_hidden_comment_shows_others_no_text(api, api_as, writeup, bob,
                                                         moderator):
    comment = CommentFactory(target=writeup, author=bob, body="Rude.")
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Rude.")

    others = api.get(f"/api/v1/comments/{comment.pk}/").json()
    author = api_as(bob).get(f"/api/v1/comments/{comment.pk}/").json()

    assert (others["hidden"], others["body"], others["author"]) == (True, "", None)
    assert (author["hidden"], author["body"], author["author"]) == (True, "Rude.", "bob")


def test_comment_api_versions_and_a_deleted_ones_for_moderators(api, api_as, writeup, bob,
                                                                moderator):
    comment = CommentFactory(target=writeup, author=bob, body="One.")
    services.comment_update(comment=comment, editor=bob, body="Two.")

    listed = api.get(f"/api/v1/comments/{comment.pk}/versions/").json()
    services.comment_delete(comment=comment, actor=bob)

    assert [(v["number"], v["body"]) for v in listed] == [(2, "Two."), (1, "One.")]
    assert api_as(bob).get(f"/api/v1/comments/{comment.pk}/versions/").status_code == 404
    assert api_as(moderator).get(f"/api/v1/comments/{comment.pk}/versions/").status_code == 200


def test_my_mentions_api_lists_what_i_may_still_see(api_as, writeup, bob, charlie, moderator):
    kept = services.comment_create(target=writeup, author=bob, body="cc @charlie")
    gone = services.comment_create(target=writeup, author=bob, body="and @charlie again")
    hidden = services.comment_create(target=writeup, author=bob, body="@charlie, rudely")
    services.comment_delete(comment=gone, actor=bob)
    content_hide(moderator=moderator, target_type="comment", obj=hidden, reason="Rude.")

    body = api_as(charlie).get("/api/v1/me/mentions/").json()

    assert [(m["comment"]["id"], m["title"], m["notified"]) for m in body["results"]] == [
        (kept.pk, "On verification", True)]


def test_my_mentions_api_needs_a_person(api):
    assert api.get("/api/v1/me/mentions/").status_code == 401


def test_writeup_and_proposal_lists_carry_the_stored_comment_count(api, writeup, proposal,
                                                                   bob):
    CommentFactory(target=writeup, author=bob)
    CommentFactory(target=proposal, author=bob)
    CommentFactory(target=proposal, author=bob)

    writeups = api.get("/api/v1/writeups/").json()["results"]
    proposals = api.get("/api/v1/proposals/").json()["results"]

    assert [(w["id"], w["comment_count"]) for w in writeups] == [(writeup.pk, 1)]
    assert [(p["id"], p["comment_count"]) for p in proposals] == [(proposal.pk, 2)]
