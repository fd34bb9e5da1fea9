"""Key-account practice: the seven strategies, exit barriers, the discount trend and the mutual scorecard.

What a supplier does with its key accounts, beside what they are worth
(docs/method.md section 5):

* **the seven strategies** per key account, from the assessments
  (:data:`STRATEGIES`, each yes or no): one key-account manager as the single
  point of contact with a supporting team, pricing incentives, priority
  ordering, a customised offer, matching units of sale, cross-business
  teams, integrated inventory and billing;
* **exit barriers**: what makes a key account hard to leave: a long
  relationship, a broad range bought (share of the product groups), and the
  strategies that tie the account in (integrated inventory and billing, a
  customised offer, cross-business teams);
* **the discount trend**: the discount rate of the key accounts over the
  12-month windows of the data against the other customers'. Efficiency a
  key-account programme brings should not be given back as price cuts;
* **the mutual scorecard**: the supplier's own side (its willingness to
  partner, its transparency, its contribution to the account's growth)
  beside the customer's, where the assessments rate both;
* **the share of a product group**: a customer that buys a large share of
  one product group's sales is a key-account candidate for that reason
  (used by :mod:`~smartacct_helpers.key_accounts.candidates`).

Every function takes tables and returns tables; none reads a file. The discount trend is in
:mod:`~smartacct_helpers.key_accounts.discount_trend` (re-exported here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..facts.coverage import START_TOLERANCE_DAYS
from ..facts.product_groups import product_group_revenue
from ..intake.schema import STRATEGIES as STRATEGY_COLUMNS
from .discount_trend import discount_drift, discount_trend  # noqa: F401 (re-exported where they were)

#: the seven strategies of a key-account programme: assessment column -> short words
STRATEGIES = dict(
    zip(
        STRATEGY_COLUMNS,
        (
            "single point of contact",
            "pricing incentives",
            "priority ordering",
            "customised offer",
            "matching units of sale",
            "cross-business teams",
            "integrated inventory and billing",
        ),
        strict=True,
    )
)
#: the supplier's own side of the scorecard -> the customer's criterion it mirrors
SUPPLIER_SCORES = {
    "supplier_partner_willingness": "partner_willingness",
    "supplier_transparency": "transparency",
    "supplier_growth_contribution": "growth_potential",
}
#: the columns of the scorecard from both sides: each side's average first, then the scores in pairs
BOTH_SIDES_COLUMNS = [
    "customer_id",
    "name",
    "assessed_on",
    "customer_side",
    "supplier_side",
    "side_gap",
    "lagging_side",
    "partner_willingness",
    "supplier_partner_willingness",
    "transparency",
    "supplier_transparency",
    "growth_potential",
    "supplier_growth_contribution",
]
#: the strategies that tie an account in, and so count as exit barriers
BINDING_STRATEGIES = ("integrated_inventory_billing", "customised_offer", "cross_business_teams")
#: a side of the scorecard lags when its average is at least this many points below the other's
SIDE_GAP = 1.0


def latest_with(assessments: pd.DataFrame | None, columns, customer_ids, reference_date, by=None) -> pd.DataFrame:
    """Per customer of ``customer_ids``, its latest assessment up to ``reference_date`` that fills any of ``columns``.

    With ``by``, the latest that fills any of ``by`` (and ``columns`` as it
    has them).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (text): ``assessed_on`` and ``columns``;
        empty where the assessments hold none of them.

    >>> a = pd.DataFrame({"customer_id": ["k", "k", "k"], "date": pd.to_datetime(["2025-01-01", "2025-06-01",
    ...                   "2026-01-01"]), "pricing_incentives": [True, None, False]})
    >>> import datetime as dt
    >>> latest_with(a, ["pricing_incentives"], ["k"], dt.date(2025, 12, 31))["pricing_incentives"].tolist()
    [True]
    """
    columns = list(columns)
    empty = pd.DataFrame(columns=["assessed_on", *columns], index=pd.Index([], name="customer_id"))
    if assessments is None or not len(assessments):
        return empty
    present = [c for c in columns if c in assessments]
    required = [c for c in (columns if by is None else by) if c in assessments]
    if not present or not required:
        return empty
    df = assessments.assign(
        customer_id=assessments["customer_id"].astype(str), date=pd.to_datetime(assessments["date"])
    )
    df = df[df["customer_id"].isin({str(c) for c in customer_ids})]
    df = df[df["date"] <= pd.Timestamp(reference_date)]
    df = df[df[required].notna().any(axis=1)]
    if df.empty:
        return empty
    latest = (
        df.sort_values(["customer_id", "date"], kind="stable")
        .drop_duplicates("customer_id", keep="last")
        .set_index("customer_id")
    )
    out = latest.reindex(columns=present).rename_axis("customer_id")
    for c in columns:
        if c not in out:
            out[c] = pd.NA
    out.insert(0, "assessed_on", latest["date"])
    return out[["assessed_on", *columns]]


# --------------------------------------------------------------------------- the seven strategies
def strategy_checklist(key_accounts: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """The seven strategies per key account: yes, no, or not assessed (missing).

    Parameters
    ----------
    key_accounts : DataFrame
        ``customer_id`` and optionally ``name``, in the order to show.
    latest : DataFrame
        :func:`latest_with` of the strategy columns.

    Returns
    -------
    DataFrame
        ``customer_id``, ``name``, ``assessed_on``, the seven columns
        (boolean, missing where not rated), ``strategies_in_place`` (how
        many are yes; missing for an account not assessed) and
        ``strategies_missing`` (the ones rated no, in words).

    Examples
    --------
    >>> k = pd.DataFrame({"customer_id": ["a", "b"], "name": ["A", "B"]})
    >>> lt = pd.DataFrame({"assessed_on": [pd.Timestamp("2025-12-01")], "pricing_incentives": [True],
    ...                    "priority_ordering": [False]}, index=pd.Index(["a"], name="customer_id"))
    >>> c = strategy_checklist(k, lt)
    >>> c["strategies_in_place"].tolist(), c.loc[0, "strategies_missing"]
    ([1, <NA>], 'priority ordering')
    """
    ids = key_accounts["customer_id"].astype(str)
    out = pd.DataFrame({"customer_id": ids.to_numpy()})
    out["name"] = key_accounts["name"].to_numpy() if "name" in key_accounts else ids.to_numpy()
    rows = latest.reindex(ids.to_numpy())
    out["assessed_on"] = pd.to_datetime(rows["assessed_on"]).to_numpy() if "assessed_on" in rows else pd.NaT
    for column in STRATEGIES:
        values = rows[column] if column in rows else pd.Series(pd.NA, index=rows.index)
        out[column] = pd.array(values.to_numpy(), dtype="boolean")
    flags = out[list(STRATEGIES)]
    rated = flags.notna().any(axis=1)
    in_place = pd.array(flags.eq(True).fillna(False).astype(bool).sum(axis=1).to_numpy(), dtype="Int64")
    in_place[~rated.to_numpy()] = pd.NA
    out["strategies_in_place"] = in_place
    lacking = flags.eq(False).fillna(False).astype(bool).to_numpy()
    out["strategies_missing"] = [
        (", ".join(w for w, no in zip(STRATEGIES.values(), row, strict=True) if no) or "none") if ok else ""
        for ok, row in zip(rated.to_numpy(), lacking, strict=True)
    ]
    return out


def strategy_summary(checklist: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: how many key accounts have it, how many lack it, how many are not rated on it.

    >>> c = pd.DataFrame({s: pd.array([True, False, None], dtype="boolean") for s in STRATEGIES})
    >>> strategy_summary(c).iloc[0].to_dict()
    {'strategy': 'single point of contact', 'accounts_with': 1, 'accounts_without': 1, 'accounts_not_rated': 1}
    """
    rows = []
    for column, words in STRATEGIES.items():
        values = checklist[column]
        rows.append(
            {
                "strategy": words,
                "accounts_with": int(values.eq(True).fillna(False).sum()),
                "accounts_without": int(values.eq(False).fillna(False).sum()),
                "accounts_not_rated": int(values.isna().sum()),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- exit barriers
def product_groups_bought(lines, customer_ids, start, end) -> pd.DataFrame:
    """Per customer: the product groups it bought (net revenue above zero) with ``start < date <= end``.

    :func:`groups_bought` of the lines' sums per product group.

    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "product_group": ["x", "y", "x", "z"],
    ...                   "date": pd.to_datetime(["2025-03-01"] * 4), "revenue": [5.0, 1.0, 2.0, -1.0]})
    >>> product_groups_bought(o, ["a", "b"], "2024-12-31", "2025-12-31").to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'customer_id': ['a', 'b'], 'product_groups_bought': [2, 1], 'product_groups_total': [2, 2]}
    """
    return groups_bought(product_group_revenue(lines, start, end), customer_ids)


def groups_bought(revenue_by_group: pd.DataFrame, customer_ids) -> pd.DataFrame:
    """Per customer of ``customer_ids``: the product groups it bought with net revenue above zero.

    Parameters
    ----------
    revenue_by_group : DataFrame
        ``customer_id, product_group, revenue``
        (:func:`~smartacct_helpers.facts.product_groups.product_group_revenue`).

    Returns
    -------
    DataFrame
        ``customer_id``, ``product_groups_bought`` and
        ``product_groups_total`` (the groups any customer bought; the same
        on every row), one row per customer of ``customer_ids``.
    """
    ids = [str(c) for c in customer_ids]
    per = revenue_by_group[revenue_by_group["revenue"] > 0]
    total = int(per["product_group"].nunique())
    bought = per.groupby(per["customer_id"].astype(str))["product_group"].nunique()
    return pd.DataFrame(
        {
            "customer_id": ids,
            "product_groups_bought": bought.reindex(ids).fillna(0).astype(int).to_numpy(),
            "product_groups_total": total,
        }
    )


def exit_barriers(
    key_accounts: pd.DataFrame,
    first_orders: pd.Series,
    reference_date,
    data_start,
    groups: pd.DataFrame | None = None,
    checklist: pd.DataFrame | None = None,
    min_years: float = 3,
    min_product_share: float = 0.5,
) -> pd.DataFrame:
    """What makes each key account hard to leave, and how many of the barriers are in place.

    Five barriers, each yes, no or unknown:

    * **long relationship**: a customer for at least ``min_years`` (from its
      first order in the data; where that is the data's first month, the
      relationship is at least as long, and unknown if shorter than
      ``min_years``);
    * **broad range**: it buys at least ``min_product_share`` of the product
      groups (needs ``product_group``);
    * **integrated inventory and billing**, **customised offer** and
      **cross-business teams**: from the strategy checklist.

    Parameters
    ----------
    key_accounts : DataFrame
        ``customer_id`` and optionally ``name``.
    first_orders : Series
        Each customer's first order date, by customer id.
    reference_date, data_start : date
        The reference date and the data's first order date.
    groups : DataFrame, optional
        :func:`product_groups_bought`.
    checklist : DataFrame, optional
        :func:`strategy_checklist`.

    Returns
    -------
    DataFrame
        ``customer_id, name, years_as_customer`` (float; where
        ``since_data_start`` the relationship is at least this long),
        ``since_data_start``, ``product_groups_bought``,
        ``product_group_share``, ``long_relationship``, ``broad_range``,
        the three binding strategies, ``exit_barriers`` (how many are yes)
        and ``exit_barriers_known`` (how many could be judged).

    Examples
    --------
    A customer since 1 January 2020 on 31 December 2025 is one of 6.0 years
    (2,191 days / 365.25 = 5.999); with 4 of 8 product groups its range is
    broad at 50 %:

    >>> k = pd.DataFrame({"customer_id": ["a"], "name": ["A"]})
    >>> g = pd.DataFrame({"customer_id": ["a"], "product_groups_bought": [4], "product_groups_total": [8]})
    >>> import datetime as dt
    >>> e = exit_barriers(k, pd.Series({"a": pd.Timestamp("2020-01-01")}), dt.date(2025, 12, 31),
    ...                   dt.date(2019, 1, 1), g)
    >>> round(float(e.loc[0, "years_as_customer"]), 2), bool(e.loc[0, "broad_range"]), int(e.loc[0, "exit_barriers"])
    (6.0, True, 2)
    """
    ids = key_accounts["customer_id"].astype(str).to_numpy()
    out = pd.DataFrame({"customer_id": ids})
    out["name"] = key_accounts["name"].to_numpy() if "name" in key_accounts else ids
    out = pd.concat(
        [
            out,
            relationship_length(ids, first_orders, reference_date, data_start, min_years),
            range_bought(ids, groups, min_product_share),
            binding_strategies(ids, checklist),
        ],
        axis=1,
    )
    barriers = out[["long_relationship", "broad_range", *BINDING_STRATEGIES]]
    out["exit_barriers"] = barriers.eq(True).fillna(False).astype(bool).sum(axis=1).astype(int)
    out["exit_barriers_known"] = barriers.notna().sum(axis=1).astype(int)
    return out


def relationship_length(ids, first_orders: pd.Series, reference_date, data_start, min_years: float) -> pd.DataFrame:
    """The first barrier of :func:`exit_barriers`: how long each customer of ``ids`` has bought, and whether long.

    Returns ``years_as_customer``, ``since_data_start`` and
    ``long_relationship`` (unknown where the customer bought already in the
    data's first month and the data is shorter than ``min_years``), one row per
    customer of ``ids`` in their order.
    """
    out = pd.DataFrame(index=range(len(ids)))
    ref = pd.Timestamp(reference_date)
    first = pd.to_datetime(pd.Series(first_orders, dtype=object).rename(index=str)).reindex(ids)
    out["years_as_customer"] = ((ref - first).dt.days / 365.25).to_numpy()
    tolerance = pd.Timedelta(days=START_TOLERANCE_DAYS)
    at_start = (
        (first.notna() & (first - pd.Timestamp(data_start) <= tolerance)).to_numpy()
        if data_start is not None
        else np.zeros(len(ids), bool)
    )
    out["since_data_start"] = at_start
    years = out["years_as_customer"]
    long_ = pd.array(np.where(years.notna(), years >= min_years - 1e-9, False), dtype="boolean")
    unknown = (~np.asarray(long_, dtype=bool) & at_start) | years.isna().to_numpy()
    long_[unknown] = pd.NA
    out["long_relationship"] = long_
    return out


def range_bought(ids, groups: pd.DataFrame | None, min_product_share: float) -> pd.DataFrame:
    """The second barrier of :func:`exit_barriers`: the share of the product groups each customer of ``ids`` buys.

    Returns ``product_groups_bought``, ``product_group_share`` and
    ``broad_range`` (at least ``min_product_share``), all unknown without
    ``groups`` (:func:`groups_bought`), one row per customer of ``ids``.
    """
    out = pd.DataFrame(index=range(len(ids)))
    if groups is not None and len(groups):
        g = groups.set_index(groups["customer_id"].astype(str)).reindex(ids)
        total = g["product_groups_total"].astype(float)
        out["product_groups_bought"] = g["product_groups_bought"].astype("Int64").to_numpy()
        out["product_group_share"] = (g["product_groups_bought"] / total.where(total > 0)).to_numpy()
        share = out["product_group_share"]
        broad = pd.array(share >= min_product_share - 1e-12, dtype="boolean")
        broad[share.isna().to_numpy()] = pd.NA
        out["broad_range"] = broad
    else:
        out["product_groups_bought"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["product_group_share"] = np.nan
        out["broad_range"] = pd.array([pd.NA] * len(out), dtype="boolean")
    return out


def binding_strategies(ids, checklist: pd.DataFrame | None) -> pd.DataFrame:
    """The last three barriers of :func:`exit_barriers`: the :data:`BINDING_STRATEGIES` in place, per customer.

    Yes, no or unknown from the ``checklist`` (:func:`strategy_checklist`),
    all unknown without it; one row per customer of ``ids``.
    """
    rows = (
        checklist.set_index(checklist["customer_id"].astype(str)).reindex(ids)
        if checklist is not None
        else pd.DataFrame(index=ids)
    )
    out = pd.DataFrame(index=range(len(ids)))
    for column in BINDING_STRATEGIES:
        values = rows[column] if column in rows else pd.Series(pd.NA, index=rows.index)
        out[column] = pd.array(values.to_numpy(), dtype="boolean")
    return out


# --------------------------------------------------------------------------- the mutual scorecard
def mutual_scorecard(key_accounts: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Both sides of the scorecard per key account that the assessments rate from the supplier's side.

    The customer's side is the three criteria of the same assessment
    (willingness to partner, transparency, growth potential), else the
    key account's latest scores; the supplier's side its own willingness to
    partner, its transparency and its contribution to the account's growth.

    Returns
    -------
    DataFrame
        ``customer_id, name, assessed_on``, the three scores of each side,
        ``customer_side`` and ``supplier_side`` (averages of the scores
        given), ``side_gap`` (supplier - customer) and ``lagging_side``:
        "our side" or "their side" where one average is at least
        :data:`SIDE_GAP` below the other, else "balanced"; missing where
        one side gave no scores.

    Examples
    --------
    >>> k = pd.DataFrame({"customer_id": ["a"], "name": ["A"], "partner_willingness": [4], "transparency": [4],
    ...                   "growth_potential": [4]})
    >>> lt = pd.DataFrame({"assessed_on": [pd.Timestamp("2025-12-01")], "supplier_partner_willingness": [3],
    ...                    "supplier_transparency": [2], "supplier_growth_contribution": [4]},
    ...                   index=pd.Index(["a"], name="customer_id"))
    >>> m = mutual_scorecard(k, lt)  # (3 + 2 + 4) / 3 = 3.0 against 4.0
    >>> float(m.loc[0, "side_gap"]), m.loc[0, "lagging_side"]
    (-1.0, 'our side')
    """
    ids = key_accounts["customer_id"].astype(str)
    rated = latest.reindex(ids.to_numpy())
    rated = rated[rated[list(SUPPLIER_SCORES)].notna().any(axis=1)] if len(rated) else rated
    k = key_accounts.set_index(ids)
    out = pd.DataFrame({"customer_id": rated.index.to_numpy()})
    out["name"] = k.loc[rated.index, "name"].to_numpy() if "name" in k else out["customer_id"]
    out["assessed_on"] = pd.to_datetime(rated["assessed_on"]).to_numpy()
    for supplier, customer in SUPPLIER_SCORES.items():
        own = rated[customer] if customer in rated else pd.Series(pd.NA, index=rated.index)
        fallback = k.loc[rated.index, customer] if customer in k else pd.Series(pd.NA, index=rated.index)
        out[customer] = pd.array(own.fillna(fallback).to_numpy(), dtype="Float64").astype("Int64")
        out[supplier] = pd.array(rated[supplier].to_numpy(), dtype="Float64").astype("Int64")
    out["customer_side"] = out[list(SUPPLIER_SCORES.values())].astype("Float64").mean(axis=1).astype(float)
    out["supplier_side"] = out[list(SUPPLIER_SCORES)].astype("Float64").mean(axis=1).astype(float)
    out["side_gap"] = out["supplier_side"] - out["customer_side"]
    gap = out["side_gap"]
    out["lagging_side"] = np.select(
        [gap <= -SIDE_GAP + 1e-9, gap >= SIDE_GAP - 1e-9], ["our side", "their side"], "balanced"
    ).astype(object)
    out.loc[gap.isna(), "lagging_side"] = None  # one side gave no scores: nothing to compare
    return out


# --------------------------------------------------------------------------- share of a product group
def product_group_shares(lines, start, end) -> pd.DataFrame:
    """Each customer's largest share of one product group's revenue with ``start < date <= end``.

    :func:`best_product_group_shares` of the lines' sums per product group.

    >>> o = pd.DataFrame({"customer_id": ["a", "b", "a", "c"], "product_group": ["x", "x", "y", "y"],
    ...                   "date": pd.to_datetime(["2025-03-01"] * 4), "revenue": [30.0, 70.0, 10.0, 90.0]})
    >>> product_group_shares(o, "2024-12-31", "2025-12-31").round(2).to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'customer_id': ['a', 'b', 'c'], 'product_group': ['x', 'x', 'y'], 'product_group_share': [0.3, 0.7, 0.9]}
    """
    return best_product_group_shares(product_group_revenue(lines, start, end))


def best_product_group_shares(revenue_by_group: pd.DataFrame) -> pd.DataFrame:
    """Each customer's largest share of one product group's positive revenue.

    A share is a customer's net revenue in the group (zero where it is not
    positive) over the group's positive revenue.

    Parameters
    ----------
    revenue_by_group : DataFrame
        ``customer_id, product_group, revenue``
        (:func:`~smartacct_helpers.facts.product_groups.product_group_revenue`).

    Returns
    -------
    DataFrame
        ``customer_id``, ``product_group`` (the group of its largest share;
        of equal shares the first by name) and ``product_group_share``, one
        row per customer that bought in a group.
    """
    customer, customer_ids = pd.factorize(revenue_by_group["customer_id"].astype(str), sort=True, use_na_sentinel=False)
    group, groups = pd.factorize(revenue_by_group["product_group"].astype(str), sort=True, use_na_sentinel=False)
    positive = np.nan_to_num(revenue_by_group["revenue"].to_numpy(dtype="float64", na_value=np.nan)).clip(min=0)
    total = np.bincount(group, weights=positive, minlength=len(groups))[group]
    share = np.divide(positive, total, out=np.zeros(len(positive)), where=total > 0)
    # each customer's largest share (every customer has one), and of the groups that reach it the first by name
    largest = pd.Series(share).groupby(customer).max().to_numpy()
    reaches = share == largest[customer]
    first = pd.Series(group[reaches]).groupby(customer[reaches]).min().to_numpy()
    return pd.DataFrame({"customer_id": customer_ids, "product_group": groups[first], "product_group_share": largest})
