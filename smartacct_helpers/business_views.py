"""Views of the business case: what notebooks 02 to 04 show for one set of assumptions.

Each view takes a workbook and returns a list of displayables, so that the
same view serves the static report and the sliders. Each is split into a
``compute_*`` step (the analysis, no drawing) and a ``draw_*`` step (the
charts), so that the two can be timed apart.

The lists ``*_SLIDERS`` name the assumptions each notebook offers as
sliders; their ranges are in :data:`smartacct_helpers.presentation.widgets.SLIDERS`.
"""
from __future__ import annotations

from . import business_case as bc, business_charts as bch
from .presentation.blocks import _select, headline
from .presentation.formatting import money, share

BUSINESS_CASE_SLIDERS = ["revenue_uplift_on_gap", "churn_rate", "churn_reduction", "field_time_freed_value",
                         "ramp_up_months", "inside_rep_annual_cost", "project_manager_annual_cost",
                         "systems_annual_cost", "setup_cost", "external_cost_per_rep_month",
                         "external_ramp_up_months", "scenario_spread"]


# -- notebook 04: the inside-sales business case ----------------------------------------------------------------

def compute_business_case(workbook, classified=None) -> dict:
    """The base case at the middle capacity, the scenarios, the cash curves and the simulation (no drawing)."""
    a = workbook.assumptions
    df = workbook.classify() if classified is None else classified
    inputs = bc.workbook_case_inputs(workbook, df)
    capacity = bc.middle_capacity(a.inside_rep_capacity)
    table = bc.scenario_table(inputs, a, [capacity])
    return {
        "currency": workbook.params.currency, "inputs": inputs, "capacity": capacity,
        "base": bc.business_case(inputs, a, capacity), "table": table,
        "curves": bc.cash_curves(inputs, a, capacity), "mc": bc.monte_carlo(inputs, a, capacity),
    }


def draw_business_case(data: dict, charts=("cost_benefit", "scenarios", "cash", "monte_carlo")) -> list:
    """Key figures, cost against benefit, scenarios, cash curves and the ROI distribution."""
    cur, base, mc = data["currency"], data["base"], data["mc"]
    pay = "not within the horizon" if base.payback_months is None else f"month {base.payback_months}"
    even = "–" if base.break_even_uplift is None else share(base.break_even_uplift)
    return [
        headline([
            (f"inside reps ({data['capacity']} per rep)", f"{base.headcount:,}"),
            ("cost per year", money(base.cost["total"], cur, compact=True)),
            ("benefit per year (full effect)", money(base.benefit["total"], cur, compact=True)),
            ("ROI over the horizon", share(base.roi, 0)),
            ("payback", pay),
            ("break-even uplift", even),
            ("P(payback within 24 months)", share(mc.probability_payback(24), 0)),
        ]),
    ] + _select(charts, {
        "cost_benefit": lambda: bch.cost_benefit_chart(base.cost, base.benefit, cur),
        "scenarios": lambda: bch.scenario_chart(data["table"], data["capacity"]),
        "cash": lambda: bch.cash_curve_chart(data["curves"], cur),
        "monte_carlo": lambda: bch.monte_carlo_chart(mc.roi, mc.probability_payback(12), mc.probability_payback(24)),
    })


def business_case_view(workbook, classified=None) -> list:
    """The business case for one set of assumptions."""
    return draw_business_case(compute_business_case(workbook, classified))


def business_case_explorer_view(workbook) -> list:
    """Key figures and the cumulative cash curves (for the sliders of notebook 04)."""
    return draw_business_case(compute_business_case(workbook), charts=("cash",))
