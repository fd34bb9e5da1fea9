"""How far back the data reaches, and which figures it is too short for.

A client's export may hold one year of history, or thirteen months. A
figure that needs more history than the data holds is not computed from
years that are not there (a missing year is no year of zero revenue): it is
missing, and its reason is recorded under ``data_coverage.limited`` in
``summary.json`` and said in the report where the figure would stand.

The data *reaches back* to a day when its first order falls no later than
one month after that day: an export starts at a month or a year, but its
first order may come a few days later (the 1st of January is a holiday).

The rules, one function each:

* a **historic peak** (the best calendar year, docs/method.md section 3) needs at
  least two complete calendar years before the reference date
  (:func:`peak_years`);
* a **revenue trend** over ``trend_years`` 12-month windows needs the data
  to reach back over all of them (:func:`trend_available`);
* the **year-one review** compares the 12 months after the programme start
  with the 12 months before it, which the data must hold
  (:func:`reaches_back`);
* the **ABC transitions** over ``h`` years need a 12-month window and the
  ``h`` windows after it (:func:`transition_windows`);
* an early-warning **backtest** horizon needs the months after the scoring
  day to be in the data.

Examples
--------
Thirteen months of data, from 1 December 2010 to 9 December 2011:

>>> import datetime as dt
>>> first, ref = dt.date(2010, 12, 1), dt.date(2011, 12, 9)
>>> months_spanned(first, ref)
13
>>> complete_years(first, ref)
[]
>>> reaches(first, dt.date(2010, 12, 9)), reaches(first, dt.date(2009, 12, 9))
(True, False)

Five years of data starting on 2 January 2021, reference date 31 December 2025:

>>> complete_years(dt.date(2021, 1, 2), dt.date(2025, 12, 31))
[2021, 2022, 2023, 2024, 2025]
"""

from __future__ import annotations

import datetime as dt

from .orders import WINDOW_MONTHS, months_before

#: a period counts as held when the data's first order falls no later than this many days after its start
START_TOLERANCE_DAYS = 31
#: complete calendar years a historic peak needs (docs/method.md section 3)
PEAK_MIN_YEARS = 2
#: a figures function may return this key: {figure or section: why the data is too short for it}; the key
#: figures gather them under ``data_coverage.limited`` (:func:`data_coverage`)
LIMITED = "_limited"


def reaches(first_date: dt.date | None, day: dt.date) -> bool:
    """Whether data whose first order is on ``first_date`` reaches back to ``day``."""
    if first_date is None:
        return False
    return first_date <= day + dt.timedelta(days=START_TOLERANCE_DAYS)


def complete_years(first_date: dt.date | None, reference_date: dt.date) -> list[int]:
    """The calendar years the data holds whole: from their first month, and ending on or before the reference date."""
    if first_date is None:
        return []
    return [
        year
        for year in range(first_date.year, reference_date.year + 1)
        if reaches(first_date, dt.date(year, 1, 1)) and dt.date(year, 12, 31) <= reference_date
    ]


def months_spanned(first_date: dt.date, last_date: dt.date) -> int:
    """The calendar months from the first to the last order, both counted (December 2010 to December 2011: 13)."""
    return (last_date.year - first_date.year) * 12 + last_date.month - first_date.month + 1


def first_order_date(workbook) -> dt.date | None:
    """The day of the workbook's first order (of a customer), or None without orders."""
    first = workbook.yearly["first_order"].min() if len(workbook.yearly) else None
    if first is None or first != first:  # NaT
        return None
    return first.date() if hasattr(first, "date") else first


def reaches_back(workbook, day: dt.date) -> bool:
    """Whether the workbook's data reaches back to ``day`` (see the module's rule)."""
    return reaches(first_order_date(workbook), day)


def peak_years(workbook) -> list[int]:
    """The complete calendar years before the reference date a historic peak may use; empty when fewer than two."""
    years = complete_years(first_order_date(workbook), workbook.reference_date)
    return years if len(years) >= PEAK_MIN_YEARS else []


def trend_available(workbook, years: int | None = None) -> bool:
    """Whether the data holds the ``years`` 12-month windows of the revenue trend (default ``trend_years``)."""
    years = workbook.assumptions.trend_years if years is None else years
    start = months_before(workbook.reference_date, WINDOW_MONTHS * years)
    return reaches_back(workbook, start + dt.timedelta(days=1))


def transition_windows(workbook) -> int:
    """How many whole 12-month windows up to the reference date the data holds."""
    first = first_order_date(workbook)
    n = 0
    while reaches(first, months_before(workbook.reference_date, WINDOW_MONTHS * (n + 1)) + dt.timedelta(days=1)):
        n += 1
    return n


def data_coverage(workbook, limited: dict[str, str] | None = None) -> dict:
    """The ``data_coverage`` block of ``summary.json``: the span of the orders, and what is too short.

    ``limited`` maps a figure or section to the reason it is missing; the
    analyses that decide it pass theirs in.
    """
    first = first_order_date(workbook)
    last = workbook.yearly["last_order"].max() if len(workbook.yearly) else None
    last = last.date() if hasattr(last, "date") else last
    return {
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "months": months_spanned(first, last) if first and last else 0,
        "limited": dict(limited or {}),
    }
