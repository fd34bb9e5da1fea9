"""Realism about growth: how often a C customer really became a B or A customer (docs/method.md section 6).

The ABC transition matrix year on year shows how often a C customer
really became a B or A customer, and so how many of today's small customers
can be expected to become tomorrow's key accounts. It needs two whole
12-month windows of history, the three-year rate four
(:func:`smartacct_helpers.facts.coverage.transition_windows`); with fewer the
rates are unknown, and :func:`growth_realism` says why.
"""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd

from ..facts.coverage import first_order_date, transition_windows
from ..facts.orders import WINDOW_MONTHS, as_table, frame, money_sum, months_before
from ..small_customers.analysis import abc_classes, classify

#: what each figure computed from the ABC history needs: 12-month windows, and the figure's name
TRANSITION_NEEDS = {"abc_transitions": 2, "c_to_a_rate_1y": 2, "c_to_a_rate_3y": 4}


# -- realism about growth: the ABC transition matrix -------------------------------------------------------------


def yearly_window_revenue(
    orders, reference_date: dt.date, customer_ids=None, windows: int | None = None
) -> pd.DataFrame:
    """Revenue per customer in consecutive 12-month windows up to the reference date.

    Column ``k`` (0, 1, 2, ...) holds the revenue of the window ending ``k``
    years before the reference date: ``ref - 12 (k+1) months < date <= ref
    - 12 k months``, compared by day. Only complete windows within the
    history are kept (a window may start up to a week before the first
    order), or the first ``windows`` where given (a workbook's
    :func:`~smartacct_helpers.facts.coverage.transition_windows`). The sums run
    in the engine, one per window and customer.

    Parameters
    ----------
    orders : DataFrame or ibis.Table
        Invoice lines (``customer_id, date, revenue``).
    reference_date : date
    customer_ids : iterable of str, optional
        The customers to show, in this order; those without orders get
        zeros. Default: the customers with an order in a window, by id.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["1", "1", "2"], "revenue": [5.0, 7.0, 3.0],
    ...                   "date": pd.to_datetime(["2023-12-30", "2025-06-30", "2024-12-31"])})
    >>> yearly_window_revenue(o, dt.date(2025, 12, 31)).to_numpy().tolist()   # windows 0 and 1
    [[7.0, 0.0], [0.0, 3.0]]
    """
    orders = as_table(orders)
    starts = []
    if windows is not None:
        starts = [months_before(reference_date, WINDOW_MONTHS * (k + 1)) for k in range(windows)]
    else:
        first = orders.date.min().to_pyarrow().as_py()
        while first is not None:
            start = pd.Timestamp(months_before(reference_date, 12 * (len(starts) + 1)))
            if start + pd.Timedelta(days=7) < pd.Timestamp(first).normalize():
                break
            starts.append(start.date())
    ends = [pd.Timestamp(reference_date).date()] + starts[:-1]
    cols = {}
    if starts:
        day = orders.date.cast("date")
        o = orders.filter((day > starts[-1]) & (day <= ends[0]))
        day = o.date.cast("date")
        sums = {
            f"w{k}": money_sum(ibis.ifelse((day > s) & (day <= e), o.revenue, 0.0))
            for k, (s, e) in enumerate(zip(starts, ends, strict=False))
        }
        g = frame(o.group_by("customer_id").aggregate(**sums)).set_index("customer_id")
        cols = {k: g[f"w{k}"] for k in range(len(starts))}
    out = pd.DataFrame(cols)
    if customer_ids is not None:
        return out.reindex(pd.Index(customer_ids, name="customer_id")).fillna(0.0)
    return out.sort_index().fillna(0.0)


def abc_history(window_revenue: pd.DataFrame, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """ABC class per customer and window (columns as in :func:`yearly_window_revenue`)."""
    return pd.DataFrame(
        {k: abc_classes(window_revenue[k], a, b) for k in window_revenue.columns}, index=window_revenue.index
    )


def transition_matrix(history: pd.DataFrame, normalize: bool = True) -> pd.DataFrame:
    """How customers moved between ABC classes from one year to the next, pooled over all years.

    Rows: the class in a year; columns: the class a year later. Customers
    that are D in both years (never bought, or long gone) are left out of
    the D row, since they say nothing about movement.

    >>> h = pd.DataFrame({1: ["C", "C", "A"], 0: ["B", "C", "A"]})   # column 1 = a year earlier
    >>> transition_matrix(h, normalize=False).loc["C"].tolist()
    [0, 1, 1, 0]
    """
    classes = list("ABCD")
    counts = np.zeros((4, 4), dtype="int64")
    cols = sorted(history.columns)
    codes = {k: pd.Categorical(history[k], categories=classes).codes for k in cols}  # A 0 ... D 3, other -1
    for later, earlier in zip(cols[:-1], cols[1:], strict=False):
        before, after = codes[earlier], codes[later]
        keep = (before >= 0) & (after >= 0) & ~((before == 3) & (after == 3))
        counts += np.bincount(before[keep] * 4 + after[keep], minlength=16).reshape(4, 4)
    m = pd.DataFrame(counts, index=pd.Index(classes, name="from"), columns=pd.Index(classes, name="a year later"))
    if normalize:
        rows = m.sum(axis=1)
        m = m.div(rows.where(rows > 0), axis=0)
    return m


def upgrade_rates(history: pd.DataFrame, horizons=(1, 3)) -> pd.DataFrame:
    """Share of C customers that reached class A (or B or better) within ``h`` years.

    For every window with ``h`` later windows in the history, every
    C customer of that window counts once; it has reached A if it was A in
    at least one of the ``h`` following windows. Pooled over the start
    windows; NaN where the history is too short.

    Returns
    -------
    DataFrame
        Indexed by the horizon in years: ``c_customers`` (customer-years
        counted), ``to_a``, ``to_b_or_a`` and the rates ``to_a_rate``,
        ``to_b_or_a_rate``.

    Examples
    --------
    Two C customers three years ago; one became A two years later:

    >>> h = pd.DataFrame({3: ["C", "C"], 2: ["C", "B"], 1: ["A", "B"], 0: ["A", "C"]})
    >>> upgrade_rates(h, [3]).loc[3, ["to_a_rate", "to_b_or_a_rate"]].tolist()
    [0.5, 1.0]
    """
    rows = []
    cols = sorted(history.columns)
    classes = {k: history[k].to_numpy() for k in cols}
    for h in horizons:
        n = to_a = to_ba = 0
        for start in cols:
            later = [k for k in cols if start - h <= k < start]
            if len(later) < h:
                continue
            c = classes[start] == "C"
            reached_a = np.zeros(int(c.sum()), dtype=bool)
            reached_b_or_a = reached_a.copy()
            for k in later:
                future = classes[k][c]
                reached_a |= future == "A"
                reached_b_or_a |= (future == "A") | (future == "B")
            n += int(c.sum())
            to_a += int(reached_a.sum())
            to_ba += int(reached_b_or_a.sum())
        rows.append(
            {
                "years": h,
                "c_customers": n,
                "to_a": to_a,
                "to_b_or_a": to_ba,
                "to_a_rate": to_a / n if n else np.nan,
                "to_b_or_a_rate": to_ba / n if n else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("years")


class Growth(dict):
    """What :func:`growth_realism` returns: a mapping the workbook may remember (it copies what it hands out)."""

    def copy(self, deep: bool = False) -> Growth:
        return Growth(self)


def transition_limits(windows: int, first_date: dt.date | None, reference_date: dt.date) -> dict[str, str]:
    """Why figures of the ABC history are unknown: ``{figure: reason}`` for those needing more windows than held.

    ``windows`` whole 12-month windows up to the reference date are held
    (:func:`~smartacct_helpers.facts.coverage.transition_windows`); each figure of
    :data:`TRANSITION_NEEDS` needs its number of them.

    >>> transition_limits(2, dt.date(2023, 12, 20), dt.date(2025, 12, 31))["c_to_a_rate_3y"]
    'the three-year rate needs four whole 12-month windows of orders (from 01.01.2022); the data starts on 20.12.2023'
    >>> transition_limits(4, dt.date(2021, 12, 20), dt.date(2025, 12, 31))
    {}
    """
    words = {2: "two", 3: "three", 4: "four"}
    what = {
        "abc_transitions": "the ABC transitions compare",
        "c_to_a_rate_1y": "the one-year rate needs",
        "c_to_a_rate_3y": "the three-year rate needs",
    }
    starts = f"the data starts on {first_date:%d.%m.%Y}" if first_date else "the data holds no order"
    out = {}
    for figure, needed in TRANSITION_NEEDS.items():
        if windows < needed:
            since = months_before(reference_date, WINDOW_MONTHS * needed) + dt.timedelta(days=1)
            out[figure] = (
                f"{what[figure]} {words[needed]} whole 12-month windows of orders (from {since:%d.%m.%Y}); {starts}"
            )
    return out


def growth_realism(workbook, classified: pd.DataFrame | None = None) -> dict:
    """The transition matrix, the upgrade rates and the expected key accounts of tomorrow.

    ``expected_new_a_3y`` = today's C customers x the historical share of
    C customers that reached A within three years (``expected_new_a_1y``
    the same for one year); ``expected_small_3y`` the other C customers,
    who will stay small.

    The windows are the whole 12-month windows the data holds
    (:func:`~smartacct_helpers.facts.coverage.transition_windows`): a window
    before the first order is no year without purchases. A rate whose
    horizon does not fit is NaN, and ``limited`` says why
    (:func:`transition_limits`); ``windows`` is how many there are.
    Without ``classified`` the result is remembered by the workbook.
    """
    if classified is None:
        return workbook.remembered(
            "growth", lambda a: _growth_realism(workbook, classify(workbook, a), a), workbook.assumptions
        )
    return _growth_realism(workbook, classified, workbook.assumptions)


def _growth_realism(workbook, df: pd.DataFrame, a) -> Growth:
    windows = transition_windows(workbook)
    wr = yearly_window_revenue(workbook.order_totals, workbook.reference_date, df["customer_id"], windows)
    hist = abc_history(wr, a.abc.a, a.abc.b)
    rates = upgrade_rates(hist, (1, 3))
    c_today = int((df["abc"] == "C").sum())
    return Growth(
        {
            "history": hist,
            "matrix": transition_matrix(hist),
            "counts": transition_matrix(hist, normalize=False),
            "rates": rates,
            "windows": windows,
            "limited": transition_limits(windows, first_order_date(workbook), workbook.reference_date),
            "c_customers_today": c_today,
            "expected_new_a_1y": c_today * rates.loc[1, "to_a_rate"] if 1 in rates.index else np.nan,
            "expected_new_a_3y": c_today * rates.loc[3, "to_a_rate"] if 3 in rates.index else np.nan,
            "expected_small_3y": c_today * (1 - rates.loc[3, "to_a_rate"]) if 3 in rates.index else np.nan,
        }
    )
