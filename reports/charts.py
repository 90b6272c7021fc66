"""Server-drawn SVG charts: readable without colour, with a title, a description and a data table.

The same ``Chart`` renders on the page and in a PDF (WeasyPrint draws inline SVG). No style
attributes are used, so the strict CSP holds.
"""

import html
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import mark_safe


def escape(text) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper: the same characters escaped
    (``html.escape``); a chart writes a few hundred labels."""
    return html.escape(str(text))


BAR_HEIGHT = 16
GAP = 10
LABEL_WIDTH = 340
CHART_WIDTH = 640
FONT = "Arial, Liberation Sans, sans-serif"
SERIES_STYLES = [
    # fill, pattern id (None = solid): the second series is hatched so it reads in greyscale too
    ("#005eb8", None),
    ("#768692", "hatch"),
]


@dataclass
class Series:
    name: str
    values: list  # numbers to draw (suppressed values already 0)
    labels: list  # text shown at the end of each bar (e.g. "fewer than 5")


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    categories: list
    series: list = field(default_factory=list)
    unit: str = ""

    @cached_property
    def svg(self) -> str:
        return mark_safe(render_bar_chart(self))

    @cached_property
    def table(self) -> dict:
        return {
            "headers": ["", *[s.name for s in self.series]],
            "rows": [[c, *[s.labels[i] for s in self.series]] for i, c in enumerate(self.categories)],
        }


def render_bar_chart(chart: Chart) -> str:
    if not chart.categories or not any(v for s in chart.series for v in s.values):
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{chart.slug}-title" '
            f'viewBox="0 0 {CHART_WIDTH} 30" width="100%" font-family="{FONT}" font-size="13">'
            f'<title id="{chart.slug}-title">{escape(chart.title)}: nothing recorded</title>'
            f'<text x="0" y="20" fill="#4c6272">Nothing recorded for this period.</text></svg>'
        )
    n_series = max(1, len(chart.series))
    group_height = n_series * BAR_HEIGHT + GAP
    legend_height = 24 if n_series > 1 else 0
    height = legend_height + len(chart.categories) * group_height + 8
    maximum = max([v for s in chart.series for v in s.values] + [1])
    scale = (CHART_WIDTH - LABEL_WIDTH - 110) / maximum
    tid, did = f"{chart.slug}-title", f"{chart.slug}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{tid} {did}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" font-family="{FONT}" font-size="13">',
        f'<title id="{tid}">{escape(chart.title)}</title><desc id="{did}">{escape(chart.description)}</desc>',
        f'<defs><pattern id="{chart.slug}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#425563" stroke-width="3"/>'
        "</pattern></defs>",
    ]
    if n_series > 1:
        x = LABEL_WIDTH
        for index, series in enumerate(chart.series):
            fill, pattern = SERIES_STYLES[index % len(SERIES_STYLES)]
            paint = f"url(#{chart.slug}-{pattern})" if pattern else fill
            parts.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{paint}" stroke="#425563"/>')
            parts.append(f'<text x="{x + 20}" y="16" fill="#212b32">{escape(series.name)}</text>')
            x += 30 + 8 * len(series.name)
    for row, category in enumerate(chart.categories):
        top = legend_height + row * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + n_series * BAR_HEIGHT / 2 + 4:.0f}" text-anchor="end" '
            f'fill="#212b32">{escape(_truncate(str(category), 48))}</text>'
        )
        for index, series in enumerate(chart.series):
            fill, pattern = SERIES_STYLES[index % len(SERIES_STYLES)]
            paint = f"url(#{chart.slug}-{pattern})" if pattern else fill
            y = top + index * BAR_HEIGHT
            width = max(series.values[row] * scale, 0)
            if width:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                    f'fill="{paint}" stroke="#425563" stroke-width="0.5"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT - 4}" fill="#212b32">'
                f"{escape(series.labels[row])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
