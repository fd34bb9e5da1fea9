"""The churn seen in the data: the share of small customers' revenue lost within a year, a check on the assumption."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..facts.coverage import first_order_date, reaches_back
from ..facts.orders import WINDOW_MONTHS, months_before
from ..field_visits.analysis import field_economics
from ..small_customers.analysis import classify


def churn_year(reference_date: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months before the window, as (first day, last day): what the churn seen in the data compares.

    >>> churn_year(dt.date(2025, 12, 31))
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    """
    start = months_before(reference_date, 2 * WINDOW_MONTHS) + dt.timedelta(days=1)
    return start, months_before(reference_date, WINDOW_MONTHS)


def observed_churn_rate(classified: pd.DataFrame, sales_threshold_value: float) -> float | None:
    """Share of small customers' revenue lost within a year, as the data shows it.

    Customers that bought something, but less than the sales threshold, in
    the 12 months before the window (``revenue_12m_1``); the rate is the
    revenue of those that bought nothing in the window over the revenue of
    all of them. A check on the ``churn_rate`` assumption; None without such
    customers. The data must hold those 12 months (see :func:`observed_churn`).

    >>> df = pd.DataFrame({"revenue_12m_1": [1_000.0, 3_000.0, 50_000.0], "revenue_12m": [0.0, 2_500.0, 0.0]})
    >>> observed_churn_rate(df, 8_593.75)        # 1,000 of 4,000 lost; the large customer does not count
    0.25
    """
    before = classified["revenue_12m_1"]
    small = (before > 0) & (before < sales_threshold_value)
    total = float(before[small].sum())
    if total <= 0:
        return None
    return float(before[small & (classified["revenue_12m"] <= 0)].sum()) / total


def _day(day: dt.date) -> str:
    """A day as a reader writes it: 2 Dec 2024."""
    return f"{day.day} {day:%b %Y}"


def observed_churn(workbook, classified: pd.DataFrame | None = None) -> tuple[float | None, str | None]:
    """The churn seen in the data (:func:`observed_churn_rate`), or None and why not.

    It needs the 12 months before the window (:func:`churn_year`) to be in
    the data (:func:`smartacct_helpers.facts.coverage.reaches_back`): a year the
    data does not hold is no year in which every customer bought nothing.

    Returns
    -------
    (float, None) or (None, str)
        The rate, or the reason it is missing, in words for the reader.
    """
    start, end = churn_year(workbook.reference_date)
    if not reaches_back(workbook, start):
        first = first_order_date(workbook)
        since = f"start on {_day(first)}" if first else "hold no order"
        return None, (
            f"the orders {since} and do not hold the 12 months before the window ({_day(start)} to {_day(end)})"
        )
    df = classify(workbook) if classified is None else classified
    rate = observed_churn_rate(df, field_economics(workbook.assumptions).sales_threshold)
    if rate is None:
        return None, "no customer bought less than the sales threshold in the 12 months before the window"
    return rate, None
