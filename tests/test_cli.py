"""The command line: exit codes 0 / 2 / 1 and what each command writes."""
import subprocess

import pandas as pd
import pytest

from smartacct_helpers.cli import main
from tests.conftest import ROOT, SAMPLE_PARAMS


def test_validate_sample(capsys):
    assert main(["validate", "--params", str(SAMPLE_PARAMS)]) == 0
    out = capsys.readouterr().out
    assert "orders" in out and "Reference date: 2025-12-31" in out


def test_bad_data_exits_2_naming_file_row_and_column(tmp_path, capsys):
    (tmp_path / "orders.csv").write_text("customer_id;date;revenue\n001;01.02.2025;12,50\n002;31.02.2025;abc\n",
                                         encoding="utf-8")
    (tmp_path / "params.yaml").write_text("data: {orders: orders.csv}\n")
    before = (tmp_path / "orders.csv").read_bytes()
    assert main(["validate", "--params", str(tmp_path / "params.yaml")]) == 2
    err = capsys.readouterr().err
    # line 3 of the file holds both faults: 31 February is no date, "abc" no number
    assert "orders.csv, row 3, column 'date'" in err
    assert "orders.csv, row 3, column 'revenue'" in err
    assert (tmp_path / "orders.csv").read_bytes() == before


def test_bad_params_exit_2(tmp_path, capsys):
    (tmp_path / "params.yaml").write_text("data: {orders: o.csv}\nassumptions: {visits_per_day: -1}\n")
    assert main(["report", "--params", str(tmp_path / "params.yaml"), "--out", str(tmp_path / "r")]) == 2
    assert "assumptions.visits_per_day" in capsys.readouterr().err
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").rglob("report.html"))


def test_facts_export(small_sample, tmp_path):
    out = tmp_path / "facts.parquet"
    assert main(["facts", "--params", str(small_sample), "--out", str(out)]) == 0
    facts = pd.read_parquet(out)
    assert {"customer_id", "year", "revenue", "orders", "lines", "first_order", "last_order", "revenue_12m",
            "last_field_visit", "visits_12m"} <= set(facts.columns)
    # one row per customer and year
    assert not facts.duplicated(["customer_id", "year"]).any()
    csv = tmp_path / "facts.csv"
    assert main(["facts", "--params", str(small_sample), "--out", str(csv)]) == 0
    assert len(pd.read_csv(csv, dtype={"customer_id": str})) == len(facts)
    assert main(["facts", "--params", str(small_sample), "--out", str(tmp_path / "facts.txt")]) == 2


def test_sample_command(tmp_path):
    assert main(["sample", "--customers", "120", "--years", "2", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "params.yaml").exists() and (tmp_path / "orders.parquet").exists()


def test_console_script_exit_code(tmp_path):
    (tmp_path / "params.yaml").write_text("data: {orders: missing.csv}\n")
    exe = ROOT / ".venv" / "bin" / "smartacct"
    if not exe.exists():
        pytest.skip("the console script is installed by `make test`")
    done = subprocess.run([str(exe), "validate", "--params", str(tmp_path / "params.yaml")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "missing.csv" in done.stderr
