"""The charts of the year-one review: the groups' growth and the month the team paid for itself.

Each function takes a table (:mod:`smartacct_helpers.review.analysis`) and
returns a :class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import PALETTE, _figure, _money_axis, _style, pct, share_formatter, wrap
from ..presentation.columns import words
from ..presentation.formatting import money
from .analysis import GROUPS

#: the review's groups in the colours of who serves them: the managed customers by inside sales, the other
#: small ones by self-service, the large customers by field sales, and all customers together
_GROUP_COLORS = dict(
    zip(GROUPS, (PALETTE["develop"], PALETTE["small"], PALETTE["field"], PALETTE["all"]), strict=False)
)


def amortisation_chart(curve: pd.DataFrame, break_even: int | None, currency: str = "EUR", style: str = "en") -> Figure:
    """Cumulative incremental contribution margin against the team's cumulative cost, by month."""
    fig, ax = _figure(8, 3.8)
    if not len(curve):
        ax.text(0.5, 0.5, "no month after the programme start in the data", ha="center", transform=ax.transAxes)
        return fig.describe(
            "Has the inside-sales team paid for itself: no month after the programme start in the data."
        )
    m = curve.index.to_numpy()
    ax.plot(
        m,
        curve["cumulative_margin"],
        color=PALETTE["margin"],
        linewidth=2,
        marker="o",
        markersize=3,
        label="cumulative incremental contribution margin",
    )
    ax.plot(m, curve["cumulative_cost"], color=PALETTE["cost"], linewidth=2, label="cumulative cost of the team")
    ax.axhline(0, color=PALETTE["muted"], linewidth=0.8)
    if break_even is not None:
        ax.axvline(break_even, color=PALETTE["reference"], linestyle="--", linewidth=1.2)
        ax.text(
            break_even,
            ax.get_ylim()[1],
            f" break-even in month {break_even}",
            va="top",
            fontsize=9,
            color=PALETTE["reference"],
        )
        said = f"the margin overtakes the cost in month {break_even}"
    else:
        gap = curve["cumulative_cost"].iloc[-1] - curve["cumulative_margin"].iloc[-1]
        ax.text(
            0.01,
            0.97,
            f"not paid back after {len(curve)} months: {money(gap, currency, compact=True, style=style)} to go",
            transform=ax.transAxes,
            va="top",
            fontsize=9,
            color=PALETTE["cost"],
        )
        said = f"not paid back after {len(curve)} months, {money(gap, currency, compact=True, style=style)} to go"
    ax.set_xlabel("month after the programme start")
    ax.set_xticks(m)
    _money_axis(ax.yaxis, currency, style=style)
    ax.legend(frameon=False, loc="lower left", fontsize=8, bbox_to_anchor=(0, 0.72))
    _style(ax, "Has the inside-sales team paid for itself?")
    fig.tight_layout()
    return fig.describe(
        "Line chart by month after the programme start of the cumulative incremental contribution margin against "
        f"the cumulative cost of the inside-sales team: {said}."
    )


def group_growth_chart(performance: pd.DataFrame, style: str = "en") -> Figure:
    """Revenue growth and margin rate of the follow-up per group, side by side."""
    fig, (left, right) = _figure(10, 3.2, 2, sharey=True)
    labels = [wrap(words(g), 22) for g in performance.index]
    colors = [_GROUP_COLORS.get(str(g), PALETTE["all"]) for g in performance.index]
    left.barh(labels, performance["revenue_growth"].fillna(0), color=colors)
    right.barh(labels, performance["margin_rate_followup"].fillna(0), color=colors)
    left.invert_yaxis()
    for ax, col in ((left, "revenue_growth"), (right, "margin_rate_followup")):
        for i, v in enumerate(performance[col]):
            if pd.notna(v):
                text = f"{pct(v, style, 1, signed=True)}" if col == "revenue_growth" else f"{pct(v, style, 1)}"
                ax.text(
                    v, i, f"{text} " if v < 0 else f" {text}", va="center", ha="right" if v < 0 else "left", fontsize=9
                )
        ax.xaxis.set_major_formatter(share_formatter(style))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color=PALETTE["grid"])
        ax.axvline(0, color=PALETTE["muted"], linewidth=0.8)
        ax.margins(x=0.2)
    _style(left, "Revenue growth, follow-up on baseline")
    _style(right, "Contribution margin rate, follow-up")
    fig.tight_layout()
    return fig.describe(
        "Revenue growth from the baseline to the follow-up and the follow-up's contribution margin rate per group: "
        + "; ".join(
            f"{words(g)}: growth {'–' if pd.isna(v) else f'{pct(v, style, 1, signed=True)}'}, margin rate {'–' if pd.isna(m) else f'{pct(m, style, 1)}'}"
            for g, v, m in zip(
                performance.index, performance["revenue_growth"], performance["margin_rate_followup"], strict=False
            )
        )
        + "."
    )
