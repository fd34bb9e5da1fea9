"""The Excel exports at scale: one customer table written by smartacct and by XlsxWriter cell by cell.

The table is every classified customer (``classify(workbook)``, all its
columns), as the customer lists of the report are. Ours is
:func:`smartacct_helpers.delivery.exports.write_xlsx` (rustpy-xlsxwriter, from
Arrow); the reference is XlsxWriter in its constant-memory mode writing the
same cells one by one from Python, the way the exports were written before.
Both run in this process, one after the other, ``--runs`` times each; the
medians and their ratio are printed.

    .venv/bin/python benchmarks/bench_exports.py --params /tmp/smartacct-large/params.yaml --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from smartacct_helpers.small_customers.analysis import classify

ROOT = Path(__file__).resolve().parent.parent


def cell_by_cell(df, path: Path) -> None:
    """The reference: XlsxWriter writing each cell from Python."""
    import xlsxwriter

    from smartacct_helpers.delivery.exports import _write_sheet

    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        _write_sheet(book, "customers", df)
    finally:
        book.close()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", default="/tmp/smartacct-large/params.yaml", help="the params of the data set")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per writer (the median is kept)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    from smartacct_helpers.delivery.exports import write_csv, write_xlsx
    from smartacct_helpers.facts.workbook import Workbook

    df = classify(Workbook.open(args.params))
    times: dict[str, list[float]] = {"ours": [], "cell_by_cell": [], "csv": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for name, write in (
                ("ours", lambda p: write_xlsx({"customers": df}, p)),
                ("cell_by_cell", lambda p: cell_by_cell(df, p)),
                ("csv", lambda p: write_csv(df, p.with_suffix(".csv"))),
            ):
                start = time.perf_counter()
                write(Path(tmp) / f"{name}.xlsx")
                times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    result = {
        "rows": len(df),
        "columns": len(df.columns),
        "runs": args.runs,
        "median_s": medians,
        "cell_by_cell_over_ours": medians["cell_by_cell"] / medians["ours"],
    }
    print(
        f"{len(df):,} customers x {len(df.columns)} columns, median of {args.runs}: "
        f"ours {medians['ours']:.2f} s, XlsxWriter cell by cell {medians['cell_by_cell']:.2f} s "
        f"({result['cell_by_cell_over_ours']:.1f}x ours); the CSV beside it {medians['csv']:.2f} s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
