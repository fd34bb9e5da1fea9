"""The same workbook on a PostgreSQL database as on the files it was loaded from."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import traceback
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smartacct_helpers.data_overview.findings import data_overview, data_quality
from smartacct_helpers.delivery.cli import main
from smartacct_helpers.delivery.summary import key_figures
from smartacct_helpers.exceptions import ParamsError
from smartacct_helpers.facts.quality import line_counts
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.params import load_params
from tests.delivery.test_report import CONTRACT_KEYS

from .conftest import PASSWORD, _free_port, load_frame, read_only_user


@pytest.fixture(scope="module")
def loaded(postgres, small_sample, tmp_path_factory):
    """The small sample in PostgreSQL, with params for the files and for the database."""
    file_params = load_params(small_sample)
    wb = Workbook.open(small_sample)
    # the invoice lines go in as the ERP holds them: the export's German column names and types
    load_frame(postgres, "rechnungszeilen", pd.read_parquet(file_params.path(file_params.data.orders)))
    load_frame(postgres, "kunden", wb.tables.customers)
    load_frame(postgres, "aktivitaeten", wb.tables.activities)
    if wb.tables.market is not None:
        load_frame(postgres, "markt", wb.tables.market)
    raw = yaml.safe_load(Path(small_sample).read_text())
    raw["data"] = {
        "database": read_only_user(postgres).url,  # reads the tables and nothing more
        "orders": "rechnungszeilen",
        "customers": "kunden",
        "activities": "aktivitaeten",
        **({"market": "markt"} if wb.tables.market is not None else {}),
        "columns": {"orders": raw["data"]["columns"]["orders"]},
    }
    folder = tmp_path_factory.mktemp("db-params")
    db_params = folder / "params.yaml"
    db_params.write_text(yaml.safe_dump(raw, sort_keys=False))
    return small_sample, db_params, wb


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("SMARTACCT_DB_PASSWORD", PASSWORD)
    return PASSWORD


def _same(a, b, key):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), key
        for k in a:
            _same(a[k], b[k], f"{key}.{k}")
    elif isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        assert math.isnan(b), key
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert b == pytest.approx(a, rel=1e-9, abs=1e-6), key
    else:
        assert a == b, key


def test_key_figures_from_the_table_equal_those_from_the_file(loaded, password):
    file_params, db_params, file_wb = loaded
    db_wb = Workbook.open(db_params)
    # the facts came back; the invoice lines did not
    assert not db_wb.tables.is_read("orders")
    assert db_wb.reference_date == file_wb.reference_date
    pd.testing.assert_frame_equal(db_wb.customers, file_wb.customers, check_dtype=False, check_like=True)
    pd.testing.assert_frame_equal(db_wb.yearly, file_wb.yearly, check_dtype=False)
    a = key_figures(file_wb)
    b = key_figures(db_wb)
    assert set(CONTRACT_KEYS) <= a.keys()  # the key figures docs/summary-json.md promises
    # every key, also those of the analyses of single orders: they ran in the database, on its order totals
    _same(a, b, "summary")
    assert not db_wb.tables.is_read("orders")


def test_anonymised_key_figures_from_the_table_equal_those_from_the_file(loaded, password):
    file_params, db_params, file_wb = loaded
    db_wb = Workbook.open(db_params, {"anonymise": True})
    # aliased ids: no customer number of the database shows
    assert not set(db_wb.customers["customer_id"]) & set(file_wb.customers["customer_id"])
    # the figures do not depend on the ids, so they equal those of the files as they are
    _same(key_figures(file_wb), key_figures(db_wb), "summary")


def test_a_scheduled_report_runs_on_the_database(loaded, password, two_notebooks, tmp_path):
    from smartacct_helpers.delivery.report import build_report
    from smartacct_helpers.delivery.summary import write_summary

    _, db_params, file_wb = loaded
    folder = build_report(db_params, tmp_path / "reports", notebooks_dir=two_notebooks)
    # summary.json as the files give it, written the same way (NaN as null); a first report compares with nothing
    first = {**key_figures(file_wb), "previous_reference_date": None, "changes": []}
    expected = json.loads(write_summary(first, tmp_path / "expected.json").read_text())
    _same(expected, json.loads((folder / "summary.json").read_text()), "summary.json")
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == sorted(p.name for p in two_notebooks.iterdir())
    # the report, its notebooks, exports and the run log never hold the password
    written = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written)
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_the_order_totals_are_a_temporary_table_with_its_statistics(loaded, password):
    _, db_params, file_wb = loaded
    db_wb = Workbook.open(db_params)
    # the totals of every line are kept; the analyses read those with a customer id (here: all of them)
    name = db_wb.tables.source.kept.get_name()
    cursor = db_wb.connection.raw_sql(
        f"SELECT c.relpersistence, c.reltuples FROM pg_class c WHERE c.relname = '{name}'"
    )
    persistence, rows = cursor.fetchone()
    cursor.close()
    assert persistence == "t"  # temporary: gone with the session, which a read-only analyst may create
    # ANALYZE has run: the planner knows the table's rows (-1 before), one per order of the files' totals
    assert rows == file_wb.order_totals.count().to_pyarrow().as_py()


def test_a_report_kernel_opens_the_snapshot_and_sums_the_lines_only_when_asked(loaded, password, tmp_path, monkeypatch):
    from smartacct_helpers.facts.workbook import SNAPSHOT

    _, db_params, file_wb = loaded
    wb = Workbook.open(db_params)
    folder = wb.save_snapshot(tmp_path / "snapshot")
    # the customer-level tables and facts only: no invoice lines or order totals left the database
    assert sorted(p.name for p in folder.iterdir()) == ["workbook.pickle"]
    assert PASSWORD.encode() not in (folder / "workbook.pickle").read_bytes()
    monkeypatch.setenv(SNAPSHOT, str(folder))
    kernel = Workbook.open(db_params)
    # the facts came from the snapshot: the kernel has not summed the lines (Workbook.from_engine would have)
    assert "order_totals" not in kernel._memo
    pd.testing.assert_frame_equal(kernel.customers, wb.customers)
    pd.testing.assert_frame_equal(kernel.tables.customers, wb.tables.customers)
    # notebook 00's data overview and quality table come from the counts the snapshot kept, as the files give them
    pd.testing.assert_frame_equal(data_overview(kernel), data_overview(file_wb))
    pd.testing.assert_frame_equal(data_quality(kernel), data_quality(file_wb))
    assert "order_totals" not in kernel._memo
    # the analyses of single orders sum them in the database on first use, with the figures of the files
    _same(key_figures(file_wb), key_figures(kernel), "summary")
    assert "order_totals" in kernel._memo and not kernel.tables.is_read("orders")
    # anonymised ids are aliased in pandas: each kernel reads the database again
    assert Workbook.open(db_params, {"anonymise": True}).save_snapshot(tmp_path / "aliased") is None


def test_orders_come_back_summed_per_order(loaded, password):
    _, db_params, file_wb = loaded
    db_wb = Workbook.open(db_params)
    rows = db_wb.tables.orders
    lines = file_wb.tables.orders
    # one row per order (and day, channel): fewer rows, the same money, every line counted
    assert len(rows) < len(lines)
    assert rows["lines"].sum() == len(lines)
    assert rows["revenue"].sum() == pytest.approx(lines["revenue"].sum())
    by_customer = rows.groupby("customer_id")["revenue"].sum()
    expected = lines.groupby("customer_id")["revenue"].sum()
    pd.testing.assert_series_equal(by_customer.sort_index(), expected.sort_index(), check_dtype=False)
    # the data-quality counts from these rows are those of the lines, counted here with pandas
    counts = line_counts(db_wb.order_totals)
    assert counts["lines"] == len(lines)
    assert counts["credit_notes"] == int((lines["revenue"] < 0).sum()) > 0
    assert counts["no_margin"] == int(lines["contribution_margin"].isna().sum())
    assert counts["orders"] == lines["order_id"].nunique()


def test_activities_stay_in_the_database(loaded, password):
    from smartacct_helpers.data_overview.findings import data_overview
    from smartacct_helpers.key_accounts.analysis import key_account_value_analysis
    from smartacct_helpers.presentation.formatting import count

    _, db_params, file_wb = loaded
    db_wb = Workbook.open(db_params)
    value = key_account_value_analysis(db_wb)
    assert value["visits"].sum() > 0
    pd.testing.assert_frame_equal(value, key_account_value_analysis(file_wb), check_dtype=False)
    expected = count(len(file_wb.tables.activities), style=db_wb.params.number_format)
    assert data_overview(db_wb)["value"]["CRM activities"] == expected
    # filtered and counted there: the activities never came back whole
    assert not db_wb.tables.is_read("activities")


def test_facts_export_from_the_database_equals_the_file_route(loaded, password, tmp_path):
    file_params, db_params, _ = loaded
    assert main(["facts", "--params", str(file_params), "--out", str(tmp_path / "file.parquet")]) == 0
    assert main(["facts", "--params", str(db_params), "--out", str(tmp_path / "db.parquet")]) == 0
    a = pd.read_parquet(tmp_path / "file.parquet")
    b = pd.read_parquet(tmp_path / "db.parquet")
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def _everything_said(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def test_the_password_never_appears(loaded, password, tmp_path, capsys, caplog):
    """A recognisable password, planted in the environment, is nowhere in what smartacct writes or raises."""
    _, db_params, _ = loaded
    seen = []
    # a whole run as a separate process: its output and the files it writes
    out = tmp_path / "facts.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "smartacct_helpers", "facts", "--params", str(db_params), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    seen += [proc.stdout, proc.stderr, out.read_text()]
    proc = subprocess.run(
        [sys.executable, "-m", "smartacct_helpers", "validate", "--params", str(db_params)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    seen += [proc.stdout, proc.stderr]
    # in-process: the workbook, its summary, everything logged
    wb = Workbook.open(db_params)
    seen += [repr(wb), repr(wb.params), str(key_figures(wb)), repr(wb.tables.files)]
    # a failed connection: the wrong password is itself a secret and must not come back
    wrong = "Wrong-Canary-41b7-Xy"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMARTACCT_DB_PASSWORD", wrong)
        with pytest.raises(ParamsError) as failed:
            Workbook.open(db_params)
        seen.append(_everything_said(failed.value))
        assert "data.database" in str(failed.value)
        assert wrong not in _everything_said(failed.value)
        assert main(["facts", "--params", str(db_params), "--out", str(tmp_path / "x.parquet")]) == 2
    # a password written into the URL is refused without being repeated
    raw = yaml.safe_load(db_params.read_text())
    raw["data"]["database"] = raw["data"]["database"].replace("analyst@", f"analyst:{PASSWORD}@")
    assert PASSWORD in raw["data"]["database"]
    leaky = tmp_path / "leaky.yaml"
    leaky.write_text(yaml.safe_dump(raw))
    with pytest.raises(ParamsError) as refused:
        Workbook.open(leaky)
    seen.append(_everything_said(refused.value))
    assert "SMARTACCT_DB_PASSWORD" in str(refused.value)
    captured = capsys.readouterr()
    seen += [captured.out, captured.err, caplog.text]
    for text in seen:
        assert PASSWORD not in text
        assert wrong not in text


def test_ids_and_channels_are_trimmed_of_white_space_in_the_database(postgres, password, tmp_path):
    from smartacct_helpers.intake.database import open_source

    # blanks, tabs and line breaks around the values, as hand-kept ERP fields have them
    lines = pd.DataFrame(
        {
            "customer_id": [" 7", "7\t", "\n8 "],
            "date": pd.to_datetime(["2025-01-02"] * 3),
            "revenue": [10.0, 5.0, 2.0],
            "channel": [" Field", "field\r\n", "\tWeb Shop "],
        }
    )
    load_frame(postgres, "zeilen_mit_leerraum", lines)
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"data": {"database": postgres.url, "orders": "zeilen_mit_leerraum"}}))
    got = open_source(load_params(params)).orders.to_pandas().sort_values("revenue", ascending=False)
    assert got["customer_id"].tolist() == ["7", "7", "8"]
    assert got["channel"].tolist() == ["field", "field", "web shop"]


def test_a_nan_amount_in_the_database_counts_as_missing_as_in_a_file(postgres, password, tmp_path):
    import psycopg

    from smartacct_helpers.facts.orders import order_totals
    from smartacct_helpers.intake.database import open_source

    lines = pd.DataFrame(
        {
            "customer_id": ["7", "7", "7", "8"],
            "order_id": ["a", "a", "b", "c"],
            "date": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-03", "2025-01-03"]),
            "revenue": [100.0, 50.0, -1.0, 40.0],
            "contribution_margin": [30.0, -1.0, 10.0, -1.0],
        }
    )
    load_frame(postgres, "zeilen_mit_nan", lines)
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:  # -1 marks the NaN a double precision holds
        conn.execute("UPDATE zeilen_mit_nan SET revenue = 'NaN' WHERE revenue = -1")
        conn.execute("UPDATE zeilen_mit_nan SET contribution_margin = 'NaN' WHERE contribution_margin = -1")
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"data": {"database": postgres.url, "orders": "zeilen_mit_nan"}}))
    totals = (
        order_totals(open_source(load_params(params)).orders).to_pandas().groupby("customer_id").sum(numeric_only=True)
    )
    # customer 7: revenue 100 + 50 (the NaN line adds nothing), margin 30 + 10; the line of 50 has no margin
    assert totals.loc["7", "revenue"] == 150.0
    assert totals.loc["7", "contribution_margin"] == 40.0
    assert totals.loc["7", "lines_without_margin"] == 1
    assert totals.loc["7", "revenue_without_margin"] == 50.0
    # customer 8: its one line has revenue 40 and no margin
    assert totals.loc["8", "lines_without_margin"] == 1
    assert totals.loc["8", "revenue_without_margin"] == 40.0


def test_a_missing_table_names_the_params_key(loaded, password, tmp_path):
    _, db_params, _ = loaded
    raw = yaml.safe_load(db_params.read_text())
    raw["data"]["orders"] = "no_such_table"
    bad = tmp_path / "params.yaml"
    bad.write_text(yaml.safe_dump(raw))
    with pytest.raises(ParamsError, match=r"data\.orders: table 'no_such_table'"):
        Workbook.open(bad)


def test_an_unreachable_database_is_a_params_error_with_exit_code_2(tmp_path, monkeypatch, capsys):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("SMARTACCT_DB_PASSWORD", PASSWORD)
    port = _free_port()  # nothing listens here
    params = tmp_path / "params.yaml"
    params.write_text(
        yaml.safe_dump({"data": {"database": f"postgres://anna@127.0.0.1:{port}/erp", "orders": "invoice_lines"}})
    )
    assert main(["facts", "--params", str(params), "--out", str(tmp_path / "f.parquet")]) == 2
    err = capsys.readouterr().err
    assert "data.database" in err
    assert f"127.0.0.1:{port}" in err
    assert PASSWORD not in err
    assert not (tmp_path / "f.parquet").exists()
