"""Key-account candidates: each customer's share of revenue and margin, its rank, and why it is a candidate.

A customer is a candidate when its share of revenue or of contribution
margin over the last 12 months reaches ``key_account_min_share``, when its
share of one product group's revenue reaches it ("sales of a particular
product"; where the orders hold ``product_group``), or when it is among the
``key_account_top_n`` largest by revenue (docs/method.md section 5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import labelled, looked_up
from ..facts.cost_to_serve import customer_margin
from ..facts.product_groups import product_group_revenue_of
from ..small_customers.analysis import classify


def name_of(names: pd.Series | None, customer_id) -> str:
    """A customer's name from ``names`` (by customer id) where it has one, else its id.

    >>> name_of(pd.Series({"7": "Elektro Graf", "8": None}), "8")
    '8'
    """
    name = names.get(customer_id) if names is not None else None
    return name if isinstance(name, str) and name.strip() else str(customer_id)


def _margin(customers: pd.DataFrame, margin_rate_if_unknown: float = 0.25) -> pd.Series:
    """The customers' window margin, the rate where the data has none (:func:`customer_margin`)."""
    return customer_margin(customers, margin_rate_if_unknown)


def _shares(values: pd.Series) -> pd.Series:
    """Each entry's share of the positive total; zero for entries of zero or less."""
    positive = values.clip(lower=0)
    total = positive.sum()
    return positive / total if total > 0 else positive * 0.0


def account_shares(
    customers: pd.DataFrame,
    min_share: float = 0.05,
    top_n: int = 0,
    margin_rate_if_unknown: float = 0.25,
    product_shares: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every customer's revenue and margin share, rank and whether it is a key-account candidate.

    Parameters
    ----------
    customers : DataFrame
        ``customer_id, revenue_12m`` and, where the data has it,
        ``contribution_margin_12m``.
    min_share : float
        Share of the positive revenue or of the positive margin from which a
        customer is a candidate.
    top_n : int
        The ``top_n`` largest customers by revenue are candidates too.
    product_shares : DataFrame, optional
        Each customer's largest share of one product group's revenue
        (``customer_id, product_group, product_group_share``;
        :func:`~smartacct_helpers.key_accounts.practice.product_group_shares`):
        from ``min_share`` of a group a customer is a candidate too, its
        reason "share of <group>" where neither of its overall shares makes
        it one.

    Returns
    -------
    DataFrame
        The input (same row order) plus ``revenue_share``, ``margin_share``,
        ``revenue_rank`` (1 = largest; ties by customer id),
        ``key_account`` and ``key_account_reason``.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "revenue_12m": [60.0, 30.0, 9.0, 1.0],
    ...                    "contribution_margin_12m": [3.0, 3.0, 3.0, 1.0]})
    >>> account_shares(df, min_share=0.25)["key_account"].tolist()  # c: 30 % of margin
    [True, True, True, False]
    >>> p = pd.DataFrame({"customer_id": ["d"], "product_group": ["cable"], "product_group_share": [0.4]})
    >>> account_shares(df, min_share=0.25, product_shares=p)["key_account_reason"].tolist()  # d: 40 % of cable
    ['revenue share', 'revenue share', 'margin share', 'share of cable']
    """
    df = customers.copy()
    revenue = df["revenue_12m"].astype(float)
    df["revenue_share"] = _shares(revenue)
    df["margin_share"] = _shares(_margin(df, margin_rate_if_unknown))
    df["revenue_rank"] = revenue_rank(df["customer_id"], revenue)
    by_revenue = df["revenue_share"] >= min_share - 1e-12
    by_margin = df["margin_share"] >= min_share - 1e-12
    by_rank = (df["revenue_rank"] <= top_n) & (revenue > 0)
    by_product = pd.Series(False, index=df.index)
    group = None
    if product_shares is not None and len(product_shares):
        p = product_shares.set_index(product_shares["customer_id"].astype(str))
        ids = df["customer_id"].astype(str)
        by_product = pd.Series(
            looked_up(ids, p["product_group_share"]).astype(float).fillna(0.0).to_numpy() >= min_share - 1e-12,
            index=df.index,
        )
        group = looked_up(ids, p["product_group"]).astype(object).to_numpy()
    df["key_account"] = (by_revenue | by_margin | by_product | by_rank) & (revenue > 0)
    reason = np.select([~df["key_account"], by_revenue, by_margin, by_product, by_rank], [0, 1, 2, 3, 4], default=0)
    df["key_account_reason"] = labelled(
        reason, ["", "revenue share", "margin share", "product group share", f"top {top_n}"], df.index
    )
    if group is not None and (reason == 3).any():
        df["key_account_reason"] = df["key_account_reason"].astype(object)
        named = reason == 3
        df.loc[named, "key_account_reason"] = ["share of " + str(g) for g in group[named]]
    return df


def revenue_rank(customer_ids: pd.Series, revenue: pd.Series) -> np.ndarray:
    """Each customer's rank by revenue (1 = largest), ties by customer id; in the order of the rows.

    >>> revenue_rank(pd.Series(["b", "a", "c"]), pd.Series([5.0, 5.0, 9.0])).tolist()
    [3, 2, 1]
    """
    if customer_ids.is_monotonic_increasing:  # the customer facts' order: ties by id are ties by position
        order = np.argsort(-revenue.to_numpy(), kind="stable")
    else:
        order = (
            pd.DataFrame({"_r": revenue.to_numpy(), "customer_id": customer_ids.to_numpy()})
            .sort_values(["_r", "customer_id"], ascending=[False, True], kind="stable")
            .index.to_numpy()
        )
    rank = np.empty(len(customer_ids), dtype=int)
    rank[order] = np.arange(1, len(customer_ids) + 1)
    return rank


def account_shares_of(workbook) -> pd.DataFrame:
    """Each customer's shares of revenue and margin, rank and key-account flag, remembered by the workbook.

    :func:`account_shares` of the classification, computed once per value of
    the assumptions both read, so that a slider of the cost to serve or the
    scorecard reuses them.
    """
    return workbook.remembered(
        "account_shares",
        lambda a: account_shares(
            classify(workbook, a),
            a.key_account_min_share,
            a.key_account_top_n,
            a.margin_rate_if_unknown,
            product_shares_of(workbook),
        ),
    )


def product_shares_of(workbook) -> pd.DataFrame | None:
    """Each customer's largest share of one product group's revenue over the last 12 months; None without groups.

    :func:`~smartacct_helpers.key_accounts.practice.best_product_group_shares`
    of the sums the workbook keeps
    (:func:`~smartacct_helpers.facts.product_groups.product_group_revenue_of`).
    """
    from .practice import best_product_group_shares

    sums = product_group_revenue_of(workbook)
    return None if sums is None else best_product_group_shares(sums)


def key_account_candidates(
    customers: pd.DataFrame, min_share: float = 0.05, top_n: int = 0, margin_rate_if_unknown: float = 0.25
) -> pd.DataFrame:
    """The candidates only, largest first, with both shares (see :func:`account_shares`)."""
    df = account_shares(customers, min_share, top_n, margin_rate_if_unknown)
    return df[df["key_account"]].sort_values("revenue_rank").reset_index(drop=True)
