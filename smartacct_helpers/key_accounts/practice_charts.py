"""Charts of the key-account practice: the strategies per account, the discount trend, both sides of the scorecard.

Each takes a table of :mod:`smartacct_helpers.key_accounts.practice` and
returns a figure; none reads data or computes an analysis.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ..presentation.charts import PALETTE, _figure, _style, _title, lines, wrap
from ..presentation.formatting import date_text, share
from .practice import STRATEGIES

#: a strategy in place, lacking, or not rated
CHECK_COLORS = [PALETTE["key account"], PALETTE["potential"], PALETTE["on dark"]]


def _label(row) -> str:
    name = row.get("name")
    return wrap(name if isinstance(name, str) and name.strip() else str(row["customer_id"]), 30)


def _row_height(labels) -> float:
    return max(0.32, 0.2 * lines(labels) + 0.1)


def strategy_grid(checklist: pd.DataFrame):
    """A grid of the key accounts (rows) and the seven strategies (columns): in place, lacking, not rated."""
    df = checklist.sort_values("strategies_in_place", ascending=False, kind="stable", na_position="last")
    labels = [_label(r) for _, r in df.iterrows()]
    flags = df[list(STRATEGIES)]
    codes = np.where(flags.isna(), 2, np.where(flags.fillna(False).astype(bool), 0, 1))
    fig, ax = _figure(9.0, _row_height(labels) * len(df) + 2.4)
    ax.imshow(codes, cmap=ListedColormap(CHECK_COLORS), vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(len(STRATEGIES)), [wrap(w, 14) for w in STRATEGIES.values()], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(df)), labels, fontsize=8.5)
    ax.set_xticks(np.arange(-0.5, len(STRATEGIES)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(df)), minor=True)
    ax.grid(which="minor", color=PALETTE["grid"], linewidth=1)
    ax.tick_params(which="both", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(
        handles=[
            Patch(facecolor=CHECK_COLORS[0], label="in place"),
            Patch(facecolor=CHECK_COLORS[1], label="not in place"),
            Patch(facecolor=CHECK_COLORS[2], edgecolor=PALETTE["grid"], label="not rated"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=3,
        frameon=False,
        fontsize=8.5,
    )
    _title(ax, "The seven key-account strategies per key account", pad=62)
    fig.tight_layout()
    rated = int(flags.notna().any(axis=1).sum())
    most = int((codes == 0).sum(axis=0).max()) if len(df) else 0
    return fig.describe(
        f"Grid of {len(df)} key accounts against the seven key-account strategies, {rated} of them rated: a dark "
        f"cell is a strategy in place; the most common strategy is in place for {most} accounts."
    )


def discount_trend_chart(trend: pd.DataFrame, style: str = "en"):
    """The discount rate of the key accounts and of the other customers per 12-month window."""
    fig, ax = _figure(7.5, 3.6)
    x = np.arange(len(trend))
    for column, color, label in (
        ("key_account_discount_rate", PALETTE["key account"], "key accounts"),
        ("other_discount_rate", PALETTE["all"], "all other customers"),
    ):
        ax.plot(x, trend[column].to_numpy(dtype=float), marker="o", color=color, linewidth=2, label=label)
    ax.set_xticks(x, ["12 months to\n" + date_text(d, style) for d in trend["window_end"]], fontsize=8.5)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: share(v, style=style)))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=9, loc="lower left")
    _style(ax, "Discount on the invoice as a share of revenue before discount")
    fig.tight_layout()
    last = trend.iloc[-1]
    return fig.describe(
        f"Lines of the discount rate over {len(trend)} 12-month windows: in the latest the key accounts get "
        f"{share(last['key_account_discount_rate'], style=style)} and the other customers "
        f"{share(last['other_discount_rate'], style=style)}."
    )


def mutual_chart(mutual: pd.DataFrame):
    """Both sides of the scorecard per key account: the customer's average and the supplier's, joined by a line."""
    df = mutual.sort_values("side_gap", kind="stable")
    labels = [_label(r) for _, r in df.iterrows()]
    fig, ax = _figure(8.0, _row_height(labels) * len(df) + 1.8)
    y = np.arange(len(df))
    theirs, ours = df["customer_side"].to_numpy(float), df["supplier_side"].to_numpy(float)
    ax.hlines(y, np.fmin(theirs, ours), np.fmax(theirs, ours), color=PALETTE["grid"], linewidth=3)
    # a little apart, so that equal scores show both marks
    ax.scatter(theirs, y - 0.12, color=PALETTE["key account"], s=45, zorder=3, label="the customer (their side)")
    ax.scatter(ours, y + 0.12, color=PALETTE["field"], s=45, zorder=3, marker="D", label="the supplier (our side)")
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("average score (1 to 5)")
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    _style(ax, "The scorecard from both sides")
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.8)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    lag = int((df["lagging_side"] == "our side").sum())
    return fig.describe(
        f"Dots of the average scorecard score of {len(df)} key accounts from both sides, the customer's and the "
        f"supplier's: on {lag} the supplier's own side lags by a point or more."
    )
