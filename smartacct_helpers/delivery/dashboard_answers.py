"""The numbers behind the dashboard's five answers, one function per question.

The dashboard (:mod:`smartacct_helpers.delivery.dashboard`) asks five questions a
sales manager asks, and each function here answers one from the analyses'
public functions, so that the page only lays the numbers out:

* :func:`small_customer_costs`: what do the small customers cost today?
  The cost of a field visit, of looking after one customer in the field for
  a year, the sales threshold, the customers to manage and what serving
  them in the field costs a year; the customers per revenue band for the
  chart, split into the same three groups the legend counts.
* :func:`inside_sales_case`: does inside sales pay? Headcount at a chosen
  capacity, cost, return, payback and the chance of paying back, for an
  own team and an external provider side by side.
* :func:`key_accounts_at_risk`: which key accounts are at risk? Each key
  account with a warning sign (its buying rhythm broke off, its revenue is
  falling, high competitor activity), with its share, trend, scorecard
  class and what losing it costs.
* :func:`calls_this_week`: whom do we call this week? The early-warning
  call lists per rep.
* :func:`year_one_kpis`: did it work? The year-one review's key figures,
  when a programme start is set.

An answer whose input the data lacks is a
:class:`~smartacct_helpers.presentation.sections.Needs` (one sentence), never an error.

Examples
--------
A visit costs 110,000 / (200 x 4) = 137.50; five visits a year make 687.50
per customer; at a cost ratio of 8 % the threshold is 687.50 / 0.08 =
8,593.75. Three customers: 500 and 9,000 of revenue with an order in the
window, and one with no order for three years:

>>> import pandas as pd
>>> from smartacct_helpers.params import Assumptions
>>> df = pd.DataFrame({"revenue_12m": [500.0, 9_000.0, 0.0], "below_threshold": [True, False, True],
...                    "to_manage": [True, False, False]})
>>> c = small_customer_costs(df, Assumptions())
>>> c.visit_cost, c.management_cost, c.threshold
(137.5, 687.5, 8593.75)
>>> c.to_manage, c.below_inactive, c.above, c.field_cost   # 1 x 687.50
(1, 1, 1, 687.5)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..facts.concepts import group_revenue
from ..field_visits.analysis import field_economics
from ..inside_sales import business_case as bc
from ..inside_sales.figures import PAYBACK_CHANCE_MONTHS, case_limits
from ..inside_sales.monte_carlo import monte_carlo
from ..key_accounts.concentration import concentration_summary, hhi_band
from ..presentation.formatting import share
from ..presentation.sections import Needs, has_values

#: a key account whose revenue trend falls by this share of its revenue a year or more counts as falling
FALLING_TREND = 0.05

#: what the key-account answer needs when no customer bought in the last 12 months
REVENUE_NEEDS = "customers with revenue in the last 12 months (column revenue of the orders), and the data has none"

#: the three groups of customers the small-customer chart stacks and its legend counts, in order
GROUPS = ("to_manage", "below_inactive", "above")


# -- 1. what do the small customers cost today? ---------------------------------------------------------------


@dataclass(frozen=True)
class SmallCustomerCosts:
    """What the small customers cost, for one set of assumptions.

    Every customer is in exactly one of three groups: ``to_manage`` (below
    the sales threshold with an order in the active window), ``below_inactive``
    (below it, no order in the active window) and ``above`` (at or above
    it); the three add up to ``customers``.
    """

    visit_cost: float
    management_cost: float
    threshold: float
    customers: int
    to_manage: int
    below_inactive: int
    above: int
    #: the customers to manage's revenue of the last 12 months (negative ones as zero)
    revenue_to_manage: float
    #: customers to manage x the cost of looking after one in the field for a year
    field_cost: float
    #: field visits the customers to manage received in the last 12 months (None without CRM activities)
    visits_made: float | None = None
    #: the customers per revenue band, by group (see :func:`revenue_bands`)
    bands: pd.DataFrame = field(default=None, repr=False, compare=False)

    @property
    def field_cost_share(self) -> float:
        """The field cost over the revenue of the customers to manage (NaN without revenue)."""
        return self.field_cost / self.revenue_to_manage if self.revenue_to_manage > 0 else float("nan")


def small_customer_costs(classified: pd.DataFrame, assumptions, with_bands: bool = False) -> SmallCustomerCosts:
    """The answer to "what do the small customers cost today?" from the classified customers.

    Parameters
    ----------
    classified : DataFrame
        :meth:`Workbook.classify` (``revenue_12m``, ``below_threshold``,
        ``to_manage`` and, with CRM activities, ``visits_12m``).
    assumptions : Assumptions
        Those the classification used.
    with_bands : bool
        Also count the customers per revenue band (:func:`revenue_bands`).
    """
    econ = field_economics(assumptions)
    below = classified["below_threshold"].to_numpy(dtype=bool)
    manage = classified["to_manage"].to_numpy(dtype=bool)
    to_manage = int(manage.sum())
    visits = None
    if "visits_12m" in classified:
        visits = float(np.nansum(classified["visits_12m"].to_numpy(dtype="float64", na_value=np.nan)[manage]))
    bands = revenue_bands(classified, econ.sales_threshold) if with_bands else None
    return SmallCustomerCosts(
        visit_cost=econ.visit_cost,
        management_cost=econ.management_cost_per_customer,
        threshold=econ.sales_threshold,
        customers=len(classified),
        to_manage=to_manage,
        below_inactive=int((below & ~manage).sum()),
        above=int((~below).sum()),
        revenue_to_manage=group_revenue(classified, manage),
        field_cost=to_manage * econ.management_cost_per_customer,
        visits_made=visits,
        bands=bands,
    )


def band_edges(revenue: np.ndarray, threshold: float, most: int = 10) -> list[float]:
    """Round limits (1, 2, 5 times a power of ten) for the positive revenue, at most ``most`` bands.

    The lowest limit lies at or below a twentieth of the threshold and the
    2nd percentile of the positive revenue, the highest at or above their
    98th percentile and the threshold: the bands cover nearly every customer
    and show those near the threshold.

    >>> band_edges(np.array([120.0, 900.0, 4_000.0, 30_000.0]), 8_593.75)
    [100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0]
    """
    positive = revenue[revenue > 0]
    low = min(np.quantile(positive, 0.02) if len(positive) else threshold, threshold / 20)
    high = max(np.quantile(positive, 0.98) if len(positive) else threshold, threshold * 1.01)
    steps = [m * 10.0**e for e in range(-2, 13) for m in (1, 2, 5)]
    start = max([s for s in steps if s <= max(low, 0.01)] or [steps[0]])
    edges = [s for s in steps if start <= s]
    out = []
    for s in edges:
        out.append(s)
        if s >= high:
            break
    while len(out) > most:  # too many: every other limit, keeping the last
        out = out[::2] if out[::2][-1] == out[-1] else out[::2] + [out[-1]]
    return out


def revenue_bands(classified: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Customers per band of revenue in the last 12 months, by group (:data:`GROUPS`).

    The first band holds the customers with no revenue (none, or credit
    notes only), the last those above the highest limit. Each row counts
    every customer of its band once, in the group it belongs to, so the
    column sums are the groups' counts.

    Returns
    -------
    DataFrame
        ``low`` and ``high`` (the band's limits; NaN for open ends),
        ``to_manage``, ``below_inactive``, ``above``, and ``holds_threshold``
        (the band the threshold falls in).

    >>> df = pd.DataFrame({"revenue_12m": [0.0, 150.0, 900.0, 9_000.0],
    ...                    "below_threshold": [True, True, True, False], "to_manage": [False, True, True, False]})
    >>> b = revenue_bands(df, 1_000.0)
    >>> int(b["to_manage"].sum()), int(b["below_inactive"].sum()), int(b["above"].sum())
    (2, 1, 1)
    """
    revenue = classified["revenue_12m"].to_numpy(dtype="float64", na_value=0.0)
    edges = band_edges(revenue, threshold)
    below = classified["below_threshold"].to_numpy(dtype=bool)
    manage = classified["to_manage"].to_numpy(dtype=bool)
    group = np.where(manage, 0, np.where(below, 1, 2))
    positive = revenue > 0
    band = np.where(positive, np.searchsorted(np.asarray(edges), revenue, side="right") + 1, 0)
    n_bands = len(edges) + 2  # none, below the first limit, ..., above the last
    counts = np.zeros((n_bands, 3), dtype=int)
    np.add.at(counts, (band, group), 1)
    lows = [np.nan, 0.0, *edges]
    highs = [np.nan, *edges, np.nan]
    out = pd.DataFrame(counts, columns=list(GROUPS))
    out.insert(0, "low", lows)
    out.insert(1, "high", highs)
    holds = np.zeros(n_bands, dtype=bool)
    holds[int(np.searchsorted(np.asarray(edges), threshold, side="right")) + 1] = True
    out["holds_threshold"] = holds
    return out


# -- 2. does inside sales pay? ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsideSalesCase:
    """The business case at one capacity, own team and external provider side by side."""

    capacity: int
    customers: int
    own: bc.BusinessCase
    external: bc.BusinessCase
    #: share of simulated runs that pay back within :attr:`chance_months`, per provider (None when :attr:`limits`)
    chance_own: float | None
    chance_external: float | None
    #: the months over which the return and the payback are reckoned (``business_case_months``)
    horizon: int
    #: why the data cannot carry a return (no customers to manage, no known potential), else None
    limits: str | None
    margin_assumed: bool
    #: simulated outcomes behind the chances
    runs: int = 0
    #: the months within which the chance of paying back is reckoned, as in summary.json and the report
    chance_months: int = PAYBACK_CHANCE_MONTHS


def inside_sales_case(workbook, classified: pd.DataFrame, capacity: int) -> InsideSalesCase:
    """The answer to "does inside sales pay?" for the workbook's assumptions and ``capacity`` customers per rep.

    The base scenario of :func:`~smartacct_helpers.inside_sales.business_case.business_case`
    for both providers, over ``business_case_months``; the chance of paying
    back is the Monte Carlo's share of runs that pay back within
    :data:`~smartacct_helpers.inside_sales.figures.PAYBACK_CHANCE_MONTHS`
    (24), the horizon of summary.json's ``probability_payback_24m`` and of
    the report's page one, so that at the middle capacity the page and the
    report show the same chance.
    """
    a = workbook.assumptions
    inputs = bc.workbook_case_inputs(workbook, classified)
    own = bc.business_case(inputs, a, capacity, "base", "internal")
    external = bc.business_case(inputs, a, capacity, "base", "external")
    limits = case_limits(inputs)
    horizon = a.business_case_months
    chances = [None, None]
    if limits is None:
        chances = [
            monte_carlo(inputs, a, capacity, provider).probability_payback(PAYBACK_CHANCE_MONTHS)
            for provider in ("internal", "external")
        ]
    return InsideSalesCase(
        capacity,
        inputs.customers,
        own,
        external,
        chances[0],
        chances[1],
        horizon,
        limits,
        inputs.margin_assumed,
        a.monte_carlo_runs,
    )


# -- 3. which key accounts are at risk? ------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyAccountsAtRisk:
    """The key accounts with a warning sign, largest loss first, and what they weigh together."""

    key_accounts: int
    key_account_share: float
    #: one row per key account at risk: customer_id, name, revenue_share, trend, class, reasons, margin_lost,
    #: margin_lost_share, replacements_needed
    at_risk: pd.DataFrame
    #: :func:`~smartacct_helpers.key_accounts.loss_scenario` of losing all of them at once
    loss_all: dict
    #: the concentration summary of all customers' revenue (top shares, index, band)
    concentration: dict
    trend_known: bool
    competition_known: bool
    margin_known: bool


def key_accounts_at_risk(workbook) -> KeyAccountsAtRisk | Needs:
    """The answer to "which key accounts are at risk?".

    A key-account candidate (:func:`~smartacct_helpers.key_accounts.analysis_of`)
    is at risk when at least one sign holds, each a reason in words:

    * the early warning flags it today (its buying rhythm broke off, fewer
      orders or less revenue than the year before:
      :func:`~smartacct_helpers.early_warning.warnings_today`);
    * its revenue trend falls by :data:`FALLING_TREND` of its revenue a year
      or more (where the data reaches back over the trend's years);
    * the customer master gives it high competitor activity.

    What losing it costs is :func:`~smartacct_helpers.key_accounts.chosen_loss`
    of that account alone: the contribution margin of the last 12 months
    and how many smart accounts at their average margin replace it.
    """
    from ..early_warning import worklists as ew
    from ..key_accounts import analysis as ka
    from ..key_accounts.candidates import name_of

    an = ka.analysis_of(workbook)
    k = an.key_accounts
    if k.empty:
        return Needs(
            "the key accounts at risk, with their share, trend, class and what losing each costs", REVENUE_NEEDS
        )
    names = an.names()
    ids = k["customer_id"].astype(str)
    warnings = ew.warnings_today(workbook)
    warned = dict(zip(warnings["customer_id"].astype(str), warnings["reason"], strict=False)) if len(warnings) else {}
    revenue = k["revenue_12m"].astype(float)
    trend = (
        (k["revenue_trend"].astype(float) / revenue.where(revenue > 0))
        if an.trend_known
        else pd.Series(np.nan, index=k.index)
    )
    competition = has_values(k, "competitor_activity")
    high = (
        k["competitor_activity"].astype(object).eq("high").fillna(False).astype(bool)
        if competition
        else pd.Series(False, index=k.index)
    )
    style = workbook.params.number_format
    rows = []
    for i, cid in zip(k.index, ids, strict=False):
        reasons = []
        if cid in warned:
            reasons.append(f"buying rhythm broke off: {warned[cid]}")
        if trend[i] <= -FALLING_TREND:
            reasons.append(f"revenue falling by {share(-trend[i], 0, style)} a year")
        if high[i]:
            reasons.append("high competitor activity")
        if not reasons:
            continue
        loss = ka.chosen_loss(workbook, [cid], an)
        rows.append(
            {
                "customer_id": cid,
                "name": name_of(names, cid),
                "revenue_share": float(k.at[i, "revenue_share"]),
                "trend": float(trend[i]),
                "class": k.at[i, "class"],
                "reasons": reasons,
                "margin_lost": float(loss["margin_lost"]),
                "margin_lost_share": float(loss["margin_lost_share"]),
                "replacements_needed": loss["replacements_needed"],
            }
        )
    columns = [
        "customer_id",
        "name",
        "revenue_share",
        "trend",
        "class",
        "reasons",
        "margin_lost",
        "margin_lost_share",
        "replacements_needed",
    ]
    at_risk = pd.DataFrame(rows, columns=columns)
    at_risk = at_risk.sort_values(["margin_lost", "customer_id"], ascending=[False, True], kind="stable")
    loss_all = ka.chosen_loss(workbook, at_risk["customer_id"].tolist(), an)
    summary = concentration_summary(
        an.classified.set_index("customer_id")["revenue_12m"], workbook.assumptions.major_customer_share
    )
    return KeyAccountsAtRisk(
        key_accounts=len(k),
        key_account_share=float(k["revenue_share"].sum()),
        at_risk=at_risk.reset_index(drop=True),
        loss_all=loss_all,
        concentration=summary,
        trend_known=an.trend_known,
        competition_known=competition,
        margin_known=an.margin_known,
    )


#: the Herfindahl band in words a manager reads
CONCENTRATION_WORDS = {
    "diversified": "spread over many customers",
    "moderate": "moderately concentrated",
    "concentrated": "concentrated on a few customers",
}


def concentration_words(hhi: float) -> str:
    """How concentrated revenue is, in words (the band of :func:`~smartacct_helpers.concentration.hhi_band`).

    >>> concentration_words(0.049), concentration_words(0.3)
    ('spread over many customers', 'concentrated on a few customers')
    """
    return CONCENTRATION_WORDS[hhi_band(hhi)]


# -- 4. whom do we call this week? -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Calls:
    """This week's early-warning call lists, one per rep."""

    #: customers who bought in the last 12 months and carry a warning today
    warned: int
    #: rep -> their list (at most ``worklist_size`` customers, most urgent first)
    lists: dict[str, pd.DataFrame]
    #: which rep the lists follow: "inside_rep", "outside_rep" or None (one list for everyone)
    rep_column: str | None
    size: int
    #: the reason the rules on fewer orders and less revenue do not count, else None
    rules_limit: str | None = None


#: the list of customers without a rep
UNASSIGNED = "unassigned"


def calls_this_week(workbook) -> Calls:
    """The answer to "whom do we call this week?": the early warning's call lists per rep.

    The lists are :func:`~smartacct_helpers.early_warning.worklists` of
    today's warnings (lowest chance of still buying first), at most
    ``worklist_size`` per rep. They follow the inside rep where the customer
    master names one, else the outside rep; customers without one are on
    the list "unassigned". Without any rep, there is one list.
    """
    from ..early_warning import worklists as ew
    from ..early_warning.rhythm import rules_limit
    from ..facts.coverage import first_order_date

    warnings = ew.warnings_today(workbook)
    customers = workbook.tables.customers
    rep = next((c for c in ("inside_rep", "outside_rep") if has_values(customers, c)), None)
    by_rep = warnings.drop(columns="inside_rep", errors="ignore")
    if rep is not None and rep in warnings:
        by_rep = by_rep.assign(inside_rep=warnings[rep])
    size = workbook.assumptions.worklist_size
    lists = ew.worklists(by_rep, size) if len(warnings) else {}
    limit = rules_limit(first_order_date(workbook), workbook.reference_date)
    return Calls(len(warnings), lists, rep, size, limit)


# -- 5. did it work? -------------------------------------------------------------------------------------------

REVIEW_SHOWS = (
    "the year-one review of the inside-sales programme: customers lost, growth against the other "
    "customers, customers promoted to field sales and the month the team paid for itself"
)


@dataclass(frozen=True)
class YearOne:
    """The key figures of the year-one review."""

    #: the programme start
    start: dt.date
    #: the managed customers' extra margin and the team's cost, month by month (cumulative; None: unknown)
    amortisation: pd.DataFrame | None
    managed: int
    team_size: int
    #: churn of the managed customers: the year before the start, since the start, and the market's customary rate
    churn_before: float
    churn_since: float
    churn_market: float
    #: revenue growth per group (managed, other small, key accounts, all customers), NaN where unknown
    growth: dict
    margin_rate_before: float
    margin_rate_since: float
    promoted: int | None
    paid_back_month: int | None
    months_observed: int
    margin_assumed: bool


def year_one_kpis(workbook) -> YearOne | Needs:
    """The answer to "did it work?": the year-one review's key figures when a programme start is set.

    Without ``programme_start`` in the params, or with data that does not
    hold the 12 months before it, one sentence on what the review needs.
    """
    from ..levers.analysis import columns_held
    from ..review import analysis as tracking

    a = workbook.assumptions
    if a.programme_start is None:
        return Needs(REVIEW_SHOWS, "the day the programme started (assumption programme_start in the params file)")
    review = tracking.year_one_review(workbook)
    if "baseline" in review["limited"]:
        return Needs(REVIEW_SHOWS, _needs_from(review["limited"]["baseline"]))
    perf = review["performance"]
    churn = review["churn"]
    growth = {g: float(perf.at[g, "revenue_growth"]) if g in perf.index else float("nan") for g in tracking.GROUPS}
    amort = review["amortisation"]
    promoted = review["promoted"]
    return YearOne(
        start=review["periods"].start,
        amortisation=amort,
        managed=len(review["groups"]["managed"]),
        team_size=int(review["team_size"]),
        churn_before=float(churn.at["managed", "baseline"]),
        churn_since=float(churn.at["managed", "followup"]),
        churn_market=float(a.market_churn_rate),
        growth=growth,
        margin_rate_before=float(perf.at["managed", "margin_rate_baseline"]),
        margin_rate_since=float(perf.at["managed", "margin_rate_followup"]),
        promoted=None if promoted is None else len(promoted),
        paid_back_month=review["amortisation_month"],
        months_observed=0 if amort is None else len(amort),
        margin_assumed="contribution_margin" not in columns_held(workbook),
    )


def _needs_from(reason: str) -> str:
    """What the review needs, from the analysis' reason why it is limited.

    >>> _needs_from("the year-one review compares A with B (from 01.01.2024); the data starts on 01.12.2024")
    'the orders of the 12 months before the programme start, to compare A with B (from 01.01.2024); the data starts on 01.12.2024'
    """
    return "the orders of the 12 months before the programme start, to compare " + reason.removeprefix(
        "the year-one review compares "
    )


# -- computed once ---------------------------------------------------------------------------------------------


def fixed_answers(workbook) -> dict:
    """The three answers no control changes (key accounts, calls, year-one review), by tab key.

    ``smartacct dashboard`` computes them once when it starts and keeps
    them beside the data (see :mod:`smartacct_helpers.delivery.dashboard_server`), so
    that a viewer's kernel only computes what its controls move.
    """
    return {
        "key": key_accounts_at_risk(workbook),
        "calls": calls_this_week(workbook),
        "review": year_one_kpis(workbook),
    }
