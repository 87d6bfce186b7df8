"""Pages: gaps, the gap map, search, funder interest, funders' alerts, the funder role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from registry import selectors as registry_selectors
from registry.core.caching import for_visitors
from registry.core.forms import form_status, submit
from registry.core.throttling import rate_limited
from registry.discovery import search, selectors, services, svg
from registry.discovery.forms import ClusterFilterForm, InterestForm, SearchForm
from registry.models import Cluster, Topic, TopicStatus


def _cluster_filter(request):
    form = ClusterFilterForm(request.GET or None)
    cluster = form.cleaned_data.get("cluster") if form.is_valid() else None
    return form, cluster.slug if cluster else None


@for_visitors
def gaps(request):
    form, cluster = _cluster_filter(request)
    page = Paginator(selectors.gap_topics(cluster=cluster), selectors.GAPS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "registry/discovery/gaps.html", {
        "form": form, "page": page, "gaps": selectors.gaps(page),
        "at_risk": selectors.at_risk(cluster=cluster), "formula": selectors.NEGLECT_FORMULA,
        "unrecognised": selectors.unrecognised_work(cluster=cluster),
        "is_funder": selectors.is_funder(request.user),
    })


# Above this many topics the map's text equivalent is a table per cluster of counts by
# status, each linking to the cluster's own paged list: thousands of rows help nobody, and
# rendering them cost megabytes per worker.
MAP_TABLE_ROWS = 500


def _map_parts() -> dict[str, str]:
    def build():
        clusters = selectors.map_clusters()
        for cluster in clusters:
            cluster.status_counts = dict.fromkeys(TopicStatus.values, 0)
            for topic in cluster.listed_topics:
                cluster.status_counts[topic.status] += 1
        listed = sum(len(cluster.listed_topics) for cluster in clusters)
        return {"svg": svg.gap_map(clusters),
                "tables": render_to_string("registry/discovery/_map_tables.html", {
                    "clusters": clusters, "summary": listed > MAP_TABLE_ROWS})}

    # Every topic, megabytes at 5,000: built once per stats version.
    return registry_selectors.per_stats_version("gap-map", build)


@for_visitors
def gap_map(request):
    parts = _map_parts()
    # Both escaped when built: svg.py escapes every text, the tables are an autoescaped template.
    return render(request, "registry/discovery/map.html",
                  {"svg": mark_safe(parts["svg"]), "tables": mark_safe(parts["tables"])})


@for_visitors
def gap_map_svg(request):
    return HttpResponse(_map_parts()["svg"], content_type="image/svg+xml")


@for_visitors
def search_page(request):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = search.SearchFilters(q=data.get("q", ""), kind=data.get("kind") or None,
                                   cluster=data["cluster"].slug if data.get("cluster") else None)
    number = request.GET.get("page", "")
    page = search.result_page(search.search_entries(filters), per_page=search.PER_PAGE,
                              number=int(number) if number.isdigit() and int(number) else 1)
    for entry in page.entries:
        entry.snippet_html = mark_safe(search.snippet(entry, filters.q))  # escaped there
    return render(request, "registry/discovery/search.html",
                  {"form": form, "page": page, "q": filters.q})


def _interest_page(request, *, topic=None, proposal=None):
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    form = InterestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if "withdraw" in request.POST:
            form = InterestForm()  # the withdraw button's refusal shows above the form
            if submit(form, lambda: services.interest_withdraw(funder=request.user, **target),
                      request=request, done="Your interest is withdrawn.")[0]:
                return redirect(request.path)
        elif form.is_valid() and submit(form, lambda: services.interest_register(
                funder=request.user, **target, **form.cleaned_data), request=request,
                done="Your interest is registered. Thank you.")[0]:
            return redirect(request.path)
    return render(request, "registry/discovery/interest.html", {
        "target": topic or proposal, "form": form,
        "interests": selectors.interests_visible_to(request.user, **target),
        "count": (topic or proposal).funder_interests.filter(selectors.LIVE).count(),
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
        else:
            services.alert_subscribe(funder=request.user, cluster=cluster)
        messages.success(request, "Your alerts are saved.")
        return redirect("discovery:funder-alerts")
    watched = {alert.cluster_id for alert in selectors.alerts_of(request.user)}
    return render(request, "registry/discovery/alerts.html", {
        "clusters": Cluster.objects.order_by("position", "name"), "watched": watched,
        "watch_all": None in watched,
    })
