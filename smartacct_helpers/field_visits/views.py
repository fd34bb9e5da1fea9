"""The sections of notebook 02: what a field visit costs and from which revenue it pays.

Each section takes the workbook and returns what to display, so that the
same view serves the static report and the sliders above it
(:data:`VISIT_PARTS_SLIDERS`, :data:`THRESHOLD_SLIDERS`; their ranges are in
:data:`smartacct_helpers.presentation.widgets.SLIDERS`). The sales threshold's
sections share :func:`compute_visit_cost`.
"""

from __future__ import annotations

from IPython.display import Markdown

from ..assumptions import Assumptions
from ..facts.concepts import group_revenue, has_values
from ..presentation.formatting import count, money, plain, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..small_customers.analysis import classify
from .analysis import (
    below_threshold_by_abc,
    below_threshold_revenue,
    customers_below_grid,
    customers_by_distance,
    distance_changes,
    field_economics,
    management_cost_table,
    threshold_grid,
    visit_cost_breakdown,
)
from .charts import below_threshold_abc_chart, distance_threshold_chart, threshold_heatmap, visit_cost_waterfall

#: the sliders above notebook 02's cost of one visit
VISIT_PARTS_SLIDERS = ["outside_rep_annual_cost", "working_days", "visits_per_day"]
#: the sliders above notebook 02's sales threshold
THRESHOLD_SLIDERS = ["visits_per_customer_year", "max_sales_cost_ratio"]


# -- notebook 02: the cost of a field visit ------------------------------------------------------------------------


def compute_visit_cost(workbook, classified=None) -> dict:
    """The threshold grid and the customers below the threshold, shared by the sections on the threshold."""
    a = workbook.assumptions
    df = classify(workbook) if classified is None else classified
    grid = threshold_grid(field_economics(a).visit_cost)
    return {
        "currency": workbook.params.currency,
        "assumptions": a,
        "classified": df,
        "grid": grid,
        "counts": customers_below_grid(df["revenue_12m"], grid),
        "by_abc": below_threshold_by_abc(df),
        "below_revenue": below_threshold_revenue(df),
    }


@section("02")
def visit_cost_parts(workbook) -> list:
    """The cost of one visit: the sum, the waterfall of the rep's cost parts, and the parts as a table."""
    style = workbook.params.number_format
    a, cur = workbook.assumptions, workbook.params.currency
    econ = field_economics(a)
    breakdown = visit_cost_breakdown(a)
    visits = a.working_days * a.visits_per_day
    return [
        Markdown(
            f"{money(a.outside_rep_annual_cost, cur, decimals=0, style=style)} a year / ({a.working_days} working "
            f"days x {plain(a.visits_per_day, style)} visits a "
            f"day = {count(visits, style=style)} visits) = **{money(econ.visit_cost, cur, style=style)} per visit**."
        ),
        visit_cost_waterfall(breakdown, cur, style=style),
        table(breakdown.rename(columns={"share": "cost_share"}), cur, style),
    ]


@section("02")
def management_cost(workbook) -> list:
    """The yearly cost of looking after one customer, and the threshold it implies, at 4, 5 and 6 visits."""
    style = workbook.params.number_format
    costs = management_cost_table(workbook.assumptions, visits=(4, 5, 6))
    return [table(costs, workbook.params.currency, style)]


@section("02")
def sales_threshold(workbook) -> list:
    """The sales threshold worked out with smartacct's defaults and with the client's figures, in its number format."""
    style = workbook.params.number_format
    a, cur = workbook.assumptions, workbook.params.currency
    econ = field_economics(a)
    d = Assumptions()
    defaults = field_economics(d)
    return [
        Markdown(
            f"With the defaults: {money(d.outside_rep_annual_cost, cur, decimals=0, style=style)} / "
            f"{count(d.working_days * d.visits_per_day, style=style)} visits ({count(d.working_days, style=style)} "
            f"working days x {plain(d.visits_per_day, style)} visits; smartacct defaults, to be replaced by the "
            f"client's own figures) = {money(defaults.visit_cost, cur, style=style)} per visit; x "
            f"{plain(d.visits_per_customer_year, style)} visits (the article's 4 to 6) = "
            f"{money(defaults.management_cost_per_customer, cur, style=style)} a year; / "
            f"{share(d.max_sales_cost_ratio, 0, style=style)} (the article's limit) = "
            f"{money(defaults.sales_threshold, cur, style=style)} revenue a year."
        ),
        Markdown(
            f"For this client: {money(econ.visit_cost, cur, style=style)} per visit x "
            f"{plain(a.visits_per_customer_year, style)} visits = "
            f"{money(econ.management_cost_per_customer, cur, style=style)} a year; / "
            f"{share(a.max_sales_cost_ratio, style=style)} = "
            f"**{money(econ.sales_threshold, cur, style=style)}** revenue a year."
        ),
    ]


@section("02")
def threshold_sensitivity(workbook) -> list:
    """The threshold and the customers below it for 2 to 8 visits and cost ratios of 4 to 12 %."""
    style = workbook.params.number_format
    data = compute_visit_cost(workbook)
    a = data["assumptions"]
    return [
        threshold_heatmap(
            data["grid"],
            data["counts"],
            (a.visits_per_customer_year, a.max_sales_cost_ratio),
            data["currency"],
            style=style,
        )
    ]


@section("02")
def below_threshold(workbook) -> list:
    """How many customers and how much revenue fall below the threshold, by ABC class.

    The revenue of the customers below it is
    :func:`~smartacct_helpers.facts.concepts.group_revenue` (a customer with
    negative window revenue counts as zero), the same figure notebook 04
    starts from for the same customers.
    """
    style = workbook.params.number_format
    data = compute_visit_cost(workbook)
    df, cur = data["classified"], data["currency"]
    below = df["below_threshold"].astype(bool)
    total = group_revenue(df)
    part = share(data["below_revenue"] / total, style=style) if total > 0 else "none"
    return [
        Markdown(
            f"**{count(below.sum(), style=style)} of {count(len(df), style=style)} customers** "
            f"({share(below.mean(), style=style)}) fall below "
            f"the threshold; they bought {money(data['below_revenue'], cur, decimals=0, style=style)} in the last "
            f"12 months, {part} of the revenue (a customer whose credit notes exceed its invoices counts with "
            "zero)."
        ),
        below_threshold_abc_chart(data["by_abc"], style),
        table(data["by_abc"].rename_axis("abc"), cur, style),
    ]


@section("02")
def distance(workbook) -> list:
    """The threshold per customer when the car and travel cost grow with the distance."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not has_values(df, "distance_km"):
        return [
            Needs(
                "how the visit cost and the sales threshold change with the distance to the customer",
                "a distance per customer (column distance_km of the customer master)",
            )
        ]
    cur = workbook.params.currency
    by_distance = customers_by_distance(df, workbook.assumptions)
    n = distance_changes(by_distance)
    items = [
        Markdown(
            f"With distances, **{count(n['by_distance'], style=style)} customers** fall below their own threshold "
            f"(flat threshold: {count(n['flat'], style=style)}); {count(n['joined'], style=style)} far customers "
            f"join the group, {count(n['left'], style=style)} near customers leave it. "
            f"The chart shows those with a distance and with revenue in the last 12 months, which its log scale can "
            f"draw."
        )
    ]
    drawn = by_distance["distance_km"].notna() & (by_distance["revenue_12m"] > 0)
    if drawn.any():
        items.append(
            distance_threshold_chart(
                by_distance, field_economics(workbook.assumptions).sales_threshold, cur, style=style
            )
        )
    return items
