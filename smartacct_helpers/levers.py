"""Smart-account levers and realism about growth (METHOD.md section 7).

Two ways make small customers pay: more margin per order, or less cost per
order. Each lever is a what-if on the orders of the last 12 months, shown per
segment on revenue, contribution margin, cost to serve and operating profit
(contribution margin - cost to serve):

* **price**: goods get dearer by the segment's price increase ``p``; the
  volume bought changes by ``elasticity x p`` (never below zero). With
  revenue ``R`` and margin ``M`` the new revenue is ``R (1 + p) v`` and the
  new margin ``v (M + p R)``, where ``v = 1 + elasticity x p``. The number
  of orders stays, so the cost to serve does not move.
* **small-order surcharge** (small-customer segments): an order of value
  ``0 < value < surcharge_below_order_value`` either merges into another
  order (share ``surcharge_consolidation_share``: one order less to handle,
  the revenue stays) or pays the surcharge (revenue and margin + surcharge).
* **minimum order value** (small-customer segments): an order below
  ``minimum_order_value`` is refused; ``minimum_order_lost_share`` of its
  revenue and margin goes elsewhere, the rest joins a larger order; either
  way one order less to handle.
* **online self-service** (small-customer segments): ``online_shift_share``
  of the orders outside the web shop move there and cost
  ``online_order_cost`` instead of ``order_handling_cost`` to handle.

The cost to serve is the one of the classification: field visits at the
visit cost plus every order at ``order_handling_cost``. The combined what-if
applies all four to the same orders (minimum first, then the surcharge on
what is left, the price on the goods, the online shift on the remaining
orders).

Growth: the ABC transition matrix year on year shows how often a C customer
really became a B or A customer, and so how many of today's small customers
can be expected to become tomorrow's key accounts.

Examples
--------
A price increase of 5 % with an elasticity of -1 on revenue 1,000 and margin
300: volume x 0.95, revenue 1,000 x 1.05 x 0.95 = 997.50, margin
0.95 x (300 + 50) = 332.50:

>>> price_effect(1000.0, 300.0, 0.05, -1.0)
(997.5, 332.5)
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .costing import field_economics
from .facts import months_before
from .segments import SEGMENTS, abc_classes

#: the segments the order levers (surcharge, minimum order, online shift) apply to
SMALL_SEGMENTS = ("small", "develop")
LEVERS = ("price", "surcharge", "minimum", "online")
LEVER_LABELS = {
    "base": "today",
    "price": "price increase",
    "surcharge": "small-order surcharge",
    "minimum": "minimum order value",
    "online": "online self-service",
    "combined": "all levers together",
}
FIGURES = ("revenue", "contribution_margin", "cost_to_serve", "operating_profit")


def price_effect(revenue, margin, increase: float, elasticity: float):
    """Revenue and contribution margin after a price increase with a volume response.

    ``v = max(1 + elasticity x increase, 0)``; revenue ``R (1 + p) v``,
    margin ``v (M + p R)`` (the cost of the goods falls with the volume).

    >>> [round(v, 2) for v in price_effect(200.0, 50.0, 0.10, 0.0)]   # no volume response: +20, +20
    [220.0, 70.0]
    """
    volume = max(1.0 + elasticity * increase, 0.0)
    return revenue * (1 + increase) * volume, volume * (margin + increase * revenue)


def window_order_table(workbook, classified: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per order of the last 12 months with its customer's segment.

    Invoice lines are grouped by ``order_id`` (by customer and day where the
    data has none). Columns ``customer_id, segment, revenue,
    contribution_margin, online`` (the order went through the web shop).
    Credit notes stay as orders of negative value.
    """
    df = workbook.classify() if classified is None else classified
    orders = workbook.tables.orders
    ref = pd.Timestamp(workbook.reference_date)
    start = pd.Timestamp(months_before(workbook.reference_date, 12))
    o = orders[(orders["date"] > start) & (orders["date"] <= ref + pd.Timedelta(hours=23, minutes=59))]
    o = o.copy()
    if "contribution_margin" not in o:
        o["contribution_margin"] = o["revenue"] * workbook.assumptions.margin_rate_if_unknown
    o["contribution_margin"] = o["contribution_margin"].fillna(o["revenue"] * workbook.assumptions.margin_rate_if_unknown)
    key = "order_id" if "order_id" in o and o["order_id"].notna().all() else None
    if key is None:
        o["order_key"] = o["customer_id"].astype(str) + "|" + o["date"].dt.strftime("%Y-%m-%d")
        key = "order_key"
    o["is_online"] = o["channel"].eq("online") if "channel" in o else False
    g = o.groupby([key, "customer_id"], sort=False).agg(
        revenue=("revenue", "sum"), contribution_margin=("contribution_margin", "sum"), online=("is_online", "max"),
    ).reset_index()
    seg = df.set_index("customer_id")["segment"]
    g["segment"] = g["customer_id"].map(seg)
    g = g[g["segment"].notna()]
    return g[["customer_id", "segment", "revenue", "contribution_margin", "online"]].reset_index(drop=True)


def _lever_settings(assumptions) -> dict:
    a = assumptions
    return {
        "price": {"small": a.price_increase_small, "develop": a.price_increase_small,
                  "field": a.price_increase_field, "lapsed": 0.0},
        "elasticity": a.price_elasticity,
        "surcharge": a.small_order_surcharge,
        "surcharge_below": a.surcharge_below_order_value,
        "consolidation": a.surcharge_consolidation_share,
        "minimum": a.minimum_order_value,
        "minimum_lost": a.minimum_order_lost_share,
        "online_share": a.online_shift_share,
        "online_cost": a.online_order_cost,
        "handling_cost": a.order_handling_cost,
    }


def apply_levers(orders: pd.DataFrame, assumptions, levers=LEVERS) -> pd.DataFrame:
    """Each order after the chosen levers.

    Parameters
    ----------
    orders : DataFrame
        From :func:`window_order_table` (``segment, revenue,
        contribution_margin, online``).
    assumptions : Assumptions
    levers : iterable of str
        Any of ``price, surcharge, minimum, online``.

    Returns
    -------
    DataFrame
        ``segment, revenue, contribution_margin, orders`` (the orders left
        to handle, fractions where a share merges) and ``handling_cost``.

    Examples
    --------
    Two small orders of 40 and 80 and one of 300 (margin rate 30 %), the
    surcharge of 10 below 100, 40 % consolidating: 0.6 x 2 x 10 = 12 more
    revenue and margin, 0.4 x 2 = 0.8 orders less:

    >>> from smartacct_helpers.params import Assumptions
    >>> o = pd.DataFrame({"segment": "small", "revenue": [40.0, 80.0, 300.0],
    ...                   "contribution_margin": [12.0, 24.0, 90.0], "online": False})
    >>> r = apply_levers(o, Assumptions(), ["surcharge"])
    >>> float(r["revenue"].sum()), round(float(r["orders"].sum()), 2)
    (432.0, 2.2)
    """
    s = _lever_settings(assumptions)
    levers = set(levers)
    unknown = levers - set(LEVERS)
    if unknown:
        raise ValueError(f"unknown levers {sorted(unknown)}; choose from {LEVERS}")
    value = orders["revenue"].to_numpy(dtype="float64")
    revenue = value.copy()
    margin = orders["contribution_margin"].to_numpy(dtype="float64").copy()
    count = np.ones(len(orders))
    small = orders["segment"].isin(SMALL_SEGMENTS).to_numpy()
    online = orders["online"].astype(bool).to_numpy()

    if "minimum" in levers:
        refused = small & (value > 0) & (value < s["minimum"])
        keep = np.where(refused, 1 - s["minimum_lost"], 1.0)
        revenue, margin = revenue * keep, margin * keep
        count = np.where(refused, 0.0, count)
    extra = np.zeros(len(orders))
    if "surcharge" in levers:
        charged = small & (value > 0) & (value < s["surcharge_below"]) & (count > 0)
        paying = np.where(charged, 1 - s["consolidation"], 1.0)
        extra = np.where(charged, paying * s["surcharge"], 0.0)
        count = count * paying
    if "price" in levers:
        p = orders["segment"].map(s["price"]).fillna(0.0).to_numpy(dtype="float64")
        volume = np.maximum(1 + s["elasticity"] * p, 0.0)
        revenue, margin = revenue * (1 + p) * volume, volume * (margin + p * revenue)
    revenue, margin = revenue + extra, margin + extra
    moved = np.zeros(len(orders))
    if "online" in levers:
        moved = np.where(small & ~online, s["online_share"], 0.0) * count
    handling = (count - moved) * s["handling_cost"] + moved * s["online_cost"]
    return pd.DataFrame({"segment": orders["segment"].to_numpy(), "revenue": revenue, "contribution_margin": margin,
                         "orders": count, "handling_cost": handling}, index=orders.index)


def segment_figures(orders_after: pd.DataFrame, visit_cost_by_segment: pd.Series) -> pd.DataFrame:
    """Revenue, contribution margin, cost to serve and operating profit per segment.

    ``cost_to_serve`` = visits x visit cost (``visit_cost_by_segment``) +
    order handling; ``operating_profit`` = margin - cost to serve. A row
    ``all`` adds up the segments.
    """
    g = orders_after.groupby("segment").agg(
        revenue=("revenue", "sum"), contribution_margin=("contribution_margin", "sum"),
        orders=("orders", "sum"), handling_cost=("handling_cost", "sum"))
    g = g.reindex(SEGMENTS).fillna(0.0)
    g["cost_to_serve"] = g["handling_cost"] + visit_cost_by_segment.reindex(SEGMENTS).fillna(0.0)
    g["operating_profit"] = g["contribution_margin"] - g["cost_to_serve"]
    g.loc["all"] = g.sum()
    g.index.name = "segment"
    return g[["revenue", "contribution_margin", "orders", "cost_to_serve", "operating_profit"]]


def _visit_cost_by_segment(classified: pd.DataFrame, assumptions) -> pd.Series:
    visits = classified["visits_12m"] if "visits_12m" in classified else pd.Series(0, index=classified.index)
    return (visits * field_economics(assumptions).visit_cost).groupby(classified["segment"]).sum()


def lever_table(workbook, classified: pd.DataFrame | None = None, orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every lever alone and all together, per segment: before, after and change.

    Returns
    -------
    DataFrame
        Indexed by (``lever``, ``segment``) with ``lever`` in ``base, price,
        surcharge, minimum, online, combined`` and ``segment`` in the four
        segments plus ``all``; columns ``revenue, contribution_margin,
        orders, cost_to_serve, operating_profit`` and the changes against
        ``base`` as ``*_delta``.
    """
    df = workbook.classify() if classified is None else classified
    o = window_order_table(workbook, df) if orders is None else orders
    a = workbook.assumptions
    visits = _visit_cost_by_segment(df, a)
    frames = {"base": segment_figures(apply_levers(o, a, []), visits)}
    for lever in LEVERS:
        frames[lever] = segment_figures(apply_levers(o, a, [lever]), visits)
    frames["combined"] = segment_figures(apply_levers(o, a, LEVERS), visits)
    base = frames["base"]
    out = []
    for name, f in frames.items():
        f = f.copy()
        for col in ("revenue", "contribution_margin", "cost_to_serve", "operating_profit"):
            f[f"{col}_delta"] = f[col] - base[col]
        f.insert(0, "lever", name)
        out.append(f.reset_index())
    return pd.concat(out, ignore_index=True).set_index(["lever", "segment"])


def lever_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The ``all`` rows of :func:`lever_table`: one row per lever with the changes, labelled in words."""
    out = table.xs("all", level="segment").copy()
    out.insert(0, "what_if", [LEVER_LABELS[k] for k in out.index])
    return out


# -- realism about growth: the ABC transition matrix -------------------------------------------------------------

def yearly_window_revenue(orders: pd.DataFrame, reference_date: dt.date, customer_ids=None) -> pd.DataFrame:
    """Revenue per customer in consecutive 12-month windows up to the reference date.

    Column ``k`` (0, 1, 2, ...) holds the revenue of the window ending ``k``
    years before the reference date: ``ref - 12 (k+1) months < date <= ref
    - 12 k months``. Only complete windows within the history are kept.
    Customers in ``customer_ids`` without orders get zeros.
    """
    ref = pd.Timestamp(reference_date)
    first = orders["date"].min()
    o = orders[orders["date"].dt.normalize() <= ref]
    cols = {}
    k = 0
    while True:
        end = pd.Timestamp(months_before(reference_date, 12 * k))
        start = pd.Timestamp(months_before(reference_date, 12 * (k + 1)))
        if pd.isna(first) or start + pd.Timedelta(days=7) < first.normalize():
            break
        day = o["date"].dt.normalize()
        m = (day > start) & (day <= end)
        cols[k] = o.loc[m].groupby("customer_id")["revenue"].sum()
        k += 1
    out = pd.DataFrame(cols)
    if customer_ids is not None:
        out = out.reindex(pd.Index(customer_ids, name="customer_id"))
    return out.fillna(0.0)


def abc_history(window_revenue: pd.DataFrame, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """ABC class per customer and window (columns as in :func:`yearly_window_revenue`)."""
    return pd.DataFrame({k: abc_classes(window_revenue[k], a, b) for k in window_revenue.columns},
                        index=window_revenue.index)


def transition_matrix(history: pd.DataFrame, normalize: bool = True) -> pd.DataFrame:
    """How customers moved between ABC classes from one year to the next, pooled over all years.

    Rows: the class in a year; columns: the class a year later. Customers
    that are D in both years (never bought, or long gone) are left out of
    the D row, since they say nothing about movement.

    >>> h = pd.DataFrame({1: ["C", "C", "A"], 0: ["B", "C", "A"]})   # column 1 = a year earlier
    >>> transition_matrix(h, normalize=False).loc["C"].tolist()
    [0, 1, 1, 0]
    """
    pairs = []
    cols = sorted(history.columns)
    for later, earlier in zip(cols[:-1], cols[1:]):
        pairs.append(pd.DataFrame({"from": history[earlier].to_numpy(), "to": history[later].to_numpy()}))
    p = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"from": [], "to": []})
    p = p[~((p["from"] == "D") & (p["to"] == "D"))]
    m = pd.crosstab(p["from"], p["to"]).reindex(index=list("ABCD"), columns=list("ABCD")).fillna(0).astype(int)
    m.index.name, m.columns.name = "from", "a year later"
    if normalize:
        rows = m.sum(axis=1)
        m = m.div(rows.where(rows > 0), axis=0)
    return m


def upgrade_rates(history: pd.DataFrame, horizons=(1, 3)) -> pd.DataFrame:
    """Share of C customers that reached class A (or B or better) within ``h`` years.

    For every window with ``h`` later windows in the history, every
    C customer of that window counts once; it has reached A if it was A in
    at least one of the ``h`` following windows. Pooled over the start
    windows; NaN where the history is too short.

    Returns
    -------
    DataFrame
        Indexed by the horizon in years: ``c_customers`` (customer-years
        counted), ``to_a``, ``to_b_or_a`` and the rates ``to_a_rate``,
        ``to_b_or_a_rate``.

    Examples
    --------
    Two C customers three years ago; one became A two years later:

    >>> h = pd.DataFrame({3: ["C", "C"], 2: ["C", "B"], 1: ["A", "B"], 0: ["A", "C"]})
    >>> upgrade_rates(h, [3]).loc[3, ["to_a_rate", "to_b_or_a_rate"]].tolist()
    [0.5, 1.0]
    """
    rows = []
    cols = sorted(history.columns)
    for h in horizons:
        n = to_a = to_ba = 0
        for start in cols:
            later = [k for k in cols if start - h <= k < start]
            if len(later) < h:
                continue
            c = history[start] == "C"
            future = history.loc[c, later]
            n += int(c.sum())
            to_a += int((future == "A").any(axis=1).sum())
            to_ba += int(future.isin(["A", "B"]).any(axis=1).sum())
        rows.append({"years": h, "c_customers": n, "to_a": to_a, "to_b_or_a": to_ba,
                     "to_a_rate": to_a / n if n else np.nan, "to_b_or_a_rate": to_ba / n if n else np.nan})
    return pd.DataFrame(rows).set_index("years")


def growth_realism(workbook, classified: pd.DataFrame | None = None) -> dict:
    """The transition matrix, the upgrade rates and the expected key accounts of tomorrow.

    ``expected_new_a_3y`` = today's C customers x the historical share of
    C customers that reached A within three years (``expected_new_a_1y``
    the same for one year).
    """
    df = workbook.classify() if classified is None else classified
    a = workbook.assumptions
    wr = yearly_window_revenue(workbook.tables.orders, workbook.reference_date, df["customer_id"])
    hist = abc_history(wr, a.abc.a, a.abc.b)
    rates = upgrade_rates(hist, (1, 3))
    c_today = int((df["abc"] == "C").sum())
    return {
        "history": hist,
        "matrix": transition_matrix(hist),
        "counts": transition_matrix(hist, normalize=False),
        "rates": rates,
        "c_customers_today": c_today,
        "expected_new_a_1y": c_today * rates.loc[1, "to_a_rate"] if 1 in rates.index else np.nan,
        "expected_new_a_3y": c_today * rates.loc[3, "to_a_rate"] if 3 in rates.index else np.nan,
    }


# -- smart accounts to act on ----------------------------------------------------------------------------------

def smart_account_list(classified: pd.DataFrame, assumptions) -> pd.DataFrame:
    """The smart accounts (small, growing, profitable after the cost to serve) with a next step in words.

    Sorted by profit after the cost to serve. ``next_step``: a big gap to the
    potential asks for a sales talk; many small orders for the web shop or
    a minimum order; otherwise keep the customer warm with a call each quarter.
    """
    s = classified[classified["smart_account"].astype(bool)].copy()
    econ = field_economics(assumptions)
    avg_order = s["revenue_12m"] / s["orders_12m"].where(s["orders_12m"] > 0)
    gap = s["gap"] if "gap" in s else pd.Series(0.0, index=s.index)
    step = np.where(
        gap >= econ.sales_threshold, "sales talk: the potential is far above today's revenue",
        np.where((avg_order < assumptions.surcharge_below_order_value) & (s["orders_12m"] >= assumptions.many_orders_per_year),
                 "move the many small orders to the web shop", "keep warm: a call each quarter"))
    s["next_step"] = step
    cols = [c for c in ["customer_id", "name", "industry", "region", "outside_rep", "inside_rep", "segment",
                        "revenue_12m", "revenue_trend", "orders_12m", "profit_after_cost_to_serve_12m",
                        "potential", "share_of_wallet", "gap", "next_step"] if c in s]
    return s.sort_values("profit_after_cost_to_serve_12m", ascending=False)[cols].reset_index(drop=True)


def lever_figures(workbook, classified: pd.DataFrame | None = None) -> dict:
    """The summary.json figures of the levers.

    * ``c_to_a_rate_3y``: share of the customers in class C in a 12-month
      window that were class A in at least one of the three following
      windows, pooled over every window with three later ones (None where
      the history is shorter than four years).
    * ``levers_operating_profit_delta``: change of the operating profit
      (contribution margin - cost to serve) of all customers over the last
      12 months with all four levers together, at the params' assumptions.
    """
    df = workbook.classify() if classified is None else classified
    table = lever_table(workbook, df)
    g = growth_realism(workbook, df)
    rate = g["rates"].loc[3, "to_a_rate"] if 3 in g["rates"].index else np.nan
    return {
        "c_to_a_rate_3y": None if pd.isna(rate) else float(rate),
        "levers_operating_profit_delta": float(table.loc[("combined", "all"), "operating_profit_delta"]),
    }
