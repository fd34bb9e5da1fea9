"""Did it work? The year-one review of the small-customer programme (METHOD.md section 6).

The review compares a **baseline** period before the programme start with
a **follow-up** period after it, of the same length (12 months, or less
where the data ends sooner). The programme start is the assumption
``programme_start``; where it is empty, the day after the reference date
12 months back (so the follow-up is the last 12 months).

Groups:

* **managed**: the customers with an inside rep in the customer master
  (where nobody has one: the small customers to manage today);
* **other small**: customers without an inside rep whose revenue in the
  12 months before the baseline lay above zero and below the sales
  threshold (the comparison group: what happened without the programme;
  chosen on the year before the baseline, so that a customer picked for a
  weak year does not count its recovery as growth);
* **key accounts**: the A customers by revenue in the 12 months before the
  start (the A class stands in for the key accounts; a key-account list
  of the client's own replaces it where at hand).

The six questions: data qualification, churn against the market-customary
rate, customers promoted to field-sales clusters, revenue growth and margin
rate against the key-account business, market share in the segment against
the overall market share, and the month the inside-sales team has paid
for itself.

Examples
--------
Customers 1 and 2 bought in the year before the period; only 1 buys in the
period, so half of them were lost:

>>> o = pd.DataFrame({"customer_id": ["1", "2", "1"], "revenue": [10.0, 10.0, 10.0],
...                   "date": pd.to_datetime(["2024-03-01", "2024-05-01", "2025-02-01"])})
>>> churn_rate(o, ["1", "2"], dt.date(2025, 1, 1), dt.date(2026, 1, 1))
0.5
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .business_case import headcount, middle_capacity, payback_month, yearly_cost
from .costing import field_economics
from .facts import months_before
from .segments import abc_classes

QUALIFICATION_FIELDS = ("industry", "region", "employees", "outside_rep", "main_channel", "competitor_activity",
                        "procurement_power")
GROUPS = ("managed", "other small", "key accounts", "all customers")


@dataclass(frozen=True)
class Periods:
    """Baseline ``[baseline_start, start)`` and follow-up ``[start, end)`` (end exclusive)."""

    baseline_start: dt.date
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Length of each period in days."""
        return (self.end - self.start).days

    @property
    def baseline_last_day(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the follow-up."""
        return self.end - dt.timedelta(days=1)


def review_periods(reference_date: dt.date, programme_start: dt.date | None = None) -> Periods:
    """Baseline and follow-up of equal length around the programme start.

    The follow-up runs 12 months from the start, but not past the reference
    date; the baseline is as long (here 365 days) and ends the day before the start. Without
    a start, the follow-up is the 12 months up to the reference date.

    >>> review_periods(dt.date(2025, 12, 31))
    Periods(baseline_start=datetime.date(2024, 1, 2), start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 1))
    >>> p = review_periods(dt.date(2025, 12, 31), dt.date(2025, 7, 1))
    >>> p.baseline_start, p.days
    (datetime.date(2024, 12, 29), 184)
    """
    start = programme_start or months_before(reference_date, 12) + dt.timedelta(days=1)
    end = min(months_before(start, -12), reference_date + dt.timedelta(days=1))
    if end <= start:
        raise ValueError(f"programme_start {start} must lie before the reference date {reference_date}")
    return Periods(start - (end - start), start, end)


def _money_lines(orders: pd.DataFrame) -> pd.DataFrame:
    """The invoice lines with only the columns the review reads: filtering fewer columns is quicker."""
    return orders[[c for c in ("customer_id", "date", "revenue", "contribution_margin") if c in orders]]


def _between(orders: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    date = orders["date"]  # from start's midnight up to, not including, end's midnight: whole days
    return orders[(date >= pd.Timestamp(start)) & (date < pd.Timestamp(end))]


def churn_rate(orders: pd.DataFrame, customers, start: dt.date, end: dt.date) -> float:
    """Share of ``customers`` who bought in the 12 months before ``start`` and not in ``[start, end)``.

    NaN where none of them bought in the 12 months before.
    """
    ids = set(pd.Index(customers))
    before = _between(orders, months_before(start, 12), start)
    active = set(before.loc[before["revenue"] > 0, "customer_id"].unique()) & ids
    if not active:
        return float("nan")
    during = _between(orders, start, end)
    bought = set(during.loc[during["revenue"] > 0, "customer_id"].unique())
    return len(active - bought) / len(active)


def review_groups(workbook, periods: Periods) -> dict[str, pd.Index]:
    """Customer ids of the managed group, the other small customers and the key accounts.

    See the module text for the definitions.
    """
    c = workbook.tables.customers
    ids = pd.Index(c["customer_id"])
    orders = _money_lines(workbook.tables.orders)
    before = _between(orders, months_before(periods.start, 12), periods.start)
    revenue = before.groupby("customer_id")["revenue"].sum().reindex(ids).fillna(0.0)
    earlier = _between(orders, months_before(periods.baseline_start, 12), periods.baseline_start)
    revenue_earlier = earlier.groupby("customer_id")["revenue"].sum().reindex(ids).fillna(0.0)
    threshold = field_economics(workbook.assumptions).sales_threshold
    has_rep = c["inside_rep"].notna().to_numpy() if "inside_rep" in c else np.zeros(len(c), bool)
    if has_rep.any():
        managed = ids[has_rep]
    else:
        df = workbook.classify()
        managed = pd.Index(df.loc[df["to_manage"], "customer_id"])
    small = ids[(revenue_earlier.to_numpy() > 0) & (revenue_earlier.to_numpy() < threshold)]
    other = small.difference(managed)
    abc = abc_classes(revenue, workbook.assumptions.abc.a, workbook.assumptions.abc.b)
    key = pd.Index(abc.index[abc == "A"]).difference(managed)
    return {"managed": managed, "other small": other, "key accounts": key, "all customers": ids}


def qualification(customers: pd.DataFrame, ids, fields=QUALIFICATION_FIELDS) -> pd.DataFrame:
    """Share of ``ids`` with each master-data field filled in, and with all of them (row ``complete``).

    A field missing from the table counts as empty for everyone.

    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["x", None], "region": ["N", "S"]})
    >>> qualification(c, ["1", "2"], ("industry", "region"))["share"].tolist()
    [0.5, 1.0, 0.5]
    """
    part = customers[customers["customer_id"].isin(pd.Index(ids))]
    filled = pd.DataFrame({f: part[f].notna() if f in part else pd.Series(False, index=part.index) for f in fields})
    shares = filled.mean() if len(part) else pd.Series(np.nan, index=list(fields))
    shares["complete"] = filled.all(axis=1).mean() if len(part) else np.nan
    return shares.rename("share").to_frame()


def group_performance(orders: pd.DataFrame, groups: dict[str, pd.Index], periods: Periods,
                      margin_rate_if_unknown: float = 0.25) -> pd.DataFrame:
    """Revenue and contribution margin per group in the baseline and the follow-up.

    Returns
    -------
    DataFrame
        Indexed by group: ``customers``, ``revenue_baseline``,
        ``revenue_followup``, ``revenue_growth`` (follow-up / baseline - 1),
        ``margin_baseline``, ``margin_followup``, ``margin_rate_baseline``,
        ``margin_rate_followup``.
    """
    o = orders
    if "contribution_margin" not in o:
        o = o.assign(contribution_margin=o["revenue"] * margin_rate_if_unknown)
    base = _between(o, periods.baseline_start, periods.start)
    follow = _between(o, periods.start, periods.end)
    rows = {}
    for name, ids in groups.items():
        b, f = base[base["customer_id"].isin(ids)], follow[follow["customer_id"].isin(ids)]
        rb, rf = b["revenue"].sum(), f["revenue"].sum()
        mb, mf = b["contribution_margin"].sum(), f["contribution_margin"].sum()
        rows[name] = {
            "customers": len(ids), "revenue_baseline": rb, "revenue_followup": rf,
            "revenue_growth": rf / rb - 1 if rb > 0 else np.nan,
            "margin_baseline": mb, "margin_followup": mf,
            "margin_rate_baseline": mb / rb if rb > 0 else np.nan,
            "margin_rate_followup": mf / rf if rf > 0 else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "group"
    return out


FIELD_CLUSTERS = ("field", "develop")


def classify_at(workbook, day: dt.date) -> pd.DataFrame:
    """The classification as it was on ``day`` (the facts recomputed with ``day`` as the reference date)."""
    return workbook.on(day).classify()


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
    m = classified[classified["customer_id"].isin(pd.Index(managed)) & classified["segment"].isin(FIELD_CLUSTERS)].copy()
    if before is not None:
        m["segment_before"] = m["customer_id"].map(before.set_index("customer_id")["segment"])
        m = m[~m["segment_before"].isin(FIELD_CLUSTERS)]
    cols = [c for c in ["customer_id", "name", "industry", "segment", "segment_before", "revenue_12m", "potential",
                        "share_of_wallet", "inside_rep", "outside_rep"] if c in m]
    return m[cols].reset_index(drop=True)


def market_shares(orders: pd.DataFrame, customers: pd.DataFrame, market: pd.DataFrame | None,
                  periods: Periods) -> pd.DataFrame | None:
    """Market share per segment (customer industry) and overall, before and after the start.

    Revenue of each period is scaled to a year (x 365 / days) and divided by
    the segment's annual ``market_volume``; the row ``overall`` divides the
    revenue of all segments in the market table by the total market volume.
    None without a market table.
    """
    if market is None or not len(market) or "industry" not in customers:
        return None
    vol = market.groupby("segment")["market_volume"].sum()
    industry = customers.set_index("customer_id")["industry"]
    scale = 365.0 / periods.days
    rows = {}
    for label, (s, e) in {"baseline": (periods.baseline_start, periods.start), "followup": (periods.start, periods.end)}.items():
        part = _between(orders, s, e)
        rev = part.groupby(part["customer_id"].map(industry))["revenue"].sum().reindex(vol.index).fillna(0.0)
        rows[f"revenue_{label}"] = rev * scale
    out = pd.DataFrame(rows)
    out.insert(0, "market_volume", vol)
    out.loc["overall"] = out.sum()
    out["share_baseline"] = out["revenue_baseline"] / out["market_volume"]
    out["share_followup"] = out["revenue_followup"] / out["market_volume"]
    out.index.name = "segment"
    return out


def monthly_margin(orders: pd.DataFrame, ids, start: dt.date, months: int, margin_rate_if_unknown: float = 0.25) -> pd.Series:
    """Contribution margin of ``ids`` per month for ``months`` months from ``start`` (month 1 = the first)."""
    o = orders[orders["customer_id"].isin(pd.Index(ids))]
    margin = o["contribution_margin"] if "contribution_margin" in o else o["revenue"] * margin_rate_if_unknown
    edges = [pd.Timestamp(months_before(start, -k)) for k in range(months + 1)]
    day = o["date"].dt.normalize()
    values = [float(margin[(day >= edges[k]) & (day < edges[k + 1])].sum()) for k in range(months)]
    return pd.Series(values, index=pd.RangeIndex(1, months + 1, name="month"))


def amortisation(orders: pd.DataFrame, groups: dict[str, pd.Index], periods: Periods, assumptions,
                 team_size: int | None = None) -> pd.DataFrame:
    """Cumulative incremental contribution margin of the managed group against the team's cost, by month.

    Incremental margin in month ``m`` after the start: the managed group's
    margin in that month minus its margin in the same month a year before,
    grown by the comparison group's margin growth over the whole review
    (``other small`` follow-up / baseline; 1 without such a group), so that
    what would have happened anyway is not credited to the team. The cost:
    the running cost of the team per year (:func:`business_case.yearly_cost`
    for ``team_size`` inside reps) spread over the months, and the set-up
    cost in month 1.

    Returns
    -------
    DataFrame
        Indexed by month (1 = the programme's first): ``month_start``,
        ``margin``, ``margin_year_before``, ``incremental_margin``, ``cost``,
        ``cumulative_margin``, ``cumulative_cost``, ``cumulative_net``.
    """
    months = 0
    while months_before(periods.start, -(months + 1)) <= periods.end:
        months += 1
    rate = assumptions.margin_rate_if_unknown
    managed = groups["managed"]
    other = groups.get("other small", pd.Index([]))
    factor = 1.0
    if len(other):
        perf = group_performance(orders, {"other small": other}, periods, rate)
        mb, mf = perf.loc["other small", ["margin_baseline", "margin_followup"]]
        if mb > 0:
            factor = float(mf / mb)
    now = monthly_margin(orders, managed, periods.start, months, rate)
    before = monthly_margin(orders, managed, months_before(periods.start, 12), months, rate)
    size = team_size if team_size is not None else headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))
    monthly_cost = yearly_cost(size, assumptions)["total"] / 12
    cost = np.full(months, monthly_cost)
    if months:
        cost[0] += assumptions.setup_cost
    out = pd.DataFrame({
        "month_start": [months_before(periods.start, -(k - 1)) for k in now.index],
        "margin": now.to_numpy(), "margin_year_before": before.to_numpy(),
    }, index=now.index)
    out["incremental_margin"] = out["margin"] - factor * out["margin_year_before"]
    out["cost"] = cost
    out["cumulative_margin"] = out["incremental_margin"].cumsum()
    out["cumulative_cost"] = out["cost"].cumsum()
    out["cumulative_net"] = out["cumulative_margin"] - out["cumulative_cost"]
    return out


def team_size(customers: pd.DataFrame, managed, assumptions) -> int:
    """The inside reps named for the managed customers; where none are named, the headcount at mid capacity."""
    if "inside_rep" in customers:
        reps = customers.loc[customers["customer_id"].isin(pd.Index(managed)), "inside_rep"].dropna().nunique()
        if reps:
            return int(reps)
    return headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))


def year_one_review(workbook, classified: pd.DataFrame | None = None) -> dict:
    """Everything of the year-one review in one mapping.

    Keys: ``periods``, ``groups``, ``qualification`` (managed and other
    small side by side), ``churn`` (per group: baseline, follow-up and the
    market-customary rate), ``promoted``, ``performance``, ``market``
    (None without a market table), ``amortisation``, ``amortisation_month``
    and ``team_size``.
    """
    a = workbook.assumptions
    orders = _money_lines(workbook.tables.orders)
    p = review_periods(workbook.reference_date, a.programme_start)
    groups = review_groups(workbook, p)
    df = workbook.classify() if classified is None else classified
    qual = pd.concat({name: qualification(workbook.tables.customers, groups[name])["share"]
                      for name in ("managed", "other small")}, axis=1)
    churn = pd.DataFrame({
        "baseline": {g: churn_rate(orders, ids, p.baseline_start, p.start) for g, ids in groups.items()},
        "followup": {g: churn_rate(orders, ids, p.start, p.end) for g, ids in groups.items()},
    })
    churn["market_customary"] = a.market_churn_rate
    churn.index.name = "group"
    size = team_size(workbook.tables.customers, groups["managed"], a)
    amort = amortisation(orders, groups, p, a, size)
    return {
        "periods": p, "groups": groups, "qualification": qual, "churn": churn,
        "promoted": promoted(df, groups["managed"], classify_at(workbook, p.start - dt.timedelta(days=1))),
        "performance": group_performance(orders, groups, p, a.margin_rate_if_unknown),
        "market": market_shares(orders, workbook.tables.customers, workbook.tables.market, p),
        "amortisation": amort, "amortisation_month": payback_month(amort["cumulative_net"]) if len(amort) else None,
        "team_size": size,
    }


def tracking_figures(workbook, review: dict | None = None) -> dict:
    """The summary.json figures of the year-one review.

    * ``churn_rate_12m``: share of the managed customers (inside rep named;
      else the small customers to manage) who bought in the 12 months
      before the last 12 months and bought nothing in the last 12 months
      up to the reference date.
    * ``amortisation_month``: the first month after the programme start in
      which the managed group's cumulative incremental contribution margin
      reaches the inside-sales team's cumulative cost (set-up included);
      None where it is not reached within the months observed.
    """
    r = year_one_review(workbook) if review is None else review
    ref = workbook.reference_date
    start = months_before(ref, 12)
    rate = churn_rate(_money_lines(workbook.tables.orders), r["groups"]["managed"], start + dt.timedelta(days=1),
                      ref + dt.timedelta(days=1))
    return {"churn_rate_12m": None if not np.isfinite(rate) else float(rate),
            "amortisation_month": r["amortisation_month"]}
