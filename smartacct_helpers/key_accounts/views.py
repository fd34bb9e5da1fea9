"""Views of the key-account analysis for the notebook, the report and the sliders.

Each view takes a workbook (and optionally the analysis already at hand) and
returns a list of displayable objects, like :mod:`smartacct_helpers.small_customers.views`.
The sliders of the key-account assumptions are in
:data:`smartacct_helpers.presentation.widgets.SLIDERS`.

The sections of notebook 05 (registered with
:func:`~smartacct_helpers.presentation.sections.section`) share one analysis per set of
assumptions (:func:`~smartacct_helpers.key_accounts.analysis.analysis_of`). What each
needs:

* candidates, concentration, worst case, value analysis and portfolio need
  revenue in the window, which every order log has; without a margin in the
  orders the params' margin rate counts, without discounts or rebates none
  are deducted, without CRM activities the cost to serve counts no visits
  and calls, and each section says so;
* the accounts at risk are those with high competitor activity (column
  ``competitor_activity`` of the customer master), else the three largest;
* the account-value score counts a part the data lacks (distance, growth
  potential or a revenue trend) as the middle and says so;
* the scorecard needs scores (customer master or assessments), its movement
  dated assessments.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from ..facts.concepts import has_values
from ..presentation.formatting import count, money, part_of, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from .analysis import (
    KeyAccountAnalysis,
    analysis_of,
    at_risk_accounts,
    chosen_loss,
    key_account_value_analysis,
    only_large_accounts,
    worst_case,
)
from .candidates import name_of
from .charts import scorecard_movement_chart, value_by_period_chart
from .concentration import concentration_table
from .displays import (  # noqa: F401 (REVENUE_NEEDS and subsets_text are re-exported here)
    REVENUE_NEEDS,
    account_value_view,
    as_notes,
    candidates_or_needs,
    candidates_view,
    concentration_display,
    concentration_view,
    portfolio_view,
    scenario_table,
    scorecard_view,
    subsets_text,
    value_view,
    worst_case_view,
)
from .portfolio import map_coverage, map_coverage_text, portfolio_map, treatment_subsets, treatment_summary
from .practice_views import (  # noqa: F401 (the practice's tables and sentences are re-exported here)
    DISCOUNT_NEEDS,
    STRATEGY_NEEDS,
    SUPPLIER_NEEDS,
    barriers_of,
    checklist_of,
    discount_trend_of,
    discount_trend_section,
    discounts_known,
    exit_barriers_section,
    mutual_of,
    mutual_scorecard_section,
    strategies_section,
)
from .scorecard import NOT_ASSESSED, class_changes, scorecard_movement
from .value_analysis import value_destroyers, window_sums_of
from .worst_case import smart_account_margin

#: the sliders above notebook 05's candidates: the share rule and the largest N (a customer between two shares
#: moves from "revenue share" to "top N" in the table's column of reasons, or leaves it)
CANDIDATE_SLIDERS = ["key_account_min_share", "key_account_top_n"]
#: the sliders above notebook 05's value destroyers: the cost to serve per call and per order line
COST_TO_SERVE_SLIDERS = ["call_cost", "line_handling_cost"]
#: the sliders above notebook 05's scorecard classes
SCORECARD_SLIDERS = ["scorecard_partner_min_score", "scorecard_key_account_min_average"]


# -- the sections of notebook 05 --------------------------------------------------------------------------------

SCORE_NEEDS = (
    "scorecard scores from 1 to 5 for willingness to partner, transparency and growth potential (columns "
    "partner_willingness, transparency and growth_potential of the customer master, or an assessments file)"
)
HISTORY_NEEDS = "dated scorecard assessments (an assessments file with a date and the three scores per assessment)"


def margin_note(workbook, analysis: KeyAccountAnalysis) -> list[str]:
    """The sentence on the assumed margin, where the orders hold none."""
    style = workbook.params.number_format
    if analysis.margin_known:
        return []
    rate = share(workbook.assumptions.margin_rate_if_unknown, style=style)
    return [
        f"The orders hold no contribution margin, so every margin here is the assumed {rate} of revenue from "
        "the params."
    ]


@section("05")
def candidates_section(workbook) -> list:
    """The key-account candidates: the cards, the largest customers' shares and the table of candidates."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "the key-account candidates with their shares of revenue and margin")
    if missing:
        return missing
    cols = [
        "customer_id",
        "name",
        "industry",
        "revenue_12m",
        "revenue_share",
        "contribution_margin_12m",
        "margin_share",
        "key_account_reason",
    ]
    key = an.key_accounts
    shown = table(
        key[[c for c in cols if c in key]].set_index("customer_id"),
        workbook.params.currency,
        style,
        keep=["name", "revenue_12m", "revenue_share", "contribution_margin_12m", "margin_share", "key_account_reason"],
        export="key_accounts.xlsx",
    )
    return candidates_view(workbook, an) + [shown] + as_notes(margin_note(workbook, an))


@section("05")
def concentration_section(workbook) -> list:
    """Top shares, Herfindahl index, the Lorenz curve, the warnings and the table of the figures."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "how concentrated revenue is on the largest customers")
    if missing:
        return missing
    revenue = an.classified.set_index("customer_id")["revenue_12m"]
    figures = concentration_display(
        concentration_table(revenue, workbook.assumptions.major_customer_share),
        style=style,
        major_share=workbook.assumptions.major_customer_share,
    )
    return concentration_view(workbook, an) + [table(figures, workbook.params.currency, style)]


@section("05")
def worst_case_section(workbook) -> list:
    """Losing the largest accounts one after another: the chart, what one smart account replaces, the table."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "what losing the largest accounts costs")
    if missing:
        return missing
    a, cur = workbook.assumptions, workbook.params.currency
    worst = worst_case(workbook, an)
    smart = smart_account_margin(an.classified, a.margin_rate_if_unknown)
    first = worst.iloc[0]
    lost = money(first["margin_lost"], cur, decimals=0, style=style)
    if smart == smart:
        text = (
            f"One smart account brings on average **{money(smart, cur, decimals=0, style=style)}** contribution "
            f"margin a year. Losing the largest account costs **{lost}** margin, the margin of about "
            f"**{count(first['replacements_needed'], style=style)} smart "
            f"account{'' if first['replacements_needed'] == 1 else 's'}**."
        )
    else:
        text = (
            f"Losing the largest account costs **{lost}** margin. No customer is a smart account, so the table "
            "cannot say how many would replace it."
        )
    shown = table(
        worst,
        cur,
        style,
        keep=[
            "accounts_lost",
            "revenue_lost_share",
            "margin_lost",
            "margin_lost_share",
            "result_after",
            "fixed_costs_not_covered",
            "replacements_needed",
        ],
        export="key_account_worst_case.xlsx",
    )
    return worst_case_view(workbook, an) + [Markdown(text), shown] + as_notes(margin_note(workbook, an))


@section("05")
def chosen_accounts_section(workbook) -> list:
    """The loss of the accounts most at risk: those with high competitor activity, else the three largest."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "what losing the key accounts most at risk costs")
    if missing:
        return missing
    ids, group = at_risk_accounts(an.key_accounts)
    known = has_values(an.key_accounts, "competitor_activity")
    if not ids:
        return [Markdown("No key account has high competitor activity.")]
    names = an.names()
    listed = ", ".join(name_of(names, c) for c in ids[:8]) + (" …" if len(ids) > 8 else "")
    why = "" if known else " (the data gives no competitor activity: column competitor_activity of the customer master)"
    return [
        Markdown(f"{group}{why}: **{count(len(ids), style=style)}** ({listed})."),
        table(scenario_table(chosen_loss(workbook, ids, an), workbook.params.currency, style=style)),
    ]


def value_notes(workbook, analysis: KeyAccountAnalysis) -> list[str]:
    """What the value analysis assumes or leaves out because the data lacks it, one sentence each."""
    columns = set(workbook.order_totals.columns)
    sums = window_sums_of(workbook)
    notes = margin_note(workbook, analysis)
    for column, what in (("discount", "discounts"), ("rebate", "rebates")):
        if column not in columns or column not in sums or not sums[column].ne(0).any():
            notes.append(
                f"The orders give no {what} (column {column} of the orders), so none are shown"
                + (" or deducted." if column == "rebate" else ".")
            )
    if workbook.activities is None:
        notes.append(
            "The data has no CRM activities (the activities file), so the cost to serve counts no field "
            "visits and no calls."
        )
    if "order_id" not in columns:
        notes.append(
            "The orders have no order number (column order_id), so each day with an invoice counts as one order."
        )
    return notes


#: the value analysis's frequency in the params -> the period code of pandas
FREQUENCIES = {"quarter": "Q", "month": "M"}


def value_frequency(workbook, freq: str | None = None) -> str:
    """``freq`` (``"Q"`` or ``"M"``), else the params' ``value_analysis_frequency`` as a period code."""
    return freq or FREQUENCIES[workbook.assumptions.value_analysis_frequency]


def value_analysis_of(workbook, freq: str | None = None) -> pd.DataFrame:
    """The key accounts' value analysis per quarter (``"Q"``) or month (``"M"``), computed once per assumptions.

    Without ``freq``, the params' ``value_analysis_frequency`` (quarter by
    default; month where orders are small).
    """
    freq = value_frequency(workbook, freq)
    return workbook.remembered(
        f"key_account_value_{freq}",
        lambda a: (a.model_dump(), key_account_value_analysis(workbook, analysis_of(workbook), freq=freq))[1],
        workbook.assumptions,
    )


@section("05")
def value_section(workbook, freq: str | None = None) -> list:
    """Which key accounts earn money: the cards, the whale curves and the operating profit per period.

    Per quarter or month as the params' ``value_analysis_frequency`` says
    (``freq``, ``"Q"`` or ``"M"``, overrides it).
    """
    style = workbook.params.number_format
    an, missing = candidates_or_needs(
        workbook, "which key accounts earn money after the cost to serve (rebates included)"
    )
    if missing:
        return missing
    value = value_analysis_of(workbook, freq)
    return (
        value_view(workbook, an)
        + [value_by_period_chart(value, workbook.params.currency, style=style)]
        + as_notes(value_notes(workbook, an))
    )


@section("05")
def destroyers_section(workbook) -> list:
    """The key accounts that lose money, and every candidate's value analysis, the worst first."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(
        workbook, "the key accounts that lose money after the cost to serve (rebates included)"
    )
    if missing:
        return missing
    cur, key = workbook.params.currency, an.key_accounts
    destroyers = value_destroyers(key)
    if len(destroyers):
        text = (
            f"**{part_of(len(destroyers), len(key), 'key account', style).capitalize()} "
            f"{'destroys' if len(destroyers) == 1 else 'destroy'} "
            f"value**: {'it brings' if len(destroyers) == 1 else 'they bring'} "
            f"{share(destroyers['revenue_share'].sum(), style=style)} of revenue and lose "
            f"{money(-destroyers['operating_profit_12m'].sum(), cur, decimals=0, style=style)} after the cost "
            "to serve (rebates included)."
        )
    else:
        text = "No key account loses money after the cost to serve (rebates included)."
    cols = [
        "customer_id",
        "name",
        "revenue_12m",
        "discount_12m",
        "contribution_margin_12m",
        "rebate_12m",
        "account_team_cost_12m",
        "visits_12m",
        "orders_12m",
        "lines_12m",
        "cost_to_serve_12m",
        "operating_profit_12m",
    ]
    if not key["account_team_cost_12m"].any():  # no account team of its own in the customer master: no column of zeros
        cols.remove("account_team_cost_12m")
    shown = key.sort_values("operating_profit_12m", kind="stable")[[c for c in cols if c in key]]
    worst_first = table(
        shown.set_index("customer_id"),
        cur,
        style,
        keep=["name", "revenue_12m", "contribution_margin_12m", "cost_to_serve_12m", "operating_profit_12m"],
        export="key_accounts.xlsx",
    )
    return [Markdown(text), worst_first]


def account_value_notes(workbook, analysis: KeyAccountAnalysis) -> list[str]:
    """Which part of the account-value score the data cannot give, and what counts instead."""
    key = analysis.key_accounts
    notes = []
    if not has_values(key, "distance_km"):
        notes.append(
            "The data gives no distance (column distance_km of the customer master), so every account "
            "gets the middle proximity score."
        )
    if not has_values(key, "growth_potential"):
        if analysis.trend_known:
            notes.append(
                "The scorecard gives no growth potential (column growth_potential), so growth follows the "
                "revenue trend."
            )
        else:
            notes.append(
                "The scorecard gives no growth potential (column growth_potential) and the orders do not "
                "reach back over the years of a revenue trend, so every account gets the middle growth score."
            )
    return notes


@section("05")
def account_value_section(workbook) -> list:
    """The account-value score per key account with its parts: proximity, growth potential, ease of service."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(
        workbook, "the value of each key account beyond volume (proximity, growth, ease of service)"
    )
    if missing:
        return missing
    key = an.key_accounts
    cols = [
        "customer_id",
        "name",
        "distance_km",
        "growth_potential",
        "cost_to_serve_12m",
        "revenue_12m",
        "proximity_score",
        "growth_score",
        "ease_score",
        "account_value_score",
    ]
    shown = key.sort_values("account_value_score", ascending=False, kind="stable")[[c for c in cols if c in key]]
    scores = table(
        shown.set_index("customer_id"),
        workbook.params.currency,
        style,
        keep=["name", "distance_km", "proximity_score", "growth_score", "ease_score", "account_value_score"],
        export="key_accounts.xlsx",
    )
    return account_value_view(workbook, an) + [scores] + as_notes(account_value_notes(workbook, an))


def _scored(analysis: KeyAccountAnalysis) -> bool:
    return bool(analysis.key_accounts["class"].ne(NOT_ASSESSED).any())


@section("05")
def scorecard_section(workbook) -> list:
    """The candidates by size and relationship class, and how many of the largest are large accounts only."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "which key-account candidates are real partners and which only large")
    if missing:
        return missing
    if not _scored(an):
        return [Needs("which key-account candidates are real partners and which only large", SCORE_NEEDS)]
    key = an.key_accounts
    n = min(10, len(key))
    only = only_large_accounts(key, n)
    listed = ", ".join(name_of(an.names(), c) for c in only["customer_id"])
    largest = "10 largest customers" if n == 10 else f"{n} largest candidates"
    if only.empty:
        text = f"None of the **{largest}** is a large account only."
    elif len(only) == 1:
        text = (
            f"Of the **{largest}**, **1** is a large account only: {listed}. Its size alone does not make it a "
            "key account."
        )
    else:
        text = (
            f"Of the **{largest}**, **{count(len(only), style=style)}** are large accounts only: {listed}. Their "
            "size alone does not make them key accounts."
        )
    return scorecard_view(workbook, an) + [Markdown(text)]


@section("05")
def scorecard_history_section(workbook) -> list:
    """How the relationship classes moved between the first and the latest dated assessment."""
    style = workbook.params.number_format
    an, missing = candidates_or_needs(workbook, "how the relationship classes moved between dated assessments")
    if missing:
        return missing
    history = an.history
    if history is None or history.empty:
        return [Needs("how the relationship classes moved between dated assessments", HISTORY_NEEDS)]
    names = an.names()
    in_scope = history[history["customer_id"].isin(an.key_accounts["customer_id"])]
    changes = class_changes(history, names)
    items = [
        scorecard_movement_chart(in_scope, names),
        Markdown("**Movement between the first and the latest assessment** (every assessed account):"),
        table(scorecard_movement(history), workbook.params.currency, style, cells="customers"),
    ]
    if changes.empty:
        return items + [Markdown("No account changed its class between its first and latest assessment.")]
    return items + [table(changes, workbook.params.currency, style)]


# the key-account practice (:mod:`.practice_views`) comes between the scorecard and the portfolio
for _practice_section in (strategies_section, exit_barriers_section, discount_trend_section, mutual_scorecard_section):
    section("05")(_practice_section)


def portfolio_of(workbook) -> pd.DataFrame:
    """Every customer with its treatment (:func:`~.portfolio.portfolio_map`), computed once."""
    return workbook.remembered(
        "portfolio_map",
        lambda a: (a.model_dump(), portfolio_map(workbook, analysis_of(workbook)))[1],
        workbook.assumptions,
    )


@section("05")
def portfolio_section(workbook) -> list:
    """The portfolio map, and the customers, revenue and operating profit per treatment."""
    style = workbook.params.number_format
    an = analysis_of(workbook)
    portfolio = portfolio_of(workbook)
    summary = treatment_summary(portfolio)
    return portfolio_view(workbook, an, portfolio) + [
        table(summary, workbook.params.currency, style),
        Markdown(
            subsets_text(treatment_subsets(portfolio), workbook.assumptions, workbook.params.currency, style)
            + " "
            + map_coverage_text(map_coverage(portfolio), lambda v: count(v, style=style))
        ),
    ]
