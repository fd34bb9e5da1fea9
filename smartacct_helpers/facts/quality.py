"""Counts over the invoice lines, computed once where they are held: lines, orders, credit notes, margins.

What the findings of the data (notebook 00) and the key figures count: the
lines and orders, the lines without a margin or a customer id. Each is
counted in the engine that holds the order totals and remembered by the
workbook (:meth:`~smartacct_helpers.facts.workbook.Workbook.line_counts`).
"""

from __future__ import annotations

import pandas as pd

from ..intake.tables import to_the_millionth
from .orders import WINDOW_MONTHS, as_table, months_before, order_count


def line_counts(orders) -> dict:
    """Counts over the invoice lines or their order totals, computed where they are held (Ibis table or DataFrame).

    Keys ``lines``, ``orders`` (distinct order ids; None without the
    column), ``first_order``, ``last_order``, ``credit_notes`` (lines of
    negative revenue) and ``no_margin`` (lines without a contribution
    margin; all of them without the column), ``margin_column`` (whether
    the data has one). Order totals count the lines they summed.

    >>> o = pd.DataFrame({"customer_id": ["1", "1", "2"], "revenue": [5.0, -1.0, 2.0],
    ...                   "date": pd.to_datetime(["2025-01-02", "2025-03-04", "2025-02-01"])})
    >>> c = line_counts(o)
    >>> c["lines"], c["credit_notes"], c["no_margin"], c["last_order"].isoformat()
    (3, 1, 3, '2025-03-04')
    """
    t = as_table(orders)
    day = t.date.cast("date")
    counts = {
        "lines": t.lines.sum(),
        "first_order": day.min(),
        "last_order": day.max(),
        "credit_notes": t.credit_lines.sum(),
        "no_margin": t.lines_without_margin.sum() if "contribution_margin" in t.columns else t.lines.sum(),
    }
    if "order_id" in t.columns:
        counts["orders"] = order_count(t)
    row = t.aggregate(**counts).to_pyarrow().to_pylist()[0]
    return {"orders": None, "margin_column": "contribution_margin" in t.columns} | {
        k: v if v is not None or k in ("first_order", "last_order") else 0 for k, v in row.items()
    }


def activities_count(workbook) -> int | None:
    """How many CRM activities the workbook holds, counted where they are (None without activities)."""
    activities = workbook.activities
    if activities is None or isinstance(activities, pd.DataFrame):
        return None if activities is None else len(activities)
    return int(activities.count().to_pyarrow().as_py())


def unattributed_lines(workbook) -> dict:
    """The invoice lines without a customer id, left out of every customer figure, and their weight.

    ``data.missing_customer_id: exclude`` (the default) leaves such lines
    (counter and guest sales) out of the customers' figures; this counts
    them. Keys: ``lines``; ``revenue`` (all of them) and ``revenue_12m``
    (in the window up to the reference date), summed to the millionth; ``share_of_lines``,
    ``share_of_revenue`` and ``share_of_revenue_12m``: their part of all
    lines and of all revenue (theirs and the customers' together; 0 where
    that total is not positive). All 0 when every line has a customer id.
    """
    key = ("unattributed", workbook.reference_date)
    if key in workbook._memo:
        return dict(workbook._memo[key])
    days = workbook.tables.unattributed
    out = {
        "lines": 0,
        "revenue": 0.0,
        "revenue_12m": 0.0,
        "share_of_lines": 0.0,
        "share_of_revenue": 0.0,
        "share_of_revenue_12m": 0.0,
    }
    if days is not None and len(days):
        ref = pd.Timestamp(workbook.reference_date)
        start = pd.Timestamp(months_before(workbook.reference_date, WINDOW_MONTHS))
        amounts = days["revenue"].to_numpy(dtype="float64")
        in_window = ((days["date"] > start) & (days["date"] <= ref)).to_numpy()
        lines = int(days["lines"].sum())
        revenue, revenue_12m = (
            float(to_the_millionth(amounts.sum())),
            float(to_the_millionth(amounts[in_window].sum())),
        )
        all_lines = lines + workbook.line_counts()["lines"]
        all_revenue = revenue + float(workbook.yearly["revenue"].sum())
        all_revenue_12m = revenue_12m + float(workbook.customers["revenue_12m"].sum())
        out = {
            "lines": lines,
            "revenue": revenue,
            "revenue_12m": revenue_12m,
            "share_of_lines": lines / all_lines if all_lines else 0.0,
            "share_of_revenue": revenue / all_revenue if all_revenue > 0 else 0.0,
            "share_of_revenue_12m": revenue_12m / all_revenue_12m if all_revenue_12m > 0 else 0.0,
        }
    workbook._memo[key] = out
    return dict(out)


def has_margin(workbook) -> bool:
    """Whether the invoice lines carry a contribution margin (a column with at least one value)."""
    n = workbook.line_counts()
    return bool(n["margin_column"]) and n["no_margin"] < n["lines"]
