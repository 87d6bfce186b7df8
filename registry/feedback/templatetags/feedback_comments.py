"""The discussion shown under a published writeup or a proposal: {% comment_thread target %}."""

from django import template
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
    one list the thread renders in one loop (no template included per comment): a reply is
    marked `is_reply`, the first of a comment's replies `starts_replies` and the last
    `ends_replies`; each carries its author's name as `user` sees it and profile link."""
    entries, profile_urls = [], {}
    for comment in comments:
        comment.is_reply = False
        entries.append(comment)
        for reply in comment.shown_replies:
            reply.is_reply, reply.starts_replies, reply.ends_replies = True, False, False
            entries.append(reply)
        if comment.shown_replies:
            comment.shown_replies[0].starts_replies = True
            comment.shown_replies[-1].ends_replies = True
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
    form = context.render_context.get(_PARENT)
    if form is None:
        template_ = context.template.engine.get_template("feedback/comments/_reply_form.html")
        with context.push(parent=_PARENT):
            form = context.render_context[_PARENT] = template_.render(context)
    return mark_safe(form.replace(_PARENT, str(comment.pk)))


def _thread_parts(target, request, aspect: str) -> dict:
    """One page of the thread with each comment's buttons, and the new-comment form."""
    user = request.user
    is_proposal = isinstance(target, Proposal)
    page = selectors.thread_page(target, user, page=request.GET.get("page"), aspect=aspect)
    comments = list(page.object_list)
    refusal = permissions.comment_refusal(user, target) if user.is_authenticated else None
    can_post = user.is_authenticated and refusal is None
    moderator = bool(comments) and is_moderator(user)  # no question for an empty thread
    entries = _entries(comments, user)
    for comment in entries:
        _allowed(comment, user, moderator=moderator, may_comment=can_post)
        if comment.may_report:
            comment.report_url = reverse("moderation:report", kwargs={
                "target_type": "comment", "target_id": comment.pk})
    return {
        "page": page, "entries": entries,
        "post_url": reverse("feedback:proposal-comments" if is_proposal
                            else "feedback:writeup-comments", kwargs={"pk": target.pk}),
        # Filtered to one aspect, a new comment starts out about it.
        "form": CommentForm(target=target, auto_id="id_comment_%s",
                            initial={"aspect": aspect}) if can_post else None,
        "refusal": refusal, "body_max": max_length("comment", "body"),
    }


@register.inclusion_tag("feedback/comments/_thread.html", takes_context=True)
def comment_thread(context, target):
    """The thread of `target` for this viewer: one page of top-level comments (?page=) with
    their replies, filtered by ?aspect= on a proposal, each with the buttons the viewer may
    use, and the form for a new comment. A draft has no thread.

    The comments with their buttons and the form are the same for every signed-in viewer of
    a class who wrote none of them, so they are a shared fragment, read once per site
    version (four queries when it is not stored: count, comments, replies, moderator). A
    reader who has commented there has buttons on their own comments, and gets the thread
    rendered for them alone."""
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
        "personal": selectors.has_commented_on(target, user),
        "user": user, "request": request, "csrf_token": context.get("csrf_token"),
    }
