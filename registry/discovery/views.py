"""Pages: gaps, the gap map, search, funder interest, funders' alerts, the funder role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from registry import selectors as registry_selectors
from registry.core.caching import for_visitors
from registry.core.forms import confirmed, form_status, submit
from registry.core.throttling import rate_limited
from registry.discovery import search, selectors, services, svg
from registry.discovery.forms import ClusterFilterForm, InterestForm, SearchForm
from registry.models import Cluster, Topic


def _cluster_filter(request):
    form = ClusterFilterForm(request.GET or None)
    cluster = form.cleaned_data.get("cluster") if form.is_valid() else None
    return form, cluster.slug if cluster else None


def _gaps_parts(request) -> dict:
    form, cluster = _cluster_filter(request)
    page = Paginator(selectors.gap_topics(cluster=cluster), selectors.GAPS_PER_PAGE).get_page(
        request.GET.get("page"))
    return {"form": form, "page": page, "gaps": selectors.gaps(page),
            "at_risk": selectors.at_risk(cluster=cluster),
            "unrecognised": selectors.unrecognised_work(cluster=cluster)}


@for_visitors
def gaps(request):
    # The lists are read only when the page's shared fragment is not stored yet
    # (registry.templatetags.shared_cache); is_funder is asked after the header's one query
    # has answered it.
    return render(request, "registry/discovery/gaps.html", {
        "parts": lambda: _gaps_parts(request), "formula": _(selectors.NEGLECT_FORMULA),
        "is_funder": lambda: selectors.is_funder(request.user),
    })


# Above this many topics the map's text equivalent is a table per cluster of counts by
# status, each linking to the cluster's own paged list: thousands of rows help nobody, and
# rendering them cost megabytes per worker.
MAP_TABLE_ROWS = 500


def _map_parts(request) -> dict[str, str]:
    def build():
        bands = selectors.map_bands(selectors.map_clusters())
        listed = sum(band.total for band in bands)
        bars = selectors.pipeline()
        return {
            "svg": svg.gap_map(bands),
            "cards": render_to_string("registry/discovery/_map_cards.html", {"bands": bands}),
            "tables": render_to_string("registry/discovery/_map_tables.html", {
                "bands": bands, "summary": listed > MAP_TABLE_ROWS}),
            "pipeline": render_to_string("registry/discovery/_pipeline.html", {
                "bars": bars, "svg": mark_safe(svg.pipeline_chart(bars)), "beside_map": True}),
        }

    # The same for every reader: built once per stats version (the pipeline's "days in
    # stage" moves on with STATS_CACHE_SECONDS).
    return registry_selectors.per_stats_version("gap-map", build, request=request)


@for_visitors
def gap_map(request):
    # Every part was escaped when built: svg.py escapes every text, the rest are autoescaped
    # templates.
    parts = {name: mark_safe(html) for name, html in _map_parts(request).items()}
    return render(request, "registry/discovery/map.html", parts)


@for_visitors
def gap_map_svg(request):
    return HttpResponse(_map_parts(request)["svg"], content_type="image/svg+xml")


@for_visitors
def search_page(request):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = search.SearchFilters(q=data.get("q", ""), kind=data.get("kind") or None,
                                   cluster=data["cluster"].slug if data.get("cluster") else None)
    number = request.GET.get("page", "")
    page = search.result_page(search.search_entries(filters), per_page=search.PER_PAGE,
                              number=int(number) if number.isdigit() and int(number) else 1)
    search.in_reader_language(page.entries, filters.q)
    for entry in page.entries:
        entry.snippet_html = mark_safe(entry.snippet_html)  # escaped there
    return render(request, "registry/discovery/search.html",
                  {"form": form, "page": page, "q": filters.q})


def _title(subject) -> str:
    """A topic's title in the active language, or a proposal's title."""
    return getattr(subject, "local_title", subject.title)


def _interest_page(request, *, topic=None, proposal=None):
    """The interest in a topic or proposal; for a funder, their own interest as a form filled
    with what they registered, and withdrawing it behind a confirmation."""
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    subject = topic or proposal
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    mine = selectors.interest_of(request.user, **target)
    withdrawing = request.method == "POST" and "withdraw" in request.POST
    form = InterestForm(request.POST if request.method == "POST" and not withdrawing else None,
                        initial=InterestForm.initial_from(mine))
    if withdrawing and confirmed(request):
        services.interest_withdraw(funder=request.user, **target)  # none: 404, not a funder: 403
        messages.success(request, _("Your interest in “%(title)s” is withdrawn.")
                         % {"title": _title(subject)})
        return redirect(request.path)
    if form.is_bound and form.is_valid():
        done, result = submit(form, lambda: services.interest_register(
            funder=request.user, **target, **form.cleaned_data))
        if done:
            text = (_("Your interest in “%(title)s” is registered.") if result[1]
                    else _("Your interest in “%(title)s” is changed."))
            messages.success(request, text % {"title": _title(subject)})
            return redirect(request.path)
    return render(request, "registry/discovery/interest.html", {
        "target": subject, "form": form, "mine": mine,
        # A withdraw without its confirmation (the page's own button always sends it) opens it.
        "confirm_withdraw": withdrawing,
        "interests": selectors.interests_visible_to(request.user, **target),
        "count": subject.funder_interests.filter(selectors.LIVE).count(),
        "is_funder": selectors.is_funder(request.user),
    }, status=form_status(form))


@rate_limited("post")
def topic_interest(request, slug):
    topics = registry_selectors.topics_visible_to(request.user).filter(state=Topic.State.LISTED)
    return _interest_page(request, topic=get_object_or_404(topics, slug=slug))


@rate_limited("post")
def proposal_interest(request, pk):
    proposals = Proposal.objects.filter(proposal_selectors.shown_to(request.user))
    return _interest_page(request, proposal=get_object_or_404(proposals, pk=pk))


@login_required
def funder_alerts(request):
    if not selectors.is_funder(request.user):
        raise PermissionDenied
    if request.method == "POST":
        slug = request.POST.get("cluster") or None
        cluster = get_object_or_404(Cluster, slug=slug) if slug else None
        if request.POST.get("action") == "unsubscribe":
            services.alert_unsubscribe(funder=request.user, cluster=cluster)
            text = (_("You no longer watch “%(cluster)s”.") if cluster
                    else _("You no longer watch every cluster."))
        else:
            services.alert_subscribe(funder=request.user, cluster=cluster)
            text = (_("You now watch “%(cluster)s”: you will hear of new gaps and new owners "
                      "there.") if cluster
                    else _("You now watch every cluster: you will hear of new gaps and new "
                           "owners there."))
        messages.success(request, text % {"cluster": cluster.local_name if cluster else ""})
        return redirect("discovery:funder-alerts")
    watched = {alert.cluster_id for alert in selectors.alerts_of(request.user)}
    return render(request, "registry/discovery/alerts.html", {
        "clusters": Cluster.objects.order_by("position", "name"), "watched": watched,
        "watch_all": None in watched,
    })
