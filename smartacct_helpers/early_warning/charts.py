"""The chart of the early warning's backtest: who of the scored customers stopped buying, flagged or not."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import PALETTE, _figure, _style, pct, shades, share_formatter
from ..presentation.formatting import number


def backtest_chart(table: pd.DataFrame, style: str = "en") -> Figure:
    """Share of customers that stopped buying: all scored, the flagged ones and the top 100, per horizon.

    ``table`` is :func:`smartacct_helpers.early_warning.backtest` (rows
    model x months); every model gets its own group of bars.
    """
    rows = list(table.index)
    fig, ax = _figure(9, 3.9)
    if not rows:
        ax.text(0.5, 0.5, "history too short for a backtest", ha="center", transform=ax.transAxes)
        return fig.describe("Backtest of the early warning: the history is too short for one.")
    labels = [f"{model}\n{months} months" for model, months in rows]
    x = np.arange(len(rows))
    series = [
        ("base_rate", "all scored customers (base rate)", PALETTE["all"]),
        ("precision", "flagged customers (at risk)", shades("cost", 2)[1]),
        ("top_precision", "top 100 by score (most at risk)", PALETTE["cost"]),
    ]
    for i, (col, label, color) in enumerate(series):
        vals = table[col].to_numpy(dtype="float64")
        ax.bar(x + (i - 1) * 0.26, vals, 0.26, color=color, label=label)
        if col != "base_rate":
            lifts = table["lift" if col == "precision" else "top_lift"].to_numpy(dtype="float64")
            for xi, v, lift in zip(x + (i - 1) * 0.26, vals, lifts, strict=True):
                if np.isfinite(v):
                    ax.text(xi, v, f"x{number(lift, 1, style)}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, labels, fontsize=9)
    ax.yaxis.set_major_formatter(share_formatter(style))
    ax.set_ylabel("stopped buying afterwards")
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    ax.set_ylim(
        0, min(1.0, float(np.nanmax(table[["base_rate", "precision", "top_precision"]].to_numpy())) * 1.25 + 0.02)
    )
    _style(ax, "Backtest: who actually stopped buying (lift over the base rate on the bars)")
    fig.tight_layout()
    return fig.describe(
        "Backtest of the early warning, bars per model and horizon: the share of customers who stopped buying "
        "among all scored, the flagged and the top 100; "
        + "; ".join(
            f"{model}, {months} months: {pct(r['base_rate'], style)} of all, {pct(r['precision'], style)} of the flagged, "
            f"{pct(r['top_precision'], style)} of the top 100"
            for (model, months), r in table.iterrows()
        )
        + "."
    )
