"""The discussion shown under a published writeup or a proposal: {% comment_thread target %}."""

from django import template
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.safestring import mark_safe

from proposals.models import Proposal
from registry.core.limits import max_length
from registry.feedback.comment_forms import CommentForm
from registry.feedback.models import Aspect
from registry.feedback.permissions import comments as permissions
from registry.feedback.selectors import comments as selectors
from registry.permissions import is_moderator
from registry.selectors import person_name

register = template.Library()


def _allowed(comment, user, *, moderator: bool, may_comment: bool):
    """Set what `user` may do with `comment`, for its buttons (no query: the predicates
    read the comment, and the answers about the viewer are given)."""
    alive = not comment.is_deleted
    comment.shown_whole = alive and permissions.can_see_comment_whole(user, comment)
    comment.may_reply = may_comment and alive and not comment.hidden
    comment.may_edit = alive and permissions.can_edit_comment(user, comment)
    comment.may_delete = alive and permissions.can_delete_comment(user, comment)
    comment.may_report = comment.shown_whole and permissions.can_report_comment(user, comment)
    comment.may_moderate = alive and moderator
    comment.may_see_versions = bool(comment.edited_at or comment.is_deleted) and (
        permissions.can_see_comment_versions(user, comment))


def _entries(comments, user) -> list:
    """The page's comments in reading order, each top-level one followed by its replies, as
    one list the thread renders in one loop: a reply is
    marked `is_reply`, the first of a comment's replies `starts_replies` and the last
    `ends_replies`; each carries its author's name as `user` sees it and profile link."""
    entries = []
    for comment in comments:
        comment.is_reply = False
        entries.append(comment)
        for reply in comment.shown_replies:
            reply.is_reply, reply.starts_replies, reply.ends_replies = True, False, False
            entries.append(reply)
        if comment.shown_replies:
            comment.shown_replies[0].starts_replies = True
            comment.shown_replies[-1].ends_replies = True
    return _with_authors(entries, user)


def _with_authors(entries: list, user) -> list:
    """Each comment with its author's name as `user` sees it and profile link."""
    profile_urls = {}
    for entry in entries:
        username = entry.author.username
        if username not in profile_urls:
            profile_urls[username] = reverse("registry:profile", kwargs={"username": username})
        entry.author_url = profile_urls[username]
        entry.author_name = person_name(entry.author, user)
    return entries


# Stands for the parent's number in the reply form rendered once per thread (reply_form).
_PARENT = "__reply_parent__"


@register.simple_tag(takes_context=True)
def reply_form(context, comment):
    """The form to reply to `comment`. It is the same for every comment of a thread but for
    the parent's number, so it is rendered once per rendering of the thread (in its context:
    a shared fragment's CSRF stand-in included) and the number put in: 80 renderings took a
    fifth of a long thread's page."""
    memo = context.get("reply_form_memo")  # the thread's: its comments are parts (templates)
    form = memo.get(_PARENT) if memo is not None else None
    if form is None:
        template_ = context.template.engine.get_template("feedback/comments/_reply_form.html")
        with context.push(parent=_PARENT):
            form = template_.render(context)
        if memo is not None:
            memo[_PARENT] = form
    return mark_safe(form.replace(_PARENT, str(comment.pk)))


def _thread_parts(target, request, aspect: str) -> dict:
    """One page of the thread with each comment's buttons, and the new-comment form."""
    user = request.user
    page = selectors.thread_page(target, user, page=request.GET.get("page"), aspect=aspect)
    comments = list(page.object_list)
    refusal = permissions.comment_refusal(user, target) if user.is_authenticated else None
    can_post = user.is_authenticated and refusal is None
    moderator = bool(comments) and is_moderator(user)  # no question for an empty thread
    entries = _entries(comments, user)
    # Stored for everyone of the viewer's class: each comment's buttons as anyone of the class
    # who did not write it has them; its writer's own are their part (_OwnParts).
    _with_buttons(entries, _someone_else_of_their_class(user) if user.is_authenticated
                  else user, moderator=moderator, may_comment=can_post)
    return {"page": page, "entries": entries, "refusal": refusal,
            **_form_values(target, aspect, can_post=can_post)}


def _someone_else_of_their_class(user):
    """A signed-in person of `user`'s class (a moderator or not) who wrote no comment."""
    someone = get_user_model()(is_staff=user.is_staff)
    someone._is_moderator = is_moderator(user)
    return someone


def _with_buttons(comments, user, *, moderator: bool, may_comment: bool) -> None:
    for comment in comments:
        _allowed(comment, user, moderator=moderator, may_comment=may_comment)
        if comment.may_report:
            comment.report_url = reverse("moderation:report", kwargs={
                "target_type": "comment", "target_id": comment.pk})


def _form_values(target, aspect: str, *, can_post: bool) -> dict:
    """What the new-comment form and the reply forms are rendered with."""
    is_proposal = isinstance(target, Proposal)
    return {
        "post_url": reverse("feedback:proposal-comments" if is_proposal
                            else "feedback:writeup-comments", kwargs={"pk": target.pk}),
        # Filtered to one aspect, a new comment starts out about it.
        "form": CommentForm(target=target, auto_id="id_comment_%s",
                            initial={"aspect": aspect}) if can_post else None,
        "body_max": max_length("comment", "body"), "reply_form_memo": {},
    }


class _OwnParts:
    """The viewer's own comments among `keys` (the comments of a stored thread page), each
    with the buttons they may use, as {key: values} for their parts (shared_part): one query,
    and nothing more for a reader who wrote none of them."""

    do_not_call_in_templates = True  # the fragment calls it, with the keys

    def __init__(self, target, request, aspect: str):
        self.target, self.request, self.aspect = target, request, aspect

    def __call__(self, keys: list[str]) -> dict:
        user, target = self.request.user, self.target
        mine = selectors.own_comments_among(target, user, pks=[int(key) for key in keys])
        if not mine:
            return {}
        refusal = permissions.comment_refusal(user, target)
        _with_buttons(_with_authors(mine, user), user, moderator=is_moderator(user),
                      may_comment=refusal is None)
        values = _form_values(target, self.aspect, can_post=refusal is None)
        return {str(comment.pk): {"comment": comment, **values} for comment in mine}


@register.inclusion_tag("feedback/comments/_thread.html", takes_context=True)
def comment_thread(context, target):
    """The thread of `target` for this viewer: one page of top-level comments (?page=) with
    their replies, filtered by ?aspect= on a proposal, each with the buttons the viewer may
    use, and the form for a new comment. A draft has no thread.

    The comments with their buttons and the form are the same for every signed-in viewer of
    a class who wrote none of them, so they are a shared fragment, read once per site
    version (four queries when it is not stored: count, comments, replies, moderator). The
    buttons of a comment (and the whole of a hidden or deleted one) are a part its writer
    owns: a reader who wrote some of the page's comments gets those parts rendered for them,
    after one query for which they are."""
    request = context["request"]
    user = request.user
    is_proposal = isinstance(target, Proposal)
    if not is_proposal and target.published_at is None:
        return {"shown": False}
    aspect = request.GET.get("aspect", "") if is_proposal else ""
    aspect = aspect if aspect in Aspect.values else ""
    return {
        "shown": True, "target": target, "is_proposal": is_proposal, "aspect": aspect,
        "aspects": Aspect.choices,
        "parts": lambda: _thread_parts(target, request, aspect),
        "own": _OwnParts(target, request, aspect),
        "user": user, "request": request, "csrf_token": context.get("csrf_token"),
    }
