"""How much of the business hangs on a few customers.

Shares are of the positive window revenue: credit-note-only customers do not
dilute the figures.

Examples
--------
Four customers with 50, 30, 15 and 5 (total 100):

>>> import pandas as pd
>>> revenue = pd.Series([50.0, 30.0, 15.0, 5.0])
>>> top_share(revenue, 1), top_share(revenue, 2)
(0.5, 0.8)
>>> round(herfindahl_index(revenue), 4)   # .25 + .09 + .0225 + .0025
0.365
"""

from __future__ import annotations

import pandas as pd

from .candidates import name_of


def revenue_shares(revenue: pd.Series) -> pd.Series:
    """Each customer's share of the positive revenue, largest first (others dropped)."""
    positive = revenue[revenue > 0].sort_values(ascending=False)
    total = positive.sum()
    return positive / total if total > 0 else positive * 0.0


def top_share(revenue: pd.Series, n: int) -> float:
    """Share of positive revenue that the ``n`` largest customers bring."""
    return float(revenue_shares(revenue).head(n).sum())


def herfindahl_index(revenue: pd.Series) -> float:
    """Sum of squared revenue shares: 1/N for N equal customers, 1 for a single one."""
    return float((revenue_shares(revenue) ** 2).sum())


#: Herfindahl bands on the 0-1 scale: below 0.15 diversified, from 0.25
#: concentrated. These are the limits competition authorities use for
#: markets (1,500 and 2,500 points on the 0-10,000 scale of the 2010 US
#: Horizontal Merger Guidelines), applied here to a supplier's customers.
HHI_MODERATE = 0.15
HHI_CONCENTRATED = 0.25


def hhi_band(hhi: float, moderate: float = HHI_MODERATE, concentrated: float = HHI_CONCENTRATED) -> str:
    """``diversified`` below ``moderate``, ``moderate`` below ``concentrated``, else ``concentrated``.

    >>> hhi_band(0.05), hhi_band(0.15), hhi_band(0.365)
    ('diversified', 'moderate', 'concentrated')
    """
    if hhi < moderate:
        return "diversified"
    if hhi < concentrated:
        return "moderate"
    return "concentrated"


def lorenz_curve(revenue: pd.Series) -> pd.DataFrame:
    """Points of the Lorenz curve: customers sorted smallest first, cumulative shares.

    Only customers with positive revenue take part. The first point is
    (0, 0), the last (1, 1); a diagonal means every customer buys the same.

    >>> lorenz_curve(pd.Series([1.0, 3.0]))["share_of_revenue"].tolist()
    [0.0, 0.25, 1.0]
    """
    positive = revenue[revenue > 0].sort_values(kind="stable").to_numpy(dtype=float)
    n = len(positive)
    if n == 0:
        return pd.DataFrame({"share_of_customers": [0.0], "share_of_revenue": [0.0]})
    cum = positive.cumsum() / positive.sum()
    return pd.DataFrame(
        {
            "share_of_customers": [0.0, *(i / n for i in range(1, n + 1))],
            "share_of_revenue": [0.0, *cum],
        }
    )


def gini_coefficient(revenue: pd.Series) -> float:
    """Twice the area between the diagonal and the Lorenz curve: 0 for equal customers, near 1 for one.

    >>> gini_coefficient(pd.Series([5.0, 5.0, 5.0]))
    0.0
    >>> gini_coefficient(pd.Series([1.0, 1.0, 1.0, 5.0]))  # 1 - 2 x 0.3125
    0.375
    """
    curve = lorenz_curve(revenue)
    x = curve["share_of_customers"].to_numpy()
    y = curve["share_of_revenue"].to_numpy()
    if len(x) < 2:
        return 0.0
    area = float(((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2).sum())
    return max(0.0, 1.0 - 2.0 * area)


def concentration_summary(revenue: pd.Series, major_share: float = 0.10) -> dict:
    """Top-1/5/10 shares, Herfindahl index and band, Gini, and the major customers.

    Parameters
    ----------
    revenue : Series
        Revenue per customer (index: customer id).
    major_share : float
        Share of revenue from which a customer counts as a major customer.

    Returns
    -------
    dict
        ``customers`` (with positive revenue), ``top1_share``, ``top5_share``,
        ``top10_share``, ``hhi``, ``hhi_band``, ``equivalent_customers``
        (1 / HHI: how many equal customers would give the same index),
        ``gini``, ``major_customers`` (ids at or above ``major_share``).

    >>> s = concentration_summary(pd.Series([50.0, 30.0, 15.0, 5.0], index=list("abcd")), 0.3)
    >>> s["hhi_band"], s["major_customers"]
    ('concentrated', ['a', 'b'])
    """
    shares = revenue_shares(revenue)
    hhi = float((shares**2).sum())
    return {
        "customers": int(len(shares)),
        "top1_share": float(shares.head(1).sum()),
        "top5_share": float(shares.head(5).sum()),
        "top10_share": float(shares.head(10).sum()),
        "hhi": hhi,
        "hhi_band": hhi_band(hhi),
        "equivalent_customers": 1.0 / hhi if hhi > 0 else float("nan"),
        "gini": gini_coefficient(revenue),
        "major_customers": [k for k, v in shares.items() if v >= major_share - 1e-12],
    }


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
        (
            "Herfindahl index",
            s["hhi"],
            f"sum of squared shares: {s['hhi_band']}",
        ),
        ("equivalent customers", s["equivalent_customers"], "equal customers that would give the same index (1 / HHI)"),
        ("Gini coefficient", s["gini"], "0 = every customer buys the same, near 1 = one customer buys everything"),
        ("major customers", len(s["major_customers"]), "customers at or above the major-customer share of revenue"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "reading"]).set_index("figure")


def concentration_warnings(customers: pd.DataFrame, major_share: float = 0.10, top5_limit: float = 0.5) -> list[dict]:
    """The concentration risks as figures; the report puts them into words.

    One warning per customer at or above ``major_share`` of revenue
    (``kind`` "major customer", with ``customer_id``, ``name``, ``share``
    and ``limit``), one when the five largest bring ``top5_limit`` or more
    ("five largest": ``share``, ``limit``), one when the Herfindahl index is
    moderate or concentrated ("Herfindahl index": ``hhi``, ``band``).

    >>> df = pd.DataFrame({"customer_id": list("abcd"), "name": ["A AG", "B", "C", "D"],
    ...                    "revenue_12m": [50.0, 30.0, 15.0, 5.0]})
    >>> [w["kind"] for w in concentration_warnings(df, 0.3)]
    ['major customer', 'major customer', 'five largest', 'Herfindahl index']
    >>> concentration_warnings(df, 0.3)[0]
    {'kind': 'major customer', 'customer_id': 'a', 'name': 'A AG', 'share': 0.5, 'limit': 0.3}
    """
    revenue = customers.set_index("customer_id")["revenue_12m"]
    s = concentration_summary(revenue, major_share)
    names = customers.set_index("customer_id")["name"] if "name" in customers else pd.Series(dtype=object)
    shares = revenue_shares(revenue)
    warnings = [
        {
            "kind": "major customer",
            "customer_id": cid,
            "name": name_of(names, cid),
            "share": float(shares[cid]),
            "limit": major_share,
        }
        for cid in s["major_customers"]
    ]
    if s["top5_share"] >= top5_limit:
        warnings.append({"kind": "five largest", "share": s["top5_share"], "limit": top5_limit})
    if s["hhi_band"] != "diversified":
        warnings.append({"kind": "Herfindahl index", "hhi": s["hhi"], "band": s["hhi_band"]})
    return warnings
