"""The worst inputs we know for the Markdown renderer (markdown-it-py), each built at any
length: the corpus for tests/core/test_limits.py and bench/markdown_bombs.py.

Each builder returns exactly `length` characters. Unbounded, most of these took 0.5–6 s to
render at 100,000 characters (a writeup body's maximum), against 2 ms for a plain paragraph:
markdown-it-py does a few microseconds of Python per delimiter, token or line, and link
labels (`[`, `![`) rescan up to maxNesting levels at every bracket. registry.core.rendering bounds
them with a work budget; see bench/markdown_bombs.py for the figures.
"""


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _growing(make, length: int) -> str:
    """make(1) + make(2) + … cut to `length`: runs that grow by one each time."""
    parts, size, i = [], 0, 1
    while size < length:
        part = make(i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)[:length]


def plain(length: int) -> str:
    """The baseline: one paragraph of ordinary words."""
    return _repeat("Compute governance needs people who read the chips. ", length)


BOMBS = {
    # Links and images: every `[` starts a label scan.
    "open_brackets": lambda n: "[" * n,
    "nested_brackets": lambda n: _repeat("[a", n),
    "balanced_brackets": lambda n: "[" * (n // 2) + "]" * (n - n // 2),
    "unclosed_links": lambda n: _repeat("[a](", n),
    "links_in_links": lambda n: _repeat("[[a](b)", n),
    "nested_images": lambda n: _repeat("![", n),
    "closed_nested_images": lambda n: ("![" * (n // 6) + "](u)" * (n // 6)).ljust(n, "a"),
    "long_reference_definition": lambda n: "[" + "a" * (n - 6) + "]: /u",
    "reference_definitions": lambda n: _repeat("[a]: <b\n", n),
    # Emphasis: one token per delimiter, paired afterwards.
    "emphasis_runs": lambda n: _growing(lambda i: "*a" + "*" * i, n),
    "star_alternation": lambda n: _repeat("*a", n),
    "underscore_alternation": lambda n: _repeat("_a", n),
    "mixed_delimiters": lambda n: _repeat("*_", n),
    "strikethrough_runs": lambda n: _repeat("~~a", n),
    # Nesting: each level is a block inside a block.
    "deep_list": lambda n: _repeat("- ", n),
    "deep_blockquote": lambda n: _repeat("> ", n),
    "deep_blockquote_lines": lambda n: _growing(lambda i: "> " * i + "a\n", n),
    # Code spans: backtick runs looking for a closing run of the same length.
    "backtick_run": lambda n: "`" * n,
    "backtick_runs": lambda n: _growing(lambda i: "`" * i + "a", n),
    # Many small blocks: a few tokens every few characters.
    "list_items": lambda n: _repeat("- a\n", n),
    "headings": lambda n: _repeat("# a\n", n),
    "setext_headings": lambda n: _repeat("a\n=\n", n),
    "table_rows": lambda n: ("|a|b|\n|-|-|\n" + _repeat("|x|y|\n", n))[:n],
    "short_paragraphs": lambda n: _repeat("a\n\n", n),
    "hard_breaks": lambda n: _repeat("a  \n", n),
    "blank_lines": lambda n: "\n" * n,
    "indented_code_lines": lambda n: _repeat("    a\n", n),
    "fenced_code_lines": lambda n: ("```\n" + _repeat("a\n", n))[:n],
    # One line of indentation: markdown-it measures it a character at a time.
    "indentation": lambda n: " " * (n - 1) + "a",
    "indentation_then_images": lambda n: " " * (n // 2) + "a\n\n" + _repeat("![", n - n // 2 - 3),
    # Characters that grow when escaped, or that every inline rule looks at.
    "entities": lambda n: _repeat("&#", n),
    "angle_brackets": lambda n: "<" * n,
    "autolink_starts": lambda n: _repeat("<a:", n),
    "quotes": lambda n: '"' * n,
}


def corpus(length: int) -> dict[str, str]:
    """Every bomb at `length` characters, by name."""
    return {name: build(length) for name, build in BOMBS.items()}
