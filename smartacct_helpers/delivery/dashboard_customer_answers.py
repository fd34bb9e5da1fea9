"""The numbers behind the dashboard's last three answers, which no control moves.

* :func:`key_accounts_at_risk`: which key accounts are at risk? Each key
  account with a warning sign (its buying rhythm broke off, its revenue is
  falling, high competitor activity), with its share, trend, scorecard
  class and what losing it costs.
* :func:`calls_this_week`: whom do we call this week? The early-warning
  call lists per rep.
* :func:`year_one_kpis`: did it work? The year-one review's key figures,
  when a programme start is set.

``smartacct dashboard`` computes them once when it starts
(:func:`fixed_answers`), so that a viewer's kernel only computes what its
controls move. An answer whose input the data lacks is a
:class:`~smartacct_helpers.presentation.sections.Needs` (one sentence).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..key_accounts.concentration import concentration_summary, hhi_band
from ..presentation.formatting import Numbers, share
from ..presentation.sections import Needs, has_values

#: a key account whose revenue trend falls by this share of its revenue a year or more counts as falling
FALLING_TREND = 0.05

#: a number of falling years in words
FALLING_YEARS = {1: "a falling year", 2: "two falling years", 3: "three falling years"}


def falling_years_before(yearly) -> int:
    """How many years in a row the revenue fell before the last year (``yearly``: oldest first).

    >>> falling_years_before([500.0, 400.0, 300.0, 360.0]), falling_years_before([300.0, 400.0, 500.0])
    (2, 0)
    """
    n = 0
    for older, newer in zip(yearly[-3::-1], yearly[-2::-1], strict=False):
        if newer >= older:
            break
        n += 1
    return n


def grown_after_falling(yearly, growth_words: str, trend: float, span: str, numbers: Numbers) -> str:
    """The reason of an account whose revenue grew on the year before while its trend over several years falls.

    Both in one sentence, so that they do not read as a contradiction: the growth, the falling years before it,
    and the yearly revenues the trend is drawn through (oldest first).

    >>> grown_after_falling([486_159.05, 277_359.28, 367_706.99],
    ...                     "revenue up 33 % on the year before (277.359 € -> 367.707 €)", -0.16,
    ...                     "the last 3 years", Numbers("EUR", "de"))
    'revenue up 33 % on the year before (277.359 € -> 367.707 €), after a falling year: over the last 3 years still falling by 16 % a year (486.159 € -> 277.359 € -> 367.707 €)'
    """
    falls = falling_years_before(list(yearly))
    after = FALLING_YEARS.get(falls, f"{falls} falling years") if falls else "lower years before"
    amounts = " -> ".join(numbers.money(round(v, 6), decimals=0) for v in yearly)
    return f"{growth_words}, after {after}: over {span} still falling by {numbers.share(-trend, 0)} a year ({amounts})"


#: what the key-account answer needs when no customer bought in the last 12 months
REVENUE_NEEDS = "customers with revenue in the last 12 months (column revenue of the orders), and the data has none"


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
      or more (where the data reaches back over the trend's years); where
      the early warning names a strong growth on the year before at the same
      time, one reason says both (:func:`grown_after_falling`);
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
    trend, competition, high = trend_and_competition(k, an.trend_known)
    numbers = Numbers.of(workbook.params)
    years = workbook.assumptions.trend_years
    # the trend spans several years, where the early warning compares with the year before: said apart
    trend_span = "the last year" if years == 1 else f"the last {years} years"
    grew = grown_strongly(workbook, warnings, numbers)
    yearly = revenue_of_the_trend_years(an.classified, years)
    rows = []
    for i, cid in zip(k.index, ids, strict=False):
        values = yearly.loc[cid].astype(float).tolist() if yearly is not None and cid in yearly.index else None
        reasons = risk_reasons(warned.get(cid), grew.get(cid), trend[i], values, high[i], trend_span, numbers)
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
    at_risk = pd.DataFrame(rows, columns=AT_RISK_COLUMNS)
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


#: the columns of :attr:`KeyAccountsAtRisk.at_risk`
AT_RISK_COLUMNS = [
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


def trend_and_competition(key_accounts: pd.DataFrame, trend_known: bool) -> tuple[pd.Series, bool, pd.Series]:
    """Two signs of :func:`key_accounts_at_risk` per key account: the revenue trend and the competition.

    Returns the revenue trend as a share of the revenue of the last 12 months
    (missing where the trend is not known or there is no revenue), whether the
    customer master gives competitor activity, and whether each account's is high.
    """
    k = key_accounts
    revenue = k["revenue_12m"].astype(float)
    trend = (
        (k["revenue_trend"].astype(float) / revenue.where(revenue > 0))
        if trend_known
        else pd.Series(np.nan, index=k.index)
    )
    competition = has_values(k, "competitor_activity")
    high = (
        k["competitor_activity"].astype(object).eq("high").fillna(False).astype(bool)
        if competition
        else pd.Series(False, index=k.index)
    )
    return trend, competition, high


def grown_strongly(workbook, warnings: pd.DataFrame, numbers: Numbers) -> dict[str, str]:
    """The warned accounts whose revenue grew strongly on the year before: customer id -> the growth in words.

    Their warning's reason names the growth (:func:`~smartacct_helpers.early_warning.worklists.growth_text`).
    """
    from ..early_warning import worklists as ew

    if not len(warnings):
        return {}
    up = ew.grew_strongly(
        warnings["revenue_prev_12m"], warnings["revenue_12m"], workbook.assumptions.warning_growth_listed_last
    )
    return {
        str(c): ew.growth_text(b, n, numbers)
        for c, b, n in zip(
            warnings.loc[up, "customer_id"],
            warnings.loc[up, "revenue_prev_12m"],
            warnings.loc[up, "revenue_12m"],
            strict=True,
        )
    }


def revenue_of_the_trend_years(classified: pd.DataFrame, years: int) -> pd.DataFrame | None:
    """Each account's revenue of the trend's ``years``, oldest first (``revenue_12m_2, revenue_12m_1, revenue_12m``).

    Indexed by customer id (text); None where the customer table lacks one of the years.
    """
    columns = [f"revenue_12m_{y}" for y in range(years - 1, 0, -1)] + ["revenue_12m"]
    if not all(col in classified for col in columns):
        return None
    c = classified.assign(customer_id=classified["customer_id"].astype(str)).drop_duplicates("customer_id")
    return c.set_index("customer_id")[columns]


def risk_reasons(
    warning: str | None, growth: str | None, trend: float, yearly, high: bool, span: str, numbers: Numbers
) -> list[str]:
    """Why one key account is at risk (:func:`key_accounts_at_risk`), in words; empty when it is not.

    ``warning`` is its early warning's reason, ``growth`` the words of its
    strong growth on the year before (:func:`grown_strongly`), ``trend`` its
    revenue trend as a share of its revenue, ``yearly`` its revenue of the
    trend's years (:func:`revenue_of_the_trend_years`), ``high`` its high
    competitor activity and ``span`` the trend's years in words.

    >>> from smartacct_helpers.presentation.formatting import Numbers
    >>> risk_reasons(None, None, -0.10, None, True, "the last 3 years", Numbers("EUR"))
    ['revenue falling by 10 % a year over the last 3 years', 'high competitor activity']
    """
    reasons = []
    falling = trend <= -FALLING_TREND
    both = falling and growth is not None and yearly is not None
    if warning is not None:
        # where the growth goes into the trend's reason, the warning says the rest
        said = warning.removesuffix(f"; but {growth}") if both else warning
        reasons.append(f"buying rhythm broke off: {said}")
    if both:
        reasons.append(grown_after_falling(yearly, growth, trend, span, numbers))
    elif falling:
        reasons.append(f"revenue falling by {share(-trend, 0, numbers.style)} a year over {span}")
    if high:
        reasons.append("high competitor activity")
    return reasons


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
