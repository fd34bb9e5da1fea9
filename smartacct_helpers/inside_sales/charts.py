"""The charts of notebook 04: cost against benefit, scenarios, cash curves, the ROI's spread, channels, workload.

Each function takes a table or a result of :mod:`smartacct_helpers.inside_sales.business_case`
(or the channels and assignment) and returns a
:class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..presentation.charts import PALETTE, _annotate_bars, _fast_layout, _figure, _money_axis, _style, _title
from ..presentation.formatting import money

CHANNEL_COLORS = {
    "field": PALETTE["A"],
    "inside": PALETTE["B"],
    "online": "#7fb77e",
    "distributor": PALETTE["develop"],
    "retail": "#d35400",
    "unknown": PALETTE["D"],
}
SCENARIO_COLORS = {"pessimistic": "#c0392b", "base": PALETTE["A"], "optimistic": "#7fb77e"}
PROVIDER_STYLES = {"internal": "-", "external": "--"}


def cost_benefit_chart(cost: dict, benefit: dict, currency: str = "EUR", style: str = "en"):
    """Yearly cost (reps, project manager, systems) against yearly benefit at full effect, stacked."""
    fig, ax = _figure(8, 3.8)
    cost_parts = {k: v for k, v in cost.items() if k != "total" and v}
    benefit_parts = {k: v for k, v in benefit.items() if k != "total" and v}
    cost_colors = [PALETTE["accent"], "#e07b6e", "#f2b8b0"]
    benefit_colors = [PALETTE["A"], PALETTE["B"], PALETTE["C"]]
    handles = []
    for col, parts, colors, side in (
        (0, cost_parts, cost_colors, "cost"),
        (1, benefit_parts, benefit_colors, "benefit"),
    ):
        bottom = 0.0
        for (name, value), color in zip(parts.items(), colors):
            ax.bar(col, value, bottom=bottom, color=color, width=0.5)
            handles.append(
                Patch(
                    facecolor=color,
                    label=f"{side}: {name.replace('_', ' ')} {money(value, currency, compact=True, style=style)}",
                )
            )
            bottom += value
        ax.text(
            col, bottom, money(bottom, currency, compact=True, style=style), ha="center", va="bottom", fontweight="bold"
        )
    ax.set_xticks([0, 1], ["cost per year", "benefit per year\n(full effect)"])
    ax.set_xlim(-0.5, 2.6)
    ax.legend(handles=handles, frameon=False, loc="center right", fontsize=8)
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_ylim(0, max(cost.get("total", 0), benefit.get("total", 0)) * 1.12 or 1)
    _style(ax, "What the team costs and brings in a full year")
    fig.tight_layout()
    return fig


def scenario_chart(table: pd.DataFrame, capacity: int):
    """ROI and payback month per scenario, internal team next to the external provider (one capacity)."""
    t = table[table["capacity"] == capacity]
    fig, (left, right) = _figure(10, 3.6, 2)
    scenarios = ["pessimistic", "base", "optimistic"]
    x = np.arange(len(scenarios))
    for k, (provider, hatch) in enumerate((("internal", None), ("external", "//"))):
        part = t[t["provider"] == provider].set_index("scenario").reindex(scenarios)
        offset = (k - 0.5) * 0.38
        bars = left.bar(
            x + offset,
            part["roi"],
            width=0.36,
            color=[SCENARIO_COLORS[s] for s in scenarios],
            hatch=hatch,
            edgecolor="white",
            label=provider,
        )
        _annotate_bars(left, bars, [f"{v:.0%}" for v in part["roi"]])
        pay = part["payback_months"].astype("float64")
        bars = right.bar(
            x + offset,
            pay.fillna(0),
            width=0.36,
            color=[SCENARIO_COLORS[s] for s in scenarios],
            hatch=hatch,
            edgecolor="white",
        )
        _annotate_bars(right, bars, ["none" if np.isnan(v) else f"{v:.0f}" for v in pay])
    left.axhline(0, color="#555555", linewidth=0.8)
    left.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    for ax in (left, right):
        ax.set_xticks(x, scenarios)
    left.legend(
        handles=[
            Patch(facecolor="#999999", label="internal team"),
            Patch(facecolor="#999999", hatch="//", edgecolor="white", label="external provider"),
        ],
        frameon=False,
        loc="upper left",
    )
    right.set_ylabel("month")
    _style(left, f"ROI over the horizon ({capacity} customers per rep)")
    _style(right, "Payback month")
    fig.tight_layout()
    return fig


def cash_curve_chart(curves: pd.DataFrame, currency: str = "EUR", style: str = "en"):
    """Cumulative net cash per month; columns ``provider / scenario`` (``business_case.cash_curves``)."""
    fig, ax = _figure(9, 4.0)
    for col in curves.columns:
        provider, scenario = [p.strip() for p in col.split("/")]
        ax.plot(
            curves.index,
            curves[col],
            color=SCENARIO_COLORS.get(scenario, PALETTE["B"]),
            linestyle=PROVIDER_STYLES.get(provider, "-"),
            linewidth=2.2 if scenario == "base" else 1.3,
            label=f"{provider}, {scenario}",
        )
    ax.axhline(0, color="#555555", linewidth=0.8)
    for m in (12, 24):
        if m <= curves.index.max():
            ax.axvline(m, color="#bbbbbb", linewidth=0.8, linestyle=":")
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_xlabel("month after the start")
    ax.set_ylabel("cumulative net cash")
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper left")
    _style(ax, "Cumulative cash: when does the team pay back?")
    _fast_layout(fig)
    return fig


def monte_carlo_chart(roi: np.ndarray, probability_12: float, probability_24: float):
    """Distribution of the simulated ROI, with the 5 %, 50 % and 95 % marks and the payback probabilities."""
    fig, ax = _figure(8, 3.8)
    roi = np.asarray(roi, dtype="float64")
    loss = roi < 0
    bins = np.histogram_bin_edges(roi, bins=40)
    ax.hist(
        [roi[loss], roi[~loss]],
        bins=bins,
        stacked=True,
        color=[PALETTE["accent"], PALETTE["B"]],
        label=[f"loss ({loss.mean():.0%} of runs)", "gain"],
    )
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)
    q05, q50, q95 = np.quantile(roi, [0.05, 0.5, 0.95])
    for q, style in ((q05, ":"), (q50, "-"), (q95, ":")):
        ax.axvline(q, color="#333333", linestyle=style, linewidth=1)
    ax.text(
        0.99,
        0.97,
        f"median ROI {q50:.0%}; 90 % of runs between {q05:.0%} and {q95:.0%}\n"
        f"P(payback within 12 months) = {probability_12:.0%}\n"
        f"P(payback within 24 months) = {probability_24:.0%}\n{len(roi):,} runs",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        bbox={"facecolor": "white", "edgecolor": "#dddddd"},
    )
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel("ROI over the horizon")
    ax.set_ylabel("runs")
    ax.legend(frameon=False, loc="upper left")
    _style(ax, "How sure is the return? Simulated uplift, churn reduction and ramp-up")
    fig.tight_layout()
    return fig


def channel_mix_chart(mix: pd.DataFrame):
    """Share of window revenue per channel for each row (segment), as 100 % bars."""
    fig, ax = _figure(8, max(2.4, 0.55 * len(mix) + 1.2))
    left = np.zeros(len(mix))
    labels = [str(i) for i in mix.index]
    for ch in mix.columns:
        vals = mix[ch].to_numpy()
        ax.barh(labels, vals, left=left, color=CHANNEL_COLORS.get(ch, PALETTE["D"]), label=ch)
        for i, v in enumerate(vals):
            if v >= 0.06:
                ax.text(left[i] + v / 2, i, f"{v:.0%}", ha="center", va="center", fontsize=8, color="white")
        left += vals
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.legend(frameon=False, ncol=len(mix.columns), loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "Channel mix per segment (revenue, last 12 months)", pad=24)
    fig.tight_layout()
    return fig


def workload_chart(load: pd.DataFrame, tolerance: float = 0.05, currency: str = "EUR", style: str = "en"):
    """Each inside rep's customers and potential as deviation from the mean, with the +/- ``tolerance`` band."""
    fig, (left, right) = _figure(10, max(3.0, 0.32 * len(load) + 1.4), 2, sharey=True)
    labels = [str(i) for i in load.index]
    panels = (
        (left, "customers", "customers_deviation", PALETTE["B"], lambda v: f"{v:,.0f}"),
        (
            right,
            "potential",
            "potential_deviation",
            PALETTE["A"],
            lambda v: money(v, currency, compact=True, style=style),
        ),
    )
    for ax, col, dev, color, fmt in panels:
        ax.axvspan(-tolerance, tolerance, color=PALETTE["develop"], alpha=0.18, linewidth=0)
        ax.barh(labels, load[dev], color=color, height=0.6)
        ax.axvline(0, color="#555555", linewidth=0.8)
        for i, v in enumerate(load[col]):
            ax.text(tolerance * 1.05, i, fmt(v), va="center", fontsize=8, color="#333333")
        ax.set_xlim(-tolerance * 1.3, tolerance * 1.6)
        ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
        ax.grid(axis="x", color="#e5e5e5")
        ax.spines[["top", "right"]].set_visible(False)
    left.invert_yaxis()
    left.set_xlabel("deviation from the mean")
    right.set_xlabel("deviation from the mean")
    mean_c, mean_p = load["customers"].mean(), load["potential"].mean()
    _title(left, f"Customers per inside rep (mean {mean_c:,.0f})", fontsize=11)
    _title(right, f"Potential per inside rep (mean {money(mean_p, currency, compact=True, style=style)})", fontsize=11)
    fig.tight_layout()
    return fig
