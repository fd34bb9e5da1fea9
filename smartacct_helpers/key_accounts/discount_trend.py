"""The discount trend of the key accounts: their discount rate over the years against the other customers'.

The discount rate of the key accounts over the 12-month windows of the data
against the other customers' (docs/method.md section 5). The efficiency a
key-account programme brings (fewer, larger orders; planned deliveries; one
contact) should stay with the supplier, not be given back as price cuts.

Every function takes tables and returns tables; none reads a file.
"""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd

from ..facts.cost_to_serve import _between
from ..facts.coverage import reaches
from ..facts.orders import as_table, frame, money_sum, months_before


def discount_trend(orders, key_ids, reference_date, first_date, windows: int = 5) -> pd.DataFrame:
    """The discount rate of the key accounts and of the other customers per 12-month window, the oldest first.

    The discount rate is the discount granted on the invoice over the
    revenue before it: ``discount / (revenue + discount)`` (revenue is after
    the line discount). Where the orders hold rebates, the rebate rate is
    ``rebate / (revenue + discount)`` beside it. Only windows the data
    holds whole count, at most ``windows``.

    Returns
    -------
    DataFrame
        ``window_end`` (the last day of the window) and
        ``key_account_discount_rate``, ``other_discount_rate`` (and
        ``key_account_rebate_rate``, ``other_rebate_rate`` with rebates).

    Examples
    --------
    A key account with 900 revenue after 100 discount (10 %) in each year,
    another customer with 950 after 50 (5 %), then 900 after 100 (10 %):

    >>> o = pd.DataFrame({"customer_id": ["k", "k", "o", "o"],
    ...                   "date": pd.to_datetime(["2024-06-01", "2025-06-01", "2024-06-01", "2025-06-01"]),
    ...                   "revenue": [900.0, 900.0, 950.0, 900.0], "discount": [100.0, 100.0, 50.0, 100.0]})
    >>> t = discount_trend(o, ["k"], dt.date(2025, 12, 31), dt.date(2024, 1, 1))
    >>> t[["key_account_discount_rate", "other_discount_rate"]].round(3).to_numpy().tolist()
    [[0.1, 0.05], [0.1, 0.1]]
    """
    t = as_table(orders)
    rebates = "rebate" in t.columns
    keys = [str(c) for c in key_ids]
    rows = []
    for k in range(windows):
        end = months_before(reference_date, 12 * k)
        start = months_before(reference_date, 12 * (k + 1))
        if not reaches(first_date, start + dt.timedelta(days=1)):
            break
        w = t.filter(_between(t, pd.Timestamp(start), pd.Timestamp(end)))
        w = w.mutate(is_key=w.customer_id.isin(keys) if keys else ibis.literal(False))
        sums = {"revenue": money_sum(w.revenue), "discount": money_sum(w.discount)}
        if rebates:
            sums["rebate"] = money_sum(w.rebate)
        g = frame(w.group_by("is_key").aggregate(**sums)).set_index("is_key").astype(float)
        row = {"window_end": pd.Timestamp(end)}
        for flag, who in ((True, "key_account"), (False, "other")):
            s = g.loc[flag] if flag in g.index else pd.Series(0.0, index=g.columns)
            gross = s["revenue"] + s["discount"]
            row[f"{who}_discount_rate"] = s["discount"] / gross if gross > 0 else np.nan
            if rebates:
                row[f"{who}_rebate_rate"] = s["rebate"] / gross if gross > 0 else np.nan
        rows.append(row)
    columns = ["window_end", "key_account_discount_rate", "other_discount_rate"]
    if rebates:
        columns += ["key_account_rebate_rate", "other_rebate_rate"]
    return pd.DataFrame(rows[::-1], columns=columns)


def discount_drift(trend: pd.DataFrame) -> dict | None:
    """How the discount rates moved from the first window to the latest; None with fewer than two windows.

    Returns
    -------
    dict
        ``key_first``, ``key_last``, ``other_first``, ``other_last`` (rates)
        and ``gave_back``: whether the key accounts' rate rose, and by more
        than the other customers' (efficiency given back as price cuts).

    >>> t = pd.DataFrame({"key_account_discount_rate": [0.10, 0.13], "other_discount_rate": [0.05, 0.06]})
    >>> discount_drift(t)["gave_back"]  # +3 points against +1
    True
    """
    rates = trend.dropna(subset=["key_account_discount_rate", "other_discount_rate"])
    if len(rates) < 2:
        return None
    first, last = rates.iloc[0], rates.iloc[-1]
    key_rise = last["key_account_discount_rate"] - first["key_account_discount_rate"]
    other_rise = last["other_discount_rate"] - first["other_discount_rate"]
    return {
        "key_first": float(first["key_account_discount_rate"]),
        "key_last": float(last["key_account_discount_rate"]),
        "other_first": float(first["other_discount_rate"]),
        "other_last": float(last["other_discount_rate"]),
        "windows": len(rates),
        "gave_back": bool(key_rise > 1e-9 and key_rise > other_rise + 1e-9),
    }
