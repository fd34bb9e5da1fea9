"""The rep-cover test: does the margin of the customers one inside rep manages pay for that rep? (docs/method.md section 9)

The quick check that sits beside the richer business case of section 4:

    rep cover ratio = middle capacity x median yearly contribution margin of the customers to manage
                      / inside_rep_annual_cost

A ratio of 1 or more means that the margin the customers of one rep already
bring covers what the rep costs, before any uplift; below 1 the team has to
grow these customers (or serve more of them per rep) to earn its cost.

The margin is each customer's contribution margin over the window
(:func:`smartacct_helpers.facts.cost_to_serve.customer_margin`): where the
orders carry no margin, the params' ``margin_rate_if_unknown`` counts, and
the result says which share of the margin is assumed that way.

Examples
--------
400 customers per rep, a median margin of 250 a year, a rep costing 65,000:
400 x 250 = 100,000 against 65,000, a ratio of 100,000 / 65,000 = 1.538...

>>> round(rep_cover_ratio(400, 250.0, 65_000), 4)
1.5385
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..facts.cost_to_serve import customer_margin, window_sums_of
from ..small_customers.analysis import classify
from .business_case import middle_capacity

#: why the rep cover is missing when no customer is to manage
NO_CUSTOMERS = "no customer is to manage (below the sales threshold with an order in the active window)"


def rep_cover_ratio(capacity: float, median_margin: float, rep_cost: float) -> float:
    """Capacity x median yearly margin over the rep's yearly cost."""
    return capacity * median_margin / rep_cost


@dataclass(frozen=True)
class RepCover:
    """The rep-cover test of one set of assumptions.

    ``ratio`` and ``median_margin`` are None without customers to manage.
    ``assumed_share`` is the share of the customers' margin that comes from
    ``margin_rate_if_unknown`` rather than from the data (1.0 when the orders
    carry no margin at all).
    """

    customers: int
    capacity: int
    median_margin: float | None
    margin_per_rep: float | None
    rep_cost: float
    ratio: float | None
    assumed_share: float

    def copy(self, deep: bool = False) -> RepCover:
        """Itself: it is frozen (the workbook hands out copies of what it remembers)."""
        return self

    @property
    def margin_assumed(self) -> bool:
        """Whether most of the margin is the params' assumed rate rather than the data's."""
        return self.assumed_share > 0.5

    @property
    def covers(self) -> bool | None:
        """Whether one rep's customers bring at least the rep's cost (None when unknown)."""
        return None if self.ratio is None else self.ratio >= 1


def rep_cover_of(customers: pd.DataFrame, assumptions, sums: pd.DataFrame | None = None) -> RepCover:
    """The rep-cover test for classified customers (column ``to_manage``).

    Parameters
    ----------
    customers : DataFrame
        Classified customers (:func:`smartacct_helpers.small_customers.analysis.classify`).
    assumptions : Assumptions
    sums : DataFrame, optional
        The window sums (``revenue_without_margin``) of
        :func:`smartacct_helpers.facts.cost_to_serve.window_sums`.

    Examples
    --------
    Three customers to manage with margins 100, 300 and 200 (median 200) and
    one field customer; 400 per rep, a rep at 65,000: 80,000 / 65,000.

    >>> from smartacct_helpers.assumptions import Assumptions
    >>> c = pd.DataFrame({"customer_id": list("abcd"), "revenue_12m": [400.0, 1200.0, 800.0, 9e4],
    ...                   "contribution_margin_12m": [100.0, 300.0, 200.0, 2e4],
    ...                   "to_manage": [True, True, True, False]})
    >>> r = rep_cover_of(c, Assumptions())
    >>> r.median_margin, r.margin_per_rep, round(r.ratio, 4), r.assumed_share
    (200.0, 80000.0, 1.2308, 0.0)
    """
    managed = customers[customers["to_manage"].astype(bool)]
    capacity = middle_capacity(assumptions.inside_rep_capacity)
    rep_cost = float(assumptions.inside_rep_annual_cost)
    if managed.empty:
        return RepCover(0, capacity, None, None, rep_cost, None, 0.0)
    rate = assumptions.margin_rate_if_unknown
    margin = customer_margin(managed, rate, sums)
    median = float(np.median(margin.to_numpy(dtype="float64")))
    if "contribution_margin_12m" not in managed:
        assumed = 1.0
    else:
        known = managed["contribution_margin_12m"].astype("float64").fillna(0.0)
        from_rate = (margin - known).abs().sum()
        total = margin.abs().sum()
        assumed = float(from_rate / total) if total > 0 else 0.0
    return RepCover(
        customers=len(managed),
        capacity=capacity,
        median_margin=median,
        margin_per_rep=capacity * median,
        rep_cost=rep_cost,
        ratio=rep_cover_ratio(capacity, median, rep_cost),
        assumed_share=assumed,
    )


def rep_cover(workbook, assumptions=None) -> RepCover:
    """:func:`rep_cover_of` the workbook's classified customers, remembered per value of the assumptions."""

    def compute(a):
        return rep_cover_of(classify(workbook, a), a, window_sums_of(workbook))

    return workbook.remembered("rep_cover", compute, assumptions)


def rep_cover_figures(workbook, classified: pd.DataFrame | None = None) -> dict:
    """``rep_cover_ratio`` for ``summary.json``; None with its reason when no customer is to manage."""
    from ..facts.coverage import LIMITED

    if classified is None:
        cover = rep_cover(workbook)
    else:
        cover = rep_cover_of(classified, workbook.assumptions, window_sums_of(workbook))
    if cover.ratio is None:
        return {"rep_cover_ratio": None, LIMITED: {"rep_cover_ratio": NO_CUSTOMERS}}
    return {"rep_cover_ratio": float(cover.ratio)}
