"""The worst case: losing the largest accounts, or any chosen set.

Revenue and contribution margin lost, the fixed costs the remaining margin
no longer covers, and how many smart accounts at their average margin would
replace the margin lost.
"""

from __future__ import annotations

import math

import pandas as pd

from .candidates import _margin, name_of


def loss_scenario(
    customers: pd.DataFrame,
    lost_ids,
    fixed_costs: float | None = None,
    replacement_margin: float | None = None,
    margin_rate_if_unknown: float = 0.25,
) -> dict:
    """What losing the customers ``lost_ids`` does to revenue, margin and the fixed-cost cover.

    Revenue is counted as positive revenue (a customer with only credit notes
    loses nothing), so losing customers never raises the remaining revenue.
    The margin is counted as it is: losing a loss-making customer raises the
    remaining margin.

    Parameters
    ----------
    customers : DataFrame
        ``customer_id, revenue_12m`` and ``contribution_margin_12m``.
    lost_ids : iterable of str
    fixed_costs : float, optional
        Annual fixed costs the contribution margin has to cover.
    replacement_margin : float, optional
        Average annual contribution margin of one replacement customer (a
        smart account).

    Returns
    -------
    dict
        ``customers_lost``, ``revenue_lost``, ``revenue_lost_share``,
        ``revenue_remaining``, ``margin_lost``, ``margin_lost_share``,
        ``margin_remaining``, ``fixed_costs``, ``result_before`` (margin -
        fixed costs), ``result_after``, ``fixed_costs_not_covered`` (fixed
        costs above the remaining margin, at least 0) and
        ``replacements_needed`` (margin lost / replacement margin, rounded
        up; 0 when no margin is lost).

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abc"), "revenue_12m": [600.0, 300.0, 100.0],
    ...                    "contribution_margin_12m": [60.0, 60.0, 30.0]})
    >>> r = loss_scenario(df, ["a"], fixed_costs=120.0, replacement_margin=25.0)
    >>> r["revenue_lost_share"], r["margin_lost"], r["fixed_costs_not_covered"], r["replacements_needed"]
    (0.6, 60.0, 30.0, 3)
    """
    lost = set(str(x) for x in lost_ids)
    ids = customers["customer_id"].astype(str)
    mask = ids.isin(lost)
    revenue = customers["revenue_12m"].astype(float).clip(lower=0)
    margin = _margin(customers, margin_rate_if_unknown)
    revenue_total, margin_total = float(revenue.sum()), float(margin.sum())
    revenue_lost, margin_lost = float(revenue[mask].sum()), float(margin[mask].sum())
    nan = float("nan")
    fixed = nan if fixed_costs is None else float(fixed_costs)
    margin_remaining = margin_total - margin_lost
    if replacement_margin is None or not replacement_margin > 0:
        replacements = nan if margin_lost > 0 else 0
    else:
        replacements = math.ceil(margin_lost / replacement_margin - 1e-9) if margin_lost > 0 else 0
    return {
        "customers_lost": int(mask.sum()),
        "revenue_lost": revenue_lost,
        "revenue_lost_share": revenue_lost / revenue_total if revenue_total > 0 else nan,
        "revenue_remaining": revenue_total - revenue_lost,
        "margin_lost": margin_lost,
        "margin_lost_share": margin_lost / margin_total if margin_total > 0 else nan,
        "margin_remaining": margin_remaining,
        "fixed_costs": fixed,
        "result_before": margin_total - fixed,
        "result_after": margin_remaining - fixed,
        "fixed_costs_not_covered": max(0.0, fixed - margin_remaining) if fixed == fixed else nan,
        "replacements_needed": replacements,
    }


def largest_customers(customers: pd.DataFrame, k: int, by: str = "revenue_12m") -> list[str]:
    """Ids of the ``k`` largest customers by ``by`` (ties by customer id); only customers with ``by`` above zero."""
    df = customers.loc[customers[by] > 0, ["customer_id", by]].nlargest(k, by, keep="all")  # with ties at the k-th
    df = df.sort_values([by, "customer_id"], ascending=[False, True], kind="stable")
    return df["customer_id"].astype(str).head(k).tolist()


def worst_case_table(
    customers: pd.DataFrame,
    k_max: int = 5,
    by: str = "revenue_12m",
    fixed_costs: float | None = None,
    replacement_margin: float | None = None,
    margin_rate_if_unknown: float = 0.25,
) -> pd.DataFrame:
    """:func:`loss_scenario` for losing the top 1, 2, ..., ``k_max`` customers by ``by``.

    Only customers with ``by`` above zero count, so a table may have fewer
    than ``k_max`` rows.

    Returns
    -------
    DataFrame
        Index ``k`` (1..k_max); ``accounts_lost`` (the names or ids of the
        lost customers, largest first) and the scenario's figures.
    """
    names = customers.set_index(customers["customer_id"].astype(str))["name"] if "name" in customers else None
    rows = []
    k_max = min(k_max, int((customers[by] > 0).sum()))
    for k in range(1, k_max + 1):
        ids = largest_customers(customers, k, by)
        row = {"k": k, "accounts_lost": ", ".join(name_of(names, i) for i in ids)}
        row |= loss_scenario(customers, ids, fixed_costs, replacement_margin, margin_rate_if_unknown)
        rows.append(row)
    if not rows:
        columns = [
            "accounts_lost",
            *loss_scenario(customers, [], fixed_costs, replacement_margin, margin_rate_if_unknown),
        ]
        return pd.DataFrame(columns=columns, index=pd.Index([], name="k", dtype=int))
    return pd.DataFrame(rows).set_index("k")


def smart_account_margin(classified: pd.DataFrame, margin_rate_if_unknown: float = 0.25) -> float:
    """Average contribution margin of the last 12 months over the smart accounts (NaN if none)."""
    smart = classified[classified["smart_account"].astype(bool)]
    if smart.empty:
        return float("nan")
    return float(_margin(smart, margin_rate_if_unknown).mean())
