"""Which accounts earn money: the cost to serve, the operating profit, the whale curve and the account value.

Per account and quarter (or month): revenue, discounts, rebates,
contribution margin, the cost to serve and the operating profit; the whale
curve and the 80/20 test; the value destroyers; an account-value score from
proximity, growth potential and ease of service.

The cost to serve and the operating profit are the workbook's one
definition (:mod:`smartacct_helpers.facts.cost_to_serve`): field visits at
the visit cost, calls at ``call_cost``, orders at ``order_handling_cost``,
order lines at ``line_handling_cost``, the rebates, and the account's own
team where the customer master gives its yearly cost
(``account_team_annual_cost``):

    operating profit = contribution margin - cost to serve

``revenue`` and ``contribution_margin`` of the orders are invoice values,
after the discount on the invoice line and before rebates paid later;
``discount`` is shown for information (it is already off the revenue).

Examples
--------
A customer with 10,000 margin, 500 rebates, 4 visits at 137.50, 10 calls at
8, 20 orders at 20 and 50 lines at 2: cost to serve 550 + 80 + 400 + 100 +
500 = 1,630, operating profit 10,000 - 1,630 = 8,370.

>>> rates = ServiceRates(visit=137.5, call=8, order=20, line=2)
>>> float(cost_to_serve(4, 10, 20, 50, rates, rebates=500))
1630.0
>>> float(10_000 - cost_to_serve(4, 10, 20, 50, rates, rebates=500))
8370.0
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..facts.cost_to_serve import (  # the one definition; offered here too, where the key accounts read it
    ServiceRates,
    _between,
    cost_to_serve,
    cost_to_serve_table,
    is_field_visit,
    line_margin,
    service_rates,
    window_sums,
    window_sums_of,
)
from ..facts.orders import as_table, frame, moments, money_sum, order_count

__all__ = [
    "ServiceRates",
    "account_profitability",
    "account_value_score",
    "best_share_of_profit",
    "cost_to_serve",
    "period_value_analysis",
    "service_rates",
    "value_destroyers",
    "whale_curve",
    "window_sums",
    "window_sums_of",
]


def account_profitability(
    customers: pd.DataFrame, rates: ServiceRates, sums: pd.DataFrame | None = None, margin_rate_if_unknown: float = 0.25
) -> pd.DataFrame:
    """Per customer over the last 12 months: margin, the parts of the cost to serve, the cost and the operating profit.

    :func:`~smartacct_helpers.facts.cost_to_serve.cost_to_serve_table`: the
    workbook's one definition, here for every customer of the key-account
    analysis.

    Parameters
    ----------
    customers : DataFrame
        The customer facts (``customer_id, revenue_12m``, optionally
        ``contribution_margin_12m``, ``visits_12m, calls_12m, orders_12m,
        lines_12m``, ``account_team_annual_cost``; missing counts are zero).
    rates : ServiceRates
    sums : DataFrame, optional
        ``discount``, ``rebate`` and ``revenue_without_margin`` per customer
        id over the same window (:func:`window_sums`).

    Returns
    -------
    DataFrame
        ``customer_id``, ``name`` (where known), ``revenue_12m``,
        ``discount_12m``, ``contribution_margin_12m``, the four counts,
        ``cost_visits``, ``cost_calls``, ``cost_orders``, ``cost_lines``,
        ``rebate_12m``, ``account_team_cost_12m``, ``cost_to_serve_12m``
        (their sum) and ``operating_profit_12m``.
    """
    return cost_to_serve_table(customers, rates, sums, margin_rate_if_unknown)


def period_value_analysis(
    orders,
    activities,
    customer_ids,
    start,
    end,
    freq: str = "Q",
    rates: ServiceRates | None = None,
    margin_rate_if_unknown: float = 0.25,
    account_team: pd.Series | None = None,
) -> pd.DataFrame:
    """The key-account value analysis: per customer and calendar quarter (``freq="Q"``) or month (``"M"``).

    Orders and activities with ``start < date <= end`` count. Every customer
    gets a row for every period (zeros where nothing happened). The
    invoice lines are summed per customer and period in the engine; the
    activities of the customers and period come back and are counted in
    pandas.

    Parameters
    ----------
    orders : DataFrame or ibis.Table
        Invoice lines (``customer_id, date, revenue`` and optionally
        ``order_id, contribution_margin, discount, rebate``). Orders are
        counted by ``order_id``, or by date where the data has none.
    activities : DataFrame, ibis.Table or None
        ``customer_id, date, type`` and optionally ``team``.
    customer_ids : iterable of str
    start, end : date, str or Timestamp
    freq : str
    rates : ServiceRates, optional
    margin_rate_if_unknown : float
        The margin rate on revenue where a line has no contribution margin.
    account_team : Series, optional
        The yearly cost of each customer's own account team, by customer
        id (``account_team_annual_cost`` of the customer master); a period
        carries the share of it that its days in ``start < date <= end``
        make of the whole span, so that the periods add up to the
        team's cost over the span.

    Returns
    -------
    DataFrame
        ``customer_id, period`` (a pandas Period), ``revenue``,
        ``discount``, ``rebate`` (zero where the data has none),
        ``contribution_margin``, ``orders``, ``lines``, ``visits``,
        ``calls``, ``account_team_cost``, ``cost_to_serve`` (with the
        rebates, as :func:`~smartacct_helpers.facts.cost_to_serve.cost_to_serve`)
        and ``operating_profit`` (contribution margin - cost to serve).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["k", "k"], "date": pd.to_datetime(["2025-01-10", "2025-04-02"]),
    ...                   "order_id": ["1", "2"], "revenue": [1000.0, 500.0],
    ...                   "contribution_margin": [200.0, 100.0], "rebate": [30.0, 15.0]})
    >>> r = period_value_analysis(o, None, ["k"], "2024-12-31", "2025-06-30", "Q",
    ...                           ServiceRates(visit=100, call=5, order=20, line=2))
    >>> r["operating_profit"].tolist()  # 200 - (30 + 20 + 2); 100 - (15 + 20 + 2)
    [148.0, 63.0]
    """
    rates = rates or ServiceRates(0.0, 0.0, 0.0, 0.0)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    ids = pd.Index([str(c) for c in customer_ids], name="customer_id").unique()
    f = "M" if str(freq).upper().startswith("M") else "Q"
    periods = pd.period_range((start + pd.Timedelta(days=1)).to_period(f), end.to_period(f), freq=f, name="period")
    grid = pd.MultiIndex.from_product([ids, periods], names=["customer_id", "period"])

    columns = ["revenue", "discount", "rebate", "contribution_margin", "orders", "lines"]
    out = _order_sums_per_period(orders, ids, start, end, f, grid, margin_rate_if_unknown, columns)
    out = out.join(_activities_per_period(activities, ids, start, end, f, grid))
    for col in ("orders", "lines", "visits", "calls"):
        out[col] = out[col].astype(int)
    out["account_team_cost"] = _team_cost(account_team, grid, start, end)
    out["cost_to_serve"] = cost_to_serve(
        out["visits"], out["calls"], out["orders"], out["lines"], rates, out["rebate"], out["account_team_cost"]
    )
    out["operating_profit"] = out["contribution_margin"] - out["cost_to_serve"]
    return out.reset_index()


def _order_sums_per_period(orders, ids: pd.Index, start, end, f: str, grid, margin_rate_if_unknown, columns):
    """The invoice lines of ``ids`` summed per customer and period in the engine, on ``grid`` (zeros elsewhere)."""
    if not len(ids):
        return pd.DataFrame(0.0, index=grid, columns=columns)
    orders = as_table(orders)
    o = orders.filter(_between(orders, start, end))
    if len(ids) <= 1000:  # a few accounts: only their lines; many: all lines, the grid below keeps theirs
        o = o.filter(o.customer_id.isin(ids.tolist()))
    moment = moments(o.date)
    part = moment.month() if f == "M" else moment.quarter()
    metrics = {
        "revenue": money_sum(o.revenue),
        "contribution_margin": money_sum(line_margin(o, margin_rate_if_unknown)),
    }
    metrics |= {col: money_sum(o[col]) for col in ("discount", "rebate") if col in o.columns}
    metrics["orders"] = order_count(o) if "order_id" in o.columns else o.date.nunique()
    metrics["lines"] = o.lines.sum()
    g = frame(o.group_by(["customer_id", moment.year().name("year"), part.name("part")]).aggregate(**metrics))
    fields = {"year": g["year"], ("month" if f == "M" else "quarter"): g["part"]}
    g.index = pd.MultiIndex.from_arrays(
        [g["customer_id"], pd.PeriodIndex.from_fields(**fields, freq=f)], names=["customer_id", "period"]
    )
    return g.reindex(columns=columns).reindex(grid).astype(float).fillna(0.0)


def _activities_per_period(activities, ids: pd.Index, start, end, f: str, grid) -> pd.DataFrame:
    """The field visits and calls of ``ids`` per customer and period, on ``grid`` (zeros elsewhere)."""
    a = None
    if activities is not None and not isinstance(activities, pd.DataFrame):  # in the engine: only these rows come back
        moment = moments(activities.date)
        a = frame(activities.filter((moment > start) & (moment <= end) & activities.customer_id.isin(ids.tolist())))
    elif activities is not None:
        a = activities[activities["customer_id"].isin(ids) & (activities["date"] > start) & (activities["date"] <= end)]
    if a is None or not len(a):
        return pd.DataFrame({"visits": 0, "calls": 0}, index=grid)
    a = a.assign(period=a["date"].dt.to_period(f), visit=is_field_visit(a), call=a["type"].eq("call"))
    counts = (
        a.groupby(["customer_id", "period"])[["visit", "call"]]
        .sum()
        .rename(columns={"visit": "visits", "call": "calls"})
    )
    return counts.reindex(grid).fillna(0)


def _team_cost(account_team: pd.Series | None, grid: pd.MultiIndex, start: pd.Timestamp, end: pd.Timestamp):
    """Each customer's account-team cost per period: its yearly cost x the period's days in the span / the span's."""
    if account_team is None or not len(grid):
        return 0.0
    yearly = pd.to_numeric(account_team, errors="coerce").astype("float64")
    yearly.index = yearly.index.astype(str)
    cost = yearly.groupby(level=0).first().reindex(grid.get_level_values("customer_id")).fillna(0.0).to_numpy()
    periods = pd.PeriodIndex(grid.get_level_values("period"))
    day = np.timedelta64(1, "D")
    first = np.maximum(periods.start_time.normalize().to_numpy(), (start.normalize() + pd.Timedelta(days=1)).to_numpy())
    last = np.minimum(periods.end_time.normalize().to_numpy(), end.normalize().to_numpy())
    days = np.clip((last - first) / day + 1, 0, None)  # the period's days after start, up to end
    span = max((end.normalize() - start.normalize()).days, 1)
    return cost * days / span


# --------------------------------------------------------------------------- whale curve and 80/20
def whale_curve(profit: pd.Series) -> pd.DataFrame:
    """Cumulative operating profit over the customers sorted by profit, most profitable first.

    Parameters
    ----------
    profit : Series
        Operating profit per customer (index: customer id).

    Returns
    -------
    DataFrame
        One row per customer: ``customer_id``, ``operating_profit``,
        ``cumulative_profit``, ``share_of_customers`` (rank / n) and
        ``cumulative_share`` (cumulative profit / total; NaN if the total is
        not positive). The last cumulative profit is the total.

    >>> whale_curve(pd.Series({"a": -20.0, "b": 100.0, "c": 20.0}))["cumulative_profit"].tolist()
    [100.0, 120.0, 100.0]
    """
    df = profit.astype(float).rename_axis("customer_id").rename("operating_profit").reset_index()
    df = df.sort_values(["operating_profit", "customer_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    n = len(df)
    df["cumulative_profit"] = df["operating_profit"].cumsum()
    df["share_of_customers"] = (np.arange(1, n + 1) / n) if n else []
    total = df["operating_profit"].sum()
    df["cumulative_share"] = df["cumulative_profit"] / total if total > 0 else np.nan
    return df


def best_share_of_profit(profit: pd.Series, share: float = 0.2) -> float:
    """Share of the total operating profit that the best ``share`` of customers bring.

    The best are the ``ceil(share x n)`` most profitable (at least one). Above
    1 when the others lose money together; NaN when the total is not positive.

    >>> best_share_of_profit(pd.Series([50.0, 30.0, 10.0, 5.0, 5.0]))  # 50 / 100
    0.5
    >>> best_share_of_profit(pd.Series([90.0, 20.0, 10.0, -10.0, -10.0]))  # 90 / 100
    0.9
    """
    values = profit.astype(float).sort_values(ascending=False, kind="stable")
    n = len(values)
    total = values.sum()
    if n == 0 or not total > 0:
        return float("nan")
    k = max(1, math.ceil(share * n - 1e-9))
    return float(values.head(k).sum() / total)


def value_destroyers(profitability: pd.DataFrame) -> pd.DataFrame:
    """The accounts with an operating profit below zero, the worst first."""
    lost = profitability[profitability["operating_profit_12m"] < 0]
    return lost.sort_values("operating_profit_12m", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- account-value score
def _min_max(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    v = values.astype(float)
    lo, hi = v.min(), v.max()
    if not np.isfinite(lo) or not np.isfinite(hi):
        return pd.Series(np.nan, index=v.index)
    if hi == lo:
        return pd.Series(np.where(v.notna(), 1.0, np.nan), index=v.index)
    scaled = (v - lo) / (hi - lo)
    return scaled if higher_is_better else 1.0 - scaled


def account_value_score(
    accounts: pd.DataFrame, weight_proximity: float = 1.0, weight_growth: float = 1.0, weight_ease: float = 1.0
) -> pd.DataFrame:
    """A 0-100 score of an account's value beyond volume: proximity, growth potential, ease of service.

    Each part runs from 0 to 1 within the accounts given:

    * proximity: the nearest account (``distance_km``) 1, the farthest 0;
    * growth: the scorecard's ``growth_potential`` (1 to 5) as (score - 1) / 4;
      where it is missing, the revenue trend per revenue, nearest 1 for the
      fastest grower;
    * ease of service: ``cost_to_serve_12m`` per ``revenue_12m``, the lowest 1,
      the highest 0.

    A missing part counts as 0.5. The score is the weighted mean x 100; the
    weights are relative (equal weights when all are zero).

    Examples
    --------
    >>> df = pd.DataFrame({"distance_km": [10.0, 50.0, 90.0], "growth_potential": [5, 3, 1],
    ...                    "cost_to_serve_12m": [100.0, 300.0, 500.0], "revenue_12m": [10_000.0] * 3})
    >>> account_value_score(df)["account_value_score"].round(1).tolist()
    [100.0, 50.0, 0.0]
    """
    df = pd.DataFrame(index=accounts.index)
    df["proximity_score"] = (
        _min_max(accounts["distance_km"], higher_is_better=False) if "distance_km" in accounts else np.nan
    )
    growth = pd.Series(np.nan, index=accounts.index)
    if "growth_potential" in accounts:
        growth = (accounts["growth_potential"].astype("Float64").astype(float) - 1) / 4
    if growth.isna().any() and "revenue_trend" in accounts:
        revenue = accounts["revenue_12m"].astype(float)
        relative = accounts["revenue_trend"].astype(float) / revenue.where(revenue > 0)
        growth = growth.fillna(_min_max(relative))
    df["growth_score"] = growth
    revenue = accounts["revenue_12m"].astype(float)
    ratio = accounts["cost_to_serve_12m"].astype(float) / revenue.where(revenue > 0)
    ratio = ratio.fillna(ratio.max() if ratio.notna().any() else np.nan)
    df["ease_score"] = _min_max(ratio, higher_is_better=False)
    df = df.astype(float).fillna(0.5)
    weights = np.array([weight_proximity, weight_growth, weight_ease], float)
    if weights.sum() <= 0:
        weights = np.ones(3)
    weights = weights / weights.sum()
    df["account_value_score"] = 100 * df[["proximity_score", "growth_score", "ease_score"]].to_numpy() @ weights
    return df
