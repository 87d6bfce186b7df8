"""Pieces of discovery that other apps' pages include: the proposals pipeline chart and the
"similar existing ones" list shown before someone creates a topic or a proposal."""

from django import template
from django.utils.safestring import mark_safe

from registry import permissions
from registry import selectors as registry_selectors
from registry.discovery import pickers, selectors, svg

register = template.Library()


@register.inclusion_tag("registry/discovery/_pipeline.html")
def pipeline_chart():
    # Reads every proposal's stage; every stage move refreshes its topics' stats.
    bars = registry_selectors.per_stats_version("pipeline", selectors.pipeline)
    return {"bars": bars, "svg": mark_safe(svg.pipeline_chart(bars))}  # escaped in svg.py


@register.inclusion_tag("registry/discovery/_similar.html")
def similar_existing(kind, title=""):
    """The panel of entries like `title` of `kind` (topic or proposal), beside a create
    form's title: filled here for the title sent (without JavaScript, after a submit), and
    as it is typed by registry.discovery.pickers.similar (the same context)."""
    return pickers.similar_context(kind, title or "")


@register.inclusion_tag("registry/discovery/_funder_role.html", takes_context=True)
def funder_role_form(context, person, profile):
    """For moderators: the button that grants or takes away the funder role; for the funder
    themself: a link to their alerts."""
    user = context["user"]
    return {"person": person, "profile": profile, "user": user,
            "is_moderator": permissions.is_moderator(user), "csrf_token": context.get("csrf_token")}
