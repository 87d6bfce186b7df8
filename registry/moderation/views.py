"""Pages: the report form behind every Report button, and the moderators' queue."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.core.clients import client_address
from registry.core.forms import form_status, submit
from registry.core.redirects import safe_next
from registry.core.throttling import rate_limited
from registry.moderation import selectors, services
from registry.moderation.forms import ModerationReasonForm, ReportDecisionForm, ReportForm
from registry.moderation.models import Report, TargetType
from registry.moderation.permissions import can_moderate

# The report page's heading and, for what a moderator has hidden, how it names the object:
# whole phrases, so that each language can make the words agree.
REPORT_HEADINGS = {
    TargetType.WRITEUP: gettext_lazy("Report a writeup"),
    TargetType.PROPOSAL: gettext_lazy("Report a proposal"),
    TargetType.SUGGESTION: gettext_lazy("Report a suggestion"),
    TargetType.PROFILE: gettext_lazy("Report a profile"),
    TargetType.COMMENT: gettext_lazy("Report a comment"),
}
CONCEALED_LABELS = {
    TargetType.WRITEUP: gettext_lazy("this writeup, which a moderator has hidden"),
    TargetType.PROPOSAL: gettext_lazy("this proposal, which a moderator has hidden"),
    TargetType.SUGGESTION: gettext_lazy("this suggestion, which a moderator has hidden"),
    TargetType.PROFILE: gettext_lazy("this profile, which a moderator has hidden"),
    TargetType.COMMENT: gettext_lazy("this comment, which a moderator has hidden"),
}


def _target_type(target_type):
    if target_type not in TargetType.values:
        raise Http404
    return target_type


@login_required
# Counted by client address even for signed-in people: accounts made on one machine share it.
@rate_limited("report_client", key=client_address)
@rate_limited("post")
def report(request, target_type, target_id):
    """GET: the report form alone; POST (from any Report button): make the report."""
    target_type = _target_type(target_type)
    target = selectors.reportable_target(request.user, target_type, target_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid() and submit(form, lambda: services.report_create(
            reporter=request.user, target_type=target_type, target_id=target_id,
            **form.cleaned_data), request=request,
            done=_("Thank you. The moderators will look at your report."))[0]:
        return redirect(safe_next(request, target.get_absolute_url()))
    return render(request, "registry/moderation/report.html",
                  {"form": form, "target": target, "target_type": target_type,
                   "heading": REPORT_HEADINGS[target_type],
                   "concealed_label": CONCEALED_LABELS[target_type]},
                  status=form_status(form))


def _queue(request, *, status=200, failed=None):
    return render(request, "registry/moderation/queue.html", {
        "groups": selectors.open_report_groups(),
        "hidden": selectors.hidden_content(),
        "actions": selectors.recent_actions(),
        "failed": failed,
    }, status=status)


def _moderator_only(request):
    if not can_moderate(request.user):
        raise PermissionDenied


@login_required
def queue(request):
    _moderator_only(request)
    return _queue(request)


def _act(request, form, call, done):
    """A moderator's action from the queue: done, back to the queue; refused (a missing
    reason, an item already decided), the queue again with the form's errors at the
    refusal's status."""
    if form.is_valid() and submit(form, lambda: call(form.cleaned_data), request=request,
                                  done=done)[0]:
        return redirect("moderation:queue")
    return _queue(request, status=form_status(form), failed=form)


@login_required
@require_POST
def visibility(request, target_type, target_id, hide):
    _moderator_only(request)
    target_type = _target_type(target_type)
    target = selectors.target_for_moderator(target_type, target_id)
    service = services.content_hide if hide else services.content_unhide
    return _act(request, ModerationReasonForm(request.POST), lambda data: service(
        moderator=request.user, target_type=target_type, obj=target, reason=data["reason"]),
        (_("“%(target)s” is hidden.") if hide else _("“%(target)s” is shown again."))
        % {"target": target})


@login_required
@require_POST
def decide(request, pk):
    _moderator_only(request)
    report = get_object_or_404(Report, pk=pk)
    return _act(request, ReportDecisionForm(request.POST), lambda data: services.report_resolve(
        moderator=request.user, report=report, **data), _("The report is closed."))


@login_required
@require_POST
def funder_role(request, username):
    """Moderators grant or take away the funder role from a profile page."""
    person = get_object_or_404(get_user_model(), username=username)
    grant = request.POST.get("is_funder") == "1"
    services.funder_role_set(person=person, is_funder=grant, moderator=request.user)
    messages.success(request, (_("%(username)s is now a funder.") if grant
                               else _("%(username)s is no longer a funder."))
                     % {"username": person.username})
    return redirect("registry:profile", username=username)
