"""The charts of notebook 02: the visit cost's parts, the threshold's sensitivity, who falls below it.

Each function takes a table (:mod:`smartacct_helpers.field_visits.analysis`)
and returns a :class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from ..presentation.charts import (
    PALETTE,
    _annotate_bars,
    _fast_layout,
    _figure,
    _money_axis,
    _style,
    _title,
    colormap,
    pct,
    shades,
)
from ..presentation.formatting import count, currency_sign, money


def visit_cost_waterfall(breakdown: pd.DataFrame, currency: str = "EUR", style: str = "en"):
    """The cost of one visit as a waterfall: each part of the rep's cost adds its step, the total closes.

    ``breakdown`` is :func:`smartacct_helpers.field_visits.analysis.visit_cost_breakdown`.
    """
    parts = breakdown.drop(index="total", errors="ignore")["per_visit"]
    total = float(breakdown.loc["total", "per_visit"]) if "total" in breakdown.index else float(parts.sum())
    fig, ax = _figure(8, 3.8)
    starts = np.concatenate([[0.0], np.cumsum(parts.to_numpy())[:-1]])
    labels = [str(p).replace("_", " ") for p in parts.index] + ["cost per visit"]
    light = shades("cost", 2)[1]
    bars = ax.bar(labels[:-1], parts.to_numpy(), bottom=starts, color=light, width=0.6, label="a part of the cost")
    last = ax.bar(labels[-1:], [total], color=PALETTE["cost"], width=0.6, label="the cost of one visit")
    for i, (s, v) in enumerate(zip(starts, parts.to_numpy(), strict=False)):
        ax.plot([i + 0.3, i + 0.7], [s + v, s + v], color=PALETTE["muted"], linewidth=0.8)
    _annotate_bars(ax, list(bars), [money(v, currency, decimals=2, style=style) for v in parts], inside=False)
    _annotate_bars(ax, list(last), [money(total, currency, decimals=2, style=style)])
    ax.set_ylim(0, total * 1.15)
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_ylabel("per visit")
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    _style(ax, "What one field visit costs, part by part")
    fig.tight_layout()
    return fig.describe(
        f"Waterfall of the cost of one field visit, {money(total, currency, decimals=2, style=style)} in all: "
        + "; ".join(
            f"{label} {money(v, currency, decimals=2, style=style)}" for label, v in zip(labels, parts, strict=False)
        )
        + "."
    )


def threshold_heatmap(
    grid: pd.DataFrame,
    counts: pd.DataFrame | None = None,
    current: tuple | None = None,
    currency: str = "EUR",
    style: str = "en",
):
    """Sales threshold for visits per year (rows) x highest sales-cost ratio (columns).

    Each cell shows the threshold and, with ``counts``, how many customers
    lie below it. ``current`` = (visits, ratio) is outlined.
    """
    fig, ax = _figure(9, 4.6)
    values = grid.to_numpy(dtype="float64")
    cmap = colormap()
    ax.imshow(np.log10(np.maximum(values, 1.0)), cmap=cmap, aspect="auto")
    vmid = np.log10(np.maximum(values, 1.0)).mean()
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            dark = np.log10(max(values[r, c], 1.0)) > vmid
            text = money(values[r, c], currency, compact=True, style=style).replace(
                f" {currency_sign(currency, style)}", ""
            )
            if counts is not None:
                text += f"\n{count(int(counts.iat[r, c]), style=style)}"
            ax.text(
                c, r, text, ha="center", va="center", fontsize=8, color=PALETTE["on dark"] if dark else PALETTE["text"]
            )
    ax.set_xticks(range(values.shape[1]), [f"{pct(x, style)}" for x in grid.columns])
    ax.set_yticks(range(values.shape[0]), [f"{int(v)}" for v in grid.index])
    ax.set_xlabel("highest acceptable sales cost (share of revenue)")
    ax.set_ylabel("visits per customer and year")
    shown = ""
    if current is not None:
        visits, ratio = current
        rows = np.flatnonzero(np.isclose(grid.index.to_numpy(dtype=float), visits))
        cols = np.flatnonzero(np.isclose(grid.columns.to_numpy(dtype=float), ratio))
        if len(rows) and len(cols):
            ax.add_patch(
                Rectangle((cols[0] - 0.5, rows[0] - 0.5), 1, 1, fill=False, edgecolor=PALETTE["cost"], linewidth=2.5)
            )
            ax.legend(
                handles=[Patch(fill=False, edgecolor=PALETTE["cost"], linewidth=2.5, label="the current setting")],
                frameon=False,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
                fontsize=8,
            )
            here = money(values[rows[0], cols[0]], currency, compact=True, style=style)
            below = (
                f", {count(counts.iat[rows[0], cols[0]], style=style)} customers below it" if counts is not None else ""
            )
            shown = f" At the current {int(visits)} visits and {pct(ratio, style)}: {here}{below}."
    title = f"Sales threshold ({currency_sign(currency, style)})" + (
        " and customers below it" if counts is not None else ""
    )
    _title(ax, title)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.tight_layout()
    low, high = (money(v, currency, compact=True, style=style) for v in (np.nanmin(values), np.nanmax(values)))
    return fig.describe(
        f"Heat map of the sales threshold for {values.shape[0]} numbers of visits per year (rows) and "
        f"{values.shape[1]} highest acceptable sales-cost ratios (columns), darker the higher: from {low} to {high}."
        + shown
    )


def below_threshold_abc_chart(table: pd.DataFrame, style: str = "en"):
    """Per ABC class: customers below and at or above the sales threshold (``below_threshold_by_abc``)."""
    t = table.drop(index="all", errors="ignore")
    fig, ax = _figure(8, 3.4)
    below = t["below"].to_numpy()
    above = (t["customers"] - t["below"]).to_numpy()
    ax.bar(t.index, above, color=PALETTE["field"], label="at or above the threshold (field sales pays)")
    bars = ax.bar(t.index, below, bottom=above, color=PALETTE["small"], label="below the threshold (to manage)")
    for bar, b, n in zip(bars, below, t["customers"], strict=False):
        if n:
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_y() + bar.get_height(),
                f"{count(b, style=style)} of {count(n, style=style)} below",
                ha="center",
                va="bottom",
                fontsize=9,
            )
    ax.set_ylabel("customers")
    ax.set_ylim(0, t["customers"].max() * 1.15 if len(t) else 1)
    ax.legend(frameon=False, loc="upper left")
    _style(ax, "Who falls below the sales threshold, by ABC class")
    _fast_layout(fig)
    return fig.describe(
        "Customers below and at or above the sales threshold per ABC class: "
        + "; ".join(
            f"class {c}: {count(int(b), style=style)} of {count(int(n), style=style)} below"
            for c, b, n in zip(t.index, below, t["customers"], strict=False)
        )
        + "."
    )


def distance_threshold_chart(customers: pd.DataFrame, flat_threshold: float, currency: str = "EUR", style: str = "en"):
    """Window revenue over distance, with the flat threshold and the distance-aware one.

    ``customers`` needs ``distance_km``, ``revenue_12m`` and
    ``sales_threshold_distance`` (:func:`smartacct_helpers.field_visits.analysis.distance_thresholds`).
    """
    df = customers[customers["distance_km"].notna() & (customers["revenue_12m"] > 0)]
    fig, ax = _figure(8, 4.0)
    below = df["revenue_12m"] < df["sales_threshold_distance"]
    ax.scatter(
        df.loc[~below, "distance_km"],
        df.loc[~below, "revenue_12m"],
        s=6,
        color=PALETTE["field"],
        alpha=0.5,
        label=f"pays for field visits ({count(int((~below).sum()), style=style)})",
    )
    ax.scatter(
        df.loc[below, "distance_km"],
        df.loc[below, "revenue_12m"],
        s=6,
        color=PALETTE["small"],
        alpha=0.6,
        label=f"below the distance-aware threshold ({count(int(below.sum()), style=style)} with revenue)",
    )
    line = df.sort_values("distance_km")
    ax.plot(
        line["distance_km"],
        line["sales_threshold_distance"],
        color=PALETTE["reference"],
        linewidth=2,
        label="distance-aware threshold",
    )
    ax.axhline(
        flat_threshold,
        color=PALETTE["reference"],
        linestyle="--",
        linewidth=1,
        label=f"flat threshold {money(flat_threshold, currency, style=style)}",
    )
    ax.set_yscale("log")
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_xlabel("distance from the rep's base (km)")
    ax.set_ylabel("revenue, last 12 months")
    ax.legend(frameon=True, framealpha=0.9, edgecolor=PALETTE["on dark"], loc="lower right", fontsize=8)
    _style(ax, "Farther customers need more revenue to pay for a visit")
    fig.tight_layout()
    return fig.describe(
        f"Scatter of revenue over the last 12 months against the distance from the rep's base, customers with "
        f"revenue and a known distance: {count((~below).sum(), style=style)} pay for field visits, "
        f"{count(below.sum(), style=style)} fall "
        f"below the distance-aware threshold, which rises with distance above the flat threshold of "
        f"{money(flat_threshold, currency, style=style)}."
    )
