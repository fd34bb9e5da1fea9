"""Charts of the key-account analysis: each takes a table and returns a figure.

Same conventions as :mod:`smartacct_helpers.small_customers.charts`: no chart reads data or
computes an analysis. This module draws how concentrated revenue is and what losing the largest
accounts would cost; the other charts live beside it and are importable from here too:
:mod:`~smartacct_helpers.key_accounts.profit_charts` (which accounts earn money),
:mod:`~smartacct_helpers.key_accounts.relationship_charts` (the scorecard classes) and
:mod:`~smartacct_helpers.key_accounts.portfolio_charts` (the portfolio map and the treatments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import (
    PALETTE,
    _figure,
    _money_axis,
    _style,
    pct,
    share_formatter,
)
from ..presentation.formatting import count, money, number
from .chart_style import CLASS_COLORS, TREATMENT_COLORS, _empty, _few_ticks, _height, _labels, _name
from .portfolio_charts import portfolio_map_chart, treatment_chart
from .practice_charts import discount_trend_chart, mutual_chart, strategy_grid
from .profit_charts import value_analysis_chart, value_by_period_chart, whale_chart
from .relationship_charts import account_value_chart, scorecard_movement_chart, size_vs_relationship_chart

__all__ = [
    "CLASS_COLORS",
    "TREATMENT_COLORS",
    "account_value_chart",
    "discount_trend_chart",
    "lorenz_chart",
    "mutual_chart",
    "portfolio_map_chart",
    "scorecard_movement_chart",
    "size_vs_relationship_chart",
    "strategy_grid",
    "top_customers_chart",
    "treatment_chart",
    "value_analysis_chart",
    "value_by_period_chart",
    "whale_chart",
    "worst_case_chart",
]


def lorenz_chart(
    curve: pd.DataFrame,
    gini: float | None = None,
    hhi: float | None = None,
    band: str | None = None,
    style: str = "en",
) -> Figure:
    """The Lorenz curve of revenue against the line of equal customers."""
    fig, ax = _figure(6.5, 5)
    x, y = curve["share_of_customers"], curve["share_of_revenue"]
    ax.plot([0, 1], [0, 1], color=PALETTE["muted"], linestyle="--", linewidth=1, label="every customer buys the same")
    ax.fill_between(x, y, x, color=PALETTE["potential"], linewidth=0)
    ax.plot(x, y, color=PALETTE["figure"], linewidth=2, label="actual revenue")
    for q in (0.8, 0.95, 0.99):
        if len(x) > 2:
            i = int(np.searchsorted(x.to_numpy(), q))
            i = min(i, len(x) - 1)
            ax.annotate(
                f"the largest {pct(1 - x.iloc[i], style)} of customers\nbring {pct(1 - y.iloc[i], style)} of revenue",
                (x.iloc[i], y.iloc[i]),
                xytext=(-150, 20 + 40 * (q > 0.9) + 40 * (q > 0.97)),
                textcoords="offset points",
                fontsize=8.5,
                color=PALETTE["text"],
                arrowprops={"arrowstyle": "-", "color": PALETTE["muted"], "linewidth": 0.8},
            )
    parts = []
    if gini is not None:
        parts.append(f"Gini {number(gini, 2, style)}")
    if hhi is not None:
        parts.append(f"Herfindahl {number(hhi, 3, style)}" + (f" ({band})" if band else ""))
    if parts:
        ax.text(0.02, 0.97, " · ".join(parts), transform=ax.transAxes, va="top", fontsize=9.5, color=PALETTE["figure"])
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.yaxis.set_major_formatter(share_formatter(style))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("share of customers (smallest first)")
    ax.set_ylabel("cumulative share of revenue")
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(0.0, 0.78), fontsize=9)
    _style(ax, "How concentrated is revenue? (Lorenz curve)")
    fig.tight_layout()
    said = ""
    if len(x) > 2:
        i = min(int(np.searchsorted(x.to_numpy(), 0.8)), len(x) - 1)
        said = f" the largest {pct(1 - x.iloc[i], style)} of customers bring {pct(1 - y.iloc[i], style)} of revenue"
    return fig.describe(
        "Lorenz curve of revenue over the customers, smallest first, against the line of equal customers:"
        + said
        + (f" ({', '.join(parts)})" if parts else "")
        + "."
    )


def top_customers_chart(accounts: pd.DataFrame, major_share: float = 0.10, n: int = 15, style: str = "en") -> Figure:
    """Revenue and margin share of the largest customers, with the major-customer line."""
    df = accounts.sort_values("revenue_share", ascending=False).head(n)
    labels = _labels(df)
    fig, ax = _figure(8.5, _height(labels) * len(df) + 1.4)
    if df.empty:
        _empty(ax, "no revenue in the window")
        return fig
    y = np.arange(len(df))
    ax.barh(y - 0.2, df["revenue_share"], height=0.4, color=PALETTE["figure"], label="share of revenue")
    ax.barh(y + 0.2, df["margin_share"], height=0.4, color=PALETTE["margin"], label="share of contribution margin")
    ax.axvline(major_share, color=PALETTE["reference"], linewidth=1.2, linestyle="--")
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.text(
        major_share,
        -0.75,
        f" {pct(major_share, style)} and more: major customer",
        color=PALETTE["reference"],
        fontsize=8.5,
        va="bottom",
    )
    _few_ticks(ax.xaxis, 6)
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.legend(frameon=False, loc="center right", fontsize=9)
    _style(ax, f"The {len(df)} largest customers: share of revenue and of margin")
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    major = int((df["revenue_share"] >= major_share).sum())
    return fig.describe(
        f"Bars of the share of revenue and of contribution margin of the {len(df)} largest customers: "
        f"the largest, {_name(df.iloc[0])}, brings {pct(df['revenue_share'].iloc[0], style, 1)} of revenue; together they "
        f"bring {pct(df['revenue_share'].sum(), style)}; {major} reach the major-customer line of {pct(major_share, style)}."
    )


def worst_case_chart(table: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """Losing the top k accounts: revenue and margin lost, fixed costs left uncovered, replacements needed.

    ``table`` is :func:`smartacct_helpers.key_accounts.worst_case.worst_case_table`.
    """
    fig = _figure(10, 6.2)[0]
    if table.empty:
        _empty(fig.axes[0], "no customer with revenue")
        return fig
    fig.clear()
    grid = fig.add_gridspec(2, 1, height_ratios=[3, 1.4], hspace=0.08)
    ax = fig.add_subplot(grid[0])
    k = table.index.to_numpy()
    w = 0.26
    ax.bar(k - w, table["revenue_lost"], width=w, color=PALETTE["figure"], label="revenue lost")
    ax.bar(k, table["margin_lost"], width=w, color=PALETTE["margin"], label="contribution margin lost")
    uncovered = table["fixed_costs_not_covered"]
    if uncovered.notna().any():
        ax.bar(k + w, uncovered.fillna(0), width=w, color=PALETTE["cost"], label="fixed costs no longer covered")
    for i, row in table.iterrows():
        ax.text(
            i - w,
            row["revenue_lost"],
            f"{pct(row['revenue_lost_share'], style)}",
            ha="center",
            va="bottom",
            fontsize=8.5,
        )
        ax.text(
            i, row["margin_lost"], f"{pct(row['margin_lost_share'], style)}", ha="center", va="bottom", fontsize=8.5
        )
    ax.set_xticks(k, [f"top {i}" for i in k])
    _money_axis(ax.yaxis, currency, style=style)
    ax.legend(frameon=False, loc="upper left", fontsize=9)
    _style(ax, "Worst case: losing the largest accounts (last 12 months)")

    tab = fig.add_subplot(grid[1])
    tab.axis("off")
    rows = [
        ("revenue lost", [money(v, currency, compact=True, style=style) for v in table["revenue_lost"]]),
        ("margin lost", [money(v, currency, compact=True, style=style) for v in table["margin_lost"]]),
        ("result after fixed costs", [money(v, currency, compact=True, style=style) for v in table["result_after"]]),
        (
            "smart accounts to replace",
            ["–" if v != v else f"{count(int(v), style=style)}" for v in table["replacements_needed"]],
        ),
    ]
    cell = tab.table(
        cellText=[r[1] for r in rows],
        rowLabels=[r[0] for r in rows],
        colLabels=[f"top {i}" for i in k],
        loc="center",
        cellLoc="center",
    )
    cell.auto_set_font_size(False)
    cell.set_fontsize(9)
    cell.scale(1, 1.35)
    for (r, _c), item in cell.get_celld().items():
        item.set_edgecolor(PALETTE["grid"])
        if r == 0:
            item.set_text_props(fontweight="bold")
    fig.subplots_adjust(left=0.2, right=0.97, top=0.93, bottom=0.02)
    return fig.describe(
        "Bars and a table of what losing the largest accounts would cost over the last 12 months: "
        + "; ".join(
            f"the top {i}: revenue {money(r['revenue_lost'], currency, compact=True, style=style)} "
            f"({pct(r['revenue_lost_share'], style)}), contribution margin "
            f"{money(r['margin_lost'], currency, compact=True, style=style)} ({pct(r['margin_lost_share'], style)})"
            for i, r in table.iterrows()
        )
        + "."
    )
