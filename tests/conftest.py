from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PARAMS = ROOT / "data" / "sample" / "params.yaml"


@pytest.fixture(scope="session")
def sample_workbook():
    """The committed sample, read once for the whole session."""
    from smartacct_helpers.workbook import Workbook

    return Workbook.open(SAMPLE_PARAMS)


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory):
    """A small generated supplier (fast to run notebooks on)."""
    from smartacct_helpers.sample import write_sample

    out = tmp_path_factory.mktemp("small-sample")
    write_sample(out, customers=400, years=3, seed=7)
    return out / "params.yaml"
