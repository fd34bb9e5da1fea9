"""How fast does a slider respond? A move in each section the notebooks show with sliders, on the sample.

The notebooks show each section with the sliders that redraw it
(``section(wb, views.f, views.F_SLIDERS, interactive)``, :func:`smartacct_helpers.presentation.widgets.section`).
A move does what that panel does: copy the workbook with the new assumption (the facts are reused), run
the section function and render what it returns, its charts as PNG and its tables as HTML, as the
notebook shows them. Each section of :data:`SECTIONS` is timed over several moves; the median is
printed, against the workshop's goal: a move answers on screen within 0.5 s on the sample
(``bench_workshop.py`` measures it in JupyterLab, where the browser adds about a twentieth to the time
taken here). Every move sets a value not set before, as a dragged slider does, so nothing the workbook
remembers can answer it.

Run: ``.venv/bin/python benchmarks/bench_interaction.py [--runs 7] [--only "01 ABC"]``
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time
from pathlib import Path

from matplotlib.figure import Figure

from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.presentation.widgets import changes_from

ROOT = Path(__file__).resolve().parent.parent
#: the workshop's goal for a move, on screen (bench_workshop.GOAL_S)
GOAL_MS = 500.0

# each notebook's sections with sliders (the cell ``section(wb, views.f, views.F_SLIDERS, interactive)``): what a move
# redraws in the workshop, the whole section. Name, the question's views module, the section, moved, range (a range
# of its own per assumption, so that no section is answered by what an earlier one left remembered)
SECTIONS = [
    ("01 ABC analysis", "small_customers", "abc_analysis", "abc.a", (0.78, 0.82)),
    ("01 sales threshold", "small_customers", "sales_threshold", "max_sales_cost_ratio", (0.07, 0.09)),
    ("02 cost of a visit", "field_visits", "visit_cost_parts", "outside_rep_annual_cost", (100_000, 120_000)),
    ("02 sales threshold", "field_visits", "sales_threshold", "max_sales_cost_ratio", (0.05, 0.065)),
    ("03 potential per segment", "potential", "potential_per_segment", "max_sales_cost_ratio", (0.1, 0.115)),
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
    """Milliseconds from the move to the whole section as the notebook shows it: pictures and tables."""
    t0 = time.perf_counter()
    for item in render(wb.with_assumptions(**changes_from({name: value}, wb.assumptions))):
        if isinstance(item, Figure):
            item._repr_png_()
        elif hasattr(item, "_repr_html_"):
            item._repr_html_()
    return (time.perf_counter() - t0) * 1000


def section_times(wb, runs: int, only: str = "") -> dict[str, tuple[str, float]]:
    """The median time of a slider move in each section of :data:`SECTIONS` (a warm-up move first).

    Returns ``{label: (the assumption moved, milliseconds)}``; ``only`` keeps the sections whose label holds it.
    """
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


def main(argv=None) -> dict[str, tuple[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--params", default=str(ROOT / "data" / "sample" / "params.yaml"))
    parser.add_argument("--only", default="", help="only the sections whose name holds this text")
    parser.add_argument("--sections", action="store_true", help="the default; kept so that earlier commands run")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    wb = Workbook.open(args.params)
    print(
        f"sample opened in {(time.perf_counter() - t) * 1000:.0f} ms ({len(wb.customers):,} customers); "
        f"median of {args.runs} moves per section\n"
    )
    times = section_times(wb, args.runs, args.only)
    print(f"{'section':<26} {'moved':<34} {'total ms':>9}  goal {GOAL_MS:.0f} ms")
    for label, (name, total) in times.items():
        print(f"{label:<26} {name:<34} {total:>9.1f}  {'ok' if total < GOAL_MS else 'over'}")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return times


if __name__ == "__main__":
    main()
