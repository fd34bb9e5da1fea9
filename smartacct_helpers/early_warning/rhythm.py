"""Early warning of customer loss from each customer's own buying rhythm (docs/method.md section 7).

A customer is scored on the day ``as_of`` with the orders up to that day
only. Three signals, each a flag (the reason in words is written by
:mod:`~smartacct_helpers.early_warning.worklists`):

* **overdue**: the days since the last order exceed ``warning_interval_factor``
  times the customer's usual interval (the median of its last gaps between
  order days; it needs ``warning_min_orders`` order days) and at least
  two weeks;
* **fewer orders**: the order days of the last 12 months fell by at least
  ``warning_frequency_drop`` on the 12 months before (from at least 3);
* **less revenue**: the revenue of the last 12 months fell by at least
  ``warning_revenue_drop`` on the 12 months before.

The risk score (0 to 100) ranks the customers: up to 50 points for being
overdue (0 at the usual interval, 50 at twice the flag limit), up to 25 for
the fall in orders and up to 25 for the fall in revenue. Only customers who
bought in the 12 months up to ``as_of`` are scored; the others have already
stopped.

The :func:`~.backtest.backtest` proves the signal instead of asserting it: score the
customers at an earlier date, then count who actually stopped buying (no
order in the following 6 or 12 months), against the base rate of all
scored customers.

A short history is said, not filled with zeros. The rules on fewer orders
and less revenue compare the last 12 months with the 12 months before them;
where the data does not hold those (:func:`year_before_held`), the two
rules are unknown: they flag nobody and add no points, and only the
overdue rule warns. The backtest needs the 12 months before its scoring
day, and each horizon the months after it (:func:`~.backtest.backtest_limits`).

A second, probabilistic score is at hand for comparison: the BG/NBD model's
probability that a customer is still "alive" (Fader, Hardie and Lee 2005),
fitted with ``scipy.optimize`` (:mod:`smartacct_helpers.early_warning.bgnbd`).

The invoice lines are read in the engine (Ibis; a DataFrame is read in place
by DuckDB): one row per customer comes back, with its order days as one
sorted list and its revenue in the windows. The order days up to each
scoring day, the gaps between them, flags, scores, reasons and the BG/NBD
fit work on these rows in NumPy and pandas.

Examples
--------
A customer ordering every 10 days whose last order was 35 days ago is
overdue at a factor of 2 (35 > 20); the overdue part of the score is
(3.5 - 1) / (2 x 2 - 1) x 50 = 41.67:

>>> round(float(overdue_points(35 / 10, 2.0)), 2)
41.67
"""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd

from ..facts.coverage import first_order_date, reaches
from ..facts.orders import WINDOW_MONTHS, as_date, as_table, money_sum, months_before
from .bgnbd import fit_bgnbd, probability_alive

#: the fewest days since the last order that count as overdue, however short the rhythm
MIN_OVERDUE_DAYS = 14
#: the gaps between order days that make the usual interval (the latest ones)
RHYTHM_GAPS = 12
#: order days in the 12 months before from which a fall in orders counts
MIN_ORDERS_BEFORE = 3


def year_before_held(first_date: dt.date | None, as_of: dt.date) -> bool:
    """Whether data whose first order is on ``first_date`` holds the 12 months before the 12 months up to ``as_of``.

    The rules on fewer orders and less revenue need them.

    >>> day = dt.date(2025, 12, 31)
    >>> year_before_held(dt.date(2024, 1, 3), day), year_before_held(dt.date(2024, 12, 1), day)
    (True, False)
    """
    return reaches(first_date, months_before(as_of, 24) + dt.timedelta(days=1))


def _starts(first: dt.date | None) -> str:
    return f"the data starts on {first:%d.%m.%Y}" if first else "the data holds no order"


def rules_limit(first_date: dt.date | None, as_of: dt.date) -> str | None:
    """Why the rules on fewer orders and less revenue are unknown on ``as_of``; None where the data holds them.

    >>> print(rules_limit(dt.date(2024, 12, 1), dt.date(2025, 12, 31)))
    the warnings on fewer orders and less revenue compare the 12 months up to 31.12.2025 with the 12 months before them (from 01.01.2024); the data starts on 01.12.2024, so only overdue customers are flagged
    """
    if year_before_held(first_date, as_of):
        return None
    since = months_before(as_of, 24) + dt.timedelta(days=1)
    return (
        f"the warnings on fewer orders and less revenue compare the 12 months up to {as_of:%d.%m.%Y} with the "
        f"12 months before them (from {since:%d.%m.%Y}); {_starts(first_date)}, so only overdue customers "
        "are flagged"
    )


def overdue_points(ratio, factor: float):
    """Points (0 to 50) for being overdue: 0 at the usual interval, 50 at twice the flag limit.

    >>> overdue_points([1.0, 4.0, 9.0], 2.0).tolist()
    [0.0, 50.0, 50.0]
    """
    return np.clip((np.asarray(ratio, dtype="float64") - 1) / (2 * factor - 1), 0, 1) * 50


def _day(value: dt.date):
    """A day as an Ibis date literal."""
    return ibis.literal(value, type="date")


def _windows(as_of: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """The scoring day and the ends of the two 12-month windows before it: ``(as_of, start, before)``.

    The last 12 months are ``start < day <= as_of``, the 12 months before
    them ``before < day <= start``.
    """
    return as_of, months_before(as_of, WINDOW_MONTHS), months_before(as_of, 2 * WINDOW_MONTHS)


def _order_days_and_revenue(orders, days, until: dt.date):
    """Per customer: its order days up to ``until`` as one sorted list, and its revenue in the windows of ``days``.

    One aggregation of the invoice lines (or order totals) up to ``until``,
    read where they are held (PostgreSQL and Spark as DuckDB): an order day
    is a day with a line of revenue above zero; ``order_days`` lists the
    day of each such line, sorted, a day once per line. For the ``k``-th
    scoring day come ``revenue_12m_k`` and ``revenue_prev_12m_k``.
    """
    lines = orders.mutate(day=orders.date.cast("date"))
    lines = lines.filter(lines.customer_id.notnull(), lines.day <= _day(until))
    metrics = {"order_days": lines.day.collect(where=lines.top > 0).sort()}
    for k, as_of in enumerate(days):
        ref, start, before = map(_day, _windows(as_of))
        metrics[f"revenue_12m_{k}"] = money_sum(lines.revenue, where=(lines.day > start) & (lines.day <= ref))
        metrics[f"revenue_prev_12m_{k}"] = money_sum(lines.revenue, where=(lines.day > before) & (lines.day <= start))
    return lines.group_by("customer_id").aggregate(**metrics)


def _zero_if_missing(values: np.ndarray) -> np.ndarray:
    """``values`` as floats, a missing sum (no line in the window) as 0."""
    values = values.astype("float64")
    return np.where(np.isnan(values), 0.0, values)


def _as_days(day: dt.date) -> int:
    """``day`` as Arrow holds a date: days since 1 January 1970."""
    return (day - dt.date(1970, 1, 1)).days


def _usual_intervals(days: np.ndarray, first: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Each customer's usual interval: the median of the last :data:`RHYTHM_GAPS` gaps between its order days held.

    ``days`` holds the customers' order days one after another, each
    customer's sorted; a customer's start at ``first``, and the first
    ``held`` of them are up to the scoring day. NaN where fewer than two
    are held.

    >>> days = np.array([0, 10, 30, 40, 5, 6])    # customer 0: gaps 10, 20, 10; customer 1: gap 1
    >>> _usual_intervals(days, np.array([0, 4]), np.array([4, 1])).tolist()
    [10.0, nan]
    """
    k = held[:, None] - RHYTHM_GAPS + np.arange(RHYTHM_GAPS)  # the order days the gaps end at: up to the last held
    at = np.minimum(first[:, None] + np.maximum(k, 1), len(days) - 1)
    gaps = np.where(k >= 1, days[at] - days[at - 1], np.nan)
    gaps.sort(axis=1)  # the missing ones last
    n = np.clip(held - 1, 0, RHYTHM_GAPS)  # the gaps there are
    rows = np.arange(len(held))
    middle = (gaps[rows, np.maximum((n - 1) // 2, 0)] + gaps[rows, n // 2]) / 2
    return np.where(n > 0, middle, np.nan)


def _rhythms(orders, days, min_orders: int = 4, until: dt.date | None = None) -> dict[dt.date, pd.DataFrame]:
    """:func:`rhythm` on each scoring day of ``days`` from one reading of the invoice lines, plus ``next_order``.

    ``next_order`` is the first order day after the scoring day up to
    ``until`` (default: the last scoring day), missing if there is none.
    The engine returns each customer's sorted order days
    (:func:`_order_days_and_revenue`, one row per customer); the order days
    up to a scoring day, the last ones before and after it and the gaps
    between them are counted on those arrays in NumPy.
    """
    import pyarrow.compute as pc

    days = [as_date(day) for day in days]
    until = max(days) if until is None else max(*days, as_date(until))
    table = _order_days_and_revenue(as_table(orders), days, until).to_pyarrow()
    by_id = pc.sort_indices(table, [("customer_id", "ascending")]).to_numpy()  # by bytes, as pandas sorts
    lists = table.column("order_days").combine_chunks()
    lines = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False).astype("int64")
    day = pc.list_flatten(lists).cast("int32").to_numpy(zero_copy_only=False).astype("int64")
    owner = np.repeat(np.arange(len(lines)), lines)
    first_line = np.ones(len(day), dtype=bool)  # a customer's first line of each of its order days
    first_line[1:] = (day[1:] != day[:-1]) | (owner[1:] != owner[:-1])
    day, owner = day[first_line], owner[first_line]
    order_days = np.bincount(owner, minlength=len(lines))
    first = np.cumsum(order_days) - order_days

    ends = {end for as_of in days for end in _windows(as_of)}  # a year before one day is the other's start
    up_to = {end: np.bincount(owner[day <= _as_days(end)], minlength=len(lines)) for end in ends}

    def as_timestamps(values: np.ndarray) -> np.ndarray:
        return values.astype("datetime64[D]").astype("datetime64[ns]")

    ids = table.column("customer_id").to_pandas()
    out = {}
    for k, as_of in enumerate(days):
        n, n_start, n_before = (up_to[end] for end in _windows(as_of))  # up to the day and the two starts
        held = by_id[n[by_id] > 0]  # the customers with an order day by then, in the order of their ids
        n, n_start, n_before, start = n[held], n_start[held], n_before[held], first[held]
        last = day[start + n - 1]
        later = n < order_days[held]
        next_order = as_timestamps(day[np.where(later, start + n, start)])
        next_order[~later] = np.datetime64("NaT")
        interval = np.where(n >= min_orders, _usual_intervals(day, start, n), np.nan)
        since = _as_days(as_of) - last
        revenue = {
            c: _zero_if_missing(table.column(f"{c}_{k}").to_numpy(zero_copy_only=False)[held])
            for c in ("revenue_12m", "revenue_prev_12m")
        }
        out[as_of] = pd.DataFrame(
            {
                "first_order": as_timestamps(day[start]),
                "last_order": as_timestamps(last),
                "order_days": n,
                "usual_interval_days": interval,
                "days_since_last_order": since,
                "overdue_ratio": since / interval,
                "orders_12m": n - n_start,
                "orders_prev_12m": n_start - n_before,
                **revenue,
                "next_order": next_order,
            },
            index=pd.Index(ids.iloc[held], name="customer_id"),
        )
    return out


def rhythm(orders, as_of: dt.date, min_orders: int = 4) -> pd.DataFrame:
    """Each customer's buying rhythm on ``as_of`` (orders up to that day only).

    The invoice lines are summed in the engine; one row per customer comes
    back.

    Parameters
    ----------
    orders : ibis.Table or pandas.DataFrame
        Invoice lines (``customer_id, date, revenue``); ``date`` a date or a
        timestamp (a line counts on its day).
    as_of : datetime.date
    min_orders : int
        Order days needed for a usual interval.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted): ``first_order``, ``last_order``,
        ``order_days`` (all history), ``usual_interval_days`` (median of the
        last gaps between order days; NaN below ``min_orders`` order days),
        ``days_since_last_order``, ``overdue_ratio``, ``orders_12m`` and
        ``orders_prev_12m`` (order days), ``revenue_12m`` and
        ``revenue_prev_12m`` (credit notes included).

    Examples
    --------
    Order days 1, 11 and 31 January (gaps 10 and 20, median 15), scored on
    15 February: 15 days since the last order, 1 x the usual interval:

    >>> o = pd.DataFrame({"customer_id": "1", "date": pd.to_datetime(["2025-01-01", "2025-01-11", "2025-01-31"]),
    ...                   "revenue": 10.0})
    >>> r = rhythm(o, dt.date(2025, 2, 15), min_orders=3)
    >>> one = r.loc["1"]
    >>> float(one["usual_interval_days"]), int(one["days_since_last_order"]), float(one["overdue_ratio"])
    (15.0, 15, 1.0)
    """
    return _rhythms(orders, [as_of], min_orders)[as_date(as_of)].drop(columns="next_order")


def buying_rhythm(workbook) -> pd.DataFrame:
    """Each customer's buying rhythm on the reference date (:func:`rhythm`), remembered by the workbook.

    Computed once in the engine, so that a slider of the warning rules only
    scores the customers again.
    """
    return workbook.remembered(
        "rhythm", lambda a: rhythm(workbook.order_totals, workbook.reference_date, a.warning_min_orders)
    )


def flag_customers(r: pd.DataFrame, a, year_before: bool = True) -> pd.DataFrame:
    """The customers of rhythm ``r`` who bought in its last 12 months, with flags and score, highest score first.

    The flags and score of :func:`~.worklists.risk_scores` without the reasons in words:
    what a slider showing the counts needs. ``a`` holds the warning
    assumptions. Without ``year_before`` (the data does not hold the 12
    months before the last 12, :func:`year_before_held`) the rules on fewer
    orders and less revenue flag nobody and add no points: a year that is
    not in the data is no fall.
    """
    r = r[r["orders_12m"] > 0].copy()
    ratio = r["overdue_ratio"]
    r["overdue"] = (ratio > a.warning_interval_factor) & (r["days_since_last_order"] >= MIN_OVERDUE_DAYS)
    prev_n = r["orders_prev_12m"]
    freq_change = (r["orders_12m"] - prev_n) / prev_n.where(prev_n > 0)
    r["fewer_orders"] = (prev_n >= MIN_ORDERS_BEFORE) & (freq_change <= -a.warning_frequency_drop)
    prev_rev = r["revenue_prev_12m"]
    rev_change = (r["revenue_12m"] - prev_rev) / prev_rev.where(prev_rev > 0)
    r["less_revenue"] = (prev_rev > 0) & (rev_change <= -a.warning_revenue_drop)
    if not year_before:
        r["fewer_orders"] = r["less_revenue"] = False
        freq_change = rev_change = pd.Series(np.nan, index=r.index)
    r["flagged"] = r["overdue"] | r["fewer_orders"] | r["less_revenue"]
    r["risk_score"] = (
        pd.Series(overdue_points(ratio.fillna(0.0), a.warning_interval_factor), index=r.index)
        + (-freq_change).clip(0, 1).fillna(0.0) * 25
        + (-rev_change).clip(0, 1).fillna(0.0) * 25
    ).round(1)
    return r.sort_values(["risk_score", "days_since_last_order"], ascending=[False, False], kind="stable")


def _first_day(orders) -> dt.date | None:
    """The day of the first invoice line, or None without any."""
    value = as_table(orders).date.min().to_pyarrow().as_py()
    return None if value is None else as_date(value)


# -- the probabilistic alternative: BG/NBD "probability alive" ----------------------------------------------------


def _bgnbd_of(r: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """BG/NBD inputs from a :func:`rhythm` on ``as_of``."""
    ref = pd.Timestamp(as_of)
    return pd.DataFrame(
        {
            "x": (r["order_days"] - 1).astype("float64"),
            "t_x": (r["last_order"] - r["first_order"]).dt.days / 7.0,
            "T": (ref - r["first_order"]).dt.days / 7.0,
        }
    )


def bgnbd_inputs(orders, as_of: dt.date) -> pd.DataFrame:
    """Repeat order days ``x``, time of the last one ``t_x`` and age ``T`` in weeks, per customer.

    Order days 1 and 15 January, scored on 29 January: one repeat order day,
    the last one 14 days = 2 weeks after the first, which is 28 days = 4 weeks old:

    >>> o = pd.DataFrame({"customer_id": "1", "date": pd.to_datetime(["2025-01-01", "2025-01-15"]), "revenue": 1.0})
    >>> bgnbd_inputs(o, dt.date(2025, 1, 29)).loc["1"].tolist()
    [1.0, 2.0, 4.0]
    """
    return _bgnbd_of(rhythm(orders, as_of), as_of)


def _alive(inputs: pd.DataFrame) -> pd.Series:
    """The BG/NBD probability alive of each customer, the model fitted on them all.

    Without a customer who bought again there is nothing to fit, and the
    model gives every customer a probability of 1.
    """
    if not len(inputs) or not (inputs["x"] > 0).any():
        return pd.Series(1.0, index=inputs.index)
    return probability_alive(inputs, fit_bgnbd(inputs))


def flags_today(workbook) -> pd.DataFrame:
    """:func:`flag_customers` on the reference date, from the buying rhythm the workbook remembers.

    The rules on fewer orders and less revenue count where the data holds
    the 12 months before the last 12 (:func:`year_before_held`).
    """
    held = year_before_held(first_order_date(workbook), workbook.reference_date)
    return flag_customers(buying_rhythm(workbook), workbook.assumptions, held)


def early_warning_count(workbook) -> int:
    """Customers who bought in the 12 months up to the reference date and carry a warning flag on it."""
    return int(flags_today(workbook)["flagged"].sum())
