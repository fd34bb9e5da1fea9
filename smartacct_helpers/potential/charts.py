"""The charts of notebook 03: the two methods side by side, revenue and gap per group, the share of wallet.

Each function takes a table (:mod:`smartacct_helpers.potential.analysis`)
and returns a :class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..presentation.charts import (
    HATCH,
    PALETTE,
    _fast_layout,
    _figure,
    _money_axis,
    _style,
    _title,
    pct,
    share_formatter,
    wrap,
)
from ..presentation.columns import words
from ..presentation.formatting import count, money, number


def potential_methods_chart(side_by_side: pd.DataFrame, currency: str = "EUR", style: str = "en"):
    """Per industry: potential by the industry method next to the historic peak (``methods_side_by_side``)."""
    t = side_by_side
    fig, ax = _figure(8, 3.6)
    y = np.arange(len(t))
    ax.barh(
        y - 0.2,
        t["potential_industry"],
        height=0.4,
        color=PALETTE["estimate"],
        hatch=HATCH["estimate"],
        edgecolor=PALETTE["on dark"],
        label="industry method (an estimate from assumptions)",
    )
    ax.barh(
        y + 0.2, t["potential_history"], height=0.4, color=PALETTE["figure"], label="best year (the client's history)"
    )
    for i, r in enumerate(t["ratio"]):
        ax.text(t["potential_industry"].iloc[i], i - 0.2, f"  x{number(r, 1, style)}", va="center", fontsize=9)
    ax.set_yticks(y, [wrap(words(i), 22) for i in t.index])
    ax.invert_yaxis()
    _money_axis(ax.xaxis, currency, style=style)
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    ax.grid(axis="x", color=PALETTE["grid"])
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "Two estimates of the same customers' potential")
    fig.tight_layout()
    return fig.describe(
        "Potential per industry by two methods, the industry method against the best year in the client's history: "
        + "; ".join(
            f"{words(i)}: {money(a, currency, compact=True, style=style)} against "
            f"{money(b, currency, compact=True, style=style)}"
            for i, a, b in zip(t.index, t["potential_industry"], t["potential_history"], strict=False)
        )
        + "."
    )


def potential_gap_chart(by_group: pd.DataFrame, title: str, currency: str = "EUR", style: str = "en"):
    """Per group: what the customers buy today and the gap to their potential, with the share of wallet.

    ``by_group`` is :func:`smartacct_helpers.potential.analysis.potential_by`. Only
    the customers whose potential is known count: the revenue bar is their
    potential less their gap (what they bought, credit notes beyond their
    invoices as zero), and a group without any known potential is left out.
    """
    t = by_group[by_group["potential"].notna()].sort_values("potential")
    fig, ax = _figure(8, max(2.6, 0.45 * len(t) + 1.2))
    labels = [wrap(words(i), 24) for i in t.index]
    bought = (t["potential"] - t["gap"]).clip(lower=0)
    ax.barh(labels, bought, color=PALETTE["figure"], label="revenue, last 12 months")
    ax.barh(labels, t["gap"], left=bought, color=PALETTE["potential"], label="gap to the potential")
    for i, (p, s) in enumerate(zip(t["potential"], t["share_of_wallet"], strict=False)):
        ax.text(p, i, f"  {pct(s, style)} share of wallet", va="center", fontsize=9)
    _money_axis(ax.xaxis, currency, style=style)
    ax.set_xlim(0, t["potential"].max() * 1.35 if len(t) else 1)
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="x", color=PALETTE["grid"])
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, title)
    _fast_layout(fig)
    return fig.describe(
        f"{title}, as bars of revenue over the last 12 months and the gap to the potential: "
        + "; ".join(
            f"{words(i)}: {pct(s, style)} share of wallet" for i, s in zip(t.index, t["share_of_wallet"], strict=False)
        )
        + "."
    )


def share_of_wallet_chart(classified: pd.DataFrame, segments=("develop", "small", "field"), style: str = "en"):
    """How the customers' share of wallet spreads, per segment."""
    fig, ax = _figure(8, 3.4)
    bins = np.linspace(0, 1, 21)
    data = [classified.loc[classified["segment"] == s, "share_of_wallet"].dropna() for s in segments]
    ax.hist(
        data,
        bins=bins,
        stacked=True,
        color=[PALETTE.get(s, PALETTE["all"]) for s in segments],
        label=[f"{s} ({count(len(d), style=style)})" for s, d in zip(segments, data, strict=False)],
    )
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.set_xlabel("share of wallet (revenue over potential)")
    ax.set_ylabel("customers")
    ax.legend(frameon=False)
    _style(ax, "Share of wallet per customer")
    fig.tight_layout()
    medians = [
        f"{s}: {count(len(d), style=style)} customers, median {pct(d.median(), style)}"
        for s, d in zip(segments, data, strict=False)
        if len(d)
    ]
    return fig.describe(
        "Histogram of the customers' share of wallet (revenue over potential), stacked per segment: "
        + ("; ".join(medians) or "no customer with a known potential")
        + "."
    )
