"""The dashboard's first two tabs: what the small customers cost today, and whether inside sales pays."""

from __future__ import annotations

import html

import pandas as pd

from ..inside_sales import business_case as bc
from ..inside_sales.figures import NO_CUSTOMERS
from ..presentation.formatting import Numbers
from ..presentation.sections import Needs
from . import dashboard_answers as answers
from . import dashboard_charts as charts
from .dashboard_blocks import Card, _b, _lead, _people, _q, _row, cards_html, needs_html, table_html

# -- 1. small customers ----------------------------------------------------------------------------------------


def small_customers_html(costs: answers.SmallCustomerCosts, assumptions, fmt: Numbers) -> str:
    """The first tab: what the small customers cost today, cards and chart from the same numbers.

    Long on purpose: one tab's HTML, written top to bottom in the order the tab shows it.
    """
    a = assumptions
    threshold = fmt.money(costs.threshold)
    field = fmt.money(costs.field_cost, decimals=0)
    ratio = fmt.share(a.max_sales_cost_ratio)
    months = a.active_window_months
    if costs.to_manage:
        lead = f"Serving the {_b(fmt.count(costs.to_manage))} customers to manage in the field would cost {_b(field)} a year"
        if costs.revenue_to_manage > 0:
            lead += (
                f", {_b(fmt.share(costs.field_cost_share, 0))} of the "
                f"{html.escape(fmt.money(costs.revenue_to_manage, decimals=0))} they bought in the last "
                "12 months"
            )
        lead += (
            f". Field visits pay only for a customer buying at least {_b(threshold)} a year, where they cost at "
            f"most {html.escape(ratio)} of its revenue."
        )
    else:
        lead = (
            f"No customer is to manage: none buys less than {_b(threshold)} a year and ordered in the last "
            f"{months} months."
        )
    cards = [
        Card(
            "one field visit costs",
            fmt.money(costs.visit_cost),
            f"{fmt.money(a.outside_rep_annual_cost, decimals=0)} a year for an outside rep, "
            f"{fmt.count(a.working_days)} days x {a.visits_per_day:g} visits",
            "visit_cost",
        ),
        Card(
            "looking after one customer in the field",
            fmt.money(costs.management_cost),
            f"a year, at {a.visits_per_customer_year:g} visits",
            "management_cost",
        ),
        Card("sales threshold", threshold, f"below it, visits cost more than {ratio} of revenue", "threshold"),
        Card(
            "customers to manage",
            fmt.count(costs.to_manage),
            f"below the threshold, ordered in the last {months} months",
            "to_manage",
        ),
        Card(
            "serving them in the field",
            field,
            "a year: customers to manage x the cost of looking after one",
            "field_cost",
            warn=costs.field_cost_share > a.max_sales_cost_ratio,
        ),
    ]
    groups = [
        (
            charts.COLORS["to_manage"],
            (
                f"customers to manage (below the threshold, ordered in the last {months} "
                f"months): {fmt.count(costs.to_manage)}"
            ),
        ),
        (
            charts.COLORS["below_inactive"],
            (f"below the threshold, no order in the last {months} months: {fmt.count(costs.below_inactive)}"),
        ),
        (charts.COLORS["above"], f"at or above the threshold: {fmt.count(costs.above)}"),
    ]
    chart = (
        f"<div class='sa-h'>The {fmt.count(costs.customers)} customers by what they bought in the last 12 months"
        f"</div>{charts.legend(groups)}"
        f"{charts.bands_chart(costs.bands, costs.threshold, threshold, fmt)}"
    )
    if costs.visits_made is None:
        visits = (
            "The data holds no CRM activities (the activities file), so the field visits they get today are not known."
        )
    else:
        visits = (
            f"In the last 12 months the customers to manage got {fmt.count(costs.visits_made)} field visits, "
            f"{fmt.money(costs.visits_made * costs.visit_cost, decimals=0)} at the cost of a visit."
        )
    return (
        _q("What do the small customers cost today?")
        + _lead(lead)
        + cards_html(cards)
        + chart
        + f"<p class='sa-note'>{html.escape(visits)}</p>"
    )


# -- 2. inside sales -------------------------------------------------------------------------------------------


def _payback(case: bc.BusinessCase, horizon: int) -> str:
    return f"month {case.payback_months}" if case.payback_months else f"not within {horizon} months"


def _month(case: bc.BusinessCase, horizon: int) -> str:
    """The payback month as a table's figure: ``9``, right-aligned with the other figures."""
    return str(case.payback_months) if case.payback_months else f"not within {horizon} months"


def inside_sales_html(case: answers.InsideSalesCase, fmt: Numbers) -> str:
    """The second tab: does inside sales pay, own team against external provider.

    Long on purpose: one tab's HTML, written top to bottom in the order the tab shows it.
    """
    own, ext, horizon = case.own, case.external, case.horizon
    if case.customers == 0:
        return _q("Does inside sales pay?") + needs_html(
            Needs(
                "what an inside-sales team for the small customers costs and returns",
                "customers to manage, and " + NO_CUSTOMERS,
            ),
            "inside",
        )
    reps = _people(own.headcount, "inside rep", "inside reps", fmt)
    cost = fmt.money(own.cost["total"], decimals=0)
    cards = [
        Card(
            "inside reps needed",
            fmt.count(own.headcount),
            f"for {fmt.count(case.customers)} customers to manage, {fmt.count(case.capacity)} per rep",
            "headcount",
        ),
        Card("cost a year, own team", cost, "reps, project manager and systems", "cost"),
    ]
    rows = [
        ["inside reps", fmt.count(own.headcount), fmt.count(ext.headcount)],
        ["cost a year", cost, fmt.money(ext.cost["total"], decimals=0)],
        ["one-off set-up", fmt.money(own.setup_cost, decimals=0), fmt.money(ext.setup_cost, decimals=0)],
        [
            f"cost over {horizon} months",
            fmt.money(own.total_cost, decimals=0),
            fmt.money(ext.total_cost, decimals=0),
        ],
    ]
    if case.limits is None:
        lead = (
            f"An own team of {_b(reps)} for the {fmt.count(case.customers)} customers to manage costs {_b(cost)} a "
            f"year and returns {_b(fmt.share(own.roi))} over {horizon} months; it pays back in "
            f"{_b(_payback(own, horizon))}. The chance that it pays back within {case.chance_months} months: "
            f"{_b(fmt.share(case.chance_own))}."
        )
        cards += [
            Card(
                f"return over {horizon} months",
                fmt.share(own.roi),
                "extra margin minus cost, over the cost",
                "roi",
                warn=own.roi < 0,
            ),
            Card("pays back in", _payback(own, horizon), "the month the extra margin has covered the cost", "payback"),
            Card(
                "chance of paying back",
                fmt.share(case.chance_own),
                f"within {case.chance_months} months, in {fmt.count(case.runs)} simulated outcomes",
                "chance",
            ),
        ]
        rows += [
            [
                f"extra margin over {horizon} months",
                fmt.money(own.total_benefit, decimals=0),
                fmt.money(ext.total_benefit, decimals=0),
            ],
            [f"return over {horizon} months", fmt.share(own.roi), fmt.share(ext.roi)],
            ["pays back in month", _month(own, horizon), _month(ext, horizon)],
            [
                f"chance of paying back within {case.chance_months} months",
                fmt.share(case.chance_own),
                fmt.share(case.chance_external),
            ],
        ]
        curves = {"own team": own.cash["cumulative"].tolist(), "external provider": ext.cash["cumulative"].tolist()}
        colors = {"own team": charts.COLORS["own"], "external provider": charts.COLORS["external"]}
        chart = (
            f"<div class='sa-h'>Cash over {horizon} months: extra margin minus cost, added up month by month</div>"
            + charts.legend(
                [
                    (colors["own team"], f"own team: pays back in {_payback(own, horizon)}"),
                    (colors["external provider"], f"external provider: pays back in {_payback(ext, horizon)}"),
                ]
            )
            + charts.line_chart(
                curves,
                colors,
                fmt,
                marks={"own team": own.payback_months, "external provider": ext.payback_months},
            )
        )
        needs = ""
    else:
        lead = f"An own team of {_b(reps)} for the {fmt.count(case.customers)} customers to manage costs {_b(cost)} a year."
        chart = ""
        needs = needs_html(
            Needs(
                "the return, the payback and the chance of paying back",
                "the untapped potential of the customers to manage, and " + case.limits,
            ),
            "inside",
        )
    table = table_html(pd.DataFrame(rows, columns=["figure", "own_team", "external_provider"]), fmt, "providers")
    note = ""
    if case.limits is None:
        note = (
            "<p class='sa-note'>The extra margin comes from three sources: part of the untapped potential won "
            "each year (what the customers to manage could buy, less what they buy today), fewer of them lost, "
            "and the field time freed. The return and payback are for the middle case; the chance of paying "
            "back counts the simulated outcomes that pay back, each with its own share of the potential won, "
            "customers kept and months until the team is up to speed.</p>"
        )
    if case.margin_assumed and case.limits is None:
        note += (
            "<p class='sa-note'>The orders carry no contribution margin, so the extra margin takes the margin "
            "rate of the params file.</p>"
        )
    return (
        _q("Does inside sales pay?")
        + _lead(lead)
        + cards_html(cards)
        + needs
        + _row(f"<div class='sa-h'>Own team or external provider</div>{table}", chart)
        + note
    )
