"""Charts of the levers, the year-one review and the early warning.

Like :mod:`smartacct_helpers.small_customers.charts`, each function takes a table and
returns a figure; nothing here reads data or computes an analysis.
"""
from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .presentation.charts import PALETTE, _figure, _money_axis, _style
from .presentation.formatting import money


def amortisation_chart(curve: pd.DataFrame, break_even: int | None, currency: str = "EUR") -> Figure:
    """Cumulative incremental contribution margin against the team's cumulative cost, by month."""
    fig, ax = _figure(8, 3.8)
    if not len(curve):
        ax.text(0.5, 0.5, "no month after the programme start in the data", ha="center", transform=ax.transAxes)
        return fig
    m = curve.index.to_numpy()
    ax.plot(m, curve["cumulative_margin"], color=PALETTE["A"], linewidth=2, marker="o", markersize=3,
            label="cumulative incremental contribution margin")
    ax.plot(m, curve["cumulative_cost"], color=PALETTE["accent"], linewidth=2, label="cumulative cost of the team")
    ax.axhline(0, color="#777777", linewidth=0.8)
    if break_even is not None:
        ax.axvline(break_even, color=PALETTE["develop"], linestyle="--", linewidth=1.2)
        ax.text(break_even, ax.get_ylim()[1], f" break-even in month {break_even}", va="top", fontsize=9,
                color=PALETTE["develop"])
    else:
        gap = curve["cumulative_cost"].iloc[-1] - curve["cumulative_margin"].iloc[-1]
        ax.text(0.01, 0.97, f"not paid back after {len(curve)} months: {money(gap, currency, compact=True)} to go",
                transform=ax.transAxes, va="top", fontsize=9, color=PALETTE["accent"])
    ax.set_xlabel("month after the programme start")
    ax.set_xticks(m)
    _money_axis(ax.yaxis, currency)
    ax.legend(frameon=False, loc="lower left", fontsize=8, bbox_to_anchor=(0, 0.72))
    _style(ax, "Has the inside-sales team paid for itself?")
    fig.tight_layout()
    return fig


def backtest_chart(table: pd.DataFrame) -> Figure:
    """Share of customers that stopped buying: all scored, the flagged ones and the top 100, per horizon.

    ``table`` is :func:`smartacct_helpers.early_warning.backtest` (rows
    model x months); every model gets its own group of bars.
    """
    rows = list(table.index)
    fig, ax = _figure(9, 3.9)
    if not rows:
        ax.text(0.5, 0.5, "history too short for a backtest", ha="center", transform=ax.transAxes)
        return fig
    labels = [f"{model}\n{months} months" for model, months in rows]
    x = np.arange(len(rows))
    series = [("base_rate", "all scored customers (base rate)", PALETTE["D"]),
              ("precision", "flagged customers", PALETTE["B"]),
              ("top_precision", "top 100 by score", PALETTE["A"])]
    for i, (col, label, color) in enumerate(series):
        vals = table[col].to_numpy(dtype="float64")
        ax.bar(x + (i - 1) * 0.26, vals, 0.26, color=color, label=label)
        if col != "base_rate":
            lifts = table["lift" if col == "precision" else "top_lift"].to_numpy(dtype="float64")
            for xi, v, l in zip(x + (i - 1) * 0.26, vals, lifts):
                if np.isfinite(v):
                    ax.text(xi, v, f"x{l:.1f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, labels, fontsize=9)
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_ylabel("stopped buying afterwards")
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    ax.set_ylim(0, min(1.0, float(np.nanmax(table[["base_rate", "precision", "top_precision"]].to_numpy())) * 1.25 + 0.02))
    _style(ax, "Backtest: who actually stopped buying (lift over the base rate on the bars)")
    fig.tight_layout()
    return fig


def group_growth_chart(performance: pd.DataFrame) -> Figure:
    """Revenue growth and margin rate of the follow-up per group, side by side."""
    fig, (left, right) = _figure(10, 3.2, 2, sharey=True)
    labels = list(performance.index)
    colors = [PALETTE["small"], PALETTE["C"], PALETTE["A"], PALETTE["D"]][: len(labels)]
    left.barh(labels, performance["revenue_growth"].fillna(0), color=colors)
    right.barh(labels, performance["margin_rate_followup"].fillna(0), color=colors)
    left.invert_yaxis()
    for ax, col in ((left, "revenue_growth"), (right, "margin_rate_followup")):
        for i, v in enumerate(performance[col]):
            if pd.notna(v):
                text = f"{v:+.1%}" if col == "revenue_growth" else f"{v:.1%}"
                ax.text(v, i, f"{text} " if v < 0 else f" {text}", va="center", ha="right" if v < 0 else "left",
                        fontsize=9)
        ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color="#e5e5e5")
        ax.axvline(0, color="#777777", linewidth=0.8)
        ax.margins(x=0.2)
    _style(left, "Revenue growth, follow-up on baseline")
    _style(right, "Contribution margin rate, follow-up")
    fig.tight_layout()
    return fig
