"""Writes of the discussion: comments, their edits, deletions and visibility, the stored
counts, mentions and the notifications they make. Keyword-only arguments; each runs in one
transaction.

Writeup.comment_count and Proposal.comment_count (comments shown to everyone: not deleted,
not hidden) change only here, next to the change they count, with F() expressions; the
moderators' hide and unhide reach them through comment_visibility_changed. Every write moves
the site version: the proposal page, the topic page and the board are cached for visitors.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from proposals.models import Proposal
from registry.core.errors import FieldErrors, StaleVersion
from registry.core.limits import max_length
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.feedback import mentions
from registry.feedback.comment_errors import (
    AspectNotAllowed,
    CommentDeleted,
    NotCommentAuthor,
)
from registry.feedback.models import Aspect, Comment, CommentVersion, Mention
from registry.feedback.permissions import comments as permissions
from registry.feedback.selectors.comments import comment_count_drift, comments_visible_to, on
from registry.models import Writeup
from registry.notifications.messages import Message
from registry.notifications.models import EventKind, Follow
from registry.notifications.services import follow_create, notify
from registry.selectors import public_name
from registry.services.languages import supported_language
from registry.services.site_version import site_version_bump

# How much of a comment a notification quotes.
QUOTED = 200


def _body_errors(body: str, language: str | None) -> FieldErrors:
    """The body's and the language's errors. `language` is the code of the language the body
    is written in: one of settings.LANGUAGES, or "" (unknown); None: not given (kept)."""
    errors = FieldErrors()
    errors.text("body", body, max_length=max_length("comment", "body"))
    if language and supported_language(language) is None:
        errors.add("language", _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(code for code, _name in settings.LANGUAGES)})
    return errors


def _check(*, body: str, language: str, aspect: str, target, parent) -> str:
    """Refuse a bad body, language or aspect, naming each field; the aspect to store. A reply
    takes its comment's aspect; a writeup's comments have none."""
    errors = _body_errors(body, language)
    aspect = aspect or ""
    if not isinstance(target, Proposal):
        if aspect:
            errors.add("aspect", AspectNotAllowed.default_message)
            raise AspectNotAllowed(fields=errors.fields)
    elif aspect and aspect not in Aspect.values:
        errors.add("aspect", _("Choose one of: %(choices)s, or none.")
                   % {"choices": ", ".join(Aspect.values)})
    elif parent is not None and aspect and aspect != parent.aspect:
        errors.add("aspect", _("A reply is about what its comment is about; leave the "
                               "aspect out."))
    errors.raise_if_any()
    return parent.aspect if parent is not None else aspect


def _rendered(body: str, people: dict) -> str:
    return mentions.link_mentions(render_markdown(body), people)


def _thread_parent(parent: Comment, *, author, target) -> Comment:
    """The comment a reply attaches to: `parent`, or its own parent when `parent` is itself a
    reply (threads are one level deep)."""
    in_thread = (parent.proposal_id if isinstance(target, Proposal) else parent.writeup_id)
    if in_thread != target.pk:
        errors = FieldErrors()
        errors.add("parent", _("That comment is not in this discussion."))
        errors.raise_if_any()
    if refusal := permissions.reply_refusal(author, parent):
        raise refusal
    return parent.parent if parent.parent_id else parent


def _count(comment: Comment, delta: int) -> None:
    """Move the stored count of the comment's writeup or proposal by `delta`."""
    model = Proposal if comment.proposal_id else Writeup
    model.objects.filter(pk=comment.proposal_id or comment.writeup_id).update(
        comment_count=F("comment_count") + delta)


@transaction.atomic
def comment_create(*, target, author, body: str, parent: Comment | None = None,
                   aspect: str = "", language: str = "",
                   now: datetime.datetime | None = None) -> Comment:
    """Post a comment in the discussion of `target` (a published writeup, or a proposal at
    any stage, that `author` may see), or a reply to `parent` there, written in `language`
    (a code of settings.LANGUAGES; "" when unknown).

    A reply to a reply joins its top-level comment (one level of replies). Raises NotAllowed
    (not signed in), NotCommentable (a draft, or a hidden writeup, proposal or topic),
    ValidationFailed (body blank, over 10,000 characters or with control characters; a
    language Gapmap does not speak; an unknown aspect, or a reply's aspect other than its
    comment's; a parent from another discussion), AspectNotAllowed (an aspect on a
    writeup), CommentDeleted or CommentHidden (replying to such a comment). Side effects:
    the Comment (body rendered once, mentions linked, its language) and its CommentVersion
    1; the target's comment_count + 1; the author follows the writeup's discussion or the
    proposal; a Mention per person named, and notifications (_notify_posted); the site
    version.
    """
    now = now or timezone.now()
    if refusal := permissions.comment_refusal(author, target):
        raise refusal
    replied_to = parent
    if parent is not None:
        parent = _thread_parent(parent, author=author, target=target)
    aspect = _check(body=body, language=language, aspect=aspect, target=target,
                    parent=parent)
    people = mentions.mentioned_people(body)
    html = _rendered(body, people)
    comment = Comment.objects.create(
        **on(target), parent=parent, author=author, aspect=aspect, body=body, body_html=html,
        language=language, renderer_version=RENDERER_VERSION, created_at=now)
    CommentVersion.objects.create(comment=comment, number=1, body=body, body_html=html,
                                  created_at=now)
    _count(comment, +1)
    follow_create(person=author, **on(target))
    named = _mentions_update(comment, people, now=now)
    _notify_posted(comment, mentioned=named, replied_to=replied_to, now=now)
    site_version_bump()
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, editor, body: str, language: str | None = None,
                   expected_version: int | None = None,
                   now: datetime.datetime | None = None) -> Comment:
    """Change a comment's text, and the language it is written in (`language`; None keeps
    the stored one); only its author can.

    `expected_version` is the version the editor saw (If-Match, or the page form's hidden
    field); None means "whatever is current". Raises NotCommentAuthor, CommentDeleted,
    ValidationFailed (see comment_create), StaleVersion (someone saved in between; nothing
    is written). Side effects: the conditional UPDATE bumping `version` and setting
    `edited_at` (body rendered once, here), a new CommentVersion, a Mention for each person
    newly named (and only they are told), the site version.
    """
    now = now or timezone.now()
    if not permissions.can_edit_comment(editor, comment):
        raise NotCommentAuthor()
    current = Comment.objects.select_for_update().get(pk=comment.pk)
    if current.is_deleted:
        raise CommentDeleted(_("This comment was deleted, so it can no longer be edited."))
    _body_errors(body, language).raise_if_any()
    people = mentions.mentioned_people(body)
    html = _rendered(body, people)
    base = current.version if expected_version is None else expected_version
    language = current.language if language is None else language
    updated = Comment.objects.filter(pk=comment.pk, version=base).update(
        body=body, body_html=html, language=language, renderer_version=RENDERER_VERSION,
        version=F("version") + 1, edited_at=now)
    if not updated:
        raise StaleVersion()
    comment = Comment.objects.select_related("writeup__topic", "proposal__topic", "author").get(
        pk=comment.pk)
    CommentVersion.objects.create(comment=comment, number=comment.version, body=body,
                                  body_html=html, created_at=now)
    named = _mentions_update(comment, people, now=now)
    _notify_mentioned(comment, named, now=now)
    site_version_bump()
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor, now: datetime.datetime | None = None) -> Comment:
    """Delete a comment (its author, or a moderator), leaving a tombstone: "comment deleted"
    keeps its place and its replies. Its versions stay, for the moderators.

    Raises NotCommentAuthor (anyone else), CommentDeleted (already deleted). Side effects:
    deleted_at set and the body cleared (conditional UPDATE); the target's comment_count - 1
    unless the comment was hidden (then it was not counted); the site version. Its
    notifications are withheld from then on (registry.notifications.selectors).
    """
    now = now or timezone.now()
    if not permissions.can_delete_comment(actor, comment):
        raise NotCommentAuthor(_("Only its author or a moderator can delete this comment."))
    current = Comment.objects.select_for_update().get(pk=comment.pk)
    if not Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            deleted_at=now, body="", body_html=""):
        raise CommentDeleted(_("This comment is already deleted."))
    if not current.hidden:
        _count(current, -1)
    site_version_bump()
    current.refresh_from_db()
    return current


def comment_visibility_changed(*, comment: Comment, was_hidden: bool) -> None:
    """Bring the stored count in line after a moderator hid or showed `comment` (or reports
    hid it): - 1 when a counted comment is hidden, + 1 when it is shown again.

    Precondition: called by registry.moderation's hide door, in its transaction, after it
    wrote `comment.hidden` (the object in hand carries the new value) and with the row
    locked. Side effects: the count (unless nothing changed, or the comment is deleted: it is
    not counted either way) and the site version.
    """
    if comment.hidden != was_hidden and not comment.is_deleted:
        _count(comment, -1 if comment.hidden else +1)
    site_version_bump()


def comment_counts_reconcile() -> list[tuple[str, int, int, int]]:
    """Set every drifted stored comment_count to the comments shown to everyone; returns what
    had drifted (selectors.comment_count_drift), so the nightly job can log it. Empty while
    every write went through this module."""
    drifted = comment_count_drift()
    for kind, pk, _stored, computed in drifted:
        model = Proposal if kind == "proposal" else Writeup
        with transaction.atomic():
            model.objects.filter(pk=pk).update(comment_count=computed)
    if drifted:
        site_version_bump()
    return drifted


# --- Mentions and notifications -------------------------------------------------------------

def _mentions_update(comment: Comment, people: dict, *, now) -> list:
    """Make the Mention rows match who the text names now (its author aside); returns the
    people newly named, whom nobody has told yet."""
    named = {person.pk: person for person in people.values() if person.pk != comment.author_id}
    before = set(comment.mentions.values_list("person_id", flat=True))
    comment.mentions.exclude(person_id__in=named).delete()
    new = [person for pk, person in named.items() if pk not in before]
    Mention.objects.bulk_create([Mention(comment=comment, person=person, created_at=now)
                                 for person in new])
    return new


def _who_may_see(ids: set[int], comment: Comment) -> set[int]:
    """The people among `ids` who may see `comment` (comments_visible_to). A shown comment
    on a public writeup or proposal is seen by all: no query."""
    target = comment.target
    public = (not comment.hidden and not target.hidden and not target.topic.hidden
              and (isinstance(target, Proposal) or target.deleted_at is None))
    if public:
        return ids
    people = get_user_model().objects.filter(pk__in=ids)
    return {person.pk for person in people
            if comments_visible_to(person).filter(pk=comment.pk).exists()}


def _about(comment: Comment) -> dict:
    """What a notification about `comment` hangs on: its writeup (and topic) or proposal."""
    if comment.proposal_id:
        return {"proposal": comment.proposal, "comment": comment}
    return {"topic": comment.writeup.topic, "writeup": comment.writeup, "comment": comment}


def _quote(comment: Comment) -> str:
    words = " ".join(comment.body.split())
    return words if len(words) <= QUOTED else words[:QUOTED].rstrip() + "…"


def _people(ids) -> list:
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).only("pk"))


def _notify_mentioned(comment: Comment, people: list, *, now) -> set[int]:
    """Tell each of `people` they are named in `comment`, if they may see it; mark their
    Mention notified. Returns who was told."""
    told = _who_may_see({person.pk for person in people}, comment) - {comment.author_id}
    if told:
        notify(kind=EventKind.MENTIONED, actor=comment.author, also=_people(told),
               followers=False, now=now, **_about(comment),
               text=Message(gettext_noop("%(name)s mentioned you in a comment on “%(title)s”: "
                                         "“%(quote)s”"),
                            name=public_name(comment.author), title=comment.target.title,
                            quote=_quote(comment)))
        comment.mentions.filter(person_id__in=told).update(notified=True)
    return told


def _notify_posted(comment: Comment, *, mentioned: list, replied_to: Comment | None,
                   now) -> None:
    """Tell people of a new comment, each once, and only those who may see it; never its
    author. The people it names hear that they are mentioned (MENTIONED); the authors of
    the comments it replies to hear of the reply; the rest hear of the comment
    (COMMENT_POSTED): the writeup's author or the proposal's author and co-authors, always,
    and the followers of the writeup's discussion or of the proposal, and of its topic.

    Precondition: inside comment_create's transaction.
    """
    target = comment.target
    told = _notify_mentioned(comment, mentioned, now=now)
    authors = {target.author_id}
    if isinstance(target, Proposal):
        authors |= set(target.co_authors.values_list("pk", flat=True))
    followers = set(Follow.objects.filter(Q(**on(target)) | Q(topic_id=target.topic_id),
                                          person__is_active=True)
                    .values_list("person_id", flat=True))
    repliers = ({replied_to.author_id, comment.parent.author_id} if comment.parent_id
                else set())
    ids = _who_may_see((authors | followers | repliers) - told - {comment.author_id}, comment)
    said = {"name": public_name(comment.author), "title": target.title, "quote": _quote(comment)}
    for people, msgid in (
            (ids & repliers,
             gettext_noop("%(name)s replied to your comment on “%(title)s”: “%(quote)s”")),
            (ids - repliers, gettext_noop("%(name)s commented on “%(title)s”: “%(quote)s”"))):
        text = Message(msgid, **said)
        if people:
            notify(kind=EventKind.COMMENT_POSTED, actor=comment.author, also=_people(people),
                   followers=False, now=now, text=text, **_about(comment))


def comments_rerender() -> int:
    """Re-render the stored HTML of every comment rendered by an older RENDERER_VERSION, and
    of its versions (mentions linked again, with the names as they are now).

    Run by `manage.py rerender_markdown` after a deploy that bumps the version. Text and
    `version` do not change, so no history is written; a comment is updated only if its body
    is still the one rendered. Returns how many comments were re-rendered.
    """
    count = 0
    stale = Comment.objects.exclude(renderer_version=RENDERER_VERSION).only("pk", "body")
    for row in stale.iterator():
        with transaction.atomic():
            count += Comment.objects.filter(pk=row.pk, body=row.body).update(
                body_html=_rendered(row.body, mentions.mentioned_people(row.body)),
                renderer_version=RENDERER_VERSION)
            for version in CommentVersion.objects.filter(comment_id=row.pk).only("pk", "body"):
                CommentVersion.objects.filter(pk=version.pk).update(body_html=_rendered(
                    version.body, mentions.mentioned_people(version.body)))
    return count
