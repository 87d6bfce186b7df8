"""`{% lang_of writeup %}`: the ` lang="…"` attribute for what a person wrote, from its
`language`, or nothing when that is unknown (issue 18: people's own text is shown in the
language it was written in, marked where it is known)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def lang_of(obj) -> str:
    language = getattr(obj, "language", "")
    return format_html(' lang="{}"', language) if language else ""
