"""How fast does a slider respond? Recompute and redraw timed separately, on the sample.

A slider change does what :func:`smartacct_helpers.presentation.widgets.explorer` does: copy
the workbook with the new assumption (the facts are reused), compute the
view's figures, build its charts and render them as PNG (what the notebook
shows). Each step is timed over several changes; the median is printed. The
goal is under 150 ms from the change to the new picture, at 100,000 customers
as on the sample. Every change sets a value not set before, as a dragged
slider does, so nothing the workbook remembers can answer it.

The notebooks show each section with the sliders that redraw it; ``--sections`` times a move in
each such section (:data:`SECTIONS`, the whole section with its charts and tables).

Run: ``.venv/bin/python benchmarks/bench_interaction.py [--runs 7] [--sections] [--only "01 ABC"]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from matplotlib.figure import Figure

from smartacct_helpers.early_warning import views as early_warning_views
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.field_visits.views import compute_visit_cost, draw_visit_cost
from smartacct_helpers.inside_sales.views import compute_business_case, draw_business_case
from smartacct_helpers.key_accounts import views as key_account_views
from smartacct_helpers.levers import views as lever_views
from smartacct_helpers.levers.orders import window_order_table
from smartacct_helpers.potential.views import compute_potential, draw_potential
from smartacct_helpers.small_customers import views
from smartacct_helpers.small_customers.analysis import classify

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 150.0

# view name, compute step, draw step, charts in the slider view, the assumption moved and the range it moves in
CASES = [
    ("02 visit cost", compute_visit_cost, draw_visit_cost, ("abc",), "max_sales_cost_ratio", (0.07, 0.09)),
    ("03 potential", compute_potential, draw_potential, ("gap",), "develop_max_share_of_wallet", (0.4, 0.6)),
    ("04 business case", compute_business_case, draw_business_case, ("cash",), "revenue_uplift_on_gap", (0.03, 0.05)),
]


def _levers(wb):
    """Notebook 06's explorer: the segments and the orders of the last 12 months read once, the levers per move."""
    classified = classify(wb)
    orders = window_order_table(wb, classified)
    return lambda variant: lever_views.lever_view(variant, classified, orders)


# the other notebooks' explorers, whole views (compute and draw together): name, render from the workbook, moved, range
VIEWS = [
    ("01 small customers", lambda wb: views.small_customer_view, "max_sales_cost_ratio", (0.07, 0.09)),
    ("05 key accounts", lambda wb: key_account_views.explorer_view, "call_cost", (10.0, 14.0)),
    ("06 levers", _levers, "price_increase_small", (0.02, 0.04)),
    ("07 early warning", lambda wb: early_warning_views.early_warning_view, "warning_interval_factor", (1.5, 2.0)),
]


# each notebook's sections with sliders (the cell ``section(wb, views.f, views.F_SLIDERS, interactive)``): what a move
# redraws in the workshop, the whole section. Name, the question's views module, the section, moved, range
SECTIONS = [
    ("01 ABC analysis", "small_customers", "abc_analysis", "abc.a", (0.78, 0.82)),
    ("01 sales threshold", "small_customers", "sales_threshold", "max_sales_cost_ratio", (0.07, 0.09)),
    ("02 cost of a visit", "field_visits", "visit_cost_parts", "outside_rep_annual_cost", (100_000, 120_000)),
    ("02 sales threshold", "field_visits", "sales_threshold", "max_sales_cost_ratio", (0.07, 0.09)),
    ("03 potential per segment", "potential", "potential_per_segment", "max_sales_cost_ratio", (0.07, 0.09)),
    ("03 develop or serve", "potential", "develop_or_small", "develop_max_share_of_wallet", (0.4, 0.6)),
    ("04 headcount", "inside_sales", "headcount_section", "inside_rep_capacity", (380, 420)),
    ("04 cost and benefit", "inside_sales", "cost_benefit_section", "revenue_uplift_on_gap", (0.03, 0.05)),
    ("04 ROI", "inside_sales", "roi_section", "setup_cost", (40_000, 60_000)),
    ("04 scenarios", "inside_sales", "scenarios_section", "scenario_spread", (0.2, 0.4)),
    ("05 candidates", "key_accounts", "candidates_section", "key_account_min_share", (0.04, 0.06)),
    ("05 value destroyers", "key_accounts", "destroyers_section", "call_cost", (10.0, 14.0)),
    ("05 scorecard", "key_accounts", "scorecard_section", "scorecard_key_account_min_average", (3.0, 4.0)),
    ("06 each lever", "levers", "each_lever", "price_increase_small", (0.02, 0.04)),
    ("07 flagged customers", "early_warning", "flagged_customers", "warning_interval_factor", (1.5, 2.0)),
    ("08 pilot design", "introduction", "pilot_design_section", "pilot_power", (0.7, 0.9)),
]


def _time_section(wb, render, name, value) -> float:
    """Milliseconds from the change to the whole section as the notebook shows it: pictures and tables."""
    from smartacct_helpers.presentation.widgets import changes_from

    t0 = time.perf_counter()
    for item in render(wb.with_assumptions(**changes_from({name: value}, wb.assumptions))):
        if isinstance(item, Figure):
            item._repr_png_()
        elif hasattr(item, "_repr_html_"):
            item._repr_html_()
    return (time.perf_counter() - t0) * 1000


def section_times(wb, runs: int, only: str = "") -> dict[str, tuple[str, float]]:
    """The median time of a slider move in each section of :data:`SECTIONS` (a warm-up move first)."""
    import importlib

    out = {}
    for label, room, function, name, values in SECTIONS:
        if only and only not in label:
            continue
        render = getattr(importlib.import_module(f"smartacct_helpers.{room}.views"), function)
        first, *moves = slider_values(values, runs)
        _time_section(wb, render, name, first)
        out[label] = (name, statistics.median(_time_section(wb, render, name, v) for v in moves))
    return out


def slider_values(values: tuple[float, float], runs: int) -> list[float]:
    """A warm-up value and then ``runs`` values never set before, like a slider being dragged.

    No value repeats, so nothing the workbook remembers from an earlier
    change can answer a later one.
    """
    low, high = values
    return [low + (high - low) * i / runs for i in range(runs + 1)]


def _time_change(wb, compute, draw, charts, name, value):
    t0 = time.perf_counter()
    variant = wb.with_assumptions(**{name: value})
    data = compute(variant)
    t1 = time.perf_counter()
    items = draw(data, charts=charts)
    for item in items:
        if isinstance(item, Figure):
            item._repr_png_()
    t2 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000


def _time_view(wb, render, name, value) -> float:
    """Milliseconds from the change to every picture of a whole view."""
    t0 = time.perf_counter()
    for item in render(wb.with_assumptions(**{name: value})):
        if isinstance(item, Figure):
            item._repr_png_()
    return (time.perf_counter() - t0) * 1000


def explorer_times(wb, runs: int) -> dict[str, float]:
    """The median time of a slider change in each explorer of :data:`VIEWS` (a warm-up change first)."""
    out = {}
    for label, ready, name, values in VIEWS:
        render = ready(wb)
        first, *moves = slider_values(values, runs)
        _time_view(wb, render, name, first)
        out[label] = statistics.median(_time_view(wb, render, name, v) for v in moves)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--params", default=str(ROOT / "data" / "sample" / "params.yaml"))
    parser.add_argument("--sections", action="store_true", help="only the notebooks' sections with sliders")
    parser.add_argument("--only", default="", help="only the sections whose name holds this text")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    wb = Workbook.open(args.params)
    print(
        f"sample opened in {(time.perf_counter() - t) * 1000:.0f} ms ({len(wb.customers):,} customers); "
        f"median of {args.runs} changes per view\n"
    )
    if args.sections or args.only:
        print(f"{'section':<26} {'moved':<34} {'total ms':>9}  goal {GOAL_MS:.0f} ms")
        for label, (name, total) in section_times(wb, args.runs, args.only).items():
            print(f"{label:<26} {name:<34} {total:>9.1f}  {'ok' if total < GOAL_MS else 'over'}")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return
    print(f"{'view':<18} {'moved':<28} {'compute ms':>10} {'draw ms':>8} {'total ms':>9}  goal {GOAL_MS:.0f} ms")
    for label, compute, draw, charts, name, values in CASES:
        first, *moves = slider_values(values, args.runs)
        _time_change(wb, compute, draw, charts, name, first)  # warm-up: fonts
        runs = [_time_change(wb, compute, draw, charts, name, v) for v in moves]
        c = statistics.median(r[0] for r in runs)
        d = statistics.median(r[1] for r in runs)
        total = statistics.median(r[0] + r[1] for r in runs)
        print(f"{label:<18} {name:<28} {c:>10.1f} {d:>8.1f} {total:>9.1f}  {'ok' if total < GOAL_MS else 'over'}")

    print("\nthe other explorers (whole views, compute and draw together):")
    for label, total in explorer_times(wb, args.runs).items():
        print(f"{label:<18} {total:>9.1f} ms  {'ok' if total < GOAL_MS else 'over'}")

    print("\nthe full static views (every chart; shown once in the report, not on each slider move):")
    for label, compute, draw, _, name, values in CASES:
        runs = [
            _time_change(wb, compute, draw, tuple(draw.__defaults__[0]), name, v) for v in slider_values(values, 3)[1:]
        ]
        print(
            f"{label:<18} compute {statistics.median(r[0] for r in runs):6.1f} ms, "
            f"draw {statistics.median(r[1] for r in runs):6.1f} ms"
        )


if __name__ == "__main__":
    main()
