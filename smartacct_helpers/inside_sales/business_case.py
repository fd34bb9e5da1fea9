"""How many inside-sales reps the small customers need, and whether they pay (docs/method.md section 4).

* headcount: customers to manage over the customers one rep can manage, rounded up;
* cost per year: reps, project manager, systems (internal team) or the
  provider's price per rep-month plus the project manager (external);
  a one-off set-up for the internal team;
* benefit per year at full effect: uplift on the gap x margin rate, churn
  avoided, field time freed; reached linearly over the ramp-up months;
* over the horizon: ROI, payback month, break-even uplift, the cumulative
  cash curve; three scenarios; a seeded Monte Carlo over uplift, churn
  reduction and ramp-up.

Examples
--------
>>> headcount(1200, 400)
3
>>> headcount(1201, 400)
4
>>> headcount_by_capacity(4000, [350, 400, 450])
{'350': 12, '400': 10, '450': 9}
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..facts.concepts import group_revenue
from ..facts.cost_to_serve import cost_to_serve_of
from ..field_visits.analysis import field_economics
from ..small_customers.analysis import classify

# the churn seen in the data lives in .churn; these names stay importable from here
from .churn import churn_year as churn_year
from .churn import observed_churn as observed_churn
from .churn import observed_churn_rate as observed_churn_rate


def headcount(customers_to_manage: int, customers_per_rep: int) -> int:
    """Reps needed so that nobody manages more than ``customers_per_rep`` customers."""
    if customers_per_rep <= 0:
        raise ValueError("customers_per_rep must be positive")
    return math.ceil(customers_to_manage / customers_per_rep)


def headcount_by_capacity(customers_to_manage: int, capacities) -> dict[str, int]:
    """Headcount for each capacity, keyed by the capacity as text (as in summary.json)."""
    return {str(c): headcount(customers_to_manage, c) for c in capacities}


# -- the business case: cost, benefit, ROI, payback ------------------------------------------------------------

SCENARIOS = ("pessimistic", "base", "optimistic")
PROVIDERS = ("internal", "external")


def middle_capacity(capacities) -> int:
    """The middle of the capacities (sorted), e.g. 400 of 350 / 400 / 450.

    >>> middle_capacity([450, 350, 400])
    400
    """
    caps = sorted(capacities)
    return int(caps[len(caps) // 2])


@dataclass(frozen=True)
class CaseInputs:
    """What the data says about the customers an inside-sales team would manage.

    Attributes
    ----------
    customers : int
        Customers to manage (below the sales threshold, active).
    revenue : float
        Their revenue (:func:`smartacct_helpers.facts.concepts.group_revenue`: a
        customer with negative window revenue counts as zero).
    gap : float
        Sum of their gaps (potential - window revenue), over those whose
        potential is known.
    margin_rate : float
        Their contribution margin over their revenue (the params' rate where
        the data has no margin).
    field_visits : float
        Field visits they received in the window.
    visit_cost : float
        Cost of one field visit.
    with_potential : int or None
        How many of them have a known potential (None: all).
    margin_assumed : bool
        Whether ``margin_rate`` is the params' ``margin_rate_if_unknown``.
    visits_known : bool
        Whether the data has field visits (CRM activities).
    """

    customers: int
    revenue: float
    gap: float
    margin_rate: float
    field_visits: float
    visit_cost: float
    with_potential: int | None = None
    margin_assumed: bool = False
    visits_known: bool = True

    @property
    def gap_known(self) -> bool:
        """Whether any customer to manage has a known potential, so that the uplift on the gap can be reckoned."""
        return self.customers > 0 and (self.with_potential is None or self.with_potential > 0)


def case_inputs(
    classified: pd.DataFrame, assumptions, margin_known: bool = True, margin: pd.Series | None = None
) -> CaseInputs:
    """The business-case inputs from the classified customers (``to_manage`` ones).

    The margin rate is their contribution margin over their net revenue
    (credit notes included); without a margin in the data
    (``margin_known=False`` or no ``contribution_margin_12m``), or without
    positive net revenue, it is the params' ``margin_rate_if_unknown``. A
    customer whose potential is unknown adds nothing to the gap.
    ``margin``: each customer's margin where given (aligned with
    ``classified``), the workbook's one margin with the rate for the lines
    that carry none (:func:`smartacct_helpers.facts.cost_to_serve.customer_margin`);
    else ``contribution_margin_12m``.

    >>> from smartacct_helpers.params import Assumptions
    >>> df = pd.DataFrame({"to_manage": [True, True, False], "revenue_12m": [1_000.0, -200.0, 9_000.0],
    ...                    "potential": [5_000.0, None, 9_000.0], "gap": [4_000.0, None, 0.0]})
    >>> i = case_inputs(df, Assumptions())
    >>> i.revenue, i.gap, i.with_potential, i.margin_rate, i.margin_assumed    # 1,000 + 0 (the credit note)
    (1000.0, 4000.0, 1, 0.25, True)
    """
    managed = classified["to_manage"].to_numpy(dtype=bool)

    def values(column: str) -> np.ndarray:  # the managed rows' values, no copy of the rows
        return classified[column].to_numpy(dtype="float64", na_value=np.nan)[managed]

    revenue = group_revenue(classified, managed)
    net = float(np.nansum(values("revenue_12m")))
    if margin is not None:
        margin = margin.to_numpy(dtype="float64", na_value=np.nan)[managed] if margin_known else None
    elif margin_known and "contribution_margin_12m" in classified:
        margin = values("contribution_margin_12m")
    assumed = margin is None or not np.isfinite(margin).any() or net <= 0
    rate = assumptions.margin_rate_if_unknown if assumed else float(np.nansum(margin)) / net
    visits_known = "visits_12m" in classified
    visits = float(np.nansum(values("visits_12m"))) if visits_known else 0.0
    gap = float(np.nansum(values("gap"))) if "gap" in classified else 0.0
    known = int(np.isfinite(values("gap")).sum()) if "gap" in classified else 0
    return CaseInputs(
        int(managed.sum()),
        revenue,
        gap,
        rate,
        visits,
        field_economics(assumptions).visit_cost,
        with_potential=known,
        margin_assumed=assumed,
        visits_known=visits_known,
    )


def margin_in_data(workbook) -> bool:
    """Whether the orders hold a contribution margin on at least one line (a column that is present but empty does not).

    Counted once per workbook (:meth:`~smartacct_helpers.facts.workbook.Workbook.line_counts`).
    """
    counts = workbook.line_counts()
    return bool(counts.get("margin_column")) and counts.get("no_margin", 0) < counts.get("lines", 0)


def workbook_case_inputs(workbook, classified: pd.DataFrame | None = None) -> CaseInputs:
    """:func:`case_inputs` of the workbook's customers, with the assumed margin rate where the orders hold no margin.

    The customers' margins are the workbook's one margin
    (:func:`smartacct_helpers.facts.cost_to_serve.cost_to_serve_of`).
    """
    df = classify(workbook) if classified is None else classified
    return case_inputs(df, workbook.assumptions, margin_in_data(workbook), workbook_margin(workbook, df))


def workbook_margin(workbook, classified: pd.DataFrame, assumptions=None) -> pd.Series | None:
    """Each classified customer's window margin as the cost to serve reckons it.

    None where ``classified`` is not the workbook's customers (its index differs).
    """
    margin = cost_to_serve_of(workbook, assumptions)["contribution_margin_12m"]
    return margin if margin.index.equals(classified.index) else None


def yearly_cost(headcount_: int, assumptions, provider: str = "internal") -> dict[str, float]:
    """The running cost of the team per year at full headcount (one-off set-up excluded).

    Internal: reps x ``inside_rep_annual_cost`` + project manager + systems.
    External: reps x ``external_cost_per_rep_month`` x 12 (systems included
    in the provider's price) + the supplier's own project manager.

    >>> from smartacct_helpers.params import Assumptions
    >>> yearly_cost(10, Assumptions())["total"]          # 10 x 65,000 + 90,000 + 25,000
    765000.0
    >>> yearly_cost(10, Assumptions(), "external")["total"]   # 10 x 6,500 x 12 + 90,000
    870000.0
    """
    a = assumptions
    if provider == "internal":
        reps, systems = headcount_ * a.inside_rep_annual_cost, a.systems_annual_cost
    elif provider == "external":
        reps, systems = headcount_ * a.external_cost_per_rep_month * 12, 0.0
    else:
        raise ValueError(f"provider must be one of {PROVIDERS}, got {provider!r}")
    out = {"reps": float(reps), "project_manager": float(a.project_manager_annual_cost), "systems": float(systems)}
    out["total"] = sum(out.values())
    return out


def yearly_benefit(
    inputs: CaseInputs, uplift: float, churn_rate: float, churn_reduction: float, field_time_value: float
) -> dict[str, float]:
    """The benefit per year at full effect, in contribution margin.

    * uplift: ``uplift`` x the gap x the margin rate;
    * churn avoided: revenue x ``churn_rate`` x ``churn_reduction`` x the margin rate;
    * field time freed: field visits x visit cost x ``field_time_value``.

    >>> i = CaseInputs(1000, 2_000_000.0, 10_000_000.0, 0.3, 400.0, 137.5)
    >>> yearly_benefit(i, 0.04, 0.1, 0.3, 0.5)["total"]   # 120,000 + 18,000 + 27,500
    165500.0
    """
    out = {
        "uplift": uplift * inputs.gap * inputs.margin_rate,
        "churn_avoided": inputs.revenue * churn_rate * churn_reduction * inputs.margin_rate,
        "field_time_freed": inputs.field_visits * inputs.visit_cost * field_time_value,
    }
    out["total"] = sum(out.values())
    return out


def ramp_factor(months: int, ramp_up_months) -> np.ndarray:
    """Share of the full effect reached in months 1..``months``: ``min(month / ramp-up, 1)``.

    ``ramp_up_months`` may be an array (one value per run): the result then
    has one row per run.

    >>> ramp_factor(5, 4).tolist()
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """
    m = np.arange(1, months + 1, dtype="float64")
    r = np.asarray(ramp_up_months, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(r[..., None] > 0, np.minimum(m / r[..., None], 1.0), 1.0)
    return f if r.ndim else f.reshape(months)


def cash_flow(
    annual_benefit: float, annual_cost: float, setup_cost: float, ramp_up_months: float, months: int
) -> pd.DataFrame:
    """Month by month: benefit (ramping up), cost (from month 1, set-up in month 1), net and cumulative.

    >>> cf = cash_flow(120_000, 60_000, 10_000, 2, 3)
    >>> cf["cumulative"].tolist()      # month 1: 5,000 - 5,000 - 10,000; then +5,000; then +5,000
    [-10000.0, -5000.0, 0.0]
    """
    f = ramp_factor(months, ramp_up_months)
    benefit = annual_benefit / 12 * f
    cost = np.full(months, annual_cost / 12)
    cost[0] += setup_cost
    net = benefit - cost
    return pd.DataFrame(
        {"benefit": benefit, "cost": cost, "net": net, "cumulative": np.cumsum(net)},
        index=pd.RangeIndex(1, months + 1, name="month"),
    )


def payback_month(cumulative) -> int | None:
    """The first month (1-based) in which the cumulative net cash is zero or more; None if never.

    >>> payback_month([-3.0, -1.0, 0.5, 2.0])
    3
    >>> payback_month([-3.0, -1.0]) is None
    True
    """
    c = np.asarray(cumulative, dtype="float64")
    hit = np.flatnonzero(c >= -1e-9)
    return int(hit[0]) + 1 if len(hit) else None


def roi(benefit: float, cost: float) -> float:
    """Return on investment: (benefit - cost) / cost.

    >>> roi(150.0, 100.0)
    0.5
    """
    if cost <= 0:
        raise ValueError("cost must be positive for an ROI")
    return (benefit - cost) / cost


def scenario_values(assumptions, scenario: str = "base") -> dict[str, float]:
    """Uplift, churn reduction and ramp-up of a scenario.

    Pessimistic: uplift and churn reduction x (1 - spread), ramp-up x (1 + spread);
    optimistic the other way round (churn reduction at most 1).

    >>> from smartacct_helpers.params import Assumptions
    >>> scenario_values(Assumptions(), "pessimistic")   # 0.04 x 0.5, 0.3 x 0.5, 6 x 1.5
    {'uplift': 0.02, 'churn_reduction': 0.15, 'ramp_up_internal': 9.0, 'ramp_up_external': 4.5}
    """
    a = assumptions
    s = {"pessimistic": -a.scenario_spread, "base": 0.0, "optimistic": a.scenario_spread}.get(scenario)
    if s is None:
        raise ValueError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
    return {
        "uplift": a.revenue_uplift_on_gap * (1 + s),
        "churn_reduction": min(a.churn_reduction * (1 + s), 1.0),
        "ramp_up_internal": a.ramp_up_months * (1 - s),
        "ramp_up_external": a.external_ramp_up_months * (1 - s),
    }


@dataclass(frozen=True)
class BusinessCase:
    """One variant of the business case (capacity, scenario, provider)."""

    capacity: int
    scenario: str
    provider: str
    headcount: int
    uplift: float
    ramp_up_months: float
    cost: dict
    benefit: dict
    setup_cost: float
    cash: pd.DataFrame
    roi: float
    payback_months: int | None
    break_even_uplift: float | None

    @property
    def total_cost(self) -> float:
        return float(self.cash["cost"].sum())

    @property
    def total_benefit(self) -> float:
        return float(self.cash["benefit"].sum())


def _break_even(inputs: CaseInputs, other_benefit_year: float, total_cost: float, ramp_sum: float) -> float | None:
    """Uplift at which the benefit over the horizon equals the cost over it."""
    per_uplift = inputs.gap * inputs.margin_rate / 12 * ramp_sum
    if per_uplift <= 0:
        return None
    return max((total_cost - other_benefit_year / 12 * ramp_sum) / per_uplift, 0.0)


def business_case(
    inputs: CaseInputs, assumptions, capacity: int | None = None, scenario: str = "base", provider: str = "internal"
) -> BusinessCase:
    """Cost, benefit, cash curve, ROI, payback month and break-even uplift of one variant.

    Parameters
    ----------
    inputs : CaseInputs
        From :func:`case_inputs`.
    assumptions : Assumptions
    capacity : int, optional
        Customers per rep; by default the middle capacity.
    scenario : {"pessimistic", "base", "optimistic"}
    provider : {"internal", "external"}

    Notes
    -----
    Everything is reckoned over ``business_case_months``: the running cost
    from month 1 (the set-up cost, internal only, in month 1), the benefit
    growing linearly to full effect over the ramp-up.
    ``roi`` = (benefit - cost) / cost over that horizon; ``payback_months`` =
    the first month with cumulative net cash of zero or more;
    ``break_even_uplift`` = the uplift on the gap at which the ROI is zero.

    Examples
    --------
    >>> from smartacct_helpers.params import Assumptions
    >>> i = CaseInputs(1000, 2_000_000.0, 10_000_000.0, 0.3, 400.0, 137.5)
    >>> bc = business_case(i, Assumptions())
    >>> bc.headcount, bc.cost["total"]                     # ceil(1000 / 400) = 3 reps: 3 x 65,000 + 115,000
    (3, 310000.0)
    """
    a = assumptions
    capacity = middle_capacity(a.inside_rep_capacity) if capacity is None else int(capacity)
    values = scenario_values(a, scenario)
    heads = headcount(inputs.customers, capacity)
    cost = yearly_cost(heads, a, provider)
    benefit = yearly_benefit(
        inputs, values["uplift"], a.churn_rate, values["churn_reduction"], a.field_time_freed_value
    )
    ramp = values["ramp_up_internal" if provider == "internal" else "ramp_up_external"]
    setup = a.setup_cost if provider == "internal" else 0.0
    months = a.business_case_months
    cash = cash_flow(benefit["total"], cost["total"], setup, ramp, months)
    total_cost = float(cash["cost"].sum())
    ramp_sum = float(ramp_factor(months, ramp).sum())
    return BusinessCase(
        capacity=capacity,
        scenario=scenario,
        provider=provider,
        headcount=heads,
        uplift=values["uplift"],
        ramp_up_months=ramp,
        cost=cost,
        benefit=benefit,
        setup_cost=setup,
        cash=cash,
        roi=roi(float(cash["benefit"].sum()), total_cost) if total_cost > 0 else float("nan"),
        payback_months=payback_month(cash["cumulative"]),
        break_even_uplift=_break_even(inputs, benefit["total"] - benefit["uplift"], total_cost, ramp_sum),
    )


def scenario_table(inputs: CaseInputs, assumptions, capacities=None) -> pd.DataFrame:
    """Every scenario x provider x capacity with headcount, yearly cost and benefit, ROI, payback.

    Returns
    -------
    DataFrame
        Columns ``scenario, provider, capacity, headcount, yearly_cost,
        yearly_benefit, total_cost, total_benefit, roi, payback_months,
        break_even_uplift``.
    """
    capacities = assumptions.inside_rep_capacity if capacities is None else capacities
    rows = []
    for scenario in SCENARIOS:
        for provider in PROVIDERS:
            for cap in capacities:
                bc = business_case(inputs, assumptions, cap, scenario, provider)
                rows.append(
                    {
                        "scenario": scenario,
                        "provider": provider,
                        "capacity": cap,
                        "headcount": bc.headcount,
                        "yearly_cost": bc.cost["total"],
                        "yearly_benefit": bc.benefit["total"],
                        "total_cost": bc.total_cost,
                        "total_benefit": bc.total_benefit,
                        "roi": bc.roi,
                        "payback_months": bc.payback_months,
                        "break_even_uplift": bc.break_even_uplift,
                    }
                )
    out = pd.DataFrame(rows)
    out["payback_months"] = out["payback_months"].astype("float64")  # NaN: not within the horizon
    return out


def cash_curves(inputs: CaseInputs, assumptions, capacity: int | None = None) -> pd.DataFrame:
    """Cumulative net cash per month for each provider x scenario (columns ``provider / scenario``)."""
    return pd.DataFrame(
        {
            f"{p} / {s}": business_case(inputs, assumptions, capacity, s, p).cash["cumulative"]
            for p in PROVIDERS
            for s in SCENARIOS
        }
    )
