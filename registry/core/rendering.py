"""Markdown to safe HTML, for every field that renders user text (writeups, proposals, …).

markdown-it-py parses with raw HTML switched off, then nh3 sanitises the result against an
allow-list, so neither the Markdown nor its HTML can carry script, styles, frames, event
handlers or javascript:/data: URLs. Bump RENDERER_VERSION whenever the output would change,
then run `manage.py rerender_markdown`: it re-renders the stored HTML of every writeup, writeup
version and proposal whose `renderer_version` is older.

Rendering happens when text is written, never when it is read: callers store the HTML
(Writeup.body_html, WriteupVersion.body_html, Proposal.analysis_html) and pages show it.

It is bounded, because markdown-it-py spends microseconds of Python on every delimiter, token
and line, and rescans link labels at every `[` (tests/markdown_bombs.py has the inputs that
show it: 100,000 `[` took 4 s). Three limits, all deterministic, so the same text always
renders the same way:

- MAX_NESTING: blocks nested deeper are not rendered (markdown-it's own `maxNesting`);
- WORK_BUDGET: the parse is metered, one unit per parsing rule tried and TOKEN_WEIGHT per
  token made; text that needs more is shown as plain text (escaped paragraphs) with a note;
- MAX_HTML: HTML longer than this is not sanitised (nh3's time grows with it) but likewise
  replaced by the plain text.

bench/markdown_bombs.py measures the result: every known bomb at a field's maximum length
renders in under 30 ms on a quiet 2-core machine (up to 4 s unbounded).
"""

import html
import re

import nh3
from markdown_it import MarkdownIt

RENDERER_VERSION = 2

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

# markdown-it's commonmark default, named so that the tests can hold it. Each list, list item,
# blockquote and paragraph opens a level: lists nested five deep inside a quote still render.
MAX_NESTING = 20
# The work one render may do, in units: a block rule tried, an inline position tried (its
# first rule), RULE_WEIGHT per link or image attempt (each rescans the label after `[`),
# TOKEN_WEIGHT per token made, LINE_WEIGHT per line. A unit is 1–3 µs of Python (more on a
# busy machine), so the budget is about 15–50 ms. Ordinary text needs far less than its length:
# a 60,000-character essay with a link every third sentence needs about 11,500 (from 85,000
# it is shown plain), a 23,000-character README dense with tables, lists and code 13,500.
WORK_BUDGET = 16_000
TOKEN_WEIGHT = 4
RULE_WEIGHT = {"link": 3, "image": 3}
LINE_WEIGHT = 2
# nh3's time grows with the HTML (about 0.1 ms a kilobyte for tag-dense HTML); a
# 100,000-character writeup makes 110–150 kB.
MAX_HTML = 200_000

PLAIN_NOTE = ("<p><em>This text is shown without formatting: it has more Markdown than "
              "Gapmap renders. Shorten it or split it to see it formatted.</em></p>\n")

_METER = "gapmap_meter"
_BLANK_LINES = re.compile(r"\n\s*\n")


class _OverBudget(Exception):
    pass


class _Meter:
    """One render's budget, kept in the parser's `env` (one per call, so thread-safe)."""

    __slots__ = ("left", "charged")

    def __init__(self, budget: int):
        self.left = budget
        self.charged: dict[int, int] = {}  # id(token list) → tokens already charged

    def spend(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise _OverBudget


def _metered(rule):
    """Wrap a rule so that each call spends one unit, plus TOKEN_WEIGHT for every token made
    on the same token list since the last metered call there: a rule that makes many tokens
    at once (a table, a list, a run of emphasis delimiters) is stopped at its next step."""

    def metered_rule(state, *args):
        meter = state.env[_METER]
        tokens = state.tokens
        made = len(tokens) - meter.charged.get(id(tokens), 0)
        if made > 0:
            meter.charged[id(tokens)] = len(tokens)
        meter.spend(1 + TOKEN_WEIGHT * max(made, 0))
        return rule(state, *args)

    return metered_rule


def _counted(rule, units: int):
    """Wrap a rule so that each call spends `units`; the cheapest wrapper, for the inline
    rules tried after the first at every position."""

    def counted_rule(state, *args):
        meter = state.env[_METER]
        meter.left -= units
        if meter.left < 0:
            raise _OverBudget
        return rule(state, *args)

    return counted_rule


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False,
                                   "maxNesting": MAX_NESTING})
    md.enable("table").enable("strikethrough")
    # Every block rule, and the first inline rule (the inline parser tries its rules in order
    # at every position it has not seen), also charge the tokens made; the other inline
    # rules only count their calls.
    first_inline = md.inline.ruler.__rules__[0]
    for ruler in (md.block.ruler, md.inline.ruler):
        for rule in list(ruler.__rules__):
            if ruler is md.block.ruler or rule is first_inline:
                fn = _metered(rule.fn)
            else:
                fn = _counted(rule.fn, RULE_WEIGHT.get(rule.name, 1))
            # `alt`: the chains (e.g. what may interrupt a paragraph) that call it too.
            ruler.at(rule.name, fn, {"alt": list(rule.alt)})
    return md


_markdown = _build()


def _plain(text: str) -> str:
    """`text` as escaped paragraphs (lines kept), in time linear in its length: safe by
    construction, so it needs no sanitiser."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (part.strip("\n") for part in _BLANK_LINES.split(text))
    return PLAIN_NOTE + "".join(
        "<p>" + html.escape(part).replace("\n", "<br>\n") + "</p>\n"
        for part in paragraphs if part.strip()
    )


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML. Safe to mark as safe in a template.

    Call when the text is written and store the result; bounded in time (see the module's
    docstring), but far too slow to call for every request.
    """
    text = text or ""
    meter = _Meter(WORK_BUDGET)
    try:
        # Every line costs before any rule runs (markdown-it indexes them all first).
        meter.spend(LINE_WEIGHT * text.count("\n"))
        html_out = _markdown.render(text, {_METER: meter})
    except _OverBudget:
        return _plain(text)
    if len(html_out) > MAX_HTML:
        return _plain(text)
    return nh3.clean(
        html_out,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
