"""Server-side SVG: the gap map and the proposals pipeline. No JavaScript; every shape has a
text equivalent (<title>, and the tables the pages show next to the pictures).

Strings are built here rather than in templates so the geometry stays in one place; every
piece of user text goes through escape() or quoteattr() below, which also strip what XML 1.0
cannot carry (a control character already stored in a title must not break the map).

Every word a reader sees is translated into the active language; the pages cache the
pictures per language (registry.selectors.per_stats_version).

The map stays small at thousands of topics: a tile is a link, a <use> of its status's shape
(defined once, see _defs) and its title's text; nothing is styled per tile.
"""

from xml.sax import saxutils

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from proposals.models import Stage
from registry.core.textclean import xml_safe
from registry.discovery.selectors import MapBand
from registry.models import TopicStatus

SVG_NS = "http://www.w3.org/2000/svg"
# Words, never letters or colour alone: the legend, each tile and each <title> say them.
STATUS_MEANING = {
    TopicStatus.GAP: _("nobody is working on it"),
    TopicStatus.CLAIMED: _("someone is working on it"),
    TopicStatus.PUBLISHED: _("waiting for recognition"),
    TopicStatus.COVERED: _("a recognised expert"),
}
# The badges' colours (gapmap.css :root: --gap, --gap-bg, …), spelled out so the file stands
# alone.
STATUS_COLOURS = {TopicStatus.GAP: ("#9b2c1f", "#fde8e4"),
                  TopicStatus.CLAIMED: ("#7a5200", "#fdf1d6"),
                  TopicStatus.PUBLISHED: ("#1f4f8a", "#e3edf9"),
                  TopicStatus.COVERED: ("#1d6b38", "#e0f3e6")}

WIDTH = 640
TILE_W, TILE_H, GUTTER, PER_ROW = 154, 54, 8, 4
LINE_CHARS = 18  # of a 13 px title in a tile's 136 px of text; a clip guards wide letters
TEXT_X = 12  # from a tile's left edge, past its status strip
BAR_W = 240
BAND_HEAD = 72  # the cluster's name, its share bar and its line of counts


def escape(text: str) -> str:
    return saxutils.escape(xml_safe(text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(xml_safe(text))


def status_name(status: str) -> str:
    """A status's word in the active language, escaped."""
    return escape(str(TopicStatus(status).label))


INK, MUTED, COIN = "#1d2330", "#4d5566", "#f2b705"


def _defs() -> str:
    """One tile shape per status (its background, border, strip and status word), and the
    clip that keeps a tile's text inside it. A tile's origin is where its text starts,
    TEXT_X inside its shape, so no text needs an x of its own. No <style>: presentation
    attributes, set once here, keep /map.svg a picture on its own and pages free of inline
    style elements."""
    shapes = "".join(
        f'<g id="gm-{status}"><rect x="-12" width="154" height="54" rx="4" fill="{bg}" '
        f'stroke="{ink}"/><rect x="-12" width="6" height="54" fill="{ink}"/>'
        f'<text y="48" font-size="12" font-weight="600" fill="{ink}">{status_name(status)}'
        f'</text></g>'
        for status, (ink, bg) in STATUS_COLOURS.items())
    more = (f'<g id="gm-more"><rect x="-12" width="154" height="54" rx="4" fill="#fff" '
            f'stroke="{MUTED}" stroke-dasharray="4 3"/></g>')
    return (f'<defs>{shapes}{more}<clipPath id="gm-clip"><rect x="-13" y="-1" width="156" '
            f'height="56"/></clipPath></defs>')


def wrap(text: str, *, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of at most `width` characters, broken between words;
    what does not fit ends in an ellipsis (the whole title is in the tile's <title>)."""
    out, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    out = [line if len(line) <= width else line[:width - 1] + "…" for line in out]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1].rstrip() + "…"
    return out or [""]


def gap_map(bands: list[MapBand]) -> str:
    """The catalogue as a picture for funders: a legend in words, then a band per cluster
    (most neglected first) with the share of its topics that are gaps, the work waiting for
    recognition, funder interest, and a linked tile per topic coloured and named by status.
    `bands` come from selectors.map_bands()."""
    parts, y = [_legend()], 90
    for band in bands:
        parts.append(_band(band, y))
        rows = max(1, -(-(len(band.shown) + (1 if band.more else 0)) // PER_ROW))
        y += BAND_HEAD + rows * (TILE_H + GUTTER) + 24
    title = gettext("The gap map")
    description = gettext("Every cluster, the largest share of gaps first, with how many of "
                          "its topics are gaps, how many wait for recognition and how many "
                          "funders are interested; then its topics, each a link, named with "
                          "its status.")
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {WIDTH} {y}" width="{WIDTH}" '
            f'height="{y}" role="group" class="gap-map" '
            f'aria-labelledby="gap-map-title gap-map-desc" font-family="system-ui, '
            f'-apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="13" '
            f'fill="{INK}">'
            f'<title id="gap-map-title">{escape(title)}</title>'
            f'<desc id="gap-map-desc">{escape(description)}</desc>'
            + _defs() + "".join(parts) + "</svg>")


def _legend() -> str:
    items = []
    for i, (status, meaning) in enumerate(STATUS_MEANING.items()):
        x, y = (i % 2) * 320, (i // 2) * 24
        ink, bg = STATUS_COLOURS[status]
        items.append(f'<rect x="{x}" y="{y}" width="18" height="18" rx="3" fill="{bg}" '
                     f'stroke="{ink}"/><rect x="{x}" y="{y}" width="5" height="18" '
                     f'fill="{ink}"/>'
                     f'<text x="{x + 26}" y="{y + 14}"><tspan font-weight="700">'
                     f'{status_name(status)}</tspan>: {escape(str(meaning))}</text>')
    sample = [(TopicStatus.GAP, 320, 30), (TopicStatus.CLAIMED, 350, 14),
              (TopicStatus.COVERED, 364, 10)]
    coin = gettext("funders interested in the topic")
    bar = gettext("a cluster’s topics by status")
    items.append(_coin(9, 57, 2)
                 + f'<text x="26" y="62">{escape(coin)}</text>'
                 + "".join(f'<rect x="{x}" y="51" width="{w}" height="12" '
                           f'fill="{STATUS_COLOURS[status][0]}"/>' for status, x, w in sample)
                 + f'<text x="382" y="62">{escape(bar)}</text>')
    return f'<g class="legend">{"".join(items)}</g>'


def _band(band: MapBand, y: int) -> str:
    cluster = band.cluster
    # Half or more gaps: the share is drawn bold in the gap colour.
    hot = (f' class="hot" font-weight="700" fill="{STATUS_COLOURS[TopicStatus.GAP][0]}"'
           if band.gap_percent >= 50 else "")
    share = ngettext("%(gaps)s of %(total)s topic is a gap (%(percent)s%%)",
                     "%(gaps)s of %(total)s topics are gaps (%(percent)s%%)", band.total) % {
        "gaps": band.gaps, "total": band.total, "percent": band.gap_percent}
    share = f'<text x="{BAR_W + 12}" y="{y + 40}"{hot}>{escape(share)}</text>'
    interest = (ngettext("%(counter)s funder interest", "%(counter)s funder interests",
                         band.funder_interest) % {"counter": band.funder_interest}
                if band.funder_interest else gettext("no funder interest yet"))
    note = gettext("%(count)s waiting for recognition · %(interest)s") % {
        "count": band.waiting, "interest": interest}
    note = (f'<text class="note" x="0" y="{y + 62}" font-size="12" fill="{MUTED}">'
            f'{escape(note)}</text>')
    tiles = [_tile(topic, *_place(i, y)) for i, topic in enumerate(band.shown)]
    if band.more:
        tiles.append(_more(band, *_place(len(band.shown), y)))
    return (f'<g class="band"><text class="cn" x="0" y="{y + 18}" font-size="16" '
            f'font-weight="700">'
            f'{escape(cluster.local_name)}</text>{_bar(band, y + 29)}{share}{note}'
            + "".join(tiles) + "</g>")


def _place(i: int, y: int) -> tuple[int, int]:
    """Where tile `i` of a band starting at `y` has its origin (see _defs)."""
    return ((i % PER_ROW) * (TILE_W + GUTTER) + TEXT_X,
            y + BAND_HEAD + (i // PER_ROW) * (TILE_H + GUTTER))


def _bar(band: MapBand, y: int) -> str:
    """The cluster's topics as one stacked bar, in ladder order (gaps on the left)."""
    rects, x = [], 0
    for status, n in band.status_counts.items():
        if not n:
            continue
        width = round(BAR_W * n / band.total, 1)
        rects.append(f'<rect class="{status}" x="{x:g}" y="{y}" width="{width:g}" '
                     f'height="14" fill="{STATUS_COLOURS[status][0]}"/>')
        x += width
    if not rects:
        rects.append(f'<rect x="0" y="{y}" width="{BAR_W}" height="14" fill="#d8dbe2"/>')
    return f'<g class="bar">{"".join(rects)}</g>'


def _tile(topic, x: int, y: int) -> str:
    interest, title = topic.funder_interest, topic.local_title
    status = str(TopicStatus(topic.status).label)
    # The status's meaning is in the legend and the map's <desc>; a tile names it only.
    label = (ngettext("%(title)s: %(status)s; %(count)s funder interested",
                      "%(title)s: %(status)s; %(count)s funders interested", interest)
             % {"title": title, "status": status, "count": interest}
             if interest else f"{title}: {status}")
    lines = wrap(title)
    text = f'<text y="19" clip-path="url(#gm-clip)">{escape(lines[0])}'
    if len(lines) > 1:
        text += f'<tspan x="0" dy="15">{escape(lines[1])}</tspan>'
    text += "</text>"
    return (f'<a href={quoteattr(topic.get_absolute_url())} class="t {topic.status}" '
            f'transform="translate({x},{y})">'
            f'<title>{escape(label)}</title><use href="#gm-{topic.status}"/>{text}'
            f'{_coin(128, 42, interest) if interest else ""}</a>')


def _coin(x: int, y: int, count: int) -> str:
    """The funder-interest marker: a gold coin with the number of funders on it."""
    return (f'<g class="fi"><circle cx="{x}" cy="{y}" r="9" fill="{COIN}" stroke="{INK}"/>'
            f'<text x="{x}" y="{y + 4}" font-size="12" font-weight="700" '
            f'text-anchor="middle">{count}</text></g>')


def _more(band: MapBand, x: int, y: int) -> str:
    # A band shows a "more" tile only past MAP_TILES_PER_CLUSTER topics, so both counts are
    # plural.
    title = gettext("All %(count)s topics in %(cluster)s") % {
        "count": band.total, "cluster": band.cluster.local_name}
    more = gettext("%(count)s more topics") % {"count": band.more}
    here = gettext("in this cluster →")
    return (f'<a href={quoteattr(band.cluster.get_absolute_url())} class="t more" '
            f'transform="translate({x},{y})"><title>{escape(title)}</title>'
            f'<use href="#gm-more"/>'
            f'<text y="22" fill="#1f4fa3" text-decoration="underline">{escape(more)}</text>'
            f'<text y="40" fill="#1f4fa3">{escape(here)}</text></a>')


def pipeline_chart(bars) -> str:
    """Proposals by stage: a bar per stage under its name, its count and the median days in
    it. Narrow (280 wide) so it sits beside the map at its own size."""
    most = max([bar.count for bar in bars] + [1])
    width, row = 280, 44
    parts = []
    for i, bar in enumerate(bars):
        y = 6 + i * row
        length = round(width * bar.count / most)
        median = ("—" if bar.median_days is None else
                  gettext("median %(days)s days") % {"days": f"{bar.median_days:g}"})
        stage = str(Stage(bar.stage).label)
        about = ngettext("%(stage)s: %(count)s proposal, %(median)s in this stage",
                         "%(stage)s: %(count)s proposals, %(median)s in this stage",
                         bar.count) % {"stage": stage, "count": bar.count, "median": median}
        parts.append(
            f'<g><title>{escape(about)}</title>'
            f'<text x="0" y="{y + 14}" font-weight="700">{escape(stage)}</text>'
            f'<text x="{width}" y="{y + 14}" text-anchor="end">{bar.count} · '
            f'{escape(median)}</text>'
            f'<rect x="0" y="{y + 20}" width="{width}" height="12" fill="#eef3fb"/>'
            f'<rect x="0" y="{y + 20}" width="{max(length, 1)}" height="12" fill="#2b5797"/>'
            f'</g>')
    height = 12 + len(bars) * row
    title = gettext("Proposals by stage, with the median days spent in the stage so far")
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" class="pipeline-chart" '
            f'aria-labelledby="pipeline-title" font-family="system-ui, sans-serif" '
            f'font-size="13" fill="#1d2330">'
            f'<title id="pipeline-title">{escape(title)}</title>' + "".join(parts) + "</svg>")
