"""Smart-account levers: what a price rise, a surcharge, a minimum order and self-service bring (docs/method.md section 6).

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

from ..small_customers.analysis import SEGMENTS, classify
from .orders import _remembered_orders, window_order_table
from .smart_accounts import smart_account_list
from .transitions import growth_realism
from .what_if import (
    ALL_LEVERS,
    LARGE_CUSTOMER_LEVERS,
    LARGE_SEGMENTS,
    LEVERS,
    SMALL_SEGMENTS,
    _lever_settings,
    _levers_on,
    _price_terms,
    _segments,
    apply_levers,
    price_effect,
)

__all__ = [
    "ALL_LEVERS",
    "COLUMNS",
    "DELTAS",
    "FIGURES",
    "LARGE_CUSTOMER_LEVERS",
    "LARGE_SEGMENTS",
    "LEVERS",
    "LEVER_CUSTOMERS",
    "LEVER_LABELS",
    "SMALL_SEGMENTS",
    "apply_levers",
    "available_levers",
    "columns_held",
    "lever_figures",
    "lever_summary",
    "lever_table",
    "price_effect",
    "segment_figures",
    "smart_account_list",
    "unmoved_cost_by_segment",
]

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
