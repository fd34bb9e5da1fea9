"""What the data holds and where it is thin: the findings shown before any analysis."""
from __future__ import annotations

import pandas as pd


def data_overview(workbook) -> pd.DataFrame:
    """Rows per table, date range and reference date, as a two-column table."""
    t = workbook.tables
    orders = t.orders
    rows = [
        ("customers", f"{len(t.customers):,}" + (" (taken from the orders)" if t.customers_from_orders else "")),
        ("invoice lines", f"{len(orders):,}"),
        ("orders", f"{orders['order_id'].nunique():,}" if "order_id" in orders else "no order ids in the data"),
        ("CRM activities", f"{len(t.activities):,}" if t.activities is not None else "no activities file"),
        ("first order", f"{orders['date'].min():%Y-%m-%d}" if len(orders) else "–"),
        ("last order", f"{orders['date'].max():%Y-%m-%d}" if len(orders) else "–"),
        ("reference date", workbook.reference_date.isoformat()),
    ]
    return pd.DataFrame(rows, columns=["", "value"]).set_index("")


def data_quality(workbook) -> pd.DataFrame:
    """Findings about completeness, each with a count, a share and what it means.

    Returns
    -------
    DataFrame
        Columns ``finding, customers_or_lines, share, consequence``.
    """
    t = workbook.tables
    orders, customers = t.orders, t.customers
    n_cust = max(len(customers), 1)
    n_lines = max(len(orders), 1)
    facts = workbook.customers
    findings = []

    def add(finding, count, total, consequence):
        findings.append({"finding": finding, "count": int(count), "share": count / total if total else 0.0,
                         "consequence": consequence})

    add("credit-note lines (negative revenue)", (orders["revenue"] < 0).sum(), n_lines,
        "kept: they reduce the revenue of the period they fall in")
    add("customers without any order", (facts["last_order"].isna()).sum(), n_cust,
        "counted as D customers and as below the sales threshold")
    add("customers without an order in the last 12 months", (facts["orders_12m"] == 0).sum(), n_cust,
        "class D; lapsed when also outside the active window")
    if "contribution_margin" not in orders:
        add("invoice lines without contribution margin", len(orders), n_lines,
            "margin-based figures use the assumed margin rate")
    else:
        add("invoice lines without contribution margin", orders["contribution_margin"].isna().sum(), n_lines,
            "those lines count with zero margin")
    for column, why in (("industry", "no industry-based potential"), ("employees", "no industry-based potential"),
                        ("outside_rep", "cannot be given to a rep's list"), ("region", "cannot be grouped by region")):
        missing = customers[column].isna().sum() if column in customers else len(customers)
        add(f"customers without {column}", missing, n_cust, why)
    if t.activities is None:
        add("customers without CRM data", len(customers), n_cust, "the CRM rule (no field visit) cannot be applied")
    else:
        never = facts["last_contact"].isna().sum() if "last_contact" in facts else len(customers)
        add("customers never contacted in the CRM", never, n_cust, "no visit or call on record")
    for w in t.warnings:
        findings.append({"finding": str(w), "count": 0, "share": float("nan"), "consequence": "see the message"})
    return pd.DataFrame(findings)
