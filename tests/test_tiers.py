"""The house of the tests: tiers, console scripts, and the components a test requires."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RUNS_NOTEBOOKS, console_script, require

#: calls that run notebooks (kept outside the tests, whose own source the tiering reads)
RUN_NOTEBOOKS = [
    "folder = build_report(small_sample, tmp_path)",
    "pm.execute_notebook(str(path), str(out), kernel_name='python3')",
    "report.run_notebook (source, target, {})",
    # the report command with its notebooks swapped: the real report still runs
    "monkeypatch.setattr(report, 'build_report', functools.partial(report.build_report, notebooks_dir=nb))",
]
#: code that names the report but runs no notebook
RUN_NO_NOTEBOOK = [
    # a stand-in for the report, as the command-line tests use
    "def build_report(params, out, **options):\n    return tmp_path",
    "monkeypatch.setattr(report, 'build_report', build_report)",
    "main(['report', '--params', str(p), '--set', 'x=1']) == 2",
    "run = report_module.run_notebook",
]


@pytest.mark.parametrize("source", RUN_NOTEBOOKS)
def test_a_call_that_runs_notebooks_is_seen(source):
    assert RUNS_NOTEBOOKS.search(source)


@pytest.mark.parametrize("source", RUN_NO_NOTEBOOK)
def test_what_runs_no_notebook_is_not_taken_for_it(source):
    assert not RUNS_NOTEBOOKS.search(source)


def test_tiers_of_this_session(request):
    """The tests collected with this one carry the tier their folder or fixtures give them."""
    tiers = {"fast", "notebooks", "browser", "db", "matrix"}
    for item in request.session.items:
        marks = {m.name for m in item.iter_markers()} & tiers
        assert marks, item.nodeid  # every test is in at least one tier
        assert ("fast" in marks) == (marks == {"fast"}), item.nodeid  # fast excludes every other tier
        parts = Path(str(item.path)).parts
        for folder in ("notebooks", "browser", "db"):
            if "tests" in parts and folder in parts[parts.index("tests") :]:
                assert folder in marks, item.nodeid
        if {"two_notebooks"} & set(getattr(item, "fixturenames", ())):
            assert "notebooks" in marks, item.nodeid
    assert "fast" in {m.name for m in request.node.iter_markers()}


def test_the_tests_of_a_costly_fixture_share_one_worker_group(request):
    """A test of this session that uses a report or a database server fixture is in that fixture's group."""
    from tests.conftest import WORKER_GROUPS, fixtures_used

    for item in request.session.items:
        used = [f for f in WORKER_GROUPS if f in fixtures_used(item)]
        groups = [m.args[0] for m in item.iter_markers("xdist_group")]
        assert groups == ([WORKER_GROUPS[used[0]]] if used else []), item.nodeid
        # a test that asks for its report by name (request.getfixturevalue) goes with the tests that name it
        if item.nodeid.endswith("[sample_report]"):
            assert groups == ["sample report"], item.nodeid


def test_the_console_script_is_the_one_beside_this_python():
    beside = Path(sys.executable).parent / "smartacct"
    if beside.exists():
        assert Path(console_script("smartacct")) == beside
    else:
        assert Path(console_script("smartacct")).name == "smartacct"


def test_a_missing_console_script_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test: the console script no-such-script"):
        console_script("no-such-script")


def test_a_missing_console_script_skips_elsewhere_saying_how_to_get_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"pip install -e '\.\[test\]'"):
        console_script("no-such-script")


def test_require_passes_when_the_component_is_there(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require(True, "anything", "nothing to do") is None


def test_a_worker_group_stays_on_one_worker(tmp_path):
    """pytest-xdist's loadgroup keeps the tests of a group on one worker, marks added at collection included."""
    (tmp_path / "conftest.py").write_text(
        "import pytest\n"
        "@pytest.hookimpl(tryfirst=True)\n"
        "def pytest_collection_modifyitems(config, items):\n"
        "    for item in items:\n"
        "        if item.name.startswith('test_report'):\n"
        "            item.add_marker(pytest.mark.xdist_group('report'))\n"
    )
    (tmp_path / "test_group.py").write_text(
        "import os\n"
        + "".join(f"def test_report_{i}():\n    print(os.environ['PYTEST_XDIST_WORKER'])\n" for i in range(6))
        + "".join(f"def test_other_{i}():\n    pass\n" for i in range(6))
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    workers = set(re.findall(r"\[(gw\d)\] .*PASSED test_group.py::test_report_\d@report", run.stdout))
    assert len(workers) == 1, run.stdout[-2000:]  # six tests of one group, one worker
