"""The workshop: executed notebooks for one client, code collapsed, sliders shown by what they drew."""

import json

import nbformat

from smartacct_helpers.delivery.workshop import (
    LAB_SETTINGS,
    RUN_TO_MOVE,
    WIDGET_STATE,
    WIDGET_VIEW,
    for_projecting,
    lab_command,
    write_lab_settings,
    write_workshop,
)


def _notebook_with_a_slider_panel():
    """A notebook whose second cell showed a VBox(slider, Output) that drew one PNG and one HTML table."""
    png = {
        "output_type": "display_data",
        "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Chart>"},
        "metadata": {},
    }
    table = {"output_type": "display_data", "data": {"text/html": "<table></table>", "text/plain": "t"}, "metadata": {}}
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_out"]}},
        "slider": {"model_name": "FloatSliderModel", "state": {"value": 0.08}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [png, table]}},
    }
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    first = nbformat.v4.new_code_cell("show(views.abc_analysis(wb))")
    first.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "**4,320** customers"})]
    second = nbformat.v4.new_code_cell("section(wb, views.sales_threshold, views.THRESHOLD_SLIDERS, interactive)")
    second.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={WIDGET_VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0}, "text/plain": "VBox(...)"},
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), first, second]
    return nb


def test_a_slider_panel_becomes_what_it_drew_and_the_code_is_collapsed():
    nb = _notebook_with_a_slider_panel()
    assert for_projecting(nb) == (2, 1)  # two code cells collapsed, one panel replaced
    first, second = nb.cells[1], nb.cells[2]
    assert first.metadata["jupyter"]["source_hidden"] and second.metadata["jupyter"]["source_hidden"]
    assert first.outputs[0]["data"]["text/markdown"] == "**4,320** customers"  # other outputs stay as they were
    kinds = [sorted(o["data"]) for o in second.outputs]
    # where the sliders will be, the line saying how to bring them to life, then the chart and the table;
    # no "VBox(...)" left
    assert kinds == [["text/markdown", "text/plain"], ["image/png", "text/plain"], ["text/html", "text/plain"]]
    assert second.outputs[0]["data"]["text/markdown"] == RUN_TO_MOVE
    assert "widgets" not in nb.metadata
    nbformat.validate(nb)


def test_a_section_run_without_its_sliders_gets_the_line_on_them_above_its_outputs():
    nb = nbformat.v4.new_notebook()
    chart = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Chart>"})
    with_sliders = nbformat.v4.new_code_cell("section(wb, views.abc_analysis, views.ABC_SLIDERS, interactive)")
    with_sliders.outputs = [chart]
    plain = nbformat.v4.new_code_cell("show(views.segments(wb))")
    plain.outputs = [chart]
    nb.cells = [with_sliders, plain]
    assert for_projecting(nb) == (2, 1)
    assert [o["data"].get("text/markdown") for o in with_sliders.outputs] == [RUN_TO_MOVE, None]
    assert len(plain.outputs) == 1  # a section without sliders stays as it ran
    nbformat.validate(nb)


def test_lab_listens_on_loopback_only(tmp_path):
    command = lab_command(tmp_path, 8899, open_browser=False)
    assert "--ServerApp.ip=127.0.0.1" in command and "--ServerApp.port=8899" in command
    assert "--no-browser" in command
    settings = write_lab_settings(tmp_path)
    for name, values in LAB_SETTINGS.items():
        assert json.loads((settings / name).read_text(encoding="utf-8")) == values


def test_the_workshop_of_a_client(small_sample, two_notebooks, tmp_path):
    before = {p.name: p.read_bytes() for p in two_notebooks.glob("*.ipynb")}
    folder = write_workshop(small_sample, tmp_path / "ws", two_notebooks)
    assert folder == tmp_path / "ws"
    assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(before)
    nb = nbformat.read(folder / "01_identify_small_customers.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.metadata["jupyter"]["source_hidden"] for c in code)
    pictures = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pictures) >= 3  # the Pareto curve, the threshold chart, ... and what the sliders drew
    assert any(RUN_TO_MOVE in o.get("data", {}).get("text/markdown", "") for c in code for o in c.outputs)
    # run without sliders, and Run All in JupyterLab shows them
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "\ninteractive = True\n" in f"\n{injected[0].source}\n"
    assert not any(WIDGET_VIEW in o.get("data", {}) for c in code for o in c.outputs)
    # the client's list is beside the notebooks; nothing half-built is left; the source notebooks are unchanged
    assert (folder / "exports" / "customer_segments.xlsx").is_file()
    assert not list(tmp_path.glob(".building-*"))
    assert {p.name: p.read_bytes() for p in two_notebooks.glob("*.ipynb")} == before
