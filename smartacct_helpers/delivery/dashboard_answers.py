"""The numbers behind the dashboard's five answers, one function per question.

The dashboard (:mod:`smartacct_helpers.delivery.dashboard`) asks five questions a
sales manager asks, and each function here answers one from the analyses'
public functions, so that the page only lays the numbers out:
small_customer_costs, inside_sales_case, key_accounts_at_risk,
calls_this_week and year_one_kpis, each described where it is defined.

An answer whose input the data lacks is a
:class:`~smartacct_helpers.presentation.sections.Needs` (one sentence), never an error.

The answers live in two modules by what moves them:
:mod:`~smartacct_helpers.delivery.dashboard_cost_answers` (the first two,
recomputed whenever a control moves) and
:mod:`~smartacct_helpers.delivery.dashboard_customer_answers` (the last
three, computed once when the dashboard starts); this module offers them
under one name.
"""

from .dashboard_cost_answers import (
    GROUPS,
    InsideSalesCase,
    SmallCustomerCosts,
    band_edges,
    inside_sales_case,
    revenue_bands,
    small_customer_costs,
)
from .dashboard_customer_answers import (
    CONCENTRATION_WORDS,
    FALLING_TREND,
    REVENUE_NEEDS,
    REVIEW_SHOWS,
    UNASSIGNED,
    Calls,
    KeyAccountsAtRisk,
    YearOne,
    calls_this_week,
    concentration_words,
    fixed_answers,
    key_accounts_at_risk,
    year_one_kpis,
)

__all__ = [
    "CONCENTRATION_WORDS",
    "FALLING_TREND",
    "GROUPS",
    "REVENUE_NEEDS",
    "REVIEW_SHOWS",
    "UNASSIGNED",
    "Calls",
    "InsideSalesCase",
    "KeyAccountsAtRisk",
    "SmallCustomerCosts",
    "YearOne",
    "band_edges",
    "calls_this_week",
    "concentration_words",
    "fixed_answers",
    "inside_sales_case",
    "key_accounts_at_risk",
    "revenue_bands",
    "small_customer_costs",
    "year_one_kpis",
]
