"""What each customer bought per product group over the last 12 months: the one fact read from the lines themselves.

The order totals the analyses read carry no product group, so the revenue
per customer and product group is summed from the invoice lines once
(:func:`product_group_revenue_of`) and kept with the workbook, a report's
snapshot included (:data:`~smartacct_helpers.facts.snapshot.FROM_LINES`):
the key-account candidates by a product group's share and the range a key
account buys (notebook 05) read it.
"""

from __future__ import annotations

import pandas as pd

from ..intake.duckdb_files import file_table
from ..intake.schema import LazyTables
from .concepts import has_values
from .cost_to_serve import _between
from .orders import WINDOW_MONTHS, as_table, frame, money_sum, months_before

#: the columns of the invoice lines the sums per product group read
PRODUCT_LINE_COLUMNS = ["customer_id", "date", "revenue", "product_group"]
#: the name the workbook remembers the sums under
REMEMBERED_AS = "product_group_revenue"


def product_group_revenue(lines, start, end) -> pd.DataFrame:
    """The net revenue per customer and product group of the lines with ``start < date <= end``.

    Lines without a product group are left out.

    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "product_group": ["x", "x", None],
    ...                   "date": pd.to_datetime(["2025-03-01"] * 3), "revenue": [30.0, -10.0, 5.0]})
    >>> product_group_revenue(o, "2024-12-31", "2025-12-31").to_dict("list")
    {'customer_id': ['a'], 'product_group': ['x'], 'revenue': [20.0]}
    """
    t = as_table(lines)
    t = t.filter(_between(t, pd.Timestamp(start), pd.Timestamp(end)) & t.product_group.notnull())
    per = frame(t.group_by(["customer_id", "product_group"]).aggregate(revenue=money_sum(t.revenue)))
    per["customer_id"] = per["customer_id"].astype(str)
    per["product_group"] = per["product_group"].astype(str)
    per["revenue"] = per["revenue"].astype(float)
    return per.sort_values(["customer_id", "product_group"], kind="stable").reset_index(drop=True)


def product_lines(workbook):
    """The invoice lines with their product group where the workbook reaches them, else None.

    The lines of ``data.database`` are left where they are; those of a file
    that DuckDB reads itself are read there, only the four columns the sums
    need (:data:`PRODUCT_LINE_COLUMNS`); otherwise the lines as read into
    pandas. Order totals carry no product group.
    """
    tables = workbook.tables
    source = getattr(tables, "source", None)
    lines = getattr(source, "orders", None) if source is not None else None
    unread = isinstance(tables, LazyTables) and not tables.is_read("orders")
    if lines is None and unread and workbook.connection is not None and workbook.params.data.orders:
        lines = file_table(workbook.connection, workbook.params, "orders", only=PRODUCT_LINE_COLUMNS)
    if lines is None:
        lines = tables.orders
    if "product_group" not in getattr(lines, "columns", ()):
        return None
    if isinstance(lines, pd.DataFrame) and not has_values(lines, "product_group"):
        return None
    return lines


def product_group_revenue_of(workbook) -> pd.DataFrame | None:
    """:func:`product_group_revenue` over the 12 months up to the reference date, summed once; None without groups."""

    def compute(_assumptions) -> pd.DataFrame:
        lines = product_lines(workbook)
        if lines is None:
            return pd.DataFrame(columns=["customer_id", "product_group", "revenue"])
        ref = workbook.reference_date
        sums = product_group_revenue(lines, months_before(ref, WINDOW_MONTHS), ref)
        aliases = getattr(workbook.tables, "aliases", None)
        source = getattr(workbook.tables, "source", None)
        if aliases is not None and source is not None and lines is getattr(source, "orders", None):
            # the database's lines carry the customer numbers, the anonymised workbook their aliases
            sums["customer_id"] = sums["customer_id"].map(aliases).astype(object)
            sums = sums.dropna(subset=["customer_id"]).sort_values(["customer_id", "product_group"], kind="stable")
        return sums.reset_index(drop=True)

    sums = workbook.remembered(REMEMBERED_AS, compute)
    return sums if len(sums) else None
