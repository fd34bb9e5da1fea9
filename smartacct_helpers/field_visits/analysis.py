"""What a field visit costs, and from which revenue it pays (docs/method.md section 2).

Also: the visit cost built up from the parts of the rep's cost, the
management cost at several visit frequencies, the threshold's sensitivity
to the cost ratio and the visits, who falls below it by ABC class, and a
visit cost that grows with the distance to the customer.

Examples
--------
With the defaults: an outside rep costing 110,000 EUR a year, 200 working
days with 4 visits each (smartacct defaults), 5 visits per customer and
year and sales costs of at most 8 % of revenue (from the article: 4 to 6
visits, at most 8 %). The visit cost is the one of the cost to serve
(:func:`smartacct_helpers.facts.cost_to_serve.visit_cost`):

>>> visit_cost(110_000, 200, 4)
137.5
>>> management_cost_per_customer(137.5, 5)
687.5
>>> sales_threshold(687.5, 0.08)
8593.75
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..facts.cost_to_serve import visit_cost


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


# -- the cost of a visit, built up from its parts ---------------------------------------------------------------

COST_PARTS_LABELS = {
    "salary": "salary",
    "social_charges": "social charges",
    "car": "car",
    "travel": "travel",
    "expenses": "expenses",
}
DISTANCE_PARTS = ("car", "travel")


def scaled_cost_parts(parts: dict[str, float], annual_cost: float) -> dict[str, float]:
    """The parts of a rep's annual cost, scaled so that they add up to ``annual_cost``.

    ``annual_cost`` (``outside_rep_annual_cost``) stays the one number the
    visit cost is computed from; the parts only say how it splits. With the
    default parts (65,000 + 13,500 + 12,000 + 11,500 + 8,000 = 110,000) and the
    default annual cost the scale is 1.

    >>> scaled_cost_parts({"salary": 3, "car": 1}, 100_000)
    {'salary': 75000.0, 'car': 25000.0}
    """
    if not parts:
        return {"total": float(annual_cost)}
    if any(v < 0 for v in parts.values()):
        raise ValueError("outside_rep_cost_parts: every part must be zero or more")
    total = sum(parts.values())
    if total <= 0:
        raise ValueError("outside_rep_cost_parts must add up to more than zero")
    return {k: annual_cost * v / total for k, v in parts.items()}


def visit_cost_breakdown(assumptions) -> pd.DataFrame:
    """The visit cost built up from the parts of the outside rep's annual cost.

    Returns
    -------
    DataFrame
        One row per part plus ``total``, indexed by the part's name, with
        ``annual_cost``, ``per_visit`` (annual cost over working days x
        visits per day) and ``share`` of the total.

    Examples
    --------
    >>> from smartacct_helpers.params import Assumptions
    >>> t = visit_cost_breakdown(Assumptions())
    >>> float(t.loc["salary", "per_visit"]), float(t.loc["total", "per_visit"])   # 65,000 / 800, 110,000 / 800
    (81.25, 137.5)
    """
    a = assumptions
    parts = scaled_cost_parts(a.outside_rep_cost_parts, a.outside_rep_annual_cost)
    visits = a.working_days * a.visits_per_day
    rows = {COST_PARTS_LABELS.get(k, k.replace("_", " ")): v for k, v in parts.items()}
    out = pd.DataFrame({"annual_cost": pd.Series(rows, dtype="float64")})
    out.loc["total", "annual_cost"] = a.outside_rep_annual_cost
    out["per_visit"] = out["annual_cost"] / visits
    out["share"] = out["annual_cost"] / a.outside_rep_annual_cost
    out.index.name = "part"
    return out


def management_cost_table(assumptions, visits=(4, 5, 6)) -> pd.DataFrame:
    """Annual management cost and sales threshold for several visit frequencies.

    >>> from smartacct_helpers.params import Assumptions
    >>> management_cost_table(Assumptions())["management_cost"].tolist()   # 137.50 x 4, 5, 6
    [550.0, 687.5, 825.0]
    """
    a = assumptions
    cost = visit_cost(a.outside_rep_annual_cost, a.working_days, a.visits_per_day)
    rows = [
        {
            "visits_per_year": v,
            "visit_cost": cost,
            "management_cost": management_cost_per_customer(cost, v),
            "sales_threshold": sales_threshold(management_cost_per_customer(cost, v), a.max_sales_cost_ratio),
        }
        for v in visits
    ]
    return pd.DataFrame(rows).set_index("visits_per_year")


def threshold_grid(visit_cost_value: float, ratios=None, visits=None) -> pd.DataFrame:
    """Sales threshold for every combination of visits per year (rows) and cost ratio (columns).

    By default the ratio runs from 4 % to 12 % in steps of one point and the
    visits from 2 to 8.

    >>> g = threshold_grid(137.5)
    >>> float(g.loc[5, 0.08])          # 137.50 x 5 / 0.08
    8593.75
    """
    ratios = np.round(np.arange(0.04, 0.1201, 0.01), 4) if ratios is None else np.asarray(ratios, dtype=float)
    visits = np.arange(2, 9) if visits is None else np.asarray(visits)
    if np.any(ratios <= 0) or np.any(ratios >= 1):
        raise ValueError("every ratio must lie between 0 and 1")
    values = np.outer(visits * visit_cost_value, 1.0 / ratios)
    out = pd.DataFrame(
        values, index=pd.Index(visits, name="visits_per_year"), columns=pd.Index(ratios, name="max_sales_cost_ratio")
    )
    return out


def customers_below_grid(revenue: pd.Series, grid: pd.DataFrame) -> pd.DataFrame:
    """How many customers' window revenue lies below each threshold of :func:`threshold_grid`.

    >>> g = pd.DataFrame([[100.0, 300.0]], index=[5], columns=[0.1, 0.05])
    >>> customers_below_grid(pd.Series([50.0, 150.0, 250.0]), g).values.tolist()
    [[1, 3]]
    """
    values = np.sort(revenue.to_numpy(dtype="float64"))
    counts = np.searchsorted(values, grid.to_numpy(), side="left")
    return pd.DataFrame(counts, index=grid.index, columns=grid.columns)


def below_threshold_by_abc(classified: pd.DataFrame, below: str = "below_threshold") -> pd.DataFrame:
    """Per ABC class: customers, how many fall below the threshold, and their revenue.

    The revenue of a group of customers counts a customer with negative
    window revenue as zero (:func:`smartacct_helpers.facts.concepts.group_revenue`),
    so the row ``all`` gives the same revenue below the threshold as every
    other place that shows it.

    >>> df = pd.DataFrame({"abc": ["A", "C", "C", "D"], "revenue_12m": [9e4, 500.0, 1e4, -80.0],
    ...                    "below_threshold": [False, True, False, True]})
    >>> t = below_threshold_by_abc(df)
    >>> t["below"].tolist(), float(t.loc["all", "revenue_below"])      # 500 + 0 (the credit note counts as zero)
    ([0, 0, 1, 1, 2], 500.0)
    """
    flag = classified[below].astype(bool)
    revenue = classified["revenue_12m"].astype("float64").fillna(0.0).clip(lower=0.0)
    out = pd.DataFrame(
        {"customers": 1, "below": flag, "revenue_12m": revenue, "revenue_below": revenue.where(flag, 0.0)}
    )
    out = out.groupby(classified["abc"], observed=True).sum().reindex(list("ABCD")).fillna(0)
    total = pd.DataFrame({c: [out[c].sum()] for c in out.columns}, index=["all"])
    out = pd.concat([out, total])
    out["share_below"] = (out["below"] / out["customers"].where(out["customers"] > 0)).fillna(0.0)
    for col in ("customers", "below"):
        out[col] = out[col].astype(int)
    out.index.name = "abc"
    return out


def below_threshold_revenue(classified: pd.DataFrame, below: str = "below_threshold") -> float:
    """The revenue of the customers below the threshold (:func:`~smartacct_helpers.facts.concepts.group_revenue`).

    >>> df = pd.DataFrame({"revenue_12m": [20_000.0, 3_000.0, -250.0], "below_threshold": [False, True, True]})
    >>> below_threshold_revenue(df)      # 3,000 + 0: a customer with net credit notes counts as zero
    3000.0
    """
    from ..facts.concepts import group_revenue

    return group_revenue(classified, classified[below].astype(bool))


def distance_visit_cost(distance_km: pd.Series, assumptions) -> pd.Series:
    """Visit cost per customer where the distance is known; the flat visit cost elsewhere.

    The car and travel parts of the rep's cost are shared out in proportion
    to the distance, the rest (salary, social charges, expenses) equally:
    ``visit cost x (1 - d + d x distance / mean distance)``, where ``d`` is the
    car and travel share of the annual cost and the mean runs over the
    customers with a known distance. The average over those customers is
    therefore the flat visit cost again.

    Examples
    --------
    Car and travel are 23,500 of 110,000 (d = 0.2136). Distances 10 and 30 km
    (mean 20): 137.50 x (1 - d/2) = 122.8125 and 137.50 x (1 + d/2) = 152.1875;
    the unknown distance gets the flat 137.50:

    >>> from smartacct_helpers.params import Assumptions
    >>> distance_visit_cost(pd.Series([10.0, 30.0, None]), Assumptions()).round(4).tolist()
    [122.8125, 152.1875, 137.5]
    """
    a = assumptions
    flat = visit_cost(a.outside_rep_annual_cost, a.working_days, a.visits_per_day)
    parts = scaled_cost_parts(a.outside_rep_cost_parts, a.outside_rep_annual_cost)
    d = sum(parts.get(k, 0.0) for k in DISTANCE_PARTS) / a.outside_rep_annual_cost
    km = pd.to_numeric(distance_km, errors="coerce").astype("float64")
    mean = km.mean()
    if not np.isfinite(mean) or mean <= 0:
        return pd.Series(flat, index=km.index)
    return (flat * (1 - d + d * km / mean)).fillna(flat)


def distance_thresholds(customers: pd.DataFrame, assumptions) -> pd.DataFrame:
    """Visit cost, management cost and sales threshold per customer, by distance.

    Returns
    -------
    DataFrame
        Indexed like ``customers``: ``visit_cost_distance``,
        ``management_cost_distance``, ``sales_threshold_distance`` and
        ``below_threshold_distance`` (window revenue below it).
    """
    a = assumptions
    km = customers["distance_km"] if "distance_km" in customers else pd.Series(np.nan, index=customers.index)
    cost = distance_visit_cost(km, a)
    management = cost * a.visits_per_customer_year
    threshold = management / a.max_sales_cost_ratio
    return pd.DataFrame(
        {
            "visit_cost_distance": cost,
            "management_cost_distance": management,
            "sales_threshold_distance": threshold,
            "below_threshold_distance": customers["revenue_12m"] < threshold,
        },
        index=customers.index,
    )


def customers_by_distance(classified: pd.DataFrame, assumptions) -> pd.DataFrame:
    """The customers with their visit cost, management cost and threshold by distance (:func:`distance_thresholds`)."""
    return classified.join(distance_thresholds(classified, assumptions))


def distance_changes(by_distance: pd.DataFrame) -> dict[str, int]:
    """How many customers fall below the flat threshold and below their own, and how many switch.

    ``joined`` are below their own threshold only (far customers), ``left``
    below the flat one only (near customers).

    >>> df = pd.DataFrame({"below_threshold": [True, True, False, False],
    ...                    "below_threshold_distance": [True, False, True, False]})
    >>> distance_changes(df)
    {'flat': 2, 'by_distance': 2, 'joined': 1, 'left': 1}
    """
    flat = by_distance["below_threshold"].astype(bool)
    own = by_distance["below_threshold_distance"].astype(bool)
    return {
        "flat": int(flat.sum()),
        "by_distance": int(own.sum()),
        "joined": int((own & ~flat).sum()),
        "left": int((~own & flat).sum()),
    }
