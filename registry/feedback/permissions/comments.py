"""Who may do what in a discussion: plain predicates for the pages, the API and the admin.

Seeing a comment at all is the selector's business (selectors.comments.comments_visible_to:
404 for the rest); these say what someone who sees it may do. The *_refusal functions give the
error a service raises, so a page can say why before anyone presses a button.
"""

from django.utils.translation import gettext as _

from proposals.models import Proposal
from registry.core.errors import NotAllowed
from registry.feedback.comment_errors import CommentDeleted, CommentHidden, NotCommentable
from registry.permissions import is_moderator


def comment_refusal(user, target):
    """Why `user` may not comment on `target` (a writeup or proposal they can see), as the
    error the service raises, or None when they may: signed in; a writeup published and not
    deleted; the writeup or proposal, and its topic, not hidden by the moderators."""
    if not user.is_authenticated:
        return NotAllowed(_("Log in to join the discussion."))
    if not isinstance(target, Proposal) and (target.published_at is None
                                             or target.deleted_at is not None):
        return NotCommentable(_("A draft has no discussion: it opens when the writeup is "
                                "published."))
    if target.hidden or target.topic.hidden:
        return NotCommentable(_("The moderators have hidden this, so its discussion is "
                                "closed until they show it again."))
    return None


def can_comment(user, target) -> bool:
    return comment_refusal(user, target) is None


def reply_refusal(user, comment):
    """comment_refusal for a reply to `comment`, which must be neither deleted nor hidden."""
    if refusal := comment_refusal(user, comment.target):
        return refusal
    if comment.is_deleted:
        return CommentDeleted(_("This comment was deleted, so it takes no replies."))
    if comment.hidden:
        return CommentHidden()
    return None


def is_comment_author(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


def can_see_comment_whole(user, comment) -> bool:
    """A hidden comment shows others a notice; its author and the moderators see it whole."""
    return not comment.hidden or is_comment_author(user, comment) or is_moderator(user)


def can_edit_comment(user, comment) -> bool:
    """Only its author edits a comment (not once it is deleted: comment_update refuses
    that as a conflict)."""
    return is_comment_author(user, comment)


def can_delete_comment(user, comment) -> bool:
    """Its author, or a moderator (a deleted one stays a tombstone: comment_delete refuses
    deleting it again as a conflict)."""
    return is_comment_author(user, comment) or is_moderator(user)


def can_report_comment(user, comment) -> bool:
    return user.is_authenticated and not is_comment_author(user, comment) and (
        not comment.is_deleted)


def can_see_comment_versions(user, comment) -> bool:
    """What a comment said before: whoever sees it whole; once it is deleted, only the
    moderators."""
    if comment.is_deleted:
        return is_moderator(user)
    return can_see_comment_whole(user, comment)
