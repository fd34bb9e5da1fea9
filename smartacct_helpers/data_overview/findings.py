"""What the data holds and where it is thin, in words: the two tables notebook 00 opens with.

:func:`data_overview` counts the rows of each table and the span of the
orders; :func:`data_quality` lists the findings about completeness, each
with a count, a share and what follows for the analysis. The counts come
from the facts (:mod:`smartacct_helpers.facts.quality`).
"""

from __future__ import annotations

import re

import pandas as pd

from ..facts.quality import activities_count, unattributed_lines
from ..presentation.columns import words
from ..presentation.formatting import count, date_text, money, share


def data_overview(workbook) -> pd.DataFrame:
    """Rows per table, date range and reference date, as a two-column table."""
    style = workbook.params.number_format
    t = workbook.tables
    n = workbook.line_counts()
    activities = activities_count(workbook)
    rows = [
        (
            "customers",
            count(len(t.customers), style=style) + (" (taken from the orders)" if t.customers_from_orders else ""),
        ),
        ("invoice lines", count(n["lines"], style=style)),
        ("orders", count(n["orders"], style=style) if n["orders"] is not None else "no order numbers in the data"),
        ("CRM activities", count(activities, style=style) if activities is not None else "no activities file"),
        ("first order", date_text(n["first_order"], style) if n["lines"] else "–"),
        ("last order", date_text(n["last_order"], style) if n["lines"] else "–"),
        ("reference date", date_text(workbook.reference_date, style)),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"]).set_index("figure")


def data_quality(workbook) -> pd.DataFrame:
    """Findings about completeness, each with a count, a share and what it means.

    Returns
    -------
    DataFrame
        Columns ``finding, customers_or_lines, share, consequence``.
    """
    style = workbook.params.number_format
    t = workbook.tables
    customers = t.customers
    n = workbook.line_counts()
    n_cust = max(len(customers), 1)
    n_lines = max(n["lines"], 1)
    facts = workbook.customers
    findings = []

    def add(finding, count, total, consequence):
        findings.append(
            {
                "finding": finding,
                "count": int(count),
                "share": count / total if total else 0.0,
                "consequence": consequence,
            }
        )

    add(
        "credit-note lines (negative revenue)",
        n["credit_notes"],
        n_lines,
        "kept: they reduce the revenue of the period they fall in",
    )
    findings.append(_lines_without_customer(workbook, style))
    add(
        "customers without any order",
        (facts["last_order"].isna()).sum(),
        n_cust,
        "counted as D customers and as below the sales threshold",
    )
    add(
        "customers without an order in the last 12 months",
        (facts["orders_12m"] == 0).sum(),
        n_cust,
        "class D; lapsed when also outside the active window",
    )
    if not n["margin_column"]:
        add(
            "invoice lines without contribution margin",
            n["lines"],
            n_lines,
            "margin-based figures use the assumed margin rate",
        )
    else:
        add("invoice lines without contribution margin", n["no_margin"], n_lines, "those lines count with zero margin")
    for column, what, why in (
        ("industry", "an industry", "no industry-based potential"),
        ("employees", "an employee count", "no industry-based potential"),
        ("outside_rep", "an outside rep", "cannot be given to a rep's list"),
        ("region", "a region", "cannot be grouped by region"),
    ):
        missing = customers[column].isna().sum() if column in customers else len(customers)
        add(f"customers without {what}", missing, n_cust, why)
    if workbook.activities is None:
        add("customers without CRM data", len(customers), n_cust, "the CRM rule (no field visit) cannot be applied")
    else:
        never = facts["last_contact"].isna().sum() if "last_contact" in facts else len(customers)
        add("customers never contacted in the CRM", never, n_cust, "no visit or call on record")
    for w in t.warnings:
        finding = re.sub(r"\(([a-z0-9]+(?:_[a-z0-9]+)+)\)", lambda m: f"({words(m.group(1))})", str(w))
        findings.append({"finding": finding, "count": 0, "share": float("nan"), "consequence": "see the message"})
    return pd.DataFrame(findings)


def _lines_without_customer(workbook, style: str) -> dict:
    """The finding about invoice lines without a customer id, with the revenue they hold."""
    gone = unattributed_lines(workbook)
    consequence = "left out of every customer figure"
    if gone["lines"]:
        currency = workbook.params.currency
        consequence += (
            f"; their revenue: {money(gone['revenue'], currency, style=style)} in all "
            f"({share(gone['share_of_revenue'], style=style)} of all revenue), "
            f"{money(gone['revenue_12m'], currency, style=style)} in the last 12 months "
            f"({share(gone['share_of_revenue_12m'], style=style)})"
        )
    return {
        "finding": "invoice lines without a customer id",
        "count": gone["lines"],
        "share": gone["share_of_lines"],
        "consequence": consequence,
    }
