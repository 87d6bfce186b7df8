"""People as this viewer may see them: a hidden profile shows others its username only, with
no display name, affiliation or disclosure (registry.selectors.profile_visible_to)."""

import zlib

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.html import format_html

from registry import selectors

register = template.Library()

# How many avatar colours gapmap.css defines (.avatar-0 … .avatar-7), each dark enough for
# white initials (WCAG AA).
AVATAR_COLOURS = 8


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


def initials(name: str) -> str:
    """"Nia Silva" → "NS", "Ana de Souza" → "AS" (first and last word), "Nia" → "N"."""
    words = name.split()
    if not words:
        return "?"
    first, last = words[0], words[-1]
    return (first[0] + (last[0] if len(words) > 1 else "")).upper()


def avatar_colour(name: str) -> int:
    """The same name always gets the same colour, on every page and every run."""
    return zlib.crc32(name.encode()) % AVATAR_COLOURS


@register.simple_tag(takes_context=True)
def avatar(context, person, size=""):
    """The person's initials in a coloured circle, from the name this viewer sees (a hidden
    profile's username). Hidden from screen readers: the name beside it says who it is."""
    name = selectors.person_name(person, _viewer(context)) if person else ""
    size_class = f" avatar-{size}" if size in ("small", "large") else ""
    return format_html('<span class="avatar avatar-{}{}" aria-hidden="true">{}</span>',
                       avatar_colour(name), size_class, initials(name))
