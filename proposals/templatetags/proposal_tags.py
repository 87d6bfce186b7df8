"""Template tags: a topic page's proposals by stage, and the invitations on My work."""

from django import template

from proposals import selectors
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
        ("owner", "Invitations to own a proposal", selectors.pending_invitations_for(user)),
        ("co-author", "Invitations to co-author a proposal",
         selectors.pending_invitations_for(user, CoAuthorInvitation)),
    ]}
