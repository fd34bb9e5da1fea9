"""The scheduled run's folder: lock, recovery after a kill, retention, atomic swap, log, PDF."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartacct_helpers.delivery.report import build_report
from smartacct_helpers.delivery.report_folder import (
    client_lock,
    print_pdf,
    prune_reports,
    recover_interrupted_runs,
    replace_dir,
)
from smartacct_helpers.exceptions import ReportError
from tests.conftest import CHROMIUM, ROOT, own_copy, require, tree_digest


def test_second_run_for_the_same_client_is_refused(tmp_path):
    with (
        client_lock(tmp_path),
        pytest.raises(ReportError, match="another report run for this client is in progress"),
        client_lock(tmp_path),
    ):
        pass
    with client_lock(tmp_path):  # released after the first run
        pass


def test_lock_of_a_killed_run_does_not_block(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from smartacct_helpers.delivery.report_folder import client_lock\n"
                f"with client_lock(Path({str(tmp_path)!r})):\n    print('locked', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(ReportError, match=f"pid {holder.pid}"), client_lock(tmp_path):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with client_lock(tmp_path):  # the stale lock file is still there, but the lock is gone
        assert (tmp_path / ".lock").exists()


def test_recovery_removes_half_built_folders_and_restores_a_swapped_out_report(tmp_path):
    (tmp_path / ".building-2025-12-31-abc").mkdir()
    (tmp_path / ".building-2025-12-31-abc" / "report.html").write_text("half")
    (tmp_path / ".replaced-2025-06-30-4242").mkdir()
    (tmp_path / ".replaced-2025-06-30-4242" / "report.html").write_text("good")
    recover_interrupted_runs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-06-30"]
    assert (tmp_path / "2025-06-30" / "report.html").read_text() == "good"


def test_retention_keeps_the_newest_reports(tmp_path):
    for name in ["2025-01-31", "2025-02-28", "2025-03-31", "failed-20250101-010101", "failed-20250301-010101", "notes"]:
        (tmp_path / name).mkdir()
    removed = prune_reports(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["2025-01-31"]
    # two failed runs are within the limit; a folder of another name is never touched
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025-02-28",
        "2025-03-31",
        "failed-20250101-010101",
        "failed-20250301-010101",
        "notes",
    ]


def test_replace_dir_swaps_whole_folders(tmp_path):
    final, new = tmp_path / "2025-12-31", tmp_path / ".building-x"
    final.mkdir(), new.mkdir()
    (final / "report.html").write_text("old")
    (new / "report.html").write_text("new")
    replace_dir(new, final)
    assert (final / "report.html").read_text() == "new"
    assert not new.exists()


def test_pdf_beside_the_report(tmp_path):
    require(Path(CHROMIUM).exists(), "Debian's chromium", "run `make test` as root, or `apt-get install chromium`")
    html = tmp_path / "report.html"
    html.write_text("<html><body><h1>Sample</h1><p>1.234,56 €</p></body></html>", encoding="utf-8")
    note = print_pdf(html, tmp_path / "report.pdf")
    assert note == "PDF written: report.pdf"
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def _report_process_at_second_notebook(params_file, out, notebooks) -> subprocess.Popen:
    """``build_report`` in a process of its own, returned a second into its second notebook.

    Ctrl-C ends it as in a terminal (SIGINT raises KeyboardInterrupt, even where the test runner ignores it).
    """
    runner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "from smartacct_helpers.delivery.report import build_report\n"
                f"build_report({str(params_file)!r}, {str(out)!r}, {str(notebooks)!r})"
            ),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in runner.stderr:
        if line.startswith("[2/2]"):
            break
    time.sleep(1.0)
    return runner


def test_run_killed_halfway_leaves_the_earlier_report_and_the_next_run_succeeds(
    earlier_report, small_sample, two_notebooks, tmp_path
):
    out, first, before = own_copy(earlier_report, tmp_path)
    assert tree_digest(first) == before
    runner = _report_process_at_second_notebook(small_sample, out, two_notebooks)
    assert runner.poll() is None  # still running
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    assert tree_digest(first) == before
    leftovers = [p.name for p in first.parent.iterdir() if p.name.startswith(".building-")]
    assert leftovers  # the half-built folder exists, but under a temporary name, not in the report's place
    again = build_report(small_sample, out, two_notebooks)
    assert again == first
    assert not [p for p in first.parent.iterdir() if p.name.startswith((".building-", ".replaced-"))]
    log = (first.parent / "smartacct.log").read_text()
    assert log.count("Report written to") == 2  # the killed run never got there


def test_ctrl_c_stops_the_run_and_its_kernels_and_leaves_the_earlier_report(
    earlier_report, small_sample, two_notebooks, tmp_path
):
    import psutil

    out, first, before = own_copy(earlier_report, tmp_path)
    assert tree_digest(first) == before
    runner = _report_process_at_second_notebook(small_sample, out, two_notebooks)
    kernels = psutil.Process(runner.pid).children(recursive=True)
    assert kernels  # the running notebook's kernel
    runner.send_signal(signal.SIGINT)
    assert runner.wait(timeout=60) == -signal.SIGINT  # Python ends an uncaught KeyboardInterrupt by the signal
    gone, alive = psutil.wait_procs(kernels, timeout=30)
    assert not alive  # no kernel outlives the run
    assert tree_digest(first) == before
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".building-")]


def test_number_format_de_in_the_report(small_sample, two_notebooks, tmp_path):
    params = small_sample.parent / "params_de.yaml"
    text = re.sub(r"(?m)^number_format:.*\n", "", small_sample.read_text(encoding="utf-8"))
    params.write_text(text.replace("currency: EUR", "currency: EUR\nnumber_format: de"), encoding="utf-8")
    folder = build_report(params, tmp_path, two_notebooks)
    html = (folder / "report.html").read_text(encoding="utf-8")
    # 110,000 / (200 x 4) = 137.50 per visit, written the German way
    assert "137,50 €" in html
    assert "8.593,75 €" in html  # the sales threshold: 687.50 / 0.08
