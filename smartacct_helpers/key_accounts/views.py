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
from ..facts.coverage import first_order_date
from ..facts.product_groups import product_group_revenue_of
from ..presentation.formatting import count, money, number, share
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
from .charts import class_bars, scorecard_movement_chart, value_by_period_chart
from .concentration import concentration_table
from .displays import (
    account_value_view,
    candidates_figures,
    candidates_view,
    concentration_display,
    concentration_view,
    portfolio_view,
    scenario_table,
    scorecard_figures,
    scorecard_view,
    value_figures,
    value_view,
    worst_case_view,
)
from .portfolio import map_coverage, map_coverage_text, portfolio_map, treatment_subsets, treatment_summary
from .practice import (
    BINDING_STRATEGIES,
    STRATEGIES,
    SUPPLIER_SCORES,
    discount_drift,
    discount_trend,
    exit_barriers,
    groups_bought,
    latest_with,
    mutual_scorecard,
    strategy_checklist,
    strategy_summary,
)
from .practice_charts import discount_trend_chart, mutual_chart, strategy_grid
from .scorecard import NOT_ASSESSED, class_changes, scorecard_movement
from .value_analysis import value_destroyers, window_sums_of
from .worst_case import smart_account_margin

#: the assumptions the sliders of notebook 05 move
KEY_ACCOUNT_SLIDERS = [
    "key_account_min_share",
    "key_account_top_n",
    "call_cost",
    "line_handling_cost",
    "scorecard_partner_min_score",
    "scorecard_key_account_min_average",
]


def explorer_view(workbook) -> list:
    """What the key-account sliders of notebook 05 redraw: the cards of the candidates, their value and classes.

    With one quick chart of the classes and their operating profit; the
    other charts stay in their sections for the params' assumptions.
    """
    style = workbook.params.number_format
    analysis = analysis_of(workbook)
    return [
        candidates_figures(workbook, analysis),
        value_figures(workbook, analysis),
        scorecard_figures(analysis),
        class_bars(analysis.key_accounts, workbook.params.currency, style=style),
    ]


# -- the sections of notebook 05 --------------------------------------------------------------------------------

REVENUE_NEEDS = "customers with revenue in the last 12 months (column revenue of the orders), and the data has none"
SCORE_NEEDS = (
    "scorecard scores from 1 to 5 for willingness to partner, transparency and growth potential (columns "
    "partner_willingness, transparency and growth_potential of the customer master, or an assessments file)"
)
HISTORY_NEEDS = "dated scorecard assessments (an assessments file with a date and the three scores per assessment)"


def _candidates(workbook, shows: str) -> tuple[KeyAccountAnalysis, list | None]:
    """The analysis, and ``[Needs]`` when it has no key-account candidate."""
    an = analysis_of(workbook)
    return an, ([Needs(shows, REVENUE_NEEDS)] if an.key_accounts.empty else None)


def _notes(notes: list[str]) -> list:
    return [Markdown("\n".join(f"* {n}" for n in notes))] if notes else []


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
    an, missing = _candidates(workbook, "the key-account candidates with their shares of revenue and margin")
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
    return candidates_view(workbook, an) + [shown] + _notes(margin_note(workbook, an))


@section("05")
def concentration_section(workbook) -> list:
    """Top shares, Herfindahl index, the Lorenz curve, the warnings and the table of the figures."""
    style = workbook.params.number_format
    an, missing = _candidates(workbook, "how concentrated revenue is on the largest customers")
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
    an, missing = _candidates(workbook, "what losing the largest accounts costs")
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
    return worst_case_view(workbook, an) + [Markdown(text), shown] + _notes(margin_note(workbook, an))


@section("05")
def chosen_accounts_section(workbook) -> list:
    """The loss of the accounts most at risk: those with high competitor activity, else the three largest."""
    style = workbook.params.number_format
    an, missing = _candidates(workbook, "what losing the key accounts most at risk costs")
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
    an, missing = _candidates(workbook, "which key accounts earn money after the cost to serve (rebates included)")
    if missing:
        return missing
    value = value_analysis_of(workbook, freq)
    return (
        value_view(workbook, an)
        + [value_by_period_chart(value, workbook.params.currency, style=style)]
        + _notes(value_notes(workbook, an))
    )


@section("05")
def destroyers_section(workbook) -> list:
    """The key accounts that lose money, and every candidate's value analysis, the worst first."""
    style = workbook.params.number_format
    an, missing = _candidates(workbook, "the key accounts that lose money after the cost to serve (rebates included)")
    if missing:
        return missing
    cur, key = workbook.params.currency, an.key_accounts
    destroyers = value_destroyers(key)
    if len(destroyers):
        text = (
            f"**{count(len(destroyers), style=style)} key account(s) destroy value**: they bring "
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
            "The data gives no distance (column distance_km of the customer master), so proximity counts "
            "as the middle (0.5) for every account."
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
                "reach back over the years of a revenue trend, so growth counts as the middle (0.5) for "
                "every account."
            )
    return notes


@section("05")
def account_value_section(workbook) -> list:
    """The account-value score per key account with its parts: proximity, growth potential, ease of service."""
    style = workbook.params.number_format
    an, missing = _candidates(
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
    return account_value_view(workbook, an) + [scores] + _notes(account_value_notes(workbook, an))


def _scored(analysis: KeyAccountAnalysis) -> bool:
    return bool(analysis.key_accounts["class"].ne(NOT_ASSESSED).any())


@section("05")
def scorecard_section(workbook) -> list:
    """The candidates by size and relationship class, and how many of the largest are large accounts only."""
    style = workbook.params.number_format
    an, missing = _candidates(workbook, "which key-account candidates are real partners and which only large")
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
    an, missing = _candidates(workbook, "how the relationship classes moved between dated assessments")
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


# -- the key-account practice (:mod:`.practice`) ----------------------------------------------------------------

STRATEGY_NEEDS = (
    "which of the seven key-account strategies are in place (yes or no per strategy in the assessments file: "
    "columns " + ", ".join(STRATEGIES) + ")"
)
SUPPLIER_NEEDS = (
    "the supplier's own side of the scorecard from 1 to 5 (columns supplier_partner_willingness, "
    "supplier_transparency and supplier_growth_contribution of the assessments file)"
)
DISCOUNT_NEEDS = "the discounts granted on the invoice (column discount of the orders), and the data has none"


def _assessments(workbook) -> pd.DataFrame | None:
    return workbook.tables.assessments


def checklist_of(workbook, analysis: KeyAccountAnalysis) -> pd.DataFrame | None:
    """The seven strategies per key account (:func:`~.practice.strategy_checklist`); None where none is rated."""
    latest = latest_with(_assessments(workbook), STRATEGIES, analysis.key_account_ids, workbook.reference_date)
    if latest.empty:
        return None
    return strategy_checklist(analysis.key_accounts, latest)


@section("05")
def strategies_section(workbook) -> list:
    """The seven key-account strategies as a checklist per key account, and how common each is."""
    style = workbook.params.number_format
    shows = "which of the seven key-account strategies are in place for each key account"
    an, missing = _candidates(workbook, shows)
    if missing:
        return missing
    checklist = checklist_of(workbook, an)
    if checklist is None:
        return [Needs(shows, STRATEGY_NEEDS)]
    rated = checklist[checklist["strategies_in_place"].notna()]
    summary = strategy_summary(checklist)
    common = summary.sort_values("accounts_with", ascending=False, kind="stable")
    text = (
        f"**{count(len(rated), style=style)} of the {count(len(checklist), style=style)} key accounts** are rated on "
        f"the seven strategies; they have **{number(rated['strategies_in_place'].astype(float).mean(), 1, style)} "
        f"of 7** in place on average. Most often in place: {common.iloc[0]['strategy']} "
        f"({count(common.iloc[0]['accounts_with'], style=style)} accounts); least often: "
        f"{common.iloc[-1]['strategy']} ({count(common.iloc[-1]['accounts_with'], style=style)})."
    )
    fewest = rated.sort_values("strategies_in_place", kind="stable").head(3)
    if len(fewest):
        names = ", ".join(
            f"{name_of(an.names(), r.customer_id)} ({count(r.strategies_in_place, style=style)} of 7)"
            for r in fewest.itertuples()
        )
        text += f" The least developed programmes: {names}."
    notes = []
    if len(rated) < len(checklist):
        notes.append(
            f"{count(len(checklist) - len(rated), style=style)} key account(s) have no assessment that rates the "
            "strategies; they show as not rated."
        )
    per_account = checklist[["customer_id", "name", "assessed_on", "strategies_in_place", "strategies_missing"]]
    return [
        Markdown(text),
        strategy_grid(checklist),
        table(summary.set_index("strategy"), workbook.params.currency, style),
        table(
            per_account.set_index("customer_id"),
            workbook.params.currency,
            style,
            keep=["name", "strategies_in_place", "strategies_missing"],
        ),
    ] + _notes(notes)


def barriers_of(workbook, analysis: KeyAccountAnalysis) -> pd.DataFrame:
    """The exit barriers per key account (:func:`~.practice.exit_barriers`) from the data and the checklist."""
    a = workbook.assumptions
    ref = workbook.reference_date
    yearly = workbook.yearly
    first = yearly[yearly["first_order"] <= pd.Timestamp(ref)].groupby("customer_id")["first_order"].min()
    sums = product_group_revenue_of(workbook)
    groups = None if sums is None else groups_bought(sums, analysis.key_account_ids)
    return exit_barriers(
        analysis.key_accounts,
        first,
        ref,
        first_order_date(workbook),
        groups,
        checklist_of(workbook, analysis),
        a.exit_barrier_min_years,
        a.exit_barrier_min_product_share,
    )


@section("05")
def exit_barriers_section(workbook) -> list:
    """What makes each key account hard to leave: relationship, range bought, integration, customisation, teams."""
    style = workbook.params.number_format
    a = workbook.assumptions
    an, missing = _candidates(workbook, "what makes each key account hard to leave")
    if missing:
        return missing
    barriers = barriers_of(workbook, an)
    few = barriers[barriers["exit_barriers"] <= 1]
    text = (
        f"On average a key account has **{number(barriers['exit_barriers'].mean(), 1, style)} of the 5 exit "
        f"barriers** in place: a relationship of at least {number(a.exit_barrier_min_years, 0, style)} years, "
        f"at least {share(a.exit_barrier_min_product_share, 0, style)} of the product groups bought, integrated "
        "inventory and billing, a customised offer and cross-business teams."
    )
    if len(few):
        listed = ", ".join(name_of(an.names(), c) for c in few["customer_id"].head(8)) + (" …" if len(few) > 8 else "")
        text += (
            f" **{count(len(few), style=style)}** {'has' if len(few) == 1 else 'have'} one or none and could leave "
            f"most easily: {listed}. {'It is' if len(few) == 1 else 'They are'} the first to tie in, for example by "
            "integrating inventory and reordering."
        )
    notes = []
    if not barriers["broad_range"].notna().any():
        notes.append(
            "The orders give no product group (column product_group of the orders), so the range bought is not judged."
        )
    if not barriers[list(BINDING_STRATEGIES)].notna().any().any():
        notes.append(
            "The assessments do not rate the key-account strategies (integrated_inventory_billing, "
            "customised_offer, cross_business_teams of the assessments file), so these barriers are not judged."
        )
    if barriers["since_data_start"].any():
        notes.append(
            f"{count(int(barriers['since_data_start'].sum()), style=style)} key account(s) bought already in the "
            "first month of the data: their relationship is at least as long as shown"
            + (
                ", and where that is shorter than the barrier's years it is not judged."
                if barriers["long_relationship"].isna().any()
                else "."
            )
        )
    shown = barriers[
        [
            "customer_id",
            "name",
            "years_as_customer",
            "product_group_share",
            *BINDING_STRATEGIES,
            "exit_barriers",
        ]
    ].sort_values("exit_barriers", kind="stable")
    return [
        Markdown(text),
        table(
            shown.set_index("customer_id"),
            workbook.params.currency,
            style,
            keep=["name", "years_as_customer", "product_group_share", "integrated_inventory_billing", "exit_barriers"],
        ),
    ] + _notes(notes)


def discounts_known(workbook) -> bool:
    """Whether the orders of the last 12 months hold any discount."""
    sums = window_sums_of(workbook)
    return "discount" in workbook.order_totals.columns and "discount" in sums and bool(sums["discount"].ne(0).any())


def discount_trend_of(workbook, analysis: KeyAccountAnalysis) -> pd.DataFrame:
    """:func:`~.practice.discount_trend` of the key accounts against the other customers."""
    return discount_trend(
        workbook.order_totals, analysis.key_account_ids, workbook.reference_date, first_order_date(workbook)
    )


@section("05")
def discount_trend_section(workbook) -> list:
    """The key accounts' discount rate over the years against the other customers', with the warning it carries."""
    style = workbook.params.number_format
    shows = "the key accounts' discount rate over the years against the other customers'"
    an, missing = _candidates(workbook, shows)
    if missing:
        return missing
    if not discounts_known(workbook):
        return [Needs(shows, DISCOUNT_NEEDS)]
    trend = discount_trend_of(workbook, an)
    if trend.empty:
        return [Needs(shows, "12 months of orders up to the reference date, and the data holds less")]
    drift = discount_drift(trend)
    warning = (
        "A key-account programme makes serving an account cheaper (fewer, larger orders; planned deliveries; one "
        "contact). That efficiency should stay with the supplier, not be given back as price cuts."
    )
    if drift is None:
        text = (
            "The data holds one whole year, so no trend yet: the key accounts get "
            f"{share(trend.iloc[-1]['key_account_discount_rate'], style=style)} discount, the other customers "
            f"{share(trend.iloc[-1]['other_discount_rate'], style=style)}. " + warning
        )
    else:
        moved = (
            f"Over {drift['windows']} years the key accounts' discount went from "
            f"**{share(drift['key_first'], style=style)} to {share(drift['key_last'], style=style)}**, the other "
            f"customers' from {share(drift['other_first'], style=style)} to {share(drift['other_last'], style=style)}."
        )
        if drift["gave_back"]:
            text = f"{moved} **The key accounts' discount grew faster than the rest's.** {warning}"
        else:
            text = f"{moved} The key accounts' discount did not grow faster than the rest's. {warning}"
    return [
        Markdown(text),
        discount_trend_chart(trend, style),
        table(trend.set_index("window_end"), workbook.params.currency, style),
    ]


def mutual_of(workbook, analysis: KeyAccountAnalysis) -> pd.DataFrame:
    """Both sides of the scorecard per key account the assessments rate from the supplier's side."""
    latest = latest_with(
        _assessments(workbook),
        [*SUPPLIER_SCORES, *SUPPLIER_SCORES.values()],
        analysis.key_account_ids,
        workbook.reference_date,
        by=list(SUPPLIER_SCORES),
    )
    return mutual_scorecard(analysis.key_accounts, latest)


@section("05")
def mutual_scorecard_section(workbook) -> list:
    """The scorecard from both sides: the customer's scores beside the supplier's own, per key account."""
    style = workbook.params.number_format
    shows = "the scorecard from both sides, the customer's and the supplier's own, per key account"
    an, missing = _candidates(workbook, shows)
    if missing:
        return missing
    mutual = mutual_of(workbook, an)
    if mutual.empty:
        return [Needs(shows, SUPPLIER_NEEDS)]
    ours = mutual[mutual["lagging_side"] == "our side"]
    theirs = mutual[mutual["lagging_side"] == "their side"]
    text = (
        f"**{count(len(mutual), style=style)} key account(s)** are rated from both sides. Partnership works both "
        "ways: the supplier's willingness to partner, its transparency and its contribution to the account's growth "
        "count as much as the customer's."
    )
    for part, words in (
        (ours, "our own side lags (our average at least a point below theirs)"),
        (theirs, "their side lags (their average at least a point below ours)"),
    ):
        if len(part):
            listed = ", ".join(name_of(an.names(), c) for c in part["customer_id"].head(8))
            text += f" On **{count(len(part), style=style)}** {words}: {listed}{' …' if len(part) > 8 else ''}."
    cols = [
        "customer_id",
        "name",
        "customer_side",
        "supplier_side",
        "side_gap",
        "lagging_side",
        "partner_willingness",
        "supplier_partner_willingness",
        "transparency",
        "supplier_transparency",
        "growth_potential",
        "supplier_growth_contribution",
    ]
    return [
        Markdown(text),
        mutual_chart(mutual),
        table(
            mutual[cols].set_index("customer_id"),
            workbook.params.currency,
            style,
            keep=["name", "customer_side", "supplier_side", "side_gap", "lagging_side"],
        ),
    ]


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


def subsets_text(subsets: dict, assumptions, currency: str, style: str = "en") -> str:
    """How the treatments relate to the key accounts and the customers to manage, in words.

    >>> from smartacct_helpers.assumptions import Assumptions
    >>> print(subsets_text({"key_accounts": 20, "programme": 9, "to_manage": 4320, "inside_sales": 4030,
    ...                     "small_self_service": 290, "lapsed": 957}, Assumptions(), "EUR"))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    Of the 20 key accounts, 9 go into the key-account programme (...); the other 11 stay outside it.
    Of the 4,320 customers to manage, 4,030 go to inside sales and 290 buy less than ... a year and go to
    self-service, together with the 957 lapsed customers.
    """
    s = subsets
    text = (
        f"Of the {count(s['key_accounts'], style=style)} key accounts, {count(s['programme'], style=style)} go into "
        "the key-account programme (the strategic partners and key accounts by the scorecard, and those not yet "
        f"assessed); the other {count(s['key_accounts'] - s['programme'], style=style)} stay outside it. "
        f"Of the {count(s['to_manage'], style=style)} customers to manage, {count(s['inside_sales'], style=style)} "
        f"go to inside sales and {count(s['small_self_service'], style=style)} buy less than "
        f"{money(assumptions.self_service_max_revenue, currency, style=style, decimals=0)} a year and go to "
        f"self-service, together with the {count(s['lapsed'], style=style)} lapsed customers."
    )
    return text


section("05")(explorer_view)
