"""Many clients from one command line: each in turn, one failure stops no other, a table and an exit code."""

import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pandas as pd

from smartacct_helpers.delivery.many_clients import (
    BAD_DATA,
    FAILED,
    WRITTEN,
    ClientRun,
    build_reports,
    exit_code,
    params_files,
    runs_table,
)
from smartacct_helpers.delivery.report import build_report


def _client(sample_params, folder, name):
    """A copy of the small sample under its own client name (and so its own slug and lock)."""
    shutil.copytree(sample_params.parent, folder)
    params = folder / "params.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(
        "\n".join(f"client: {name}" if line.startswith("client:") else line for line in text.splitlines()) + "\n",
        encoding="utf-8",
    )
    return params


def test_three_clients_one_with_bad_data_the_other_two_get_their_reports(small_sample, two_notebooks, tmp_path):
    first = _client(small_sample, tmp_path / "first", "First Client GmbH")
    broken = _client(small_sample, tmp_path / "broken", "Broken Client GmbH")
    third = _client(small_sample, tmp_path / "third", "Third Client GmbH")
    orders = broken.parent / "orders.parquet"
    lines = pd.read_parquet(orders)
    lines["Rechnungsdatum"] = lines["Rechnungsdatum"].astype(str)
    lines.loc[5, "Rechnungsdatum"] = "not a date"
    lines.to_parquet(orders)

    out = tmp_path / "reports"
    said = []
    runs = build_reports(
        [first, broken, third], partial(build_report, out=out, notebooks_dir=two_notebooks), said.append
    )

    assert [r.result for r in runs] == [WRITTEN, BAD_DATA, WRITTEN]
    assert (out / "first-client-gmbh").is_dir() and (out / "third-client-gmbh").is_dir()
    assert not (out / "broken-client-gmbh").exists() or not any((out / "broken-client-gmbh").glob("20*"))
    for run in (runs[0], runs[2]):
        assert (out / Path(run.detail).relative_to(out) / "report.html").is_file()
    # the bad data is named: the file and the column
    assert "orders.parquet" in runs[1].detail and "Rechnungsdatum" in runs[1].detail
    assert exit_code(runs) == 2
    table = runs_table(runs).splitlines()
    assert table[0].split()[:2] == ["client", "result"]
    assert str(broken) in table[2] and "bad data" in table[2]
    assert said == [f"{first}: running", f"{broken}: running", f"{third}: running"]


def test_the_exit_code_says_the_worst_that_happened():
    ok, bad, failed = (ClientRun("x.yaml", result, "") for result in (WRITTEN, BAD_DATA, FAILED))
    assert exit_code([ok, ok]) == 0
    assert exit_code([ok, bad]) == 2
    assert exit_code([bad, failed, ok]) == 1


def test_an_unexpected_fault_of_one_client_is_a_failed_line_not_a_stop():
    def build(file):
        if file == "b.yaml":
            raise ZeroDivisionError("division by zero")
        return f"reports/{file}"

    runs = build_reports(["a.yaml", "b.yaml", "c.yaml"], build, say=lambda line: None)
    assert [r.result for r in runs] == [WRITTEN, FAILED, WRITTEN]
    assert runs[1].detail == "unexpected ZeroDivisionError: division by zero"


def test_a_pattern_the_shell_left_alone_is_expanded_in_order(tmp_path):
    for name in ("b.yaml", "a.yaml", "notes.txt"):
        (tmp_path / name).write_text("client: x\n")
    assert params_files([str(tmp_path / "*.yaml")]) == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    # the same file named twice runs once
    assert params_files([str(tmp_path / "a.yaml"), str(tmp_path / "*.yaml")]) == [
        str(tmp_path / "a.yaml"),
        str(tmp_path / "b.yaml"),
    ]


def test_the_command_runs_every_client_and_prints_the_table(tmp_path):
    missing = tmp_path / "missing.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("client: Bad\ndata: {orders: orders.csv}\nassumptions: {working_days: many}\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "smartacct_helpers",
            "report",
            "--params",
            str(missing),
            str(bad),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("client")
    assert lines[1].startswith(str(missing)) and "bad data" in lines[1]
    assert lines[2].startswith(str(bad)) and "working_days" in lines[2]
    assert "Traceback" not in result.stderr
