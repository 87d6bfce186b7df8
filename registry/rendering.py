"""Markdown to safe HTML, for every field that renders user text (writeups, proposals, …).

markdown-it-py parses with raw HTML switched off, then nh3 sanitises the result against an
allow-list, so neither the Markdown nor its HTML can carry script, styles, frames, event
handlers or javascript:/data: URLs. Bump RENDERER_VERSION whenever the output would change;
stored HTML rendered by an older version is then re-rendered (see `needs_rerender`).
"""

import nh3
from markdown_it import MarkdownIt

RENDERER_VERSION = 1

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable(
    "strikethrough"
)


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML. Safe to mark as safe in a template."""
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def needs_rerender(stored_version: int) -> bool:
    return stored_version != RENDERER_VERSION
