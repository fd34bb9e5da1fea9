"""Charts of the key-account analysis: each takes a table and returns a figure.

Same conventions as :mod:`smartacct_helpers.small_customers.charts`: no chart reads data or
computes an analysis.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..presentation.charts import (
    PALETTE,
    _figure,
    _money_axis,
    _style,
    _title,
    colormap,
    labelled_bars,
    lines,
    pct,
    shades,
    share_formatter,
    wrap,
)
from ..presentation.formatting import count, currency_sign, money, number, share

#: the relationship classes: the key-account purple, darkest the closest relationship
CLASS_COLORS = {
    "strategic partner": PALETTE["strategic partner"],
    "key account": PALETTE["key account class"],
    "large account": PALETTE["large account"],
    "transactional": PALETTE["transactional"],
    "not assessed": PALETTE["not assessed"],
}
#: the treatments in the colours of who serves the customer (the same as the segments and channels)
TREATMENT_COLORS = {
    "key-account programme": PALETTE["key account"],
    "field sales": PALETTE["field"],
    "inside sales": PALETTE["develop"],
    "self-service": PALETTE["small"],
}


def _short(name, width: int = 28) -> str:
    """A name wrapped onto lines of at most ``width`` characters: never cut."""
    return wrap(name, width)


def _height(labels, per_line: float = 0.2, least: float = 0.32) -> float:
    """The height one bar row needs for its name on as many lines as the longest takes."""
    return max(least, per_line * lines(labels) + 0.1)


def _labels(df: pd.DataFrame) -> list[str]:
    """Each row's name where the data gives one, else its customer id (wrapped, never cut)."""
    ids = df["customer_id"].astype(str)
    if "name" not in df:
        return [_short(v) for v in ids]
    return [
        _short(n if isinstance(n, str) and n.strip() else i)
        for n, i in zip(df["name"].astype(object), ids, strict=False)
    ]


def _name(row) -> str:
    """A row's name where it has one, else its customer id."""
    name = row.get("name")
    return name if isinstance(name, str) and name.strip() else str(row["customer_id"])


def _few_ticks(axis, n: int = 5) -> None:
    axis.set_major_locator(mticker.MaxNLocator(n, steps=[1, 2, 2.5, 5, 10]))


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=PALETTE["muted"])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.figure.describe(f"{ax.get_title(loc='left') or 'Chart'}: {text}.")


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


def whale_chart(
    whale_all: pd.DataFrame, whale_key: pd.DataFrame | None = None, currency: str = "EUR", style: str = "en"
) -> Figure:
    """Whale curves: cumulative operating profit over the customers sorted by profit.

    Left: all customers (x as share of customers). Right: the key accounts,
    one step per account.
    """
    fig, axes = _figure(11, 4.4, 2 if whale_key is not None else 1)
    axes = np.atleast_1d(axes)
    said = []
    ax = axes[0]
    if whale_all.empty:
        _empty(ax, "no customers")
    else:
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
        said.append(
            f"all customers: the peak of {money(y[peak], currency, compact=True, style=style)} after the most "
            f"profitable {pct(x[peak], style)}, {money(total, currency, compact=True, style=style)} in total"
        )
        ax.xaxis.set_major_formatter(share_formatter(style))
        ax.set_xlabel("share of customers (most profitable first)")
        _money_axis(ax.yaxis, currency, style=style)
        ax.set_ylabel("cumulative operating profit")
        ax.set_xlim(0, 1)
    _style(ax, "Whale curve: all customers")
    if whale_key is not None:
        ax = axes[1]
        if whale_key.empty:
            _empty(ax, "no key accounts")
        else:
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
                said.append(
                    f"key accounts: the best 20 % ({best} of {n}) bring {pct(share, style)} of their operating profit"
                )
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
        _style(ax, "Whale curve: key accounts")
    fig.tight_layout()
    return fig.describe(
        "Whale curves of the cumulative operating profit over the customers, most profitable first: "
        + ("; ".join(said) or "no customers")
        + "."
    )


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


def scorecard_movement_chart(history: pd.DataFrame, names: pd.Series | None = None) -> Figure:
    """The relationship class of every assessed account per period, so movements stand out."""
    classes = list(CLASS_COLORS)
    table = history.pivot_table(index="customer_id", columns="period", values="class", aggfunc="last")
    if not table.empty:
        latest = table.ffill(axis=1).iloc[:, -1].map({c: i for i, c in enumerate(classes)})
        table = table.loc[latest.sort_values(kind="stable").index]
    fig, ax = _figure(max(6.5, 1.0 * table.shape[1] + 4.5), 0.27 * len(table) + 1.9)
    if table.empty:
        _empty(ax, "no assessments")
        return fig
    codes = table.apply(lambda col: col.map({c: i for i, c in enumerate(classes)})).to_numpy(dtype=float)
    cmap = ListedColormap([CLASS_COLORS[c] for c in classes])
    masked = np.ma.masked_invalid(codes)
    ax.imshow(masked, cmap=cmap, vmin=-0.5, vmax=len(classes) - 0.5, aspect="auto")
    for i in range(codes.shape[0]):
        row = codes[i]
        for j in range(1, len(row)):
            if row[j] == row[j] and row[j - 1] == row[j - 1] and row[j] != row[j - 1]:
                ax.text(
                    j,
                    i,
                    "▲" if row[j] < row[j - 1] else "▼",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=PALETTE["on dark"] if row[j] <= 1 else PALETTE["text"],
                )
    labels = [
        _short(names.get(c) if names is not None and isinstance(names.get(c), str) and names.get(c).strip() else c)
        for c in table.index
    ]
    ax.set_yticks(range(len(table)), labels, fontsize=7.5)
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], fontsize=9)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=CLASS_COLORS[c], label=c) for c in classes[:4]]
    ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    _title(ax, "Relationship class per assessment (▲ up, ▼ down)")
    fig.tight_layout()
    up = down = 0
    for row in codes:
        known = row[np.isfinite(row)]
        if len(known) > 1:
            up += int(known[-1] < known[0])
            down += int(known[-1] > known[0])
    return fig.describe(
        f"Grid of the relationship class of {len(table)} assessed accounts over {table.shape[1]} assessments: "
        f"{up} moved up and {down} moved down between the first and the last."
    )


def size_vs_relationship_chart(key_accounts: pd.DataFrame, style: str = "en") -> Figure:
    """Candidates by share of revenue and average scorecard score: large is not the same as key."""
    fig, ax = _figure(8.5, 4.8)
    df = key_accounts.copy()
    scores = df[["partner_willingness", "transparency", "growth_potential"]].astype("Float64").astype(float)
    df["average_score"] = scores.mean(axis=1)
    if df.empty:
        _empty(ax, "no key accounts")
        return fig
    for cls, color in CLASS_COLORS.items():
        part = df[df["class"] == cls]
        if part.empty:
            continue
        y = part["average_score"].fillna(0.8)
        ax.scatter(
            part["revenue_share"],
            y,
            s=60,
            color=color,
            edgecolor=PALETTE["reference"],
            linewidth=0.5,
            label=f"{cls} ({len(part)})",
            zorder=3,
        )
    for _, row in df.sort_values("revenue_share", ascending=False).head(6).iterrows():
        y = row["average_score"] if row["average_score"] == row["average_score"] else 0.8
        ax.annotate(
            _short(_name(row), 22), (row["revenue_share"], y), xytext=(5, 4), textcoords="offset points", fontsize=7.5
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(share_formatter(style, 1))
    ax.set_xlabel("share of revenue (log scale)")
    ax.set_ylabel("average scorecard score (1 to 5)")
    ax.set_ylim(0.5, 5.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    _style(ax, "Size and relationship of the key-account candidates")
    fig.tight_layout()
    return fig.describe(
        f"Scatter of {len(df)} key-account candidates by share of revenue (log scale) and average scorecard score: "
        + "; ".join(f"{cls}: {int((df['class'] == cls).sum())}" for cls in CLASS_COLORS if (df["class"] == cls).any())
        + "."
    )


def class_bars(key_accounts: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """The key accounts per relationship class with their operating profit (what notebook 05's sliders redraw)."""
    classes = [c for c in CLASS_COLORS if c != "not assessed" or (key_accounts["class"] == c).any()]
    profit = key_accounts.groupby("class")["operating_profit_12m"].sum()
    counts = key_accounts["class"].value_counts()
    n = [int(counts.get(c, 0)) for c in classes]
    texts = [
        f"{count(k, style=style)} account{'' if k == 1 else 's'}, operating profit "
        f"{money(profit.get(c, 0.0), currency, compact=True, style=style)}"
        for k, c in zip(n, classes, strict=False)
    ]
    return labelled_bars(
        classes,
        n,
        [CLASS_COLORS[c] for c in classes],
        texts,
        "Key-account candidates per relationship class (last 12 months)",
        left=0.2,
    )


def account_value_chart(key_accounts: pd.DataFrame, weights: tuple[float, float, float] = (1, 1, 1)) -> Figure:
    """The account-value score per key account, split into its weighted parts."""
    df = key_accounts.sort_values("account_value_score", ascending=True)
    fig, ax = _figure(8.5, _height(_labels(df)) * len(df) + 1.5)
    if df.empty:
        _empty(ax, "no key accounts")
        return fig
    w = np.asarray(weights, float)
    w = w / w.sum() if w.sum() > 0 else np.ones(3) / 3
    y = np.arange(len(df))
    left = np.zeros(len(df))
    for col, weight, color, label in zip(
        ("proximity_score", "growth_score", "ease_score"),
        w,
        shades("key account", 3),
        ("proximity", "growth potential", "ease of service"),
        strict=True,
    ):
        part = 100 * weight * df[col].to_numpy(dtype=float)
        ax.barh(y, part, left=left, color=color, height=0.7, label=label)
        left += part
    ax.set_yticks(y, _labels(df), fontsize=8.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("account-value score (0 to 100)")
    ax.legend(frameon=False, loc="lower right", fontsize=8.5)
    _style(ax, "Beyond volume: proximity, growth potential, ease of service")
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    best = df.iloc[-1]
    return fig.describe(
        f"Stacked bars of the account-value score (0 to 100) of {len(df)} key accounts, made of proximity, growth "
        f"potential and ease of service: the highest, {_name(best)}, scores {float(left[-1]):.0f}."
    )


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
