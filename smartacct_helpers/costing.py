"""What a field visit costs, and from which revenue it pays (METHOD.md section 2).

Examples
--------
The practitioner article's figures: an outside rep costing 110,000 EUR a
year, 200 working days with 4 visits each, 5 visits per customer and year,
sales costs of at most 8 % of revenue:

>>> visit_cost(110_000, 200, 4)
137.5
>>> management_cost_per_customer(137.5, 5)
687.5
>>> sales_threshold(687.5, 0.08)
8593.75
"""
from __future__ import annotations

from dataclasses import dataclass


def visit_cost(outside_rep_annual_cost: float, working_days: float, visits_per_day: float) -> float:
    """Cost of one field visit: the rep's fully loaded annual cost over the visits per year."""
    visits = working_days * visits_per_day
    if visits <= 0:
        raise ValueError("working_days x visits_per_day must be positive")
    return outside_rep_annual_cost / visits


def management_cost_per_customer(visit_cost: float, visits_per_customer_year: float) -> float:
    """Annual cost of looking after one customer in the field."""
    return visit_cost * visits_per_customer_year


def sales_threshold(management_cost: float, max_sales_cost_ratio: float) -> float:
    """Revenue per year from which field management keeps the sales cost ratio."""
    if not 0 < max_sales_cost_ratio < 1:
        raise ValueError("max_sales_cost_ratio must lie between 0 and 1")
    return management_cost / max_sales_cost_ratio


@dataclass(frozen=True)
class FieldEconomics:
    """The three figures of section 2 for one set of assumptions."""

    visit_cost: float
    management_cost_per_customer: float
    sales_threshold: float


def field_economics(assumptions) -> FieldEconomics:
    """Visit cost, management cost and sales threshold from the params' assumptions.

    >>> from smartacct_helpers.params import Assumptions
    >>> field_economics(Assumptions()).sales_threshold
    8593.75
    """
    cost = visit_cost(assumptions.outside_rep_annual_cost, assumptions.working_days, assumptions.visits_per_day)
    management = management_cost_per_customer(cost, assumptions.visits_per_customer_year)
    return FieldEconomics(cost, management, sales_threshold(management, assumptions.max_sales_cost_ratio))
