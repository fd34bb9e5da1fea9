"""The charts of notebook 04: cost against benefit, scenarios, cash curves, the ROI's spread, channels, workload.

Each function takes a table or a result of :mod:`smartacct_helpers.inside_sales.business_case`
(or the channels and assignment) and returns a
:class:`~smartacct_helpers.presentation.charts.Chart`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..presentation.charts import (
    PALETTE,
    _annotate_bars,
    _fast_layout,
    _figure,
    _money_axis,
    _style,
    _title,
    pct,
    shades,
    share_formatter,
    wrap,
)
from ..presentation.columns import CHANNELS, words
from ..presentation.formatting import count, money, number
from .figures import PAYBACK_CHANCE_MONTHS

CHANNEL_COLORS = {
    "field": PALETTE["field"],
    "inside": PALETTE["develop"],
    "online": PALETTE["small"],
    "distributor": PALETTE["distributor"],
    "retail": PALETTE["retail"],
    "unknown": PALETTE["lapsed"],
}
#: the worse case in the colour of loss, the better in the colour of gain, the base case in the client's slate
SCENARIO_COLORS = {"pessimistic": PALETTE["cost"], "base": PALETTE["figure"], "optimistic": PALETTE["margin"]}
PROVIDER_STYLES = {"internal": "-", "external": "--"}


def cost_benefit_chart(cost: dict, benefit: dict, currency: str = "EUR", style: str = "en"):
    """Yearly cost (reps, project manager, systems) against yearly benefit at full effect, stacked."""
    fig, ax = _figure(8, 3.8)
    cost_parts = {k: v for k, v in cost.items() if k != "total" and v}
    benefit_parts = {k: v for k, v in benefit.items() if k != "total" and v}
    cost_colors = shades("cost", 3)
    benefit_colors = shades("margin", 3)
    handles = []
    for col, parts, colors, side in (
        (0, cost_parts, cost_colors, "cost"),
        (1, benefit_parts, benefit_colors, "benefit"),
    ):
        bottom = 0.0
        for (name, value), color in zip(parts.items(), colors, strict=False):
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
    total_cost, total_benefit = sum(cost_parts.values()), sum(benefit_parts.values())
    return fig.describe(
        f"Stacked bars of the inside-sales team's yearly cost, {money(total_cost, currency, compact=True, style=style)}, "
        f"against its yearly benefit at full effect, {money(total_benefit, currency, compact=True, style=style)}: "
        + "; ".join(h.get_label() for h in handles)
        + "."
    )


def scenario_chart(table: pd.DataFrame, capacity: int, style: str = "en"):
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
            edgecolor=PALETTE["on dark"],
            label=provider,
        )
        _annotate_bars(left, bars, [f"{pct(v, style)}" for v in part["roi"]])
        pay = part["payback_months"].astype("float64")
        bars = right.bar(
            x + offset,
            pay.fillna(0),
            width=0.36,
            color=[SCENARIO_COLORS[s] for s in scenarios],
            hatch=hatch,
            edgecolor=PALETTE["on dark"],
        )
        _annotate_bars(right, bars, ["" if np.isnan(v) else f"{v:.0f}" for v in pay])
        for i, v in enumerate(pay):
            if np.isnan(v):  # no bar: say so, once per scenario when neither pays back
                both = t[t["scenario"] == scenarios[i]]["payback_months"].isna().all()
                if both and k == 0:
                    right.text(x[i], 0, "no payback", ha="center", va="bottom", fontsize=9, color=PALETTE["text"])
                elif not both:
                    right.text(x[i] + offset, 0, "none", ha="center", va="bottom", fontsize=8, color=PALETTE["text"])
    left.axhline(0, color=PALETTE["reference"], linewidth=0.8)
    left.yaxis.set_major_formatter(share_formatter(style))
    for ax in (left, right):
        ax.set_xticks(x, scenarios)
    fig.legend(
        handles=[
            Patch(facecolor=PALETTE["all"], label="internal team"),
            Patch(facecolor=PALETTE["all"], hatch="//", edgecolor=PALETTE["on dark"], label="external provider"),
            *(Patch(facecolor=SCENARIO_COLORS[s], label=f"{s} scenario") for s in scenarios),
        ],
        frameon=False,
        loc="lower center",
        ncols=5,
        fontsize=8,
    )
    right.set_ylabel("month")
    _style(left, f"ROI over the horizon ({capacity} customers per rep)")
    _style(right, "Payback month")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    words = []
    for (provider, scenario), row in t.set_index(["provider", "scenario"]).iterrows():
        pay = row["payback_months"]
        words.append(
            f"{provider}, {scenario}: ROI {pct(row['roi'], style)}, "
            + ("no payback" if pd.isna(pay) else f"payback in month {float(pay):.0f}")
        )
    return fig.describe(
        f"Bars of the ROI and the payback month per scenario, internal team and external provider, at {capacity} "
        "customers per rep: " + "; ".join(words) + "."
    )


def cash_curve_chart(curves: pd.DataFrame, currency: str = "EUR", style: str = "en"):
    """Cumulative net cash per month; columns ``provider / scenario`` (``business_case.cash_curves``)."""
    fig, ax = _figure(9, 4.0)
    for col in curves.columns:
        provider, scenario = [p.strip() for p in col.split("/")]
        ax.plot(
            curves.index,
            curves[col],
            color=SCENARIO_COLORS.get(scenario, PALETTE["all"]),
            linestyle=PROVIDER_STYLES.get(provider, "-"),
            linewidth=2.2 if scenario == "base" else 1.3,
            label=f"{provider}, {scenario}",
        )
    ax.axhline(0, color=PALETTE["reference"], linewidth=0.8)
    for m in (12, 24):
        if m <= curves.index.max():
            ax.axvline(m, color=PALETTE["muted"], linewidth=0.8, linestyle=":")
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_xlabel("month after the start")
    ax.set_ylabel("cumulative net cash")
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper left")
    _style(ax, "Cumulative cash: when does the team pay back?")
    _fast_layout(fig)
    ends = "; ".join(
        f"{col.replace(' / ', ', ')}: {money(curves[col].iloc[-1], currency, compact=True, style=style)}"
        for col in curves.columns
    )
    return fig.describe(
        f"Lines of the cumulative net cash per month after the start over {len(curves)} months, per provider and "
        f"scenario (red the pessimistic, green the optimistic, dashed the external provider); at the end: {ends}."
    )


def monte_carlo_chart(roi: np.ndarray, probability_12: float, probability_24: float, style: str = "en"):
    """Distribution of the simulated ROI, with the 5 %, 50 % and 95 % marks and the payback probabilities.

    ``probability_24`` is the chance of paying back within
    :data:`~smartacct_helpers.inside_sales.figures.PAYBACK_CHANCE_MONTHS` months, the horizon the chart names.
    """
    fig, ax = _figure(8, 3.8)
    roi = np.asarray(roi, dtype="float64")
    loss = roi < 0
    bins = np.histogram_bin_edges(roi, bins=40)
    ax.hist(
        [roi[loss], roi[~loss]],
        bins=bins,
        stacked=True,
        color=[PALETTE["cost"], PALETTE["margin"]],
        label=[f"loss ({pct(loss.mean(), style)} of runs)", "gain"],
    )
    ax.set_ylim(0, ax.get_ylim()[1] * 1.45)
    q05, q50, q95 = np.quantile(roi, [0.05, 0.5, 0.95])
    for q, line in ((q05, ":"), (q50, "-"), (q95, ":")):
        ax.axvline(q, color=PALETTE["text"], linestyle=line, linewidth=1)
    ax.text(
        0.99,
        0.97,
        f"median ROI {pct(q50, style)}; 90 % of runs between {pct(q05, style)} and {pct(q95, style)}\n"
        f"chance of paying back within 12 months: {pct(probability_12, style)}\n"
        f"chance of paying back within {PAYBACK_CHANCE_MONTHS} months: {pct(probability_24, style)}\n"
        f"{count(len(roi), style=style)} runs",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        bbox={"facecolor": PALETTE["on dark"], "edgecolor": PALETTE["grid"]},
    )
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.set_xlabel("ROI over the horizon")
    ax.set_ylabel("runs")
    ax.legend(frameon=False, loc="upper left")
    _style(ax, "How sure is the return? Simulated uplift, churn reduction and ramp-up")
    fig.tight_layout()
    return fig.describe(
        f"Histogram of the ROI over {count(len(roi), style=style)} simulated runs, losses in red and gains in green: median ROI "
        f"{pct(q50, style)}, 90 % of runs between {pct(q05, style)} and {pct(q95, style)}, {pct(loss.mean(), style)} of runs make a loss; "
        f"payback within 12 months in {pct(probability_12, style)} of runs, within {PAYBACK_CHANCE_MONTHS} months in {pct(probability_24, style)}."
    )


def channel_mix_chart(mix: pd.DataFrame, style: str = "en"):
    """Share of window revenue per channel for each row (segment), as 100 % bars."""
    fig, ax = _figure(8, max(2.4, 0.55 * len(mix) + 1.2))
    left = np.zeros(len(mix))
    labels = [wrap(words(i), 24) for i in mix.index]
    for ch in mix.columns:
        vals = mix[ch].to_numpy()
        ax.barh(labels, vals, left=left, color=CHANNEL_COLORS.get(ch, PALETTE["lapsed"]), label=words(ch, CHANNELS))
        for i, v in enumerate(vals):
            if v >= 0.06:
                dark = ch in ("field", "retail", "distributor")
                ax.text(
                    left[i] + v / 2,
                    i,
                    f"{pct(v, style)}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=PALETTE["on dark"] if dark else PALETTE["text"],
                )
        left += vals
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.set_xlim(0, 1)
    ax.legend(frameon=False, ncol=len(mix.columns), loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _title(ax, "Channel mix per segment (revenue, last 12 months)", pad=24)
    fig.tight_layout()
    return fig.describe(
        "Bars of each segment's revenue over the last 12 months split by channel: "
        + "; ".join(
            f"{words(seg)}: "
            + ", ".join(f"{words(ch, CHANNELS)} {pct(v, style)}" for ch, v in row.items() if pd.notna(v) and v >= 0.005)
            for seg, row in mix.iterrows()
        )
        + "."
    )


def workload_chart(load: pd.DataFrame, tolerance: float = 0.05, currency: str = "EUR", style: str = "en"):
    """Each inside rep's customers and potential as deviation from the mean, with the +/- ``tolerance`` band."""
    fig, (left, right) = _figure(10, max(3.0, 0.32 * len(load) + 1.4), 2, sharey=True)
    labels = [wrap(i, 24) for i in load.index]
    panels = (
        (left, "customers", "customers_deviation", PALETTE["develop"], lambda v: f"{number(v, 0, style)}"),
        (
            right,
            "potential",
            "potential_deviation",
            PALETTE["develop"],
            lambda v: money(v, currency, compact=True, style=style),
        ),
    )
    for ax, col, dev, color, fmt in panels:
        ax.axvspan(
            -tolerance,
            tolerance,
            color=PALETTE["potential"],
            linewidth=0,
            label=f"within ±{pct(tolerance, style)} of the mean",
        )
        ax.barh(labels, load[dev], color=color, height=0.6, label="an inside rep's deviation")
        ax.axvline(0, color=PALETTE["reference"], linewidth=0.8)
        for i, v in enumerate(load[col]):
            ax.text(tolerance * 1.05, i, fmt(v), va="center", fontsize=8, color=PALETTE["text"])
        ax.set_xlim(-tolerance * 1.3, tolerance * 1.6)
        ax.xaxis.set_major_formatter(share_formatter(style))
        ax.grid(axis="x", color=PALETTE["grid"])
        ax.spines[["top", "right"]].set_visible(False)
    left.invert_yaxis()
    left.set_xlabel("deviation from the mean")
    right.set_xlabel("deviation from the mean")
    mean_c, mean_p = load["customers"].mean(), load["potential"].mean()
    _title(left, f"Customers per inside rep (mean {number(mean_c, 0, style)})", fontsize=11)
    _title(right, f"Potential per inside rep (mean {money(mean_p, currency, compact=True, style=style)})", fontsize=11)
    handles, names = left.get_legend_handles_labels()
    fig.legend(handles, names, frameon=False, loc="lower center", ncols=2, fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    within = int(
        ((load["customers_deviation"].abs() <= tolerance) & (load["potential_deviation"].abs() <= tolerance)).sum()
    )
    return fig.describe(
        f"Bars of each of the {len(load)} inside reps' customers and potential as the deviation from the mean "
        f"(mean {count(round(mean_c), style=style)} customers and {money(mean_p, currency, compact=True, style=style)} potential): "
        f"{within} of {len(load)} within ±{pct(tolerance, style)} on both."
    )
