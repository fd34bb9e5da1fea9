"""How much the customers could buy (METHOD.md section 3).

Two ways to estimate a customer's potential:

* industry method, for homogeneous trades: employees x the installable value
  per employee and year of the customer's industry;
* historic peak, for everybody else: the best calendar-year revenue of the
  last years.

The potential is never below what the customer bought in the window. Share of
wallet is the window revenue over the potential (0 to 1); the gap is what is
left.

Examples
--------
The practitioner article's electricians: 3 employees x 9,000 EUR each.

>>> industry_potential(3, 9_000)
27000
>>> 4_000 * industry_potential(3, 9_000)
108000000
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .columns import labelled, looked_up


def industry_potential(employees, value_per_employee):
    """Employees x installable value per employee (scalars or arrays)."""
    return employees * value_per_employee


def historic_peak(yearly: pd.DataFrame, reference_date: dt.date, years: int = 5) -> pd.Series:
    """Highest calendar-year revenue per customer in the ``years`` up to the reference date.

    Parameters
    ----------
    yearly : DataFrame
        ``customer_id, year, revenue`` (from :func:`smartacct_helpers.facts.yearly_facts`).
    reference_date : date
    years : int
        Calendar years ``reference_date.year - years + 1`` to ``reference_date.year``.

    Examples
    --------
    >>> y = pd.DataFrame({"customer_id": ["1", "1", "1"], "year": [2019, 2022, 2025],
    ...                   "revenue": [900.0, 400.0, 300.0]})
    >>> historic_peak(y, dt.date(2025, 12, 31), 5).tolist()   # 2019 lies outside 2021-2025
    [400.0]
    """
    first = reference_date.year - years + 1
    recent = yearly[(yearly["year"] >= first) & (yearly["year"] <= reference_date.year)]
    return recent.groupby("customer_id")["revenue"].max().clip(lower=0).rename("potential_history")


def customer_potential(
    customers: pd.DataFrame,
    yearly: pd.DataFrame,
    reference_date: dt.date,
    per_employee: dict[str, float],
    history_years: int = 5,
) -> pd.DataFrame:
    """Potential, method, share of wallet and gap per customer.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id, revenue_12m`` and, where
        known, ``industry`` and ``employees``.
    yearly : DataFrame
        ``customer_id, year, revenue``.
    reference_date : date
    per_employee : dict
        Industry -> installable value per employee and year.
    history_years : int

    Returns
    -------
    DataFrame
        Indexed like ``customers`` with ``potential_industry``,
        ``potential_history``, ``potential``, ``potential_method``
        (``industry`` or ``history``), ``share_of_wallet`` and ``gap``.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "revenue_12m": [5_000.0, 2_000.0],
    ...                   "industry": ["electricians", "industry"], "employees": [3, 50]})
    >>> y = pd.DataFrame({"customer_id": ["1", "2"], "year": [2025, 2024], "revenue": [5_000.0, 8_000.0]})
    >>> out = customer_potential(c, y, dt.date(2025, 12, 31), {"electricians": 9_000})
    >>> out["potential"].tolist(), out["share_of_wallet"].round(4).tolist()
    ([27000.0, 8000.0], [0.1852, 0.25])
    """
    window = customers["revenue_12m"].astype("float64")
    industry_value = np.nan
    if "industry" in customers and "employees" in customers:
        value = customers["industry"].map(per_employee).astype("float64")
        industry_value = industry_potential(customers["employees"].astype("float64"), value)
    by_industry = pd.Series(industry_value, index=customers.index, dtype="float64")
    peak = looked_up(customers["customer_id"], historic_peak(yearly, reference_date, history_years)).astype("float64")
    use_industry = by_industry.notna()
    raw = by_industry.where(use_industry, peak).fillna(0.0)
    potential = np.maximum(raw, window.clip(lower=0))
    share = (window.clip(lower=0) / potential.where(potential > 0)).clip(upper=1.0).fillna(0.0)
    return pd.DataFrame(
        {
            "potential_industry": by_industry,
            "potential_history": peak.fillna(0.0),
            "potential": potential,
            "potential_method": labelled(use_industry.to_numpy().astype(int), ["history", "industry"],
                                         customers.index),
            "share_of_wallet": share,
            "gap": (potential - window.clip(lower=0)).clip(lower=0),
        },
        index=customers.index,
    )


# -- potential by group, both methods side by side, contribution-margin potential ---------------------------------


def industry_example(employees: float, value_per_employee: float, customers: int) -> pd.DataFrame:
    """The industry method step by step, as in the practitioner article.

    >>> t = industry_example(3, 9_000, 4_000)
    >>> t["value"].tolist()
    [3.0, 9000.0, 27000.0, 4000.0, 108000000.0]
    """
    per_customer = industry_potential(employees, value_per_employee)
    return pd.DataFrame({
        "step": ["employees per customer", "installable value per employee and year", "potential per customer",
                 "customers", "potential of the group"],
        "value": [float(employees), float(value_per_employee), float(per_customer), float(customers),
                  float(per_customer * customers)],
    }).set_index("step")


def methods_side_by_side(classified: pd.DataFrame) -> pd.DataFrame:
    """Per industry, for customers where both methods give a figure: the two potentials compared.

    Returns
    -------
    DataFrame
        Indexed by industry: ``customers``, ``potential_industry``,
        ``potential_history`` (sums) and ``ratio`` (industry over history).

    Examples
    --------
    >>> df = pd.DataFrame({"industry": ["e", "e", "x"], "potential_industry": [27_000.0, 18_000.0, np.nan],
    ...                    "potential_history": [9_000.0, 6_000.0, 5_000.0]})
    >>> methods_side_by_side(df)["ratio"].tolist()      # 45,000 / 15,000
    [3.0]
    """
    both = classified[classified["potential_industry"].notna() & (classified["potential_history"] > 0)]
    out = both.groupby("industry").agg(
        customers=("potential_industry", "size"),
        potential_industry=("potential_industry", "sum"),
        potential_history=("potential_history", "sum"),
    )
    out["ratio"] = out["potential_industry"] / out["potential_history"]
    return out.sort_values("potential_industry", ascending=False)


def margin_rate(df: pd.DataFrame, fallback: float) -> float:
    """Contribution margin over revenue of a group of customers (``fallback`` without margins).

    >>> margin_rate(pd.DataFrame({"revenue_12m": [100.0, 300.0], "contribution_margin_12m": [40.0, 60.0]}), 0.25)
    0.25
    """
    if "contribution_margin_12m" not in df:
        return fallback
    revenue = df["revenue_12m"].sum()
    return float(df["contribution_margin_12m"].sum() / revenue) if revenue > 0 else fallback


def potential_by(classified: pd.DataFrame, by: str, fallback_margin_rate: float = 0.25) -> pd.DataFrame:
    """Revenue, potential, gap, share of wallet and contribution-margin potential per group.

    ``share_of_wallet`` is the group's window revenue over its potential,
    ``median_share_of_wallet`` the median of the customers' own shares;
    ``margin_rate`` is the group's contribution margin over its revenue and
    ``margin_potential`` = potential x that rate (``margin_gap`` likewise).

    Examples
    --------
    >>> df = pd.DataFrame({"segment": ["s", "s"], "revenue_12m": [1_000.0, 3_000.0],
    ...                    "contribution_margin_12m": [400.0, 800.0], "potential": [10_000.0, 6_000.0],
    ...                    "gap": [9_000.0, 3_000.0], "share_of_wallet": [0.1, 0.5]})
    >>> t = potential_by(df, "segment")
    >>> t.loc["s", ["share_of_wallet", "margin_rate", "margin_potential"]].tolist()  # 4k / 16k, 1.2k / 4k, 16k x .3
    [0.25, 0.3, 4800.0]
    """
    has_margin = "contribution_margin_12m" in classified
    values = classified[["revenue_12m", "potential", "gap"] + (["contribution_margin_12m"] if has_margin else [])]
    groups = values.assign(positive_revenue=classified["revenue_12m"].clip(lower=0)).groupby(classified[by], observed=True)
    sums = groups.sum()
    if has_margin:
        revenue = sums["revenue_12m"]
        rate = (sums["contribution_margin_12m"] / revenue.where(revenue > 0)).fillna(fallback_margin_rate)
    else:
        rate = pd.Series(fallback_margin_rate, index=sums.index, dtype="float64")
    out = pd.DataFrame({
        "customers": groups.size(),
        "revenue_12m": sums["revenue_12m"],
        "potential": sums["potential"],
        "gap": sums["gap"],
        "share_of_wallet": (sums["positive_revenue"] / sums["potential"].where(sums["potential"] > 0)).fillna(0.0),
        "median_share_of_wallet": classified["share_of_wallet"].groupby(classified[by], observed=True).median(),
        "margin_rate": rate,
        "margin_potential": sums["potential"] * rate,
        "margin_gap": sums["gap"] * rate,
    })
    out.index.name = by
    return out.sort_values("potential", ascending=False, kind="stable")


def develop_vs_small(classified: pd.DataFrame, fallback_margin_rate: float = 0.25) -> pd.DataFrame:
    """The "develop" cluster (high potential, low share of wallet) next to the truly small customers."""
    part = classified[classified["segment"].isin(["develop", "small"])]
    return potential_by(part, "segment", fallback_margin_rate).reindex(["develop", "small"]).dropna(how="all")
