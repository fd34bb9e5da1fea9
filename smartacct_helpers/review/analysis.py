"""Did it work? The year-one review of the small-customer programme (docs/method.md section 7).

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

from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.coverage import first_order_date, reaches
from ..facts.orders import months_before
from ..inside_sales.business_case import payback_month
from ..small_customers.analysis import classify
from .groups import (
    FIELD_CLUSTERS,
    GROUPS,
    LARGE_CUSTOMER_BUSINESS,
    PILOT_GROUP,
    QUALIFICATION_FIELDS,
    classify_at,
    group_performance,
    pilot_of,
    promoted,
    qualification,
    review_groups,
)
from .market_share import SMALL_CUSTOMER_SEGMENT, _market_share_figures, market_shares
from .payback import amortisation, monthly_margin, pilot_sentence, pilot_team, team_size
from .periods import (
    LineSums,
    Periods,
    _figure_period,
    _review_months,
    _review_spans,
    _sums,
    _unique,
    _year_before,
    line_sums,
    review_periods,
)

__all__ = [
    "BASELINE_COLUMNS",
    "FIELD_CLUSTERS",
    "GROUPS",
    "LARGE_CUSTOMER_BUSINESS",
    "PILOT_GROUP",
    "QUALIFICATION_FIELDS",
    "SMALL_CUSTOMER_SEGMENT",
    "Review",
    "amortisation",
    "churn_rate",
    "classify_at",
    "group_performance",
    "market_shares",
    "monthly_margin",
    "pilot_of",
    "pilot_sentence",
    "pilot_team",
    "promoted",
    "qualification",
    "review_groups",
    "review_limits",
    "team_size",
    "tracking_figures",
    "year_one_review",
]


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
