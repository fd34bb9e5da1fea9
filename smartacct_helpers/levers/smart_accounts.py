"""The smart accounts to act on: small, growing, profitable after the cost to serve, each with a next step in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import largest_first
from ..field_visits.analysis import field_economics


def smart_account_list(classified: pd.DataFrame, assumptions) -> pd.DataFrame:
    """The smart accounts (small, growing, profitable after the cost to serve) with a next step in words.

    Sorted by operating profit (contribution margin - cost to serve, to the
    cent; equal profits by customer id, see :func:`~smartacct_helpers.arrow.largest_first`).
    ``next_step``: a big gap to the
    potential asks for a sales talk; many small orders for the web shop or
    a minimum order; otherwise keep the customer warm with a call each quarter.
    """
    s = classified[classified["smart_account"].astype(bool)].copy()
    econ = field_economics(assumptions)
    avg_order = s["revenue_12m"] / s["orders_12m"].where(s["orders_12m"] > 0)
    gap = s["gap"] if "gap" in s else pd.Series(0.0, index=s.index)
    step = np.where(
        gap >= econ.sales_threshold,
        "sales talk: the potential is far above today's revenue",
        np.where(
            (avg_order < assumptions.surcharge_below_order_value)
            & (s["orders_12m"] >= assumptions.many_orders_per_year),
            "move the many small orders to the web shop",
            "keep warm: a call each quarter",
        ),
    )
    s["next_step"] = step
    cols = [
        c
        for c in [
            "customer_id",
            "name",
            "industry",
            "region",
            "outside_rep",
            "inside_rep",
            "segment",
            "revenue_12m",
            "revenue_trend",
            "orders_12m",
            "operating_profit_12m",
            "potential",
            "share_of_wallet",
            "gap",
            "next_step",
        ]
        if c in s
    ]
    return largest_first(s, "operating_profit_12m")[cols].reset_index(drop=True)
