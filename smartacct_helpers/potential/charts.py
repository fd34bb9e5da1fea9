"""The charts of notebook 03: the two methods side by side, revenue and gap per group, the share of wallet.

Each function takes a table (:mod:`smartacct_helpers.potential.analysis`)
and returns a :class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from ..presentation.charts import PALETTE, _fast_layout, _figure, _money_axis, _style, _title


def potential_methods_chart(side_by_side: pd.DataFrame, currency: str = "EUR", style: str = "en"):
    """Per industry: potential by the industry method next to the historic peak (``methods_side_by_side``)."""
    t = side_by_side
    fig, ax = _figure(8, 3.6)
    y = np.arange(len(t))
    ax.barh(y - 0.2, t["potential_industry"], height=0.4, color=PALETTE["A"], label="industry method")
    ax.barh(y + 0.2, t["potential_history"], height=0.4, color=PALETTE["develop"], label="best year (history)")
    for i, r in enumerate(t["ratio"]):
        ax.text(t["potential_industry"].iloc[i], i - 0.2, f"  x{r:.1f}", va="center", fontsize=9)
    ax.set_yticks(y, [str(i).replace("_", " ") for i in t.index])
    ax.invert_yaxis()
    _money_axis(ax.xaxis, currency, style=style)
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="x", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "Two estimates of the same customers' potential")
    fig.tight_layout()
    return fig


def potential_gap_chart(by_group: pd.DataFrame, title: str, currency: str = "EUR", style: str = "en"):
    """Per group: what the customers buy today and the gap to their potential, with the share of wallet.

    ``by_group`` is :func:`smartacct_helpers.potential.analysis.potential_by`. Only
    the customers whose potential is known count: the revenue bar is their
    potential less their gap (what they bought, credit notes beyond their
    invoices as zero), and a group without any known potential is left out.
    """
    t = by_group[by_group["potential"].notna()].sort_values("potential")
    fig, ax = _figure(8, max(2.6, 0.45 * len(t) + 1.2))
    labels = [str(i).replace("_", " ") for i in t.index]
    bought = (t["potential"] - t["gap"]).clip(lower=0)
    ax.barh(labels, bought, color=PALETTE["A"], label="revenue, last 12 months")
    ax.barh(labels, t["gap"], left=bought, color=PALETTE["C"], label="gap to the potential")
    for i, (p, s) in enumerate(zip(t["potential"], t["share_of_wallet"])):
        ax.text(p, i, f"  {s:.0%} share of wallet", va="center", fontsize=9)
    _money_axis(ax.xaxis, currency, style=style)
    ax.set_xlim(0, t["potential"].max() * 1.35 if len(t) else 1)
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="x", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, title)
    _fast_layout(fig)
    return fig


def share_of_wallet_chart(classified: pd.DataFrame, segments=("develop", "small", "field")):
    """How the customers' share of wallet spreads, per segment."""
    fig, ax = _figure(8, 3.4)
    bins = np.linspace(0, 1, 21)
    data = [classified.loc[classified["segment"] == s, "share_of_wallet"].dropna() for s in segments]
    ax.hist(
        data,
        bins=bins,
        stacked=True,
        color=[PALETTE.get(s, PALETTE["B"]) for s in segments],
        label=[f"{s} ({len(d):,})" for s, d in zip(segments, data)],
    )
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel("share of wallet (revenue over potential)")
    ax.set_ylabel("customers")
    ax.legend(frameon=False)
    _style(ax, "Share of wallet per customer")
    fig.tight_layout()
    return fig
