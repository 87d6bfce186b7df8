"""The discussion's pages: the thread under a writeup or proposal (paged, filtered by aspect,
with the buttons each person may use), posting and replying, editing with the version it was
loaded at, tombstones, hidden comments, versions, reports and the rate limit."""

import re

import pytest

from registry.feedback.models import Comment
from registry.feedback.services import comments as services
from registry.moderation.models import Report
from registry.moderation.services import content_hide
from tests.factories import ProposalFactory, ReportFactory, WriteupFactory
from tests.feedback.factories import CommentFactory


def _thread(response) -> str:
    html = response.content.decode()
    return html[html.index('id="comments"'):html.index("</section>", html.index('id="comments"'))]


def _labels(html) -> list[str]:
    """The actions offered on the thread's comments, in order."""
    return re.findall(r'>(Edit|Delete|Report|Reply|Hide \(moderators\)|Unhide \(moderators\))<',
                      html)


def test_thread_shows_name_time_body_and_count(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Good **point**.")

    thread = _thread(client.get(f"/writeups/{writeup.pk}/"))

    assert "Discussion <small>1 comment</small>" in thread
    assert '<a href="/people/bob/">Bob</a>' in thread
    assert f'<a href="#comment-{comment.pk}"><time datetime=' in thread
    assert "<p>Good <strong>point</strong>.</p>" in thread
    assert "edited" not in thread


def test_thread_absent_from_a_draft(client, alice):
    draft = WriteupFactory(author=alice)
    client.force_login(alice)
    page = client.get(f"/writeups/{draft.pk}/").content.decode()
    assert 'id="comments"' not in page


def test_thread_asks_visitors_to_log_in_and_offers_them_no_form(client, proposal):
    thread = _thread(client.get(f"/proposals/{proposal.pk}/"))
    assert f'<a href="/accounts/login/?next=/proposals/{proposal.pk}/">Log in</a> to join' in thread
    assert "<form" not in thread


@pytest.mark.parametrize(("who", "expected"), [
    ("alice", ["Report", "Reply", "Report", "Reply"]),
    ("bob", ["Edit", "Delete", "Reply", "Report", "Reply"]),
    ("moderator", ["Delete", "Report", "Hide (moderators)", "Reply",
                   "Delete", "Report", "Hide (moderators)", "Reply"]),
])
def test_thread_offers_each_person_the_buttons_they_may_use(client, writeup, alice, bob,
                                                            charlie, moderator, who, expected):
    top = CommentFactory(target=writeup, author=bob)
    CommentFactory(target=writeup, author=charlie, parent=top)
    client.force_login({"alice": alice, "bob": bob, "moderator": moderator}[who])

    assert _labels(_thread(client.get(f"/writeups/{writeup.pk}/"))) == expected


def test_comment_post_redirects_to_it_in_the_thread(client, writeup, bob):
    client.force_login(bob)

    response = client.post(f"/writeups/{writeup.pk}/comments/", {"body": "First!"})

    comment = Comment.objects.get()
    assert (response.status_code, response["Location"]) == (
        302, f"/writeups/{writeup.pk}/#comment-{comment.pk}")
    assert "Discussion <small>1 comment</small>" in _thread(client.get(response["Location"]))


def test_comment_reply_posted_from_the_thread(client, writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob)
    client.force_login(charlie)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "A reply.", "parent": top.pk})

    assert response.status_code == 302
    assert Comment.objects.get(body="A reply.").parent_id == top.pk


@pytest.mark.parametrize(("body", "message"), [
    ("   ", "This field is required."),
    ("Bell\x07 rings", "Your comment: Contains the control character U+0007"),
])
def test_comment_refused_keeps_what_was_typed(client, writeup, bob, body, message):
    client.force_login(bob)

    response = client.post(f"/writeups/{writeup.pk}/comments/", {"body": body})

    assert response.status_code == 400
    assert response.context["form"]["body"].value() == body
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_comment_reply_to_a_deleted_comment_refused_at_409_keeping_the_text(client, writeup,
                                                                           bob, charlie):
    top = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=top, actor=bob)
    client.force_login(charlie)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "Too late.", "parent": top.pk})

    assert response.status_code == 409
    assert response.context["form"]["body"].value() == "Too late."
    assert "This comment was deleted, so it takes no replies." in response.content.decode()


def test_comment_aspect_on_a_writeup_is_not_offered(client, writeup, proposal, bob):
    client.force_login(bob)
    assert 'name="aspect"' not in _thread(client.get(f"/writeups/{writeup.pk}/"))
    assert 'name="aspect"' in _thread(client.get(f"/proposals/{proposal.pk}/"))


def test_comment_reply_page_without_javascript_quotes_the_comment(client, writeup, bob,
                                                                  charlie):
    top = CommentFactory(target=writeup, author=bob, body="Which data?")
    client.force_login(charlie)

    response = client.get(f"/writeups/{writeup.pk}/comments/?parent={top.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<p>Which data?</p>" in page
    assert f'name="parent" value="{top.pk}"' in page


def test_thread_filtered_by_aspect_with_labels(client, proposal, bob, charlie):
    ask = CommentFactory(target=proposal, author=bob, aspect="ask", body="About the ask.")
    CommentFactory(target=proposal, author=charlie, aspect="owner", body="About the owner.")
    CommentFactory(target=proposal, author=charlie, parent=ask, body="Reply on the ask.")

    thread = _thread(client.get(f"/proposals/{proposal.pk}/?aspect=ask"))

    assert "About the ask." in thread and "Reply on the ask." in thread
    assert "About the owner." not in thread
    assert '<span class="badge badge-aspect">on the ask</span>' in thread
    assert '<strong aria-current="true">on the ask</strong>' in thread


def test_thread_pages_fifty_top_level_comments_and_the_permalink_finds_the_page(
        client, writeup, bob, charlie):
    comments = [CommentFactory(target=writeup, author=bob, body=f"Number {i}.")
                for i in range(51)]
    reply = CommentFactory(target=writeup, author=charlie, parent=comments[50], body="Late.")

    first = _thread(client.get(f"/writeups/{writeup.pk}/"))
    second = _thread(client.get(f"/writeups/{writeup.pk}/?page=2"))

    assert ("Number 0." in first, "Number 49." in first, "Number 50." in first) == (
        True, True, False)
    assert ("Number 50." in second, "Late." in second, "Page 2 of 2" in second) == (
        True, True, True)
    response = client.get(f"/comments/{reply.pk}/")
    assert response["Location"] == f"/writeups/{writeup.pk}/?page=2#comment-{reply.pk}"


# --- Editing ----------------------------------------------------------------------------------

def test_comment_edit_saves_a_version_and_shows_edited(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Frist.")
    client.force_login(bob)
    form = client.get(f"/comments/{comment.pk}/edit/")
    assert form.context["form"]["version"].value() == 1

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "First.", "version": 1})

    assert response.status_code == 302
    thread = _thread(client.get(f"/writeups/{writeup.pk}/"))
    assert f'<a href="/comments/{comment.pk}/versions/">edited</a>' in thread
    versions = client.get(f"/comments/{comment.pk}/versions/").content.decode()
    assert versions.index("<p>First.</p>") < versions.index("<p>Frist.</p>")


def test_comment_edit_stale_keeps_the_typing_and_offers_to_save_over(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="One.")
    services.comment_update(comment=comment, editor=bob, body="Two (from the API).")
    client.force_login(bob)

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Three.", "version": 1})

    assert response.status_code == 412
    form = response.context["form"]
    assert (form["body"].value(), form["version"].value()) == ("Three.", "2")
    assert "Save again to replace their change with yours" in response.content.decode()
    again = client.post(f"/comments/{comment.pk}/edit/", {"body": "Three.", "version": 2})
    assert again.status_code == 302
    assert Comment.objects.get(pk=comment.pk).body == "Three."


def test_comment_edit_by_someone_else_forbidden(client, writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob)
    client.force_login(charlie)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit/",
                       {"body": "Mine now.", "version": 1}).status_code == 403


def test_comment_edit_of_a_deleted_comment_is_a_conflict(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=comment, actor=bob)
    client.force_login(bob)

    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 409
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Back.", "version": 1})
    assert response.status_code == 409
    assert response.context["form"]["body"].value() == "Back."


# --- Deleting and hiding ----------------------------------------------------------------------

def test_comment_delete_leaves_a_tombstone_and_the_replies(client, writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob, body="Regrettable.")
    CommentFactory(target=writeup, author=charlie, parent=top, body="Still here.")
    client.force_login(bob)

    response = client.post(f"/comments/{top.pk}/delete/")

    assert response["Location"] == f"/writeups/{writeup.pk}/#comment-{top.pk}"
    thread = _thread(client.get(f"/writeups/{writeup.pk}/"))
    assert "comment deleted" in thread and "Still here." in thread
    assert "Regrettable." not in thread
    assert "Discussion <small>1 comment</small>" in thread


def test_comment_delete_twice_is_a_conflict(client, writeup, bob):
    comment = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=comment, actor=bob)
    client.force_login(bob)
    response = client.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 409
    assert "This comment is already deleted." in response.content.decode()


def test_comment_delete_by_someone_else_forbidden(client, writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob)
    client.force_login(charlie)
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403


def test_comment_versions_of_a_deleted_comment_for_moderators_only(client, writeup, bob,
                                                                   moderator):
    comment = CommentFactory(target=writeup, author=bob, body="Said once.")
    services.comment_delete(comment=comment, actor=bob)
    client.force_login(bob)
    assert client.get(f"/comments/{comment.pk}/versions/").status_code == 404
    client.force_login(moderator)
    response = client.get(f"/comments/{comment.pk}/versions/")
    assert response.status_code == 200
    assert "<p>Said once.</p>" in response.content.decode()


def test_comment_hidden_shows_others_a_notice_and_its_author_the_whole(client, writeup, bob,
                                                                       charlie, moderator):
    top = CommentFactory(target=writeup, author=bob, body="Rude words.")
    CommentFactory(target=writeup, author=charlie, parent=top, body="Calm down.")
    content_hide(moderator=moderator, target_type="comment", obj=top, reason="Rude.")

    for viewer in (None, charlie):
        if viewer:
            client.force_login(viewer)
        thread = _thread(client.get(f"/writeups/{writeup.pk}/"))
        assert "This comment was hidden by the moderators." in thread
        assert ("Rude words." in thread, "Calm down." in thread) == (False, True)
    for viewer in (bob, moderator):
        client.force_login(viewer)
        thread = _thread(client.get(f"/writeups/{writeup.pk}/"))
        assert ("Rude words." in thread, "Hidden by a moderator: Rude." in thread) == (True, True)
    assert client.get(f"/comments/{top.pk}/versions/").status_code == 200
    client.force_login(charlie)
    assert client.get(f"/comments/{top.pk}/versions/").status_code == 404


def test_comment_report_page_makes_the_report_and_returns_to_the_thread(client, writeup, bob,
                                                                        charlie):
    comment = CommentFactory(target=writeup, author=bob, body="Buy cheap pills")
    client.force_login(charlie)

    page = client.get(f"/report/comment/{comment.pk}/").content.decode()
    response = client.post(f"/report/comment/{comment.pk}/", {"reason": "spam", "note": ""})

    assert "Buy cheap pills (on On verification)" in page
    assert (response.status_code, response["Location"]) == (302, f"/comments/{comment.pk}/")
    assert Report.objects.filter(target_type="comment", target_id=comment.pk).count() == 1


def test_moderation_queue_names_a_reported_comment_and_links_its_thread(client, writeup, bob,
                                                                        charlie, moderator):
    comment = CommentFactory(target=writeup, author=bob, body="Buy cheap pills now")
    ReportFactory(reporter=charlie, target_type="comment", target_id=comment.pk)
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Spam.")
    client.force_login(moderator)

    page = client.get("/moderation/").content.decode()

    link = f'<a href="/comments/{comment.pk}/">Buy cheap pills now (on On verification)</a>'
    assert page.count(link) == 3  # the open report, hidden now, and the log


def test_comment_hide_from_the_thread_by_a_moderator(client, writeup, bob, moderator):
    comment = CommentFactory(target=writeup, author=bob)
    client.force_login(moderator)
    response = client.post(f"/moderation/comment/{comment.pk}/hide/", {"reason": "Off topic."})
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden is True


# --- Counts and limits --------------------------------------------------------------------

def test_comment_counts_on_the_topic_page_and_the_board(client, writeup, alice, bob):
    proposal = ProposalFactory(author=alice, topic=writeup.topic)
    CommentFactory(target=writeup, author=bob)
    CommentFactory(target=proposal, author=bob)
    CommentFactory(target=proposal, author=bob)

    topic_page = client.get(writeup.topic.get_absolute_url()).content.decode()
    board = client.get("/proposals/").content.decode()

    assert f'<a href="/writeups/{writeup.pk}/#comments">1 comment</a>' in topic_page
    assert f'<a href="/proposals/{proposal.pk}/#comments">2 comments</a>' in topic_page
    assert f'<dt>Comments</dt><dd><a href="/proposals/{proposal.pk}/#comments">2</a></dd>' in board


def test_comment_posting_and_editing_share_the_posting_budget_with_the_api(
        client, api_as, writeup, bob, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {**SimpleRateThrottle.THROTTLE_RATES, "post": "3/hour"})
    client.force_login(bob)
    api = api_as(bob)

    statuses = [
        client.post(f"/writeups/{writeup.pk}/comments/", {"body": "One."}).status_code,
        api.post(f"/api/v1/writeups/{writeup.pk}/comments/", {"body": "Two."},
                 format="json").status_code,
        api.patch(f"/api/v1/comments/{Comment.objects.get(body='One.').pk}/",
                  {"body": "One, edited."}, format="json").status_code,
        client.post(f"/writeups/{writeup.pk}/comments/", {"body": "Four."}).status_code,
        api.post(f"/api/v1/writeups/{writeup.pk}/comments/", {"body": "Five."},
                 format="json").status_code,
    ]

    assert statuses == [302, 201, 200, 429, 429]
    assert Comment.objects.count() == 2


def test_thread_filtered_by_aspect_starts_a_new_comment_about_it(client, proposal, bob):
    client.force_login(bob)
    response = client.get(f"/proposals/{proposal.pk}/?aspect=steps")
    assert '<option value="steps" selected>on the steps</option>' in _thread(response)


def test_comment_reply_page_on_a_proposal_asks_no_aspect(client, proposal, bob, charlie):
    top = CommentFactory(target=proposal, author=bob, aspect="owner")
    client.force_login(charlie)

    page = client.get(f"/proposals/{proposal.pk}/comments/?parent={top.pk}").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/comments/",
                           {"body": "Agreed.", "parent": top.pk, "aspect": "ask"})

    assert 'name="aspect"' not in page
    assert response.status_code == 302
    assert Comment.objects.get(body="Agreed.").aspect == "owner"


def test_comment_reply_to_another_discussion_says_so(client, writeup, bob, charlie):
    elsewhere = CommentFactory(author=bob)
    client.force_login(charlie)

    response = client.post(f"/writeups/{writeup.pk}/comments/",
                           {"body": "Lost.", "parent": elsewhere.pk})

    assert response.status_code == 400
    assert "That comment is not in this discussion." in response.content.decode()


def test_thread_reply_forms_each_carry_their_own_comment(client, writeup, bob, charlie):
    first = CommentFactory(target=writeup, author=bob, body="First.")
    reply = CommentFactory(target=writeup, author=charlie, parent=first, body="A reply.")
    second = CommentFactory(target=writeup, author=bob, body="Second.")
    client.force_login(charlie)

    thread = _thread(client.get(f"/writeups/{writeup.pk}/"))

    forms = re.findall(r'<details class="reply-form">.*?</details>', thread, re.S)
    expected = [first.pk, reply.pk, second.pk]
    assert [re.findall(r'name="parent" value="(\d+)"', form) for form in forms] == [
        [str(pk)] for pk in expected]
    assert [re.findall(r'id="(reply-\d+-\w+)"', form) for form in forms] == [
        [f"reply-{pk}-body", f"reply-{pk}-language"] for pk in expected]
    assert all(form.count('name="csrfmiddlewaretoken"') == 1 for form in forms)
    assert "__reply_parent__" not in thread
