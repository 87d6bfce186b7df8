"""People as this viewer may see them: a hidden profile shows others its username only, with
no display name, affiliation or disclosure (registry.selectors.profile_visible_to)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from registry import selectors

register = template.Library()


def _viewer(context):
    user = getattr(context.get("request"), "user", None) or context.get("user")
    return user or AnonymousUser()


@register.simple_tag(takes_context=True)
def person_name(context, person) -> str:
    return selectors.person_name(person, _viewer(context)) if person else ""


@register.simple_tag(takes_context=True)
def shown_profile(context, person):
    """The person's profile when this viewer may see it, else None (use with `as`)."""
    profile = getattr(person, "profile", None)
    return profile if selectors.profile_visible_to(_viewer(context), profile) else None
