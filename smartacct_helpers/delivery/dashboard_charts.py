"""The dashboard's charts as inline SVG, drawn from the numbers its cards show.

A chart is a few lines of SVG text built from the same numbers (and the
same formatted labels) as the cards beside it, so the dashboard writes cards
and chart into the page in one step and they never disagree. Drawing one
takes well under a millisecond, which leaves a control's whole budget to
the analysis. Titles and legends are HTML around the chart, where text
wraps instead of being cut; the SVG holds the marks, the axes and their
labels, and scales with the page (``viewBox``).

Examples
--------
>>> nice_ticks(0, 4_320)
[0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
>>> svg = line_chart({"own team": [-10.0, 5.0, 20.0]}, {"own team": "#1f4e79"}, Numbers())
>>> svg.startswith("<svg") and "polyline" in svg
True
"""

from __future__ import annotations

import html
import math

import numpy as np

from ..presentation.formatting import Numbers

#: the colours of the dashboard (those of the report's charts)
COLORS = {
    "to_manage": "#4f81bd",
    "below_inactive": "#c9c9c9",
    "above": "#1f4e79",
    "own": "#1f4e79",
    "external": "#e69f00",
    "accent": "#c0392b",
    "margin": "#2e8b57",
    "cost": "#c0392b",
    "grid": "#e5e5e5",
    "axis": "#555555",
}

FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif"


def nice_ticks(low: float, high: float, most: int = 6, whole: bool = False) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) from at or below ``low`` to at or above ``high``.

    ``whole`` leaves out steps of 2.5 and below 1 (for counts of customers).

    >>> nice_ticks(-250_000, 1_200_000)
    [-500000.0, 0.0, 500000.0, 1000000.0, 1500000.0]
    >>> nice_ticks(0, 10, 5, whole=True)
    [0.0, 5.0, 10.0]
    >>> nice_ticks(0, 0, 5, whole=True)
    [0.0, 1.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        high = low + 1.0
    raw = (high - low) / max(most - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in multiples if m * power >= raw * (1 - 1e-9))
    if whole:
        step = max(step, 1.0)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return [round(start + i * step, 10) + 0.0 for i in range(round((end - start) / step) + 1)]


def _text(
    x: float,
    y: float,
    content: str,
    anchor: str = "middle",
    size: int = 12,
    color: str = COLORS["axis"],
    weight: str = "normal",
    css: str = "",
) -> str:
    extra = f" class='{css}'" if css else ""
    return (
        f"<text{extra} x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='{size}' fill='{color}' "
        f"font-weight='{weight}'>{html.escape(content)}</text>"
    )


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f"<svg class='sa-chart' viewBox='0 0 {width} {height}' width='100%' preserveAspectRatio='xMinYMin meet' "
        f"style='max-width:{width}px;{FONT}' role='img' xmlns='http://www.w3.org/2000/svg'>"
        f"<title>{html.escape(title)}</title>{''.join(body)}</svg>"
    )


def compact(value: float, fmt: Numbers) -> str:
    """An amount in few characters without the currency (the axis says it): ``2.5M``, ``-500k``.

    >>> en = Numbers()
    >>> compact(2_500_000, en), compact(-500_000, en), compact(0, en)
    ('2.5M', '-500k', '0')
    >>> compact(2_500_000, Numbers("EUR", "de"))
    '2,5M'
    """
    return fmt.money(value, compact=True).rsplit(" ", 1)[0]


def band_label(low: float, high: float, fmt: Numbers) -> str:
    """The label of a revenue band: ``nothing`` (no revenue), ``< 500``, ``500-1k``, ``>= 50k``.

    >>> en = Numbers()
    >>> band_label(float("nan"), float("nan"), en), band_label(0.0, 500.0, en), band_label(500.0, 1_000.0, en)
    ('nothing', '< 500', '500–1k')
    >>> band_label(50_000.0, float("nan"), en)
    '≥ 50k'
    """
    if math.isnan(low):
        return "nothing"
    if low == 0:
        return f"< {compact(high, fmt)}"
    if math.isnan(high):
        return f"≥ {compact(low, fmt)}"
    return f"{compact(low, fmt)}–{compact(high, fmt)}"


def bands_chart(bands, threshold: float, threshold_label: str, fmt: Numbers) -> str:
    """Customers per band of revenue, stacked by group, with the sales threshold marked.

    Parameters
    ----------
    bands : DataFrame
        :func:`smartacct_helpers.delivery.dashboard_answers.revenue_bands`.
    threshold : float
        The sales threshold, to place its mark within its band (on a
        logarithmic scale between the band's limits).
    threshold_label : str
        The threshold as the card shows it, written on the mark.
    """
    groups = ("to_manage", "below_inactive", "above")
    width, height = 720, 300
    left, right, top, bottom = 56, 12, 30, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = bands[list(groups)].sum(axis=1).to_numpy()
    ticks = nice_ticks(0, float(totals.max()) if len(totals) else 0.0, 5, whole=True)
    y_max = ticks[-1]
    n = len(bands)
    slot = plot_w / max(n, 1)
    bar = slot * 0.72

    def y(v):
        return top + plot_h * (1 - v / y_max)

    body = []
    for t in ticks:
        body.append(
            f"<line x1='{left}' x2='{width - right}' y1='{y(t):.1f}' y2='{y(t):.1f}' stroke='{COLORS['grid']}'/>"
        )
        body.append(_text(left - 6, y(t) + 4, fmt.count(t), "end", 11))
    for i, row in enumerate(bands.itertuples(index=False)):
        x = left + i * slot + (slot - bar) / 2
        base = 0.0
        for g in groups:
            v = float(getattr(row, g))
            if v > 0:
                body.append(
                    f"<rect x='{x:.1f}' y='{y(base + v):.1f}' width='{bar:.1f}' "
                    f"height='{y(base) - y(base + v):.1f}' fill='{COLORS[g]}'><title>{html.escape(fmt.count(v))}"
                    f"</title></rect>"
                )
            base += v
        body.append(
            _text(left + i * slot + slot / 2, height - bottom + 16, band_label(row.low, row.high, fmt), size=11)
        )
    body.append(_text(left + plot_w / 2, height - 8, f"revenue in the last 12 months ({fmt.sign})", size=12))
    body.append(
        _text(14, top + plot_h / 2, "customers", size=12).replace(
            "<text ", f"<text transform='rotate(-90 14 {top + plot_h / 2:.1f})' ", 1
        )
    )
    where = np.flatnonzero(bands["holds_threshold"].to_numpy())
    if len(where):
        i = int(where[0])
        low, high = bands["low"].iat[i], bands["high"].iat[i]
        x = left + i * slot + (slot - bar) / 2 + bar * threshold_fraction(threshold, low, high)
        body.append(
            f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top - 6}' y2='{top + plot_h}' stroke='{COLORS['accent']}' "
            "stroke-width='2' stroke-dasharray='5 3'/>"
        )
        anchor = "start" if x < left + plot_w * 0.6 else "end"
        body.append(
            _text(
                x + (6 if anchor == "start" else -6),
                top - 10,
                f"sales threshold {threshold_label}",
                anchor,
                12,
                COLORS["accent"],
                "600",
                "sa-threshold-label",
            )
        )
    return _svg(width, height, body, "customers by revenue in the last 12 months")


def threshold_fraction(threshold: float, low: float, high: float) -> float:
    """Where ``threshold`` lies in its band from ``low`` to ``high``, from 0 (the low end) to 1 (the high end).

    On a logarithmic scale between the limits; linear from a low limit of
    zero; the middle of a band without an upper limit.

    >>> round(threshold_fraction(1_000, 100, 10_000), 9)  # log 1,000 halfway between log 100 and log 10,000
    0.5
    >>> threshold_fraction(250, 0, 1_000), threshold_fraction(5, 1, float("nan"))
    (0.25, 0.5)
    """
    fraction = 0.5
    if low > 0 and not math.isnan(high) and high > low:
        fraction = (math.log(threshold) - math.log(low)) / (math.log(high) - math.log(low))
    elif low == 0 and not math.isnan(high) and high > 0:
        fraction = threshold / high
    return min(max(fraction, 0.0), 1.0)


def line_chart(
    series: dict[str, list[float]],
    colors: dict[str, str],
    fmt: Numbers,
    x_label: str = "month",
    marks: dict[str, int | None] | None = None,
    dashed: tuple[str, ...] = (),
) -> str:
    """Lines of amounts over months 1, 2, ..., with a zero line and optional marks (month of a line's payback).

    Parameters
    ----------
    series : dict
        Label -> the amount at the end of each month.
    colors : dict
        Label -> colour.
    marks : dict, optional
        Label -> a month to mark on that line with a dot (None: no mark).
    """
    width, height = 720, 300
    left, right, top, bottom = 64, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = np.concatenate([np.asarray(v, dtype=float) for v in series.values()] or [np.zeros(1)])
    values = values[np.isfinite(values)] if np.isfinite(values).any() else np.zeros(1)
    ticks = nice_ticks(min(float(values.min()), 0.0), max(float(values.max()), 0.0), 6)
    lo, hi = ticks[0], ticks[-1]
    months = max((len(v) for v in series.values()), default=1)

    def x(m):  # month m = 1 .. months
        return left + plot_w * ((m - 1) / max(months - 1, 1))

    def y(v):
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    body = []
    for t in ticks:
        body.append(
            f"<line x1='{left}' x2='{width - right}' y1='{y(t):.1f}' y2='{y(t):.1f}' "
            f"stroke='{'#999999' if t == 0 else COLORS['grid']}'/>"
        )
        body.append(_text(left - 6, y(t) + 4, compact(t, fmt), "end", 11))
    step = next(s for s in (1, 2, 3, 6, 12, 24) if months / s <= 12)
    for m in range(1, months + 1):
        if m == 1 or m % step == 0:
            body.append(_text(x(m), height - bottom + 16, str(m), size=11))
    body.append(_text(left + plot_w / 2, height - 6, x_label, size=12))
    body.append(
        _text(14, top + plot_h / 2, fmt.sign, size=12).replace(
            "<text ", f"<text transform='rotate(-90 14 {top + plot_h / 2:.1f})' ", 1
        )
    )
    for label, points in series.items():
        pts = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in enumerate(points, start=1) if math.isfinite(v))
        dash = " stroke-dasharray='6 4'" if label in dashed else ""
        body.append(
            f"<polyline points='{pts}' fill='none' stroke='{colors[label]}' stroke-width='2.5'{dash}>"
            f"<title>{html.escape(label)}</title></polyline>"
        )
        month = (marks or {}).get(label)
        if month and 1 <= month <= len(points):
            body.append(
                f"<circle cx='{x(month):.1f}' cy='{y(points[month - 1]):.1f}' r='5' fill='{colors[label]}' "
                "stroke='white' stroke-width='1.5'/>"
            )
    return _svg(width, height, body, ", ".join(series))


def legend(items: list[tuple]) -> str:
    """An HTML legend: a colour swatch and the full text of each item (it wraps, never cut).

    Each item is ``(colour, text)``, or ``(colour, text, True)`` for a dashed line.

    >>> "to manage" in legend([("#4f81bd", "to manage: 4,320")])
    True
    """
    parts = []
    for color, text, *dashed in items:
        style = (
            f"border-top:3px dashed {color};height:0;margin-top:.55em"
            if dashed and dashed[0]
            else f"background:{color}"
        )
        parts.append(
            f"<span class='sa-legend-item'><span class='sa-swatch' style='{style}'></span>{html.escape(text)}</span>"
        )
    return f"<div class='sa-legend'>{''.join(parts)}</div>"
