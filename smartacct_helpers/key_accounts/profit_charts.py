"""Which key accounts earn money: the whale curves, the value analysis per account and per period.

The tables come from :mod:`smartacct_helpers.key_accounts.value_analysis`; no chart computes an analysis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..presentation.charts import (
    PALETTE,
    _figure,
    _money_axis,
    _style,
    _title,
    colormap,
    pct,
    shades,
    share_formatter,
)
from ..presentation.formatting import currency_sign, money
from .chart_style import _empty, _few_ticks, _height, _labels, _name


def whale_chart(
    whale_all: pd.DataFrame, whale_key: pd.DataFrame | None = None, currency: str = "EUR", style: str = "en"
) -> Figure:
    """Whale curves: cumulative operating profit over the customers sorted by profit.

    Left: all customers (x as share of customers). Right: the key accounts,
    one step per account.
    """
    fig, axes = _figure(11, 4.4, 2 if whale_key is not None else 1)
    axes = np.atleast_1d(axes)
    said = _whale_of_all_customers(axes[0], whale_all, currency, style)
    if whale_key is not None:
        said += _whale_of_key_accounts(axes[1], whale_key, currency, style)
    fig.tight_layout()
    return fig.describe(
        "Whale curves of the cumulative operating profit over the customers, most profitable first: "
        + ("; ".join(said) or "no customers")
        + "."
    )


def _whale_of_all_customers(ax, whale_all: pd.DataFrame, currency: str, style: str) -> list[str]:
    """The left whale curve (all customers) drawn on ``ax``; returns what it shows in words."""
    _style(ax, "Whale curve: all customers")
    if whale_all.empty:
        _empty(ax, "no customers")
        return []
    x = np.concatenate([[0.0], whale_all["share_of_customers"].to_numpy()])
    y = np.concatenate([[0.0], whale_all["cumulative_profit"].to_numpy()])
    ax.plot(x, y, color=PALETTE["margin"], linewidth=2, label="cumulative operating profit")
    peak = int(np.argmax(y))
    total = y[-1]
    ax.axhline(total, color=PALETTE["muted"], linestyle="--", linewidth=0.9)
    ax.annotate(
        f"peak {money(y[peak], currency, compact=True, style=style)}\nafter {pct(x[peak], style)} of customers",
        (x[peak], y[peak]),
        xytext=(-20, -60),
        textcoords="offset points",
        fontsize=8.5,
        ha="right",
        arrowprops={"arrowstyle": "-", "color": PALETTE["muted"], "linewidth": 0.8},
    )
    ax.text(
        1.0,
        total * 0.97,
        f"total {money(total, currency, compact=True, style=style)} ",
        ha="right",
        va="top",
        fontsize=8.5,
        color=PALETTE["reference"],
    )
    ax.xaxis.set_major_formatter(share_formatter(style))
    ax.set_xlabel("share of customers (most profitable first)")
    _money_axis(ax.yaxis, currency, style=style)
    ax.set_ylabel("cumulative operating profit")
    ax.set_xlim(0, 1)
    return [
        f"all customers: the peak of {money(y[peak], currency, compact=True, style=style)} after the most "
        f"profitable {pct(x[peak], style)}, {money(total, currency, compact=True, style=style)} in total"
    ]


def _whale_of_key_accounts(ax, whale_key: pd.DataFrame, currency: str, style: str) -> list[str]:
    """The right whale curve (one bar per key account) drawn on ``ax``; returns what it shows in words."""
    _style(ax, "Whale curve: key accounts")
    if whale_key.empty:
        _empty(ax, "no key accounts")
        return []
    said = []
    n = len(whale_key)
    ranks = np.arange(1, n + 1)
    profit = whale_key["operating_profit"].to_numpy()
    colors = np.where(profit >= 0, shades("margin", 2)[1], PALETTE["cost"])
    ax.bar(ranks, profit, color=colors, width=0.7, label="operating profit of the account")
    ax.plot(
        np.concatenate([[0], ranks]),
        np.concatenate([[0.0], whale_key["cumulative_profit"].to_numpy()]),
        color=PALETTE["margin"],
        linewidth=2,
        marker="o",
        markersize=3,
        label="cumulative",
    )
    best = max(1, int(np.ceil(0.2 * n - 1e-9)))
    ax.axvspan(0.5, best + 0.5, color=PALETTE["potential"], linewidth=0, zorder=0)
    total = whale_key["operating_profit"].sum()
    if total > 0:
        share = whale_key["operating_profit"].head(best).sum() / total
        ax.text(
            0.45,
            0.6,
            f"the best 20 % ({best} of {n}) bring {pct(share, style)}\nof the key accounts' operating profit",
            transform=ax.transAxes,
            fontsize=9,
            va="top",
        )
        said.append(f"key accounts: the best 20 % ({best} of {n}) bring {pct(share, style)} of their operating profit")
    losing = int((profit < 0).sum())
    said.append(f"{losing} of {n} key accounts make a loss")
    ax.axhline(0, color=PALETTE["muted"], linewidth=0.8)
    ax.set_xlabel("key accounts (most profitable first)")
    ax.set_xticks(ranks if n <= 30 else ranks[:: max(1, n // 15)])
    _money_axis(ax.yaxis, currency, style=style)
    handles, _ = ax.get_legend_handles_labels()
    if (profit < 0).any():
        handles.append(Patch(color=PALETTE["cost"], label="operating loss of the account"))
    ax.legend(handles=handles, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 0.1), fontsize=8.5)
    return said


def value_analysis_chart(key_accounts: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """Per key account: the contribution margin, the cost to serve (rebates included), and the operating profit left."""
    df = key_accounts.sort_values("operating_profit_12m", ascending=True)
    labels = _labels(df)
    fig, ax = _figure(9.5, _height(labels, least=0.34) * len(df) + 1.6)
    if df.empty:
        _empty(ax, "no key accounts")
        return fig
    y = np.arange(len(df))
    margin_colour = shades("margin", 2)[1]
    ax.barh(y, df["contribution_margin_12m"], height=0.7, color=margin_colour, label="contribution margin")
    profit = df["operating_profit_12m"].to_numpy()
    ax.barh(
        y,
        profit,
        height=0.38,
        color=np.where(profit >= 0, PALETTE["margin"], PALETTE["cost"]),
        label="operating profit (after the cost to serve)",
    )
    for i, (p, cost) in enumerate(zip(profit, df["cost_to_serve_12m"], strict=False)):
        ax.text(
            max(p, 0),
            i,
            f"  {money(p, currency, compact=True, style=style)} (cost to serve "
            f"{money(cost, currency, compact=True, style=style)})",
            va="center",
            fontsize=7.5,
            color=PALETTE["cost"] if p < 0 else PALETTE["text"],
        )
    ax.axvline(0, color=PALETTE["reference"], linewidth=0.8)
    ax.set_yticks(y, labels, fontsize=8.5)
    _few_ticks(ax.xaxis, 5)
    _money_axis(ax.xaxis, currency, style=style)
    ax.margins(x=0.12)
    handles = [
        Patch(color=margin_colour, label="contribution margin"),
        Patch(color=PALETTE["margin"], label="operating profit (after the cost to serve)"),
        Patch(color=PALETTE["cost"], label="operating loss"),
    ]
    ax.legend(handles=handles, frameon=False, loc="lower right", fontsize=8.5)
    _style(ax, "Which key accounts earn money? (last 12 months)")
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    losing = df[df["operating_profit_12m"] < 0]
    return fig.describe(
        f"Bars of the contribution margin and the operating profit after the cost to serve of the {len(df)} key "
        f"accounts over the last 12 months: {len(losing)} make a loss"
        + (f" ({', '.join(_name(r) for _, r in losing.iterrows())})" if 0 < len(losing) <= 5 else "")
        + f"; the most profitable is {_name(df.iloc[-1])} with "
        f"{money(df['operating_profit_12m'].iloc[-1], currency, compact=True, style=style)}."
    )


def value_by_period_chart(
    value_analysis: pd.DataFrame, currency: str = "EUR", value: str = "operating_profit", style: str = "en"
) -> Figure:
    """A heat map of ``value`` per key account (rows) and period (columns); red below zero."""
    labelled_rows = value_analysis.assign(_label=_labels(value_analysis))  # a missing name: the customer id
    table = labelled_rows.pivot_table(index="_label", columns="period", values=value, aggfunc="sum", sort=False)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    fig, ax = _figure(max(6.0, 1.1 * table.shape[1] + 3.5), _height(table.index) * len(table) + 1.6)
    if table.empty:
        _empty(ax, "no key accounts")
        return fig
    values = table.to_numpy(dtype=float)
    limit = float(np.nanmax(np.abs(values))) or 1.0
    from matplotlib.colors import SymLogNorm

    norm = SymLogNorm(linthresh=limit / 200, vmin=-limit, vmax=limit, base=10)
    ax.imshow(values, cmap=colormap("profit"), norm=norm, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ax.text(
            j,
            i,
            money(v, currency, compact=True, style=style).replace(f" {currency_sign(currency, style)}", ""),
            ha="center",
            va="center",
            fontsize=7.5,
            color=PALETTE["on dark"] if abs(norm(v) - 0.5) > 0.35 else PALETTE["text"],
        )
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], fontsize=9)
    ax.set_yticks(range(len(table)), list(table.index), fontsize=8.5)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    words = value.replace("_", " ")
    _title(ax, f"{words.capitalize()} per period ({currency_sign(currency, style)}): green a profit, red a loss")
    fig.tight_layout()
    negative = int((values < 0).sum())
    return fig.describe(
        f"Heat map of the {words} of {len(table)} key accounts over {table.shape[1]} periods, green a profit and "
        f"red a loss: {negative} of {values.size} cells below zero."
    )
