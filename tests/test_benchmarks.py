"""The scale benchmarks still run (tiny size); their timings are never asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_generator_writes_the_lines_asked_for_with_the_money_kept(tmp_path):
    make_large = _load("make_large")
    paths = make_large.make_large(tmp_path, customers=120, lines=9_000, years=3, seed=3)
    orders = pd.read_parquet(paths["parquet"])
    assert len(orders) == 9_000
    csv = pd.read_csv(paths["csv"], dtype={"Kundennummer": str})
    assert len(csv) == 9_000
    assert csv["Umsatz"].sum() == pytest.approx(orders["Umsatz"].sum(), abs=0.01)


def test_the_scale_benchmark_runs_at_a_tiny_size(tmp_path):
    bench = _load("bench_scale")
    out = tmp_path / "results.json"
    results = bench.main(
        [
            "--data",
            str(tmp_path / "data"),
            "--customers",
            "150",
            "--lines",
            "8000",
            "--runs",
            "1",
            "--quick",
            "--json",
            str(out),
        ]
    )
    assert out.exists()
    formats = ["parquet", "csv", "parquet, no order id", "csv, no order id"]
    assert [r["format"] for r in results["facts"]] == formats
    for r in results["facts"]:  # the floor, the peer and ours wrote the same facts (checked inside)
        assert r["in_process_s"]["ours"] > 0 and r["peak_mib"]["floor"] > 0
    assert all(r["pandas_s"] > 0 for r in results["facts"][:2])
    assert results["analysis"]["customers"] == 150
    # after the first run, the median of three (the sliders' five runs, capped) and of one on CSV (--runs 1)
    assert results["analysis"]["runs"] == 3 and results["analysis"]["first_run_s"] > 0
    assert results["analysis_csv"]["runs"] == 1
    # CPU time is counted for the floor and the analysis; spread over every core it is below the wall time
    # of a run at most by the number of cores (a run cannot use more than every core all the time)
    floor = results["facts"][0]
    assert floor["floor_cpu_s"] > 0 and results["analysis"]["cpu_s"] > 0
    cores = results["cpus"]
    assert results["analysis"]["cpu_s"] <= cores * results["analysis"]["analysis_s"] * 1.05
    assert results["analysis"]["cores_busy_ratio"] == pytest.approx(
        results["analysis"]["cpu_s"] / cores / floor["in_process_s"]["floor"]
    )
    # a profiled run timed the calls into DuckDB: some time, less than that same run took as a whole
    assert 0 < results["analysis"]["duckdb_s"] < results["analysis"]["profiled_run_s"]
    # a slider move in every section the notebooks show with sliders, on Parquet only
    assert set(results["analysis"]["sections_ms"]) == {label for label, *_ in _load("bench_interaction").SECTIONS}
    assert results["analysis_csv"]["customers"] == 150 and not results["analysis_csv"]["sections_ms"]
    wall, _ = bench.process(bench._blocked("import json"))
    assert wall > 0


def test_the_export_benchmark_runs_on_the_sample(tmp_path):
    bench = _load("bench_exports")
    out = tmp_path / "exports.json"
    result = bench.main(["--params", str(ROOT / "data" / "sample" / "params.yaml"), "--runs", "1", "--json", str(out)])
    assert out.exists()
    assert result["rows"] > 0 and result["median_s"]["ours"] > 0 and result["median_s"]["cell_by_cell"] > 0


def test_the_query_shape_benchmark_answers_the_same_in_every_form(tmp_path):
    make_large = _load("make_large")
    paths = make_large.make_large(tmp_path, customers=120, lines=9_000, years=3, seed=3)
    bench = _load("bench_query_shape")
    results = bench.main(["--data", str(tmp_path), "--runs", "1"])  # raises where two forms answer differently
    # independently, in pandas: the lines of the five calendar years up to the last one, by order and by day
    lines = pd.read_parquet(paths["parquet"])
    day = pd.to_datetime(lines["Rechnungsdatum"])
    last = results["last_year"]
    held = lines[(day.dt.year > last - 5) & (day.dt.year <= last)]
    totals = held.groupby(["Kundennummer", "Belegnummer", day[held.index].dt.date]).agg(
        revenue=("Umsatz", "sum"), top=("Umsatz", "max")
    )
    order_days = totals[totals["top"] > 0].reset_index()[["Kundennummer", "Rechnungsdatum"]].drop_duplicates()
    assert results["five_windows"]["revenue"] == pytest.approx(held["Umsatz"].sum(), abs=0.01)
    assert results["five_windows"]["orders"] == held["Belegnummer"].nunique()
    assert results["five_windows"]["order_days"] == len(order_days)
    assert {
        "floor",
        "the rhythm as sorted lists (now), integer key",
        "five windows counted by NumPy on the totals fetched once, text ids",
    } <= set(results["x_floor"])
    assert results["x_floor"]["floor"] == 1.0
