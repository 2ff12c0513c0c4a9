"""Charts as SVG: one definition (`Chart`), drawn as a self-contained SVG string.

The site (issue 24) puts the SVG inline in its pages; the yearly report's Word and PDF
editions turn the same SVG into a PNG through the browser. So a chart is defined once
and drawn here once: bars, grouped or stacked, with their values written on them, a
legend, and category labels that thin out when there are too many to read.

Nothing here knows what is counted: callers give the title, the categories, the series
and their names in the reader's language (from the catalogue). No clock, no randomness,
numbers formatted by hand: the same chart is always the same bytes. The SVG scales with
its container (`viewBox`, width 100%) and names itself for screen readers (`role="img"`,
`<title>`); its font is the one the pages use.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PALETTE = ("#2f6fb3", "#e08a2c", "#4b9a5a", "#c0504d", "#8064a2", "#7f7f7f")
"""Colours of the series in order: distinct in print and for the common colour
blindnesses (blue/orange first), dark enough for white value labels."""

FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC'," \
       "'Microsoft YaHei',sans-serif"

WIDTH = 640
PLOT_TOP = 56
PLOT_LEFT = 48
PLOT_RIGHT = 16
PLOT_HEIGHT = 200
LABEL_BAND = 40
MAX_LABELS = 12  # more categories than this: only every n-th is labelled


@dataclass(frozen=True)
class Series:
    """One row of numbers, one per category, and its name in the legend."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart: `categories` along the bottom, one bar (or one segment of a stacked
    bar) per series in each. `unit` follows each value label (`%`); `top` fixes the
    scale's top (100 for rates), else it is the next round step above the data."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    unit: str = ""
    top: float | None = None

    def __post_init__(self) -> None:
        for one in self.series:
            if len(one.values) != len(self.categories):
                raise ValueError(f"series {one.name!r}: {len(one.values)} values "
                                 f"for {len(self.categories)} categories")
            if any(value < 0 for value in one.values):
                raise ValueError(f"series {one.name!r}: a bar cannot be negative")


def number(value: float) -> str:
    """A value as a label: whole numbers without a point, else one decimal."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _coordinate(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_scale(largest: float, whole: bool = True, top: float | None = None
               ) -> tuple[float, float]:
    """The scale's top and the step between its lines: the smallest step of 1, 2, 2.5, 5
    × 10^k that reaches `largest` in at most five steps (2.5 and steps below 1 only when
    the values are not all whole: a count has no quarter). A fixed `top` is cut in four."""
    if top is not None:
        return top, top / 4
    if largest <= 0:
        return 1, 1
    power = 1.0
    while power * 10 <= largest:
        power *= 10
    while power > largest:
        power /= 10
    power /= 10  # start one decade below, so small values get fine steps
    while True:
        for factor in (1, 2, 2.5, 5):
            step = power * factor
            if whole and (step < 1 or not step.is_integer()):
                continue
            steps = -(-largest // step)
            if steps <= 5:
                return step * steps, step
        power *= 10


def svg(chart: Chart) -> str:
    """The chart as one `<svg>` element, self-contained."""
    count = max(len(chart.categories), 1)
    legend = len(chart.series) > 1
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    height = PLOT_TOP + PLOT_HEIGHT + LABEL_BAND + (24 if legend else 0)
    totals = [sum(one.values[index] for one in chart.series) if chart.stacked
              else max((one.values[index] for one in chart.series), default=0)
              for index in range(len(chart.categories))]
    whole = all(float(value).is_integer() for one in chart.series for value in one.values)
    top, step = nice_scale(max(totals, default=0), whole, chart.top)
    scale = PLOT_HEIGHT / top
    bottom = PLOT_TOP + PLOT_HEIGHT
    slot = plot_width / count
    bars_in_slot = 1 if chart.stacked else max(len(chart.series), 1)
    bar = slot * 0.7 / bars_in_slot
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}" '
        f'font-family="{escape(FONT)}" font-size="13">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="{WIDTH // 2}" y="24" text-anchor="middle" font-size="17" '
        f'font-weight="bold" fill="#222">{escape(chart.title)}</text>',
    ]
    for tick in (step * index for index in range(round(top / step) + 1)):
        level = _coordinate(bottom - tick * scale)
        out.append(f'<line x1="{PLOT_LEFT}" x2="{WIDTH - PLOT_RIGHT}" y1="{level}" '
                   f'y2="{level}" stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{PLOT_LEFT - 6}" y="{level}" dy="4" text-anchor="end" '
                   f'fill="#555">{number(tick)}{escape(chart.unit)}</text>')
    every = -(-count // MAX_LABELS)
    for index, category in enumerate(chart.categories):
        left = PLOT_LEFT + slot * index + slot * 0.15
        base = 0.0
        for position, one in enumerate(chart.series):
            value = one.values[index]
            colour = PALETTE[position % len(PALETTE)]
            x = left if chart.stacked else left + bar * position
            tall = value * scale
            y = bottom - (base + value) * scale if chart.stacked else bottom - tall
            if value > 0:
                out.append(f'<rect x="{_coordinate(x)}" y="{_coordinate(y)}" '
                           f'width="{_coordinate(bar)}" height="{_coordinate(tall)}" '
                           f'fill="{colour}"><title>{escape(category)} · '
                           f'{escape(one.name)}：{number(value)}{escape(chart.unit)}'
                           f'</title></rect>')
                inside = chart.stacked and tall >= 16
                label_y = y + tall / 2 + 4 if inside else y - 4
                if inside or not chart.stacked:
                    out.append(f'<text x="{_coordinate(x + bar / 2)}" '
                               f'y="{_coordinate(label_y)}" text-anchor="middle" '
                               f'font-size="11" fill="{"#fff" if inside else "#333"}">'
                               f"{number(value)}{escape(chart.unit)}</text>")
            base += value if chart.stacked else 0
        if chart.stacked and totals[index] > 0:
            out.append(f'<text x="{_coordinate(left + bar / 2)}" '
                       f'y="{_coordinate(bottom - totals[index] * scale - 4)}" '
                       f'text-anchor="middle" font-size="11" fill="#333">'
                       f"{number(totals[index])}{escape(chart.unit)}</text>")
        if index % every == 0:
            out.append(f'<text x="{_coordinate(PLOT_LEFT + slot * index + slot / 2)}" '
                       f'y="{bottom + 18}" text-anchor="middle" fill="#333">'
                       f"{escape(category)}</text>")
    out.append(f'<line x1="{PLOT_LEFT}" x2="{WIDTH - PLOT_RIGHT}" y1="{bottom}" '
               f'y2="{bottom}" stroke="#888" stroke-width="1"/>')
    if legend:
        across = PLOT_LEFT
        line = bottom + LABEL_BAND + 8
        for position, one in enumerate(chart.series):
            colour = PALETTE[position % len(PALETTE)]
            out.append(f'<rect x="{across}" y="{line - 10}" width="12" height="12" '
                       f'fill="{colour}"/>')
            out.append(f'<text x="{across + 16}" y="{line}" fill="#333">'
                       f'{escape(one.name)}</text>')
            across += 32 + 14 * len(one.name)
    if not chart.categories:
        out.append(f'<text x="{WIDTH // 2}" y="{PLOT_TOP + PLOT_HEIGHT // 2}" '
                   f'text-anchor="middle" fill="#777">—</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
