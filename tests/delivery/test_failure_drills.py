"""Failure drills through the command line: two runs at once, and a notebook that raises.

The kill-halfway drill and the lock itself are in test_report_folder.py, the
library side of a failing notebook in test_report.py.
"""

import functools
import json
import subprocess
import sys
import time

import nbformat
import pytest

from smartacct_helpers.delivery.cli import main
from tests.conftest import ROOT, own_copy, tree_digest

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def report_process(params, out, notebooks):
    """A real ``smartacct report`` process whose notebooks come from ``notebooks``."""
    code = (
        "import functools, sys\n"
        "import smartacct_helpers.delivery.report as report\n"
        f"report.build_report = functools.partial(report.build_report, notebooks_dir={str(notebooks)!r})\n"
        "from smartacct_helpers.delivery.cli import main\n"
        f"sys.exit(main(['report', '--params', {str(params)!r}, '--out', {str(out)!r}]))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_runs_for_the_same_client_at_once(small_sample, two_notebooks, tmp_path):
    out = tmp_path / "reports"
    first = report_process(small_sample, out, two_notebooks)
    lock = out / "sample-elektro-gmbh" / ".lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().startswith("pid")):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first run never took the lock"
        time.sleep(0.1)
    second = report_process(small_sample, out, two_notebooks)
    second_out, second_err = second.communicate(timeout=120)
    assert first.poll() is None  # the second run stopped while the first was still going
    first_out, first_err = first.communicate(timeout=600)

    # the second run refuses at once, naming the run that holds the lock, and leaves no trace
    assert second.returncode == 1
    assert f"another report run for this client is in progress (pid {first.pid} since" in second_err
    assert "Traceback" not in second_err and second_out == ""
    # the first run is not disturbed: it finishes and its report is complete
    assert first.returncode == 0, first_err
    folder = out / "sample-elektro-gmbh" / first_out.strip().rsplit("/", 1)[-1]
    assert first_out.strip() == str(folder)
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["client"] == "Sample Elektro GmbH" and folder.name == summary["reference_date"]
    assert (folder / "report.html").read_text().rstrip().endswith("</html>")
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == sorted(p.name for p in two_notebooks.iterdir())
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith((".building-", ".replaced-", "failed-"))]
    assert leftovers == []
    # the log holds the first run only; the lock is free again
    log = (folder.parent / "smartacct.log").read_text()
    assert f"[pid {first.pid}]" in log and f"[pid {second.pid}]" not in log
    assert lock.read_text() == ""


def broken_notebooks(folder):
    folder.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL})
    params = nbformat.v4.new_code_cell('params_file = ""\noverrides = {}\ninteractive = True\nexport_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('planted failure in the drill')"),
    ]
    nbformat.write(nb, str(folder / "00_broken.ipynb"))
    return folder


def test_a_notebook_that_raises_exits_1_naming_notebook_and_cell(small_sample, tmp_path, monkeypatch, capsys):
    import smartacct_helpers.delivery.report as report

    notebooks = broken_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(report, "build_report", functools.partial(report.build_report, notebooks_dir=notebooks))
    out = tmp_path / "reports"
    assert main(["report", "--params", str(small_sample), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    # papermill injects the parameters as a cell after the tagged one, so the raising cell is the 4th (index 3)
    assert "error: notebook 00_broken.ipynb failed in cell 3" in err
    assert "ValueError: planted failure in the drill" in err
    assert "Traceback" not in err
    client = out / "sample-elektro-gmbh"
    [failed] = list(client.glob("failed-*"))
    kept = nbformat.read(str(failed / "00_broken.ipynb"), as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells for o in c.get("outputs", []))
    # nothing that looks like a report, nothing half-built
    assert sorted(p.name for p in client.iterdir()) == sorted([".lock", "smartacct.log", failed.name])


@pytest.mark.parametrize("argv", [["validate"], ["report", "--params"], ["nonsense"]])
def test_a_wrong_command_line_is_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    assert "usage: smartacct" in capsys.readouterr().err


# --- a notebook that runs too long, or whose kernel stops answering -----------------------------------------------


def notebooks_with(folder, *cells: str):
    """A folder holding one notebook ``00_slow.ipynb``: a parameters cell, then ``cells``."""
    folder.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL})
    params = nbformat.v4.new_code_cell('params_file = ""\noverrides = {}\ninteractive = True\nexport_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(folder / "00_slow.ipynb"))
    return folder


def assert_failed_and_untouched(out, report, digest, notebook="00_slow.ipynb"):
    """The earlier report byte-identical, the failed notebook kept, nothing else beside them."""
    client = report.parent
    assert tree_digest(report) == digest
    [failed] = list(client.glob("failed-*"))
    kept = nbformat.read(str(failed / notebook), as_version=4)
    assert sorted(p.name for p in client.iterdir()) == sorted([".lock", "smartacct.log", report.name, failed.name])
    return kept


def test_a_notebook_out_of_time_is_stopped_and_the_run_fails(
    earlier_report, small_sample, tmp_path, monkeypatch, capsys
):
    import psutil

    import smartacct_helpers.delivery.report as report

    out, folder, digest = own_copy(earlier_report, tmp_path)
    notebooks = notebooks_with(
        tmp_path / "notebooks", "print('started', flush=True)", "import time\ntime.sleep(600)", "print('never reached')"
    )
    monkeypatch.setattr(report, "build_report", functools.partial(report.build_report, notebooks_dir=notebooks))
    kernels_before = {p.pid for p in psutil.Process().children(recursive=True)}
    started = time.monotonic()
    code = main(["report", "--params", str(small_sample), "--out", str(out), "--timeout-per-notebook", "12"])
    took = time.monotonic() - started
    assert code == 1
    err = capsys.readouterr().err
    # papermill's injected parameters are cell 1, the print cell 2, the sleeping cell 3
    assert "error: notebook 00_slow.ipynb ran out of time: stopped in cell 3 after 12 s" in err
    assert "Traceback" not in err
    # stopped at the limit: 12 s, plus the reading of the data and the kernel's shutdown, not the 600 s of sleep
    assert 12 <= took < 12 + 60
    kept = assert_failed_and_untouched(out, folder, digest)
    outputs = ["".join(o.get("text", "")) for c in kept.cells for o in c.get("outputs", [])]
    assert "started\n" in outputs and "never reached\n" not in outputs  # kept as far as it got
    # no kernel outlives the run
    left = {p.pid for p in psutil.Process().children(recursive=True)} - kernels_before
    assert not [p for p in map(psutil.Process, left) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_a_kernel_that_never_answers_cannot_hold_the_run(earlier_report, small_sample, tmp_path):
    from smartacct_helpers.delivery.report import build_report
    from smartacct_helpers.exceptions import ReportError

    out, folder, digest = own_copy(earlier_report, tmp_path)
    # the kernel stops itself: no reply, no output, no answer to the shutdown request, but still alive
    notebooks = notebooks_with(tmp_path / "notebooks", "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)")
    started = time.monotonic()
    with pytest.raises(ReportError, match="00_slow.ipynb ran out of time: stopped in cell 2 after 10 s"):
        build_report(small_sample, out, notebooks, timeout_per_notebook=10)
    assert time.monotonic() - started < 10 + 60
    assert_failed_and_untouched(out, folder, digest)


def test_a_kernel_that_dies_fails_the_run_like_a_failed_notebook(earlier_report, small_sample, tmp_path):
    from smartacct_helpers.delivery.report import build_report
    from smartacct_helpers.exceptions import ReportError

    out, folder, digest = own_copy(earlier_report, tmp_path)
    notebooks = notebooks_with(tmp_path / "notebooks", "x = 1", "import os\nos._exit(1)")
    with pytest.raises(ReportError, match="00_slow.ipynb failed in cell 3: its kernel died"):
        build_report(small_sample, out, notebooks)
    assert_failed_and_untouched(out, folder, digest)
