"""The relationship with the key accounts: the scorecard classes, their movement, and the account-value score."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..presentation.charts import (
    PALETTE,
    _figure,
    _style,
    _title,
    shades,
    share_formatter,
)
from .chart_style import CLASS_COLORS, _empty, _height, _labels, _name, _short


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
