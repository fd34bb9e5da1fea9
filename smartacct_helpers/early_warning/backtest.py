"""The backtest: does the warning foresee who stops buying? And the key figures of the early warning.

The customers are scored at an earlier date with the data up to that day
(:mod:`smartacct_helpers.early_warning.rhythm`); then it is counted who
actually stopped buying (no order in the following 6 or 12 months), flagged
or not, against the base rate of all scored customers. Each horizon needs
the months after the scoring day, and the rules the 12 months before it
(:func:`backtest_limits`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..facts.coverage import first_order_date, reaches
from ..facts.orders import WINDOW_MONTHS, as_date, as_table, last_order_date, months_before
from .rhythm import (
    _alive,
    _bgnbd_of,
    _day,
    _first_day,
    _rhythms,
    _starts,
    flag_customers,
    rules_limit,
    year_before_held,
)

HORIZONS = (6, 12)


def backtest_limits(as_of: dt.date, horizons, first_date: dt.date | None, data_end: dt.date) -> dict[str, str]:
    """What of the backtest scored on ``as_of`` the data cannot tell: ``{part: reason}``.

    ``early_warning_backtest``: the data does not hold the 12 months before
    the scoring day, whose customers are scored (no backtest at all);
    ``early_warning_backtest_<m>m``: the ``m`` months after it run past
    ``data_end`` (that horizon is left out); ``early_warning_backtest_rules``:
    the rules on fewer orders and less revenue are unknown on the scoring
    day (:func:`rules_limit`).

    >>> sorted(backtest_limits(dt.date(2024, 12, 31), (6, 12), dt.date(2022, 1, 1), dt.date(2025, 8, 31)))
    ['early_warning_backtest_12m']
    >>> sorted(backtest_limits(dt.date(2024, 12, 31), (6, 12), dt.date(2024, 12, 1), dt.date(2025, 12, 31)))
    ['early_warning_backtest']
    """
    since = months_before(as_of, WINDOW_MONTHS) + dt.timedelta(days=1)
    if not reaches(first_date, since):
        return {
            "early_warning_backtest": (
                f"the backtest scores the customers on {as_of:%d.%m.%Y} with the 12 months before it "
                f"(from {since:%d.%m.%Y}); {_starts(first_date)}"
            )
        }
    out = {
        f"early_warning_backtest_{m}m": (
            f"the {m} months after the backtest's scoring day ({as_of:%d.%m.%Y}) run past the end of the data "
            f"({data_end:%d.%m.%Y})"
        )
        for m in horizons
        if m not in _horizons(as_of, (m,), pd.Timestamp(data_end))
    }
    rules = rules_limit(first_date, as_of)
    if rules:
        out["early_warning_backtest_rules"] = f"in the backtest {rules}"
    return out


# -- the backtest ---------------------------------------------------------------------------------------------------


def stopped_buying(orders, customers, as_of: dt.date, months: int) -> pd.Series:
    """True for each customer with no order (positive revenue) in the ``months`` after ``as_of``.

    The customers who bought in ``as_of < day <= as_of + months`` are found
    in the engine; ``orders`` is an Ibis table or a DataFrame of invoice lines.
    """
    orders = as_table(orders)
    day = orders.date.cast("date")
    bought = orders.filter(
        (day > _day(as_date(as_of))) & (day <= _day(months_before(as_date(as_of), -months))) & (orders.top > 0)
    )
    ids = pd.Index(customers)
    buyers = bought.select("customer_id").distinct().to_pyarrow()["customer_id"].to_pylist()
    return pd.Series(~ids.isin(buyers), index=ids)


def _metrics(stopped: pd.Series, ranking: pd.Series, flagged: pd.Series, top: int) -> dict:
    base = float(stopped.mean()) if len(stopped) else np.nan
    n_flag = int(flagged.sum())
    hit = int((flagged & stopped).sum())
    precision = hit / n_flag if n_flag else np.nan
    topk = ranking.sort_values(ascending=False, kind="stable").index[:top]
    top_precision = float(stopped.loc[topk].mean()) if len(topk) else np.nan
    n_stop = int(stopped.sum())
    return {
        "customers": int(len(stopped)),
        "stopped": n_stop,
        "base_rate": base,
        "flagged": n_flag,
        "flagged_stopped": hit,
        "precision": precision,
        "lift": precision / base if base else np.nan,
        "recall": hit / n_stop if n_stop else np.nan,
        "top_precision": top_precision,
        "top_lift": top_precision / base if base else np.nan,
    }


def _horizons(as_of: dt.date, horizons, end: pd.Timestamp) -> list[int]:
    """The horizons (months) whose end lies within the data, i.e. not after ``end``."""
    return [m for m in horizons if not pd.Timestamp(months_before(as_of, -m)) > end]


def _backtest(
    r: pd.DataFrame, as_of: dt.date, assumptions, horizons, top: int, with_bgnbd: bool, year_before: bool = True
) -> pd.DataFrame:
    """The backtest table from a rhythm on ``as_of`` whose ``next_order`` reaches past every horizon."""
    scores = flag_customers(r, assumptions, year_before)
    rows = []
    bg = None
    if with_bgnbd and len(scores):
        inputs = _bgnbd_of(r, as_of)
        alive = _alive(inputs).reindex(scores.index)
        bg = 1 - alive
    for months in horizons:
        end = pd.Timestamp(months_before(as_of, -months))
        stopped = ~(scores["next_order"] <= end)  # no order day in as_of < day <= end
        rows.append(
            {
                "model": "buying rhythm",
                "months": months,
                **_metrics(stopped, scores["risk_score"], scores["flagged"], top),
            }
        )
        if bg is not None:
            k = int(scores["flagged"].sum())
            flag_bg = pd.Series(False, index=scores.index)
            flag_bg.loc[bg.sort_values(ascending=False, kind="stable").index[:k]] = True
            rows.append({"model": "BG/NBD probability alive", "months": months, **_metrics(stopped, bg, flag_bg, top)})
    return pd.DataFrame(rows).set_index(["model", "months"]) if rows else pd.DataFrame()


def backtest(
    orders,
    as_of: dt.date,
    assumptions,
    horizons=HORIZONS,
    top: int = 100,
    with_bgnbd: bool = True,
    data_end: dt.date | None = None,
    data_start: dt.date | None = None,
) -> pd.DataFrame:
    """Score on ``as_of`` with the data up to it, then count who stopped buying in the months after.

    For each horizon: ``base_rate`` (share of all scored customers that
    stopped), the flagged customers and how many of them stopped
    (``precision``; ``lift`` = precision / base rate; ``recall`` = share of
    the stopped that were flagged) and the ``top`` highest scores
    (``top_precision``, ``top_lift``). With ``with_bgnbd`` the same for the
    BG/NBD model, flagging as many customers as the rhythm score does (the
    lowest probabilities alive), so the two compare like for like.
    A horizon that runs past ``data_end`` (default: the last order date) is left out.
    Where the data (from ``data_start``, default: the first line's day)
    does not hold the 12 months before ``as_of``, there is no backtest (an
    empty table); where it does not hold the 12 months before those, the
    customers are scored on the overdue rule alone. :func:`backtest_limits`
    says which applies.

    The scores and each customer's first order day after ``as_of`` come from
    one reading of the invoice lines (an Ibis table or a DataFrame).

    Returns
    -------
    DataFrame
        One row per (``model``, ``months``).
    """
    orders = as_table(orders)
    as_of = as_date(as_of)
    start = _first_day(orders) if data_start is None else data_start
    if "early_warning_backtest" in backtest_limits(as_of, (), start, as_of):
        return pd.DataFrame()
    end = pd.Timestamp(data_end if data_end is not None else last_order_date(orders))
    kept = _horizons(as_of, horizons, end)
    until = max([as_of, *(months_before(as_of, -m) for m in kept)])
    r = _rhythms(orders, [as_of], assumptions.warning_min_orders, until)[as_of]
    return _backtest(r, as_of, assumptions, kept, top, with_bgnbd, year_before_held(start, as_of))


def backtest_date(reference_date: dt.date, months: int = 12) -> dt.date:
    """The scoring day of the backtest: ``months`` before the reference date, so the outcome is known."""
    return months_before(reference_date, months)


def backtest_of(workbook) -> pd.DataFrame:
    """The notebook's backtest: scored 12 months before the reference date, :data:`HORIZONS`, with BG/NBD.

    Remembered by the workbook per value of the assumptions it reads.
    Empty where the data is too short (:func:`backtest_limits`).
    """
    as_of = backtest_date(workbook.reference_date)
    first = first_order_date(workbook)
    return workbook.remembered(
        "backtest",
        lambda a: backtest(workbook.order_totals, as_of, a, data_end=workbook.reference_date, data_start=first),
        workbook.assumptions,
    )


def early_warning_figures(workbook, backtest_table: pd.DataFrame | None = None) -> dict:
    """The summary.json figures of the early warning.

    * ``early_warning_count``: customers who bought in the 12 months up to
      the reference date and carry at least one warning flag on it.
    * ``early_warning_lift_12m``: in the backtest scored 12 months before
      the reference date, the share of flagged customers with no order in
      the following 12 months over that share among all scored customers
      (None where the history is too short, or nobody was flagged).

    Both scoring days come from one reading of the invoice lines in the
    engine. What the data is too short for comes with its reason under
    ``"_limited"``: the rules on fewer orders and less revenue today
    (``early_warning_rules``, :func:`rules_limit`), the lift, and the
    parts of the notebook's backtest (:func:`backtest_limits`).
    """
    a = workbook.assumptions
    today = workbook.reference_date
    first = first_order_date(workbook)
    as_of = backtest_date(today)
    limits = backtest_limits(as_of, HORIZONS, first, today)
    bt = backtest_table
    if bt is None:
        if "early_warning_backtest" in limits:
            rhythms, bt = _rhythms(workbook.order_totals, [today], a.warning_min_orders), pd.DataFrame()
        else:
            kept = _horizons(as_of, (12,), pd.Timestamp(today))
            rhythms = _rhythms(workbook.order_totals, [today, as_of], a.warning_min_orders, today)
            bt = _backtest(rhythms[as_of], as_of, a, kept, 100, False, year_before_held(first, as_of))
    else:
        rhythms = _rhythms(workbook.order_totals, [today], a.warning_min_orders)
    count = int(flag_customers(rhythms[today], a, year_before_held(first, today))["flagged"].sum())
    key = ("buying rhythm", 12)
    lift = float(bt.loc[key, "lift"]) if len(bt) and key in bt.index else None
    out = {
        "early_warning_count": count,
        "early_warning_lift_12m": None if lift is None or not np.isfinite(lift) else lift,
    }
    limited = dict(limits)
    rules = rules_limit(first, today)
    if rules:
        limited["early_warning_rules"] = rules
    lift_reason = limits.get("early_warning_backtest", limits.get("early_warning_backtest_12m"))
    if lift_reason:
        limited["early_warning_lift_12m"] = lift_reason
    if limited:
        out["_limited"] = limited
    return out
