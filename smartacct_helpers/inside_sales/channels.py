"""Channel conflicts: who else sells to the customers an inside-sales team would call.

Before the team starts, the plan must say who owns a customer that also buys
through a distributor, a retailer or the online shop. The orders' ``channel``
(field, inside, online, distributor, retail) tells how each customer buys.

Ownership rule for a customer to manage:

* distributor and retail together bring at least ``channel_partner_owner_share``
  of its window revenue: the partner (the larger of the two) owns it, the
  inside-sales team supports but does not sell against the partner;
* otherwise inside sales owns it; where distributor, retail or the online shop
  bring at least ``channel_conflict_min_share`` the customer is flagged, so
  that the plan coordinates with that channel.

Examples
--------
>>> import datetime as dt
>>> orders = pd.DataFrame({"customer_id": ["1", "1", "2"], "date": pd.to_datetime(["2025-06-01"] * 3),
...                        "revenue": [300.0, 700.0, 500.0], "channel": ["field", "distributor", "online"]})
>>> t = channel_shares(orders, dt.date(2025, 12, 31))
>>> float(t.loc["1", "distributor"]), float(t.loc["2", "online"])
(0.7, 1.0)
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

from ..facts.orders import as_table, frame, months_before

CHANNELS = ["field", "inside", "online", "distributor", "retail"]
PARTNER_CHANNELS = ["distributor", "retail"]
OTHER_CHANNELS = ["online", "distributor", "retail"]
OWNER_LABELS = {"inside": "inside sales", "distributor": "distributor", "retail": "retail partner"}


def channel_revenue(orders, reference_date: dt.date, months: int = 12) -> pd.DataFrame:
    """Window revenue per customer (rows) and channel (columns); a missing or blank channel counts as ``unknown``.

    ``orders`` is a DataFrame or an Ibis table; the sums are computed where
    the lines are held.
    """
    t = as_table(orders)
    day = t.date.cast("date")
    w = t.filter((day > months_before(reference_date, months)) & (day <= reference_date))
    if "channel" in w.columns:  # a column present but empty may come as numbers: read as text, blank as unknown
        text = w.channel.cast("string").strip().lower()
        channel = ibis.ifelse(text.isnull() | (text == ""), "unknown", text)
    else:
        channel = ibis.literal("unknown")
    sums = frame(w.group_by(["customer_id", channel.name("channel")]).aggregate(revenue=w.revenue.sum()))
    table = sums.pivot_table(index="customer_id", columns="channel", values="revenue", aggfunc="sum", fill_value=0.0)
    known = [c for c in CHANNELS if c in table] + [c for c in table if c not in CHANNELS]
    out = table.reindex(columns=known).clip(lower=0)
    out.columns.name = "channel"
    return out


def known_channels(revenue: pd.DataFrame) -> bool:
    """Whether a table of :func:`channel_revenue` holds revenue of any channel the data names.

    >>> known_channels(pd.DataFrame({"unknown": [5.0]})), known_channels(pd.DataFrame({"online": [5.0]}))
    (False, True)
    """
    return any(str(c) != "unknown" for c in revenue.columns)


def channel_shares(
    orders: pd.DataFrame, reference_date: dt.date, months: int = 12, revenue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each customer's positive window revenue split into shares per channel (rows add up to 1).

    ``revenue`` is :func:`channel_revenue` when already at hand (``orders`` is then not read).
    """
    rev = channel_revenue(orders, reference_date, months) if revenue is None else revenue
    total = rev.sum(axis=1)
    return rev[total > 0].div(total[total > 0], axis=0)


def channel_mix(
    orders: pd.DataFrame,
    classified: pd.DataFrame,
    reference_date: dt.date,
    by: str = "segment",
    revenue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of each group's window revenue per channel (rows: the groups of ``by``).

    ``revenue`` is :func:`channel_revenue` when already at hand.

    >>> orders = pd.DataFrame({"customer_id": ["1", "1", "2"], "date": pd.to_datetime(["2025-06-01"] * 3),
    ...                        "revenue": [300.0, 700.0, 1000.0], "channel": ["field", "online", "online"]})
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "segment": ["small", "field"]})
    >>> channel_mix(orders, c, dt.date(2025, 12, 31)).loc["small"].tolist()
    [0.3, 0.7]
    """
    rev = channel_revenue(orders, reference_date) if revenue is None else revenue
    groups = classified.set_index("customer_id")[by].reindex(rev.index)
    summed = rev.groupby(groups).sum()
    return summed.div(summed.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)


def channel_conflicts(
    orders: pd.DataFrame,
    classified: pd.DataFrame,
    reference_date: dt.date,
    min_share: float = 0.2,
    partner_owner_share: float = 0.5,
    revenue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The customers to manage with their channel shares, conflict flag and proposed owner.

    Parameters
    ----------
    orders, classified : DataFrame
        The canonical orders and the classified customers (``to_manage``).
    reference_date : date
    min_share : float
        Share of revenue through online, distributor or retail from which
        the customer is flagged.
    partner_owner_share : float
        Share through distributor and retail together from which the partner
        owns the customer.
    revenue : DataFrame, optional
        :func:`channel_revenue` when already at hand (``orders`` is then not read).

    Returns
    -------
    DataFrame
        One row per customer to manage: ``customer_id``, the shares per
        channel, ``other_channels_share``, ``partner_share``,
        ``conflict`` (bool), ``conflict_channels`` (text), ``owner``
        (inside sales, distributor or retail partner) and ``outside_rep``
        where known.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["1", "1", "2", "2", "3"], "date": pd.to_datetime(["2025-06-01"] * 5),
    ...     "revenue": [400.0, 600.0, 800.0, 200.0, 100.0], "channel": ["inside", "distributor", "inside", "online", "field"]})
    >>> c = pd.DataFrame({"customer_id": ["1", "2", "3"], "to_manage": [True, True, True]})
    >>> t = channel_conflicts(orders, c, dt.date(2025, 12, 31))
    >>> t["owner"].tolist(), t["conflict"].tolist()
    (['distributor', 'inside sales', 'inside sales'], [True, True, False])
    """
    managed = classified[classified["to_manage"].astype(bool)]
    shares = channel_shares(orders, reference_date, revenue=revenue).reindex(managed["customer_id"]).fillna(0.0)
    for ch in CHANNELS:
        if ch not in shares:
            shares[ch] = 0.0
    out = shares[CHANNELS + [c for c in shares if c not in CHANNELS]].reset_index()
    out = out.rename(columns={out.columns[0]: "customer_id"})
    out.columns.name = None
    out["other_channels_share"] = out[OTHER_CHANNELS].sum(axis=1)
    out["partner_share"] = out[PARTNER_CHANNELS].sum(axis=1)
    flags = out[OTHER_CHANNELS].ge(min_share) & out[OTHER_CHANNELS].gt(0)
    out["conflict"] = flags.any(axis=1)
    out["conflict_channels"] = pd.Series(
        [", ".join(c for c, on in zip(OTHER_CHANNELS, row, strict=False) if on) for row in flags.to_numpy(dtype=bool)],
        index=out.index,
        dtype=object,
    )
    partner_owned = out["partner_share"] >= partner_owner_share
    bigger = out["distributor"].ge(out["retail"]).map({True: "distributor", False: "retail"})
    out["owner"] = bigger.where(partner_owned, "inside").map(OWNER_LABELS)
    extra = [c for c in ("name", "segment", "region", "outside_rep", "revenue_12m") if c in managed]
    if extra:
        out = out.merge(managed[["customer_id", *extra]], on="customer_id", how="left")
    return out


def flagged_channels(conflicts: pd.DataFrame) -> pd.Series:
    """How many customers to manage are flagged for each other channel, most first.

    A customer flagged for two channels counts for both; channels nobody
    is flagged for are left out.

    >>> t = pd.DataFrame({"conflict_channels": ["online, distributor", "online", ""]})
    >>> flagged_channels(t).to_dict()
    {'online': 2, 'distributor': 1}
    """
    names = conflicts["conflict_channels"].astype("string").str.split(", ").explode()
    names = names[names.notna() & names.ne("")]
    return names.value_counts().rename("customers flagged").rename_axis("channel")


def conflict_summary(conflicts: pd.DataFrame) -> pd.DataFrame:
    """How many customers to manage each owner gets, and how many of them carry a conflict flag.

    >>> t = pd.DataFrame({"owner": ["inside sales", "inside sales", "distributor"], "conflict": [True, False, True]})
    >>> conflict_summary(t)["flagged"].tolist()
    [1, 1]
    """
    out = conflicts.groupby("owner").agg(customers=("conflict", "size"), flagged=("conflict", "sum"))
    out["flagged"] = out["flagged"].astype(int)
    return out.sort_values("customers", ascending=False)
