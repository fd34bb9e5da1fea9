"""Who the small customers are (docs/method.md section 1).

* ABC classes by cumulative share of window revenue (and of contribution
  margin where the data has it); D = nothing bought in the window.
* The CRM rule (no field visit in the window) and the ERP rule (no purchase
  in the window, or revenue below the sales threshold).
* Potential customers are kept apart: a low share of wallet with a high
  potential makes a customer "develop", not "small", where the data backs
  it (docs/method.md section 9): a gap of at least ``develop_min_gap`` (empty:
  the yearly management cost) and a revenue trend that is not falling
  (:func:`develop_evidence`).
* The five groups of the C segment, and the smart accounts: small customers
  with a rising revenue trend whose operating profit (contribution margin
  minus the cost to serve of :mod:`smartacct_helpers.facts.cost_to_serve`)
  is above zero.

What the data cannot tell is not guessed. A customer whose potential is
unknown (too short a history for a historic peak, and no industry and head
count) cannot be shown to be "develop": it stays "small", and it counts as
without a high potential in the C groups. Without the ``trend_years`` of
history the revenue trend is unknown (missing), and no customer is a smart
account for growth the data never showed.

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

from ..arrow import labelled
from ..facts.cost_to_serve import WINDOW_MONTHS, cost_to_serve_table, service_rates, window_sums_of
from ..facts.orders import months_before
from ..field_visits.analysis import field_economics
from ..potential.analysis import potential_of

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
    while below ``b``, else C. Entries of zero or less are D. Money is
    compared to the cent: a customer whose credit notes leave 0.004 is D,
    and two customers whose revenue differs in its last bits tie.

    >>> abc_classes(pd.Series([30.0, 0.004, -0.001, 70.0 + 1e-9], index=list("wxyz"))).tolist()  # 0, .70 before
    ['A', 'D', 'D', 'A']
    """
    v = np.round(values.to_numpy(dtype="float64", na_value=0.0), 2)
    by_key = np.arange(len(v)) if values.index.is_monotonic_increasing else values.index.argsort(kind="stable")
    by_key = by_key[v[by_key] > 0]
    ranked = by_key[np.argsort(-v[by_key], kind="stable")]
    ranked_values = v[ranked]
    before = (np.cumsum(ranked_values) - ranked_values) / ranked_values.sum() if len(ranked) else ranked_values
    classes = np.full(len(v), 3)  # the positions of A, B, C and D in "ABCD"
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


def trend_known(customers: pd.DataFrame, reference_date: dt.date, years: int) -> bool:
    """Whether the data reaches back over the ``years`` 12-month windows of the revenue trend.

    The rule of :func:`smartacct_helpers.facts.coverage.trend_available`, read
    from the customers' first orders (column ``first_order``); customer
    facts without that column are taken as complete.

    >>> c = pd.DataFrame({"first_order": pd.to_datetime(["2024-11-20", "2025-03-01"])})
    >>> trend_known(c, dt.date(2025, 12, 31), 1), trend_known(c, dt.date(2025, 12, 31), 2)
    (True, False)
    """
    from ..facts.coverage import reaches

    if "first_order" not in customers:
        return True
    first = customers["first_order"].min() if len(customers) else None
    if first is None or pd.isna(first):
        return False
    first = first.date() if hasattr(first, "date") else first
    return reaches(first, months_before(reference_date, WINDOW_MONTHS * years) + dt.timedelta(days=1))


def develop_min_gap(assumptions, management_cost_per_customer: float) -> float:
    """The gap to potential that makes a customer's potential material: ``develop_min_gap``, else the management cost.

    >>> class A: develop_min_gap = None
    >>> develop_min_gap(A(), 687.5)
    687.5
    """
    return management_cost_per_customer if assumptions.develop_min_gap is None else float(assumptions.develop_min_gap)


def develop_evidence(df: pd.DataFrame, assumptions, management_cost_per_customer: float) -> pd.Series:
    """Whether the data backs a customer's potential (docs/method.md section 9): a material gap and no falling trend.

    A customer below the sales threshold counts as "develop" only when its
    gap to potential (column ``gap``, else ``potential`` - ``revenue_12m``) is at least :func:`develop_min_gap` and
    its revenue trend (column ``revenue_trend``) is not falling. An unknown
    gap is no material gap. An unknown trend (the data does not reach back
    over the ``trend_years`` windows) is not taken as falling: the gap alone
    decides, as the data shows no decline.

    Examples
    --------
    Management cost 687.50: a gap of 700 is material, one of 500 is not; a
    trend of -10 a year is falling, an unknown one is not.

    >>> class A: develop_min_gap = None
    >>> df = pd.DataFrame({"gap": [700.0, 500.0, 700.0, 700.0, None],
    ...                    "revenue_trend": [0.0, 50.0, -10.0, None, 50.0]})
    >>> develop_evidence(df, A(), 687.5).tolist()
    [True, False, False, True, False]
    """
    if "gap" in df:
        gap = df["gap"]
    elif "potential" in df:  # the gap of :func:`~smartacct_helpers.potential.analysis.customer_potential`
        gap = (df["potential"] - df["revenue_12m"].clip(lower=0)).clip(lower=0)
    else:
        gap = pd.Series(np.nan, index=df.index)
    material = gap.round(2).ge(develop_min_gap(assumptions, management_cost_per_customer)).fillna(False)
    trend = df["revenue_trend"] if "revenue_trend" in df else pd.Series(np.nan, index=df.index)
    falling = trend.lt(0).fillna(False)
    return (material & ~falling).astype(bool)


def classify_customers(
    customers: pd.DataFrame,
    assumptions,
    reference_date: dt.date,
    potential: pd.DataFrame | None = None,
    abc: pd.DataFrame | None = None,
    trend_available: bool | None = None,
    sums: pd.DataFrame | None = None,
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
        From :func:`smartacct_helpers.potential.analysis.customer_potential`; needed
        for "develop" and the potential-based C groups.
    abc : DataFrame, optional
        From :func:`abc_columns` with the assumptions' limits; computed when
        not given.
    trend_available : bool, optional
        Whether the data holds the ``trend_years`` windows of the revenue
        trend; by default :func:`trend_known`. Without them
        ``revenue_trend`` is missing and no customer is a smart account.
    sums : DataFrame, optional
        Rebates and the revenue without a margin per customer over the
        window (:func:`smartacct_helpers.facts.cost_to_serve.window_sums`),
        for the cost to serve; without them both count zero.

    Returns
    -------
    DataFrame
        The input columns plus ``abc``, ``abc_margin`` (where margins exist),
        ``no_field_visit_12m`` (CRM rule), ``no_purchase_or_below_threshold``
        (ERP rule), ``below_threshold``, ``active``, ``to_manage``,
        ``segment``, one boolean column per C group, ``cost_to_serve_12m``,
        ``operating_profit_12m`` (see
        :func:`smartacct_helpers.facts.cost_to_serve.cost_to_serve_table`),
        ``revenue_trend`` and ``smart_account``.
    """
    econ = field_economics(assumptions)
    df = customers if potential is None else customers.join(potential)
    if abc is None:
        abc = abc_columns(customers, assumptions.abc.a, assumptions.abc.b)
    df = df.join(abc)
    revenue = df["revenue_12m"]

    visits = df["visits_12m"] if "visits_12m" in df else pd.Series(0, index=df.index)
    df["no_field_visit_12m"] = visits == 0
    df["below_threshold"] = revenue.round(2) < econ.sales_threshold  # money compared to the cent
    df["no_purchase_or_below_threshold"] = (df["orders_12m"] == 0) | df["below_threshold"]
    active_since = pd.Timestamp(months_before(reference_date, assumptions.active_window_months))
    df["active"] = df["last_order"].notna() & (df["last_order"] > active_since)
    df["to_manage"] = df["below_threshold"] & df["active"]

    if trend_available is None:
        trend_available = trend_known(df, reference_date, assumptions.trend_years)
    # a window the data does not reach back to is no window of zero revenue
    df["revenue_trend"] = revenue_trend(df, assumptions.trend_years) if trend_available else np.nan
    high_potential, develop = _high_potential_and_develop(df, assumptions, econ, potential is not None)
    df["segment"] = labelled(
        np.select([~df["below_threshold"], ~df["active"], develop], [0, 1, 2], default=3),
        ["field", "lapsed", "develop", "small"],
        df.index,
    )

    df = _with_c_groups(df, assumptions, econ, visits, high_potential, develop)

    costs = cost_to_serve_table(df, service_rates(assumptions), sums, assumptions.margin_rate_if_unknown)
    df["cost_to_serve_12m"] = costs["cost_to_serve_12m"]
    df["operating_profit_12m"] = costs["operating_profit_12m"]
    df["smart_account"] = (
        df["segment"].isin(["small", "develop"]) & (df["revenue_trend"] > 0) & (df["operating_profit_12m"] > 0)
    )
    return df


def _high_potential_and_develop(df: pd.DataFrame, assumptions, econ, potential_known: bool):
    """Which customers have a high potential, and which of them the "develop" segment takes (all False without it)."""
    if not potential_known:
        nobody = pd.Series(False, index=df.index)
        return nobody, nobody
    # an unknown potential (missing) is neither high nor of a low share: not "develop"
    high_potential = df["potential"].ge(econ.sales_threshold).fillna(False).astype(bool)
    low_share = df["share_of_wallet"].lt(assumptions.develop_max_share_of_wallet).fillna(False).astype(bool)
    develop = high_potential & low_share & develop_evidence(df, assumptions, econ.management_cost_per_customer)
    return high_potential, develop


def _with_c_groups(df: pd.DataFrame, assumptions, econ, visits, high_potential, develop) -> pd.DataFrame:
    """The C customers' groups (:data:`C_GROUPS`), one boolean column each."""
    revenue = df["revenue_12m"]
    is_c = df["abc"] == "C"
    orders = df["orders_12m"]
    avg_order = revenue / orders.where(orders > 0)
    df["many_small_orders"] = (
        is_c
        & (orders >= assumptions.many_orders_per_year)
        & (avg_order < assumptions.small_order_value)
        & ~high_potential
    )
    df["high_potential_low_share"] = is_c & develop
    df["visits_not_paying"] = (
        is_c & (visits * econ.visit_cost > assumptions.max_sales_cost_ratio * revenue) & (visits > 0)
    )
    df["little_competition"] = is_c & (
        df["competitor_activity"].eq("low").fillna(False) if "competitor_activity" in df else False
    )
    df["no_procurement_power"] = is_c & (
        df["procurement_power"].eq(False).fillna(False) if "procurement_power" in df else False
    )
    for group in C_GROUPS:
        df[group] = df[group].astype(bool)
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
        {
            "group": label,
            "customers": int(classified[col].sum()),
            "revenue_12m": classified.loc[classified[col], "revenue_12m"].sum(),
        }
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


def abc_crosstab(classified: pd.DataFrame) -> pd.DataFrame:
    """Customers per ABC class by revenue (rows) and by contribution margin (columns).

    >>> df = pd.DataFrame({"abc": ["A", "A", "C"], "abc_margin": ["A", "B", "A"]})
    >>> abc_crosstab(df).to_dict("index")
    {'A': {'A': 1, 'B': 1}, 'C': {'A': 1, 'B': 0}}
    """
    return pd.crosstab(classified["abc"], classified["abc_margin"], rownames=["by revenue"], colnames=["by margin"])


def rules_crosstab(classified: pd.DataFrame) -> pd.DataFrame:
    """Customers by the CRM rule (rows) and the ERP rule (columns), with totals ("all").

    >>> df = pd.DataFrame({"no_field_visit_12m": [True, True, False], "no_purchase_or_below_threshold": [True, False, False]})
    >>> rules_crosstab(df).loc["no field visit"].to_dict()
    {'above threshold': 1, 'no purchase or below threshold': 1, 'all': 2}
    """
    crm = classified["no_field_visit_12m"].map({True: "no field visit", False: "visited"})
    erp = classified["no_purchase_or_below_threshold"].map(
        {True: "no purchase or below threshold", False: "above threshold"}
    )
    return pd.crosstab(crm, erp, margins=True, margins_name="all").rename_axis(index=None, columns=None)


#: the columns of the smart-account list, where the data has them
SMART_ACCOUNT_COLUMNS = [
    "customer_id",
    "name",
    "industry",
    "region",
    "revenue_12m",
    "revenue_trend",
    "operating_profit_12m",
    "share_of_wallet",
]


def smart_accounts(classified: pd.DataFrame) -> pd.DataFrame:
    """The smart accounts, fastest-growing first (equal trends by customer id), with :data:`SMART_ACCOUNT_COLUMNS`.

    >>> df = pd.DataFrame({"customer_id": ["1", "2", "3"], "revenue_12m": [900.0, 800.0, 50.0],
    ...                    "revenue_trend": [100.0, 300.0, 10.0], "operating_profit_12m": [90.0, 40.0, 5.0],
    ...                    "smart_account": [True, True, False]})
    >>> smart_accounts(df)["customer_id"].tolist()
    ['2', '1']
    """
    smart = classified[classified["smart_account"].astype(bool)]
    smart = smart.sort_values(["revenue_trend", "customer_id"], ascending=[False, True], kind="stable")
    return smart[[c for c in SMART_ACCOUNT_COLUMNS if c in smart]]


def c_groups_undecided(classified: pd.DataFrame) -> dict[str, str]:
    """The C groups the data cannot decide: group label -> what the data would need to decide it.

    >>> df = pd.DataFrame({"potential": [float("nan")], "competitor_activity": [None]})
    >>> sorted(c_groups_undecided(df))
    ['field visits do not pay for themselves', 'high potential, low share of wallet', 'little competitor activity', 'no procurement power']
    """
    from ..facts.concepts import has_values

    needs = {}
    if not has_values(classified, "potential"):
        needs["high_potential_low_share"] = (
            "a potential per customer (two complete calendar years of orders, "
            "or an industry and an employee count per customer)"
        )
    if "visits_12m" not in classified:
        needs["visits_not_paying"] = "the field visits of the CRM (the activities file)"
    if not has_values(classified, "competitor_activity"):
        needs["little_competition"] = "the competitor activity (column competitor_activity of the customer master)"
    if not has_values(classified, "procurement_power"):
        needs["no_procurement_power"] = "the procurement power (column procurement_power of the customer master)"
    return {C_GROUPS[group]: text for group, text in needs.items()}


def classify(workbook, assumptions=None) -> pd.DataFrame:
    """Every customer with segment, ABC classes, rules, C groups and smart-account flag, remembered by the workbook.

    :func:`classify_customers` of the workbook's customer facts, computed once
    per value of the assumptions it reads
    (:meth:`~smartacct_helpers.facts.workbook.Workbook.remembered`).
    ``assumptions``: default the workbook's; a remembered computation that
    classifies passes the assumptions it was given.

    >>> classify(wb)["segment"].value_counts()  # doctest: +SKIP
    """
    return workbook.remembered("classify", lambda a: _classified(workbook, a), assumptions)


def _classified(workbook, a) -> pd.DataFrame:
    potential = potential_of(workbook, a)
    abc = workbook.remembered("abc", lambda a: abc_columns(workbook.customers, a.abc.a, a.abc.b), a)
    return classify_customers(
        workbook.customers, a, workbook.reference_date, potential, abc, sums=window_sums_of(workbook)
    )
