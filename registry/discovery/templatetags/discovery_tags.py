"""Pieces of discovery that other apps' pages include: the proposals pipeline chart and the
"similar existing ones" list shown before someone creates a topic or a proposal."""

from django import template
from django.utils.safestring import mark_safe

from registry import permissions
from registry import selectors as registry_selectors
from registry.discovery import search, selectors, svg

register = template.Library()


@register.inclusion_tag("registry/discovery/_pipeline.html")
def pipeline_chart():
    # Reads every proposal's stage; every stage move refreshes its topics' stats.
    bars = registry_selectors.per_stats_version("pipeline", selectors.pipeline)
    return {"bars": bars, "svg": mark_safe(svg.pipeline_chart(bars))}  # escaped in svg.py


@register.inclusion_tag("registry/discovery/_similar.html", takes_context=True)
def similar_existing(context, kind, title=""):
    """Entries like `title` (or the page's ?similar= query) of `kind`: topic or proposal."""
    request = context.get("request")
    query = search.similar_query((request.GET.get("similar", "") if request else "") or title
                                 or "")
    return {"kind": kind, "query": query,
            "entries": search.similar(kind=kind, title=query) if query else [],
            "request": request}


@register.inclusion_tag("registry/discovery/_funder_role.html", takes_context=True)
def funder_role_form(context, person, profile):
    """For moderators: the button that grants or takes away the funder role; for the funder
    themself: a link to their alerts."""
    user = context["user"]
    return {"person": person, "profile": profile, "user": user,
            "is_moderator": permissions.is_moderator(user), "csrf_token": context.get("csrf_token")}
