"""Pages of the discussion: posting a comment or a reply, a comment's permalink, editing it
(with the version it was loaded at), deleting it, and its versions. The thread itself is
shown on the writeup's or proposal's page ({% comment_thread %}, templatetags)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.core.forms import ButtonForm, form_status, offer_overwrite, submit
from registry.core.throttling import rate_limited
from registry.feedback.comment_forms import CommentEditForm, CommentForm
from registry.feedback.permissions import comments as permissions
from registry.feedback.selectors import comments as selectors
from registry.feedback.services import comments as services
from registry.services.languages import active_language


def _parent(request, pk):
    """The comment replied to (one the person may see), or None."""
    return selectors.comment_visible_to(request.user, pk) if pk else None


@login_required
@rate_limited("post")
def comment_create(request, kind, pk):
    """POST (from the thread's forms): post a comment, or a reply with `parent`; refused, the
    form again here with what was typed. GET: the same form alone (?parent= to reply)."""
    target = selectors.discussion_target(request.user, kind, pk)
    sent = request.POST if request.method == "POST" else request.GET
    form = CommentForm(request.POST if request.method == "POST" else None, target=target,
                       replying=bool(sent.get("parent")), auto_id="id_comment_%s")
    parent = None
    if form.is_bound and form.is_valid():
        parent = _parent(request, form.cleaned_data["parent"])
        saved, comment = submit(form, lambda: services.comment_create(
            target=target, author=request.user, body=form.cleaned_data["body"],
            language=form.cleaned_data["language"] or active_language(),
            aspect=form.cleaned_data.get("aspect", ""), parent=parent), request=request,
            done=_("Your comment is posted."))
        if saved:
            return redirect(selectors.thread_url(comment, request.user))
    elif not form.is_bound and request.GET.get("parent", "").isdigit():
        parent = _parent(request, int(request.GET["parent"]))
        form.initial["parent"] = parent.pk
    return render(request, "feedback/comments/form.html",
                  {"form": form, "target": target, "parent": parent,
                   "is_proposal": kind == "proposal"}, status=form_status(form))


def comment_permalink(request, pk):
    """A comment's address: its writeup's or proposal's page, at the page of the thread that
    holds it."""
    comment = selectors.comment_visible_to(request.user, pk)
    return redirect(selectors.thread_url(comment, request.user))


@login_required
@rate_limited("post")
def comment_edit(request, pk):
    comment = selectors.comment_visible_to(request.user, pk)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = CommentEditForm(request.POST if request.method == "POST" else None,
                           initial={"body": comment.body, "version": comment.version,
                                    "language": comment.language or active_language()})
    if form.is_bound and form.is_valid():
        saved, _comment = submit(form, lambda: services.comment_update(
            comment=comment, editor=request.user, body=form.cleaned_data["body"],
            language=form.cleaned_data["language"] or None,
            expected_version=form.cleaned_data["version"]), request=request,
            done=_("Saved. The earlier version is kept: see “edited”."))
        if saved:
            return redirect(selectors.thread_url(comment, request.user))
        if form_status(form) == 412:
            comment.refresh_from_db(fields=["version"])
            offer_overwrite(form, current_version=comment.version)
    status = 409 if comment.is_deleted and not form.is_bound else form_status(form)
    return render(request, "feedback/comments/edit.html", {"form": form, "comment": comment},
                  status=status)


@login_required
@require_POST
def comment_delete(request, pk):
    """Its author or a moderator deletes it; a tombstone keeps its place in the thread."""
    comment = selectors.comment_visible_to(request.user, pk)
    form = ButtonForm(request.POST)
    if submit(form, lambda: services.comment_delete(comment=comment, actor=request.user),
              request=request, done=_("The comment is deleted."))[0]:
        return redirect(selectors.thread_url(comment, request.user))
    return render(request, "feedback/comments/refused.html", {"form": form, "comment": comment},
                  status=form_status(form))


def comment_versions(request, pk):
    """What a comment said after each save (whoever sees it whole; once it is deleted, the
    moderators)."""
    comment = selectors.comment_visible_to(request.user, pk)
    if not permissions.can_see_comment_versions(request.user, comment):
        raise Http404("No such comment.")
    return render(request, "feedback/comments/versions.html",
                  {"comment": comment, "versions": selectors.comment_versions(comment)})
