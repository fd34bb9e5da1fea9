"""The key figures of ``summary.json`` (docs/summary-json.md), from one workbook.

Money is in the params' currency, shares are fractions. Every key is defined
in the README.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..early_warning.backtest import early_warning_figures
from ..facts.concepts import group_revenue
from ..facts.coverage import LIMITED, data_coverage  # LIMITED: offered here too, where the key figures gather it
from ..facts.quality import unattributed_lines
from ..field_visits.analysis import field_economics
from ..inside_sales.business_case import headcount_by_capacity
from ..inside_sales.figures import business_case_figures
from ..inside_sales.rep_cover import rep_cover_figures
from ..key_accounts.analysis import key_account_figures
from ..key_accounts.concentration import herfindahl_index, top_share
from ..levers.analysis import lever_figures
from ..potential.analysis import potential_figures
from ..review.analysis import tracking_figures
from ..small_customers.analysis import classify
from .exports import atomic_write


def key_figures(workbook, classified=None) -> dict:
    """The key figures for ``summary.json``.

    Parameters
    ----------
    workbook : Workbook
    classified : DataFrame, optional
        The result of ``classify(workbook)`` when already at hand.

    Returns
    -------
    dict
        JSON-ready: plain ints, floats, strings, dicts.
    """
    params = workbook.params
    a = params.assumptions
    df = classify(workbook) if classified is None else classified
    econ = field_economics(a)
    revenue = df["revenue_12m"]
    positive_total = revenue[revenue > 0].sum()
    counts = df["abc"].value_counts()
    abc_counts = {k: int(counts.get(k, 0)) for k in "ABCD"}
    abc_share = {
        k: float(revenue[(df["abc"] == k) & (revenue > 0)].sum() / positive_total) if positive_total else 0.0
        for k in "ABC"
    }
    to_manage = int(df["to_manage"].sum())
    potential = potential_figures(workbook, df)
    figures = {
        "client": params.client,
        "currency": params.currency,
        "reference_date": workbook.reference_date.isoformat(),
        "customers_total": int(len(df)),
        "revenue_12m": float(revenue.sum()),
        "abc_counts": abc_counts,
        "abc_revenue_share": abc_share,
        "visit_cost": econ.visit_cost,
        "management_cost_per_customer": econ.management_cost_per_customer,
        "sales_threshold": econ.sales_threshold,
        "customers_below_threshold": int(df["below_threshold"].sum()),
        "customers_to_manage": to_manage,
        "inside_sales_headcount": headcount_by_capacity(to_manage, a.inside_rep_capacity),
        "potential_total": potential["potential_total"],
        "top1_share": top_share(revenue, 1),
        "top5_share": top_share(revenue, 5),
        "top10_share": top_share(revenue, 10),
        "hhi": herfindahl_index(revenue),
        "revenue_to_manage_12m": group_revenue(df, df["to_manage"]),
        "develop_customers": int((df["segment"] == "develop").sum()),
    }
    unattributed = unattributed_lines(workbook)
    figures |= {"unattributed_lines": unattributed["lines"], "unattributed_revenue_12m": unattributed["revenue_12m"]}
    limited: dict[str, str] = dict(potential[LIMITED])
    for part in (
        business_case_figures(workbook, df),
        rep_cover_figures(workbook, df),
        key_account_figures(workbook),
        lever_figures(workbook),
        tracking_figures(workbook),
        early_warning_figures(workbook),
    ):
        limited |= part.pop(LIMITED, {})
        figures |= part
    figures["data_coverage"] = data_coverage(workbook, limited)
    return figures


#: decimals a figure of summary.json keeps: money to the millionth it is summed to, shares to a ten-thousandth of a percent
DECIMALS = 6


def _clean(value):
    """A figure as JSON holds it: no NaN or infinity (null instead), no float noise (``733947.0231999999``)."""
    if isinstance(value, float):
        return round(value, DECIMALS) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def write_summary(figures: dict, path: str | Path) -> Path:
    """Write the figures as JSON, atomically (temporary file, then rename)."""
    text = json.dumps(_clean(figures), indent=2, ensure_ascii=False) + "\n"
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
