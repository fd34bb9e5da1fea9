"""The portfolio: every customer by value and potential or growth, and what each treatment brings."""

from __future__ import annotations

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
from ..presentation.formatting import count, money, share
from .chart_style import TREATMENT_COLORS, _empty, _few_ticks, _name, _short


def portfolio_map_chart(
    portfolio: pd.DataFrame, currency: str = "EUR", y: str = "potential", label_top: int = 4, style: str = "en"
) -> Figure:
    """Every customer by current revenue (x, log scale) and potential or growth (y), coloured by treatment.

    Parameters
    ----------
    portfolio : DataFrame
        :func:`smartacct_helpers.key_accounts.portfolio.portfolio_map`.
    y : {"potential", "growth"}
        ``potential`` on a log scale (the diagonal: the customer buys all it
        could), or ``growth``: the revenue trend per year as a share of the
        revenue, shown between -60 % and +60 %.
    """
    fig, ax = _figure(10, 6)
    df = portfolio[portfolio["revenue_12m"] > 0].copy()
    if y == "potential":
        df = df[df["potential"] > 0]
        df["_y"] = df["potential"]
    else:
        df = df[df["growth"].notna()]
        df["_y"] = df["growth"].clip(-0.6, 0.6)
    if df.empty:
        _empty(ax, "no customers with revenue")
        return fig
    large = _customers_by_treatment(ax, df, label_top, style)
    title = _portfolio_axes(ax, df, y, currency, style)
    ax.set_xlabel("revenue of the last 12 months (log scale)")
    ax.legend(
        frameon=False,
        loc="upper left",
        fontsize=8.5,
        title="customers who bought in the last 12 months" + (" (known potential)" if y == "potential" else ""),
        title_fontsize=8.5,
        alignment="left",
    )
    _style(ax, title)
    fig.tight_layout()
    per = "; ".join(
        f"{t}: {count((df['treatment'] == t).sum(), style=style)}"
        for t in TREATMENT_COLORS
        if (df["treatment"] == t).any()
    )
    return fig.describe(
        f"Scatter of the {count(len(df), style=style)} customers with revenue in the last 12 months"
        + (" and a known potential" if y == "potential" else " and a revenue trend")
        + f", by revenue (log scale) and {'potential (log scale)' if y == 'potential' else 'revenue trend per year'}, "
        f"coloured by the treatment each gets: {per}"
        + (f"; {len(large)} large customers are not in the key-account programme" if len(large) else "")
        + "."
    )


def _customers_by_treatment(ax, df: pd.DataFrame, label_top: int, style: str = "en") -> pd.DataFrame:
    """The portfolio's points, one colour per treatment, the largest named; returns the large customers left out."""
    sizes = {"key-account programme": 70, "field sales": 14, "inside sales": 7, "self-service": 5}
    for treatment in ["self-service", "inside sales", "field sales", "key-account programme"]:
        part = df[df["treatment"] == treatment]
        if part.empty:
            continue
        programme = treatment == "key-account programme"
        ax.scatter(
            part["revenue_12m"],
            part["_y"],
            s=sizes[treatment],
            color=TREATMENT_COLORS[treatment],
            alpha=0.9 if programme else 0.45,
            linewidth=0.4,
            edgecolor=PALETTE["text"] if programme else PALETTE["on dark"],
            label=f"{treatment} ({count(len(part), style=style)})",
            zorder=4 if programme else 2,
        )
    large = df[df["key_account"] & (df["treatment"] != "key-account programme")]
    if len(large):
        ax.scatter(
            large["revenue_12m"],
            large["_y"],
            s=70,
            facecolor="none",
            edgecolor=PALETTE["key account"],
            linewidth=1.2,
            label=f"large, but not in the programme ({len(large)})",
            zorder=5,
        )
    top = df.sort_values("revenue_12m", ascending=False).head(label_top)
    for i, (_, row) in enumerate(top.iterrows()):
        ax.annotate(
            _short(_name(row), 30),
            (row["revenue_12m"], row["_y"]),
            xytext=(0.74, 0.96 - 0.065 * i),
            textcoords="axes fraction",
            fontsize=7.5,
            ha="right",
            va="center",
            arrowprops={"arrowstyle": "-", "color": PALETTE["muted"], "linewidth": 0.6},
        )
    return large


def _portfolio_axes(ax, df: pd.DataFrame, y: str, currency: str, style: str) -> str:
    """The log axes of the portfolio map (with the diagonal when y is the potential); returns the title."""
    ax.set_xscale("log")
    _money_axis(ax.xaxis, currency, style=style)
    if y == "potential":
        lo = max(min(df["revenue_12m"].min(), df["potential"].min()), 1.0)
        hi = max(df["revenue_12m"].max(), df["potential"].max()) * 1.5
        ax.plot([lo, hi], [lo, hi], color=PALETTE["muted"], linestyle=":", linewidth=0.9)
        ax.text(
            lo * 3,
            lo * 1.3,
            "on this line a customer buys all it could",
            fontsize=8,
            color=PALETTE["muted"],
            rotation=0,
            va="bottom",
        )
        ax.set_yscale("log")
        _money_axis(ax.yaxis, currency, style=style)
        ax.set_ylabel("potential (log scale)")
        title = "Portfolio map: value, potential and the treatment each customer gets"
    else:
        ax.axhline(0, color=PALETTE["muted"], linewidth=0.8)
        ax.yaxis.set_major_formatter(share_formatter(style))
        ax.set_ylabel("revenue trend per year (share of revenue)")
        title = "Portfolio map: value, growth and the treatment each customer gets"
    return title


def treatment_chart(summary: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """Customers, revenue share and operating profit per treatment: the two-track strategy at a glance."""
    fig, axes = _figure(11, 2.8, 3, sharey=True)
    labels = list(summary.index)
    colors = [TREATMENT_COLORS.get(k, PALETTE["all"]) for k in labels]
    for ax, col, title in zip(
        axes,
        ["customers", "revenue_share", "operating_profit_12m"],
        ["Customers", "Share of revenue", "Operating profit"],
        strict=False,
    ):
        ax.barh(labels, summary[col], color=colors)
        for i, v in enumerate(summary[col]):
            text = (
                f"{count(int(v), style=style)}"
                if col == "customers"
                else (f"{pct(v, style)}" if col == "revenue_share" else money(v, currency, compact=True, style=style))
            )
            ax.text(max(v, 0), i, f" {text}", va="center", fontsize=8.5)
        if col == "revenue_share":
            ax.xaxis.set_major_formatter(share_formatter(style))
        if col == "operating_profit_12m":
            _few_ticks(ax.xaxis, 3)
            _money_axis(ax.xaxis, currency, style=style)
        else:
            _few_ticks(ax.xaxis, 4)
        _style(ax, title)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.25)
    axes[0].invert_yaxis()
    fig.tight_layout()
    return fig.describe(
        "Bars of the customers, the share of revenue and the operating profit per treatment: "
        + "; ".join(
            f"{t}: {count(r['customers'], style=style)} customers, {share(r['revenue_share'], 0, style)} of revenue, "
            f"operating profit "
            f"{money(r['operating_profit_12m'], currency, compact=True, style=style)}"
            for t, r in summary.iterrows()
        )
        + "."
    )
