"""Scale benchmarks: the facts, the whole analysis, a slider change and the report, side by side with floors.

All measurements of one run use the same machine at the same time, so the
ratios are what counts; absolute times vary with the machine and its load.

1. ``smartacct facts`` on Parquet and on CSV against the floor, one
   hand-written DuckDB SQL doing the same aggregation (the same rows out):
   wall time in-process and as whole processes, peak memory of the
   processes; and against pandas ``read_csv``/``read_parquet`` plus
   ``groupby`` doing the same.
2. The whole analysis behind the notebooks (``Workbook.open`` and every
   key figure of ``summary.json``, which calls the analysis of every
   notebook; no notebooks run) against the facts floor: the median of the
   runs after a first one in the same process (which is reported too).
3. A slider move at that size: the whole section redrawn, per section of
   ``bench_interaction.SECTIONS`` (the sections the notebooks show with sliders). The workshop's goal
   (0.5 s on screen) is set on the sample, where ``bench_workshop.py`` and ``bench_interaction.py`` measure it.
4. The report on the sample against the number of notebooks times a bare
   papermill run of an empty notebook, and the start-up import of
   jsonschema's RFC 3987 parser (``rfc3987_syntax``) with and without it.
5. Peak memory (RSS of the whole process tree) of the full report at the
   large size.

Usage::

    .venv/bin/python benchmarks/bench_scale.py --data /tmp/smartacct-large        # 100,000 customers, 10M lines
    .venv/bin/python benchmarks/bench_scale.py --data /tmp/small --customers 2000 --lines 100000 --runs 1 --quick

The data set is generated first when ``--data`` holds none
(``benchmarks/make_large.py``). ``--json FILE`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: jsonschema imports this RFC 3987 parser at start when it is installed (it builds a grammar: about a second)
URI_MODULE = "rfc3987_syntax"


# --- the floor and the peer ------------------------------------------------------------------


def _names(params_file: str | Path) -> tuple[dict, Path, Path | None]:
    from smartacct_helpers.params import load_params

    params = load_params(params_file)
    m = params.data.columns.orders
    cols = {c: m.get(c, c) for c in ("customer_id", "date", "revenue", "contribution_margin")}
    cols["order_id"] = m.get("order_id")  # None: the data has no order id, an order is a customer's day
    acts = params.path(params.data.activities) if params.data.activities else None
    return cols, params.path(params.data.orders), acts


def floor_sql(params_file: str | Path, out: str | Path) -> str:
    """The floor: one hand-written DuckDB statement computing the same facts as ``smartacct facts``."""
    c, orders, activities = _names(params_file)

    def q(name: str) -> str:
        return '"' + name + '"'

    if orders.suffix == ".parquet":
        reader = f"read_parquet('{orders}')"
    else:
        reader = f"read_csv('{orders}', types = {{'{c['customer_id']}': 'VARCHAR'}})"
    contacts = (
        f"""
    a AS (SELECT customer_id,
                 max(CAST(date AS DATE)) FILTER (WHERE type IN ('visit', 'meeting') AND coalesce(team, '') <> 'inside')
                     AS last_field_visit,
                 count(*) FILTER (WHERE type IN ('visit', 'meeting') AND coalesce(team, '') <> 'inside'
                                  AND CAST(date AS DATE) > start) AS visits_12m
          FROM read_csv('{activities}', types = {{'customer_id': 'VARCHAR'}}), ref
          WHERE CAST(date AS DATE) <= ref GROUP BY ALL)"""
        if activities
        else "a AS (SELECT NULL AS customer_id, NULL::DATE AS last_field_visit, 0 AS visits_12m WHERE false)"
    )
    order_id = f"{q(c['order_id'])} AS order_id, " if c["order_id"] else ""
    orders = "count(DISTINCT order_id)" if c["order_id"] else "count(DISTINCT day)"
    return f"""
COPY (
WITH o AS (SELECT {q(c["customer_id"])} AS customer_id, CAST({q(c["date"])} AS DATE) AS day,
                  {order_id}{q(c["revenue"])} AS revenue,
                  {q(c["contribution_margin"])} AS margin FROM {reader}),
ref AS (SELECT max(day) AS ref, CAST(max(day) - INTERVAL 12 MONTH AS DATE) AS start FROM o),
y AS (SELECT customer_id, year(day) AS year, sum(revenue) AS revenue, sum(margin) AS contribution_margin,
             {orders} AS orders, count(*) AS lines, min(day) AS first_order, max(day) AS last_order,
             sum(revenue) FILTER (WHERE day > start) AS window_part
      FROM o, ref WHERE day <= ref GROUP BY ALL),
{contacts}
SELECT y.* EXCLUDE (window_part), sum(window_part) OVER (PARTITION BY customer_id) AS revenue_12m,
       a.last_field_visit, coalesce(a.visits_12m, 0) AS visits_12m
FROM y LEFT JOIN a USING (customer_id) ORDER BY customer_id, year
) TO '{out}' (FORMAT parquet)"""


def run_floor(params_file, out) -> None:
    import duckdb

    duckdb.connect().execute(floor_sql(params_file, out))


def run_pandas(params_file, out) -> None:
    """The obvious peer: pandas reads the lines, ``groupby`` aggregates, the same facts come out."""
    import pandas as pd

    c, orders, activities = _names(params_file)
    c = {k: v for k, v in c.items() if v}
    usecols = list(c.values())
    if orders.suffix == ".parquet":
        o = pd.read_parquet(orders, columns=usecols)
    else:
        o = pd.read_csv(
            orders, usecols=usecols, dtype={c["customer_id"]: str, c.get("order_id", c["customer_id"]): str}
        )
    o = o.rename(columns={v: k for k, v in c.items()})
    o["date"] = pd.to_datetime(o["date"])
    if "order_id" not in o:  # an order is a customer's day
        o["order_id"] = o["date"].dt.normalize()
    ref = o["date"].max()
    start = ref - pd.DateOffset(months=12)
    o = o[o["date"] <= ref]
    o["year"] = o["date"].dt.year
    o["window_part"] = o["revenue"].where(o["date"] > start, 0.0)
    g = (
        o.groupby(["customer_id", "year"])
        .agg(
            revenue=("revenue", "sum"),
            contribution_margin=("contribution_margin", "sum"),
            orders=("order_id", "nunique"),
            lines=("revenue", "size"),
            first_order=("date", "min"),
            last_order=("date", "max"),
            window_part=("window_part", "sum"),
        )
        .reset_index()
    )
    g["revenue_12m"] = g.groupby("customer_id")["window_part"].transform("sum")
    g = g.drop(columns="window_part")
    if activities:
        a = pd.read_csv(activities, dtype={"customer_id": str}, parse_dates=["date"])
        a = a[a["date"] <= ref]
        field = a["type"].isin(["visit", "meeting"]) & (a["team"].fillna("") != "inside")
        f = a[field]
        contacts = f.groupby("customer_id").agg(last_field_visit=("date", "max"))
        contacts["visits_12m"] = f[f["date"] > start].groupby("customer_id").size()
        g = g.merge(contacts.reset_index(), on="customer_id", how="left")
        g["visits_12m"] = g["visits_12m"].fillna(0).astype("int64")
    g.sort_values(["customer_id", "year"]).to_parquet(out)


def run_ours(params_file, out) -> None:
    from smartacct_helpers.delivery.exports import export_facts

    export_facts(params_file, out)


# --- timing ------------------------------------------------------------------------------------


def without_order_id(params_file: Path) -> Path:
    """The params of ``params_file`` with the order id left out, written beside it: data without an order id.

    The same lines; the facts then count a customer's order days as its orders.
    """
    text = params_file.read_text()
    kept = [line for line in text.splitlines(keepends=True) if not line.strip().startswith("order_id:")]
    assert len(kept) == len(text.splitlines()) - 1, f"{params_file} maps no order id"
    out = params_file.with_name(params_file.stem + "_no_order_id.yaml")
    out.write_text("".join(kept))
    return out


def cpu_timed(fn, *args) -> tuple[float, float]:
    """``(wall, cpu)`` seconds of ``fn(*args)``: the CPU time of every thread of this process, DuckDB's included."""
    t, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t, time.process_time() - c


def timed(fn, *args) -> float:
    """Wall seconds of ``fn(*args)``."""
    return cpu_timed(fn, *args)[0]


def process(cmd: list[str], env: dict | None = None, tree: bool = False) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of a command run as its own process.

    The process's own peak RSS comes from GNU ``time`` (``/usr/bin/time``),
    which starts it from a small process, so the peak is the command's
    alone. ``tree`` (or no GNU ``time``): the peak of the summed RSS of the
    process and all its descendants, sampled every 0.1 s (for the report,
    whose notebooks run in kernels).
    """
    gnu_time = Path("/usr/bin/time")
    if not tree and gnu_time.exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as fh:
            t = time.perf_counter()
            proc = subprocess.run(
                [str(gnu_time), "-f", "%M", "-o", fh.name, *cmd],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            wall = time.perf_counter() - t
            if proc.returncode:
                raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {proc.stderr.decode(errors='replace')[-2000:]}")
            return wall, int(fh.read().split()[-1]) / 1024
    import psutil

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs))
        except psutil.Error:
            pass
        time.sleep(0.1)
    _, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {err.decode(errors='replace')[-2000:]}")
    return wall, peak / 2**20


def median(values) -> float:
    return statistics.median(values)


# --- the measurements --------------------------------------------------------------------------


def bench_facts(params_file: Path, label: str, runs: int, tmp: Path, peer: bool = True) -> dict:
    """Measurement 1 for one file format."""
    ours, floor, floor_cpu = [], [], []
    run_floor(params_file, tmp / "warm.parquet")  # page cache warm for both
    run_ours(params_file, tmp / "warm.parquet")  # in-process means after start-up: imports done once
    for _ in range(runs):
        wall, cpu = cpu_timed(run_floor, params_file, tmp / "floor.parquet")
        floor.append(wall)
        floor_cpu.append(cpu)
        ours.append(timed(run_ours, params_file, tmp / "ours.parquet"))
    check_same(tmp / "ours.parquet", tmp / "floor.parquet")
    p_ours, p_floor = [], []
    me = [sys.executable, str(Path(__file__).resolve())]
    for _ in range(runs):
        p_floor.append(process([*me, "--floor-only", str(params_file), str(tmp / "floor.parquet")]))
        p_ours.append(
            process([str(BIN / "smartacct"), "facts", "--params", str(params_file), "--out", str(tmp / "ours.parquet")])
        )
    result = {
        "format": label,
        "in_process_s": {"ours": median(ours), "floor": median(floor)},
        "floor_cpu_s": median(floor_cpu),
        "process_s": {"ours": median(w for w, _ in p_ours), "floor": median(w for w, _ in p_floor)},
        "peak_mib": {"ours": max(m for _, m in p_ours), "floor": max(m for _, m in p_floor)},
    }
    result["ratio_in_process"] = result["in_process_s"]["ours"] / result["in_process_s"]["floor"]
    result["ratio_process"] = result["process_s"]["ours"] / result["process_s"]["floor"]
    result["ratio_memory"] = result["peak_mib"]["ours"] / result["peak_mib"]["floor"]
    if peer:
        pandas_s = timed(run_pandas, params_file, tmp / "pandas.parquet")
        check_same(tmp / "pandas.parquet", tmp / "floor.parquet")
        result["pandas_s"] = pandas_s
        result["pandas_over_ours"] = pandas_s / result["in_process_s"]["ours"]
    return result


def check_same(a: Path, b: Path) -> None:
    """Both routes wrote the same facts (rows, revenue, orders, lines, visits)."""
    import pandas as pd

    x, y = pd.read_parquet(a), pd.read_parquet(b)
    assert len(x) == len(y), (a, b, len(x), len(y))
    for col in ("revenue", "revenue_12m", "orders", "lines", "visits_12m"):
        if col in x and col in y:
            assert abs(float(x[col].sum()) - float(y[col].sum())) <= 1e-6 * max(1.0, abs(float(y[col].sum()))), col


def _open_and_figures(params_file: str) -> tuple:
    """``(workbook, open_s, key_figures_s, summary)``: one whole analysis, timed in its two parts."""
    from smartacct_helpers.delivery.summary import key_figures
    from smartacct_helpers.facts.workbook import Workbook

    t = time.perf_counter()
    wb = Workbook.open(params_file)
    opened = time.perf_counter() - t
    t = time.perf_counter()
    summary = key_figures(wb)
    return wb, opened, time.perf_counter() - t, summary


def inside_duckdb(fn) -> tuple[float, object]:
    """``(seconds, fn())``: how long the calls into DuckDB took while ``fn`` ran (in this thread).

    A profile hook times every call into a pybind11 extension, which here
    is DuckDB alone (pandas, pyarrow and NumPy are built otherwise). The
    hook slows the Python around the calls, not the calls themselves.
    """
    spent, started = [0.0], {}

    def hook(frame, event, arg):
        if event == "c_call" and type(getattr(arg, "__self__", None)).__module__ == "pybind11_builtins":
            started[id(arg)] = time.perf_counter()
        elif event in ("c_return", "c_exception") and id(arg) in started:
            spent[0] += time.perf_counter() - started.pop(id(arg))

    sys.setprofile(hook)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
    return spent[0], result


def analysis_child(params_file: str, runs: int, sliders: bool = True) -> dict:
    """Measurements 2 and 3, in their own process: open, every key figure, then (``sliders``) slider changes.

    The first analysis in the fresh process includes the imports done on
    the way (the engine's SQL compilers, for one); it is kept as
    ``first_run_s``. The analysis then runs ``min(runs, 3)`` more times and
    their median is the figure, as the facts and their floor are timed
    in-process after a first run (measurement 1); ``cpu_s`` is the CPU
    time of that median run, every thread's. A last run, profiled,
    gives ``duckdb_s``: the part of an analysis spent inside DuckDB's
    queries, which no change to the Python around them can shorten.
    """
    import gc

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_interaction import section_times

    wb, opened, figures, summary = _open_and_figures(params_file)
    first = opened + figures
    timed_runs = []
    for _ in range(min(runs, 3)):
        del wb
        gc.collect()  # each run starts with the last workbook's engine and frames freed
        cpu = time.process_time()
        wb, opened, figures, summary = _open_and_figures(params_file)
        timed_runs.append((opened + figures, opened, figures, time.process_time() - cpu))
    analysis, opened, figures, cpu = sorted(timed_runs)[len(timed_runs) // 2]  # the median run, odd counts
    del wb
    gc.collect()
    profiled_started = time.perf_counter()
    duckdb_s, (wb, *_) = inside_duckdb(lambda: _open_and_figures(params_file))  # a further run, profiled
    profiled_s = time.perf_counter() - profiled_started
    sections = {label: ms for label, (_, ms) in section_times(wb, runs).items()} if sliders else {}
    return {
        "open_s": opened,
        "key_figures_s": figures,
        "analysis_s": analysis,
        "cpu_s": cpu,
        "first_run_s": first,
        "runs": len(timed_runs),
        "duckdb_s": duckdb_s,
        "profiled_run_s": profiled_s,
        "customers": len(wb.customers),
        "sections_ms": sections,
        "summary": summary,
    }


def bench_analysis(
    params_file: Path, runs: int, floor_s: float, floor_cpu_s: float, tmp: Path, sliders: bool = True
) -> dict:
    """Measurement 2 (and 3 with ``sliders``) in a process of its own, against the floor's wall and CPU time.

    ``cores_busy_ratio`` is the analysis' CPU time spread evenly over every
    core, against the floor's wall time: the ratio the analysis would reach
    if no core were ever idle, so no overlap of its steps can go below it.
    """
    out = tmp / "analysis.json"
    me = [sys.executable, str(Path(__file__).resolve())]
    wall, peak = process(
        [
            *me,
            "--analysis-only",
            str(params_file),
            "--runs",
            str(runs),
            "--json",
            str(out),
            *([] if sliders else ["--no-sliders"]),
        ]
    )
    result = json.loads(out.read_text())
    del result["summary"]
    result |= {
        "process_s": wall,
        "peak_mib": peak,
        "facts_floor_s": floor_s,
        "facts_floor_cpu_s": floor_cpu_s,
        "ratio_to_facts_floor": result["analysis_s"] / floor_s,
        "cpu_ratio_to_facts_floor": result["cpu_s"] / floor_cpu_s,
        "cores_busy_ratio": result["cpu_s"] / (os.cpu_count() or 1) / floor_s,
        "first_run_ratio_to_facts_floor": result["first_run_s"] / floor_s,
        "duckdb_ratio_to_facts_floor": result["duckdb_s"] / floor_s,
    }
    return result


def _blocked(code: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.modules[{URI_MODULE!r}] = None\n{code}"]


def bench_report(runs: int, tmp: Path) -> dict:
    """Measurement 4: the report on the sample, bare papermill runs, and the import cost."""
    import nbformat

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    empty = tmp / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(""))
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, empty)
    bare_code = (
        "import papermill as pm\n"
        f"pm.execute_notebook({str(empty)!r}, {str(tmp / 'empty-out.ipynb')!r}, kernel_name='python3', "
        "progress_bar=False)"
    )
    imports = {}
    for module in ("papermill", "nbconvert", "voila.app"):
        plain = [process([sys.executable, "-c", f"import {module}"])[0] for _ in range(runs)]
        blocked = [process(_blocked(f"import {module}"))[0] for _ in range(runs)]
        env = dict(os.environ, NBFORMAT_VALIDATOR="fastjsonschema")
        fast = [process([sys.executable, "-c", f"import {module}"], env=env)[0] for _ in range(runs)]
        imports[module] = {
            "plain_s": median(plain),
            "without_uri_module_s": median(blocked),
            "nbformat_validator_fastjsonschema_s": median(fast),
        }
    bare = [process([sys.executable, "-c", bare_code])[0] for _ in range(runs)]
    bare_blocked = [process(_blocked(bare_code))[0] for _ in range(runs)]
    params = ROOT / "data" / "sample" / "params.yaml"
    report_code = (
        "from smartacct_helpers.delivery.cli import main\n"
        f"sys.exit(main(['report', '--params', {str(params)!r}, '--out', {str(tmp / 'reports')!r}]))"
    )
    report = process([sys.executable, "-c", "import sys\n" + report_code])[0]
    report_blocked = process(_blocked(report_code))[0]
    n = len(notebooks)
    return {
        "notebooks": n,
        "imports": imports,
        "bare_papermill_s": median(bare),
        "bare_papermill_without_uri_module_s": median(bare_blocked),
        "report_s": report,
        "report_without_uri_module_s": report_blocked,
        "report_over_n_bare": report / (n * median(bare)),
        "report_without_uri_module_over_n_bare": report_blocked / (n * median(bare_blocked)),
    }


def bench_report_memory(params_file: Path, tmp: Path) -> dict:
    """Measurement 5: the full report at the large size, peak RSS of the whole process tree."""
    wall, peak = process(
        [str(BIN / "smartacct"), "report", "--params", str(params_file), "--out", str(tmp / "large-reports")], tree=True
    )
    return {"report_s": wall, "peak_tree_mib": peak}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/tmp/smartacct-large", help="folder of the large data set")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3, help="repetitions per timing (the median is kept)")
    parser.add_argument("--quick", action="store_true", help="skip the report measurements (4 and 5)")
    parser.add_argument("--facts-only", action="store_true", help="measurement 1 only")
    parser.add_argument("--skip-report-memory", action="store_true", help="skip measurement 5 (long)")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--floor-only", nargs=2, metavar=("PARAMS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--analysis-only", metavar="PARAMS", help=argparse.SUPPRESS)
    parser.add_argument("--no-sliders", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.floor_only:
        run_floor(*args.floor_only)
        return {}
    if args.analysis_only:
        result = analysis_child(args.analysis_only, args.runs, sliders=not args.no_sliders)
        Path(args.json).write_text(json.dumps(result))
        return result

    data = Path(args.data)
    if not (data / "params.yaml").exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from make_large import make_large

        print(f"generating {args.customers:,} customers, {args.lines:,} lines in {data} ...", flush=True)
        make_large(data, args.customers, args.lines)
    results: dict = {"data": str(data), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="smartacct-bench-") as tmp:
        tmp = Path(tmp)
        results["facts"] = [
            bench_facts(data / "params.yaml", "parquet", args.runs, tmp),
            bench_facts(data / "params_csv.yaml", "csv", args.runs, tmp),
        ]
        for params_file, label in (("params.yaml", "parquet"), ("params_csv.yaml", "csv")):
            no_order_id = without_order_id(data / params_file)
            results["facts"].append(bench_facts(no_order_id, f"{label}, no order id", args.runs, tmp, peer=False))
        for r in results["facts"]:
            peer = (
                f"; pandas {r['pandas_s']:.2f} s = {r['pandas_over_ours']:.1f}x slower (>= 2)"
                if "pandas_s" in r
                else ""
            )
            print(
                f"1. facts {r['format']:<20} in-process {r['in_process_s']['ours']:.2f} s vs floor "
                f"{r['in_process_s']['floor']:.2f} s = {r['ratio_in_process']:.2f}x (goal <= 1.3); processes "
                f"{r['process_s']['ours']:.2f} vs {r['process_s']['floor']:.2f} s = {r['ratio_process']:.2f}x "
                f"(<= 1.5); peak {r['peak_mib']['ours']:.0f} vs {r['peak_mib']['floor']:.0f} MiB = "
                f"{r['ratio_memory']:.2f}x (<= 1.5){peer}",
                flush=True,
            )
        if args.facts_only:
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=2))
            return results
        pq, csv = results["facts"][:2]
        a = results["analysis"] = bench_analysis(
            data / "params.yaml", max(args.runs, 5), pq["in_process_s"]["floor"], pq["floor_cpu_s"], tmp
        )
        c = results["analysis_csv"] = bench_analysis(
            data / "params_csv.yaml", 1, csv["in_process_s"]["floor"], csv["floor_cpu_s"], tmp, sliders=False
        )
        for label, r in (("Parquet", a), ("CSV", c)):
            print(
                f"2. whole analysis, {label}: {r['analysis_s']:.1f} s (open {r['open_s']:.1f} s + key figures "
                f"{r['key_figures_s']:.1f} s, median of {r['runs']}) = {r['ratio_to_facts_floor']:.1f}x the facts "
                f"floor on {label} (goal <= 2); first run in a fresh process {r['first_run_s']:.1f} s = "
                f"{r['first_run_ratio_to_facts_floor']:.1f}x; peak {r['peak_mib']:.0f} MiB",
                flush=True,
            )
            print(
                f"   of which inside DuckDB (a further, profiled run): {r['duckdb_s']:.1f} s = "
                f"{r['duckdb_ratio_to_facts_floor']:.1f}x the floor",
                flush=True,
            )
            print(
                f"   CPU time {r['cpu_s']:.1f} s against the floor's {r['facts_floor_cpu_s']:.1f} s = "
                f"{r['cpu_ratio_to_facts_floor']:.1f}x; on {os.cpu_count()} cores with none idle "
                f"{r['cores_busy_ratio']:.1f}x the floor's wall time",
                flush=True,
            )
        for label, total in a["sections_ms"].items():
            print(
                f"3. slider {label:<26} whole section {total:.0f} ms (at this size; the goal is on the sample)",
                flush=True,
            )
        if not args.quick:
            r = results["report"] = bench_report(args.runs, tmp)
            print(
                f"4. report on the sample {r['report_s']:.1f} s = {r['report_over_n_bare']:.2f} x "
                f"({r['notebooks']} notebooks x bare papermill {r['bare_papermill_s']:.2f} s); without the URI "
                f"module {r['report_without_uri_module_s']:.1f} s, bare "
                f"{r['bare_papermill_without_uri_module_s']:.2f} s",
                flush=True,
            )
            for module, v in r["imports"].items():
                print(
                    f"   import {module:<10} {v['plain_s']:.2f} s; without {URI_MODULE} "
                    f"{v['without_uri_module_s']:.2f} s; NBFORMAT_VALIDATOR=fastjsonschema "
                    f"{v['nbformat_validator_fastjsonschema_s']:.2f} s",
                    flush=True,
                )
            if not args.skip_report_memory:
                m = results["report_memory"] = bench_report_memory(data / "params.yaml", tmp)
                print(
                    f"5. full report at this size: {m['report_s']:.0f} s, peak RSS of the process tree "
                    f"{m['peak_tree_mib']:.0f} MiB",
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
