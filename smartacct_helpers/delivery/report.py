"""The client report: every notebook run with papermill, one HTML file, the key figures.

``build_report`` reads and checks the data first (bad input stops the run
before any notebook starts) and keeps what it read for the notebooks'
kernels (:meth:`Workbook.save_snapshot`), so that the data is read once and
every notebook sees the same, then runs the numbered notebooks in order into a
temporary folder beside the target, writes ``report.html`` and
``summary.json``, and only then renames the folder into place. A failing
notebook leaves any earlier report untouched and is kept for debugging in
``OUT/<client>/failed-<timestamp>/``; so does a notebook that runs longer
than its limit (``timeout_per_notebook``). Values set for one run
(``overrides``, ``smartacct report --set``) reach every notebook's kernel as
its ``overrides`` parameter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..exceptions import ReportError
from ..facts.workbook import SNAPSHOT, Workbook
from ..overrides import read_overrides
from ..params import load_params
from ..presentation.formatting import Numbers
from ..presentation.tables import assumptions_display
from .changes_section import changes_html
from .exports import readable_mode, write_csv
from .report_folder import (
    BUILDING,
    LOG_NAME,
    client_lock,
    log,
    print_pdf,
    prune_reports,
    recover_interrupted_runs,
    replace_dir,
    run_log,
)
from .report_html import (  # noqa: F401  (the report's HTML, offered here as before)
    CSS,
    DROPPED_TAGS,
    PRINT_CSS,
    WORKSHOP_ONLY,
    figure_sections,
    figures_html,
    landscape_cells,
    opening_chart,
    report_cells,
    write_html,
)
from .since_last_report import WARNINGS_FILE, early_warnings, since_last_report
from .storyline import (  # noqa: F401  (page one, offered here as before)
    STORY_CSS,
    _amount,
    _months,
    glossary_html,
    opening_note,
    story_inputs,
    storyline_html,
)
from .summary import key_figures, write_summary

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def report_notebooks(notebooks_dir: Path | str = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``00_...ipynb``, ``01_...``) in order."""
    found = sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReportError(f"no notebooks found in {notebooks_dir}")
    return found


#: Seconds a notebook of a report may run, in total, before it is stopped (``--timeout-per-notebook``).
TIMEOUT_PER_NOTEBOOK = 1800
#: The longest wait for a reply outside a cell (the kernel's start, its closing reply), however long the limit.
KERNEL_REPLY_TIMEOUT = 60


class _Deadline:
    """The time a notebook has left, handed to nbclient as the timeout of each cell.

    nbclient's own ``timeout`` is per cell; asking this object for each cell
    makes it one limit for the whole notebook: a cell gets what is left.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.cell_index: int | None = None

    def cell_started(self, cell, cell_index: int, **_) -> None:
        """nbclient's ``on_cell_execute`` hook: which cell runs now."""
        self.cell_index = cell_index

    def __call__(self, cell) -> float:
        """nbclient's ``timeout_func``: the seconds this cell may take (never 0, which nbclient reads as no limit)."""
        from nbclient.exceptions import CellTimeoutError

        left = self.end - time.monotonic()
        if left <= 0:
            raise CellTimeoutError.error_from_timeout_and_cell("No time left", 0, cell)
        return left

    @property
    def passed(self) -> bool:
        """Whether the notebook's time is up."""
        return time.monotonic() >= self.end - 0.5  # nbclient's wait ends within a moment of the deadline


def run_notebook(source: Path, target: Path, parameters: dict, timeout: float = TIMEOUT_PER_NOTEBOOK) -> None:
    """Execute one notebook with papermill; raise :class:`ReportError` naming the failed cell.

    Parameters
    ----------
    source, target : Path
        The notebook and where its executed copy goes (written after each
        cell, so a notebook that fails or runs out of time is kept as far as
        it got).
    parameters : dict
        Values for the notebook's ``parameters`` cell.
    timeout : float
        Seconds the whole notebook may take, from the start of its kernel.
        A notebook still running then is stopped (its kernel shut down) and
        fails. Every wait for the kernel is bounded, so a kernel that never
        answers cannot hold the run either.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    deadline = _Deadline(timeout)
    reply_timeout = max(1, min(KERNEL_REPLY_TIMEOUT, math.ceil(timeout)))
    try:
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            # The kernel's own log is noise on a scheduled run's terminal: its start-up notices, and the
            # "KeyboardInterrupt caught in kernel" it logs as an error when the interrupt jupyter_client sends
            # every kernel at shutdown finds it busy (on a loaded machine). A failing cell reaches us from papermill.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            start_timeout=reply_timeout,
            execution_timeout=reply_timeout,  # nbclient's wait for a reply outside a cell
            timeout_func=deadline,  # each cell: the time the notebook has left
            on_cell_execute=deadline.cell_started,
        )
    except PapermillExecutionError as exc:
        raise ReportError(
            f"notebook {source.name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue}"
        ) from None
    except (CellTimeoutError, DeadKernelError, RuntimeError) as exc:
        # RuntimeError: jupyter_client's "Kernel didn't respond in N seconds" and "Kernel died before replying"
        where = "" if deadline.cell_index is None else f" in cell {deadline.cell_index}"
        if deadline.passed:
            raise ReportError(
                f"notebook {source.name} ran out of time: stopped{where} after {timeout:g} s (the limit per "
                "notebook, which smartacct report --timeout-per-notebook S sets)"
            ) from None
        if isinstance(exc, CellTimeoutError):
            reason = "its kernel stopped answering"
        elif isinstance(exc, DeadKernelError):
            reason = "its kernel died (for example, out of memory)"
        else:
            reason = f"its kernel failed: {exc}"
        raise ReportError(f"notebook {source.name} failed{where}: {reason}") from None


def build_report(
    params_file: str | Path,
    out: str | Path = "reports",
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    *,
    overrides: dict | str | None = None,
    timeout_per_notebook: float = TIMEOUT_PER_NOTEBOOK,
) -> Path:
    """Run every notebook for one params file and write the report folder.

    Parameters
    ----------
    params_file : path
        The client's params file.
    out : path
        The reports folder; the report lands in ``out/<client-slug>/<reference-date>/``.
    notebooks_dir : path
        Where the numbered notebooks are.
    overrides : dict or str, optional
        Params values changed for this run only (``smartacct report --set``;
        see :func:`smartacct_helpers.overrides.read_overrides`). Every notebook's
        kernel gets them too; the assumptions table shows them with the
        source "this run".
    timeout_per_notebook : float
        Seconds each notebook may run in total before it is stopped and the
        run fails (default 1800).

    Returns
    -------
    Path
        The finished report folder.

    Raises
    ------
    ParamsError, InputDataError
        Before any notebook runs.
    ReportError
        When a notebook fails (the earlier report stays, the failed notebook
        is kept in ``out/<client-slug>/failed-<timestamp>/``), or when another
        run for the same client holds the lock.
    """
    params_file = Path(params_file).resolve()
    overrides = read_overrides(overrides)
    params = load_params(params_file, overrides)
    client_dir = Path(out).resolve() / params.client_slug
    client_dir.mkdir(parents=True, exist_ok=True)
    with client_lock(client_dir), run_log(client_dir / LOG_NAME):
        recover_interrupted_runs(client_dir)
        started = time.monotonic()
        log(f"Reading data for {params.client} ({params_file})")
        if overrides:
            log("Set for this run: " + ", ".join(f"{k} = {v}" for k, v in _settings(overrides)))
        workbook = Workbook.open(params)
        final = client_dir / workbook.reference_date.isoformat()
        front = _front_matter(workbook)
        with tempfile.TemporaryDirectory(dir=client_dir, prefix=f"{BUILDING}workbook-") as kept:
            snapshot = workbook.save_snapshot(kept)  # the notebooks' kernels open this instead of the files
            del workbook  # this copy need not stay beside the kernels' ones
            gc.collect()  # the workbook's tables and engine refer to each other: only a collection frees them
            with _environment(SNAPSHOT, snapshot):
                folder = _build(
                    front, params_file, client_dir, final, Path(notebooks_dir), overrides, timeout_per_notebook
                )
        removed = prune_reports(client_dir, params.keep_reports)
        if removed:
            log(f"Removed {len(removed)} older report(s), keeping the last {params.keep_reports}")
        log(f"Report written to {folder} in {time.monotonic() - started:.1f} s")
    return folder


def _settings(overrides: dict, prefix: str = "") -> list[tuple[str, object]]:
    """The overrides as (dotted key, value) pairs, for the log."""
    pairs = []
    for key, value in overrides.items():
        if isinstance(value, dict) and value:
            pairs += _settings(value, f"{prefix}{key}.")
        else:
            pairs.append((f"{prefix}{key}", value))
    return pairs


@contextlib.contextmanager
def _environment(name: str, value):
    """The environment variable ``name`` set to ``value`` (unless None) for the kernels started meanwhile."""
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = str(value)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _front_matter(workbook) -> dict:
    """What the report shows before the notebooks: the key figures, the assumptions and the opening chart.

    Computed before any notebook runs, so that the report's process holds
    no workbook while the notebooks' kernels hold theirs: at 10 million
    invoice lines each holds several hundred megabytes.
    """
    log("Computing the key figures")
    figures = key_figures(workbook)
    warned = early_warnings(workbook)
    return {
        "figures": figures,
        "story": story_inputs(workbook, figures, warned),
        "rules": workbook.assumptions,
        "assumptions": assumptions_display(workbook.params),
        "opening_chart": opening_chart(workbook),
        "number_format": workbook.params.number_format,
        "early_warnings": warned,
        "targets": {
            "churn_rate_12m": workbook.assumptions.market_churn_rate,
            "amortisation_month": figures.get("payback_months"),
        },
    }


def _build(
    front: dict,
    params_file: Path,
    client_dir: Path,
    final: Path,
    notebooks_dir: Path,
    overrides: dict | None = None,
    timeout: float = TIMEOUT_PER_NOTEBOOK,
) -> Path:
    reference = final.name
    building = Path(tempfile.mkdtemp(dir=client_dir, prefix=f"{BUILDING}{reference}-"))
    os.chmod(building, readable_mode(directory=True))
    try:
        notebooks = report_notebooks(notebooks_dir)
        (building / "notebooks").mkdir()
        exports = building / "exports"
        exports.mkdir()
        parameters = {"params_file": str(params_file), "interactive": False, "export_dir": str(exports)}
        if overrides:  # as JSON values (a date as its text), which each kernel's params read back the same
            parameters["overrides"] = json.loads(json.dumps(overrides, default=str))
        for i, nb in enumerate(notebooks, start=1):
            t0 = time.monotonic()
            log(f"[{i}/{len(notebooks)}] {nb.name} ...")
            target = building / "notebooks" / nb.name
            try:
                run_notebook(nb, target, parameters, timeout)
            except ReportError as exc:
                failed = client_dir / f"failed-{dt.datetime.now():%Y%m%d-%H%M%S}"
                failed.mkdir(exist_ok=True)
                if target.exists():
                    shutil.copy2(target, failed / nb.name)
                log(f"FAILED: {exc}")
                raise ReportError(f"{exc}\nThe failed notebook is kept in {failed}") from None
            log(f"[{i}/{len(notebooks)}] {nb.name} done in {time.monotonic() - t0:.1f} s")
        write_csv(front["early_warnings"], exports / WARNINGS_FILE)
        figures = front["figures"]
        since = since_last_report(client_dir, figures, exports)
        figures["previous_reference_date"] = since.previous_reference_date if since else None
        figures["changes"] = since.changes if since else []
        write_summary(figures, building / "summary.json")
        executed = [building / "notebooks" / nb.name for nb in notebooks]
        changes = changes_html(
            since, figures["reference_date"], front["targets"], Numbers(figures["currency"], front["number_format"])
        )
        write_html(
            executed,
            figures,
            front["assumptions"],
            building / "report.html",
            front["opening_chart"],
            front["number_format"],
            changes,
            storyline_html(figures, front["story"], front["rules"], front["number_format"]),
            opening_note(front["story"], front["number_format"]),
        )
        note = print_pdf(building / "report.html", building / "report.pdf")
        log(note)
        replace_dir(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return final
