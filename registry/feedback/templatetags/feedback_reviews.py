"""The review panel on a draft (requests, the invite form, the reviewer's answers), "Reviewed
by …" once it is out, the draft page's word on who can see it, and "My reviews" on My work.

Every tag reads the viewer from `context["request"].user`; requests_on keeps its one query on
the target, so the tags of one page share it.
"""

from django import template
from django.utils.translation import gettext as _

from registry.feedback.models import ReviewRequest
from registry.feedback.permissions import reviews as permissions
from registry.feedback.review_forms import ReviewFinishForm
from registry.feedback.review_views import invite_context, review_url
from registry.feedback.selectors import reviews as selectors

register = template.Library()
State = ReviewRequest.State


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("feedback/reviews/_panel.html", takes_context=True)
def review_panel(context, target):
    """For the authors: every request with its state, Withdraw on open ones, the open review
    comments and the review page, and (while it is in review) the invite form with its
    suggestions. For a reviewer: their request, to answer, finish or follow to the review
    page. Nothing for anyone else, and no query for a visitor."""
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"show": False}
    requests = selectors.requests_on(target)
    is_author = permissions.is_author(user, target)
    mine = [r for r in requests if r.reviewer_id == user.pk]
    if not is_author and not mine:
        return {"show": False}
    reviewable = permissions.is_reviewable(target)
    panel = {
        "show": True, "target": target, "is_author": is_author, "requests": requests,
        "mine": mine, "reviewable": reviewable, "open_count":
            selectors.open_review_comments(target),
        "readers": any(r.state in permissions.READS for r in requests),
        "review_url": review_url(target), "finish_form": ReviewFinishForm(),
        "kind_label": "analysis" if selectors.kind_of(target) == "proposal" else "draft",
        "csrf_token": context.get("csrf_token"), "request": context.get("request"),
    }
    if is_author and reviewable:
        panel.update(invite_context(context["request"], target))
    return panel


@register.inclusion_tag("feedback/reviews/_reviewed_by.html", takes_context=True)
def reviewed_by(context, target):
    """"Reviewed by A, B": the reviewers who finished and agreed to be named, once a writeup
    is published or a proposal has left analysis. Nothing else about reviews is public."""
    out = (target.stage != "analysis" if selectors.kind_of(target) == "proposal"
           else target.published_at is not None)
    return {"reviewers": selectors.reviewers_named(target) if out else [],
            "request": context.get("request")}


@register.simple_tag(takes_context=True)
def draft_audience(context, writeup) -> str:
    """Who can see a draft, as its page says it to this viewer."""
    user = _user(context)
    if user is not None and user.is_authenticated and writeup.author_id != user.pk:
        return _("shared with you for review")
    if selectors.has_readers(writeup):
        return _("only you and your reviewers can see it")
    return _("only you can see it")


@register.inclusion_tag("feedback/reviews/_my_reviews.html", takes_context=True)
def my_reviews(context):
    """My work's "My reviews": pending requests to answer, accepted ones to go on with (one
    query)."""
    user = _user(context)
    rows = list(selectors.my_reviews(user))
    return {"pending": [r for r in rows if r.state == State.PENDING],
            "accepted": [r for r in rows if r.state == State.ACCEPTED],
            "csrf_token": context.get("csrf_token"), "request": context.get("request")}


@register.simple_tag
def review_page_url(target) -> str:
    return review_url(target)
