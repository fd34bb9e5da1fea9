"""The orders of the last 12 months the levers act on: each with its segment, value, margin and channel.

Read once in the engine (:func:`window_orders`) and remembered per
classification (:func:`window_order_table`), so that a slider of a lever
only reckons the orders again.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

from ..arrow import looked_up
from ..facts.cost_to_serve import WINDOW_MONTHS, line_margin
from ..facts.orders import as_table, frame, moments, money_sum, months_before
from ..small_customers.analysis import classify


def window_orders(orders, reference_date: dt.date, margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
    """One row per order of the last 12 months, summed from its invoice lines in the engine.

    Lines with ``reference_date - 12 months < date <= reference_date
    23:59`` count. They are grouped by ``order_id`` and customer where
    every line of the window has an order id, else by customer and day.
    A missing contribution margin counts as revenue x
    ``margin_rate_if_unknown``. The sums are rounded to a millionth, so
    that the levers' thresholds (an order below 100, say) see the value
    of the lines and not the rounding errors of adding them up.

    Parameters
    ----------
    orders : DataFrame or ibis.Table
        Invoice lines (``customer_id, date, revenue`` and optionally
        ``order_id, contribution_margin, channel``).
    reference_date : date
    margin_rate_if_unknown : float

    Returns
    -------
    DataFrame
        ``customer_id, revenue, contribution_margin, online`` (the order
        went through the web shop), by customer and order.

    Examples
    --------
    Two lines of order ``a`` and one line without a margin (rate 25 %):

    >>> o = pd.DataFrame({"customer_id": ["7", "7", "7"], "order_id": ["a", "a", "b"],
    ...                   "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-06-01"]),
    ...                   "revenue": [100.0, 50.0, 40.0], "contribution_margin": [30.0, 10.0, None],
    ...                   "channel": ["online", "field", "inside"]})
    >>> window_orders(o, dt.date(2025, 12, 31)).sort_values("revenue").to_numpy().tolist()
    [['7', 40.0, 10.0, False], ['7', 150.0, 40.0, True]]
    """
    orders = as_table(orders)
    end = pd.Timestamp(reference_date) + pd.Timedelta(hours=23, minutes=59)
    start = pd.Timestamp(months_before(reference_date, WINDOW_MONTHS))
    moment = moments(orders.date)
    w = orders.filter((moment > start.to_pydatetime()) & (moment <= end.to_pydatetime()))
    revenue = w.revenue
    margin = line_margin(w, margin_rate_if_unknown)  # the lines without a margin at the rate
    # rounded to a millionth: an order of 100.00 stays 100.00 whatever the order its lines are added in
    metrics = {
        "revenue": money_sum(revenue).fill_null(0.0),
        "contribution_margin": money_sum(margin).fill_null(0.0),
    }
    if "channel" in w.columns:
        # cast: a column without any value may come as a number from a file or frame
        metrics["online"] = (w.channel.cast("string") == "online").fill_null(False).any()
    by_id = "order_id" in w.columns and w.filter(w.order_id.isnull()).count().to_pyarrow().as_py() == 0
    key = w.order_id if by_id else w.date.cast("date")
    sums = w.group_by(["customer_id", key.name("order")]).aggregate(**metrics)
    if "online" not in metrics:
        sums = sums.mutate(online=ibis.literal(False))
    # in the order of customer and order, so that the levers add the same orders in the same order every run
    sums = sums.order_by(["customer_id", "order"])
    return frame(sums.select("customer_id", "revenue", "contribution_margin", "online"))


def window_order_table(workbook, classified: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per order of the last 12 months with its customer's segment.

    The orders of :func:`window_orders` over the workbook's invoice lines
    (:attr:`Workbook.order_totals <smartacct_helpers.facts.workbook.Workbook.order_totals>`),
    summed in the engine, with the segments of ``classified``. Columns
    ``customer_id, segment`` (a categorical column), ``revenue,
    contribution_margin, online`` (the order went through the web shop),
    in no particular order. Credit notes
    stay as orders of negative value; orders of customers without a
    segment are left out.

    Without ``classified`` the workbook's classification is used and the
    table is remembered by the workbook (per value of the assumptions it
    reads), so that the sections and sliders of the levers read the
    invoice lines once.
    """
    if classified is None:
        return _remembered_orders(workbook, workbook.assumptions)
    return _window_order_table(workbook, classified, workbook.assumptions.margin_rate_if_unknown)


def _remembered_orders(workbook, assumptions) -> pd.DataFrame:
    """:func:`window_order_table` of the workbook's classification, remembered (see ``Workbook.remembered``)."""

    def compute(a):
        return _window_order_table(workbook, classify(workbook, a), a.margin_rate_if_unknown)

    return workbook.remembered("lever_orders", compute, assumptions)


def _window_order_table(workbook, df: pd.DataFrame, margin_rate_if_unknown: float) -> pd.DataFrame:
    g = window_orders(workbook.order_totals, workbook.reference_date, margin_rate_if_unknown)
    g["segment"] = looked_up(g["customer_id"], df.set_index("customer_id")["segment"])
    g = g[g["segment"].notna()]
    g["segment"] = g["segment"].astype("category")  # read as codes by every move of a lever slider
    return g[["customer_id", "segment", "revenue", "contribution_margin", "online"]].reset_index(drop=True)
