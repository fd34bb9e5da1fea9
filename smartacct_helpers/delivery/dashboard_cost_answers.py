"""The numbers behind the dashboard's first two answers, which its controls move.

* :func:`small_customer_costs`: what do the small customers cost today?
  The cost of a field visit, of looking after one customer in the field for
  a year, the sales threshold, the customers to manage and what serving
  them in the field costs a year; the customers per revenue band for the
  chart, split into the same three groups the legend counts.
* :func:`inside_sales_case`: does inside sales pay? Headcount at a chosen
  capacity, cost, return, payback and the chance of paying back, for an
  own team and an external provider side by side.

A viewer's kernel computes these again whenever a control moves (see
:mod:`smartacct_helpers.delivery.dashboard`).

Examples
--------
A visit costs 110,000 / (200 x 4) = 137.50; five visits a year make 687.50
per customer; at a cost ratio of 8 % the threshold is 687.50 / 0.08 =
8,593.75. Three customers: 500 and 9,000 of revenue with an order in the
window, and one with no order for three years:

>>> import pandas as pd
>>> from smartacct_helpers.params import Assumptions
>>> df = pd.DataFrame({"revenue_12m": [500.0, 9_000.0, 0.0], "below_threshold": [True, False, True],
...                    "to_manage": [True, False, False]})
>>> c = small_customer_costs(df, Assumptions())
>>> c.visit_cost, c.management_cost, c.threshold
(137.5, 687.5, 8593.75)
>>> c.to_manage, c.below_inactive, c.above, c.field_cost   # 1 x 687.50
(1, 1, 1, 687.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..facts.concepts import group_revenue
from ..field_visits.analysis import field_economics
from ..inside_sales import business_case as bc
from ..inside_sales.figures import PAYBACK_CHANCE_MONTHS, case_limits
from ..inside_sales.monte_carlo import monte_carlo

#: the three groups of customers the small-customer chart stacks and its legend counts, in order
GROUPS = ("to_manage", "below_inactive", "above")


# -- 1. what do the small customers cost today? ---------------------------------------------------------------


@dataclass(frozen=True)
class SmallCustomerCosts:
    """What the small customers cost, for one set of assumptions.

    Every customer is in exactly one of three groups: ``to_manage`` (below
    the sales threshold with an order in the active window), ``below_inactive``
    (below it, no order in the active window) and ``above`` (at or above
    it); the three add up to ``customers``.
    """

    visit_cost: float
    management_cost: float
    threshold: float
    customers: int
    to_manage: int
    below_inactive: int
    above: int
    #: the customers to manage's revenue of the last 12 months (negative ones as zero)
    revenue_to_manage: float
    #: customers to manage x the cost of looking after one in the field for a year
    field_cost: float
    #: field visits the customers to manage received in the last 12 months (None without CRM activities)
    visits_made: float | None = None
    #: the customers per revenue band, by group (see :func:`revenue_bands`)
    bands: pd.DataFrame = field(default=None, repr=False, compare=False)

    @property
    def field_cost_share(self) -> float:
        """The field cost over the revenue of the customers to manage (NaN without revenue)."""
        return self.field_cost / self.revenue_to_manage if self.revenue_to_manage > 0 else float("nan")


def small_customer_costs(classified: pd.DataFrame, assumptions, with_bands: bool = False) -> SmallCustomerCosts:
    """The answer to "what do the small customers cost today?" from the classified customers.

    Parameters
    ----------
    classified : DataFrame
        :meth:`Workbook.classify` (``revenue_12m``, ``below_threshold``,
        ``to_manage`` and, with CRM activities, ``visits_12m``).
    assumptions : Assumptions
        Those the classification used.
    with_bands : bool
        Also count the customers per revenue band (:func:`revenue_bands`).
    """
    econ = field_economics(assumptions)
    below = classified["below_threshold"].to_numpy(dtype=bool)
    manage = classified["to_manage"].to_numpy(dtype=bool)
    to_manage = int(manage.sum())
    visits = None
    if "visits_12m" in classified:
        visits = float(np.nansum(classified["visits_12m"].to_numpy(dtype="float64", na_value=np.nan)[manage]))
    bands = revenue_bands(classified, econ.sales_threshold) if with_bands else None
    return SmallCustomerCosts(
        visit_cost=econ.visit_cost,
        management_cost=econ.management_cost_per_customer,
        threshold=econ.sales_threshold,
        customers=len(classified),
        to_manage=to_manage,
        below_inactive=int((below & ~manage).sum()),
        above=int((~below).sum()),
        revenue_to_manage=group_revenue(classified, manage),
        field_cost=to_manage * econ.management_cost_per_customer,
        visits_made=visits,
        bands=bands,
    )


def band_edges(revenue: np.ndarray, threshold: float, most: int = 10) -> list[float]:
    """Round limits (1, 2, 5 times a power of ten) for the positive revenue, at most ``most`` bands.

    The lowest limit lies at or below a twentieth of the threshold and the
    2nd percentile of the positive revenue, the highest at or above their
    98th percentile and the threshold: the bands cover nearly every customer
    and show those near the threshold.

    >>> band_edges(np.array([120.0, 900.0, 4_000.0, 30_000.0]), 8_593.75)
    [100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0]
    """
    positive = revenue[revenue > 0]
    low = min(np.quantile(positive, 0.02) if len(positive) else threshold, threshold / 20)
    high = max(np.quantile(positive, 0.98) if len(positive) else threshold, threshold * 1.01)
    steps = [m * 10.0**e for e in range(-2, 13) for m in (1, 2, 5)]
    start = max([s for s in steps if s <= max(low, 0.01)] or [steps[0]])
    edges = [s for s in steps if start <= s]
    out = []
    for s in edges:
        out.append(s)
        if s >= high:
            break
    while len(out) > most:  # too many: every other limit, keeping the last
        out = out[::2] if out[::2][-1] == out[-1] else out[::2] + [out[-1]]
    return out


def revenue_bands(classified: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Customers per band of revenue in the last 12 months, by group (:data:`GROUPS`).

    The first band holds the customers with no revenue (none, or credit
    notes only), the last those above the highest limit. Each row counts
    every customer of its band once, in the group it belongs to, so the
    column sums are the groups' counts.

    Returns
    -------
    DataFrame
        ``low`` and ``high`` (the band's limits; NaN for open ends),
        ``to_manage``, ``below_inactive``, ``above``, and ``holds_threshold``
        (the band the threshold falls in).

    >>> df = pd.DataFrame({"revenue_12m": [0.0, 150.0, 900.0, 9_000.0],
    ...                    "below_threshold": [True, True, True, False], "to_manage": [False, True, True, False]})
    >>> b = revenue_bands(df, 1_000.0)
    >>> int(b["to_manage"].sum()), int(b["below_inactive"].sum()), int(b["above"].sum())
    (2, 1, 1)
    """
    revenue = classified["revenue_12m"].to_numpy(dtype="float64", na_value=0.0)
    edges = band_edges(revenue, threshold)
    below = classified["below_threshold"].to_numpy(dtype=bool)
    manage = classified["to_manage"].to_numpy(dtype=bool)
    group = np.where(manage, 0, np.where(below, 1, 2))
    positive = revenue > 0
    band = np.where(positive, np.searchsorted(np.asarray(edges), revenue, side="right") + 1, 0)
    n_bands = len(edges) + 2  # none, below the first limit, ..., above the last
    counts = np.zeros((n_bands, 3), dtype=int)
    np.add.at(counts, (band, group), 1)
    lows = [np.nan, 0.0, *edges]
    highs = [np.nan, *edges, np.nan]
    out = pd.DataFrame(counts, columns=list(GROUPS))
    out.insert(0, "low", lows)
    out.insert(1, "high", highs)
    holds = np.zeros(n_bands, dtype=bool)
    holds[int(np.searchsorted(np.asarray(edges), threshold, side="right")) + 1] = True
    out["holds_threshold"] = holds
    return out


# -- 2. does inside sales pay? ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsideSalesCase:
    """The business case at one capacity, own team and external provider side by side."""

    capacity: int
    customers: int
    own: bc.BusinessCase
    external: bc.BusinessCase
    #: share of simulated runs that pay back within :attr:`chance_months`, per provider (None when :attr:`limits`)
    chance_own: float | None
    chance_external: float | None
    #: the months over which the return and the payback are reckoned (``business_case_months``)
    horizon: int
    #: why the data cannot carry a return (no customers to manage, no known potential), else None
    limits: str | None
    margin_assumed: bool
    #: simulated outcomes behind the chances
    runs: int = 0
    #: the months within which the chance of paying back is reckoned, as in summary.json and the report
    chance_months: int = PAYBACK_CHANCE_MONTHS


def inside_sales_case(workbook, classified: pd.DataFrame, capacity: int) -> InsideSalesCase:
    """The answer to "does inside sales pay?" for the workbook's assumptions and ``capacity`` customers per rep.

    The base scenario of :func:`~smartacct_helpers.inside_sales.business_case.business_case`
    for both providers, over ``business_case_months``; the chance of paying
    back is the Monte Carlo's share of runs that pay back within
    :data:`~smartacct_helpers.inside_sales.figures.PAYBACK_CHANCE_MONTHS`
    (24), the horizon of summary.json's ``probability_payback_24m`` and of
    the report's page one, so that at the middle capacity the page and the
    report show the same chance.
    """
    a = workbook.assumptions
    inputs = bc.workbook_case_inputs(workbook, classified)
    own = bc.business_case(inputs, a, capacity, "base", "internal")
    external = bc.business_case(inputs, a, capacity, "base", "external")
    limits = case_limits(inputs)
    horizon = a.business_case_months
    chances = [None, None]
    if limits is None:
        chances = [
            monte_carlo(inputs, a, capacity, provider).probability_payback(PAYBACK_CHANCE_MONTHS)
            for provider in ("internal", "external")
        ]
    return InsideSalesCase(
        capacity,
        inputs.customers,
        own,
        external,
        chances[0],
        chances[1],
        horizon,
        limits,
        inputs.margin_assumed,
        a.monte_carlo_runs,
    )
