"""Where a review comment sits: the blocks of a draft's rendered HTML, each named by a digest
of its text.

A block is a paragraph, a heading, a list item, a block quote or a preformatted block (p,
h1–h6, li, blockquote, pre). Its text is what it says outside the blocks nested in it (a list
item's own words, not its sub-list's; a quote's paragraphs are blocks of their own), with
white space collapsed. Its `anchor` is the sha256 of that text (64 hex characters): the same
words give the same anchor in every version, so a comment stays beside its paragraph until
the paragraph's words change; then it is "on an earlier version" and quotes `text[:300]`.

The HTML is the stored, sanitised output of registry.core.rendering (body_html,
analysis_html); `segments` cuts it, unchanged, into its top-level elements so a page can show
each one with the comments on the blocks inside it.
"""

import hashlib
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})
VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "col", "area", "input", "source", "track",
                       "embed", "meta", "link", "base", "param"})
ANCHOR_TEXT_LENGTH = 300
# What a choice of paragraph shows of it.
LABEL_LENGTH = 80


def normalise(text: str) -> str:
    """The words of a block as its anchor digests them: NFC, white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Block:
    anchor: str
    text: str  # normalised, whole
    tag: str
    segment: int  # the index of the top-level element it is in (see segments)

    @property
    def anchor_text(self) -> str:
        return self.text[:ANCHOR_TEXT_LENGTH]

    @property
    def label(self) -> str:
        """The block's first LABEL_LENGTH characters, for a choice of paragraph."""
        if len(self.text) <= LABEL_LENGTH:
            return self.text
        return self.text[:LABEL_LENGTH - 1].rstrip() + "…"


@dataclass
class Segment:
    """One top-level element of the HTML, as it was (so as safe as it was), and its blocks."""

    html: str
    blocks: list[Block] = field(default_factory=list)


class _Splitter(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        # getpos() counts lines by "\n" alone (str.splitlines would also cut at U+2028).
        self.line_starts = [0]
        for line in source.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.depth = 0
        self.segment_start = None
        self.segments: list[tuple[int, int]] = []
        self.open_blocks: list[tuple[str, int, list[str]]] = []  # (tag, position, words)
        self.found: list[tuple[int, Block]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.segment_start = self._offset()
        if tag in VOID_TAGS:
            if self.depth == 0:
                self._close_segment(self._offset() + len(self.get_starttag_text()))
            return
        self.depth += 1
        if tag in BLOCK_TAGS:
            self.open_blocks.append((tag, self._offset(), []))

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.segment_start = self._offset()
            self._close_segment(self._offset() + len(self.get_starttag_text()))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or self.depth == 0:
            return
        if tag in BLOCK_TAGS and any(open_tag == tag for open_tag, _, _ in self.open_blocks):
            # Sanitised HTML closes what it opens; should it not, the blocks left open
            # inside this one end here.
            while True:
                open_tag, position, words = self.open_blocks.pop()
                text = normalise("".join(words))
                if text:
                    self.found.append((position, Block(
                        anchor=digest(text), text=text, tag=open_tag,
                        segment=len(self.segments))))
                if open_tag == tag:
                    break
        self.depth -= 1
        if self.depth == 0:
            end = self.source.index(">", self._offset()) + 1
            self._close_segment(end)

    def handle_data(self, data):
        if self.open_blocks:
            self.open_blocks[-1][2].append(data)

    def _close_segment(self, end: int) -> None:
        self.segments.append((self.segment_start, end))
        self.segment_start = None


def _split(html: str) -> _Splitter:
    splitter = _Splitter(html or "")
    splitter.feed(html or "")
    splitter.close()
    return splitter


def blocks(html: str) -> list[Block]:
    """The blocks of `html` in document order (a repeated paragraph appears each time)."""
    return [block for _, block in sorted(_split(html).found, key=lambda pair: pair[0])]


def segments(html: str) -> list[Segment]:
    """`html` cut into its top-level elements, each with the blocks inside it, in order."""
    splitter = _split(html)
    result = [Segment(html=html[start:end]) for start, end in splitter.segments]
    for _, block in sorted(splitter.found, key=lambda pair: pair[0]):
        result[block.segment].blocks.append(block)
    return result


def find(html: str, anchor: str) -> Block | None:
    """The first block of `html` whose anchor is `anchor`, or None."""
    return next((block for block in blocks(html) if block.anchor == anchor), None)
