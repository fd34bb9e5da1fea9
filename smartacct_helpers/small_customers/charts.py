"""The charts of notebook 01: the Pareto curve, the threshold, the segments and the C groups.

Each function takes a table (:mod:`smartacct_helpers.small_customers.analysis`)
and returns a :class:`~smartacct_helpers.presentation.charts.Chart`; none
reads data or computes an analysis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import PALETTE, _figure, _money_axis, _style, _title, pct, share_formatter
from ..presentation.formatting import count, money
from .analysis import SEGMENT_LABELS

#: a segment's colour by its key or by the words it is shown with
_SEGMENT_KEYS = {**{k: k for k in SEGMENT_LABELS}, **{v: k for k, v in SEGMENT_LABELS.items()}}


def _segment_colours(labels) -> list[str]:
    return [PALETTE[_SEGMENT_KEYS[str(k)]] if str(k) in _SEGMENT_KEYS else PALETTE["all"] for k in labels]


def pareto_chart(classified: pd.DataFrame, a: float, b: float, value: str = "revenue_12m", style: str = "en") -> Figure:
    """Cumulative share of window revenue over the share of customers, with the ABC limits.

    Customers with no positive value sit at the right end (class D).
    """
    values = classified[value].clip(lower=0).sort_values(ascending=False).to_numpy()
    total = values.sum()
    n = len(values)
    fig, ax = _figure(8, 4.2)
    if n == 0 or total <= 0:
        ax.text(0.5, 0.5, "no revenue in the window", ha="center", transform=ax.transAxes)
        return fig.describe("Pareto curve: no customer bought in the last 12 months.")
    cum = np.concatenate([[0.0], np.cumsum(values) / total])
    x = np.arange(n + 1) / n
    ax.plot(x, cum, color=PALETTE["figure"], linewidth=2, label="cumulative share of revenue")
    counts = classified["abc"].value_counts()
    start = 0.0
    for cls in "ABCD":
        width = counts.get(cls, 0) / n
        if width:
            ax.axvspan(start, start + width, color=PALETTE[cls], alpha=0.5, linewidth=0, label=f"class {cls}")
            ax.text(
                start + width / 2, 0.04, f"{cls}\n{count(counts.get(cls, 0), style=style)}", ha="center", fontsize=9
            )
        start += width
    for limit in (a, b):
        ax.axhline(limit, color=PALETTE["muted"], linestyle="--", linewidth=0.8)
        ax.text(1.0, limit, f" {pct(limit, style)}", va="center", fontsize=9, color=PALETTE["reference"])
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.yaxis.set_major_formatter(share_formatter(style))
    ax.set_xlabel("share of customers (largest first)")
    ax.set_ylabel("cumulative share of revenue")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, loc="center right", fontsize=8)
    _style(ax, "Pareto curve and ABC classes (last 12 months)")
    fig.tight_layout()
    a_share = cum[counts.get("A", 0)]
    return fig.describe(
        f"Pareto curve of revenue over the last 12 months: the {count(counts.get('A', 0), style=style)} A customers "
        f"({pct(counts.get('A', 0) / n, style)} of {count(n, style=style)}) bring {pct(a_share, style)} of revenue; "
        + ", ".join(f"{count(counts.get(c, 0), style=style)} in class {c}" for c in "BCD")
        + "."
    )


def threshold_chart(classified: pd.DataFrame, threshold: float, currency: str = "EUR", style: str = "en") -> Figure:
    """How the customers' window revenue spreads around the sales threshold (log scale)."""
    revenue = classified["revenue_12m"]
    positive = revenue[revenue > 0]
    fig, ax = _figure(8, 3.6)
    if len(positive):
        bins = np.logspace(np.log10(max(positive.min(), 1.0)), np.log10(positive.max() * 1.01), 40)
        below = positive[positive < threshold]
        above = positive[positive >= threshold]
        ax.hist(
            [below, above],
            bins=bins,
            stacked=True,
            color=[PALETTE["small"], PALETTE["field"]],
            label=[
                f"below the threshold ({count(len(below), style=style)})",
                f"at or above ({count(len(above), style=style)})",
            ],
        )
        ax.set_xscale("log")
        ax.axvline(threshold, color=PALETTE["reference"], linewidth=1.5)
        ax.text(
            threshold,
            ax.get_ylim()[1] * 0.95,
            f"  threshold {money(threshold, currency, style=style)}",
            color=PALETTE["reference"],
            va="top",
            fontsize=9,
        )
        _money_axis(ax.xaxis, currency, style=style)
        ax.legend(
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(0, 0.85),
            title="customers who bought in the last 12 months",
            title_fontsize=9,
            alignment="left",
        )
    ax.set_ylabel("customers")
    _style(ax, "Revenue per customer (last 12 months) and the sales threshold")
    fig.tight_layout()
    if not len(positive):
        return fig.describe("Revenue per customer and the sales threshold: no customer bought in the last 12 months.")
    return fig.describe(
        f"Histogram of revenue per customer over the last 12 months (log scale), customers with revenue only: "
        f"{count(len(below), style)} below the sales threshold of {money(threshold, currency, style=style)}, "
        f"{count(len(above), style)} at or above it."
    )


def segment_chart(summary: pd.DataFrame, style: str = "en") -> Figure:
    """Customers and revenue share per segment, side by side."""
    fig, (left, right) = _figure(9, 3.2, 2, sharey=True)
    labels = list(summary.index)
    colors = _segment_colours(labels)
    left.barh(labels, summary["customers"], color=colors)
    right.barh(labels, summary["revenue_share"], color=colors)
    left.invert_yaxis()
    for i, v in enumerate(summary["customers"]):
        left.text(v, i, f" {count(v, style=style)}", va="center", fontsize=9)
    for i, v in enumerate(summary["revenue_share"]):
        right.text(max(v, 0), i, f" {pct(v, style, 1)}", va="center", fontsize=9)
    right.xaxis.set_major_formatter(share_formatter(style))
    _style(left, "Customers")
    _style(right, "Share of revenue")
    for ax in (left, right):
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color=PALETTE["grid"])
    fig.tight_layout()
    return fig.describe(_segments_in_words(summary, style))


def _segments_in_words(summary: pd.DataFrame, style: str = "en") -> str:
    return "Customers and share of revenue per segment: " + "; ".join(
        f"{segment}: {count(int(n), style)} customers, {pct(max(s, 0), style, 1)} of revenue"
        for segment, n, s in zip(summary.index, summary["customers"], summary["revenue_share"], strict=False)
    )


def c_groups_chart(counts: pd.DataFrame, style: str = "en") -> Figure:
    """How many C customers fall into each of the five groups."""
    fig, ax = _figure(8, 3.0)
    ax.barh(counts.index, counts["customers"], color=PALETTE["C"], edgecolor=PALETTE["B"], label="C customers")
    ax.invert_yaxis()
    for i, v in enumerate(counts["customers"]):
        ax.text(v, i, f" {count(v, style=style)}", va="center", fontsize=9)
    ax.grid(axis="x", color=PALETTE["grid"])
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    _title(ax, "The five groups of the C segment (a customer may sit in several)")
    fig.tight_layout()
    return fig.describe(
        "C customers per group (a customer may sit in several): "
        + "; ".join(
            f"{group}: {count(int(n), style=style)}"
            for group, n in zip(counts.index, counts["customers"], strict=False)
        )
    )
