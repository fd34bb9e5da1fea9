"""The command line: exit codes 0 / 2 / 1 and what each command writes."""

import subprocess

import pandas as pd
import pytest

from smartacct_helpers.delivery.cli import main
from tests.conftest import SAMPLE_PARAMS, console_script


def test_validate_sample(capsys):
    assert main(["validate", "--params", str(SAMPLE_PARAMS)]) == 0
    out = capsys.readouterr().out
    assert "orders" in out and "Reference date: 2025-12-31" in out


def test_bad_data_exits_2_naming_file_row_and_column(tmp_path, capsys):
    (tmp_path / "orders.csv").write_text(
        "customer_id;date;revenue\n001;01.02.2025;12,50\n002;31.02.2025;abc\n", encoding="utf-8"
    )
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
    assert {
        "customer_id",
        "year",
        "revenue",
        "orders",
        "lines",
        "first_order",
        "last_order",
        "revenue_12m",
        "last_field_visit",
        "visits_12m",
    } <= set(facts.columns)
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
    done = subprocess.run(
        [console_script("smartacct"), "validate", "--params", str(tmp_path / "params.yaml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "missing.csv" in done.stderr


@pytest.mark.parametrize(
    "setting, line",
    [
        ("assumptions.workng_days=210", "error: assumptions.workng_days (set for this run): unknown key"),
        (
            "assumptions.max_sales_cost_ratio=lots",
            "error: assumptions.max_sales_cost_ratio (set for this run): Input should be a valid number",
        ),
        (
            "assumptions.abc.a=0.99",
            "error: assumptions.abc (set for this run): abc.a (0.99) must be below abc.b (0.95)",
        ),
        ("reference_date=2025-02-30", "error: reference_date (set for this run): '2025-02-30' is no date"),
        ("assumptions.working_days", "error: 'assumptions.working_days' (set for this run): expected KEY=VALUE"),
    ],
)
def test_a_bad_set_exits_2_with_one_line_naming_the_key(small_sample, tmp_path, capsys, setting, line):
    out = tmp_path / "r"
    assert main(["report", "--params", str(small_sample), "--out", str(out), "--set", setting]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(line) and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""
    assert not out.exists()  # stopped before anything was written


def test_report_options_reach_the_report(small_sample, tmp_path, monkeypatch, capsys):
    import smartacct_helpers.delivery.report as report

    seen = {}

    def build_report(params, out, **options):
        seen.update(options)
        return tmp_path

    monkeypatch.setattr(report, "build_report", build_report)
    assert (
        main(
            [
                "report",
                "--params",
                str(small_sample),
                "--set",
                "assumptions.max_sales_cost_ratio=0.10",
                "--set",
                "assumptions.inside_rep_capacity=[300, 400]",
                "--timeout-per-notebook",
                "90.5",
            ]
        )
        == 0
    )
    assert seen == {
        "overrides": {"assumptions.max_sales_cost_ratio": 0.1, "assumptions.inside_rep_capacity": [300, 400]},
        "timeout_per_notebook": 90.5,
    }
    assert main(["report", "--params", str(small_sample)]) == 0
    assert seen == {"overrides": {}, "timeout_per_notebook": 1800}  # the default: half an hour per notebook


@pytest.mark.parametrize(
    "seconds, problem",
    [
        ("0", "a positive number"),
        ("-5", "a positive number"),
        ("inf", "a positive number"),
        ("soon", "a number"),
    ],
)
def test_timeout_per_notebook_must_be_a_positive_number(seconds, problem, capsys):
    with pytest.raises(SystemExit) as done:
        main(["report", "--params", "p.yaml", "--timeout-per-notebook", seconds])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --timeout-per-notebook: expected {problem} of seconds, got '{seconds}'" in err
