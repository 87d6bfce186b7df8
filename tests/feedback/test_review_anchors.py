"""Anchors: a rendered draft cut into blocks named by the digest of their words, and into
top-level segments kept as they were."""

import hashlib

from registry.core.rendering import render_markdown
from registry.feedback import anchors

DRAFT = """# The plan

First  we *measure* &amp; count.

- one step
- another step
  - a nested step

> A quoted line.

```
code   here
```

| a | b |
|---|---|
| 1 | 2 |

---

First we *measure* &amp; count.
"""


def test_anchors_blocks_are_paragraphs_headings_items_quotes_and_code_in_order():
    found = anchors.blocks(render_markdown(DRAFT))

    assert [(block.tag, block.text) for block in found] == [
        ("h1", "The plan"), ("p", "First we measure & count."), ("li", "one step"),
        ("li", "another step"), ("li", "a nested step"), ("p", "A quoted line."),
        ("pre", "code here"), ("p", "First we measure & count.")]


def test_anchors_digest_is_the_sha256_of_the_normalised_words():
    block = anchors.blocks(render_markdown("Some   *words*\nhere."))[0]

    assert block.anchor == hashlib.sha256(b"Some words here.").hexdigest()
    assert len(block.anchor) == 64


def test_anchors_same_words_same_anchor_whatever_the_markup_around_them():
    before = anchors.blocks(render_markdown("Intro.\n\nThe claim stands."))
    after = anchors.blocks(render_markdown("New intro.\n\nThe   claim\nstands."))

    assert before[1].anchor == after[1].anchor
    assert before[0].anchor != after[0].anchor


def test_anchors_anchor_text_is_the_first_300_characters_and_the_label_80():
    block = anchors.blocks(render_markdown("word " * 100))[0]

    assert len(block.anchor_text) == 300
    assert block.label == ("word " * 16).strip()[:79].rstrip() + "…"
    assert len(block.label) == 80


def test_anchors_segments_keep_the_html_and_carry_their_blocks():
    html = render_markdown(DRAFT)

    cut = anchors.segments(html)

    assert [segment.html for segment in cut] == [
        "<h1>The plan</h1>", "<p>First  we <em>measure</em> &amp; count.</p>",
        "<ul>\n<li>one step</li>\n<li>another step\n<ul>\n<li>a nested step</li>\n</ul>\n"
        "</li>\n</ul>", "<blockquote>\n<p>A quoted line.</p>\n</blockquote>",
        "<pre><code>code   here\n</code></pre>",
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>", "<hr>",
        "<p>First we <em>measure</em> &amp; count.</p>"]
    assert [[block.text for block in segment.blocks] for segment in cut] == [
        ["The plan"], ["First we measure & count."],
        ["one step", "another step", "a nested step"], ["A quoted line."], ["code here"], [],
        [], ["First we measure & count."]]
    # Between the segments there is only the white space the renderer puts.
    rest = html
    for segment in cut:
        before, _, rest = rest.partition(segment.html)
        assert before.strip() == ""
    assert rest.strip() == ""


def test_anchors_find_the_first_block_or_none():
    html = render_markdown(DRAFT)
    anchor = anchors.digest("First we measure & count.")

    assert anchors.find(html, anchor).segment == 1
    assert anchors.find(html, "0" * 64) is None
    assert anchors.blocks("") == anchors.segments("") == []


def test_anchors_lines_with_unicode_line_separators_keep_the_offsets():
    html = render_markdown("One\u2028line.\n\nTwo.")

    assert [segment.html for segment in anchors.segments(html)] == [
        "<p>One\u2028line.</p>", "<p>Two.</p>"]
