"""The review pages: the review page of a draft (its current version block by block, the
review comments beside them, the comment form), a request's page (the invitation, its
answers), and the invite page. Each view reads with selectors and writes with one service
call; a refusal is shown on the form that caused it at its own status
(registry.core.forms.submit), and someone with no right to see the draft gets 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.core.forms import ButtonForm, form_status, submit
from registry.core.redirects import safe_next
from registry.core.throttling import rate_limited
from registry.feedback.models import ReviewRequest
from registry.feedback.permissions import reviews as permissions
from registry.feedback.review_forms import ReviewCommentForm, ReviewFinishForm, ReviewInviteForm
from registry.feedback.selectors import reviews as selectors
from registry.feedback.services import reviews as services
from registry.selectors import person_name, profile_visible_to

State = ReviewRequest.State


def review_url(target) -> str:
    return reverse("feedback:review", kwargs={"kind": selectors.kind_of(target),
                                              "pk": target.pk})


# --- Choosing whom to ask -------------------------------------------------------------------

def _label(person, viewer, reason: str = "") -> str:
    """A person in a choice: their name as `viewer` sees it, their affiliation when it may
    be shown, and why they are suggested."""
    profile = getattr(person, "profile", None)
    label = person_name(person, viewer)
    if profile_visible_to(viewer, profile) and profile.affiliation:
        label += f", {profile.affiliation}"
    return f"{label} — {reason}" if reason else label


def invite_context(request, target, *, form=None) -> dict:
    """What the invite form shows: with `?reviewer_q=` (or the form's own), the people whose
    name contains it, those who cannot be asked named apart; else the suggestions, each
    saying why. Labels that would read the same carry the username, so two people with one
    name are told apart and never guessed between."""
    viewer = request.user
    q = (form.data.get("reviewer_q", "") if form is not None and form.is_bound
         else request.GET.get("reviewer_q", "")).strip()[:120]
    suggestions = selectors.suggested_reviewers(target)
    reasons = {s.person.pk: s.reason for s in suggestions}
    if q:
        candidates, more = selectors.reviewer_candidates(target, q)
        people = [c.person for c in candidates if not c.refusal]
        unavailable = [c for c in candidates if c.refusal]
    else:
        people, more, unavailable = [s.person for s in suggestions], False, []
    labels = [_label(p, viewer, reasons.get(p.pk, "")) for p in people]
    options = [(p.pk, f"{label} (@{p.username})" if labels.count(label) > 1 else label)
               for p, label in zip(people, labels, strict=True)]
    if form is None:
        form = ReviewInviteForm(options=options, initial={"reviewer_q": q})
    else:
        form.fields["reviewer"].choices = [("", _("Choose a person")), *options]
    return {"invite_form": form, "reviewer_q": q, "more": more,
            "found": [(p, reasons.get(p.pk, "")) for p in people],
            "unavailable": unavailable, "suggestions": suggestions, "target": target,
            "invite_url": reverse("feedback:review-invite", kwargs={
                "kind": selectors.kind_of(target), "pk": target.pk})}


@login_required
@rate_limited("post")
def review_invite(request, kind, pk):
    """GET: the invite form on a page of its own (a search lands here too); POST: ask."""
    target = selectors.review_target(request.user, kind, pk, reviews=False)
    if refusal := permissions.author_refusal(request.user, target):
        raise refusal
    form = None
    if request.method == "POST":
        form = ReviewInviteForm(request.POST)
        context = invite_context(request, target, form=form)
        if form.is_valid() and submit(form, lambda: services.review_request_create(
                target=target, reviewer=form.cleaned_data["reviewer"], actor=request.user,
                message=form.cleaned_data["message"]), request=request,
                done=_("Asked %(name)s to review it. They read it once they accept.") % {
                    "name": person_name(form.cleaned_data["reviewer"], request.user)})[0]:
            return redirect(target.get_absolute_url() + "#reviews")
    else:
        context = invite_context(request, target)
    return render(request, "feedback/reviews/invite.html", context,
                  status=form_status(context["invite_form"] if form is not None else None))


# --- A request ------------------------------------------------------------------------------

def _request_page(request, review_request, *, form=None, status=200):
    user = request.user
    is_reviewer = review_request.reviewer_id == user.pk
    finish_form = form if isinstance(form, ReviewFinishForm) else ReviewFinishForm()
    return render(request, "feedback/reviews/request.html", {
        "review_request": review_request, "target": review_request.target,
        "is_reviewer": is_reviewer,
        "is_author": permissions.is_author(user, review_request.target),
        "reads": is_reviewer and review_request.state in permissions.READS,
        "finish_form": finish_form, "button_form": form,
        "review_url": review_url(review_request.target),
    }, status=status)


@login_required
def review_request(request, pk):
    """A request as its reviewer sees it (the invitation: title, who asks, the message) or
    as the authors do; anyone else 404."""
    return _request_page(request, selectors.request_for(request.user, pk))


ANSWERS = {
    "accept": (services.review_request_accept, gettext_lazy(
        "You accepted: the draft is below, and your review comments go on its review page.")),
    "decline": (services.review_request_decline,
                gettext_lazy("You declined. Thank you for answering.")),
    "withdraw": (services.review_request_withdraw,
                 gettext_lazy("The review request is withdrawn.")),
    "finish": (services.review_request_finish,
               gettext_lazy("Your review is finished. Thank you.")),
}


@login_required
@require_POST
@rate_limited("post")
def review_request_answer(request, pk, action):
    """Accept, decline or finish (the reviewer), withdraw (an author): one button each."""
    review_request = selectors.request_for(request.user, pk)
    service, done = ANSWERS[action]
    form = ReviewFinishForm(request.POST) if action == "finish" else ButtonForm(request.POST)
    if form.is_valid():
        extra = {"named": form.cleaned_data["named"]} if action == "finish" else {}
        if submit(form, lambda: service(review_request=review_request, actor=request.user,
                                        **extra), request=request, done=done)[0]:
            page = review_request.target.get_absolute_url()
            default = {"accept": page, "decline": reverse("registry:my-work")}.get(
                action, page + "#reviews")
            return redirect(safe_next(request, default))
    return _request_page(request, review_request, form=form, status=form_status(form))


# --- The review page ------------------------------------------------------------------------

def _mine(user, target):
    """The user's request on `target` that a comment would go under: the accepted one, else
    their latest (whose state then explains the refusal), else None."""
    mine = [r for r in selectors.requests_on(target) if r.reviewer_id == user.pk]
    return next((r for r in mine if r.state == State.ACCEPTED), mine[0] if mine else None)


def _review_page(request, target, *, form=None, button_form=None, status=200):
    user = request.user
    layout = selectors.review_layout(target, list(selectors.review_comments_on(target)))
    mine = _mine(user, target)
    can_comment = mine is not None and permissions.comment_refusal(user, mine, target) is None
    if form is None and can_comment:
        form = ReviewCommentForm(initial={"anchor": request.GET.get("anchor", ""),
                                          "version": layout.version})
    if form is not None:
        form.offer(layout.choices)
    return render(request, "feedback/reviews/review.html", {
        "target": target, "kind": selectors.kind_of(target), "layout": layout,
        "readers": [r for r in selectors.requests_on(target) if r.state in permissions.READS],
        "mine": mine,
        "is_author": permissions.is_author(user, target), "can_comment": can_comment,
        "form": form, "button_form": button_form,
    }, status=status)


@login_required
def review(request, kind, pk):
    """The current version of the draft block by block, each with the review comments on
    it; comments whose paragraph is gone, under the version they were on; the form."""
    return _review_page(request, selectors.review_target(request.user, kind, pk))


@login_required
@require_POST
@rate_limited("post")
def review_comment_create(request, kind, pk):
    target = selectors.review_target(request.user, kind, pk)
    mine = _mine(request.user, target)
    if mine is None:
        raise permissions.NotAReviewer(_("Only a reviewer who accepted can comment here."))
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        saved, comment = submit(form, lambda: services.review_comment_create(
            review_request=mine, actor=request.user, body=form.cleaned_data["body"],
            anchor=form.cleaned_data["anchor"], version=form.cleaned_data["version"]),
            request=request, done=_("Your review comment is posted."))
        if saved:
            return redirect(f"{review_url(target)}#comment-{comment.pk}")
        if form_status(form) == 409:
            # Stale: what was typed stays, now for the version shown (read at the start).
            data = form.data.copy()
            data["version"] = str(target.version)
            form.data = data
    return _review_page(request, target, form=form, status=form_status(form))


@login_required
@require_POST
@rate_limited("post")
def review_comment_state(request, pk, action):
    """Resolve or reopen a review comment (the authors): back to it on the review page."""
    comment, target = selectors.review_comment_for(request.user, pk)
    service = (services.review_comment_resolve if action == "resolve"
               else services.review_comment_reopen)
    form = ButtonForm(request.POST)
    if submit(form, lambda: service(comment=comment, actor=request.user), request=request,
              done=_("Resolved.") if action == "resolve" else _("Open again."))[0]:
        return redirect(f"{review_url(target)}#comment-{comment.pk}")
    return _review_page(request, target, button_form=form, status=form_status(form))
