"""Views of the business case: what notebooks 02 to 04 show for one set of assumptions.

Each view takes a workbook and returns a list of displayables, so that the
same view serves the static report and the sliders. Each is split into a
``compute_*`` step (the analysis, no drawing) and a ``draw_*`` step (the
charts), so that the two can be timed apart.

The lists ``*_SLIDERS`` name the assumptions each notebook offers as
sliders; their ranges are in :data:`smartacct_helpers.widgets.SLIDERS`.
"""
from __future__ import annotations


from . import business_case as bc
from . import business_charts as bch
from .costing import below_threshold_by_abc, customers_below_grid, field_economics, threshold_grid, visit_cost_breakdown
from .formatting import money, share
from .potential import potential_by
from .views import headline


VISIT_COST_SLIDERS = ["outside_rep_annual_cost", "working_days", "visits_per_day", "visits_per_customer_year",
                      "max_sales_cost_ratio"]
POTENTIAL_SLIDERS = ["develop_max_share_of_wallet", "potential_history_years", "max_sales_cost_ratio",
                     "active_window_months"]
BUSINESS_CASE_SLIDERS = ["revenue_uplift_on_gap", "churn_rate", "churn_reduction", "field_time_freed_value",
                         "ramp_up_months", "inside_rep_annual_cost", "project_manager_annual_cost",
                         "systems_annual_cost", "setup_cost", "external_cost_per_rep_month",
                         "external_ramp_up_months", "scenario_spread"]


def _select(names, makers: dict) -> list:
    unknown = set(names) - set(makers)
    if unknown:
        raise ValueError(f"unknown charts {sorted(unknown)}; choose from {sorted(makers)}")
    return [makers[n]() for n in names]


# -- notebook 02: the cost of a field visit ------------------------------------------------------------------------

def compute_visit_cost(workbook, classified=None) -> dict:
    """The figures of the visit-cost view (no drawing)."""
    a = workbook.assumptions
    df = workbook.classify() if classified is None else classified
    econ = field_economics(a)
    grid = threshold_grid(econ.visit_cost)
    return {
        "currency": workbook.params.currency, "assumptions": a, "econ": econ, "classified": df,
        "breakdown": visit_cost_breakdown(a), "grid": grid, "counts": customers_below_grid(df["revenue_12m"], grid),
        "by_abc": below_threshold_by_abc(df),
    }


def draw_visit_cost(data: dict, charts=("waterfall", "heatmap", "abc")) -> list:
    """Key figures, the waterfall, the sensitivity heatmap and the ABC chart (those named in ``charts``)."""
    a, econ, cur, df = data["assumptions"], data["econ"], data["currency"], data["classified"]
    below = df["below_threshold"]
    return [
        headline([
            ("cost per visit", money(econ.visit_cost, cur)),
            (f"management cost ({a.visits_per_customer_year:g} visits)", money(econ.management_cost_per_customer, cur)),
            (f"sales threshold at {share(a.max_sales_cost_ratio)}", money(econ.sales_threshold, cur, decimals=0)),
            ("customers below it", f"{int(below.sum()):,}"),
            ("their revenue", money(df.loc[below, "revenue_12m"].sum(), cur, decimals=0)),
        ]),
    ] + _select(charts, {
        "waterfall": lambda: bch.visit_cost_waterfall(data["breakdown"], cur),
        "heatmap": lambda: bch.threshold_heatmap(data["grid"], data["counts"],
                                                 (a.visits_per_customer_year, a.max_sales_cost_ratio), cur),
        "abc": lambda: bch.below_threshold_abc_chart(data["by_abc"]),
    })


def visit_cost_view(workbook, classified=None) -> list:
    """What a visit costs and who falls below the threshold, for one set of assumptions."""
    return draw_visit_cost(compute_visit_cost(workbook, classified))


# -- notebook 03: the sales potential ---------------------------------------------------------------------------

def compute_potential(workbook, classified=None) -> dict:
    """The figures of the potential view (no drawing)."""
    df = workbook.classify() if classified is None else classified
    fallback = workbook.assumptions.margin_rate_if_unknown
    managed = df.loc[df["to_manage"], ["potential", "gap", "share_of_wallet"]]
    return {
        "currency": workbook.params.currency, "classified": df, "managed": managed,
        "by_segment": potential_by(df, "segment", fallback),
    }


def draw_potential(data: dict, charts=("gap", "share")) -> list:
    """Key figures, revenue and gap per segment, and the spread of the share of wallet."""
    cur, df, managed = data["currency"], data["classified"], data["managed"]
    return [
        headline([
            ("potential, all customers", money(df["potential"].sum(), cur, compact=True)),
            ("potential, customers to manage", money(managed["potential"].sum(), cur, compact=True)),
            ("their gap", money(managed["gap"].sum(), cur, compact=True)),
            ("median share of wallet (to manage)", share(managed["share_of_wallet"].median()) if len(managed) else "–"),
            ("'develop' customers", f"{int((df['segment'] == 'develop').sum()):,}"),
        ]),
    ] + _select(charts, {
        "gap": lambda: bch.potential_gap_chart(data["by_segment"], "Revenue and gap to the potential per segment", cur),
        "share": lambda: bch.share_of_wallet_chart(df),
    })


def potential_view(workbook, classified=None) -> list:
    """Potential, gap and share of wallet for one set of assumptions."""
    return draw_potential(compute_potential(workbook, classified))


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


# -- lean views for the sliders: key figures and one chart, so that a change redraws at once ---------------------

def visit_cost_explorer_view(workbook) -> list:
    """Key figures and who falls below the threshold by ABC class (for the sliders of notebook 02)."""
    items = draw_visit_cost(compute_visit_cost(workbook), charts=("abc",))
    return items


def potential_explorer_view(workbook) -> list:
    """Key figures and revenue and gap per segment (for the sliders of notebook 03)."""
    return draw_potential(compute_potential(workbook), charts=("gap",))


def business_case_explorer_view(workbook) -> list:
    """Key figures and the cumulative cash curves (for the sliders of notebook 04)."""
    return draw_business_case(compute_business_case(workbook), charts=("cash",))
