"""The sections of notebook 00: what the data holds, how far back it reaches, and where it is thin.

Each section takes the workbook and returns what to display; the counts
and findings themselves come from :mod:`smartacct_helpers.facts.quality`.
"""

from __future__ import annotations

import datetime as dt

from IPython.display import Markdown

from ..facts.coverage import PEAK_MIN_YEARS, data_coverage, peak_years, reaches, trend_available
from ..presentation.formatting import date_text
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from . import charts
from .findings import data_overview, data_quality


@section("00")
def overview(workbook) -> list:
    """Rows per table, the span of the orders and the reference date."""
    return [table(data_overview(workbook), workbook.params.currency, workbook.params.number_format)]


def history_too_short(workbook) -> list[str]:
    """What the data's history is too short for, in words (empty when it holds enough).

    >>> history_too_short(wb)  # doctest: +SKIP
    ['the historic peak of a customer (it needs at least 2 complete calendar years before the reference date)', ...]
    """
    years = workbook.assumptions.trend_years
    out = []
    if not peak_years(workbook):
        out.append(
            f"the historic peak of a customer (it needs at least {PEAK_MIN_YEARS} complete calendar years "
            f"before the reference date)"
        )
    if not trend_available(workbook):
        out.append(f"the revenue trend of a customer over {years} years, and with it the smart accounts")
    return out


@section("00")
def history(workbook) -> list:
    """How far back the orders reach, and the figures that need more history than that."""
    style = workbook.params.number_format
    span = data_coverage(workbook)
    if not span["first_date"]:
        return [Needs("how far back the orders reach", "orders with a date (column date of the orders)")]
    text = (
        f"The orders span **{span['months']:,} months**, from {date_text(span['first_date'], style)} to "
        f"{date_text(span['last_date'], style)}; the reference date is {date_text(workbook.reference_date, style)}."
    )
    short = history_too_short(workbook)
    if short:
        text += (
            " That is too short for " + "; ".join(short) + ". Where such a figure would stand, the workbook "
            "says so instead of computing it from years that are not in the data."
        )
    return [Markdown(text)]


def partial_years(workbook) -> list[str]:
    """Sentences on a first or last calendar year that the orders hold only in part.

    The first year is partial when the data does not reach back to its 1st of
    January (:func:`smartacct_helpers.facts.coverage.reaches`), the last when its
    last order falls before December.
    """
    style = workbook.params.number_format
    span = data_coverage(workbook)
    if not span["first_date"]:
        return []
    first, last = dt.date.fromisoformat(span["first_date"]), dt.date.fromisoformat(span["last_date"])
    cut_start = not reaches(first, dt.date(first.year, 1, 1))
    cut_end = last < dt.date(last.year, 12, 1)
    if first.year == last.year:
        if cut_start or cut_end:
            return [f"{first.year} holds orders from {date_text(first, style)} to {date_text(last, style)} only"]
        return []
    return ([f"{first.year} holds orders from {date_text(first, style)} on only"] if cut_start else []) + (
        [f"{last.year} holds orders up to {date_text(last, style)} only"] if cut_end else []
    )


@section("00")
def revenue_by_year(workbook) -> list:
    """Revenue (and margin where the data has it), customers and orders per calendar year."""
    style = workbook.params.number_format
    by_year = workbook.revenue_by_year()
    if not len(by_year):
        return [Needs("the revenue per calendar year", "orders with a date and a revenue")]
    cur = workbook.params.currency
    items = []
    partial = partial_years(workbook)
    if partial:
        items.append(Markdown("A partial year shows as a dip: " + "; ".join(partial) + "."))
    return items + [
        charts.revenue_by_year_chart(by_year, cur, style=style),
        table(by_year, cur, style),
    ]


@section("00")
def quality_findings(workbook) -> list:
    """What is missing or unusual in the data, how often, and what the analysis does about it."""
    findings = data_quality(workbook)
    return [table(findings.set_index("finding"), workbook.params.currency, workbook.params.number_format)]
