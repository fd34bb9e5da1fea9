"""The key figures of the inside-sales business case for ``summary.json``, and why one may be missing.

A figure the data cannot carry (no customer to manage, no known potential)
is None, with its reason in words (:func:`case_limits`).
"""

from __future__ import annotations

import pandas as pd

from ..assumptions import PAYBACK_CHANCE_MONTHS as _PAYBACK_CHANCE_MONTHS
from ..facts.coverage import LIMITED
from ..small_customers.analysis import classify
from .business_case import CaseInputs, business_case, workbook_case_inputs
from .monte_carlo import monte_carlo

#: the months within which the chance of paying back is reckoned: summary.json's ``probability_payback_24m``,
#: the report's page one and the dashboard all quote this one horizon (the value lives with the assumptions, whose
#: ``go_min_probability_payback`` names it too)
PAYBACK_CHANCE_MONTHS = _PAYBACK_CHANCE_MONTHS

#: why a figure of the business case is missing, in words for the reader
NO_CUSTOMERS = "no customer is to manage (below the sales threshold with an order in the active window)"
NO_POTENTIAL = (
    "no customer to manage has a known potential: it needs an industry and an employee count per "
    "customer (columns industry and employees of the customer master) or two complete calendar years "
    "of orders"
)


def case_limits(inputs: CaseInputs) -> str | None:
    """Why the data cannot carry a business case (ROI, payback, break-even uplift), or None when it can.

    Without customers to manage there is no team to reckon; without a
    known potential the uplift on the gap, the main benefit, is unknown,
    and an ROI of the other benefits alone would understate the case.
    """
    if inputs.customers == 0:
        return NO_CUSTOMERS
    if not inputs.gap_known:
        return NO_POTENTIAL
    return None


def business_case_figures(workbook, classified: pd.DataFrame | None = None) -> dict:
    """The business-case key figures for ``summary.json`` (base scenario, internal team, middle capacity).

    Returns
    -------
    dict
        ``potential_small_customers``, ``share_of_wallet_median``,
        ``inside_sales_annual_cost``, ``roi``, ``payback_months`` (None when
        not within the horizon), ``break_even_uplift`` (None without a gap)
        and ``probability_payback_24m``. A figure the data cannot support is
        None, with its reason under ``"_limited"`` (see :func:`case_limits`):
        without customers to manage, every figure but the potential; without
        a known potential, the potential, the share of wallet, the ROI, the
        payback, the break-even uplift and the probability of paying back.
    """
    a = workbook.assumptions
    df = classify(workbook) if classified is None else classified
    managed = df[df["to_manage"].astype(bool)]
    inputs = workbook_case_inputs(workbook, df)
    bc = business_case(inputs, a)
    known = managed["potential"].notna() if "potential" in managed else pd.Series(False, index=managed.index)
    figures = {
        "potential_small_customers": float(managed.loc[known, "potential"].sum()) if known.any() else None,
        "share_of_wallet_median": float(managed.loc[known, "share_of_wallet"].median()) if known.any() else None,
        "inside_sales_annual_cost": float(bc.cost["total"]),
        "roi": float(bc.roi),
        "payback_months": bc.payback_months,
        "break_even_uplift": None if bc.break_even_uplift is None else float(bc.break_even_uplift),
        "probability_payback_24m": monte_carlo(inputs, a).probability_payback(PAYBACK_CHANCE_MONTHS),
    }
    why = case_limits(inputs)
    if why is None:
        return figures
    gone = ["share_of_wallet_median", "roi", "payback_months", "break_even_uplift", "probability_payback_24m"]
    gone += ["inside_sales_annual_cost"] if inputs.customers == 0 else ["potential_small_customers"]
    if inputs.customers == 0:
        figures["potential_small_customers"] = 0.0
    return figures | {name: None for name in gone} | {LIMITED: {name: why for name in gone}}
