"""What each lever does to an order: the arithmetic of the price rise, the surcharge, the minimum order and the shift online.

The rules in words are in :mod:`smartacct_helpers.levers.analysis` (its module text); here they act on one
order (:func:`apply_levers`) or on a band of orders alike (:func:`_levers_on`, which :func:`lever_table` sums).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def price_effect(revenue, margin, increase: float, elasticity: float):
    """Revenue and contribution margin after a price increase with a volume response.

    ``v = max(1 + elasticity x increase, 0)``; revenue ``R (1 + p) v``,
    margin ``v (M + p R)`` (the cost of the goods falls with the volume).

    >>> [round(v, 2) for v in price_effect(200.0, 50.0, 0.10, 0.0)]   # no volume response: +20, +20
    [220.0, 70.0]
    """
    volume = max(1.0 + elasticity * increase, 0.0)
    return revenue * (1 + increase) * volume, volume * (margin + increase * revenue)


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
