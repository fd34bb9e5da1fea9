"""Smart-account levers: what a price rise, a surcharge, a minimum order and self-service bring (METHOD.md section 7).

Two ways make small customers pay: more margin per order, or less cost per
order. Each lever is a what-if on the orders of the last 12 months, shown per
segment on revenue, contribution margin, cost to serve and operating profit
(contribution margin - cost to serve).

The levers on small customers (the segments small and develop) and the one
on large customers (the field segment) are kept apart: the question is what
makes the small ones pay, and a price rise on large customers is no answer
to it (:data:`LEVERS`, :data:`LARGE_CUSTOMER_LEVERS`).

Levers on small customers:

* **price**: goods get dearer by ``price_increase_small`` ``p``; the
  volume bought changes by ``elasticity x p`` (never below zero), with
  ``price_elasticity``. With revenue ``R`` and margin ``M`` the new revenue
  is ``R (1 + p) v`` and the new margin ``v (M + p R)``, where
  ``v = 1 + elasticity x p``. The number of orders stays, so the cost to
  serve does not move.
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

The lever on large customers:

* **price_field**: the price rise ``price_increase_field`` on the field
  segment, with ``price_elasticity_field`` (``price_elasticity`` where it
  is empty), worked out like the price lever above.

The cost to serve is the workbook's one definition
(:mod:`smartacct_helpers.facts.cost_to_serve`): today's is each segment's
sum of its customers' ``cost_to_serve_12m``; a lever changes the part of it
that handles orders. The combined what-if (``combined``) applies the four
levers on small customers to the same orders (minimum first, then the
surcharge on what is left, the price on the goods, the online shift on the
remaining orders); ``small_and_large`` adds the lever on large customers.

The online shift needs to know which orders went through the web shop
(the orders' ``channel``); without it that lever is left out, and "all
levers together" are the other three (:func:`available_levers`).

Examples
--------
A price increase of 5 % with an elasticity of -1 on revenue 1,000 and margin
300: volume x 0.95, revenue 1,000 x 1.05 x 0.95 = 997.50, margin
0.95 x (300 + 50) = 332.50:

>>> price_effect(1000.0, 300.0, 0.05, -1.0)
(997.5, 332.5)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import largest_first
from ..field_visits.analysis import field_economics
from ..small_customers.analysis import SEGMENTS, classify
from .orders import _remembered_orders, window_order_table
from .transitions import growth_realism

#: the segments of the small customers, whom the levers on small customers act on
SMALL_SEGMENTS = ("small", "develop")
#: the segment of the large customers, whom the lever on large customers acts on
LARGE_SEGMENTS = ("field",)
#: the levers on small customers: what makes them pay
LEVERS = ("price", "surcharge", "minimum", "online")
#: the lever on large customers, shown apart
LARGE_CUSTOMER_LEVERS = ("price_field",)
#: every lever
ALL_LEVERS = LEVERS + LARGE_CUSTOMER_LEVERS
#: what :func:`_lever_figures` sums per segment
FIGURES = ("revenue", "contribution_margin", "orders", "handling_cost")
#: the columns of :func:`segment_figures`, each segment's and ``all``
COLUMNS = ["revenue", "contribution_margin", "orders", "cost_to_serve", "operating_profit"]
#: the columns of :func:`lever_table` also given as the change against ``base``
DELTAS = ["revenue", "contribution_margin", "cost_to_serve", "operating_profit"]


LEVER_LABELS = {
    "base": "today",
    "price": "price increase (small customers)",
    "surcharge": "small-order surcharge",
    "minimum": "minimum order value",
    "online": "online self-service",
    "combined": "all levers on small customers together",
    "price_field": "price increase (large customers)",
    "small_and_large": "levers on small and large customers together",
}
#: whose lever each row of :func:`lever_summary` is
LEVER_CUSTOMERS = {
    "base": "all customers",
    "price": "small customers",
    "surcharge": "small customers",
    "minimum": "small customers",
    "online": "small customers",
    "combined": "small customers",
    "price_field": "large customers",
    "small_and_large": "all customers",
}


def price_effect(revenue, margin, increase: float, elasticity: float):
    """Revenue and contribution margin after a price increase with a volume response.

    ``v = max(1 + elasticity x increase, 0)``; revenue ``R (1 + p) v``,
    margin ``v (M + p R)`` (the cost of the goods falls with the volume).

    >>> [round(v, 2) for v in price_effect(200.0, 50.0, 0.10, 0.0)]   # no volume response: +20, +20
    [220.0, 70.0]
    """
    volume = max(1.0 + elasticity * increase, 0.0)
    return revenue * (1 + increase) * volume, volume * (margin + increase * revenue)


def columns_held(workbook) -> frozenset[str]:
    """Which of the orders' optional columns ``order_id, channel, contribution_margin`` hold a value.

    Asked of the engine once per workbook (a column present but empty
    counts as missing). The levers need the channel for the online shift;
    without an order id the orders are the customers' days with a
    purchase; without a margin it is revenue x ``margin_rate_if_unknown``.
    """
    memo = workbook._memo
    if "order_columns_held" not in memo:
        t = workbook.order_totals
        present = [c for c in ("order_id", "channel", "contribution_margin") if c in t.columns]
        held = set()
        if present:
            row = t.aggregate(**{c: t[c].notnull().any() for c in present}).to_pyarrow().to_pylist()[0]
            held = {c for c in present if row[c]}
        memo["order_columns_held"] = frozenset(held)
    return memo["order_columns_held"]


def available_levers(workbook) -> tuple[str, ...]:
    """The levers the data allows: all four, but the online shift only where the orders name their channel.

    Without a channel nothing tells which orders went through the web shop
    already, so the shift to it cannot be reckoned.
    """
    return tuple(lever for lever in LEVERS if lever != "online" or "channel" in columns_held(workbook))


def _lever_settings(assumptions) -> dict:
    a = assumptions
    field_elasticity = a.price_elasticity if a.price_elasticity_field is None else a.price_elasticity_field
    return {
        "price": {segment: a.price_increase_small for segment in SMALL_SEGMENTS},
        "price_field": {segment: a.price_increase_field for segment in LARGE_SEGMENTS},
        "elasticity": {
            **{segment: a.price_elasticity for segment in SMALL_SEGMENTS},
            **{segment: field_elasticity for segment in LARGE_SEGMENTS},
        },
        "surcharge": a.small_order_surcharge,
        "surcharge_below": a.surcharge_below_order_value,
        "consolidation": a.surcharge_consolidation_share,
        "minimum": a.minimum_order_value,
        "minimum_lost": a.minimum_order_lost_share,
        "online_share": a.online_shift_share,
        "online_cost": a.online_order_cost,
        "handling_cost": a.order_handling_cost,
    }


def _price_terms(segments, s: dict, levers) -> tuple[np.ndarray, np.ndarray]:
    """The price increase and the price elasticity per segment of ``segments`` under ``levers`` (0: no rise)."""
    price = np.array(
        [
            (s["price"].get(name, 0.0) if "price" in levers else 0.0)
            + (s["price_field"].get(name, 0.0) if "price_field" in levers else 0.0)
            for name in segments
        ],
        dtype="float64",
    )
    return price, np.array([s["elasticity"].get(name, 0.0) for name in segments], dtype="float64")


def _segments(segment) -> tuple[np.ndarray, pd.Index]:
    """The segment of each order as codes into its categories (-1: none): a categorical column costs nothing here."""
    cat = pd.Categorical(segment)
    return cat.codes, cat.categories


def apply_levers(orders: pd.DataFrame, assumptions, levers=LEVERS) -> pd.DataFrame:
    """Each order after the chosen levers.

    Parameters
    ----------
    orders : DataFrame
        From :func:`window_order_table` (``segment, revenue,
        contribution_margin, online``).
    assumptions : Assumptions
    levers : iterable of str
        Any of ``price, surcharge, minimum, online`` (on small customers)
        and ``price_field`` (on large customers).

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
    unknown = levers - set(ALL_LEVERS)
    if unknown:
        raise ValueError(f"unknown levers {sorted(unknown)}; choose from {ALL_LEVERS}")
    codes, segments = _segments(orders["segment"])
    value = orders["revenue"].to_numpy(dtype="float64")
    price, elasticity = (np.append(terms, 0.0)[codes] for terms in _price_terms(segments, s, levers))
    small = np.append(segments.isin(SMALL_SEGMENTS), False)[codes]  # code -1 (no segment) takes the last: none
    revenue, margin, count, handling = _levers_on(
        np.ones(len(orders)),
        value,
        orders["contribution_margin"].to_numpy(dtype="float64"),
        small,
        orders["online"].to_numpy(dtype=bool),
        value > 0,
        value < s["minimum"],
        value < s["surcharge_below"],
        price,
        elasticity,
        s,
        levers,
    )
    return pd.DataFrame(
        {
            "segment": orders["segment"].array,
            "revenue": revenue,
            "contribution_margin": margin,
            "orders": count,
            "handling_cost": handling,
        },
        index=orders.index,
    )


def _levers_on(
    n, value, margin, small, web, positive, below_minimum, below_surcharge, price, elasticity, s: dict, levers
):
    """The lever arithmetic on ``n`` orders alike, with their revenue ``value`` and ``margin`` summed (any shapes).

    Alike: the same small-segment and web-shop flags, the same answers to
    the value questions (above zero, below the minimum order value, below
    the surcharge limit) and the same price increase and elasticity (the
    price is 0 where no price lever acts on the segment). Each step is linear
    in the sums, so one order (``n = 1``, :func:`apply_levers`) and a band
    of orders (:func:`lever_table`) go through the same arithmetic. Returns
    revenue, margin, orders left to handle and handling cost.
    """
    refused = small & positive & below_minimum & ("minimum" in levers)
    keep = np.where(refused, 1 - s["minimum_lost"], 1.0)
    revenue, margin = value * keep, margin * keep
    count = np.where(refused, 0.0, n)
    charged = small & positive & below_surcharge & ~refused & ("surcharge" in levers)
    paying = np.where(charged, 1 - s["consolidation"], 1.0)
    extra = np.where(charged, n * paying * s["surcharge"], 0.0)
    count = count * paying
    if "price" in levers or "price_field" in levers:
        volume = np.maximum(1 + elasticity * price, 0.0)
        revenue, margin = revenue * (1 + price) * volume, volume * (margin + price * revenue)
    revenue, margin = revenue + extra, margin + extra
    moved = np.where(small & ~web & ("online" in levers), s["online_share"], 0.0) * count
    handling = (count - moved) * s["handling_cost"] + moved * s["online_cost"]
    return revenue, margin, count, handling


def segment_figures(orders_after: pd.DataFrame, unmoved_cost_by_segment: pd.Series) -> pd.DataFrame:
    """Revenue, contribution margin, cost to serve and operating profit per segment.

    ``cost_to_serve`` = the part no lever moves (``unmoved_cost_by_segment``,
    see :func:`unmoved_cost_by_segment`) + order handling;
    ``operating_profit`` = margin - cost to serve. A row ``all`` adds up the
    segments.
    """
    g = orders_after.groupby("segment", observed=True).agg(
        revenue=("revenue", "sum"),
        contribution_margin=("contribution_margin", "sum"),
        orders=("orders", "sum"),
        handling_cost=("handling_cost", "sum"),
    )
    return _with_cost_to_serve(g, unmoved_cost_by_segment)


def _band_sums(orders: pd.DataFrame, s: dict) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """The orders counted and summed per segment, online or not, and value band, for :func:`_lever_figures`.

    The levers treat every order alike that shares its segment, its web-shop
    flag and the answers to three questions about its value: above zero,
    below the minimum order value, below the surcharge limit. Those are the
    eight bands (bits 1, 2 and 4 of the band number). Returns the segments
    and the orders, revenue and margin as arrays of shape (segments, 2, 8);
    orders without a segment are left out.
    """
    codes, segments = _segments(orders["segment"])
    value = orders["revenue"].to_numpy(dtype="float64")
    band = (value > 0) * 1 + (value < s["minimum"]) * 2 + (value < s["surcharge_below"]) * 4
    key = (codes * 2 + orders["online"].to_numpy(dtype=bool)) * 8 + band
    known = codes >= 0
    key = key[known]
    size, shape = len(segments) * 16, (len(segments), 2, 8)
    return (
        segments,
        np.bincount(key, minlength=size).reshape(shape).astype("float64"),
        np.bincount(key, value[known], size).reshape(shape),
        np.bincount(key, orders["contribution_margin"].to_numpy(dtype="float64")[known], size).reshape(shape),
    )


def _lever_figures(bands, s: dict, levers) -> pd.DataFrame:
    """:func:`apply_levers` summed per segment, worked out on the sums of :func:`_band_sums` (:func:`_levers_on`).

    ``revenue, contribution_margin, orders, handling_cost`` per segment (the
    segments of ``bands``).
    """
    return pd.DataFrame(dict(zip(FIGURES, _lever_sums(bands, s, levers), strict=False)), index=bands[0])


def _lever_sums(bands, s: dict, levers) -> list[np.ndarray]:
    """The four sums of :func:`_lever_figures`, one array each over the segments of ``bands``."""
    segments, n, value, margin = bands
    band = np.arange(8)[None, None, :]
    price, elasticity = (terms[:, None, None] for terms in _price_terms(segments, s, levers))
    sums = _levers_on(
        n,
        value,
        margin,
        np.asarray(segments.isin(SMALL_SEGMENTS))[:, None, None],
        np.array([False, True])[None, :, None],
        (band & 1) > 0,
        (band & 2) > 0,
        (band & 4) > 0,
        price,
        elasticity,
        s,
        levers,
    )
    return [total.sum(axis=(1, 2)) for total in sums]


def _with_cost_to_serve(g: pd.DataFrame, unmoved_cost_by_segment: pd.Series) -> pd.DataFrame:
    """Sums per segment (:func:`segment_figures`) in the order of the segments, with cost to serve, profit and ``all``."""
    g = g.reindex(SEGMENTS).fillna(0.0)
    rows = _cost_rows([g[c].to_numpy(dtype="float64") for c in FIGURES], _per_segment(unmoved_cost_by_segment))
    return pd.DataFrame(rows, index=pd.Index([*SEGMENTS, "all"], name="segment"), columns=COLUMNS)


def _per_segment(values: pd.Series) -> np.ndarray:
    """A figure per segment as an array in the order of :data:`SEGMENTS` (zero for a segment without one)."""
    return values.reindex(SEGMENTS).fillna(0.0).to_numpy(dtype="float64")


def _cost_rows(sums, unmoved_cost: np.ndarray) -> np.ndarray:
    """The rows of :func:`_with_cost_to_serve` from the four sums of :data:`FIGURES` in the order of :data:`SEGMENTS`.

    The cost to serve is the orders' handling plus the part no lever moves;
    the last row sums the segments.
    """
    revenue, margin, orders, handling = sums
    cost = handling + unmoved_cost
    rows = np.column_stack([revenue, margin, orders, cost, margin - cost])
    return np.vstack([rows, rows.sum(axis=0)])


def unmoved_cost_by_segment(classified: pd.DataFrame, orders: pd.DataFrame, assumptions) -> pd.Series:
    """Per segment, the part of today's cost to serve that no lever moves: all of it but the handling of orders.

    The segment's sum of ``cost_to_serve_12m`` (the workbook's one cost to
    serve: visits, calls, order lines, rebates and account teams besides
    the orders) less its orders of the window (``orders``, one row each,
    :func:`~smartacct_helpers.levers.orders.window_order_table`) at
    ``order_handling_cost``. Today's cost to serve of a segment in the
    lever table is then exactly the sum of its customers' cost to serve.

    >>> from smartacct_helpers.params import Assumptions
    >>> c = pd.DataFrame({"segment": ["small", "small", "field"], "cost_to_serve_12m": [100.0, 60.0, 900.0]})
    >>> o = pd.DataFrame({"segment": ["small"] * 3 + ["field"] * 10})
    >>> unmoved_cost_by_segment(c, o, Assumptions()).to_dict()   # 160 - 3 x 20; 900 - 10 x 20
    {'field': 700.0, 'small': 100.0}
    """
    today = classified.groupby("segment", observed=True)["cost_to_serve_12m"].sum()
    handled = orders.groupby("segment", observed=True).size() * float(assumptions.order_handling_cost)
    return today.sub(handled, fill_value=0.0).astype("float64")


def lever_table(
    workbook, classified: pd.DataFrame | None = None, orders: pd.DataFrame | None = None, levers=None
) -> pd.DataFrame:
    """Every lever alone and all together, per segment: before, after and change.

    The orders are read once into sums per segment, web-shop flag and value
    band (:func:`_band_sums`); each lever then works on these sums, which
    gives what :func:`apply_levers` and :func:`segment_figures` give order
    by order (a test holds them equal) in a few milliseconds for 600,000
    orders, so that a slider redraws at once.

    Parameters
    ----------
    workbook : Workbook
    classified, orders : DataFrame, optional
        The classification and :func:`window_order_table`; without both the
        table is remembered by the workbook per value of the assumptions.
    levers : iterable of str, optional
        The levers on small customers to reckon (default:
        :func:`available_levers`); ``combined`` applies these together.

    Returns
    -------
    DataFrame
        Indexed by (``lever``, ``segment``) with ``lever`` in ``base``, the
        levers on small customers (``price, surcharge, minimum, online``),
        ``combined`` (those together), the lever on large customers
        (``price_field``) and ``small_and_large`` (all of them together),
        and ``segment`` in the four segments plus ``all``; columns
        ``revenue, contribution_margin, orders, cost_to_serve,
        operating_profit`` and the changes against ``base`` as ``*_delta``.
        Today's (``base``) cost to serve and operating profit of a segment
        are the sums of its customers' ``cost_to_serve_12m`` and
        ``operating_profit_12m``.
    """
    levers = available_levers(workbook) if levers is None else tuple(lever for lever in LEVERS if lever in levers)
    if classified is None and orders is None:

        def compute(a):
            return _lever_table(classify(workbook, a), _remembered_orders(workbook, a), a, levers)

        return workbook.remembered(f"lever_table {' '.join(levers)}", compute, workbook.assumptions)
    df = classify(workbook) if classified is None else classified
    o = window_order_table(workbook, df) if orders is None else orders
    return _lever_table(df, o, workbook.assumptions, levers)


def _lever_table(df: pd.DataFrame, o: pd.DataFrame, a, levers: tuple[str, ...]) -> pd.DataFrame:
    unmoved = _per_segment(unmoved_cost_by_segment(df, o, a))
    s = _lever_settings(a)
    bands = _band_sums(o, s)  # one pass over the orders; each lever then works on 16 sums per segment
    at = pd.Index(SEGMENTS).get_indexer(bands[0])  # where each segment of the orders sits among SEGMENTS
    known = at >= 0
    scenarios = {
        "base": [],
        **{lever: [lever] for lever in levers},
        "combined": levers,
        **{lever: [lever] for lever in LARGE_CUSTOMER_LEVERS},
        "small_and_large": levers + LARGE_CUSTOMER_LEVERS,
    }
    tables = []
    for levers in scenarios.values():
        sums = np.zeros((len(FIGURES), len(SEGMENTS)))
        sums[:, at[known]] = np.asarray(_lever_sums(bands, s, levers))[:, known]
        tables.append(_cost_rows(sums, unmoved))
    tables = np.stack(tables)  # scenario, segment (and all), column
    changed = [COLUMNS.index(c) for c in DELTAS]
    data = np.concatenate([tables, tables[:, :, changed] - tables[:1, :, changed]], axis=2)
    index = pd.MultiIndex.from_product([list(scenarios), [*SEGMENTS, "all"]], names=["lever", "segment"])
    return pd.DataFrame(data.reshape(-1, data.shape[2]), index=index, columns=COLUMNS + [f"{c}_delta" for c in DELTAS])


def lever_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The ``all`` rows of :func:`lever_table`: one row per lever with the changes, labelled in words.

    ``customers`` says whose lever it is: small customers, large customers,
    or all customers (today, and the levers on both together).
    """
    out = table.xs("all", level="segment").copy()
    out.insert(0, "what_if", [LEVER_LABELS[k] for k in out.index])
    out.insert(1, "customers", [LEVER_CUSTOMERS[k] for k in out.index])
    return out


# -- smart accounts to act on ----------------------------------------------------------------------------------


def smart_account_list(classified: pd.DataFrame, assumptions) -> pd.DataFrame:
    """The smart accounts (small, growing, profitable after the cost to serve) with a next step in words.

    Sorted by operating profit (contribution margin - cost to serve, to the
    cent; equal profits by customer id, see :func:`~smartacct_helpers.arrow.largest_first`).
    ``next_step``: a big gap to the
    potential asks for a sales talk; many small orders for the web shop or
    a minimum order; otherwise keep the customer warm with a call each quarter.
    """
    s = classified[classified["smart_account"].astype(bool)].copy()
    econ = field_economics(assumptions)
    avg_order = s["revenue_12m"] / s["orders_12m"].where(s["orders_12m"] > 0)
    gap = s["gap"] if "gap" in s else pd.Series(0.0, index=s.index)
    step = np.where(
        gap >= econ.sales_threshold,
        "sales talk: the potential is far above today's revenue",
        np.where(
            (avg_order < assumptions.surcharge_below_order_value)
            & (s["orders_12m"] >= assumptions.many_orders_per_year),
            "move the many small orders to the web shop",
            "keep warm: a call each quarter",
        ),
    )
    s["next_step"] = step
    cols = [
        c
        for c in [
            "customer_id",
            "name",
            "industry",
            "region",
            "outside_rep",
            "inside_rep",
            "segment",
            "revenue_12m",
            "revenue_trend",
            "orders_12m",
            "operating_profit_12m",
            "potential",
            "share_of_wallet",
            "gap",
            "next_step",
        ]
        if c in s
    ]
    return largest_first(s, "operating_profit_12m")[cols].reset_index(drop=True)


def lever_figures(workbook, classified: pd.DataFrame | None = None) -> dict:
    """The summary.json figures of the levers.

    * ``c_to_a_rate_3y``: share of the customers in class C in a 12-month
      window that were class A in at least one of the three following
      windows, pooled over every window with three later ones (None where
      the data holds fewer than four whole 12-month windows; the reason is
      under ``"_limited"``).
    * ``levers_operating_profit_delta``: change of the operating profit
      (contribution margin - cost to serve) of all customers over the last
      12 months with every lever together, those on small customers and the
      one on large customers, at the params' assumptions (the online shift
      only where the orders name their channel).
    * ``small_customer_levers_operating_profit_delta``: the same with the
      levers on small customers only (price, surcharge, minimum order,
      online shift on the segments small and develop).
    * ``large_customer_levers_operating_profit_delta``: the same with the
      lever on large customers only (the price rise on the field segment).
    """
    table = lever_table(workbook, classified)
    g = growth_realism(workbook, classified)
    rate = g["rates"].loc[3, "to_a_rate"] if 3 in g["rates"].index else np.nan
    out = {
        "c_to_a_rate_3y": None if pd.isna(rate) else float(rate),
        "levers_operating_profit_delta": float(table.loc[("small_and_large", "all"), "operating_profit_delta"]),
        "small_customer_levers_operating_profit_delta": float(table.loc[("combined", "all"), "operating_profit_delta"]),
        "large_customer_levers_operating_profit_delta": float(
            table.loc[("price_field", "all"), "operating_profit_delta"]
        ),
    }
    limited = {k: v for k, v in g["limited"].items() if k in ("abc_transitions", "c_to_a_rate_3y")}
    if limited:
        out["_limited"] = limited
    return out
