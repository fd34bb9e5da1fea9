"""The key-account practice in notebook 05: the strategies in place, the exit barriers, the discount trend, the
scorecard from both sides.

Four sections of notebook 05 over :mod:`smartacct_helpers.key_accounts.practice`, each taking a workbook
and returning what to display (or one :class:`~smartacct_helpers.presentation.sections.Needs`).
:mod:`smartacct_helpers.key_accounts.views` registers them in their place among the notebook's sections
(after the scorecard, before the portfolio) and re-exports them.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from ..facts.coverage import first_order_date
from ..facts.product_groups import product_group_revenue_of
from ..presentation.formatting import count, number, part_of, share
from ..presentation.sections import Needs
from ..presentation.tables import table
from .analysis import KeyAccountAnalysis
from .candidates import name_of
from .discount_trend import discount_drift, discount_trend
from .displays import as_notes, candidates_or_needs
from .practice import (
    BINDING_STRATEGIES,
    BOTH_SIDES_COLUMNS,
    STRATEGIES,
    SUPPLIER_SCORES,
    exit_barriers,
    groups_bought,
    latest_with,
    mutual_scorecard,
    strategy_checklist,
    strategy_summary,
)
from .practice_charts import discount_trend_chart, mutual_chart, strategy_grid
from .value_analysis import window_sums_of

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


def strategies_section(workbook) -> list:
    """The seven key-account strategies as a checklist per key account, and how common each is."""
    style = workbook.params.number_format
    shows = "which of the seven key-account strategies are in place for each key account"
    an, missing = candidates_or_needs(workbook, shows)
    if missing:
        return missing
    checklist = checklist_of(workbook, an)
    if checklist is None:
        return [Needs(shows, STRATEGY_NEEDS)]
    rated = checklist[checklist["strategies_in_place"].notna()]
    summary = strategy_summary(checklist)
    common = summary.sort_values("accounts_with", ascending=False, kind="stable")
    text = (
        f"**{part_of(len(rated), len(checklist), 'key account', style).capitalize()}** "
        f"{'is' if len(rated) == 1 else 'are'} rated on "
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
            f"{part_of(len(checklist) - len(rated), len(checklist), 'key account', style).capitalize()} "
            f"{'has' if len(checklist) - len(rated) == 1 else 'have'} no assessment that rates the "
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
    ] + as_notes(notes)


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


def exit_barriers_section(workbook) -> list:
    """What makes each key account hard to leave: relationship, range bought, integration, customisation, teams."""
    style = workbook.params.number_format
    a = workbook.assumptions
    an, missing = candidates_or_needs(workbook, "what makes each key account hard to leave")
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
            f"{part_of(int(barriers['since_data_start'].sum()), len(barriers), 'key account', style).capitalize()} "
            "bought already in the "
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
    ] + as_notes(notes)


def discounts_known(workbook) -> bool:
    """Whether the orders of the last 12 months hold any discount."""
    sums = window_sums_of(workbook)
    return "discount" in workbook.order_totals.columns and "discount" in sums and bool(sums["discount"].ne(0).any())


def discount_trend_of(workbook, analysis: KeyAccountAnalysis) -> pd.DataFrame:
    """:func:`~.practice.discount_trend` of the key accounts against the other customers."""
    return discount_trend(
        workbook.order_totals, analysis.key_account_ids, workbook.reference_date, first_order_date(workbook)
    )


def discount_trend_section(workbook) -> list:
    """The key accounts' discount rate over the years against the other customers', with the warning it carries."""
    style = workbook.params.number_format
    shows = "the key accounts' discount rate over the years against the other customers'"
    an, missing = candidates_or_needs(workbook, shows)
    if missing:
        return missing
    if not discounts_known(workbook):
        return [Needs(shows, DISCOUNT_NEEDS)]
    trend = discount_trend_of(workbook, an)
    if trend.empty:
        return [Needs(shows, "12 months of orders up to the reference date, and the data holds less")]
    drift = discount_drift(trend)
    # where the efficiency comes from is said in the notebook's text above the section, not again here
    warning = (
        "The efficiency a key-account programme brings should stay with the supplier, not be given back as price cuts."
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


def mutual_scorecard_section(workbook) -> list:
    """The scorecard from both sides: the customer's scores beside the supplier's own, per key account."""
    style = workbook.params.number_format
    shows = "the scorecard from both sides, the customer's and the supplier's own, per key account"
    an, missing = candidates_or_needs(workbook, shows)
    if missing:
        return missing
    mutual = mutual_of(workbook, an)
    if mutual.empty:
        return [Needs(shows, SUPPLIER_NEEDS)]
    ours = mutual[mutual["lagging_side"] == "our side"]
    theirs = mutual[mutual["lagging_side"] == "their side"]
    text = (
        f"**{part_of(len(mutual), len(an.key_accounts), 'key account', style).capitalize()}** "
        f"{'is' if len(mutual) == 1 else 'are'} rated from both "
        "sides. Partnership works both "
        "ways: the supplier's willingness to partner, its transparency and its contribution to the account's growth "
        "count as much as the customer's."
    )
    for part, words in (
        (ours, "our own side lags (our average at least a point below theirs)"),
        (theirs, "their side lags (their average at least a point below ours)"),
    ):
        if len(part):
            listed = ", ".join(name_of(an.names(), c) for c in part["customer_id"].head(8))
            text += (
                f" For **{count(len(part), style=style)}** of them {words}: {listed}{' …' if len(part) > 8 else ''}."
            )
    cols = [c for c in BOTH_SIDES_COLUMNS if c != "assessed_on"]
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
