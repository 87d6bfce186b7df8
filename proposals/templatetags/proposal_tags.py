"""Template tags: a topic page's proposals by stage, and the invitations on My work; the
stage and board column names, and people as links for a sentence to translate."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals import selectors, services
from proposals.forms import COLUMN_LABELS
from proposals.models import CoAuthorInvitation, Stage

register = template.Library()


@register.inclusion_tag("proposals/_topic_proposals.html", takes_context=True)
def topic_proposals(context, topic):
    """The topic's proposals grouped by stage, open stages first (one query)."""
    groups = {stage: [] for stage in Stage.values}
    for proposal in selectors.topic_proposals(topic):
        groups[proposal.stage].append(proposal)
    return {"topic": topic, "user": context.get("user"),
            "by_stage": [(stage, rows) for stage, rows in groups.items() if rows]}


@register.inclusion_tag("proposals/_my_invitations.html")
def my_owner_invitations(user):
    """The person's pending owner and co-author invitations (the "My work" page)."""
    return {"sections": [
        ("owner", _("Invitations to own a proposal"), selectors.pending_invitations_for(user)),
        ("co-author", _("Invitations to co-author a proposal"),
         selectors.pending_invitations_for(user, CoAuthorInvitation)),
    ]}


@register.filter
def stage_label(column: str) -> str:
    """A stage's or a board column's ("closed") name in the active language, lower case
    ("analysis", "con responsable"); anything else as it is."""
    return COLUMN_LABELS.get(str(column), column)


_FIXED_NOTES = {services.ACCEPTED_NOTE, services.ADMIN_WITHDRAWN_NOTE}
_MOVED_NOTE = re.compile(re.escape(services.MOVED_NOTE).replace(re.escape("%(stage)s"),
                                                                 "(?P<stage>[a-z]+)"))


@register.filter
def history_note(note: str) -> str:
    """A history note as the reader's language says it: a note the services wrote themselves
    (stored in English) translated, any note a person typed as it is."""
    if note in _FIXED_NOTES:
        return gettext(note)
    moved = _MOVED_NOTE.fullmatch(note)
    if moved and moved["stage"] in Stage.values:
        return gettext(services.MOVED_NOTE) % {"stage": Stage(moved["stage"]).label}
    return note


@register.simple_tag(takes_context=True)
def person_links(context, *people):
    """Each person (a person, None, or a list of people) as registry/_person.html links to
    them, joined by commas: a value to bind in a {% blocktranslate %} sentence (use with `as`),
    where an {% include %} cannot go."""
    template_ = context.template.engine.get_template("registry/_person.html")
    links = []
    for given in people:
        for person in (given if _is_list(given) else [given]):
            with context.push(person=person):
                links.append(conditional_escape(template_.render(context)))
    return mark_safe(", ".join(links))


def _is_list(value) -> bool:
    return hasattr(value, "__iter__") and not isinstance(value, str) and not hasattr(
        value, "username")
