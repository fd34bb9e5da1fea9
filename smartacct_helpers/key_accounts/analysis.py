"""Key accounts: who they are, what hangs on them, and which of them earn money (docs/method.md section 5).

:func:`analyse` computes, for one workbook and one set of assumptions,
every table of notebook 05 in one pass (:class:`KeyAccountAnalysis`), from
the parts in this room:

* **Candidates** (:mod:`~smartacct_helpers.key_accounts.candidates`):
  customers whose share of revenue or of contribution margin over the last
  12 months reaches ``key_account_min_share``, and the
  ``key_account_top_n`` largest by revenue.
* **Concentration** (:mod:`~smartacct_helpers.key_accounts.concentration`):
  top-1/5/10 shares, the Herfindahl index with its band, the Lorenz curve
  and the major customers (``major_customer_share``).
* **Worst case** (:mod:`~smartacct_helpers.key_accounts.worst_case`):
  losing the top k accounts (or any chosen set).
* **Value analysis** (:mod:`~smartacct_helpers.key_accounts.value_analysis`):
  the cost to serve and the operating profit (the workbook's one
  definition, :mod:`smartacct_helpers.facts.cost_to_serve`, with the
  account team where the customer master gives its cost), the whale curve,
  the value destroyers and the account-value score.
* **Scorecard** (:mod:`~smartacct_helpers.key_accounts.scorecard`).
* **Portfolio map** (:mod:`~smartacct_helpers.key_accounts.portfolio`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..facts.concepts import has_values
from ..facts.cost_to_serve import ACCOUNT_TEAM, WINDOW_MONTHS, cost_to_serve_of
from ..facts.coverage import LIMITED
from ..facts.orders import months_before
from ..small_customers.analysis import classify
from .candidates import account_shares, account_shares_of, product_shares_of
from .scorecard import CLASSES, SCORES, assessment_history, assessments_for, scorecard_class
from .value_analysis import account_value_score, best_share_of_profit, period_value_analysis, service_rates
from .worst_case import largest_customers, loss_scenario, smart_account_margin, worst_case_table


@dataclass
class KeyAccountAnalysis:
    """All key-account tables for one workbook and one set of assumptions."""

    classified: pd.DataFrame
    accounts: pd.DataFrame
    profitability: pd.DataFrame
    key_accounts: pd.DataFrame
    history: pd.DataFrame | None
    currency: str

    #: whether the orders hold a contribution margin (else the params' margin rate counts)
    margin_known: bool = True
    #: whether the data reaches back over the revenue trend's years (else no trend counts)
    trend_known: bool = True

    @property
    def key_account_ids(self) -> list[str]:
        return self.key_accounts["customer_id"].tolist()

    def copy(self, deep: bool = False) -> KeyAccountAnalysis:  # what a workbook's memory hands out
        return self

    def names(self) -> pd.Series:
        """The customers' names by customer id (empty without names)."""
        df = self.classified
        return df.set_index("customer_id")["name"] if "name" in df else pd.Series(dtype=object)


#: the columns of a key-account candidate the analysis keeps, where the data has them
KEY_ACCOUNT_COLUMNS = (
    "customer_id",
    "name",
    "industry",
    "region",
    "distance_km",
    "revenue_12m",
    "revenue_share",
    "margin_share",
    "revenue_rank",
    "key_account_reason",
    "revenue_trend",
    "potential",
    "segment",
    "competitor_activity",
    *SCORES,
)
#: the columns of the cost to serve each key account carries
PROFITABILITY_COLUMNS = (
    "contribution_margin_12m",
    "discount_12m",
    "visits_12m",
    "calls_12m",
    "orders_12m",
    "lines_12m",
    "cost_visits",
    "cost_calls",
    "cost_orders",
    "cost_lines",
    "rebate_12m",
    "account_team_cost_12m",
    "cost_to_serve_12m",
    "operating_profit_12m",
)


def _with_latest_scores(ka: pd.DataFrame, history: pd.DataFrame | None) -> pd.DataFrame:
    """The key accounts with the scores of their latest assessment (``assessed_on``), else those of the master."""
    if history is None or not len(history):  # assessments without any score leave no history
        return ka.assign(assessed_on=pd.NaT)
    latest = history.sort_values("date").groupby("customer_id").last()
    for col in SCORES:
        current = ka[col] if col in ka else pd.Series(pd.NA, index=ka.index)
        ka[col] = ka["customer_id"].map(latest[col]).astype("Int64").fillna(current.astype("Int64"))
    ka["assessed_on"] = ka["customer_id"].map(latest["date"])
    return ka


def analyse(workbook, assessments: pd.DataFrame | None = None) -> KeyAccountAnalysis:
    """Candidates, profitability, value score and scorecard in one pass.

    Parameters
    ----------
    workbook : Workbook
    assessments : DataFrame, optional
        Scorecard assessments with dates (``data.assessments``);
        default :func:`assessments_for`. Without them the scores of the
        customers table count, as of the reference date.

    Returns
    -------
    KeyAccountAnalysis
        ``key_accounts`` holds one row per candidate, largest first, with
        shares, profitability, the value-score parts and the scorecard
        class (``class``, ``assessed_on``).
    """
    from ..facts.coverage import trend_available
    from ..inside_sales.business_case import margin_in_data

    a = workbook.assumptions
    df = classify(workbook)
    margin_known, trend_known = margin_in_data(workbook), trend_available(workbook)
    if margin_known:
        accounts = account_shares_of(workbook)
    else:  # a margin column present but empty: the params' margin rate, as without the column
        df = df.drop(columns="contribution_margin_12m", errors="ignore")
        accounts = account_shares(
            df, a.key_account_min_share, a.key_account_top_n, a.margin_rate_if_unknown, product_shares_of(workbook)
        )
    if not trend_known:  # no trend from years the data does not hold
        df = df.assign(revenue_trend=np.nan)
        accounts = accounts.assign(revenue_trend=np.nan)
    prof = cost_to_serve_of(workbook, a)
    if assessments is None:
        assessments = assessments_for(workbook)
    large_ids = accounts.loc[accounts["key_account"], "customer_id"].astype(str).tolist()
    history = None
    if assessments is not None and len(assessments):
        upto = assessments[pd.to_datetime(assessments["date"]) <= pd.Timestamp(workbook.reference_date)]
        history = assessment_history(
            upto, large_ids, a.scorecard_partner_min_score, a.scorecard_key_account_min_average
        )

    ka = accounts.loc[accounts["key_account"], [c for c in KEY_ACCOUNT_COLUMNS if c in accounts]].copy()
    ka = ka.join(prof.loc[ka.index, list(PROFITABILITY_COLUMNS)])
    ka = _with_latest_scores(ka, history)
    ka = ka.join(
        account_value_score(
            ka, a.account_value_weight_proximity, a.account_value_weight_growth, a.account_value_weight_ease
        )
    )
    for col in SCORES:
        if col not in ka:
            ka[col] = pd.array([pd.NA] * len(ka), dtype="Int64")
    ka["class"] = scorecard_class(
        ka, np.ones(len(ka), bool), a.scorecard_partner_min_score, a.scorecard_key_account_min_average
    ).to_numpy()
    ka = ka.sort_values("revenue_rank").reset_index(drop=True)
    return KeyAccountAnalysis(df, accounts, prof, ka, history, workbook.params.currency, margin_known, trend_known)


def analysis_of(workbook) -> KeyAccountAnalysis:
    """:func:`analyse` for the workbook's assumptions, computed once and remembered by the workbook.

    The sections of notebook 05 share it; a slider that moves any
    assumption computes it again.
    """

    def compute(a) -> KeyAccountAnalysis:
        a.model_dump()  # the analysis reads many assumptions: every one counts
        return analyse(workbook)

    return workbook.remembered("key_account_analysis", compute, workbook.assumptions)


def at_risk_accounts(key_accounts: pd.DataFrame, largest: int = 3) -> tuple[list[str], str]:
    """The key accounts a loss is most likely at, and how they were chosen.

    Those with high competitor activity where the customer master gives
    the activity (``competitor_activity``; possibly none); otherwise the
    ``largest`` accounts by revenue.

    >>> k = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "competitor_activity": ["low", "high", None, "high"]})
    >>> at_risk_accounts(k)
    (['b', 'd'], 'Key accounts with high competitor activity')
    >>> at_risk_accounts(k.drop(columns="competitor_activity"))
    (['a', 'b', 'c'], 'The three largest accounts')
    """
    if has_values(key_accounts, "competitor_activity"):
        high = key_accounts["competitor_activity"].astype(object).eq("high").fillna(False).astype(bool)
        return key_accounts.loc[high, "customer_id"].astype(str).tolist(), "Key accounts with high competitor activity"
    words = {1: "The largest account", 2: "The two largest accounts", 3: "The three largest accounts"}
    return (
        key_accounts["customer_id"].astype(str).head(largest).tolist(),
        words.get(largest, f"The {largest} largest accounts"),
    )


def only_large_accounts(key_accounts: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Of the ``n`` largest candidates (by revenue), those the scorecard places as large accounts only.

    >>> k = pd.DataFrame({"revenue_rank": [2, 1, 3], "class": ["large account", "key account", "large account"]})
    >>> only_large_accounts(k, 2)["revenue_rank"].tolist()
    [2]
    """
    largest = key_accounts.sort_values("revenue_rank", kind="stable").head(n)
    return largest[largest["class"] == CLASSES[2]]


def key_account_value_analysis(
    workbook, analysis: KeyAccountAnalysis | None = None, freq: str = "Q", months: int = WINDOW_MONTHS
) -> pd.DataFrame:
    """:func:`period_value_analysis` for the key accounts over the ``months`` up to the reference date.

    Over the window, each account's periods add up to its
    ``cost_to_serve_12m`` and ``operating_profit_12m``.
    """
    analysis = analysis or analysis_of(workbook)
    ref = pd.Timestamp(workbook.reference_date)
    start = pd.Timestamp(months_before(ref.date(), months))
    out = period_value_analysis(
        workbook.order_totals,
        workbook.activities,
        analysis.key_account_ids,
        start,
        ref,
        freq,
        service_rates(workbook.assumptions),
        workbook.assumptions.margin_rate_if_unknown,
        _account_teams(workbook),
    )
    names = analysis.key_accounts.set_index("customer_id")["name"] if "name" in analysis.key_accounts else None
    if names is not None:
        out.insert(1, "name", out["customer_id"].map(names))
    return out


def _account_teams(workbook) -> pd.Series | None:
    """The yearly cost of each customer's own account team, by customer id; None where the master gives none."""
    c = workbook.customers
    if not has_values(c, ACCOUNT_TEAM):
        return None
    return c.set_index("customer_id")[ACCOUNT_TEAM]


def worst_case(
    workbook, analysis: KeyAccountAnalysis | None = None, k_max: int = 5, by: str = "revenue_12m"
) -> pd.DataFrame:
    """:func:`worst_case_table` with the params' fixed costs and the smart accounts' average margin."""
    analysis = analysis or analysis_of(workbook)
    a = workbook.assumptions
    return worst_case_table(
        analysis.classified,
        k_max,
        by,
        a.fixed_costs,
        smart_account_margin(analysis.classified, a.margin_rate_if_unknown),
        a.margin_rate_if_unknown,
    )


def chosen_loss(workbook, lost_ids, analysis: KeyAccountAnalysis | None = None) -> dict:
    """:func:`loss_scenario` for any chosen set of customers, with the params' figures."""
    analysis = analysis or analysis_of(workbook)
    a = workbook.assumptions
    return loss_scenario(
        analysis.classified,
        lost_ids,
        a.fixed_costs,
        smart_account_margin(analysis.classified, a.margin_rate_if_unknown),
        a.margin_rate_if_unknown,
    )


def key_account_figures(workbook, analysis: KeyAccountAnalysis | None = None) -> dict:
    """The key-account figures for ``summary.json``.

    Returns
    -------
    dict
        ``key_accounts``: number of key-account candidates;
        ``key_account_revenue_share``: their share of the positive revenue
        of the last 12 months; ``worst_case_top1_margin_loss`` and
        ``worst_case_top5_margin_loss``: contribution margin of the last 12
        months of the largest customer, and of the five largest, by revenue;
        ``profit_share_top20pct_key_accounts``: share of the key accounts'
        total operating profit that the most profitable ceil(20 %) of them
        bring (None if that total is not positive);
        ``customers_loss_making``: customers whose operating profit
        (contribution margin - cost to serve, rebates and account teams
        included) is below zero. Without any candidate
        (no customer with revenue in the window), the profit share is None
        with its reason under ``"_limited"``.
    """
    analysis = analysis or analysis_of(workbook)
    acc = analysis.accounts
    a = workbook.assumptions
    rate = a.margin_rate_if_unknown
    top1 = loss_scenario(acc, largest_customers(acc, 1), margin_rate_if_unknown=rate)
    top5 = loss_scenario(acc, largest_customers(acc, 5), margin_rate_if_unknown=rate)
    profit = analysis.key_accounts.set_index("customer_id")["operating_profit_12m"]
    share = best_share_of_profit(profit, 0.2)
    figures = {
        "key_accounts": int(acc["key_account"].sum()),
        "key_account_revenue_share": float(acc.loc[acc["key_account"], "revenue_share"].sum()),
        "worst_case_top1_margin_loss": float(top1["margin_lost"]),
        "worst_case_top5_margin_loss": float(top5["margin_lost"]),
        "profit_share_top20pct_key_accounts": None if share != share else float(share),
        "customers_loss_making": int((analysis.profitability["operating_profit_12m"] < 0).sum()),
    }
    if analysis.key_accounts.empty:
        figures[LIMITED] = {
            "profit_share_top20pct_key_accounts": "no customer has revenue in the last 12 months, "
            "so there is no key-account candidate"
        }
    return figures
