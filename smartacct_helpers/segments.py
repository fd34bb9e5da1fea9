"""Who the small customers are (METHOD.md section 1).

* ABC classes by cumulative share of window revenue (and of contribution
  margin where the data has it); D = nothing bought in the window.
* The CRM rule (no field visit in the window) and the ERP rule (no purchase
  in the window, or revenue below the sales threshold).
* Potential customers are kept apart: a low share of wallet with a high
  potential makes a customer "develop", not "small".
* The five groups of the C segment, and the smart accounts: small customers
  with a rising revenue trend that are profitable after the cost to serve.

Examples
--------
Revenues 60, 25, 10, 5 (total 100). The share of all customers before each is
0, .60, .85, .95; A while below .80, B while below .95, else C:

>>> import pandas as pd
>>> abc_classes(pd.Series([60.0, 25.0, 10.0, 5.0], index=list("wxyz"))).tolist()
['A', 'A', 'B', 'C']
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .columns import labelled
from .costing import field_economics
from .facts import months_before

SEGMENTS = ["field", "develop", "small", "lapsed"]
SEGMENT_LABELS = {
    "field": "field sales (above the sales threshold)",
    "develop": "develop (high potential, low share of wallet)",
    "small": "small customers to manage",
    "lapsed": "lapsed (no order in the active window)",
}
C_GROUPS = {
    "many_small_orders": "many small orders, low potential",
    "high_potential_low_share": "high potential, low share of wallet",
    "visits_not_paying": "field visits do not pay for themselves",
    "little_competition": "little competitor activity",
    "no_procurement_power": "no procurement power",
}


def abc_classes(values: pd.Series, a: float = 0.80, b: float = 0.95) -> pd.Series:
    """ABC class per entry of ``values`` (indexed by customer id).

    Entries with a value above zero are sorted descending (ties by index). An
    entry is A while the share of all entries before it is below ``a``, B
    while below ``b``, else C. Entries of zero or less are D.
    """
    v = values.to_numpy(dtype="float64", na_value=0.0)
    by_key = np.arange(len(v)) if values.index.is_monotonic_increasing else values.index.argsort(kind="stable")
    by_key = by_key[v[by_key] > 0]
    ranked = by_key[np.argsort(-v[by_key], kind="stable")]
    ranked_values = v[ranked]
    before = (np.cumsum(ranked_values) - ranked_values) / ranked_values.sum() if len(ranked) else ranked_values
    classes = np.full(len(v), 3)   # the positions of A, B, C and D in "ABCD"
    classes[ranked] = np.where(before < a, 0, np.where(before < b, 1, 2))
    return labelled(classes, "ABCD", values.index)


def abc_columns(customers: pd.DataFrame, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """The ABC class of each customer by window revenue (``abc``) and, where margins exist, by margin (``abc_margin``).

    Ties are broken by customer id. Aligned with ``customers``.

    >>> c = pd.DataFrame({"customer_id": ["1", "2", "3"], "revenue_12m": [10.0, 90.0, 0.0]})
    >>> abc_columns(c)["abc"].tolist()
    ['B', 'A', 'D']
    """
    ids = pd.Index(customers["customer_id"])  # one index for both: pandas finds once whether it is sorted
    out = {"abc": abc_classes(customers["revenue_12m"].set_axis(ids), a, b).array}
    if "contribution_margin_12m" in customers:
        out["abc_margin"] = abc_classes(customers["contribution_margin_12m"].set_axis(ids), a, b).array
    return pd.DataFrame(out, index=customers.index)


def revenue_trend(customers: pd.DataFrame, years: int) -> pd.Series:
    """Slope of the yearly revenue over the last ``years`` 12-month windows (EUR per year).

    Uses the columns ``revenue_12m`` (latest), ``revenue_12m_1``, ... A
    least-squares line through the points; positive means growing.

    >>> df = pd.DataFrame({"revenue_12m": [300.0], "revenue_12m_1": [200.0], "revenue_12m_2": [100.0]})
    >>> revenue_trend(df, 3).tolist()
    [100.0]
    """
    cols = ["revenue_12m"] + [f"revenue_12m_{k}" for k in range(1, years)]
    y = customers[cols].to_numpy(dtype="float64")[:, ::-1]  # oldest first
    x = np.arange(years, dtype="float64")
    x = x - x.mean()
    slope = (y - y.mean(axis=1, keepdims=True)) @ x / (x @ x)
    return pd.Series(slope, index=customers.index)


def classify_customers(
    customers: pd.DataFrame,
    assumptions,
    reference_date: dt.date,
    potential: pd.DataFrame | None = None,
    abc: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every customer with its ABC classes, rules, segment, C groups and smart-account flag.

    Parameters
    ----------
    customers : DataFrame
        The customer facts (:func:`smartacct_helpers.facts.customer_facts`).
    assumptions : Assumptions
        From the params.
    reference_date : date
    potential : DataFrame, optional
        From :func:`smartacct_helpers.potential.customer_potential`; needed
        for "develop" and the potential-based C groups.
    abc : DataFrame, optional
        From :func:`abc_columns` with the assumptions' limits; computed when
        not given.

    Returns
    -------
    DataFrame
        The input columns plus ``abc``, ``abc_margin`` (where margins exist),
        ``no_field_visit_12m`` (CRM rule), ``no_purchase_or_below_threshold``
        (ERP rule), ``below_threshold``, ``active``, ``to_manage``,
        ``segment``, one boolean column per C group, ``cost_to_serve_12m``,
        ``profit_after_cost_to_serve_12m``, ``revenue_trend`` and
        ``smart_account``.
    """
    econ = field_economics(assumptions)
    df = customers if potential is None else customers.join(potential)
    if abc is None:
        abc = abc_columns(customers, assumptions.abc.a, assumptions.abc.b)
    df = df.join(abc)
    revenue = df["revenue_12m"]
    margin = df["contribution_margin_12m"] if "abc_margin" in df else revenue * assumptions.margin_rate_if_unknown

    visits = df["visits_12m"] if "visits_12m" in df else pd.Series(0, index=df.index)
    df["no_field_visit_12m"] = visits == 0
    df["below_threshold"] = revenue < econ.sales_threshold
    df["no_purchase_or_below_threshold"] = (df["orders_12m"] == 0) | df["below_threshold"]
    active_since = pd.Timestamp(months_before(reference_date, assumptions.active_window_months))
    df["active"] = df["last_order"].notna() & (df["last_order"] > active_since)
    df["to_manage"] = df["below_threshold"] & df["active"]

    if potential is not None:
        high_potential = df["potential"] >= econ.sales_threshold
        low_share = df["share_of_wallet"] < assumptions.develop_max_share_of_wallet
        develop = high_potential & low_share
    else:
        high_potential = develop = pd.Series(False, index=df.index)
    df["segment"] = labelled(np.select([~df["below_threshold"], ~df["active"], develop], [0, 1, 2], default=3),
                             ["field", "lapsed", "develop", "small"], df.index)

    is_c = df["abc"] == "C"
    orders = df["orders_12m"]
    avg_order = revenue / orders.where(orders > 0)
    df["many_small_orders"] = (
        is_c & (orders >= assumptions.many_orders_per_year) & (avg_order < assumptions.small_order_value) & ~high_potential
    )
    df["high_potential_low_share"] = is_c & develop
    df["visits_not_paying"] = is_c & (visits * econ.visit_cost > assumptions.max_sales_cost_ratio * revenue) & (visits > 0)
    df["little_competition"] = is_c & (
        df["competitor_activity"].eq("low").fillna(False) if "competitor_activity" in df else False
    )
    df["no_procurement_power"] = is_c & (
        df["procurement_power"].eq(False).fillna(False) if "procurement_power" in df else False
    )
    for group in C_GROUPS:
        df[group] = df[group].astype(bool)

    df["cost_to_serve_12m"] = visits * econ.visit_cost + orders * assumptions.order_handling_cost
    df["profit_after_cost_to_serve_12m"] = margin - df["cost_to_serve_12m"]
    df["revenue_trend"] = revenue_trend(df, assumptions.trend_years)
    df["smart_account"] = (
        df["segment"].isin(["small", "develop"])
        & (df["revenue_trend"] > 0)
        & (df["profit_after_cost_to_serve_12m"] > 0)
    )
    return df


def segment_summary(classified: pd.DataFrame) -> pd.DataFrame:
    """Customers, window revenue and its share per segment, in a fixed order."""
    total = classified["revenue_12m"].clip(lower=0).sum()
    out = classified.groupby("segment").agg(customers=("customer_id", "size"), revenue_12m=("revenue_12m", "sum"))
    out = out.reindex(SEGMENTS).fillna(0)
    out["revenue_share"] = out["revenue_12m"].clip(lower=0) / total if total > 0 else 0.0
    out.index = [SEGMENT_LABELS[s] for s in out.index]
    out["customers"] = out["customers"].astype(int)
    return out


def c_group_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """How many C customers sit in each of the five groups (a customer may sit in several)."""
    rows = [
        {"group": label, "customers": int(classified[col].sum()), "revenue_12m": classified.loc[classified[col], "revenue_12m"].sum()}
        for col, label in C_GROUPS.items()
    ]
    return pd.DataFrame(rows).set_index("group")


def abc_table(classified: pd.DataFrame, column: str = "abc", value: str = "revenue_12m") -> pd.DataFrame:
    """Customers, value and share of the positive value per class A-D."""
    positive_total = classified.loc[classified[value] > 0, value].sum()
    out = classified.groupby(column).agg(customers=("customer_id", "size"), value=(value, "sum"))
    out = out.reindex(list("ABCD")).fillna(0)
    out["share"] = out["value"].where(out.index != "D", 0) / positive_total if positive_total else 0.0
    out["customers"] = out["customers"].astype(int)
    return out.rename(columns={"value": value})
