"""The discussion's services: posting, replies, aspects, edits with versions, tombstones,
the stored counts (through every door, moderation's included) and their reconcile."""

import logging

import pytest

from proposals.models import Proposal
from registry.core.errors import NotAllowed, StaleVersion, ValidationFailed
from registry.discovery import periodic
from registry.feedback.comment_errors import (
    AspectNotAllowed,
    CommentDeleted,
    CommentHidden,
    NotCommentable,
    NotCommentAuthor,
)
from registry.feedback.models import Comment
from registry.feedback.selectors.comments import comment_count_drift
from registry.feedback.services import comments as services
from registry.models import Writeup
from registry.moderation.services import content_hide, content_unhide
from registry.notifications.models import Follow
from registry.selectors import site_version
from tests.factories import ReportFactory, UserFactory, WriteupFactory
from tests.feedback.factories import CommentFactory


def _count(target) -> int:
    return type(target).objects.values_list("comment_count", flat=True).get(pk=target.pk)


def _stored(comment):
    return Comment.objects.values_list("body", "body_html", "version", "deleted_at").get(
        pk=comment.pk)


def test_comment_create_on_a_published_writeup_stores_renders_counts_and_follows(writeup, bob):
    comment = services.comment_create(target=writeup, author=bob, body="Nice *work*.")

    assert (comment.body, comment.body_html, comment.version) == (
        "Nice *work*.", "<p>Nice <em>work</em>.</p>\n", 1)
    assert list(comment.versions.values_list("number", "body", "body_html")) == [
        (1, "Nice *work*.", "<p>Nice <em>work</em>.</p>\n")]
    assert _count(writeup) == 1
    assert Follow.objects.filter(person=bob, writeup=writeup).count() == 1


def test_comment_create_moves_the_site_version(writeup, bob):
    before = int(site_version())

    CommentFactory(target=writeup, author=bob)

    assert int(site_version()) > before


def test_comment_create_on_a_draft_refused(alice):
    draft = WriteupFactory(author=alice)
    with pytest.raises(NotCommentable) as refused:
        services.comment_create(target=draft, author=alice, body="Note to self.")
    assert (refused.value.status, refused.value.code) == (409, "not_commentable")
    assert Comment.objects.count() == 0


def test_comment_create_on_a_hidden_writeup_refused(writeup, moderator):
    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="Spam.")
    writeup.refresh_from_db()
    with pytest.raises(NotCommentable):
        services.comment_create(target=writeup, author=moderator, body="Why?")


def test_comment_create_anonymous_refused(writeup):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.comment_create(target=writeup, author=AnonymousUser(), body="Hi.")


@pytest.mark.parametrize(("body", "message"), [
    ("", "This field is required."),
    ("   \n ", "This field is required."),
    ("x" * 10_001, "Keep this to 10,000 characters or fewer (it has 10,001)."),
    ("bell\x07", "Contains the control character U+0007, which is not allowed. Remove it and "
                 "try again."),
])
def test_comment_create_bad_body_refused_naming_the_field(writeup, bob, body, message):
    with pytest.raises(ValidationFailed) as refused:
        services.comment_create(target=writeup, author=bob, body=body)
    assert (refused.value.code, refused.value.fields) == ("invalid", {"body": [message]})
    assert _count(writeup) == 0


def test_comment_create_body_at_the_limit_accepted(writeup, bob):
    comment = services.comment_create(target=writeup, author=bob, body="y" * 10_000)
    assert len(comment.body) == 10_000


def test_comment_create_aspect_on_a_writeup_refused_naming_the_field(writeup, bob):
    with pytest.raises(AspectNotAllowed) as refused:
        services.comment_create(target=writeup, author=bob, body="On the ask.", aspect="ask")
    assert (refused.value.status, refused.value.code, refused.value.fields) == (
        400, "aspect_not_allowed",
        {"aspect": ["Only a comment on a proposal can be about its ask, steps or owner."]})


def test_comment_create_unknown_aspect_refused(proposal, bob):
    with pytest.raises(ValidationFailed) as refused:
        services.comment_create(target=proposal, author=bob, body="Hm.", aspect="budget")
    assert refused.value.fields == {"aspect": ["Choose one of: ask, steps, owner, or none."]}


@pytest.mark.parametrize("stage", ["analysis", "withdrawn"])
def test_comment_create_on_a_proposal_at_any_stage_with_an_aspect(proposal, bob, stage):
    if stage == "withdrawn":
        from proposals.services import proposal_move

        proposal_move(proposal=proposal, to="withdrawn", actor=proposal.author, reason="other")
        proposal = Proposal.objects.get(pk=proposal.pk)

    comment = services.comment_create(target=proposal, author=bob, body="Too broad.",
                                      aspect="ask")

    assert (comment.proposal_id, comment.aspect, _count(proposal)) == (proposal.pk, "ask", 1)
    assert Follow.objects.filter(person=bob, proposal=proposal).count() == 1


def test_comment_reply_to_a_reply_joins_the_top_level_comment(writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob)
    reply = CommentFactory(target=writeup, author=charlie, parent=top)

    again = services.comment_create(target=writeup, author=bob, body="Agreed.", parent=reply)

    assert (reply.parent_id, again.parent_id) == (top.pk, top.pk)
    assert _count(writeup) == 3


def test_comment_reply_takes_its_comments_aspect(proposal, bob, charlie):
    top = CommentFactory(target=proposal, author=bob, aspect="steps")

    reply = services.comment_create(target=proposal, author=charlie, body="Yes.", parent=top)

    assert reply.aspect == "steps"


def test_comment_reply_with_another_aspect_refused(proposal, bob, charlie):
    top = CommentFactory(target=proposal, author=bob, aspect="steps")
    with pytest.raises(ValidationFailed) as refused:
        services.comment_create(target=proposal, author=charlie, body="No.", parent=top,
                                aspect="owner")
    assert list(refused.value.fields) == ["aspect"]


def test_comment_reply_to_another_discussion_refused(writeup, bob, charlie):
    elsewhere = CommentFactory(author=bob)
    with pytest.raises(ValidationFailed) as refused:
        services.comment_create(target=writeup, author=charlie, body="Hi.", parent=elsewhere)
    assert refused.value.fields == {"parent": ["That comment is not in this discussion."]}


def test_comment_reply_to_a_deleted_comment_refused(writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=top, actor=bob)
    top.refresh_from_db()
    with pytest.raises(CommentDeleted) as refused:
        services.comment_create(target=writeup, author=charlie, body="Hi.", parent=top)
    assert (refused.value.status, refused.value.code) == (409, "comment_deleted")


def test_comment_reply_to_a_hidden_comment_refused(writeup, bob, charlie, moderator):
    top = CommentFactory(target=writeup, author=bob)
    content_hide(moderator=moderator, target_type="comment", obj=top, reason="Rude.")
    top.refresh_from_db()
    with pytest.raises(CommentHidden) as refused:
        services.comment_create(target=writeup, author=charlie, body="Hi.", parent=top)
    assert (refused.value.status, refused.value.code) == (409, "comment_hidden")


# --- Edits ------------------------------------------------------------------------------------

def test_comment_update_bumps_the_version_and_keeps_each_one(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="First.")

    comment = services.comment_update(comment=comment, editor=bob, body="Second **take**.",
                                      expected_version=1)

    assert (comment.version, comment.body_html) == (2, "<p>Second <strong>take</strong>.</p>\n")
    assert comment.edited_at is not None
    assert list(comment.versions.order_by("number").values_list("number", "body")) == [
        (1, "First."), (2, "Second **take**.")]
    assert _count(writeup) == 1


def test_comment_update_stale_version_refused_and_nothing_written(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="First.")
    services.comment_update(comment=comment, editor=bob, body="Second.", expected_version=1)

    with pytest.raises(StaleVersion) as refused:
        services.comment_update(comment=comment, editor=bob, body="Third.", expected_version=1)

    assert (refused.value.status, refused.value.code) == (412, "stale_version")
    assert _stored(comment)[:3] == ("Second.", "<p>Second.</p>\n", 2)
    assert comment.versions.count() == 2


@pytest.mark.parametrize("who", ["charlie", "moderator"])
def test_comment_update_by_anyone_but_its_author_refused(writeup, bob, charlie, moderator,
                                                         who):
    comment = CommentFactory(target=writeup, author=bob, body="Mine.")
    with pytest.raises(NotCommentAuthor) as refused:
        services.comment_update(comment=comment, editor={"charlie": charlie,
                                                         "moderator": moderator}[who],
                                body="Theirs.")
    assert (refused.value.status, refused.value.code) == (403, "not_comment_author")
    assert _stored(comment)[0] == "Mine."


def test_comment_update_of_a_deleted_comment_refused(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=comment, actor=bob)
    with pytest.raises(CommentDeleted) as refused:
        services.comment_update(comment=comment, editor=bob, body="Back.")
    assert (refused.value.status, refused.value.code) == (409, "comment_deleted")


def test_comment_update_blank_refused(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob, body="Mine.")
    with pytest.raises(ValidationFailed) as refused:
        services.comment_update(comment=comment, editor=bob, body=" ")
    assert refused.value.fields == {"body": ["This field is required."]}


# --- Tombstones -------------------------------------------------------------------------------

def test_comment_delete_leaves_a_tombstone_with_replies_and_versions(writeup, bob, charlie):
    top = CommentFactory(target=writeup, author=bob, body="Wrong place.")
    reply = CommentFactory(target=writeup, author=charlie, parent=top)

    services.comment_delete(comment=top, actor=bob)

    body, html, version, deleted_at = _stored(top)
    assert (body, html, version, deleted_at is not None) == ("", "", 1, True)
    assert list(top.versions.values_list("body", flat=True)) == ["Wrong place."]
    assert Comment.objects.get(pk=reply.pk).parent_id == top.pk
    assert _count(writeup) == 1


def test_comment_delete_by_a_moderator_allowed(writeup, bob, moderator):
    comment = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=comment, actor=moderator)
    assert _stored(comment)[3] is not None


def test_comment_delete_by_an_outsider_refused(writeup, bob, charlie):
    comment = CommentFactory(target=writeup, author=bob)
    with pytest.raises(NotCommentAuthor) as refused:
        services.comment_delete(comment=comment, actor=charlie)
    assert refused.value.code == "not_comment_author"
    assert (_stored(comment)[3], _count(writeup)) == (None, 1)


def test_comment_delete_twice_refused(writeup, bob):
    comment = CommentFactory(target=writeup, author=bob)
    services.comment_delete(comment=comment, actor=bob)
    with pytest.raises(CommentDeleted):
        services.comment_delete(comment=comment, actor=bob)
    assert _count(writeup) == 0


def test_comment_delete_of_a_hidden_comment_leaves_the_count(writeup, bob, moderator):
    comment = CommentFactory(target=writeup, author=bob)
    CommentFactory(target=writeup, author=bob)
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Rude.")
    comment.refresh_from_db()

    services.comment_delete(comment=comment, actor=bob)

    assert _count(writeup) == 1


# --- The count through moderation ---------------------------------------------------------

def test_comment_hide_and_unhide_move_the_count_once_each(proposal, bob, moderator):
    comment = CommentFactory(target=proposal, author=bob)
    CommentFactory(target=proposal, author=bob)

    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Rude.")
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Very rude.")
    assert _count(proposal) == 1
    content_unhide(moderator=moderator, target_type="comment", obj=comment, reason="Fine.")
    assert _count(proposal) == 2


def test_comment_hidden_by_reports_from_people_with_standing_leaves_the_count(
        writeup, bob, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 2
    comment = CommentFactory(target=writeup, author=bob)
    for _ in range(2):
        reporter = UserFactory()
        WriteupFactory(author=reporter, published=True)  # published work: standing
        ReportFactory(reporter=reporter, target_type="comment", target_id=comment.pk)

    assert Comment.objects.get(pk=comment.pk).hidden is True
    assert _count(writeup) == 0


def test_comment_reports_from_fresh_accounts_do_not_hide(writeup, bob, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 2
    comment = CommentFactory(target=writeup, author=bob)
    for _ in range(3):
        ReportFactory(reporter=UserFactory(), target_type="comment", target_id=comment.pk)
    assert (Comment.objects.get(pk=comment.pk).hidden, _count(writeup)) == (False, 1)


# --- Reconcile --------------------------------------------------------------------------------

def test_comment_counts_reconcile_repairs_drift_and_reports_it(writeup, proposal, bob):
    CommentFactory(target=writeup, author=bob)
    CommentFactory(target=proposal, author=bob)
    Writeup.objects.filter(pk=writeup.pk).update(comment_count=5)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=0)
    assert comment_count_drift() == [("writeup", writeup.pk, 5, 1),
                                     ("proposal", proposal.pk, 0, 1)]

    assert len(services.comment_counts_reconcile()) == 2

    assert (_count(writeup), _count(proposal)) == (1, 1)
    assert services.comment_counts_reconcile() == []


def test_stats_reconcile_job_logs_comment_count_drift_as_an_error(writeup, bob, caplog):
    CommentFactory(target=writeup, author=bob)
    Writeup.objects.filter(pk=writeup.pk).update(comment_count=3)

    with caplog.at_level(logging.ERROR, logger="registry.discovery.periodic"):
        assert periodic.stats_reconcile() == {"drifted": 0, "comment_counts_drifted": 1}

    assert [record.getMessage() for record in caplog.records] == [
        f"comment counts had drifted on 1 writeups and proposals; corrected: "
        f"writeup {writeup.pk} (3 → 1)"]
    assert _count(writeup) == 1


def test_comments_rerender_updates_only_stale_comments_and_their_versions(writeup, bob,
                                                                          charlie):
    from registry.core.rendering import RENDERER_VERSION
    from registry.feedback.models import CommentVersion

    stale = CommentFactory(target=writeup, author=bob, body="**bold**, @charlie")
    fresh = CommentFactory(target=writeup, author=bob, body="*em*")
    Comment.objects.filter(pk=stale.pk).update(body_html="old", renderer_version=0)
    CommentVersion.objects.filter(comment=stale).update(body_html="old")
    CommentVersion.objects.filter(comment=fresh).update(body_html="kept")

    assert services.comments_rerender() == 1

    html = ('<p><strong>bold</strong>, <a class="mention" href="/people/charlie/">@Charlie</a>'
            "</p>\n")
    assert Comment.objects.values_list("body_html", "renderer_version").get(pk=stale.pk) == (
        html, RENDERER_VERSION)
    assert list(stale.versions.values_list("body_html", flat=True)) == [html]
    assert list(fresh.versions.values_list("body_html", flat=True)) == ["kept"]
    assert services.comments_rerender() == 0
