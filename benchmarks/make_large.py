"""A large supplier for the scale benchmarks: 100,000 customers, 10 million invoice lines, 5 years.

The customers, CRM activities, market and assessments come from the sample
generator (``smartacct_helpers.sample.generate``) at the requested size, so the
customer base is skewed like a real one (a few key accounts with thousands of
lines, a long tail of small customers). The generator writes about 50 lines
per customer over five years; to reach the requested number of lines, lines
drawn at random (so large customers get more, keeping the skew) are split in
two lines of the same order, the revenue, margin, discount and rebate shared
between them at random, the second line in a random product group. The facts
per customer, year and window are therefore those of the generated data;
only the number of lines grows.

Writes into ``--out``: ``orders.parquet`` (German headers, as the sample),
``orders.csv`` (the same lines as a plain comma CSV with ISO dates),
``customers.csv``, ``activities.csv``, ``market.csv``, ``assessments.csv``,
``params.yaml`` (reading the Parquet file) and ``params_csv.yaml`` (the CSV).

Usage::

    .venv/bin/python benchmarks/make_large.py --out /tmp/smartacct-large
    .venv/bin/python benchmarks/make_large.py --customers 2000 --lines 150000 --out /tmp/small  # quick
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def make_large(
    out: str | Path, customers: int = 100_000, lines: int = 10_000_000, years: int = 5, seed: int = 42
) -> dict[str, Path]:
    """Write the large supplier into ``out``; returns the paths of the params files and the orders files."""
    import duckdb

    from smartacct_helpers.sample.write import ORDER_COLUMNS, write_sample

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_sample(out, customers=customers, years=years, seed=seed)
    orders = pq.read_table(out / "orders.parquet")
    rng = np.random.default_rng(seed + 1)
    n = orders.num_rows
    if lines < n:
        keep = np.sort(rng.choice(n, lines, replace=False))
        orders = orders.take(pa.array(keep))
    while orders.num_rows < lines:
        orders = _split_lines(orders, min(lines - orders.num_rows, orders.num_rows), rng, ORDER_COLUMNS)
    date, order_id = ORDER_COLUMNS["date"], ORDER_COLUMNS["order_id"]
    orders = orders.take(pc.sort_indices(orders, [(date, "ascending"), (order_id, "ascending")]))
    pq.write_table(orders, out / "orders.parquet", row_group_size=1_000_000)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_parquet('{out / 'orders.parquet'}')) TO '{out / 'orders.csv'}' "
        "(HEADER, DELIMITER ',', DATEFORMAT '%Y-%m-%d')"
    )
    params = (out / "params.yaml").read_text()
    (out / "params_csv.yaml").write_text(params.replace("orders: orders.parquet", "orders: orders.csv", 1))
    return {
        "params": out / "params.yaml",
        "params_csv": out / "params_csv.yaml",
        "parquet": out / "orders.parquet",
        "csv": out / "orders.csv",
    }


def _split_lines(orders: pa.Table, extra: int, rng: np.random.Generator, names: dict[str, str]) -> pa.Table:
    """``extra`` distinct lines, drawn at random, each split in two lines of the same order."""
    n = orders.num_rows
    chosen = np.sort(rng.choice(n, extra, replace=False))
    share = rng.uniform(0.2, 0.8, extra)
    keep = np.ones(n)
    keep[chosen] = 1 - share
    money = {names[c] for c in ("revenue", "contribution_margin", "discount", "rebate")} & set(orders.column_names)
    first, second = {}, {}
    copies = orders.take(pa.array(chosen))
    for name in orders.column_names:
        if name in money:
            base = orders.column(name).to_numpy(zero_copy_only=False).astype("float64")
            first[name] = pa.array(np.round(base * keep, 2))
            second[name] = pa.array(np.round(base[chosen] - np.round(base[chosen] * (1 - share), 2), 2))
        else:
            first[name], second[name] = orders.column(name), copies.column(name)
    group = names.get("product_group")
    if group in orders.column_names:
        groups = pc.unique(orders.column(group)).to_pylist()
        second[group] = pa.array(rng.choice(np.array(groups, dtype=object), extra), orders.schema.field(group).type)
    first = pa.table(first)
    return pa.concat_tables([first, pa.table(second).cast(first.schema)])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = make_large(args.out, args.customers, args.lines, args.years, args.seed)
    rows = pq.ParquetFile(paths["parquet"]).metadata.num_rows
    print(f"{rows:,} invoice lines of {args.customers:,} customers in {args.out} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
