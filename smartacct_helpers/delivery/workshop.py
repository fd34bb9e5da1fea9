"""The workshop: executed copies of the notebooks for one client, ready to project, opened in JupyterLab.

A consultant opens a workshop in front of the client and has something to
show at once: every notebook has run for the client's params, its charts and
tables are there, and its code cells are collapsed (JupyterLab's
``source_hidden``), so the screen shows the story, not the program. Running
a notebook again (Run All) brings its sliders to life. The repository's
notebooks stay as they are, without outputs.

``smartacct workshop`` calls :func:`write_workshop` and then :func:`open_lab`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..exceptions import ReportError
from ..params import load_params
from .exports import readable_mode
from .report import NOTEBOOKS_DIR, TIMEOUT_PER_NOTEBOOK, report_notebooks, run_notebook
from .report_folder import replace_dir


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


#: where the workshop of a client goes without ``--out``: ``workshop/<client-slug>/``
WORKSHOP_DIR = Path("workshop")


#: what stands below a control's saved outputs until the notebook runs again
RUN_TO_MOVE = "*This section's sliders appear here when the notebook runs: Run ▸ Run All Cells.*"
#: a cell that shows a section with its sliders in a workshop (``section(wb, views.f, views.F_SLIDERS, interactive)``)
SECTION_WITH_SLIDERS = re.compile(r"^section\(wb, [\w.]+, [\w.]+_SLIDERS, interactive\)$", re.M)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _saved_outputs(model_id: str, state: dict) -> list:
    """The outputs captured by the Output widgets inside widget ``model_id``, in the order they are laid out."""
    model = state.get(model_id)
    if model is None:
        return []
    values = model.get("state", {})
    if model.get("model_name") == "OutputModel":
        return list(values.get("outputs", []))
    found = []
    for child in values.get("children", []):
        found += _saved_outputs(str(child).removeprefix("IPY_MODEL_"), state)
    return found


def for_projecting(nb) -> tuple[int, int]:
    """Collapse every code cell and show what each set of sliders drew as plain outputs.

    JupyterLab shows a saved widget only while its kernel holds it: opened
    later, a slider panel would read ``VBox(children=...)``. So each widget
    output is replaced by the charts and tables its Output widgets held
    when the notebook ran, under a line saying how to bring the sliders to
    life; a section with sliders that ran without them (``interactive =
    False``, as :func:`write_workshop` runs the notebooks) gets the same
    line above its outputs. The code stays (collapsed), so Run All works as before.

    Returns
    -------
    (int, int)
        The code cells collapsed and the widget outputs replaced.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    collapsed = replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        cell.metadata["jupyter"].pop("outputs_hidden", None)
        collapsed += 1
        outputs = []
        if SECTION_WITH_SLIDERS.search(cell.source) and not any(
            WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", [])
        ):
            # run without sliders: the section's outputs as they are, under the line on its sliders
            outputs.append(
                nbformat.v4.new_output("display_data", data={"text/markdown": RUN_TO_MOVE, "text/plain": RUN_TO_MOVE})
            )
            replaced += 1
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            # where the sliders will stand (above their section), then what they drew
            outputs.append(
                nbformat.v4.new_output("display_data", data={"text/markdown": RUN_TO_MOVE, "text/plain": RUN_TO_MOVE})
            )
            outputs += [nbformat.from_dict(o) for o in _saved_outputs(view["model_id"], state)]
            replaced += 1
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return collapsed, replaced


def sliders_on_run_all(nb) -> bool:
    """Set ``interactive = True`` in the parameters papermill injected, so that Run All shows the sliders.

    The workshop's notebooks run without sliders (:func:`write_workshop`);
    run again in JupyterLab, they show them. Returns whether a value was set.
    """
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            source = re.sub(r"^interactive = False$", "interactive = True", cell.source, flags=re.M)
            if source != cell.source:
                cell.source = source
                return True
    return False


def collapse_code(path: Path) -> tuple[int, int]:
    """:func:`for_projecting` and :func:`sliders_on_run_all` on the notebook file at ``path``, written back."""
    nb = nbformat.read(str(path), as_version=4)
    counts = for_projecting(nb)
    sliders_on_run_all(nb)
    nbformat.write(nb, str(path))
    return counts


def write_workshop(
    params_file: str | Path,
    out: str | Path | None = None,
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    timeout_per_notebook: float = TIMEOUT_PER_NOTEBOOK,
) -> Path:
    """Run every notebook for one client and write the executed copies, code collapsed, to one folder.

    Parameters
    ----------
    params_file : path
        The client's params file.
    out : path, optional
        The workshop folder (default ``workshop/<client-slug>/``). It is
        replaced as a whole once every notebook has run; a failing run
        leaves an earlier workshop as it was.
    notebooks_dir : path
        Where the numbered notebooks are.
    timeout_per_notebook : float
        Seconds each notebook may run.

    Returns
    -------
    Path
        The workshop folder, holding the notebooks and their ``exports/``.

    Raises
    ------
    ParamsError, InputDataError
        Bad params or data, before any notebook runs.
    ReportError
        When a notebook fails (named with its cell).
    """
    params_file = Path(params_file).resolve()
    params = load_params(params_file)
    final = Path(out).resolve() if out else (WORKSHOP_DIR / params.client_slug).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".building-{final.name}-"))
    os.chmod(building, readable_mode(directory=True))
    try:
        exports = building / "exports"
        exports.mkdir()
        notebooks = report_notebooks(notebooks_dir)
        for i, nb in enumerate(notebooks, start=1):
            _say(f"[{i}/{len(notebooks)}] {nb.name} ...")
            target = building / nb.name
            # without sliders: a saved slider shows only after Run All anyway (see for_projecting), and the
            # sections are the same; papermill's client then never has to follow outputs into widgets
            parameters = {"params_file": str(params_file), "interactive": False, "export_dir": str(exports)}
            run_notebook(nb, target, parameters, timeout_per_notebook)
            collapse_code(target)
        replace_dir(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _say(f"Workshop written to {final}")
    return final


#: JupyterLab settings for projecting: every cell drawn (no windowing, so scrolling never waits), no pop-ups
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}
#: the folder in a workshop that holds its JupyterLab settings (``JUPYTERLAB_SETTINGS_DIR``)
SETTINGS_DIR = ".jupyterlab-settings"
#: where JupyterLab keeps a workshop's open tabs and layout, inside the workshop folder
WORKSPACES_DIR = ".jupyterlab-workspaces"


def write_lab_settings(folder: Path) -> Path:
    """Write :data:`LAB_SETTINGS` into ``folder``'s settings folder and return that folder."""
    settings = folder / SETTINGS_DIR
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")
    return settings


def lab_command(folder: Path, port: int, open_browser: bool = True) -> list[str]:
    """The command that serves JupyterLab on 127.0.0.1:``port`` with ``folder`` as its root."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",  # a container's root user, as on many build machines
        # the tabs and layout of this workshop are remembered beside it, not mixed with other JupyterLab sessions
        f"--LabApp.workspaces_dir={folder / WORKSPACES_DIR}",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def open_lab(folder: Path, port: int = 8888) -> int:
    """Serve JupyterLab on the workshop folder until stopped; returns JupyterLab's exit code."""
    from .dashboard_server import StartError, check_port

    try:
        check_port("127.0.0.1", port)
    except StartError as exc:
        raise ReportError(str(exc)) from None
    _say(f"Opening JupyterLab on http://127.0.0.1:{port}/ (Ctrl+C stops it)")
    try:
        env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(write_lab_settings(folder))}
        return subprocess.call(lab_command(folder, port), env=env)
    except KeyboardInterrupt:
        return 0
