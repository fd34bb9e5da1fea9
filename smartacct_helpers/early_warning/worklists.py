"""The warnings in words for people: each flagged customer's reason, and this week's call lists per inside rep.

The flags and scores are the buying rhythm's
(:mod:`smartacct_helpers.early_warning.rhythm`); here each flagged
customer gets the reason in words (the amounts as the client reads them),
the BG/NBD probability that it is still buying, its master data, and a
place on an inside rep's call list.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..presentation.formatting import money, share
from .rhythm import _alive, _bgnbd_of, _first_day, buying_rhythm, flag_customers, flags_today, rhythm, year_before_held

WORKLIST_COLUMNS = [
    "customer_id",
    "name",
    "industry",
    "region",
    "outside_rep",
    "risk_score",
    "probability_alive",
    "reason",
    "last_order",
    "usual_interval_days",
    "days_since_last_order",
    "revenue_12m",
    "revenue_prev_12m",
]


def scores_today(workbook) -> pd.DataFrame:
    """:func:`risk_scores` on the reference date, from the buying rhythm the workbook remembers.

    The notebook's table, its slider and the worklists then read the
    invoice lines once between them.
    """
    style = workbook.params.number_format
    return _with_reasons(flags_today(workbook), workbook.params.currency, style=style)


def warnings_today(workbook, with_bgnbd: bool = True) -> pd.DataFrame:
    """The flagged customers on the reference date with their master data.

    With ``with_bgnbd`` the BG/NBD ``probability_alive`` is added and the
    customers are sorted by it, lowest first, ties by the risk score,
    highest first (it ranked better than the rhythm score in the backtest
    on the sample); else by the risk score, highest first. Customers whose
    revenue grew strongly come last, the growth named in their reason
    (:func:`grown_last`).
    Remembered by the workbook (per value of the assumptions), so that the
    notebook's call lists and their file fit the model once.
    """

    def compute(a):
        a.model_dump()  # scores, master data and fit: remembered per value of every assumption
        return _warnings_today(workbook, with_bgnbd)

    return workbook.remembered(f"warnings_today {with_bgnbd}", compute, workbook.assumptions)


def _warnings_today(workbook, with_bgnbd: bool) -> pd.DataFrame:
    day = workbook.reference_date
    r = buying_rhythm(workbook)
    s = scores_today(workbook)
    s = s[s["flagged"]]
    if with_bgnbd and len(s):
        inputs = _bgnbd_of(r, day)
        s = s.assign(probability_alive=_alive(inputs).reindex(s.index).round(3))
        s = s.sort_values(["probability_alive", "risk_score"], ascending=[True, False], kind="stable")
    s = grown_last(
        s,
        workbook.assumptions.warning_growth_listed_last,
        workbook.params.currency,
        style=workbook.params.number_format,
    )
    s = s.reset_index()
    master = workbook.tables.customers
    keep = [c for c in ["customer_id", "name", "industry", "region", "outside_rep", "inside_rep"] if c in master]
    return s.merge(master[keep], on="customer_id", how="left")


def grown_last(warned: pd.DataFrame, growth: float, currency: str = "EUR", style: str = "en") -> pd.DataFrame:
    """The warned customers in their order, those whose revenue grew by at least ``growth`` moved to the end.

    A customer can be overdue while its revenue of the last 12 months grew on the 12 months before (it ordered
    more, then paused): it is no customer to win back first. It stays on the list, after all others, and its
    reason names the growth. Within each part the order stays.

    >>> w = pd.DataFrame({"customer_id": ["1", "2", "3"], "revenue_12m": [500.0, 130.0, 90.0],
    ...                   "revenue_prev_12m": [200.0, 100.0, 100.0], "reason": ["a", "b", "c"]})
    >>> out = grown_last(w, 0.25)   # 1 grew by 150 %, 2 by 30 %, 3 fell: 3 first
    >>> out["customer_id"].tolist(), out["reason"].tolist()[0], out["reason"].tolist()[2]
    (['3', '1', '2'], 'c', 'b; but revenue up 30 % on the year before (100 EUR -> 130 EUR)')
    """
    if not len(warned) or "revenue_prev_12m" not in warned:
        return warned
    before, now = warned["revenue_prev_12m"], warned["revenue_12m"]
    grew = (before > 0) & (now >= before * (1 + growth))
    out = warned.copy()
    out.loc[grew, "reason"] = [
        f"{reason}; but revenue up {share(n / b - 1, 0, style)} on the year before "
        f"({money(round(b, 6), currency, decimals=0, style=style)} -> {money(round(n, 6), currency, decimals=0, style=style)})"
        for reason, b, n in zip(out.loc[grew, "reason"], before[grew], now[grew], strict=True)
    ]
    return pd.concat([out[~grew], out[grew]])


def todays_worklists(workbook) -> dict[str, pd.DataFrame]:
    """This week's call lists: :func:`worklists` of :func:`warnings_today` at the params' ``worklist_size``."""
    return worklists(warnings_today(workbook), workbook.assumptions.worklist_size)


def worklists(warnings: pd.DataFrame, size: int = 25) -> dict[str, pd.DataFrame]:
    """The first ``size`` flagged customers per inside rep, in the order given; without one on ``unassigned``.

    >>> w = pd.DataFrame({"customer_id": ["1", "2", "3"], "inside_rep": ["Ann", None, "Ann"],
    ...                   "risk_score": [70.0, 40.0, 50.0], "reason": ["a", "b", "c"]})
    >>> {k: v["customer_id"].tolist() for k, v in worklists(w, 5).items()}
    {'Ann': ['1', '3'], 'unassigned': ['2']}
    """
    rep = warnings["inside_rep"] if "inside_rep" in warnings else pd.Series(None, index=warnings.index, dtype=object)
    rep = rep.astype(object).where(rep.notna(), "unassigned")
    cols = [c for c in WORKLIST_COLUMNS if c in warnings]
    out = {}
    for name in sorted(set(rep) - {"unassigned"}) + (["unassigned"] if (rep == "unassigned").any() else []):
        part = warnings[rep == name]
        out[str(name)] = part[cols].head(size).reset_index(drop=True)
    return out


def _reason(row, currency: str, style: str = "en") -> str:
    parts = []
    if row.overdue:
        parts.append(
            f"no order for {row.days_since_last_order:.0f} days, usually one every {row.usual_interval_days:.0f} days"
        )
    if row.fewer_orders:
        parts.append(f"order days down from {row.orders_prev_12m} to {row.orders_12m} on the year before")
    if row.less_revenue:
        drop = 1 - row.revenue_12m / row.revenue_prev_12m
        # the last bits of a sum depend on the order of addition: they must not decide between 459 and 460
        before, now = round(row.revenue_prev_12m, 6), round(row.revenue_12m, 6)
        parts.append(
            f"revenue down {share(drop, 0, style)} on the year before ({money(before, currency, decimals=0, style=style)}"
            f" -> {money(now, currency, decimals=0, style=style)})"
        )
    return "; ".join(parts)


def _with_reasons(s: pd.DataFrame, currency: str, style: str = "en") -> pd.DataFrame:
    """``s`` with the ``reason`` in words (empty where no flag is set)."""
    reasons = [""] * len(s)
    for i, row in zip(np.flatnonzero(s["flagged"].to_numpy()), s[s["flagged"]].itertuples(), strict=True):
        reasons[i] = _reason(row, currency, style=style)
    s["reason"] = reasons if len(s) else []
    return s


def risk_scores(
    orders, as_of: dt.date, assumptions, currency: str = "EUR", data_start: dt.date | None = None, style: str = "en"
) -> pd.DataFrame:
    """Risk score, flags and the reason in words for every customer who bought in the 12 months up to ``as_of``.

    Parameters
    ----------
    orders : ibis.Table or pandas.DataFrame
        Invoice lines, as for :func:`rhythm`.
    data_start : date, optional
        The first day of the data (default: of the lines'); where it does
        not hold the 12 months before the last 12, only the overdue rule
        warns (:func:`flag_customers`).

    Returns
    -------
    DataFrame
        :func:`rhythm` columns plus ``overdue``, ``fewer_orders``,
        ``less_revenue`` (flags), ``flagged`` (any flag), ``risk_score``
        (0-100) and ``reason``; sorted by the score, highest first (ties by
        the days since the last order, then by customer id).

    Examples
    --------
    Customer 1 orders every 10 days until 40 days before the scoring day:

    >>> from smartacct_helpers.params import Assumptions
    >>> days = pd.date_range("2025-01-01", periods=20, freq="10D")
    >>> o = pd.DataFrame({"customer_id": "1", "date": days, "revenue": 100.0})
    >>> as_of = (days[-1] + pd.Timedelta(days=40)).date()
    >>> r = risk_scores(o, as_of, Assumptions())
    >>> bool(r.loc["1", "overdue"]), r.loc["1", "reason"]
    (True, 'no order for 40 days, usually one every 10 days')
    """
    r = rhythm(orders, as_of, assumptions.warning_min_orders)
    start = _first_day(orders) if data_start is None else data_start
    return _with_reasons(flag_customers(r, assumptions, year_before_held(start, as_of)), currency, style=style)
