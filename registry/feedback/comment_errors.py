"""Refusals of the discussion, on top of registry.core.errors (each knows its status and code)."""

from django.utils.translation import gettext_lazy as _

from registry.core.errors import Conflict, NotAllowed, ValidationFailed


class NotCommentable(Conflict):
    code = "not_commentable"
    default_message = _("Only a published writeup or a proposal that is shown has a discussion.")


class CommentDeleted(Conflict):
    code = "comment_deleted"
    default_message = _("This comment was deleted.")


class CommentHidden(Conflict):
    code = "comment_hidden"
    default_message = _("The moderators hid this comment, so it takes no replies until they show "
                        "it again.")


class AspectNotAllowed(ValidationFailed):
    """An aspect ("on the ask", …) given on a writeup's comment: aspects are parts of a
    proposal. Names the field, like every 400."""

    code = "aspect_not_allowed"
    default_message = _("Only a comment on a proposal can be about its ask, steps or owner.")


class NotCommentAuthor(NotAllowed):
    code = "not_comment_author"
    default_message = _("Only its author can change this comment.")
