"""The whole analysis on PostgreSQL against the same data as files: time and peak memory of each.

Loads the data set of ``make_large.py`` into a PostgreSQL database you may
write to (the invoice lines as the ERP export has them, German column names
and all; the customer master and CRM activities as the full reader reads
them), then opens the workbook and computes every key figure of
``summary.json``, each route in its own process: from the Parquet file and
from the database. On the database the invoice lines are summed into order
totals there and every analysis queries them there, so the process should
hold little more than the customer-level rows.

Usage::

    export SMARTACCT_DB_PASSWORD='...'
    .venv/bin/python benchmarks/bench_database.py --data /tmp/smartacct-large \\
        --url postgres://analyst@127.0.0.1:5432/erp --json results_db.json

``--keep`` skips the loading when the tables are already there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scale import process  # noqa: E402

TABLES = {"orders": "rechnungszeilen", "customers": "kunden", "activities": "aktivitaeten", "market": "markt"}
_SQL_TYPES = {"b": "boolean", "i": "bigint", "u": "bigint", "f": "double precision", "M": "timestamp"}


def _conninfo(url: str) -> str:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    return (
        f"host={u.hostname} port={u.port or 5432} user={u.username} dbname={u.path.strip('/')} "
        f"password={os.environ.get('SMARTACCT_DB_PASSWORD', '')}"
    )


def _copy_frame(conn, name: str, frame) -> None:
    """Table ``name`` with the frame's columns, typed, and its rows (COPY of a CSV text)."""
    import io

    import pandas as pd

    columns = []
    for column, dtype in frame.dtypes.items():
        kind = "i" if isinstance(dtype, pd.Int64Dtype) else "b" if isinstance(dtype, pd.BooleanDtype) else dtype.kind
        columns.append(f'"{column}" {_SQL_TYPES.get(kind, "text")}')
    conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    conn.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
    text = io.StringIO()
    frame.to_csv(text, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
    with conn.cursor().copy(f'COPY "{name}" FROM STDIN (FORMAT csv)') as copy:
        copy.write(text.getvalue())


def load(data: Path, url: str) -> dict:
    """The data set into the database at ``url``; seconds taken and lines loaded."""
    import psycopg

    from smartacct_helpers.intake.tables import load_tables
    from smartacct_helpers.params import load_params

    t = time.perf_counter()
    tables = load_tables(load_params(data / "params.yaml"), lines=False)
    orders = data / "orders.csv"  # the Parquet file's lines, comma-separated, ISO dates
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {TABLES['orders']}")
        conn.execute(
            f'CREATE TABLE {TABLES["orders"]} ("Kundennummer" text, "Rechnungsdatum" date, '
            '"Belegnummer" text, "Umsatz" double precision, "Deckungsbeitrag" double precision, '
            '"Vertriebsweg" text, "Warengruppe" text, "Rabatt" double precision, "Bonus" double precision)'
        )
        with (
            conn.cursor().copy(f"COPY {TABLES['orders']} FROM STDIN (FORMAT csv, HEADER)") as copy,
            open(orders, "rb") as fh,
        ):
            while block := fh.read(1 << 22):
                copy.write(block)
        _copy_frame(conn, TABLES["customers"], tables.customers)
        _copy_frame(conn, TABLES["activities"], tables.activities)
        loaded = [TABLES["orders"], TABLES["customers"], TABLES["activities"]]
        if tables.market is not None:  # the market volumes, where the data has them (the year-one review's shares)
            _copy_frame(conn, TABLES["market"], tables.market)
            loaded.append(TABLES["market"])
        for name in loaded:
            conn.execute(f"ANALYZE {name}")
        lines = conn.execute(f"SELECT count(*) FROM {TABLES['orders']}").fetchone()[0]
    return {"load_s": time.perf_counter() - t, "lines": lines}


def database_params(data: Path, url: str, folder: Path) -> Path:
    """The params of ``data`` with the tables in the database at ``url``."""
    raw = yaml.safe_load((data / "params.yaml").read_text())
    tables = {k: v for k, v in TABLES.items() if k != "market" or raw["data"].get("market")}
    raw["data"] = {"database": url, **tables, "columns": {"orders": raw["data"]["columns"]["orders"]}}
    path = folder / "params_db.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def analysis(params_file: Path, tmp: Path) -> dict:
    """Open and every key figure, in a process of its own (``bench_scale.py --analysis-only``)."""
    out = tmp / f"{params_file.stem}.json"
    wall, peak = process(
        [
            sys.executable,
            str(HERE / "bench_scale.py"),
            "--analysis-only",
            str(params_file),
            "--runs",
            "1",
            "--no-sliders",
            "--json",
            str(out),
        ]
    )
    return json.loads(out.read_text()) | {"process_s": wall, "peak_mib": peak}


def same_figures(files: dict, database: dict, key: str = "summary") -> None:
    """Stop unless both routes gave the same key figures (numbers to 1e-9)."""
    import math

    if isinstance(files, dict):
        if files.keys() != database.keys():
            raise AssertionError(f"{key}: other keys from the database")
        for k in files:
            same_figures(files[k], database[k], f"{key}.{k}")
    elif isinstance(files, float) and isinstance(database, (int, float)):
        if not (
            math.isclose(files, database, rel_tol=1e-9, abs_tol=1e-6) or math.isnan(files) and math.isnan(database)
        ):
            raise AssertionError(f"{key}: {files} from the files, {database} from the database")
    elif files != database:
        raise AssertionError(f"{key}: {files!r} from the files, {database!r} from the database")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/tmp/smartacct-large", help="folder of make_large.py's data set")
    parser.add_argument(
        "--url", required=True, help="postgres://USER@HOST:PORT/DATABASE (password: SMARTACCT_DB_PASSWORD)"
    )
    parser.add_argument("--keep", action="store_true", help="the tables are loaded already")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args(argv)
    data = Path(args.data)
    results: dict = {"data": str(data)}
    if not args.keep:
        results["load"] = load(data, args.url)
        print(f"loaded {results['load']['lines']:,} lines in {results['load']['load_s']:.0f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="smartacct-bench-db-") as tmp:
        tmp = Path(tmp)
        for route, params_file in (("files", data / "params.yaml"), ("database", database_params(data, args.url, tmp))):
            r = results[route] = analysis(params_file, tmp)
            print(
                f"{route:<9} open {r['open_s']:.1f} s + key figures {r['key_figures_s']:.1f} s = "
                f"{r['analysis_s']:.1f} s (first run {r['first_run_s']:.1f} s); process {r['process_s']:.1f} s, "
                f"peak {r['peak_mib']:.0f} MiB",
                flush=True,
            )
    same_figures(results["files"].pop("summary"), results["database"].pop("summary"))
    results["memory_database_over_files"] = results["database"]["peak_mib"] / results["files"]["peak_mib"]
    print(f"peak memory, database / files: {results['memory_database_over_files']:.2f}x", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
