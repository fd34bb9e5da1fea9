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
import html
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from ..exceptions import ReportError
from ..facts.workbook import SNAPSHOT, Workbook
from ..overrides import read_overrides
from ..params import load_params
from ..presentation.formatting import Numbers, count, date_text, money, number, share
from ..presentation.tables import CSS as TABLE_CSS
from ..presentation.tables import Table, assumptions_display, table
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


# --- HTML ---------------------------------------------------------------------------

CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1.5em;line-height:1.5}
h1{color:#1f4e79;font-size:2em;margin-bottom:.2em} h2{color:#1f4e79;border-bottom:2px solid #1f4e79;padding-bottom:.2em;margin-top:2.2em}
h3{color:#333} .cover{border-bottom:4px solid #1f4e79;padding-bottom:1em;margin-bottom:2em} .cover p{margin:.2em 0;color:#555}
table{border-collapse:collapse;margin:1em 0;font-size:.9em} th,td{border-bottom:1px solid #ddd;padding:.35em .7em;text-align:right}
th{background:#f3f6fa;text-align:left} td:first-child,th:first-child{text-align:left}
img{max-width:100%;height:auto} pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}
.toc a{color:#1f4e79;text-decoration:none} .notebook{page-break-before:always}
.figures td{text-align:right} .figures td:first-child{text-align:left;color:#444} .figures tr.group th{background:#1f4e79;color:#fff;padding-top:.5em} .note{color:#666;font-size:.9em}
.jp-OutputArea-output, .output_area{margin:.4em 0}
table.changes td.text{text-align:left}
"""

#: the printed report: A4 at a readable size (body 10 pt, tables 8 pt), page numbers in the bottom margin,
#: headings kept with what follows, no table row or chart split across pages, a table's header repeated on
#: each page it spans; an element of class ``wide`` prints on a landscape page
PRINT_CSS = """
@page{size:A4;margin:14mm 12mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:9pt;color:#555;font-family:Helvetica,Arial,sans-serif}}
@page wide{size:A4 landscape;margin:12mm 14mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35}
 h1{font-size:20pt} h2{font-size:15pt;margin-top:1.2em} h3{font-size:12pt} h4{font-size:10.5pt}
 h1,h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}
 table,table.smartacct{font-size:8pt} table.figures{font-size:9.5pt} th,td{padding:.15em .4em}
 table{max-width:100%} table:not(.smartacct) td,table:not(.smartacct) th{overflow-wrap:anywhere}
 thead{display:table-header-group} tr,img,figure,svg{break-inside:avoid;page-break-inside:avoid}
 tr.group{break-after:avoid;page-break-after:avoid}
 .note,.smartacct-table-note,table.smartacct caption,.cover p{font-size:9pt}
 pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:9pt} img{max-width:100%}
 .notebook{break-before:page;page-break-before:always} .wide{page:wide}
 a{color:inherit;text-decoration:none}
 .smartacct-cards>div{break-inside:avoid} .smartacct-cards>div>div:first-child{font-size:9pt!important}
}
"""


def figure_sections(figures: dict, style: str = "en") -> list[tuple[str, list[tuple[str, str]]]]:
    """The executive summary's figures, grouped and written for a reader."""
    cur = figures["currency"]
    heads = figures.get("inside_sales_headcount", {})
    get = figures.get
    sections = [
        (
            "The business and its small customers",
            [
                ("Customers in total", count(figures["customers_total"], style=style)),
                ("Revenue, last 12 months", _amount(figures["revenue_12m"], cur, style)),
                ("A / B / C / D customers", " / ".join(count(figures["abc_counts"][k], style=style) for k in "ABCD")),
                (
                    "Revenue share of A / B / C",
                    " / ".join(share(figures["abc_revenue_share"][k], style=style) for k in "ABC"),
                ),
                ("Cost of one field visit", _amount(figures["visit_cost"], cur, style)),
                (
                    "Field management cost per customer and year",
                    _amount(figures["management_cost_per_customer"], cur, style),
                ),
                ("Sales threshold for field management", money(figures["sales_threshold"], cur, style=style)),
                ("Customers below the threshold", count(figures["customers_below_threshold"], style=style)),
                (
                    "Of these, to manage (ordered in the active window)",
                    count(figures["customers_to_manage"], style=style),
                ),
            ],
        ),
        (
            "Potential and the inside-sales team",
            [
                ("Sales potential of all customers", _amount(get("potential_total"), cur, style)),
                (
                    "Sales potential of the customers to manage",
                    _amount(get("potential_small_customers"), cur, style),
                ),
                (
                    "Median share of wallet of the customers to manage",
                    share(get("share_of_wallet_median"), style=style),
                ),
                ("Inside-sales reps needed (by customers per rep)", ", ".join(f"{v} at {k}" for k, v in heads.items())),
                ("Yearly cost of the team (middle capacity)", _amount(get("inside_sales_annual_cost"), cur, style)),
                ("Return on investment (base scenario)", share(get("roi"), style=style)),
                ("Payback", _months(get("payback_months"))),
                ("Uplift on the gap needed to break even", share(get("break_even_uplift"), style=style)),
                ("Probability of paying back within 24 months", share(get("probability_payback_24m"), style=style)),
            ],
        ),
        (
            "Key accounts and concentration",
            [
                ("Key accounts", count(get("key_accounts"), style=style)),
                ("Their share of revenue", share(get("key_account_revenue_share"), style=style)),
                (
                    "Largest customer / top 5 / top 10",
                    " / ".join(share(figures[k], style=style) for k in ("top1_share", "top5_share", "top10_share")),
                ),
                ("Herfindahl index", number(figures["hhi"], 3, style=style)),
                ("Margin lost with the largest customer", _amount(get("worst_case_top1_margin_loss"), cur, style)),
                ("Margin lost with the five largest", _amount(get("worst_case_top5_margin_loss"), cur, style)),
                (
                    "Share of key-account profit from the best 20 %",
                    share(get("profit_share_top20pct_key_accounts"), style=style),
                ),
                ("Customers losing money after the cost to serve", count(get("customers_loss_making"), style=style)),
            ],
        ),
        (
            "Levers and the year-one review",
            [
                (
                    "Operating profit gained by the levers on small customers",
                    _amount(get("small_customer_levers_operating_profit_delta"), cur, style),
                ),
                (
                    "Apart: by the price rise on large customers",
                    _amount(get("large_customer_levers_operating_profit_delta"), cur, style),
                ),
                ("C customers that were A within 3 years", share(get("c_to_a_rate_3y"), style=style)),
                (
                    "Market share in the small-customer segment / overall",
                    " / ".join(
                        share(get(k), style=style) for k in ("market_share_small_customers", "market_share_overall")
                    )
                    if get("market_share_overall") is not None
                    else "–",
                ),
            ],
        ),
    ]
    return [(title, [(k, v) for k, v in rows if v != "–"]) for title, rows in sections]


def _opening(chart, note: str = "") -> str:
    if chart is None:
        return ""
    return (
        "<p>Two tracks: a key-account programme for the few customers that carry the business, and a cheaper "
        "way to serve all others by their value and potential. Every customer is placed by what it buys today "
        "and what it could buy, coloured by the treatment it should get.</p>"
        + chart.html()
        + (f"<p class='note'>{html.escape(note)}</p>" if note else "")
    )


def opening_chart(workbook):
    """The portfolio map that opens the executive summary (a chart with its alt text)."""
    from ..key_accounts.charts import portfolio_map_chart
    from ..key_accounts.portfolio import portfolio_map

    return portfolio_map_chart(portfolio_map(workbook), workbook.params.currency, style=workbook.params.number_format)


#: the tag of a notebook cell that serves the workshop only (how to run the tool, the sliders); the report drops it
WORKSHOP_ONLY = "workshop-only"
#: tags of cells the report leaves out: the parameters, those papermill injects, and the workshop's own
DROPPED_TAGS = ("parameters", "injected-parameters", WORKSHOP_ONLY)


def report_cells(nb):
    """The cells of an executed notebook that the client's report shows.

    Cells tagged ``parameters``, ``injected-parameters`` or ``workshop-only``
    are left out (the last keep what serves the workshop in the notebooks:
    how to run the tool, the sliders); so are widget outputs and what a cell
    wrote to stderr.
    """
    cells = [c for c in nb.cells if not set(c.metadata.get("tags", [])) & set(DROPPED_TAGS)]
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if "application/vnd.jupyter.widget-view+json" not in o.get("data", {}) and o.get("name") != "stderr"
            ]
    return cells


def _notebook_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Notebook"


def write_html(
    notebooks: list[Path],
    figures: dict,
    assumptions,
    path: Path,
    opening_chart=None,
    style: str = "en",
    changes: str = "",
    storyline: str = "",
    note: str = "",
) -> Path:
    """One self-contained HTML document: cover, contents, key figures, what changed, notebooks, assumptions.

    ``storyline`` opens the executive summary (:func:`storyline_html`: the
    situation, the findings, the recommendation and the next 90 days);
    ``note`` says which customers the portfolio map after the key figures
    cannot place (:func:`opening_note`);
    ``changes`` is the section "Since the last report"
    (:func:`~smartacct_helpers.delivery.changes_section.changes_html`), shown
    after the key figures.

    Code is hidden, charts are embedded as images, nothing is loaded from the
    network.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    sections = []
    for i, nb_path in enumerate(notebooks, start=1):
        nb = nbformat.read(str(nb_path), as_version=4)
        nb.cells = report_cells(nb)
        body, _ = exporter.from_notebook_node(nb)
        sections.append((f"nb{i}", _notebook_title(nb), body))

    generated = date_text(dt.date.today(), style)
    rows = "".join(
        f"<tr class='group'><th colspan='2'>{html.escape(title)}</th></tr>"
        + "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in items)
        for title, items in figure_sections(figures, style=style)
    )
    toc = "".join(f"<li><a href='#{sid}'>{html.escape(title)}</a></li>" for sid, title, _ in sections)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta name='number-format' content='{html.escape(style)}'>",
        f"<title>{html.escape(figures['client'])}: customer analysis {date_text(figures['reference_date'], style)}</title>",
        f"<style>{CSS}{TABLE_CSS}{PRINT_CSS}</style></head><body>",
        "<div class='cover'>",
        f"<h1>{html.escape(figures['client'])}</h1><p><strong>Small customers, field visits and key "
        "accounts</strong></p>",
        f"<p>Reference date {date_text(figures['reference_date'], style)} &middot; generated {generated} &middot; amounts in "
        f"{html.escape(figures['currency'])}</p>",
        "</div>",
        "<h2 id='contents'>Contents</h2><ol class='toc'><li><a href='#summary'>Executive summary</a></li>",
        "<li><a href='#since'>Since the last report</a></li>" if changes else "",
        toc,
        "<li><a href='#glossary'>Glossary</a></li><li><a href='#assumptions'>Assumptions</a></li></ol>",
        "<h2 id='summary'>Executive summary</h2>",
        storyline,
        "<h3>Key figures</h3>",
        f"<table class='figures'><tbody>{rows}</tbody></table>",
        _opening(opening_chart, note),
        changes,
    ]
    for sid, _title, body in sections:
        parts.append(f"<section class='notebook' id='{sid}'>{body}</section>")
    parts.append(f"<style>{STORY_CSS}</style>" + glossary_html(figures, style))
    parts.append("<h2 id='assumptions'>Assumptions</h2>")
    parts.append(
        "<p class='note'>Every number the analysis rests on and where it comes from: the practitioner article, "
        "a smartacct default, the client's input, the client's data, or a value set for this run only.</p>"
    )
    if not isinstance(assumptions, Table):  # a table of the params (:func:`~.params.assumptions_table`)
        assumptions = table(assumptions, style=style, fit=False)
    parts.append(assumptions.to_html())
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
