"""Every notebook runs top to bottom under papermill on the committed sample."""

import json

import nbformat
import papermill as pm
import pytest

from tests.conftest import ROOT, SAMPLE_PARAMS

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: seconds a cell may take: a kernel whose reply never arrives fails its test instead of holding CI to its limit
CELL_TIMEOUT = 600


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "outputs stored"
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert "../data/sample/params.yaml" in "".join(tagged[0]["source"])


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2].isdigit()], ids=lambda p: p.name)
def test_runs_under_papermill_on_the_sample(path, tmp_path):
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path),
        str(out),
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
        execution_timeout=CELL_TIMEOUT,
        parameters={"params_file": str(SAMPLE_PARAMS), "interactive": False, "export_dir": str(tmp_path / "exports")},
    )
    nb = nbformat.read(str(out), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart drawn"
    if path.name.startswith("01_"):
        assert (tmp_path / "exports" / "customer_segments.csv").exists()
        assert (tmp_path / "exports" / "customer_segments.xlsx").exists()


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name[:2].isdigit() and p.name[:2] != "00"], ids=lambda p: p.name
)
def test_interactive_mode_builds_the_sliders(path, tmp_path):
    """With interactive=True (the default in JupyterLab) a notebook shows its sliders and raises nothing."""
    out = tmp_path / "interactive.ipynb"
    pm.execute_notebook(
        str(path),
        str(out),
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
        execution_timeout=CELL_TIMEOUT,
        parameters={"export_dir": str(tmp_path / "exports")},
    )
    nb = nbformat.read(str(out), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
