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
by DuckDB): one window numbers each customer's order days, and one row per
customer comes back for each scoring day. Flags, scores, reasons and
the BG/NBD fit work on these rows in pandas and NumPy.

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


def _up_to(day: dt.date) -> str:
    """The name of the column counting the order days up to ``day``."""
    return f"order_days_to_{day:%Y%m%d}"


def _rhythm_table(orders, days, until: dt.date):
    """The buying rhythm of every customer on each scoring day of ``days``, as one Ibis expression.

    The invoice lines up to ``until`` are read where they are held; an
    order day is a day with a line of revenue above zero. One window over
    the lines of such days numbers each customer's order days from 0
    (lines of the same day share the number) and gives each day's gap from
    the order day before, so the query runs in PostgreSQL and Spark as in
    DuckDB and never sums the lines per day first (a grouping into as many
    rows as there are orders). The order days up to a scoring day are the
    first ``n``; their last :data:`RHYTHM_GAPS` gaps are those ending at
    order days ``n - 12`` to ``n - 1``. For the ``k``-th scoring day the
    columns end in ``_k``: ``first_order``, ``last_order``, ``order_days``,
    ``usual_interval_days`` (median of the last :data:`RHYTHM_GAPS` gaps),
    ``orders_12m``, ``orders_prev_12m``, ``revenue_12m``,
    ``revenue_prev_12m`` and ``next_order`` (the first order day after it,
    up to ``until``). A customer without an order day up to a scoring day
    has ``order_days_k == 0`` there.
    """
    lines = orders.mutate(day=orders.date.cast("date"))
    lines = lines.filter(lines.customer_id.notnull(), lines.day <= _day(until))
    bought = lines.filter(lines.top > 0)
    by_day = ibis.window(group_by="customer_id", order_by="day")
    numbered = bought.select(
        "customer_id",
        "day",
        i=ibis.dense_rank().over(by_day),
        gap=bought.day.delta(bought.day.lag().over(by_day), unit="day"),
    )

    ends = sorted({end for as_of in days for end in _windows(as_of)})
    day, number = numbered.day, numbered.i
    # the order days up to a day: the number of the last one up to it, plus one
    metrics = {"first_order": day.min()}
    metrics |= {_up_to(end): (number.max(where=day <= _day(end)) + 1).fill_null(0) for end in ends}
    for k, as_of in enumerate(days):
        metrics[f"last_order_{k}"] = day.max(where=day <= _day(as_of))
        metrics[f"next_order_{k}"] = day.min(where=day > _day(as_of))
    per_customer = numbered.group_by("customer_id").aggregate(**metrics)

    # a gap above zero starts an order day; the last gaps up to a scoring day end at order days n - 12 to n - 1
    g = numbered.filter(numbered.gap > 0).inner_join(
        per_customer.select("customer_id", *map(_up_to, days)), "customer_id"
    )
    recent = lambda n: (g.i >= n - RHYTHM_GAPS) & (g.i < n)  # noqa: E731
    # the other gaps as missing values, which a median skips (Spark's takes no filter)
    medians = g.group_by("customer_id").aggregate(
        **{
            f"usual_interval_days_{k}": ibis.ifelse(recent(g[_up_to(as_of)]), g.gap, ibis.null()).median()
            for k, as_of in enumerate(days)
        }
    )

    revenue = {}
    for k, as_of in enumerate(days):
        ref, start, before = map(_day, _windows(as_of))
        revenue[f"revenue_12m_{k}"] = money_sum(lines.revenue, where=(lines.day > start) & (lines.day <= ref))
        revenue[f"revenue_prev_12m_{k}"] = money_sum(lines.revenue, where=(lines.day > before) & (lines.day <= start))
    c = lines.group_by("customer_id").aggregate(**revenue)
    c = c.left_join(per_customer, "customer_id").left_join(medians, "customer_id")

    columns = {}
    for k, as_of in enumerate(days):
        n, n_start, n_before = (c[_up_to(end)].fill_null(0) for end in _windows(as_of))
        columns |= {
            f"first_order_{k}": c.first_order,
            f"last_order_{k}": c[f"last_order_{k}"],
            f"order_days_{k}": n,
            f"usual_interval_days_{k}": c[f"usual_interval_days_{k}"],
            f"orders_12m_{k}": n - n_start,
            f"orders_prev_12m_{k}": n_start - n_before,
            f"revenue_12m_{k}": c[f"revenue_12m_{k}"],
            f"revenue_prev_12m_{k}": c[f"revenue_prev_12m_{k}"],
            f"next_order_{k}": c[f"next_order_{k}"],
        }
    return c.select("customer_id", **columns)


def _zero_if_missing(values: np.ndarray) -> np.ndarray:
    """``values`` as floats, a missing sum (no line in the window) as 0."""
    values = values.astype("float64")
    return np.where(np.isnan(values), 0.0, values)


def _rhythms(orders, days, min_orders: int = 4, until: dt.date | None = None) -> dict[dt.date, pd.DataFrame]:
    """:func:`rhythm` on each scoring day of ``days`` from one reading of the invoice lines, plus ``next_order``.

    ``next_order`` is the first order day after the scoring day up to
    ``until`` (default: the last scoring day), missing if there is none.
    """
    days = [as_date(day) for day in days]
    until = max(days) if until is None else max(*days, as_date(until))
    table = _rhythm_table(as_table(orders), days, until).to_pyarrow().sort_by("customer_id")
    table = table.to_pandas(date_as_object=False).set_index("customer_id")
    out = {}
    for k, as_of in enumerate(days):
        t = table[table[f"order_days_{k}"] > 0]
        column = {
            c: t[f"{c}_{k}"].to_numpy()
            for c in (
                "first_order",
                "last_order",
                "order_days",
                "usual_interval_days",
                "orders_12m",
                "orders_prev_12m",
                "revenue_12m",
                "revenue_prev_12m",
                "next_order",
            )
        }
        order_days = column["order_days"].astype("int64")
        last_order = column["last_order"].astype("datetime64[ns]")
        interval = np.where(order_days >= min_orders, column["usual_interval_days"].astype("float64"), np.nan)
        since = (np.datetime64(as_of, "ns") - last_order).astype("timedelta64[D]").astype("int64")
        out[as_of] = pd.DataFrame(
            {
                "first_order": column["first_order"].astype("datetime64[ns]"),
                "last_order": last_order,
                "order_days": order_days,
                "usual_interval_days": interval,
                "days_since_last_order": since,
                "overdue_ratio": since / interval,
                "orders_12m": column["orders_12m"].astype("int64"),
                "orders_prev_12m": column["orders_prev_12m"].astype("int64"),
                "revenue_12m": _zero_if_missing(column["revenue_12m"]),
                "revenue_prev_12m": _zero_if_missing(column["revenue_prev_12m"]),
                "next_order": column["next_order"].astype("datetime64[ns]"),
            },
            index=t.index,
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
