"""Template tags: the follow button on topic and proposal pages and writeups' discussions."""

from django import template
from django.urls import reverse

from proposals.models import Proposal
from registry.models import Writeup
from registry.notifications import selectors

register = template.Library()


@register.inclusion_tag("registry/notifications/_follow_button.html", takes_context=True)
def follow_button(context, target):
    """Follow/unfollow form for a topic, a proposal or a writeup's discussion (one query,
    none for visitors)."""
    user = context["user"]
    if isinstance(target, Proposal):
        kind, action = "proposal", reverse("notifications:proposal-follow", args=[target.pk])
    elif isinstance(target, Writeup):
        kind, action = "writeup", reverse("notifications:writeup-follow", args=[target.pk])
    else:
        kind, action = "topic", reverse("notifications:topic-follow", args=[target.slug])
    following = user.is_authenticated and selectors.follows(user, **{kind: target})
    return {"user": user, "request": context.get("request"), "action": action,
            "following": following}
