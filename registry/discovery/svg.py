"""Server-side SVG: the gap map and the proposals pipeline. No JavaScript; every shape has a
text equivalent (<title>, and the tables the pages show next to the pictures).

Strings are built here rather than in templates so the geometry stays in one place; every
piece of user text goes through escape() or quoteattr() below, which also strip what XML 1.0
cannot carry (a control character already stored in a title must not break the map).
"""

from xml.sax import saxutils

from proposals.models import OPEN_STAGES
from registry.core.textclean import xml_safe
from registry.models import TopicStatus

STATUS_COLOURS = {TopicStatus.GAP: "#9b2c1f", TopicStatus.CLAIMED: "#8a5d00",
                  TopicStatus.PUBLISHED: "#1f4f8a", TopicStatus.COVERED: "#1d6b38"}
# A letter in each cell as well as the colour, so the map reads in greyscale print too.
STATUS_LETTERS = {TopicStatus.GAP: "G", TopicStatus.CLAIMED: "C", TopicStatus.PUBLISHED: "P",
                  TopicStatus.COVERED: "V"}
CELL, STEP, PER_ROW, LABEL_WIDTH, LEGEND_STEP = 36, 42, 8, 210, 110
SVG_NS = "http://www.w3.org/2000/svg"


def escape(text: str) -> str:
    return saxutils.escape(xml_safe(text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(xml_safe(text))


def activity(topic) -> int:
    """What the dot in a cell measures: active claims, published writeups, open proposals and
    funder interest, added up."""
    open_proposals = sum(getattr(topic, f"open_proposals_{stage}", 0) for stage in OPEN_STAGES)
    return (topic.active_claims + topic.published_writeups + open_proposals
            + getattr(topic, "funder_interest", 0))


def _dot_radius(level: int) -> int:
    return 0 if level == 0 else 3 if level <= 2 else 6


def gap_map(clusters) -> str:
    """The catalogue as a grid: one band per cluster, one linked cell per listed topic,
    coloured and lettered by status, with a dot sized by activity. `clusters` come from
    selectors.map_clusters()."""
    parts, y = [], 10
    for cluster in clusters:
        topics = cluster.listed_topics
        rows = max(1, -(-len(topics) // PER_ROW))
        parts.append(f'<text x="0" y="{y + 22}" class="cluster" font-size="14" '
                     f'font-weight="bold" fill="#1f2933">{escape(cluster.name[:28])}</text>')
        for i, topic in enumerate(topics):
            x = LABEL_WIDTH + (i % PER_ROW) * STEP
            cy = y + (i // PER_ROW) * STEP
            parts.append(_cell(topic, x, cy))
        y += rows * STEP + 12
    legend_y = y + 10
    parts.append(_legend(legend_y))
    height = legend_y + 40
    width = LABEL_WIDTH + PER_ROW * STEP
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="group" class="gap-map" '
            f'aria-labelledby="gap-map-title gap-map-desc" font-family="sans-serif">'
            f'<title id="gap-map-title">The gap map</title>'
            f'<desc id="gap-map-desc">Every listed topic, grouped by cluster. G: gap, nobody '
            f'works on it; C: claimed; P: published, nobody recognised yet; V: covered. '
            f'A dot marks activity (claims, writeups, '
            f'proposals, funder interest); a larger dot, more of it.</desc>'
            + "".join(parts) + "</svg>")


def _cell(topic, x, y) -> str:
    colour = STATUS_COLOURS[topic.status]
    level = activity(topic)
    label = (f"{topic.title} — {topic.status}; {topic.active_claims} active claims, "
             f"{topic.published_writeups} writeups, activity {level}")
    radius = _dot_radius(level)
    dot = (f'<circle cx="{x + CELL - 8}" cy="{y + 8}" r="{radius}" fill="#ffffff" '
           f'stroke="{colour}"/>' if radius else "")
    return (f'<a href={quoteattr(topic.get_absolute_url())} aria-label={quoteattr(label)}>'
            f'<title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{colour}"/>'
            f'<text x="{x + CELL // 2}" y="{y + 24}" text-anchor="middle" font-size="14" '
            f'fill="#ffffff">{STATUS_LETTERS[topic.status]}</text>{dot}</a>')


def _legend(y) -> str:
    items = []
    for i, (status, colour) in enumerate(STATUS_COLOURS.items()):
        x = i * LEGEND_STEP
        items.append(f'<rect x="{x}" y="{y}" width="18" height="18" rx="3" fill="{colour}"/>'
                     f'<text x="{x + 9}" y="{y + 14}" text-anchor="middle" font-size="11" '
                     f'fill="#ffffff">{STATUS_LETTERS[status]}</text>'
                     f'<text x="{x + 24}" y="{y + 14}" font-size="13" fill="#1f2933">'
                     f'{status}</text>')
    x = len(STATUS_COLOURS) * LEGEND_STEP
    items.append(f'<circle cx="{x + 9}" cy="{y + 9}" r="5" fill="#ffffff" '
                 f'stroke="#1f2933"/><text x="{x + 20}" y="{y + 14}" font-size="13" '
                 f'fill="#1f2933">activity</text>')
    return f'<g class="legend">{"".join(items)}</g>'


def pipeline_chart(bars) -> str:
    """Proposals by stage: a bar per stage, its count and the median days in it."""
    most = max([bar.count for bar in bars] + [1])
    width, bar_max, row = 600, 300, 34
    parts = []
    for i, bar in enumerate(bars):
        y = 10 + i * row
        length = round(bar_max * bar.count / most)
        median = "—" if bar.median_days is None else f"median {bar.median_days:g} days"
        parts.append(
            f'<g><title>{bar.stage}: {bar.count} proposals, {median} in this stage</title>'
            f'<text x="0" y="{y + 18}" font-size="14" fill="#1f2933">{bar.stage}</text>'
            f'<rect x="110" y="{y}" width="{max(length, 1)}" height="24" fill="#2b5797"/>'
            f'<text x="{118 + length}" y="{y + 18}" font-size="13" fill="#1f2933">'
            f'{bar.count} · {median}</text></g>')
    height = 20 + len(bars) * row
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" class="pipeline-chart" '
            f'aria-labelledby="pipeline-title" font-family="sans-serif">'
            f'<title id="pipeline-title">Proposals by stage, with the median days spent in '
            f'the stage so far</title>' + "".join(parts) + "</svg>")
