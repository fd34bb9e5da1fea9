"""Did it work? The year-one review of the small-customer programme (METHOD.md section 6).

The review compares a **baseline** period before the programme start with
a **follow-up** period after it, of the same length (12 months, or less
where the data ends sooner). The programme start is the assumption
``programme_start``; where it is empty, the day after the reference date
12 months back (so the follow-up is the last 12 months).

Groups:

* **managed**: the customers with an inside rep in the customer master
  (where nobody has one: the small customers to manage today); where the
  customer master names a pilot (column ``pilot_group``, the treatment and
  control groups of notebook 08), the treatment group;
* **other small**: customers without an inside rep whose revenue in the
  12 months before the baseline lay above zero and below the sales
  threshold (the comparison group: what happened without the programme;
  chosen on the year before the baseline, so that a customer picked for a
  weak year does not count its recovery as growth); with a pilot, its
  control group, exactly as drawn;
* **A customers (large-customer business)**: the A customers by revenue in
  the 12 months before the start, the traditional business with large
  customers that the programme is measured against. They are not the key
  accounts of notebook 05, a much smaller set chosen and scored for the
  relationship: key does not mean large.

The six questions: data qualification, churn against the market-customary
rate, customers promoted to field-sales clusters, revenue growth and margin
rate against the large-customer business, the market share in the
small-customer segment against the overall market share, and the month the
inside-sales team has paid for itself.

A short history is said, not filled with zeros (:func:`review_limits`).
Where the data does not reach back over the 12 months before the programme
start, everything compared with them is unknown: growth, margin and market
share of the baseline, the churn of both periods, the A customers, the
promotions and the month the team paid for itself. Where it does not reach
back over the 12 months before the baseline, the baseline's churn and the
comparison group are unknown (the team is then credited with all the
managed group's growth).

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

import numpy as np
import pandas as pd

from ..arrow import isin, looked_up
from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.coverage import first_order_date, reaches
from ..facts.orders import months_before
from ..field_visits.analysis import field_economics
from ..inside_sales.business_case import headcount, middle_capacity, payback_month, yearly_cost
from ..small_customers.analysis import abc_classes, classify
from .periods import (
    LineSums,
    Periods,
    _figure_period,
    _month_spans,
    _review_months,
    _review_spans,
    _sums,
    _unique,
    _year_before,
    line_sums,
    review_periods,
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
#: the row of :func:`market_shares` for the managed customers' own segment
SMALL_CUSTOMER_SEGMENT = "small customers (managed)"


def churn_rate(orders, customers, start: dt.date, end: dt.date) -> float:
    """Share of ``customers`` who bought in the 12 months before ``start`` and not in ``[start, end)``.

    NaN where none of them bought in the 12 months before. ``orders``: the
    invoice lines (Ibis table or DataFrame) or their :class:`LineSums`
    over both ranges.
    """
    before, during = _year_before(start), (start, end)
    s = _sums(orders, [before, during])
    ids = _unique(customers)
    active = s.bought(before, ids).to_numpy()
    if not active.any():
        return float("nan")
    return float((~s.bought(during, ids).to_numpy()[active]).mean())


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


def market_shares(
    orders,
    customers: pd.DataFrame,
    market: pd.DataFrame | None,
    periods: Periods,
    managed=None,
    potential: pd.Series | None = None,
) -> pd.DataFrame | None:
    """Market share per segment (customer industry), overall, and in the small-customer segment, before and after.

    Revenue of each period is scaled to a year (x 365 / days) and divided by
    the segment's annual ``market_volume``; the row ``overall`` divides the
    revenue of all segments in the market table by the total market volume.
    The row :data:`SMALL_CUSTOMER_SEGMENT` is the managed customers' own
    segment (``managed``, with ``potential`` per customer id): its market is
    what those customers could buy a year, the sum of their potentials
    (docs/method.md section 3), and its revenue theirs; customers without a
    known potential are left out of both. The sixth question compares this
    share with the overall one. None without a market table.
    ``orders``: the invoice lines (Ibis table or DataFrame) or their
    :class:`LineSums` with the revenue of both periods.

    >>> p = Periods(dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1))   # a follow-up of 365 days
    >>> o = pd.DataFrame({"customer_id": ["1", "2", "1"], "revenue": [100.0, 900.0, 200.0],
    ...                   "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2024-03-01"])})
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["x", "x"]})
    >>> m = pd.DataFrame({"segment": ["x"], "market_volume": [10_000.0]})
    >>> # overall 1,000 / 10,000; the managed customer 1: 100 of a potential of 400
    >>> t = market_shares(o, c, m, p, ["1"], pd.Series({"1": 400.0, "2": 5_000.0}))
    >>> float(t.loc["overall", "share_followup"]), float(t.loc["small customers (managed)", "share_followup"])
    (0.1, 0.25)
    """
    if market is None or not len(market) or "industry" not in customers:
        return None
    vol = market.groupby("segment")["market_volume"].sum()
    industry = customers.set_index("customer_id")["industry"]
    scale = 365.0 / periods.days
    spans = {"baseline": (periods.baseline_start, periods.start), "followup": (periods.start, periods.end)}
    s = _sums(orders, spans.values())
    rows = {}
    for label, span in spans.items():
        per_customer = s.revenue(span)
        segment = industry.reindex(per_customer.index).to_numpy()  # customers not in the master: no segment
        rev = per_customer.groupby(segment).sum().reindex(vol.index).fillna(0.0)
        rows[f"revenue_{label}"] = rev * scale
    out = pd.DataFrame(rows)
    out.insert(0, "market_volume", vol)
    out.loc["overall"] = out.sum()
    if managed is not None and potential is not None:
        known = potential.reindex(_unique(pd.Index(managed).astype(str))).dropna()
        known = known[known > 0]
        if len(known):
            out.loc[SMALL_CUSTOMER_SEGMENT] = [
                float(known.sum()),
                *(float(s.revenue(span, known.index).sum()) * scale for span in spans.values()),
            ]
    out["share_baseline"] = out["revenue_baseline"] / out["market_volume"]
    out["share_followup"] = out["revenue_followup"] / out["market_volume"]
    out.index.name = "segment"
    return out


def monthly_margin(orders, ids, start: dt.date, months: int, margin_rate_if_unknown: float = 0.25) -> pd.Series:
    """Contribution margin of ``ids`` per month for ``months`` months from ``start`` (month 1 = the first).

    A month runs from the day ``start`` falls on to the day before the same
    day a month later (whole days). ``orders``: the invoice lines (Ibis
    table or DataFrame) or their :class:`LineSums` with the margin of
    those months.
    """
    spans = _month_spans(start, months)
    s = _sums(orders, spans)
    ids = _unique(ids)
    values = [float(s.margin(span, margin_rate_if_unknown, ids).sum()) for span in spans]
    return pd.Series(values, index=pd.RangeIndex(1, months + 1, name="month"))


def amortisation(
    orders, groups: dict[str, pd.Index], periods: Periods, assumptions, team_size: int | None = None
) -> pd.DataFrame:
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

    ``orders``: the invoice lines (Ibis table or DataFrame) or their
    :class:`LineSums` with the margins of the review (see :func:`line_sums`).
    """
    months = _review_months(periods)
    sums = _sums(orders, _review_spans(periods, months))  # one scan for the comparison group and both years of months
    rate = assumptions.margin_rate_if_unknown
    managed = groups["managed"]
    other = groups.get("other small", pd.Index([]))
    factor = 1.0
    if len(other):
        perf = group_performance(sums, {"other small": other}, periods, rate)
        mb, mf = perf.loc["other small", ["margin_baseline", "margin_followup"]]
        if mb > 0:
            factor = float(mf / mb)
    now = monthly_margin(sums, managed, periods.start, months, rate)
    before = monthly_margin(sums, managed, months_before(periods.start, WINDOW_MONTHS), months, rate)
    size = (
        team_size
        if team_size is not None
        else headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))
    )
    monthly_cost = yearly_cost(size, assumptions)["total"] / 12
    cost = np.full(months, monthly_cost)
    if months:
        cost[0] += assumptions.setup_cost
    out = pd.DataFrame(
        {
            "month_start": [months_before(periods.start, -(k - 1)) for k in now.index],
            "margin": now.to_numpy(),
            "margin_year_before": before.to_numpy(),
        },
        index=now.index,
    )
    out["incremental_margin"] = out["margin"] - factor * out["margin_year_before"]
    out["cost"] = cost
    out["cumulative_margin"] = out["incremental_margin"].cumsum()
    out["cumulative_cost"] = out["cost"].cumsum()
    out["cumulative_net"] = out["cumulative_margin"] - out["cumulative_cost"]
    return out


def _starts(first: dt.date | None) -> str:
    return f"the data starts on {first:%d.%m.%Y}" if first else "the data holds no order"


def review_limits(periods: Periods, first_date: dt.date | None) -> dict[str, str]:
    """What of the review the data is too short for: ``{part: reason}``.

    ``baseline``: the data (first order on ``first_date``) does not reach
    back over the 12 months before the start; ``year_before_baseline``: nor
    over the 12 months before the baseline. See the module text for what
    each leaves unknown.

    >>> p = review_periods(dt.date(2025, 12, 31))
    >>> sorted(review_limits(p, dt.date(2024, 1, 5)))    # two years of data: the baseline is held
    ['year_before_baseline']
    >>> print(review_limits(p, dt.date(2024, 12, 1))["baseline"])
    the year-one review compares the 12 months from the programme start (01.01.2025) with the 12 months before it (from 01.01.2024); the data starts on 01.12.2024
    """
    p = periods
    out = {}
    baseline_from = min(p.baseline_start, months_before(p.start, WINDOW_MONTHS))
    if not reaches(first_date, baseline_from):
        out["baseline"] = (
            f"the year-one review compares the 12 months from the programme start ({p.start:%d.%m.%Y}) "
            f"with the 12 months before it (from {baseline_from:%d.%m.%Y}); {_starts(first_date)}"
        )
    earlier = months_before(p.baseline_start, WINDOW_MONTHS)
    if not reaches(first_date, earlier):
        out["year_before_baseline"] = (
            "the churn of the baseline and the comparison group of other small customers need the 12 months "
            f"before the baseline (from {earlier:%d.%m.%Y}); {_starts(first_date)}"
        )
    return out


def team_size(customers: pd.DataFrame, managed, assumptions) -> int:
    """The inside reps named for the managed customers; where none are named, the headcount at mid capacity."""
    if "inside_rep" in customers:
        reps = customers.loc[isin(customers["customer_id"], managed), "inside_rep"].dropna().nunique()
        if reps:
            return int(reps)
    return headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))


class Review(dict):
    """What :func:`year_one_review` returns: a mapping the workbook may remember (it copies what it hands out)."""

    def copy(self, deep: bool = False) -> Review:
        return Review(self)


#: the columns of :func:`group_performance` and :func:`market_shares` that compare with the baseline
BASELINE_COLUMNS = ("revenue_baseline", "revenue_growth", "margin_baseline", "margin_rate_baseline", "share_baseline")


def year_one_review(workbook, classified: pd.DataFrame | None = None) -> dict:
    """Everything of the year-one review in one mapping.

    Keys: ``periods``, ``groups``, ``qualification`` (managed and other
    small side by side), ``churn`` (per group: baseline, follow-up and the
    market-customary rate), ``promoted``, ``performance``, ``market``
    (None without a market table), ``amortisation``, ``amortisation_month``,
    ``team_size``, ``limited`` (:func:`review_limits`) and ``line_sums``
    (the per-customer sums the review is computed from, a
    :class:`LineSums`; those of :func:`tracking_figures` included).

    Where the data is too short (``limited``), what it leaves unknown is
    missing, not zero: the groups it cannot tell are left out of
    ``groups``, the baseline's figures are NaN, ``promoted`` and
    ``amortisation`` are None.

    Without ``classified`` the review is remembered by the workbook (per
    value of the assumptions), so that each section of the review and the
    key figures share one.
    """
    if classified is None:

        def compute(a):
            a.model_dump()  # the review reads nearly every assumption: remembered per value of all of them
            return _year_one_review(workbook, classify(workbook))

        return workbook.remembered("year_one_review", compute, workbook.assumptions)
    return _year_one_review(workbook, classified)


def _year_one_review(workbook, df: pd.DataFrame) -> Review:
    a = workbook.assumptions
    p = review_periods(workbook.reference_date, a.programme_start)
    limits = review_limits(p, first_order_date(workbook))
    # every sum the review needs, per customer, in one scan of the invoice lines in the engine
    sums = line_sums(workbook.order_totals, _review_spans(p, _review_months(p), workbook.reference_date))
    groups = review_groups(workbook, p, sums)
    if "year_before_baseline" in limits and pilot_of(workbook.tables.customers) is None:
        del groups["other small"]  # chosen on a year the data does not hold (a pilot's control group is drawn)
    if "baseline" in limits:
        del groups[LARGE_CUSTOMER_BUSINESS]
    qual = pd.concat(
        {
            name: qualification(workbook.tables.customers, groups[name])["share"]
            for name in ("managed", "other small")
            if name in groups
        },
        axis=1,
    )
    churn = pd.DataFrame(
        {
            "baseline": {
                g: churn_rate(sums, ids, p.baseline_start, p.start) if "year_before_baseline" not in limits else np.nan
                for g, ids in groups.items()
            },
            "followup": {
                g: churn_rate(sums, ids, p.start, p.end) if "baseline" not in limits else np.nan
                for g, ids in groups.items()
            },
        }
    )
    churn["market_customary"] = a.market_churn_rate
    churn.index.name = "group"
    size = team_size(workbook.tables.customers, groups["managed"], a)
    performance = group_performance(sums, groups, p, a.margin_rate_if_unknown)
    potential = df.set_index("customer_id")["potential"] if "potential" in df else None
    market = market_shares(sums, workbook.tables.customers, workbook.tables.market, p, groups["managed"], potential)
    amort = month = promotions = None
    if "baseline" in limits:
        for table in (performance, market):
            if table is not None:
                table.loc[:, [c for c in BASELINE_COLUMNS if c in table]] = np.nan
    else:
        amort = amortisation(sums, groups, p, a, size)
        month = payback_month(amort["cumulative_net"]) if len(amort) else None
        promotions = promoted(df, groups["managed"], classify_at(workbook, p.start - dt.timedelta(days=1)))
    return Review(
        {
            "periods": p,
            "groups": groups,
            "qualification": qual,
            "churn": churn,
            "promoted": promotions,
            "performance": performance,
            "market": market,
            "amortisation": amort,
            "amortisation_month": month,
            "team_size": size,
            "limited": limits,
            "line_sums": sums,
        }
    )


def tracking_figures(workbook, review: dict | None = None) -> dict:
    """The summary.json figures of the year-one review.

    * ``churn_rate_12m``: share of the managed customers (inside rep named;
      else the small customers to manage) who bought in the 12 months
      before the last 12 months and bought nothing in the last 12 months
      up to the reference date. None where the data does not reach back
      over those 12 months before.
    * ``amortisation_month``: the first month after the programme start in
      which the managed group's cumulative incremental contribution margin
      reaches the inside-sales team's cumulative cost (set-up included);
      None where it is not reached within the months observed, or where
      the data does not hold the 12 months before the programme start.
    * ``market_share_small_customers``: the market share in the
      small-customer segment over the follow-up (the managed customers'
      revenue, scaled to a year, over the sum of their potentials; see
      :func:`market_shares`); None without a market file or without a
      managed customer whose potential is known.
    * ``market_share_overall``: the overall market share over the
      follow-up, which the one above is compared with; None without a
      market file.

    A figure the data is too short for comes with its reason under
    ``"_limited"``, as does the review itself (``year_one_review``).
    """
    r = year_one_review(workbook) if review is None else review
    start, end = _figure_period(workbook.reference_date)
    first = first_order_date(workbook)
    limited = {}
    before = _year_before(start)
    if reaches(first, before[0]):
        sums = r.get("line_sums")
        if not (isinstance(sums, LineSums) and sums.covers(before) and sums.covers((start, end))):
            sums = workbook.order_totals
        rate = churn_rate(sums, r["groups"]["managed"], start, end)
    else:
        rate = float("nan")
        limited["churn_rate_12m"] = (
            f"the churn compares the last 12 months with the 12 months before them "
            f"(from {before[0]:%d.%m.%Y}); {_starts(first)}"
        )
    limits = r.get("limited", {})
    if "baseline" in limits:
        p = r["periods"]
        limited["amortisation_month"] = (
            "the month the team paid for itself compares each month from the programme start with the same month "
            f"a year before (from {months_before(p.start, WINDOW_MONTHS):%d.%m.%Y}); {_starts(first)}"
        )
    if limits:
        limited["year_one_review"] = limits.get("baseline", limits.get("year_before_baseline"))
    out = {
        "churn_rate_12m": None if not np.isfinite(rate) else float(rate),
        "amortisation_month": r["amortisation_month"],
        **_market_share_figures(r.get("market")),
    }
    if limited:
        out["_limited"] = limited
    return out


def _market_share_figures(market: pd.DataFrame | None) -> dict:
    """The follow-up's market share in the small-customer segment and overall, None where unknown."""

    def share(row: str):
        if market is None or row not in market.index:
            return None
        value = float(market.loc[row, "share_followup"])
        return value if np.isfinite(value) else None

    return {
        "market_share_small_customers": share(SMALL_CUSTOMER_SEGMENT),
        "market_share_overall": share("overall"),
    }


def pilot_team(workbook) -> dict | None:
    """The inside-sales team already at work: the inside reps the customer master names, and since when.

    Returns ``{"reps": int, "start": date or None}`` (``start`` is the
    params' ``programme_start``), or None when the master names no inside
    rep: then there is no team yet, and the business case (notebook 04)
    sizes the whole team.
    """
    customers = workbook.tables.customers
    if customers is None or "inside_rep" not in customers:
        return None
    reps = customers["inside_rep"].dropna().astype(str).str.strip()
    reps = reps[reps.ne("")].nunique()
    if not reps:
        return None
    return {"reps": int(reps), "start": workbook.assumptions.programme_start}


def pilot_sentence(pilot: dict | None, rollout: int | None, style: str = "en", case: str = " (notebook 04)") -> str:
    """The pilot team and the full rollout of the business case, in one sentence ("" without a pilot).

    >>> import datetime as dt
    >>> pilot_sentence({"reps": 3, "start": dt.date(2025, 1, 1)}, 11, "de")
    'The pilot team of 3 inside reps has worked since 01.01.2025; the full rollout in the business case (notebook 04) needs 11.'
    >>> pilot_sentence(None, 11)
    ''
    """
    if not pilot:
        return ""
    since = pilot["start"].strftime("%d.%m.%Y" if style == "de" else "%Y-%m-%d") if pilot.get("start") else None
    text = f"The pilot team of {pilot['reps']} inside rep{'' if pilot['reps'] == 1 else 's'} "
    text += f"has worked since {since}" if since else "is at work"
    if rollout:
        text += f"; the full rollout in the business case{case} needs {rollout}"
    return text + "."
