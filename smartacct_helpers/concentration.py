"""How much of the business hangs on a few customers.

Shares are of the positive window revenue: credit-note-only customers do not
dilute the figures.

Examples
--------
Four customers with 50, 30, 15 and 5 (total 100):

>>> import pandas as pd
>>> revenue = pd.Series([50.0, 30.0, 15.0, 5.0])
>>> top_share(revenue, 1), top_share(revenue, 2)
(0.5, 0.8)
>>> round(herfindahl_index(revenue), 4)   # .25 + .09 + .0225 + .0025
0.365
"""
from __future__ import annotations

import pandas as pd


def revenue_shares(revenue: pd.Series) -> pd.Series:
    """Each customer's share of the positive revenue, largest first (others dropped)."""
    positive = revenue[revenue > 0].sort_values(ascending=False)
    total = positive.sum()
    return positive / total if total > 0 else positive * 0.0


def top_share(revenue: pd.Series, n: int) -> float:
    """Share of positive revenue that the ``n`` largest customers bring."""
    return float(revenue_shares(revenue).head(n).sum())


def herfindahl_index(revenue: pd.Series) -> float:
    """Sum of squared revenue shares: 1/N for N equal customers, 1 for a single one."""
    return float((revenue_shares(revenue) ** 2).sum())
