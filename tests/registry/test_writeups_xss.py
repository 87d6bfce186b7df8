"""Writeup Markdown must render inert: nothing executable or styled ever reaches a page."""

import re
from html.parser import HTMLParser

import pytest

from registry import services
from tests.factories import TopicFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click](<java\tscript:alert(1)>)",
    "[click]( javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
    "[x](https://ok.example \"title\\\" onmouseover=alert(1) x=\\\"\")",
    "[x](https://ok.example/\"><script>alert(1)</script>)",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=javascript:alert(1)></object>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](vbscript:msgbox(1))",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "```\n</code><script>alert(1)</script>\n```",
    "<form action=javascript:alert(1)><button>x</button></form>",
]

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
SAFE_ATTRIBUTES = {"href", "src", "title", "alt", "align", "start", "rel"}


class _Elements(HTMLParser):
    """Collects (tag, attributes) as a browser would see them (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _scheme(url):
    # Browsers drop ASCII tab and newline anywhere in a URL and leading spaces/controls.
    cleaned = re.sub(r"^[\x00-\x20]+", "", re.sub(r"[\t\n\r]", "", url))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def _assert_inert(html):
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in SAFE_TAGS, (tag, html)
        assert set(attrs) <= SAFE_ATTRIBUTES, (attrs, html)
        for name in ("href", "src"):
            if name in attrs:
                assert _scheme(attrs[name]) in (None, "http", "https", "mailto"), (attrs, html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_writeup_body_renders_inert(alice, payload):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="t",
                                      kind="insight", body=payload)

    _assert_inert(writeup.body_html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_writeup_page_shows_payload_inert(client, alice, payload):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title=payload,
                                      kind="insight", body=payload)
    services.writeup_publish(writeup=writeup, actor=alice)

    html = client.get(writeup.get_absolute_url()).content.decode()

    article = html.split('<article class="writeup">', 1)[1].split("</article>", 1)[0]
    header, body = article.split('<div class="prose">', 1)
    _assert_inert(body.rsplit("</div>", 1)[0])
    if "<" in payload:
        assert payload not in header  # the title is escaped, never markup
    assert "<script>alert" not in html.lower()


def test_there_are_at_least_twenty_payloads():
    assert len(PAYLOADS) >= 20


def test_safe_links_keep_working_with_nofollow(alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="t",
                                      kind="insight", body="[ok](https://example.org/a)")

    assert writeup.body_html == (
        '<p><a href="https://example.org/a" rel="nofollow noopener">ok</a></p>\n')


@pytest.mark.parametrize("html", [
    '<p><script>alert(1)</script></p>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" data:text/html,x">x</a>',
    '<p style="color:red">x</p>',
])
def test_inert_check_catches_unsafe_html(html):
    with pytest.raises(AssertionError):
        _assert_inert(html)
