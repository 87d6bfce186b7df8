"""Pages for recognised expertise: endorsing a published writeup (and retracting or voiding
an endorsement), and the experts directory at /experts/. The writeup page shows the
endorsements and the topic page the recognitions (registry.views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import selectors, services
from registry.core.caching import for_visitors
from registry.core.forms import form_status, submit
from registry.core.pagination import peek_page
from registry.core.throttling import rate_limited
from registry.forms import EndorsementForm, ModeratorReasonForm
from registry.models import Topic
from registry.track_records import page_number
from registry.views import writeup_page

EXPERTS_PER_PAGE = 20


@login_required
@require_POST
@rate_limited("post")
def endorse(request, pk):
    writeup = get_object_or_404(selectors.writeups_visible_to(request.user), pk=pk)
    form = EndorsementForm(request.POST)
    if form.is_valid() and submit(form, lambda: services.endorsement_create(
            writeup=writeup, endorser=request.user, **form.cleaned_data), request=request,
            done=_("Thank you: your endorsement is on the writeup's page."))[0]:
        return redirect(writeup.get_absolute_url() + "#endorsements")
    return writeup_page(request, writeup, endorse_form=form)


def _endorsement(request, pk):
    return get_object_or_404(selectors.public_endorsements(), pk=pk)


@login_required
@require_POST
def endorsement_retract(request, pk):
    endorsement = _endorsement(request, pk)
    services.endorsement_retract(endorsement=endorsement, actor=request.user)
    messages.success(request, _("Your endorsement is retracted. It stays in the topic's history."))
    return redirect(endorsement.writeup.get_absolute_url() + "#endorsements")


@login_required
@require_POST
def endorsement_void(request, pk):
    endorsement = _endorsement(request, pk)
    form = ModeratorReasonForm(request.POST)
    if form.is_valid() and submit(form, lambda: services.endorsement_void(
            endorsement=endorsement, moderator=request.user, reason=form.cleaned_data["reason"]),
            request=request, done=_("The endorsement is voided."))[0]:
        return redirect(endorsement.writeup.get_absolute_url() + "#endorsements")
    for message in [*form.errors.get("__all__", []), *form.errors.get("reason", [])]:
        messages.error(request, message)
    return writeup_page(request, endorsement.writeup, status=form_status(form))


@for_visitors
def experts(request):
    """Who knows about X: people recognised on each topic, with their evidence, and the
    active claimants who have published on it, by cluster and topic. ?cluster=, ?topic=
    narrow it, ?q= searches names, affiliations and topics, ?status=recognised|claimants
    shows one of the two lists. ?page= pages the recognised list, or the claimants with
    ?status=claimants; beside the recognised list the claimants show their first page."""
    cluster = request.GET.get("cluster") or None
    topic = request.GET.get("topic") or None
    status = request.GET.get("status") or ""
    page = request.GET.get("page")

    def lists():  # the same for every viewer: rendered once per site version (experts.html)
        recognised, claimants = selectors.experts_search(
            cluster=cluster, topic=topic, status=status, q=request.GET.get("q", ""))
        return {"recognised": Paginator(recognised, EXPERTS_PER_PAGE).get_page(page),
                # No COUNT over every claim (at scale it costs more than the page).
                "claimants": peek_page(claimants, per_page=EXPERTS_PER_PAGE, number=(
                    page_number(page) if status == "claimants" else 1))}

    # The topic choice lists a cluster's topics (every topic would be thousands of options).
    chosen_place = Q(cluster__slug=cluster) if cluster else Q(slug=topic) if topic else None
    return render(request, "registry/experts.html", {
        "lists": lists,
        "clusters": selectors.clusters_in_order(request=request),
        "topics": [] if chosen_place is None else Topic.objects.filter(
            chosen_place, state=Topic.State.LISTED, hidden=False).order_by("title"),
        "chosen": {"cluster": cluster, "topic": topic, "status": status,
                   "q": request.GET.get("q", "")},
    })
