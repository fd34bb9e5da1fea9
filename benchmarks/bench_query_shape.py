"""What reshaping the analyses' queries could give: fewer statements, integer customer keys.

The whole analysis spends most of its time inside DuckDB in queries of
one shape: the order totals (``facts/orders.py::kept_order_totals``)
summed per customer, over windows of months, with filters. This script
times that shape on the order totals of the large data set, side by side
with the facts floor of ``bench_scale.py``, in three forms:

1. one window of 12 months per customer (eight figures: revenue, margin,
   discount, orders, lines, credit lines, order days, last order);
2. five such windows (the five years of the data) as five statements; as
   one statement with every figure filtered to its window (``FILTER
   (WHERE ...)``, as the analyses write them now); and as one statement
   that groups by customer and window, so that each order total is summed
   into the one window it falls in;
3. both with the customer id as the text it is in the data and as an
   integer key (the customer's number among the sorted ids, joined on once
   when the totals are made; the cost of that join is timed too).

4. the five windows counted by NumPy instead of DuckDB: the order totals
   fetched once into arrays (sorted by customer and day, the ids made
   integer codes on the way; the fetch is timed with the counting), each
   figure then one ``bincount`` per window; what an analysis working on
   arrays after the totals would do.

Beside them, the buying rhythm's two forms, with text ids and with the
integer key: a window that numbers each customer's order days and gives
the gap to the day before (how ``early_warning/rhythm.py`` asked until
7 December 2026), and one sorted list of order days per customer (how it
asks now; NumPy counts the rhythm on the lists).

Each form answers the same rows (checked); the times are medians of
``--runs``, the forms taken in turn. Usage::

    .venv/bin/python benchmarks/bench_query_shape.py --data /tmp/smartacct-large [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import median, run_floor  # noqa: E402

#: the figures of one window of months per customer, as the analyses ask for them
FIGURES = (
    "round_money(sum(revenue) FILTER (WHERE {w})) AS revenue_{k}",
    "round_money(sum(contribution_margin) FILTER (WHERE {w})) AS margin_{k}",
    "round_money(sum(discount) FILTER (WHERE {w})) AS discount_{k}",
    "count(order_id) FILTER (WHERE {w}) AS orders_{k}",
    "sum(lines) FILTER (WHERE {w}) AS lines_{k}",
    "sum(credit_lines) FILTER (WHERE {w}) AS credit_lines_{k}",
    "count(DISTINCT date) FILTER (WHERE {w} AND top > 0) AS order_days_{k}",
    "max(date) FILTER (WHERE {w}) AS last_order_{k}",
)


def windows(last_year: int, years: int) -> list[str]:
    """The conditions of ``years`` calendar years up to ``last_year``, the latest first."""
    return [
        f"date > DATE '{y - 1}-12-31' AND date <= DATE '{y}-12-31'" for y in range(last_year, last_year - years, -1)
    ]


def per_customer(key: str, table: str, conditions: list[str]) -> str:
    """One statement: the figures of every window in ``conditions``, per ``key``."""
    figures = ", ".join(f.format(w=w, k=k) for k, w in enumerate(conditions) for f in FIGURES)
    return f"SELECT {key}, {figures} FROM {table} GROUP BY {key}"


def rhythm_window(key: str, table: str) -> str:
    """The buying rhythm's window: order days numbered per customer, with the gap in days to the one before."""
    return f"""SELECT {key}, date, dense_rank() OVER w AS i, date_diff('day', lag(date) OVER w, date) AS gap
               FROM {table} WHERE top > 0 WINDOW w AS (PARTITION BY {key} ORDER BY date)"""


def rhythm_lists(key: str, table: str) -> str:
    """The buying rhythm's lists: each customer's days of lines with revenue above zero, sorted."""
    return f"SELECT {key}, list_sort(array_agg(date) FILTER (WHERE top > 0)) AS days FROM {table} GROUP BY {key}"


def by_window(key: str, table: str, conditions: list[str]) -> str:
    """One statement: the figures per ``key`` and window, each line summed once into the window it falls in."""
    figures = ", ".join(f.format(w="true", k=0) for f in FIGURES)
    window = "CASE " + " ".join(f"WHEN {w} THEN {k}" for k, w in enumerate(conditions)) + " END"
    return f"""SELECT {key}, window_no, {figures}
               FROM (SELECT *, {window} AS window_no FROM {table}) WHERE window_no IS NOT NULL GROUP BY {key}, window_no"""


def fetched_totals(con) -> dict:
    """The order totals as NumPy arrays, sorted by customer and day; the ids as integer codes (``code``)."""
    import numpy as np
    import pyarrow.compute as pc

    t = con.sql(
        """SELECT customer_id, date_diff('day', DATE '1970-01-01', date) AS day, revenue, contribution_margin, discount,
                  order_id IS NOT NULL AS has_order, lines, credit_lines, top > 0 AS bought
           FROM order_totals WHERE customer_id IS NOT NULL ORDER BY customer_id, date"""
    ).to_arrow_table()
    codes = pc.dictionary_encode(t["customer_id"].combine_chunks())
    arrays = {c: t[c].combine_chunks().to_numpy(zero_copy_only=False) for c in t.column_names[1:]}
    arrays["code"] = codes.indices.to_numpy(zero_copy_only=False).astype(np.intp)
    arrays["customers"] = len(codes.dictionary)
    for money in ("revenue", "contribution_margin", "discount"):  # a missing amount adds nothing
        arrays[money] = np.nan_to_num(arrays[money].astype("float64"))
    # each customer's first total with revenue above zero on a day: its order days (a window holds whole days)
    bought = np.flatnonzero(arrays["bought"])
    first = np.r_[True, (np.diff(arrays["code"][bought]) != 0) | (np.diff(arrays["day"][bought]) != 0)]
    arrays["order_day"] = np.zeros(len(arrays["day"]), dtype=bool)
    arrays["order_day"][bought[first]] = True
    return arrays


def numpy_windows(con, last_year: int, years: int) -> list[dict]:
    """The eight figures of each calendar-year window per customer, counted by NumPy on the fetched totals."""
    import datetime as dt

    import numpy as np

    a = fetched_totals(con)
    n, code, day = a["customers"], a["code"], a["day"]
    epoch = dt.date(1970, 1, 1)
    out = []
    for y in range(last_year, last_year - years, -1):
        lo, hi = (dt.date(y - 1, 12, 31) - epoch).days, (dt.date(y, 12, 31) - epoch).days
        m = (day > lo) & (day <= hi)
        c = code[m]
        figures = {f: np.round(np.bincount(c, a[f][m], n), 6) for f in ("revenue", "contribution_margin", "discount")}
        figures |= {f: np.bincount(c, a[f][m], n) for f in ("lines", "credit_lines")}
        figures["orders"] = np.bincount(c[a["has_order"][m]], minlength=n)
        figures["order_days"] = np.bincount(code[m & a["order_day"]], minlength=n)
        last = np.full(n, np.iinfo(np.int32).min)
        last[c] = day[m]  # sorted by day within each customer: the last write is the last order
        figures["last_order"] = last
        out.append(figures)
    return out


def numpy_answer(windows: list[dict]) -> tuple:
    """What :func:`answer` gives of the five windows, from :func:`numpy_windows`."""
    revenue = round(float(sum(w["revenue"].sum() for w in windows)), 2)
    return revenue, int(sum(w["orders"].sum() for w in windows)), int(sum(w["order_days"].sum() for w in windows))


def answer(con, sqls: list[str]) -> tuple:
    """The totals of revenue, orders and order days over every window (or the rhythm's days of lines).

    What shows that two forms of the same question answered the same.
    """
    totals = [0.0, 0, 0]
    for sql in sqls:
        cols = [r[0] for r in con.sql(f"DESCRIBE ({sql})").fetchall()]
        if "gap" in cols:
            return con.sql(f"SELECT count(*) FROM ({sql})").fetchone()
        if "days" in cols:
            return con.sql(f"SELECT sum(len(days)) FROM ({sql})").fetchone()
        for n, prefix in enumerate(("revenue_", "orders_", "order_days_")):
            summed = " + ".join(f"coalesce(sum({c}), 0)" for c in cols if c.startswith(prefix))
            totals[n] += con.sql(f"SELECT {summed} FROM ({sql})").fetchone()[0]
    return round(totals[0], 2), totals[1], totals[2]


def measure(params_file: Path, runs: int) -> dict:
    """Every form of the query shape and the floor, medians of ``runs`` in turn; seconds and ratios to the floor."""
    from smartacct_helpers.facts.workbook import Workbook

    wb = Workbook.open(params_file)
    con = wb.order_totals._find_backend().con
    con.sql("CREATE MACRO round_money(x) AS floor(x * 1e6 + 0.5) / 1e6")
    last_year = wb.reference_date.year
    t = time.perf_counter()
    con.sql("""CREATE TEMP TABLE customer_numbers AS
               SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) AS INTEGER) AS customer_no
               FROM (SELECT DISTINCT customer_id FROM order_totals WHERE customer_id IS NOT NULL)""")
    con.sql("""CREATE TEMP TABLE numbered_totals AS
               SELECT n.customer_no, o.* EXCLUDE (customer_id) FROM order_totals o JOIN customer_numbers n USING (customer_id)""")
    key_cost = time.perf_counter() - t

    one, five = windows(last_year, 1), windows(last_year, 5)
    forms = {}
    for key, table, label in (
        ("customer_id", "order_totals", "text ids"),
        ("customer_no", "numbered_totals", "integer key"),
    ):
        forms[f"one window, {label}"] = [per_customer(key, table, one)]
        forms[f"five windows in five statements, {label}"] = [per_customer(key, table, [w]) for w in five]
        forms[f"five windows in one statement, each figure filtered, {label}"] = [per_customer(key, table, five)]
        forms[f"five windows in one statement, grouped by window, {label}"] = [by_window(key, table, five)]
        forms[f"the rhythm as a window (before), {label}"] = [rhythm_window(key, table)]
        forms[f"the rhythm as sorted lists (now), {label}"] = [rhythm_lists(key, table)]
    answers = {name: answer(con, sqls) for name, sqls in forms.items()}
    by_numpy = "five windows counted by NumPy on the totals fetched once, text ids"
    answers[by_numpy] = numpy_answer(numpy_windows(con, last_year, 5))
    for label in ("text ids", "integer key"):  # both forms of the rhythm read the same days of lines
        if (
            answers[f"the rhythm as a window (before), {label}"]
            != answers[f"the rhythm as sorted lists (now), {label}"]
        ):
            raise AssertionError(f"the rhythm's forms read different lines ({label})")
    five_by_window = "five windows in one statement, grouped by window, text ids"
    for label in ("text ids", "integer key"):  # every form of the five windows answers the same
        same = {a for name, a in answers.items() if name.startswith("five") and name.endswith(label)}
        if len(same) != 1:
            raise AssertionError(f"the forms of five windows answer differently ({label}): {same}")
    for name, a in answers.items():  # and the integer key what the text ids answer
        if name.endswith("integer key") and a != answers[name.replace("integer key", "text ids")]:
            raise AssertionError(f"{name}: {a} differs from the text ids' answer")

    times: dict[str, list[float]] = {name: [] for name in ["floor", *forms, by_numpy]}
    with tempfile.TemporaryDirectory() as tmp:
        floor_out = Path(tmp) / "floor.parquet"
        for _ in range(runs):
            t = time.perf_counter()
            run_floor(params_file, floor_out)
            times["floor"].append(time.perf_counter() - t)
            for name, sqls in forms.items():
                t = time.perf_counter()
                for sql in sqls:
                    con.sql(sql).to_arrow_table()
                times[name].append(time.perf_counter() - t)
            t = time.perf_counter()
            numpy_windows(con, last_year, 5)
            times[by_numpy].append(time.perf_counter() - t)
    floor = median(times["floor"])
    rows = con.sql("SELECT count(*) FROM order_totals").fetchone()[0]
    return {
        "order_totals": rows,
        "runs": runs,
        "last_year": last_year,
        "five_windows": dict(zip(("revenue", "orders", "order_days"), answers[five_by_window], strict=True)),
        "integer_key_s": key_cost,
        "integer_key_x": key_cost / floor,
        "seconds": {name: median(values) for name, values in times.items()},
        "x_floor": {name: median(values) / floor for name, values in times.items()},
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/tmp/smartacct-large", help="folder of the large data set (make_large.py)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per form (the median is kept)")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args(argv)
    results = measure(Path(args.data) / "params.yaml", args.runs)
    print(f"{results['order_totals']:,} order totals; medians of {results['runs']} runs; x: times the facts floor")
    for name, seconds in results["seconds"].items():
        print(f"  {name:68s} {seconds:7.3f} s  {results['x_floor'][name]:5.2f}x")
    print(
        f"  {'making the integer key (once)':68s} {results['integer_key_s']:7.3f} s  {results['integer_key_x']:5.2f}x"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
