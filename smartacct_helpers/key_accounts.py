"""Key accounts: who they are, what hangs on them, and which of them earn money (METHOD.md section 5).

* **Candidates**: customers whose share of revenue or of contribution margin
  over the last 12 months reaches ``key_account_min_share``, and the
  ``key_account_top_n`` largest by revenue.
* **Concentration**: top-1/5/10 shares, the Herfindahl index with its band,
  the Lorenz curve and the major customers (``major_customer_share``).
* **Worst case**: losing the top k accounts (or any chosen set): revenue and
  contribution margin lost, the fixed costs the remaining margin no longer
  covers, and how many smart accounts at their average margin replace them.
* **Value analysis**: per account and quarter (or month) revenue, discounts,
  rebates, contribution margin, the cost to serve and the operating profit;
  the whale curve and the 80/20 test; the value destroyers.
* **Beyond volume**: an account-value score from proximity, growth potential
  and ease of service.
* **Scorecard**: willingness to partner, transparency and growth potential
  into strategic partner / key account / large account / transactional,
  over time where assessments have dates.
* **Portfolio map**: every customer by value and potential with the
  treatment it should get.

Money conventions: ``revenue`` and ``contribution_margin`` of the orders are
invoice values, after the discount on the invoice line and before rebates
paid later. ``discount`` is shown for information (it is already off the
revenue); ``rebate`` is deducted from the contribution margin. The cost to
serve counts field visits (type visit or meeting, not by the inside team) at
the visit cost, calls at ``call_cost``, orders at ``order_handling_cost`` and
order lines at ``line_handling_cost``:

    operating profit = contribution margin - rebates - cost to serve

Examples
--------
A customer with 10,000 margin, 500 rebates, 4 visits at 137.50, 10 calls at
8, 20 orders at 20 and 50 lines at 2: cost to serve 550 + 80 + 400 + 100 =
1,130, operating profit 10,000 - 500 - 1,130 = 8,370.

>>> rates = ServiceRates(visit=137.5, call=8, order=20, line=2)
>>> float(cost_to_serve(4, 10, 20, 50, rates))
1130.0
>>> float(10_000 - 500 - cost_to_serve(4, 10, 20, 50, rates))
8370.0
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .arrow import labelled, looked_up, positions
from .concentration import concentration_summary, revenue_shares
from .facts.concepts import has_values
from .facts.orders import as_table, frame, moments, months_before
from .field_visits.analysis import field_economics

CLASSES = ["strategic partner", "key account", "large account", "transactional"]
NOT_ASSESSED = "not assessed"
TREATMENTS = ["key-account programme", "field sales", "inside sales", "self-service"]
SCORES = ["partner_willingness", "transparency", "growth_potential"]


# --------------------------------------------------------------------------- candidates
def name_of(names: pd.Series | None, customer_id) -> str:
    """A customer's name from ``names`` (by customer id) where it has one, else its id.

    >>> name_of(pd.Series({"7": "Elektro Graf", "8": None}), "8")
    '8'
    """
    name = names.get(customer_id) if names is not None else None
    return name if isinstance(name, str) and name.strip() else str(customer_id)


def _margin(customers: pd.DataFrame, margin_rate_if_unknown: float = 0.25) -> pd.Series:
    if "contribution_margin_12m" in customers:
        return customers["contribution_margin_12m"].astype(float)
    return customers["revenue_12m"].astype(float) * margin_rate_if_unknown


def _shares(values: pd.Series) -> pd.Series:
    """Each entry's share of the positive total; zero for entries of zero or less."""
    positive = values.clip(lower=0)
    total = positive.sum()
    return positive / total if total > 0 else positive * 0.0


def account_shares(customers: pd.DataFrame, min_share: float = 0.05, top_n: int = 0,
                   margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
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
    """
    df = customers.copy()
    revenue = df["revenue_12m"].astype(float)
    df["revenue_share"] = _shares(revenue)
    df["margin_share"] = _shares(_margin(df, margin_rate_if_unknown))
    if df["customer_id"].is_monotonic_increasing:  # the customer facts' order: ties by id are ties by position
        order = np.argsort(-revenue.to_numpy(), kind="stable")
    else:
        order = df.assign(_r=revenue).reset_index(drop=True).sort_values(
            ["_r", "customer_id"], ascending=[False, True], kind="stable").index.to_numpy()
    rank = np.empty(len(df), dtype=int)
    rank[order] = np.arange(1, len(df) + 1)
    df["revenue_rank"] = rank
    by_revenue = df["revenue_share"] >= min_share - 1e-12
    by_margin = df["margin_share"] >= min_share - 1e-12
    by_rank = (df["revenue_rank"] <= top_n) & (revenue > 0)
    df["key_account"] = (by_revenue | by_margin | by_rank) & (revenue > 0)
    reason = np.select([~df["key_account"], by_revenue, by_margin, by_rank], [0, 1, 2, 3], default=0)
    df["key_account_reason"] = labelled(reason, ["", "revenue share", "margin share", f"top {top_n}"], df.index)
    return df


def key_account_candidates(customers: pd.DataFrame, min_share: float = 0.05, top_n: int = 0,
                           margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
    """The candidates only, largest first, with both shares (see :func:`account_shares`)."""
    df = account_shares(customers, min_share, top_n, margin_rate_if_unknown)
    return df[df["key_account"]].sort_values("revenue_rank").reset_index(drop=True)


# --------------------------------------------------------------------------- concentration
def concentration_table(revenue: pd.Series, major_share: float = 0.10) -> pd.DataFrame:
    """The concentration figures as a table with a reading for each.

    Returns
    -------
    DataFrame
        Index: figure; columns ``value`` and ``reading``.
    """
    s = concentration_summary(revenue, major_share)
    rows = [
        ("customers with revenue", s["customers"], "customers with positive revenue in the last 12 months"),
        ("top-1 share", s["top1_share"], "share of revenue of the largest customer"),
        ("top-5 share", s["top5_share"], "share of revenue of the five largest"),
        ("top-10 share", s["top10_share"], "share of revenue of the ten largest"),
        ("Herfindahl index", s["hhi"], f"sum of squared shares: {s['hhi_band']} "
                                        "(below 0.15 diversified, 0.15 to 0.25 moderate, from 0.25 concentrated)"),
        ("equivalent customers", s["equivalent_customers"], "equal customers that would give the same index (1 / HHI)"),
        ("Gini coefficient", s["gini"], "0 = every customer buys the same, near 1 = one customer buys everything"),
        ("major customers", len(s["major_customers"]), f"customers with {major_share:.0%} of revenue or more"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "reading"]).set_index("figure")


def concentration_flags(customers: pd.DataFrame, major_share: float = 0.10, top5_limit: float = 0.5) -> list[str]:
    """Plain-language warnings about concentration.

    One line per customer at or above ``major_share`` of revenue, one when
    the five largest bring ``top5_limit`` or more, one when the Herfindahl
    index is moderate or concentrated.
    """
    revenue = customers.set_index("customer_id")["revenue_12m"]
    s = concentration_summary(revenue, major_share)
    names = customers.set_index("customer_id")["name"] if "name" in customers else pd.Series(dtype=object)
    shares = revenue_shares(revenue)
    flags = [
        f"{name_of(names, cid)}{'' if name_of(names, cid) == str(cid) else f' ({cid})'} brings {shares[cid]:.1%} "
        f"of revenue, at or above {major_share:.0%}"
        for cid in s["major_customers"]
    ]
    if s["top5_share"] >= top5_limit:
        flags.append(f"the five largest customers bring {s['top5_share']:.1%} of revenue")
    if s["hhi_band"] != "diversified":
        flags.append(f"the Herfindahl index of {s['hhi']:.3f} is {s['hhi_band']}")
    return flags


# --------------------------------------------------------------------------- worst case
def loss_scenario(customers: pd.DataFrame, lost_ids, fixed_costs: float | None = None,
                  replacement_margin: float | None = None, margin_rate_if_unknown: float = 0.25) -> dict:
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
    df = customers.loc[customers[by] > 0, ["customer_id", by]]
    df = df.sort_values([by, "customer_id"], ascending=[False, True], kind="stable")
    return df["customer_id"].astype(str).head(k).tolist()


def worst_case_table(customers: pd.DataFrame, k_max: int = 5, by: str = "revenue_12m",
                     fixed_costs: float | None = None, replacement_margin: float | None = None,
                     margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
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
        columns = ["accounts_lost", *loss_scenario(customers, [], fixed_costs, replacement_margin, margin_rate_if_unknown)]
        return pd.DataFrame(columns=columns, index=pd.Index([], name="k", dtype=int))
    return pd.DataFrame(rows).set_index("k")


def smart_account_margin(classified: pd.DataFrame, margin_rate_if_unknown: float = 0.25) -> float:
    """Average contribution margin of the last 12 months over the smart accounts (NaN if none)."""
    smart = classified[classified["smart_account"].astype(bool)]
    if smart.empty:
        return float("nan")
    return float(_margin(smart, margin_rate_if_unknown).mean())


# --------------------------------------------------------------------------- cost to serve
@dataclass(frozen=True)
class ServiceRates:
    """What one field visit, call, order and order line cost."""

    visit: float
    call: float
    order: float
    line: float


def service_rates(assumptions) -> ServiceRates:
    """The rates from the params: the visit cost of section 2 and the handling costs.

    >>> from smartacct_helpers.params import Assumptions
    >>> service_rates(Assumptions())
    ServiceRates(visit=137.5, call=8.0, order=20.0, line=2.0)
    """
    return ServiceRates(float(field_economics(assumptions).visit_cost), float(assumptions.call_cost),
                        float(assumptions.order_handling_cost), float(assumptions.line_handling_cost))


def cost_to_serve(visits, calls, orders, lines, rates: ServiceRates):
    """Visits x visit cost + calls x call cost + orders x order cost + lines x line cost."""
    return visits * rates.visit + calls * rates.call + orders * rates.order + lines * rates.line


def _is_field_visit(activities: pd.DataFrame) -> pd.Series:
    field = activities["type"].isin(["visit", "meeting"])
    if "team" in activities:
        field &= activities["team"].isna() | (activities["team"] != "inside")
    return field


def _between(orders, start, end):
    """``start < date <= end`` for the invoice lines ``orders`` (an Ibis table); bounds are points in time."""
    moment = moments(orders.date)
    return (moment > pd.Timestamp(start).to_pydatetime()) & (moment <= pd.Timestamp(end).to_pydatetime())


def window_sums(orders, reference_date, columns=("discount", "rebate"), months: int = 12) -> pd.DataFrame:
    """Per customer: the sums of ``columns`` over the ``months`` up to the reference date.

    Lines with ``reference_date - months < date <= reference_date`` count;
    the sums run in the engine. Columns the orders do not have are left
    out.

    Parameters
    ----------
    orders : DataFrame or ibis.Table
        Invoice lines (``customer_id, date`` and the ``columns``).
    reference_date : date
    columns : iterable of str
    months : int

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (the customers with a line in the
        window, by id), one column per summed column.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["k", "k", "m"], "rebate": [5.0, 7.0, 3.0],
    ...                   "date": pd.to_datetime(["2024-12-31", "2025-12-31", "2025-01-01"])})
    >>> window_sums(o, "2025-12-31")["rebate"].to_dict()   # 31.12.2024 is outside
    {'k': 7.0, 'm': 3.0}
    """
    ref = pd.Timestamp(reference_date)
    start = pd.Timestamp(months_before(ref.date(), months))
    orders = as_table(orders)
    cols = [c for c in columns if c in orders.columns]
    if not cols:
        return pd.DataFrame(index=pd.Index([], name="customer_id"))
    window = orders.filter(_between(orders, start, ref))
    sums = frame(window.group_by("customer_id").aggregate(**{c: window[c].sum() for c in cols}))
    return sums.set_index("customer_id").sort_index().fillna(0.0)


def account_profitability(customers: pd.DataFrame, rates: ServiceRates, sums: pd.DataFrame | None = None,
                          margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
    """Per customer over the last 12 months: margin, rebates, the cost to serve and the operating profit.

    Parameters
    ----------
    customers : DataFrame
        The customer facts (``customer_id, revenue_12m``, optionally
        ``contribution_margin_12m``, ``visits_12m, calls_12m, orders_12m,
        lines_12m``; missing counts are zero).
    rates : ServiceRates
    sums : DataFrame, optional
        ``discount`` and ``rebate`` per customer id over the same window
        (:func:`window_sums`).

    Returns
    -------
    DataFrame
        ``customer_id``, ``name`` (where known), ``revenue_12m``,
        ``discount_12m``, ``rebate_12m``, ``contribution_margin_12m``,
        ``margin_after_rebate_12m``, the four counts, ``cost_visits``,
        ``cost_calls``, ``cost_orders``, ``cost_lines``,
        ``service_cost_12m`` (their sum) and ``operating_profit_12m``.
    """
    df = pd.DataFrame({"customer_id": customers["customer_id"].astype(str).to_numpy()}, index=customers.index)
    if "name" in customers:
        df["name"] = customers["name"]
    df["revenue_12m"] = customers["revenue_12m"].astype(float)
    sums = sums if sums is not None else pd.DataFrame()
    at = positions(df["customer_id"], sums.index)  # each customer's row of the sums, -1 without one
    for col in ("discount", "rebate"):  # the orders may have either without the other
        if col not in sums:
            df[f"{col}_12m"] = 0.0
            continue
        found = np.append(sums[col].to_numpy(dtype="float64", na_value=np.nan), np.nan)[at]  # -1: the NaN
        df[f"{col}_12m"] = np.where(np.isnan(found), 0.0, found)  # no sum: 0
    df["contribution_margin_12m"] = _margin(customers, margin_rate_if_unknown)
    df["margin_after_rebate_12m"] = df["contribution_margin_12m"] - df["rebate_12m"]
    for col in ("visits_12m", "calls_12m", "orders_12m", "lines_12m"):
        df[col] = customers[col].fillna(0).astype(int) if col in customers else 0
    df["cost_visits"] = df["visits_12m"] * rates.visit
    df["cost_calls"] = df["calls_12m"] * rates.call
    df["cost_orders"] = df["orders_12m"] * rates.order
    df["cost_lines"] = df["lines_12m"] * rates.line
    df["service_cost_12m"] = df[["cost_visits", "cost_calls", "cost_orders", "cost_lines"]].sum(axis=1)
    df["operating_profit_12m"] = df["margin_after_rebate_12m"] - df["service_cost_12m"]
    return df


def period_value_analysis(orders, activities, customer_ids, start, end,
                          freq: str = "Q", rates: ServiceRates | None = None,
                          margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
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
        The margin rate on revenue where the data has no contribution margin.

    Returns
    -------
    DataFrame
        ``customer_id, period`` (a pandas Period), ``revenue``,
        ``discount``, ``rebate`` (zero where the data has none),
        ``contribution_margin``, ``orders``, ``lines``, ``visits``,
        ``calls``, ``cost_to_serve``, ``operating_profit``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["k", "k"], "date": pd.to_datetime(["2025-01-10", "2025-04-02"]),
    ...                   "order_id": ["1", "2"], "revenue": [1000.0, 500.0],
    ...                   "contribution_margin": [200.0, 100.0], "rebate": [30.0, 15.0]})
    >>> r = period_value_analysis(o, None, ["k"], "2024-12-31", "2025-06-30", "Q",
    ...                           ServiceRates(visit=100, call=5, order=20, line=2))
    >>> r["operating_profit"].tolist()  # 200 - 30 - 20 - 2; 100 - 15 - 20 - 2
    [148.0, 63.0]
    """
    rates = rates or ServiceRates(0.0, 0.0, 0.0, 0.0)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    ids = pd.Index([str(c) for c in customer_ids], name="customer_id").unique()
    f = "M" if str(freq).upper().startswith("M") else "Q"
    periods = pd.period_range((start + pd.Timedelta(days=1)).to_period(f), end.to_period(f), freq=f, name="period")
    grid = pd.MultiIndex.from_product([ids, periods], names=["customer_id", "period"])

    sums = ["revenue", "discount", "rebate", "contribution_margin"]
    out = pd.DataFrame(0.0, index=grid, columns=[*sums, "orders", "lines"])
    if len(ids):
        orders = as_table(orders)
        o = orders.filter(_between(orders, start, end))
        if len(ids) <= 1000:  # a few accounts: only their lines; many: all lines, the grid below keeps theirs
            o = o.filter(o.customer_id.isin(ids.tolist()))
        moment = moments(o.date)
        part = moment.month() if f == "M" else moment.quarter()
        margin = o.contribution_margin if "contribution_margin" in o.columns else o.revenue * margin_rate_if_unknown
        metrics = {"revenue": o.revenue.sum(), "contribution_margin": margin.sum()}
        metrics |= {col: o[col].sum() for col in ("discount", "rebate") if col in o.columns}
        metrics["orders"] = (o.order_id if "order_id" in o.columns else o.date).nunique()
        metrics["lines"] = o.lines.sum()
        g = frame(o.group_by(["customer_id", moment.year().name("year"), part.name("part")]).aggregate(**metrics))
        fields = {"year": g["year"], ("month" if f == "M" else "quarter"): g["part"]}
        g.index = pd.MultiIndex.from_arrays([g["customer_id"], pd.PeriodIndex.from_fields(**fields, freq=f)],
                                            names=["customer_id", "period"])
        out = g.reindex(columns=out.columns).reindex(grid).astype(float).fillna(0.0)

    a = None
    if activities is not None and not isinstance(activities, pd.DataFrame):  # in the engine: only these rows come back
        moment = moments(activities.date)
        a = frame(activities.filter((moment > start) & (moment <= end) & activities.customer_id.isin(ids.tolist())))
    elif activities is not None:
        a = activities[activities["customer_id"].isin(ids) & (activities["date"] > start) & (activities["date"] <= end)]
    if a is not None and len(a):
        a = a.assign(period=a["date"].dt.to_period(f), visit=_is_field_visit(a), call=a["type"].eq("call"))
        counts = a.groupby(["customer_id", "period"])[["visit", "call"]].sum().rename(columns={"visit": "visits", "call": "calls"})
        out = out.join(counts.reindex(grid).fillna(0))
    else:
        out["visits"] = 0
        out["calls"] = 0
    for col in ("orders", "lines", "visits", "calls"):
        out[col] = out[col].astype(int)
    out["cost_to_serve"] = cost_to_serve(out["visits"], out["calls"], out["orders"], out["lines"], rates)
    out["operating_profit"] = out["contribution_margin"] - out["rebate"] - out["cost_to_serve"]
    return out.reset_index()


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
    df = df.sort_values(["operating_profit", "customer_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
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


def account_value_score(accounts: pd.DataFrame, weight_proximity: float = 1.0, weight_growth: float = 1.0,
                        weight_ease: float = 1.0) -> pd.DataFrame:
    """A 0-100 score of an account's value beyond volume: proximity, growth potential, ease of service.

    Each part runs from 0 to 1 within the accounts given:

    * proximity: the nearest account (``distance_km``) 1, the farthest 0;
    * growth: the scorecard's ``growth_potential`` (1 to 5) as (score - 1) / 4;
      where it is missing, the revenue trend per revenue, nearest 1 for the
      fastest grower;
    * ease of service: ``service_cost_12m`` per ``revenue_12m``, the lowest 1,
      the highest 0.

    A missing part counts as 0.5. The score is the weighted mean x 100; the
    weights are relative (equal weights when all are zero).

    Examples
    --------
    >>> df = pd.DataFrame({"distance_km": [10.0, 50.0, 90.0], "growth_potential": [5, 3, 1],
    ...                    "service_cost_12m": [100.0, 300.0, 500.0], "revenue_12m": [10_000.0] * 3})
    >>> account_value_score(df)["account_value_score"].round(1).tolist()
    [100.0, 50.0, 0.0]
    """
    df = pd.DataFrame(index=accounts.index)
    df["proximity_score"] = _min_max(accounts["distance_km"], higher_is_better=False) if "distance_km" in accounts else np.nan
    growth = pd.Series(np.nan, index=accounts.index)
    if "growth_potential" in accounts:
        growth = (accounts["growth_potential"].astype("Float64").astype(float) - 1) / 4
    if growth.isna().any() and "revenue_trend" in accounts:
        revenue = accounts["revenue_12m"].astype(float)
        relative = accounts["revenue_trend"].astype(float) / revenue.where(revenue > 0)
        growth = growth.fillna(_min_max(relative))
    df["growth_score"] = growth
    revenue = accounts["revenue_12m"].astype(float)
    ratio = accounts["service_cost_12m"].astype(float) / revenue.where(revenue > 0)
    ratio = ratio.fillna(ratio.max() if ratio.notna().any() else np.nan)
    df["ease_score"] = _min_max(ratio, higher_is_better=False)
    df = df.astype(float).fillna(0.5)
    weights = np.array([weight_proximity, weight_growth, weight_ease], float)
    if weights.sum() <= 0:
        weights = np.ones(3)
    weights = weights / weights.sum()
    df["account_value_score"] = 100 * df[["proximity_score", "growth_score", "ease_score"]].to_numpy() @ weights
    return df


# --------------------------------------------------------------------------- scorecard
def scorecard_class(scores: pd.DataFrame, large, partner_min_score: int = 4,
                    key_account_min_average: float = 3.5) -> pd.Series:
    """Relationship class from the three scorecard criteria (1 to 5 each).

    * **strategic partner**: every criterion at least ``partner_min_score``;
    * **key account**: the average at least ``key_account_min_average``;
    * **large account**: neither, but large by volume (``large``);
    * **transactional**: the rest;
    * **not assessed**: a criterion is missing.

    >>> s = pd.DataFrame({"partner_willingness": [5, 4, 2, 2, None], "transparency": [4, 3, 2, 2, 3],
    ...                   "growth_potential": [4, 4, 3, 3, 3]})
    >>> scorecard_class(s, [True, True, True, False, True]).tolist()
    ['strategic partner', 'key account', 'large account', 'transactional', 'not assessed']
    """
    values = scores[SCORES].astype("Float64").astype(float)
    large = np.asarray(large, dtype=bool)
    complete = values.notna().all(axis=1).to_numpy()
    partner = (values.min(axis=1) >= partner_min_score).to_numpy()
    key = (values.mean(axis=1) >= key_account_min_average - 1e-12).to_numpy()
    cls = np.select([~complete, partner, key, large], [NOT_ASSESSED, CLASSES[0], CLASSES[1], CLASSES[2]], CLASSES[3])
    return pd.Series(cls, index=scores.index, dtype=object)


def assessments_for(workbook) -> pd.DataFrame | None:
    """The workbook's scorecard assessments (``data.assessments`` in the params), or None."""
    return workbook.tables.assessments


def assessment_history(assessments: pd.DataFrame, large_ids, partner_min_score: int = 4,
                       key_account_min_average: float = 3.5, freq: str = "Q") -> pd.DataFrame:
    """Every assessment with its class and the calendar period (quarter by default) it falls in.

    Where one account has several assessments in a period, the latest counts.
    """
    df = assessments.copy()
    df["customer_id"] = df["customer_id"].astype(str)
    df["period"] = pd.to_datetime(df["date"]).dt.to_period(freq)
    df = df.sort_values(["customer_id", "date"], kind="stable").drop_duplicates(["customer_id", "period"], keep="last")
    large = df["customer_id"].isin(set(map(str, large_ids)))
    df["class"] = scorecard_class(df, large, partner_min_score, key_account_min_average).to_numpy()
    return df.reset_index(drop=True)


def scorecard_movement(history: pd.DataFrame) -> pd.DataFrame:
    """Accounts by class at their first assessment (rows) and at their latest (columns)."""
    ordered = history.sort_values(["customer_id", "date"], kind="stable")
    first = ordered.groupby("customer_id")["class"].first()
    last = ordered.groupby("customer_id")["class"].last()
    table = pd.crosstab(first.rename("first assessment"), last.rename("latest assessment"))
    order = [c for c in CLASSES + [NOT_ASSESSED] if c in table.index or c in table.columns]
    return table.reindex(index=order, columns=order, fill_value=0)


def class_changes(history: pd.DataFrame, names: pd.Series | None = None) -> pd.DataFrame:
    """The accounts whose class changed between their first and latest assessment.

    With ``names`` (by customer id), a column ``name`` follows the id.
    """
    ordered = history.sort_values(["customer_id", "date"], kind="stable")
    g = ordered.groupby("customer_id")
    out = pd.DataFrame({"first_date": g["date"].first(), "first_class": g["class"].first(),
                        "latest_date": g["date"].last(), "latest_class": g["class"].last()})
    rank = {c: i for i, c in enumerate(CLASSES)}
    out = out[out["first_class"] != out["latest_class"]].copy()
    out["direction"] = np.where(out["latest_class"].map(rank) < out["first_class"].map(rank), "up", "down")
    out = out.reset_index()
    if names is not None and len(names):
        out.insert(1, "name", looked_up(out["customer_id"].astype(str), names).fillna(""))
    return out


# --------------------------------------------------------------------------- the workbook layer
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

    def copy(self, deep: bool = False) -> "KeyAccountAnalysis":  # what a workbook's memory hands out
        return self

    def names(self) -> pd.Series:
        """The customers' names by customer id (empty without names)."""
        df = self.classified
        return df.set_index("customer_id")["name"] if "name" in df else pd.Series(dtype=object)


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
    from .inside_sales.business_case import margin_in_data
    from .facts.coverage import trend_available

    a = workbook.assumptions
    df = workbook.classify()
    margin_known, trend_known = margin_in_data(workbook), trend_available(workbook)
    if margin_known:
        accounts = workbook.account_shares()
    else:  # a margin column present but empty: the params' margin rate, as without the column
        df = df.drop(columns="contribution_margin_12m", errors="ignore")
        accounts = account_shares(df, a.key_account_min_share, a.key_account_top_n, a.margin_rate_if_unknown)
    if not trend_known:  # no trend from years the data does not hold
        df = df.assign(revenue_trend=np.nan)
        accounts = accounts.assign(revenue_trend=np.nan)
    sums = workbook.window_sums()
    prof = account_profitability(df, service_rates(a), sums, a.margin_rate_if_unknown)
    if assessments is None:
        assessments = assessments_for(workbook)
    large_ids = accounts.loc[accounts["key_account"], "customer_id"].astype(str).tolist()
    history = None
    if assessments is not None and len(assessments):
        upto = assessments[pd.to_datetime(assessments["date"]) <= pd.Timestamp(workbook.reference_date)]
        history = assessment_history(upto, large_ids, a.scorecard_partner_min_score, a.scorecard_key_account_min_average)

    keep = ["customer_id", "name", "industry", "region", "distance_km", "revenue_12m", "revenue_share",
            "contribution_margin_12m", "margin_share", "revenue_rank", "key_account_reason", "revenue_trend",
            "potential", "segment", "competitor_activity", *SCORES]
    ka = accounts.loc[accounts["key_account"], [c for c in keep if c in accounts]].copy()
    extra = ["discount_12m", "rebate_12m", "margin_after_rebate_12m", "visits_12m", "calls_12m", "orders_12m",
             "lines_12m", "service_cost_12m", "operating_profit_12m"]
    ka = ka.join(prof.loc[ka.index, extra])
    if history is not None:
        latest = history.sort_values("date").groupby("customer_id").last()
        for col in SCORES:
            current = ka[col] if col in ka else pd.Series(pd.NA, index=ka.index)
            ka[col] = ka["customer_id"].map(latest[col]).astype("Int64").fillna(current.astype("Int64"))
        ka["assessed_on"] = ka["customer_id"].map(latest["date"])
    else:
        ka["assessed_on"] = pd.NaT
    ka = ka.join(account_value_score(ka, a.account_value_weight_proximity, a.account_value_weight_growth,
                                     a.account_value_weight_ease))
    for col in SCORES:
        if col not in ka:
            ka[col] = pd.array([pd.NA] * len(ka), dtype="Int64")
    ka["class"] = scorecard_class(ka, np.ones(len(ka), bool), a.scorecard_partner_min_score,
                                  a.scorecard_key_account_min_average).to_numpy()
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

    return workbook._remembered("key_account_analysis", compute, workbook.assumptions)


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
    return (key_accounts["customer_id"].astype(str).head(largest).tolist(),
            words.get(largest, f"The {largest} largest accounts"))


def only_large_accounts(key_accounts: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Of the ``n`` largest candidates (by revenue), those the scorecard places as large accounts only.

    >>> k = pd.DataFrame({"revenue_rank": [2, 1, 3], "class": ["large account", "key account", "large account"]})
    >>> only_large_accounts(k, 2)["revenue_rank"].tolist()
    [2]
    """
    largest = key_accounts.sort_values("revenue_rank", kind="stable").head(n)
    return largest[largest["class"] == CLASSES[2]]


def key_account_value_analysis(workbook, analysis: KeyAccountAnalysis | None = None, freq: str = "Q",
                               months: int = 12) -> pd.DataFrame:
    """:func:`period_value_analysis` for the key accounts over the ``months`` up to the reference date."""
    analysis = analysis or analysis_of(workbook)
    ref = pd.Timestamp(workbook.reference_date)
    start = pd.Timestamp(months_before(ref.date(), months))
    out = period_value_analysis(workbook.order_totals, workbook.activities, analysis.key_account_ids,
                                start, ref, freq, service_rates(workbook.assumptions),
                                workbook.assumptions.margin_rate_if_unknown)
    names = analysis.key_accounts.set_index("customer_id")["name"] if "name" in analysis.key_accounts else None
    if names is not None:
        out.insert(1, "name", out["customer_id"].map(names))
    return out


def worst_case(workbook, analysis: KeyAccountAnalysis | None = None, k_max: int = 5, by: str = "revenue_12m") -> pd.DataFrame:
    """:func:`worst_case_table` with the params' fixed costs and the smart accounts' average margin."""
    analysis = analysis or analysis_of(workbook)
    a = workbook.assumptions
    return worst_case_table(analysis.classified, k_max, by, a.fixed_costs,
                            smart_account_margin(analysis.classified, a.margin_rate_if_unknown), a.margin_rate_if_unknown)


def chosen_loss(workbook, lost_ids, analysis: KeyAccountAnalysis | None = None) -> dict:
    """:func:`loss_scenario` for any chosen set of customers, with the params' figures."""
    analysis = analysis or analysis_of(workbook)
    a = workbook.assumptions
    return loss_scenario(analysis.classified, lost_ids, a.fixed_costs,
                         smart_account_margin(analysis.classified, a.margin_rate_if_unknown), a.margin_rate_if_unknown)


def treatment(classified: pd.DataFrame, programme_ids, self_service_max_revenue: float) -> pd.Series:
    """The treatment each customer should get.

    * **key-account programme**: ``programme_ids``;
    * **field sales**: revenue at or above the sales threshold (segment
      ``field``);
    * **self-service**: lapsed customers and small customers buying less than
      ``self_service_max_revenue`` a year;
    * **inside sales**: the other customers below the threshold (the small
      customers and the potential customers to develop).
    """
    programme = classified["customer_id"].astype(str).isin(set(map(str, programme_ids)))
    segment = classified["segment"]
    tiny = (segment == "small") & (classified["revenue_12m"] < self_service_max_revenue)
    out = np.select([programme, segment.eq("field"), segment.eq("lapsed") | tiny],
                    [TREATMENTS[0], TREATMENTS[1], TREATMENTS[3]], TREATMENTS[2])
    return pd.Series(out, index=classified.index, dtype=object)


def programme_accounts(key_accounts: pd.DataFrame) -> list[str]:
    """The candidates the key-account programme should take: strategic partners, key accounts and the not assessed."""
    keep = key_accounts["class"].isin([CLASSES[0], CLASSES[1], NOT_ASSESSED])
    return key_accounts.loc[keep, "customer_id"].astype(str).tolist()


def portfolio_map(workbook, analysis: KeyAccountAnalysis | None = None) -> pd.DataFrame:
    """Every customer by current value and potential, with its treatment.

    Returns
    -------
    DataFrame
        ``customer_id, name, revenue_12m, potential`` (at least the revenue;
        missing where the customer's potential is unknown),
        ``growth`` (revenue trend per year as a share of the revenue),
        ``operating_profit_12m``, ``segment``, ``key_account``, ``class``
        (the scorecard class of the candidates, empty for the others) and
        ``treatment``.
    """
    analysis = analysis or analysis_of(workbook)
    df = analysis.classified
    out = pd.DataFrame({"customer_id": df["customer_id"].astype(str)})
    if "name" in df:
        out["name"] = df["name"]
    out["revenue_12m"] = df["revenue_12m"].astype(float)
    potential = df["potential"].astype(float) if "potential" in df else pd.Series(np.nan, index=df.index)
    out["potential"] = np.maximum(potential, out["revenue_12m"].clip(lower=0))  # unknown stays unknown
    revenue = out["revenue_12m"]
    out["growth"] = (df["revenue_trend"] / revenue.where(revenue > 0)) if "revenue_trend" in df else np.nan
    out["operating_profit_12m"] = analysis.profitability["operating_profit_12m"]
    out["segment"] = df["segment"]
    out["key_account"] = analysis.accounts["key_account"].to_numpy()
    out["class"] = looked_up(out["customer_id"], analysis.key_accounts.set_index("customer_id")["class"]).fillna("")
    out["treatment"] = treatment(df, programme_accounts(analysis.key_accounts),
                                 workbook.assumptions.self_service_max_revenue).to_numpy()
    return out


def treatment_summary(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue, share of revenue and operating profit per treatment, in a fixed order."""
    g = portfolio.groupby("treatment").agg(customers=("customer_id", "size"), revenue_12m=("revenue_12m", "sum"),
                                           operating_profit_12m=("operating_profit_12m", "sum"))
    g = g.reindex(TREATMENTS).fillna(0)
    total = portfolio["revenue_12m"].clip(lower=0).sum()
    g["revenue_share"] = g["revenue_12m"].clip(lower=0) / total if total > 0 else 0.0
    g["customers"] = g["customers"].astype(int)
    return g


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
        ``customers_loss_making``: customers whose operating profit after
        rebates and the cost to serve is below zero. Without any candidate
        (no customer with revenue in the window), the profit share is None
        with its reason under ``"_limited"``.
    """
    from .summary import LIMITED

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
        figures[LIMITED] = {"profit_share_top20pct_key_accounts": "no customer has revenue in the last 12 months, "
                                                                  "so there is no key-account candidate"}
    return figures
