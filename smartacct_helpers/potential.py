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
    peak = customers["customer_id"].map(historic_peak(yearly, reference_date, history_years)).astype("float64")
    use_industry = by_industry.notna()
    raw = by_industry.where(use_industry, peak).fillna(0.0)
    potential = np.maximum(raw, window.clip(lower=0))
    share = (window.clip(lower=0) / potential.where(potential > 0)).clip(upper=1.0).fillna(0.0)
    return pd.DataFrame(
        {
            "potential_industry": by_industry,
            "potential_history": peak.fillna(0.0),
            "potential": potential,
            "potential_method": np.where(use_industry, "industry", "history"),
            "share_of_wallet": share,
            "gap": (potential - window.clip(lower=0)).clip(lower=0),
        },
        index=customers.index,
    )
