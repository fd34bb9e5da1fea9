"""Who the year-one review compares: the managed customers, the other small ones, the A customers, a pilot.

The groups are defined in :mod:`smartacct_helpers.review.analysis` (its module text); here they are
drawn, their master data is qualified, their revenue and margin are compared, and the managed
customers promoted to a field-sales cluster are listed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..arrow import isin, looked_up
from ..field_visits.analysis import field_economics
from ..small_customers.analysis import abc_classes, classify
from .periods import (
    LineSums,
    Periods,
    _sums,
    _unique,
    _year_before,
    line_sums,
)

QUALIFICATION_FIELDS = (
    "industry",
    "region",
    "employees",
    "outside_rep",
    "main_channel",
    "competitor_activity",
    "procurement_power",
)


#: the comparison group of the traditional large-customer business: the A customers
LARGE_CUSTOMER_BUSINESS = "A customers (large-customer business)"


GROUPS = ("managed", "other small", LARGE_CUSTOMER_BUSINESS, "all customers")


#: the customer master's column naming each pilot customer's group (notebook 08)
PILOT_GROUP = "pilot_group"


def pilot_of(customers: pd.DataFrame) -> tuple[pd.Index, pd.Index] | None:
    """The treatment and control customer ids of a pilot the customer master names; None without both groups.

    The column :data:`PILOT_GROUP` holds ``treatment`` or ``control`` (any
    case; other values and blanks are outside the pilot).

    >>> c = pd.DataFrame({"customer_id": ["1", "2", "3"], "pilot_group": ["Treatment", "control", None]})
    >>> [list(g) for g in pilot_of(c)]
    [['1'], ['2']]
    >>> pilot_of(c.assign(pilot_group=["treatment", None, None])) is None
    True
    """
    if PILOT_GROUP not in customers:
        return None
    group = customers[PILOT_GROUP].astype("string").str.strip().str.lower()
    ids = pd.Index(customers["customer_id"])
    treatment = ids[group.eq("treatment").fillna(False).to_numpy(dtype=bool)]
    control = ids[group.eq("control").fillna(False).to_numpy(dtype=bool)]
    if treatment.empty or control.empty:
        return None
    return treatment, control


def review_groups(workbook, periods: Periods, sums: LineSums | None = None) -> dict[str, pd.Index]:
    """Customer ids of the managed group, the other small customers and the A customers (large-customer business).

    See the module text for the definitions. ``sums``: the revenue in the
    12 months before the start and before the baseline, where summed
    already (:func:`line_sums`); else they are summed in the engine.
    """
    c = workbook.tables.customers
    ids = pd.Index(c["customer_id"])
    before, earlier = _year_before(periods.start), _year_before(periods.baseline_start)
    s = sums if sums is not None else line_sums(workbook.order_totals, [before, earlier])
    revenue = s.revenue(before, ids)
    revenue_earlier = s.revenue(earlier, ids)
    threshold = field_economics(workbook.assumptions).sales_threshold
    has_rep = c["inside_rep"].notna().to_numpy() if "inside_rep" in c else np.zeros(len(c), bool)
    pilot = pilot_of(c)
    if pilot is not None:  # the pilot of notebook 08: treatment against its own control group
        managed, other = pilot
        abc = abc_classes(revenue, workbook.assumptions.abc.a, workbook.assumptions.abc.b)
        large = pd.Index(abc.index[abc == "A"]).difference(managed).difference(other)
        return {"managed": managed, "other small": other, LARGE_CUSTOMER_BUSINESS: large, "all customers": ids}
    if has_rep.any():
        managed = ids[has_rep]
    else:
        df = classify(workbook)
        managed = pd.Index(df.loc[df["to_manage"], "customer_id"])
    small = ids[(revenue_earlier.to_numpy() > 0) & (revenue_earlier.to_numpy() < threshold)]
    other = small.difference(managed)
    abc = abc_classes(revenue, workbook.assumptions.abc.a, workbook.assumptions.abc.b)
    large = pd.Index(abc.index[abc == "A"]).difference(managed)
    return {"managed": managed, "other small": other, LARGE_CUSTOMER_BUSINESS: large, "all customers": ids}


def qualification(customers: pd.DataFrame, ids, fields=QUALIFICATION_FIELDS) -> pd.DataFrame:
    """Share of ``ids`` with each master-data field filled in, and with all of them (row ``complete``).

    A field missing from the table counts as empty for everyone.

    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["x", None], "region": ["N", "S"]})
    >>> qualification(c, ["1", "2"], ("industry", "region"))["share"].tolist()
    [0.5, 1.0, 0.5]
    """
    part = customers[isin(customers["customer_id"], ids)]
    filled = pd.DataFrame({f: part[f].notna() if f in part else pd.Series(False, index=part.index) for f in fields})
    shares = filled.mean() if len(part) else pd.Series(np.nan, index=list(fields))
    shares["complete"] = filled.all(axis=1).mean() if len(part) else np.nan
    return shares.rename("share").to_frame()


def group_performance(
    orders, groups: dict[str, pd.Index], periods: Periods, margin_rate_if_unknown: float = 0.25
) -> pd.DataFrame:
    """Revenue and contribution margin per group in the baseline and the follow-up.

    ``orders``: the invoice lines (Ibis table or DataFrame) or their
    :class:`LineSums` with revenue and margin of both periods. Without a
    contribution margin in the lines, the margin is revenue x
    ``margin_rate_if_unknown``.

    Returns
    -------
    DataFrame
        Indexed by group: ``customers``, ``revenue_baseline``,
        ``revenue_followup``, ``revenue_growth`` (follow-up / baseline - 1),
        ``margin_baseline``, ``margin_followup``, ``margin_rate_baseline``,
        ``margin_rate_followup``.
    """
    base, follow = (periods.baseline_start, periods.start), (periods.start, periods.end)
    s = _sums(orders, [base, follow])
    rate = margin_rate_if_unknown
    rows = {}
    for name, ids in groups.items():
        ids = _unique(ids)
        rb, rf = float(s.revenue(base, ids).sum()), float(s.revenue(follow, ids).sum())
        mb, mf = float(s.margin(base, rate, ids).sum()), float(s.margin(follow, rate, ids).sum())
        rows[name] = {
            "customers": len(ids),
            "revenue_baseline": rb,
            "revenue_followup": rf,
            "revenue_growth": rf / rb - 1 if rb > 0 else np.nan,
            "margin_baseline": mb,
            "margin_followup": mf,
            "margin_rate_baseline": mb / rb if rb > 0 else np.nan,
            "margin_rate_followup": mf / rf if rf > 0 else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "group"
    return out


FIELD_CLUSTERS = ("field", "develop")


def classify_at(workbook, day: dt.date) -> pd.DataFrame:
    """The classification as it was on ``day`` (the facts recomputed with ``day`` as the reference date)."""
    return classify(workbook.on(day))


def promoted(classified: pd.DataFrame, managed, before: pd.DataFrame | None = None) -> pd.DataFrame:
    """Managed customers now in a field-sales cluster: above the sales threshold (``field``) or ``develop``.

    With ``before`` (the classification at the programme start) only those
    that were not in such a cluster then count: the customers the
    qualification brought up. Returns ``customer_id``, ``segment``,
    ``segment_before`` (where known), revenue and potential.

    >>> now = pd.DataFrame({"customer_id": ["1", "2", "3"], "segment": ["field", "develop", "small"]})
    >>> then = pd.DataFrame({"customer_id": ["1", "2", "3"], "segment": ["small", "develop", "small"]})
    >>> promoted(now, ["1", "2", "3"], then)["customer_id"].tolist()
    ['1']
    """
    m = classified[isin(classified["customer_id"], managed) & classified["segment"].isin(FIELD_CLUSTERS)].copy()
    if before is not None:
        m["segment_before"] = looked_up(m["customer_id"], before.set_index("customer_id")["segment"])
        m = m[~m["segment_before"].isin(FIELD_CLUSTERS)]
    cols = [
        c
        for c in [
            "customer_id",
            "name",
            "industry",
            "segment",
            "segment_before",
            "revenue_12m",
            "potential",
            "share_of_wallet",
            "inside_rep",
            "outside_rep",
        ]
        if c in m
    ]
    return m[cols].reset_index(drop=True)
