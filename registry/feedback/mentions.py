"""@username in a comment: who it names, and the rendered HTML with each named person linked.

A mention names an active account by its username, case aside (sign-up keeps usernames unique
that way). Anything else after an @ (an unknown name, an e-mail address) stays plain text.
Mentions inside code and inside links stay as typed. The link shows the person's public name
as it is when the comment is written, like the rest of the stored HTML.
"""

import html
import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.urls import reverse

from registry.selectors import public_name

# An @ that does not continue a word or an address, then a username's characters.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.+-]*\w)")
# More names than this in one comment are left as plain text (each costs a lookup).
MAX_MENTIONS = 20
_TAG = re.compile(r"(<[^>]*>)")
_SKIPPED = re.compile(r"<(/?)(a|code|pre)\b", re.IGNORECASE)


def mentioned_people(text: str) -> dict:
    """{lower-cased username: person} for the active people `text` mentions (one query; none
    when it mentions nobody)."""
    names = list(dict.fromkeys(name.lower() for name in MENTION.findall(text or "")))
    if not names:
        return {}
    people = (get_user_model().objects.annotate(name=Lower("username"))
              .filter(name__in=names[:MAX_MENTIONS], is_active=True)
              .select_related("profile"))
    return {person.name: person for person in people}


def link_mentions(rendered: str, people: dict) -> str:
    """`rendered` (sanitised HTML from registry.core.rendering) with each mention of one of
    `people` made a link to their profile. Only text outside a, code and pre changes, and
    what is put in is escaped, so the HTML stays as safe as it was."""
    if not people:
        return rendered
    parts, skipping = _TAG.split(rendered), 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if found := _SKIPPED.match(part):
                skipping = max(0, skipping + (-1 if found.group(1) else 1))
        elif not skipping and "@" in part:
            parts[index] = MENTION.sub(lambda match: _link(match, people), part)
    return "".join(parts)


def _link(match, people) -> str:
    person = people.get(match.group(1).lower())
    if person is None:
        return match.group(0)
    url = reverse("registry:profile", kwargs={"username": person.username})
    return (f'<a class="mention" href="{html.escape(url)}">'
            f"@{html.escape(public_name(person))}</a>")
