"""The sections of notebook 04, the inside-sales business case: each a function of the workbook.

Each section returns what to show (cards, tables, charts, text) or, where
the data lacks its inputs, one sentence of what it would show and what
provides it (:class:`~smartacct_helpers.presentation.sections.Needs`):

* the headcount, the cost and benefit, ROI and payback, the scenarios, the
  cash curves and the simulation need customers to manage; everything that
  rests on the uplift on the gap (ROI, payback, scenarios, cash curves,
  simulation) needs their potential (industry and employees, or two
  complete calendar years of orders). Without a margin in the orders the
  params' margin rate counts, without CRM activities no field time freed,
  and without the 12 months before the window the churn seen in the data is
  unknown: the section says so and the assumed churn counts;
* the channel conflicts need a sales channel on the orders;
* the assignment shares the customers to manage among the inside reps of the
  base case (named until the team is hired), by region and industry where
  the customer master gives them (a customer without one is in the group
  "unknown").

The business case of one set of assumptions, the channel conflicts and the
assignment are computed once per workbook and remembered, so that sections
do not recompute each other's work.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from ..facts.concepts import has_values
from ..presentation.formatting import count, money, plain, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..review.analysis import pilot_sentence, pilot_team
from . import assignment, channels
from .business_case import (
    cash_curves,
    headcount,
    observed_churn,
    scenario_table,
)
from .charts import (
    cash_curve_chart,
    channel_mix_chart,
    cost_benefit_chart,
    monte_carlo_chart,
    scenario_chart,
    workload_chart,
)
from .figures import PAYBACK_CHANCE_MONTHS
from .monte_carlo import monte_carlo
from .workbook_case import (  # noqa: F401  (the sections' shared computations, imported from here elsewhere)
    CHANNEL_NEEDS,
    POTENTIAL_NEEDS,
    Case,
    _needs,
    _reps,
    _without_customers,
    assigned_of,
    business_case_of,
    channel_revenue_of,
    conflicts_of,
    has_channels,
)

# -- the sections --------------------------------------------------------------------------------------------------


@section("04")
def headcount_section(workbook) -> list:
    """How many inside reps the customers to manage need, for each capacity per rep."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "how many inside reps the customers to manage need", potential=False)
    if missing:
        return missing
    capacities = workbook.assumptions.inside_rep_capacity
    reps = pd.DataFrame(
        {
            "customers per rep": capacities,
            "inside reps": [headcount(case.inputs.customers, c) for c in capacities],
        }
    ).set_index("customers per rep")
    return [
        Markdown(
            f"**{count(case.inputs.customers, style=style)} customers to manage**; the base case uses the "
            f"middle capacity of {count(case.capacity, style=style)} per rep. "
            + pilot_sentence(pilot_team(workbook), case.base.headcount, style, case="")
        ),
        table(reps, workbook.params.currency, style),
    ]


def case_notes(workbook, case: Case) -> list[str]:
    """What the benefit leaves out or assumes because the data lacks it, one sentence each."""
    style = workbook.params.number_format
    a, inputs = workbook.assumptions, case.inputs
    notes = []
    if inputs.margin_assumed:
        notes.append(
            f"The orders hold no contribution margin of these customers, so the benefit uses the assumed "
            f"margin rate of {share(a.margin_rate_if_unknown, style=style)} from the params."
        )
    if not inputs.gap_known:
        notes.append(f"The benefit counts no uplift on the gap: it needs {POTENTIAL_NEEDS}.")
    elif inputs.with_potential is not None and inputs.with_potential < inputs.customers:
        notes.append(
            f"The gap counts the {count(inputs.with_potential, style=style)} of "
            f"{count(inputs.customers, style=style)} customers to manage whose potential is known."
        )
    if not inputs.visits_known:
        notes.append(
            "The data has no CRM activities (the activities file), so it shows no field visits and the "
            "benefit counts no field time freed."
        )
    rate, why = observed_churn(workbook, case.classified)
    if rate is None:
        notes.append(
            f"The churn seen in the data is unknown: {why}. The business case uses the assumed churn of "
            f"{share(a.churn_rate, style=style)} a year."
        )
    return notes


@section("04")
def cost_benefit_section(workbook) -> list:
    """What the team costs and brings a year, the inputs from the data, and what the data leaves out."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "what an inside-sales team costs and brings a year", potential=False)
    if missing:
        return missing
    a, inputs, base, cur = workbook.assumptions, case.inputs, case.base, workbook.params.currency
    rate, _ = observed_churn(workbook, case.classified)
    facts = pd.Series(
        {
            "customers to manage": count(inputs.customers, style=style),
            "their revenue, last 12 months": money(inputs.revenue, cur, decimals=0, style=style),
            "their gap to the potential": money(inputs.gap, cur, decimals=0, style=style)
            if inputs.gap_known
            else "unknown",
            "their contribution margin rate": share(inputs.margin_rate, style=style)
            + (" (assumed)" if inputs.margin_assumed else ""),
            "field visits they received": count(inputs.field_visits, style=style) if inputs.visits_known else "unknown",
            "uplift: share of the gap won per year": share(a.revenue_uplift_on_gap, style=style),
            "churn without inside sales / prevented": f"{share(a.churn_rate, style=style)} / "
            f"{share(a.churn_reduction, style=style)}",
            "churn seen in the data (small customers' revenue lost last year)": "unknown"
            if rate is None
            else share(rate, style=style),
            "ramp-up (internal / external)": f"{a.ramp_up_months} / {a.external_ramp_up_months} months",
        },
        name="value",
    ).rename_axis("figure")
    items = [cost_benefit_chart(base.cost, base.benefit, cur, style=style), table(facts, cur, style)]
    notes = case_notes(workbook, case)
    if notes:
        items.append(Markdown("\n".join(f"* {n}" for n in notes)))
    return items


@section("04")
def roi_section(workbook) -> list:
    """ROI, payback month and break-even uplift of the base case (internal team, middle capacity)."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "the ROI, the payback month and the break-even uplift of the team")
    if missing:
        return missing
    a, base, cur = workbook.assumptions, case.base, workbook.params.currency
    pay = "not within the horizon" if base.payback_months is None else f"month {base.payback_months}"
    even = "not reachable" if base.break_even_uplift is None else share(base.break_even_uplift, style=style)
    return [
        Markdown(
            f"Base case, internal team, {count(case.capacity, style=style)} customers per rep: "
            f"**{_reps(base.headcount, style=style)}** "
            f"costing **{money(base.cost['total'], cur, decimals=0, style=style)} a year**; ROI over "
            f"{a.business_case_months} months **{share(base.roi, style=style)}**, payback in **{pay}**, break-even uplift "
            f"**{even}** of the gap a year (assumed: {share(a.revenue_uplift_on_gap, style=style)})."
        )
    ]


@section("04")
def rep_cover_section(workbook) -> list:
    """The article's quick check beside the ROI: do one rep's customers bring the rep's cost in margin?"""
    from .rep_cover import rep_cover

    style, cur = workbook.params.number_format, workbook.params.currency
    cover = rep_cover(workbook)
    if cover.ratio is None:
        return [_without_customers(workbook, "whether the margin of one inside rep's customers covers the rep's cost")]
    verdict = (
        "covers the rep's cost before any growth"
        if cover.covers
        else "does not yet cover the rep's cost: the team has to grow these customers to earn it"
    )
    text = (
        f"**Rep cover {plain(cover.ratio, style=style, decimals=2)}**: one rep manages "
        f"{count(cover.capacity, style=style)} customers (the middle capacity) with a median contribution margin "
        f"of {money(cover.median_margin, cur, decimals=0, style=style)} a year each, "
        f"{money(cover.margin_per_rep, cur, decimals=0, style=style)} together, against the rep's "
        f"{money(cover.rep_cost, cur, decimals=0, style=style)} a year: their margin {verdict}."
    )
    if cover.margin_assumed:
        text += (
            f" The orders carry no contribution margin for most of these customers, so the margin is "
            f"assumed: revenue x {share(workbook.assumptions.margin_rate_if_unknown, style=style)} from the params."
        )
    elif cover.assumed_share > 0:
        text += (
            f" {share(cover.assumed_share, style=style)} of their margin is assumed (lines without a margin, at "
            f"{share(workbook.assumptions.margin_rate_if_unknown, style=style)})."
        )
    text += (
        " The check uses what the customers buy today; the ROI above adds the uplift, the churn avoided and the "
        "field time freed, and the team's other costs."
    )
    return [Markdown(text)]


@section("04")
def scenarios_section(workbook) -> list:
    """ROI and payback per scenario, internal team and external provider, at every capacity."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(
        workbook, case, "the ROI and payback of an internal team and an external provider in three scenarios"
    )
    if missing:
        return missing
    scenarios = scenario_table(case.inputs, workbook.assumptions)
    shown = scenarios.set_index(["scenario", "provider", "capacity"])
    shown["break_even_uplift"] = shown["break_even_uplift"].astype("float64")  # none reachable: shown as a dash
    return [
        scenario_chart(scenarios, case.capacity, style),
        table(
            shown,
            workbook.params.currency,
            style,
            keep=["headcount", "yearly_cost", "yearly_benefit", "roi", "payback_months"],
        ),
    ]


@section("04")
def cash_curve_section(workbook) -> list:
    """The cumulative net cash per month, internal team and external provider, in three scenarios."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "the cumulative cash of the team month by month")
    if missing:
        return missing
    return [
        cash_curve_chart(
            cash_curves(case.inputs, workbook.assumptions, case.capacity), workbook.params.currency, style=style
        )
    ]


@section("04")
def monte_carlo_section(workbook) -> list:
    """The simulated spread of the ROI and the chance of paying back within 12 and 24 months (:data:`PAYBACK_CHANCE_MONTHS`)."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "how sure the return of the team is (a simulation of its ROI and payback)")
    if missing:
        return missing
    mc = monte_carlo(case.inputs, workbook.assumptions, case.capacity)
    s = mc.summary()
    return [
        monte_carlo_chart(mc.roi, mc.probability_payback(12), mc.probability_payback(PAYBACK_CHANCE_MONTHS), style),
        Markdown(
            f"{count(s['runs'], style=style)} runs: median ROI {share(s['roi_median'], style=style)}, 90 % of the "
            f"runs between {share(s['roi_p05'], style=style)} and {share(s['roi_p95'], style=style)}; a loss in "
            f"{share(s['probability_loss'], style=style)} of the runs. The team pays back within 12 months in "
            f"**{share(s['probability_payback_12m'], style=style)}** of the runs and within {PAYBACK_CHANCE_MONTHS} months in "
            f"**{share(s['probability_payback_24m'], style=style)}**."
        ),
    ]


def _channel_needs(workbook, shows: str) -> list | None:
    case = business_case_of(workbook)
    if case.inputs.customers == 0:
        return [_without_customers(workbook, shows)]
    if not has_channels(workbook):
        return [Needs(shows, CHANNEL_NEEDS)]
    return None


@section("04")
def channel_section(workbook) -> list:
    """The channel mix per segment, and who owns the customers to manage that also buy through partners."""
    style = workbook.params.number_format
    missing = _channel_needs(
        workbook,
        "how the customers to manage buy through each channel, and who owns those that also buy through partners",
    )
    if missing:
        return missing
    case, conflicts = business_case_of(workbook), conflicts_of(workbook)
    mix = channels.channel_mix(None, case.classified, workbook.reference_date, revenue=channel_revenue_of(workbook))
    flagged = int(conflicts["conflict"].sum())
    partners = int((conflicts["owner"] != channels.OWNER_LABELS["inside"]).sum())
    return [
        channel_mix_chart(mix, style),
        Markdown(
            f"Of the {count(len(conflicts), style=style)} customers to manage, **{count(flagged, style=style)}** "
            f"buy a noticeable share through another channel; **{count(partners, style=style)}** belong to a "
            "distributor or retailer."
        ),
        table(channels.conflict_summary(conflicts), workbook.params.currency, style),
    ]


@section("04")
def flagged_channels_section(workbook) -> list:
    """How many customers to manage are flagged for each other channel."""
    style = workbook.params.number_format
    missing = _channel_needs(workbook, "for which other channels the customers to manage are flagged")
    if missing:
        return missing
    flagged = channels.flagged_channels(conflicts_of(workbook))
    if flagged.empty:
        share_ = share(workbook.assumptions.channel_conflict_min_share, 0, style=style)
        return [
            Markdown(
                f"No customer to manage buys {share_} or more through the online shop, a distributor or a retailer."
            )
        ]
    return [table(flagged.to_frame(), workbook.params.currency, style)]


@section("04")
def assignment_section(workbook) -> list:
    """Who calls whom: the workload of each inside rep, balanced by customers and potential."""
    style = workbook.params.number_format
    case = business_case_of(workbook)
    missing = _needs(workbook, case, "which inside rep calls which customer to manage", potential=False)
    if missing:
        return missing
    a, cur = workbook.assumptions, workbook.params.currency
    assigned = assigned_of(workbook)
    load = assignment.workload(assigned, a.assignment_tolerance)
    reps = len(load)
    notes = [
        f"The {count(reps, style=style)} inside rep{'s' if reps != 1 else ''} of the base case "
        f"{'are' if reps != 1 else 'is'} named until the team is hired."
    ]
    grouped = [c for c in ("region", "industry") if has_values(case.classified, c)]
    if not grouped:
        notes.append(
            "The data gives no region and no industry (columns region and industry of the customer "
            "master), so the customers are shared out by number and potential only."
        )
    elif len(grouped) == 1:
        gone = "industry" if grouped == ["region"] else "region"
        notes.append(
            f"The data gives no {gone} (column {gone} of the customer master), so the customers are "
            f"grouped by {grouped[0]} only."
        )
    if not case.inputs.gap_known:
        notes.append(
            "No customer to manage has a known potential, so the workloads are balanced by the number of "
            "customers only."
        )
    for column, plural in (("region", "regions"), ("industry", "industries")):
        if column not in grouped:  # every customer "unknown": nothing to show per rep
            load = load.drop(columns=[plural, f"main_{column}", f"main_{column}_share"], errors="ignore")
    return [
        workload_chart(load, a.assignment_tolerance, cur, style=style),
        table(
            load,
            cur,
            style,
            keep=["customers", "potential", "revenue_12m", "customers_deviation", "main_region", "main_industry"],
            export="inside_sales_worklists.xlsx",
        ),
        Markdown("\n".join(f"* {n}" for n in notes)),
    ]


#: the slider above notebook 04's headcount: the middle capacity per rep (low and high move with it); it
#: redraws the cost and the ROI too, where it stands again
HEADCOUNT_SLIDERS = ["inside_rep_capacity"]
#: the sliders above notebook 04's cost and benefit
COST_BENEFIT_SLIDERS = [
    "inside_rep_capacity",
    "inside_rep_annual_cost",
    "project_manager_annual_cost",
    "systems_annual_cost",
    "revenue_uplift_on_gap",
    "churn_rate",
    "churn_reduction",
    "field_time_freed_value",
]
#: the sliders above notebook 04's ROI, payback and break-even
ROI_SLIDERS = ["inside_rep_capacity", "setup_cost", "ramp_up_months"]
#: the sliders above notebook 04's internal team against an external provider
SCENARIO_SLIDERS = ["external_cost_per_rep_month", "external_ramp_up_months", "scenario_spread"]
