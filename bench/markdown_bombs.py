"""How long the Markdown renderer takes on the worst inputs we know, at each Markdown field's
maximum length. Standalone (no database, no Django setup):

    .venv/bin/python bench/markdown_bombs.py             # every field, every bomb
    .venv/bin/python bench/markdown_bombs.py --unbounded  # also markdown-it-py without limits

Prints, per input: the best of --runs renders in ms (wall clock, so a busy machine shows),
the ratio to a plain paragraph of the same length, and whether the work budget or the HTML
limit turned it into plain text. The corpus is tests/markdown_bombs.py; the limits are in
registry/core/limits.py and registry/core/rendering.py. Timings are not asserted anywhere: the tests
check deterministic properties instead.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from markdown_it import MarkdownIt  # noqa: E402

from registry.core import limits, rendering  # noqa: E402
from tests.markdown_bombs import corpus, plain  # noqa: E402

FIELDS = [("writeup", "body"), ("proposal", "analysis")]


def best_ms(render, text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        render(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders per input; best is kept")
    parser.add_argument("--unbounded", action="store_true",
                        help="also time markdown-it-py without the limits (slow: minutes)")
    args = parser.parse_args()
    unbounded = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        "table").enable("strikethrough")

    for kind, field in FIELDS:
        length = limits.max_length(kind, field)
        baseline = best_ms(rendering.render_markdown, plain(length), args.runs)
        print(f"\n{kind}.{field}: {length:,} characters; plain paragraph {baseline:.2f} ms")
        header = f"{'input':28} {'ms':>8} {'× plain':>8}  {'shown as':10}"
        print(header + ("  unbounded ms" if args.unbounded else ""))
        worst = 0.0
        for name, text in corpus(length).items():
            ms = best_ms(rendering.render_markdown, text, args.runs)
            worst = max(worst, ms)
            shown = ("plain text" if rendering.render_markdown(text).startswith(
                rendering.PLAIN_NOTE) else "Markdown")
            row = f"{name:28} {ms:8.1f} {ms / baseline:8.0f}  {shown:10}"
            if args.unbounded:
                row += f"  {best_ms(unbounded.render, text, 1):12.0f}"
            print(row, flush=True)
        print(f"{'worst':28} {worst:8.1f} {worst / baseline:8.0f}")


if __name__ == "__main__":
    main()
