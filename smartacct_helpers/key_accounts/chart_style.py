"""What the key-account charts share: the colours of the relationship classes and treatments, and account labels."""

from __future__ import annotations

import matplotlib.ticker as mticker
import pandas as pd

from ..presentation.charts import (
    PALETTE,
    lines,
    wrap,
)

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
