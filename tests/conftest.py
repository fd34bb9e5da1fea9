import os
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
def small_report(small_sample, tmp_path_factory):
    """A full report (every notebook) on the small sample, built once: (folder, reports dir)."""
    from smartacct_helpers.delivery.report import build_report

    out = tmp_path_factory.mktemp("reports")
    return build_report(small_sample, out), out


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
