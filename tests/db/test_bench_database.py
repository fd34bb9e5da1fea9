"""The database benchmark still runs (tiny size, on the test server); its timings are never asserted."""

from __future__ import annotations

from dataclasses import replace

from tests.test_benchmarks import _load

from .conftest import PASSWORD


def test_the_database_benchmark_runs_at_a_tiny_size(postgres, tmp_path, monkeypatch):
    import psycopg

    monkeypatch.setenv("SMARTACCT_DB_PASSWORD", PASSWORD)
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:  # its own database: the tables keep their names
        conn.execute("DROP DATABASE IF EXISTS bench")
        conn.execute("CREATE DATABASE bench")
    data = tmp_path / "data"
    _load("make_large").make_large(data, customers=150, lines=8_000, years=3, seed=3)
    bench = _load("bench_database")
    results = bench.main(
        [
            "--data",
            str(data),
            "--url",
            replace(postgres, database="bench").url,
            "--json",
            str(tmp_path / "results.json"),
        ]
    )
    # every line went in, and both routes gave the same key figures (checked inside) for every customer
    assert results["load"]["lines"] == 8_000
    assert results["files"]["customers"] == results["database"]["customers"] == 150
    assert results["database"]["peak_mib"] > 0 and (tmp_path / "results.json").exists()
