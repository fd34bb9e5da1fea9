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

from ..presentation.charts import PALETTE, _figure, _money_axis, _style, _title
from ..presentation.formatting import money
from .analysis import LEVER_LABELS

#: the levers' names beside the bars, short enough for the chart's left margin (the title and the line say whose)
_BAR_LABELS = {
    **LEVER_LABELS,
    "price": "price increase",
    "combined": "all of them together",
    "price_field": "large customers: price",
}

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
    left.bar(x - 0.2, base, 0.4, color=PALETTE["C"], edgecolor=PALETTE["B"], label="today")
    left.bar(x + 0.2, after, 0.4, color=PALETTE["A"], label="levers on small customers")
    for i, (b, a) in enumerate(zip(base, after)):
        change = (a / b - 1) if b > 0 else np.nan
        if np.isfinite(change):
            left.text(i + 0.2, a, f"{change:+.1%}", ha="center", va="bottom", fontsize=9)
    left.set_xticks(x, [_SEGMENT_LABELS[s] for s in segs])
    logarithmic = min(base + after, default=0) > 0  # a loss (or nothing) has no place on a log scale
    if logarithmic:
        left.set_yscale("log")
    else:
        left.axhline(0, color="#777777", linewidth=0.8)
    _money_axis(left.yaxis, currency, style=style)
    left.yaxis.set_minor_formatter(mticker.NullFormatter())
    left.legend(frameon=False, loc="upper right")
    _style(left, "Operating profit per segment" + (" (log scale)" if logarithmic else ""))

    _lever_gains(right, table, currency, style=style)
    right.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=8)
    fig.tight_layout()
    return fig


def _lever_gains(ax, table: pd.DataFrame, currency: str, style: str = "en") -> None:
    """What each lever adds to operating profit, as margin and cost-saved bars with the total beside them.

    The levers on small customers first, then their sum, then the lever on
    large customers apart, below a line.
    """
    order = ("price", "surcharge", "minimum", "online", "combined", "price_field")
    levers = [k for k in order if (k, "all") in table.index]
    labels = _BAR_LABELS
    parts = {
        "margin": [table.loc[(k, "all"), "contribution_margin_delta"] for k in levers],
        "cost saved": [-table.loc[(k, "all"), "cost_to_serve_delta"] for k in levers],
    }
    y = np.arange(len(levers))
    ax.barh(y - 0.18, parts["margin"], 0.36, color=PALETTE["B"], label="more contribution margin")
    ax.barh(y + 0.18, parts["cost saved"], 0.36, color=PALETTE["develop"], label="less cost to serve")
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
        ax.axhline(levers.index("price_field") - 0.5, color="#999999", linewidth=0.8, linestyle="--")
    ax.invert_yaxis()
    ax.axvline(0, color="#777777", linewidth=0.8)
    _money_axis(ax.xaxis, currency, style=style)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "What each lever adds to operating profit (a year)")
    ax.xaxis.set_major_locator(mticker.MaxNLocator(4))
    ax.margins(x=0.25)


def lever_bars(table: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """What each lever adds to operating profit: the quick chart the lever sliders redraw.

    The right half of :func:`lever_chart` alone, with fixed margins and no
    layout pass, so that it is drawn once.
    """
    fig, ax = _figure(8, 3.6)
    _lever_gains(ax, table, currency, style=style)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=2, fontsize=8)
    fig.subplots_adjust(left=0.25, right=0.97, top=0.89, bottom=0.2)
    return fig


def transition_heatmap(matrix: pd.DataFrame, counts: pd.DataFrame | None = None) -> Figure:
    """The ABC transition matrix year on year as a heatmap of row shares (counts in brackets)."""
    fig, ax = _figure(6.2, 4.6)
    values = matrix.to_numpy(dtype="float64")
    im = ax.imshow(np.nan_to_num(values), cmap="Blues", vmin=0, vmax=1)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if not np.isfinite(v):
                continue
            text = f"{v:.0%}"
            if counts is not None:
                text += f"\n({int(counts.iat[i, j]):,})"
            ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if v > 0.55 else "#222222")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns])
    ax.set_yticks(range(len(matrix.index)), [str(c) for c in matrix.index])
    ax.set_xlabel("class a year later")
    ax.set_ylabel("class in a year")
    _title(ax, "How customers move between ABC classes")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, format=mticker.PercentFormatter(1.0))
    fig.tight_layout()
    return fig
