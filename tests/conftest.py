import inspect
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PARAMS = ROOT / "data" / "sample" / "params.yaml"

# CI explores the same examples on every run, so that a red build always points at a change;
# elsewhere hypothesis keeps drawing new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


# -- tiers ---------------------------------------------------------------------------------------------------------
#: the tiers a test may belong to besides ``fast`` (pyproject.toml describes each)
SLOW_TIERS = ("notebooks", "browser", "db", "matrix")
#: tests under these folders belong to the tier of the same name
TIER_FOLDERS = {"notebooks": "notebooks", "browser": "browser", "db": "db"}
#: tests that use these fixtures belong to the tier too, wherever they are
TIER_FIXTURES = {"browser": "browser", "postgres": "db"}
#: fixtures that give a built report, or notebooks to build one from
REPORT_FIXTURES = {"two_notebooks"}
#: a call that runs notebooks: papermill itself, or the report built from them (``def build_report(`` is a stand-in)
RUNS_NOTEBOOKS = re.compile(r"(?<!def )\b(build_report|execute_notebook|run_notebook)\s*[(,]")
#: session fixtures that are costly to build, and the group of the tests that use them: with pytest-xdist's
#: ``--dist loadgroup`` a group runs on one worker, so each is built once however many workers run (a test that
#: uses several goes with the first of them here)
WORKER_GROUPS = {
    "sample_report": "sample report",
    "earlier_report": "earlier report",
    "orders_only_report": "orders-only report",
    "superstore_report": "superstore report",
    "postgres": "postgres",
    "cdnow": "cdnow",
}


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _runs_notebooks(item: pytest.Item) -> bool:
    """Whether the test runs a notebook: itself, through a function of its module, or through a fixture."""
    if REPORT_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    function = getattr(item, "function", None)
    if function is None:  # a doctest
        return False
    source = _source(function)
    if RUNS_NOTEBOOKS.search(source):
        return True
    module = inspect.getmodule(function)
    helpers = [
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and value is not function
        if RUNS_NOTEBOOKS.search(_source(value))
    ]
    if any(re.search(rf"\b{name}\(", source) for name in helpers):
        return True
    fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(RUNS_NOTEBOOKS.search(_source(d.func)) for defs in fixtures.values() for d in defs)


def fixtures_used(item: pytest.Item) -> set[str]:
    """The fixtures a test uses: those it names, and those a parameter names for ``request.getfixturevalue``."""
    named = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return named | {p for p in params if isinstance(p, str) and p in WORKER_GROUPS}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Put every test in its tier.

    Tests under tests/notebooks, tests/browser and tests/db belong to the tier of the folder,
    and so do tests elsewhere that use the fixtures ``browser`` or ``postgres``;
    every test that runs a notebook with papermill or builds a report (with the fixture
    ``two_notebooks``, by calling ``build_report``, ``run_notebook`` or
    papermill's ``execute_notebook``, itself, through a function of its module or a fixture)
    to ``notebooks`` too; the degradation matrix marks itself ``matrix``. Every other test,
    and every docstring example of the package, is ``fast``: ``pytest -m fast``.

    A test that uses one of the costly fixtures of :data:`WORKER_GROUPS` (:func:`fixtures_used`) is also marked
    ``xdist_group`` with its group, which ``pytest -n 2 --dist loadgroup`` keeps on one worker.
    """
    tests = Path(__file__).resolve().parent
    for item in items:
        path = Path(str(item.path)).resolve()
        if tests in path.parents:
            folder = path.relative_to(tests).parts[0]
            if folder in TIER_FOLDERS:
                item.add_marker(TIER_FOLDERS[folder])
        for fixture in set(TIER_FIXTURES) & set(getattr(item, "fixturenames", ())):
            item.add_marker(TIER_FIXTURES[fixture])
        if item.get_closest_marker("notebooks") is None and _runs_notebooks(item):
            item.add_marker("notebooks")
        if not any(item.get_closest_marker(tier) for tier in SLOW_TIERS):
            item.add_marker("fast")
        group = next((WORKER_GROUPS[f] for f in WORKER_GROUPS if f in fixtures_used(item)), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


# -- shared fixtures -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sample_workbook():
    """The committed sample, read once for the whole session."""
    from smartacct_helpers.facts.workbook import Workbook

    return Workbook.open(SAMPLE_PARAMS)


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory):
    """A small generated supplier (fast to run notebooks on)."""
    from smartacct_helpers.sample.write import write_sample

    out = tmp_path_factory.mktemp("small-sample")
    write_sample(out, customers=400, years=3, seed=7)
    return out / "params.yaml"


@pytest.fixture()
def own_sample(small_sample, tmp_path):
    """A copy of the small sample that a test may change."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(small_sample.parent, folder)
    return folder / "params.yaml"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """The full report on the committed sample (every notebook), built once: its folder."""
    from smartacct_helpers.delivery.report import build_report

    return build_report(SAMPLE_PARAMS, tmp_path_factory.mktemp("sample-report"))


@pytest.fixture(scope="session")
def two_notebooks(tmp_path_factory):
    """The first two notebooks only: enough for a real report run, and quick."""
    import shutil

    folder = tmp_path_factory.mktemp("notebooks")
    for nb in sorted((ROOT / "notebooks").glob("0[01]_*.ipynb")):
        shutil.copy2(nb, folder / nb.name)
    return folder


@pytest.fixture(scope="session")
def earlier_report(small_sample, two_notebooks, tmp_path_factory):
    """A good report of the small sample (the first two notebooks), built once for every test that needs one
    already there: (reports dir, its report folder, the digest of every file). A test that changes it works on
    :func:`own_copy`.
    """
    from smartacct_helpers.delivery.report import build_report

    out = tmp_path_factory.mktemp("earlier") / "reports"
    folder = build_report(small_sample, out, two_notebooks)
    return out, folder, tree_digest(folder)


def own_copy(earlier_report, tmp_path: Path) -> tuple[Path, Path, dict]:
    """The earlier report's reports dir, copied for one test: (reports dir, the report folder, its digest)."""
    out, folder, digest = earlier_report
    mine = tmp_path / "reports"
    shutil.copytree(out, mine)
    return mine, mine / folder.relative_to(out), digest


def tree_digest(folder: Path) -> dict:
    """``relative path -> sha256`` of every file under ``folder``."""
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(available: bool, what: str, how: str) -> None:
    """Skip a test whose real component is missing, saying how to get it; under CI=true, fail instead."""
    import os

    if available:
        return
    message = f"{what} is not available here; {how}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run this test: {message}")
    pytest.skip(message)


def console_script(name: str) -> str:
    """The path of the console script ``name``: the one beside this Python first, else the one on the PATH.

    A test that needs it skips when it is missing, and fails under ``CI=true`` (see :func:`require`).
    """
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    require(found is not None, f"the console script {name}", "install smartacct: `pip install -e '.[test]'`")
    return found


@pytest.fixture(scope="session")
def browser():
    """A real headless Debian Chromium driven by Playwright (no browser download)."""
    import importlib.util

    require(Path(CHROMIUM).exists(), "Debian's chromium", "run `make test` as root, or `apt-get install chromium`")
    require(
        importlib.util.find_spec("playwright") is not None,
        "Playwright",
        "install the test extra: `pip install -e .[test]`",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()
