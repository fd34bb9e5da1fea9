"""The manager dashboard: one page of figures, charts and controls, no code.

``notebooks/dashboard.ipynb`` calls :func:`dashboard`, and Voila serves that
notebook as a web page (``smartacct dashboard`` or ``make dashboard``). The
page shows the key figures as cards (the sales threshold, the inside-sales
headcount and ROI for a capacity and an uplift the viewer picks, how
concentrated the revenue is, the early-warning count), the Pareto/ABC chart
and the threshold chart. Whatever goes wrong, a viewer sees a short
message saying what to fix, never a traceback.

Examples
--------
>>> page = dashboard("data/sample/params.yaml")  # doctest: +SKIP
>>> page  # in a notebook or under Voila  # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from ..early_warning.rhythm import early_warning_count
from ..exceptions import SmartacctError
from ..field_visits.analysis import field_economics
from ..inside_sales import business_case as bc
from ..inside_sales.business_case import headcount
from ..key_accounts.analysis import analyse, key_account_figures
from ..key_accounts.charts import top_customers_chart
from ..key_accounts.concentration import herfindahl_index, hhi_band, top_share
from ..presentation.formatting import count, money, number, share
from ..presentation.widgets import assumption_slider
from ..small_customers import charts
from ..small_customers.analysis import classify

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PARAMS = ROOT / "data" / "sample" / "params.yaml"
DASHBOARD_NOTEBOOK = ROOT / "notebooks" / "dashboard.ipynb"
PARAMS_VARIABLE = "SMARTACCT_PARAMS"

CSS = """
<style>
.sa-title{font-size:1.6em;font-weight:600;color:#1f4e79;margin:.2em 0 0}
.sa-sub{color:#666;margin:0 0 .8em}
.sa-card{display:inline-block;vertical-align:top;min-width:170px;margin:0 10px 10px 0;padding:10px 14px;
  border-left:4px solid #1f4e79;background:#f3f6fa;border-radius:2px}
.sa-card .label{font-size:.8em;color:#555}
.sa-card .value{font-size:1.45em;font-weight:600;color:#1f4e79}
.sa-card .note{font-size:.75em;color:#777}
.sa-charts img{max-width:100%;height:auto}
.sa-problem{border-left:4px solid #c0392b;background:#fdf2f0;padding:12px 16px;max-width:900px}
.sa-problem h3{color:#c0392b;margin-top:0}
</style>
"""


@dataclass(frozen=True)
class Card:
    """One key figure as the dashboard shows it."""

    label: str
    value: str
    note: str = ""
    key: str = ""


def cards_html(cards: list[Card]) -> str:
    """The cards as HTML; each card carries ``data-key`` so a page test can find it."""
    return "".join(
        f"<div class='sa-card' data-key='{html.escape(c.key)}'><div class='label'>{html.escape(c.label)}</div>"
        f"<div class='value'>{html.escape(c.value)}</div><div class='note'>{html.escape(c.note)}</div></div>"
        for c in cards
    )


def key_cards(
    workbook, classified, capacity: int, early_warnings: int | None = None, key_accounts: dict | None = None
) -> list[Card]:
    """The figures a manager looks at first, for the current assumptions and one capacity."""
    style = workbook.params.number_format
    a = workbook.assumptions
    cur = workbook.params.currency
    econ = field_economics(a)
    revenue = classified["revenue_12m"]
    to_manage = int(classified["to_manage"].sum())
    hhi = herfindahl_index(revenue)
    case = bc.business_case(bc.case_inputs(classified, a), a, capacity=capacity)
    payback = "not within the horizon" if case.payback_months is None else f"payback in month {case.payback_months}"
    cards = [
        Card(
            "customers",
            count(len(classified), style=style),
            f"reference date {workbook.reference_date:%d %b %Y}",
            "customers",
        ),
        Card(
            "revenue, last 12 months",
            money(revenue.sum(), cur, compact=True, style=style),
            "credit notes included",
            "revenue",
        ),
        Card(
            "sales threshold",
            money(econ.sales_threshold, cur, decimals=0, style=style),
            f"visit {money(econ.visit_cost, cur, style=style)}, cost ratio "
            f"{share(a.max_sales_cost_ratio, style=style)}",
            "threshold",
        ),
        Card(
            "customers to manage",
            count(to_manage, style=style),
            f"below the threshold and active in {a.active_window_months} months",
            "to_manage",
        ),
        Card(
            "inside-sales reps needed",
            count(headcount(to_manage, capacity), style=style),
            f"at {capacity} customers per rep",
            "headcount",
        ),
        Card(
            "return on investment",
            share(case.roi, style=style),
            f"{payback}, base case over {a.business_case_months} months",
            "roi",
        ),
        Card(
            "largest customer",
            share(top_share(revenue, 1), style=style),
            f"top 5: {share(top_share(revenue, 5), style=style)}",
            "top1",
        ),
        *(
            [
                Card(
                    "key accounts",
                    count(key_accounts["key_accounts"], style=style),
                    f"{share(key_accounts['key_account_revenue_share'], style=style)} of revenue",
                    "key_accounts",
                )
            ]
            if key_accounts
            else []
        ),
        Card("Herfindahl index", number(hhi, 3, style=style), hhi_band(hhi), "hhi"),
    ]
    if early_warnings is not None:
        cards.append(
            Card(
                "early warnings",
                count(early_warnings, style=style),
                "customers whose buying rhythm broke off",
                "early_warning",
            )
        )
    return cards


def problem_html(exc: BaseException) -> str:
    """A message for a viewer: what went wrong and what to fix, without a traceback."""
    if isinstance(exc, SmartacctError):
        lines = str(exc).splitlines()
        head, details = lines[0], lines[1:]
        fix = (
            "Correct the params file or the data file named below, then reload this page. "
            "<code>smartacct validate --params FILE</code> lists every problem."
        )
    else:
        head, details = f"The dashboard could not be computed ({type(exc).__name__}).", [str(exc)]
        fix = (
            "Run <code>smartacct validate --params FILE</code> to check the data; if it finds nothing, "
            "the log of <code>smartacct dashboard</code> holds the details."
        )
    items = "".join(f"<li>{html.escape(d.strip())}</li>" for d in details[:20] if d.strip())
    return (
        f"{CSS}<div class='sa-problem'><h3>{html.escape(head)}</h3><p>{fix}</p>"
        f"{'<ul>' + items + '</ul>' if items else ''}</div>"
    )


def dashboard(params_file: str | Path | None = None) -> w.Widget:
    """The whole dashboard as one widget, or a friendly message when the data cannot be read.

    Parameters
    ----------
    params_file : path, optional
        The client's params file; the sample by default.
    """
    try:
        return _dashboard(params_file or SAMPLE_PARAMS)
    except Exception as exc:  # a viewer must never see a traceback
        return w.HTML(problem_html(exc))


def _dashboard(params_file) -> w.Widget:
    from ..facts.workbook import Workbook

    return dashboard_page(Workbook.open(params_file))


def dashboard_page(base) -> w.Widget:
    """The dashboard of an open workbook (what :func:`dashboard` shows once the data is read)."""
    a = base.assumptions
    controls = {
        name: assumption_slider(base, name)
        for name in ("max_sales_cost_ratio", "visits_per_customer_year", "revenue_uplift_on_gap")
    }
    controls["capacity"] = w.IntSlider(
        value=bc.middle_capacity(a.inside_rep_capacity),
        min=300,
        max=500,
        step=10,
        description="customers per inside rep",
        continuous_update=False,
        style={"description_width": "230px"},
        layout=w.Layout(width="520px"),
    )
    controls["capacity"].add_class("sa-capacity")
    warnings = early_warning_count(base)
    analysis = analyse(base)
    key_account_share = key_account_figures(base, analysis)
    cards = w.HTML()
    cards.add_class("sa-cards")
    half = w.Layout(width="50%")
    pareto_out, threshold_out = w.Output(layout=half), w.Output(layout=half)
    concentration_out = w.Output()
    with concentration_out:
        display(top_customers_chart(analysis.accounts, a.major_customer_share, n=10))
    message = w.HTML()

    def update(*_, charts_too: bool = True):
        try:
            variant = base.with_assumptions(
                max_sales_cost_ratio=controls["max_sales_cost_ratio"].value,
                visits_per_customer_year=controls["visits_per_customer_year"].value,
                revenue_uplift_on_gap=controls["revenue_uplift_on_gap"].value,
            )
            classified = classify(variant)
            cards.value = CSS + cards_html(
                key_cards(variant, classified, controls["capacity"].value, warnings, key_account_share)
            )
            message.value = ""
        except Exception as exc:  # a bad combination of controls must not break the page
            message.value = problem_html(exc)
            return
        if not charts_too:
            return
        econ = field_economics(variant.assumptions)
        with pareto_out:
            pareto_out.clear_output(wait=True)
            display(charts.pareto_chart(classified, variant.assumptions.abc.a, variant.assumptions.abc.b))
        with threshold_out:
            threshold_out.clear_output(wait=True)
            display(charts.threshold_chart(classified, econ.sales_threshold, variant.params.currency))

    controls["max_sales_cost_ratio"].observe(update, names="value")
    controls["visits_per_customer_year"].observe(update, names="value")
    controls["capacity"].observe(lambda change: update(charts_too=False), names="value")
    controls["revenue_uplift_on_gap"].observe(lambda change: update(charts_too=False), names="value")
    update()
    title = w.HTML(
        f"{CSS}<div class='sa-title'>{html.escape(base.params.client)}</div>"
        f"<div class='sa-sub'>Small customers, field visits and inside sales &middot; amounts in "
        f"{html.escape(base.params.currency)} &middot; data up to {base.reference_date:%d %B %Y}</div>"
    )
    panel = w.VBox(
        [w.HTML("<b>Assumptions</b>"), *controls.values()],
        layout=w.Layout(padding="8px 12px", border="1px solid #e0e0e0", margin="0 0 12px 0"),
    )
    ka_note = w.HTML(
        "<div class='sa-sub'><b>Key-account concentration</b>: the ten largest customers' share "
        "of revenue and of contribution margin; the line marks a major customer.</div>"
    )
    grid = w.VBox([w.HBox([pareto_out, threshold_out]), w.HBox([w.VBox([ka_note, concentration_out], layout=half)])])
    grid.add_class("sa-charts")
    return w.VBox([title, cards, panel, message, grid])


def serve(params_file: str | Path | None = None, port: int = 8866, host: str = "127.0.0.1") -> int:
    """Serve the dashboard with Voila until stopped; returns Voila's exit code.

    The params file reaches the notebook through the environment variable
    ``SMARTACCT_PARAMS``. Voila binds to ``host`` (127.0.0.1 unless told
    otherwise), hides code and never sends tracebacks to the browser.
    """
    from ..params import load_params

    params = Path(params_file).resolve() if params_file else SAMPLE_PARAMS
    load_params(params)  # a bad params file stops here with exit code 2
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        raise SmartacctError("voila is not installed; install smartacct with `pip install -e .`")
    env = dict(os.environ, **{PARAMS_VARIABLE: str(params)})
    command = [
        voila,
        str(DASHBOARD_NOTEBOOK),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--no-browser",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        # a kernel that has already run the notebook waits for the next viewer, so the page opens at once
        "--preheat_kernel=True",
        "--pool_size=1",
        f"--Voila.root_dir={DASHBOARD_NOTEBOOK.parent}",
    ]
    print(f"Dashboard for {params} on http://{host}:{port}/ (Ctrl+C stops it)", file=sys.stderr, flush=True)
    voila_server = subprocess.Popen(command, env=env)
    # a stop from a service manager or `kill` reaches Voila too, which then stops its kernels
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: voila_server.terminate()) if main else None
    try:
        return voila_server.wait()
    except KeyboardInterrupt:  # Ctrl+C reached Voila as well: let it finish stopping
        voila_server.terminate()
        voila_server.wait()
        return 0
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
