"""Pieces of discovery that other apps' pages include: the proposals pipeline chart and the
"similar existing ones" list shown before someone creates a topic or a proposal; and the
filters that name a status, a stage or a search entry's status in the active language."""

from django import template
from django.utils.safestring import mark_safe

from proposals.models import Stage
from registry import permissions
from registry import selectors as registry_selectors
from registry.discovery import pickers, selectors, svg
from registry.discovery.models import SearchEntry
from registry.models import TopicStatus, Writeup

register = template.Library()


@register.inclusion_tag("registry/discovery/_pipeline.html", takes_context=True)
def pipeline_chart(context):
    # Reads every proposal's stage; every stage move refreshes its topics' stats.
    bars = registry_selectors.per_stats_version("pipeline", selectors.pipeline,
                                                request=context["request"])
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


def _label(choices, value) -> str:
    """`value`'s label among `choices` (a TextChoices), or `value` itself when unknown."""
    return choices(value).label if value in choices.values else value


@register.filter
def status_name(status):
    """A topic's status (TopicStatus) by its word in the active language."""
    return _label(TopicStatus, status)


@register.filter
def stage_name(stage):
    """A proposal's stage by its name in the active language."""
    return _label(Stage, stage)


@register.filter
def entry_status(entry):
    """A search entry's status in the active language: a topic's status, a proposal's stage
    or a writeup's kind."""
    choices = {SearchEntry.Kind.TOPIC: TopicStatus, SearchEntry.Kind.PROPOSAL: Stage,
               SearchEntry.Kind.WRITEUP: Writeup.Kind}.get(entry.kind)
    return _label(choices, entry.status) if choices else entry.status
