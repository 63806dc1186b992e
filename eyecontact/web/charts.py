"""Charts drawn by the app itself: no external service, readable on a phone.

Each function takes plain numbers and returns safe markup named for screen readers, with text
labels that carry the numbers, so a chart never depends on colour alone. Bars are HTML whose
parts are shares of the width they are given; lines are inline SVG that scales to its
container (``viewBox`` with ``width: 100%``). The numbers behind every chart are
also offered as CSV by the page that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

__all__ = ["PALETTE", "Series", "bar_chart", "line_chart", "stacked_bars"]

# Calm, colour-blind-safe colours (Okabe–Ito), in the order series use them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
WIDTH = 640
# The least share of a bar whose part has its percentage written inside: an eighth of the bar
# on a 360 px phone is about 36 px, room for "12%" and its padding; a tenth was not.
_LABELLED_SHARE = 0.12


@dataclass(frozen=True)
class Series:
    """A named list of values, one per category or point; ``colour`` fixes its colour (a
    status drawn in several charts keeps one), else it takes the palette's next."""

    name: str
    values: Sequence[float]
    colour: str = ""


def _colour(series: Sequence[Series], n: int) -> str:
    return series[n].colour or PALETTE[n % len(PALETTE)]


def _svg(title: str, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  # every piece of text below went through escape()
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts, x = [], 0
    for n, item in enumerate(series):
        colour = _colour(series, n)
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 16}" y="{y + 11}" class="chart-legend">{escape(item.name)}</text>'
        )
        x += 24 + 8 * len(item.name)
    return parts


def stacked_bars(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    percent: bool = True,
    legend: bool = True,
) -> SafeString:
    """One horizontal bar per category, split by series; ``percent`` scales each bar to 100%.

    Drawn in HTML rather than SVG: a bar's parts are shares of its width, so the bars take
    whatever width the screen has, a phone's as well as a desktop's, and their words keep the
    page's size instead of shrinking with the drawing. A part wide enough for its share has
    it written inside, in black or white, whichever reads better on its colour; every part
    names its series, value and share on hover. Without ``percent`` every bar is drawn to
    one scale, so bars compare across categories, and each bar's total is written after it.
    Without ``legend`` the page draws its own key.
    """
    longest = max(
        (sum(max(s.values[row], 0) for s in series) for row in range(len(categories))), default=0
    )
    rows: list[SafeString] = []
    for row, category in enumerate(categories):
        values = [max(s.values[row], 0) for s in series]
        total = sum(values)
        whole = total if percent else longest
        parts: list[SafeString] = []
        for n, value in enumerate(values):
            if not value:
                continue
            colour = _colour(series, n)
            share = f"{value / total:.0%}"
            fraction = value / whole
            shown = share if percent and fraction >= _LABELLED_SHARE else ""
            parts.append(
                format_html(
                    '<span class="bars-part" style="width: {}%; background: {}; color: {}" '
                    'title="{}: {} ({})">{}</span>',
                    f"{fraction * 100:.2f}",
                    colour,
                    _ink(colour),
                    series[n].name,
                    f"{value:g}",
                    share,
                    shown,
                )
            )
        # On one scale, the total follows its bar, in the room the longest leaves for it.
        after = "" if percent else format_html('<span class="bars-value">{}</span>', f"{total:g}")
        rows.append(
            format_html(
                '<div class="bars-row"><span class="bars-label">{}</span>'
                '<span class="bars-bar{}">{}{}</span></div>',
                category,
                "" if percent else " bars-scaled",
                mark_safe("".join(parts)),  # noqa: S308  # each part went through format_html
                after,
            )
        )
    key = ""
    if legend:
        # The same key a page draws under its own charts, hidden from screen readers here:
        # each part's title names its series.
        items = [
            {"label": item.name, "colour": _colour(series, n)} for n, item in enumerate(series)
        ]
        # The partial escaped what it wrote; strip() alone would drop the mark that says so.
        drawn = render_to_string("web/partials/_chart_key_items.html", {"key": items}).strip()
        key = format_html(
            '<ul class="chart-key" aria-hidden="true">{}</ul>',
            mark_safe(drawn),  # noqa: S308
        )
    return format_html(
        '<div class="chart chart-bars" role="img" aria-label="{}">{}{}</div>',
        title,
        mark_safe("".join(rows)),  # noqa: S308  # each row went through format_html
        key,
    )


def _ink(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (``#rrggbb``), by WCAG's
    relative luminance."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05.
    return "#fff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#000"


def bar_chart(*, title: str, categories: Sequence[str], values: Sequence[float]) -> SafeString:
    """Plain horizontal bars with their values written beside them."""
    return stacked_bars(
        title=title, categories=categories, series=[Series(title, values)], percent=False
    )


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    x_values: Sequence[Sequence[float]],
    x_label: str = "",
    y_max: float | None = None,
    step: bool = False,
    percent: bool = False,
) -> SafeString:
    """Lines (or steps, for survival curves) over a shared x axis; one x list per series."""
    # Room above the top tick, and below the plot for three rows that must not touch: the x
    # ticks, the x axis's name under them, and the legend; words at their largest (15px).
    height, left, bottom, top = 272, 44, 66, 16
    plot_w, plot_h = WIDTH - left - 10, height - bottom - top
    all_x = [x for xs in x_values for x in xs] or [0.0]
    all_y = [y for s in series for y in s.values] or [0.0]
    x_min, x_max = min(all_x), max(all_x) if max(all_x) > min(all_x) else min(all_x) + 1
    top_y = y_max if y_max is not None else (max(all_y) or 1)

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return top + plot_h - (y / top_y) * plot_h

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'class="chart-axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="chart-axis"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = top_y * fraction
        text = f"{value:.0%}" if percent else f"{value:g}"
        body.append(
            f'<text x="{left - 4}" y="{py(value) + 4:.1f}" class="chart-tick" '
            f'text-anchor="end">{text}</text>'
        )
    # The first and last ticks are written inward from the ends of the axis, so neither is cut
    # off by the edge of the chart nor runs into the bottom tick of the y axis.
    for value, anchor in ((x_min, "start"), ((x_min + x_max) / 2, "middle"), (x_max, "end")):
        body.append(
            f'<text x="{px(value):.1f}" y="{top + plot_h + 16}" class="chart-tick" '
            f'text-anchor="{anchor}">{value:g}</text>'
        )
    if x_label:
        body.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 36}" class="chart-tick" '
            f'text-anchor="middle">{escape(x_label)}</text>'
        )
    for n, (item, xs) in enumerate(zip(series, x_values, strict=True)):
        points: list[tuple[float, float]] = []
        for index, (x, y) in enumerate(zip(xs, item.values, strict=True)):
            if step and index:
                points.append((px(x), points[-1][1]))
            points.append((px(x), py(y)))
        if step and points:
            points.append((px(x_max), points[-1][1]))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        colour = _colour(series, n)
        body.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5">'
                "<title>{}</title></polyline>",
                path,
                colour,
                item.name,
            )
        )
    body += _legend(series, height - 14)
    return _svg(title, height, body)
