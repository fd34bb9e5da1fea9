"""The charts of notebook 06: the levers per segment, their gains, and the ABC transitions.

Each function takes a table (:mod:`smartacct_helpers.levers.analysis`,
:mod:`smartacct_helpers.levers.transitions`) and returns a
:class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import PALETTE, _figure, _money_axis, _style, _title, colormap, pct, shades, share_formatter
from ..presentation.formatting import count, money
from .analysis import LEVER_LABELS

#: the levers' names beside the bars, short enough for the chart's left margin (the title and the line say whose)
_BAR_LABELS = {
    **LEVER_LABELS,
    "price": "price increase",
    "combined": "all of them together",
    "price_field": "large customers: price",
}

#: the levers in the order of the bars: those on small customers, their sum, and apart the price on large customers
_ORDER = ("price", "surcharge", "minimum", "online", "combined", "price_field")

_SEGMENT_LABELS = {"field": "field", "develop": "develop", "small": "small", "lapsed": "lapsed", "all": "all"}


def lever_chart(table: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """Left: operating profit per segment today and with the levers on small customers; right: what each lever adds.

    ``table`` is :func:`smartacct_helpers.levers.analysis.lever_table`.
    """
    fig, (left, right) = _figure(11, 4.0, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    segs = [s for s in ("field", "develop", "small") if ("base", s) in table.index]
    base = [table.loc[("base", s), "operating_profit"] for s in segs]
    after = [table.loc[("combined", s), "operating_profit"] for s in segs]
    x = np.arange(len(segs))
    left.bar(x - 0.2, base, 0.4, color=PALETTE["before"], label="today")
    left.bar(x + 0.2, after, 0.4, color=PALETTE["margin"], label="with the levers on small customers")
    for i, (b, a) in enumerate(zip(base, after, strict=False)):
        change = (a / b - 1) if b > 0 else np.nan
        if np.isfinite(change):
            left.text(i + 0.2, a, f"{pct(change, style, 1, signed=True)}", ha="center", va="bottom", fontsize=9)
    left.set_xticks(x, [_SEGMENT_LABELS[s] for s in segs])
    logarithmic = min(base + after, default=0) > 0  # a loss (or nothing) has no place on a log scale
    if logarithmic:
        left.set_yscale("log")
    else:
        left.axhline(0, color=PALETTE["muted"], linewidth=0.8)
    _money_axis(left.yaxis, currency, style=style)
    left.yaxis.set_minor_formatter(mticker.NullFormatter())
    left.legend(frameon=False, loc="upper right")
    _style(left, "Operating profit per segment" + (" (log scale)" if logarithmic else ""))

    _lever_gains(right, table, currency, style=style)
    right.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=8)
    fig.tight_layout()
    segments = "; ".join(
        f"{_SEGMENT_LABELS[s]}: {money(b, currency, compact=True, style=style)} today, "
        f"{money(a, currency, compact=True, style=style)} with the levers"
        for s, b, a in zip(segs, base, after, strict=False)
    )
    return fig.describe(
        f"Operating profit per segment today and with the levers on small customers ({segments}), and "
        + _gains_in_words(table, currency, style)
    )


def _gains_in_words(table: pd.DataFrame, currency: str, style: str) -> str:
    levers = [k for k in _ORDER if (k, "all") in table.index]
    return (
        "what each lever adds to operating profit a year: "
        + "; ".join(
            f"{_BAR_LABELS[k]} {money(table.loc[(k, 'all'), 'operating_profit_delta'], currency, compact=True, style=style)}"
            for k in levers
        )
        + "."
    )


def _lever_gains(ax, table: pd.DataFrame, currency: str, style: str = "en") -> None:
    """What each lever adds to operating profit, as margin and cost-saved bars with the total beside them.

    The levers on small customers first, then their sum, then the lever on
    large customers apart, below a line.
    """
    levers = [k for k in _ORDER if (k, "all") in table.index]
    labels = _BAR_LABELS
    parts = {
        "margin": [table.loc[(k, "all"), "contribution_margin_delta"] for k in levers],
        "cost saved": [-table.loc[(k, "all"), "cost_to_serve_delta"] for k in levers],
    }
    y = np.arange(len(levers))
    ax.barh(y - 0.18, parts["margin"], 0.36, color=PALETTE["margin"], label="more contribution margin")
    ax.barh(y + 0.18, parts["cost saved"], 0.36, color=shades("margin", 2)[1], label="less cost to serve")
    totals = [table.loc[(k, "all"), "operating_profit_delta"] for k in levers]
    for i, t in enumerate(totals):
        ax.text(
            max(parts["margin"][i], parts["cost saved"][i], 0),
            i,
            f"  {money(t, currency, compact=True, style=style)}",
            va="center",
            fontsize=9,
            fontweight="bold",
        )
    ax.set_yticks(y, [labels[k] for k in levers])
    if "price_field" in levers:  # the lever on large customers is no answer to what makes small customers pay
        ax.axhline(levers.index("price_field") - 0.5, color=PALETTE["muted"], linewidth=0.8, linestyle="--")
    ax.invert_yaxis()
    ax.axvline(0, color=PALETTE["muted"], linewidth=0.8)
    _money_axis(ax.xaxis, currency, style=style)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=PALETTE["grid"])
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "What each lever adds to operating profit (a year)")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(4))
    ax.margins(x=0.25)


def transition_heatmap(matrix: pd.DataFrame, counts: pd.DataFrame | None = None, style: str = "en") -> Figure:
    """The ABC transition matrix year on year as a heatmap of row shares (counts in brackets)."""
    fig, ax = _figure(6.2, 4.6)
    values = matrix.to_numpy(dtype="float64")
    im = ax.imshow(np.nan_to_num(values), cmap=colormap(), vmin=0, vmax=1)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if not np.isfinite(v):
                continue
            text = f"{pct(v, style)}"
            if counts is not None:
                text += f"\n({count(int(counts.iat[i, j]), style=style)})"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=9,
                color=PALETTE["on dark"] if v > 0.55 else PALETTE["text"],
            )
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns])
    ax.set_yticks(range(len(matrix.index)), [str(c) for c in matrix.index])
    ax.set_xlabel("class a year later")
    ax.set_ylabel("class in a year")
    _title(ax, "How customers move between ABC classes")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, format=share_formatter(style), label="share of the row")
    fig.tight_layout()
    stay = [
        f"{c}: {pct(values[i, list(matrix.columns).index(c)], style)} stay"
        for i, c in enumerate(matrix.index)
        if c in matrix.columns and np.isfinite(values[i, list(matrix.columns).index(c)])
    ]
    return fig.describe(
        "Heat map of how customers move between ABC classes from one year to the next, as shares of each row "
        f"(darker the more): {'; '.join(stay) or 'no customer in two consecutive years'}."
    )
