"""The manager dashboard: five questions, each answered on its own tab, no code.

``notebooks/dashboard.ipynb`` calls :func:`dashboard`, and Voila serves that
notebook as a web page (``smartacct dashboard``, see
:mod:`smartacct_helpers.delivery.dashboard_server`). The page's title is the
client's name; its five tabs answer what a sales manager asks:

1. **What do the small customers cost today?** The cost of a field visit and
   of looking after one customer for a year, the sales threshold, the
   customers to manage and what serving them in the field costs a year,
   with the customers per revenue band. Controls: visits a customer needs
   a year, the highest sales cost ratio.
2. **Does inside sales pay?** Reps needed, cost, return, payback and the
   chance of paying back, for an own team and an external provider.
   Controls: customers per inside rep, share of the untapped potential won
   a year.
3. **Which key accounts are at risk?** A named list with share, trend,
   scorecard class, the warning signs and what losing each costs.
4. **Whom do we call this week?** The early-warning call lists, named,
   with the reason; a choice of rep.
5. **Did it work?** The year-one review's key figures when a programme
   start is set.

**One truth on the screen.** Each tab's cards, chart and table are one
piece of HTML written in one step from one set of numbers, so they never
disagree, not even while a control moves; every number goes through
:mod:`smartacct_helpers.presentation.formatting` (the params' ``number_format``) with
the report's precision for the same figure (a return of 37,4 %, days as
31.12.2025), and every table through the report's table layer
(:mod:`smartacct_helpers.presentation.tables`). The
numbers come from :mod:`smartacct_helpers.delivery.dashboard_answers`, the charts
from :mod:`smartacct_helpers.delivery.dashboard_charts`, each tab's HTML from
:mod:`~smartacct_helpers.delivery.dashboard_cost_tabs` (tabs 1 and 2) and
:mod:`~smartacct_helpers.delivery.dashboard_customer_tabs` (tabs 3 to 5), built of
the cards and tables of :mod:`~smartacct_helpers.delivery.dashboard_blocks`; this
module lays out the page and its controls. The page opens with the first
tab's widgets alone and builds each further tab the first time it is
chosen (:func:`dashboard_page`), so that a viewer's browser has less to
build before the first answer shows.

Whatever goes wrong, a viewer sees a short message saying what to fix,
never a traceback; an answer whose input the data lacks says in one
sentence what it needs.

Examples
--------
>>> page = dashboard("data/sample/params.yaml")  # doctest: +SKIP
>>> page  # in a notebook or under Voila  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import ipywidgets as w

from ..exceptions import SmartacctError
from ..inside_sales import business_case as bc
from ..presentation.formatting import Numbers
from ..small_customers.analysis import classify
from . import dashboard_answers as answers
from .dashboard_blocks import (  # noqa: F401  (the page's pieces, offered here as before)
    Card,
    cards_html,
    needs_html,
    signed,
    table_html,
)
from .dashboard_cost_tabs import inside_sales_html, small_customers_html
from .dashboard_customer_tabs import (  # noqa: F401
    ALL_REPS,
    GROUP_WORDS,
    REP_WORDS,
    calls_html,
    key_accounts_html,
    most_urgent,
    rep_options,
    review_html,
    trends_html,
)
from .dashboard_first_paint import FirstPaintPage, first_paint_html, slider_html
from .dashboard_server import (  # noqa: F401
    ANSWERS_FILE,
    DASHBOARD_NOTEBOOK,
    PARAMS_VARIABLE,
    REPORTS_VARIABLE,
    SAMPLE_PARAMS,
    STAMPS_FILE,
    file_stamps,
)

#: the five tabs, in order: (key, title)
TABS = (
    ("small", "What small customers cost"),
    ("inside", "Does inside sales pay?"),
    ("key", "Key accounts at risk"),
    ("calls", "Whom to call this week"),
    ("review", "Did it work?"),
)

CSS = """
<style>
.sa-page{max-width:1280px;color:#222}
.sa-title{font-size:1.7em;font-weight:600;color:#1f4e79;margin:.1em 0 0}
.sa-sub{color:#555;margin:.2em 0 .9em}
.sa-q{font-size:1.3em;font-weight:600;color:#1f4e79;margin:.3em 0 .3em}
.sa-lead{font-size:1.05em;max-width:1000px;margin:0 0 .9em;line-height:1.45}
.sa-cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 12px}
.sa-card{box-sizing:border-box;flex:1 1 160px;max-width:250px;padding:9px 13px;border-left:4px solid #1f4e79;background:#f3f6fa;
  border-radius:2px}
.sa-card .label{font-size:.85em;color:#444;line-height:1.25}
.sa-card .value{font-size:1.45em;font-weight:600;color:#1f4e79;margin:.15em 0}
.sa-card .note{font-size:.8em;color:#555;line-height:1.3}
.sa-card.sa-warn{border-left-color:#c0392b}
.sa-card.sa-warn .value{color:#c0392b}
.sa-h{font-weight:600;margin:.8em 0 .3em;color:#333;line-height:1.35}
.sa-legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:.88em;color:#333;margin:.2em 0 .3em}
.sa-legend-item{display:inline-flex;align-items:flex-start;gap:6px;max-width:100%}
.sa-swatch{display:inline-block;width:14px;min-width:14px;height:12px;margin-top:.2em;border-radius:2px}
.sa-note{font-size:.9em;color:#555;max-width:1000px;margin:.5em 0;line-height:1.4}
.sa-table{border-collapse:collapse;font-size:.92em;margin:.3em 0 .6em}
.sa-table th{text-align:left;font-weight:600;border-bottom:2px solid #1f4e79;padding:5px 9px;vertical-align:bottom;
  line-height:1.3}
.sa-table td{border-bottom:1px solid #e3e3e3;padding:5px 9px;vertical-align:top;line-height:1.35}
.sa-table td.num,.sa-table th.num{text-align:right;white-space:nowrap}
.sa-table td.text{max-width:460px}
.sa-row{display:flex;flex-wrap:wrap;gap:12px 36px;align-items:flex-start}
.sa-row>.sa-col{flex:0 1 auto;min-width:0}
.sa-row>.sa-grow{flex:1 1 520px;max-width:760px}
.sa-needs{font-style:italic;color:#444;background:#f7f7f7;border-left:4px solid #999;padding:10px 14px;
  max-width:1000px}
.sa-controls{display:flex;flex-wrap:wrap;gap:6px 30px;padding:8px 12px;margin:4px 0 12px;
  border:1px solid #dde3ea;background:#fafbfd}
.sa-control-label{font-size:.92em;color:#333}
.sa-problem{border-left:4px solid #c0392b;background:#fdf2f0;padding:12px 16px;max-width:900px}
.sa-problem h3{color:#c0392b;margin-top:0}
.sa-tabs .lm-TabBar-tab,.sa-tabs .p-TabBar-tab{flex:0 0 auto !important;max-width:none !important;
  min-width:0 !important;padding:0 14px !important;font-size:1.02em}
.sa-tabs .lm-TabBar-tabLabel,.sa-tabs .p-TabBar-tabLabel{overflow:visible !important;text-overflow:clip !important}
.sa-tabs .lm-TabBar-tab.lm-mod-current,.sa-tabs .p-TabBar-tab.p-mod-current{font-weight:600}
</style>
"""


# -- pieces of HTML --------------------------------------------------------------------------------------------


# -- the page --------------------------------------------------------------------------------------------------


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
        workbook = open_workbook(params_file or SAMPLE_PARAMS)
        return dashboard_page(workbook, kept_answers(workbook), reports=os.environ.get(REPORTS_VARIABLE))
    except Exception as exc:  # a viewer must never see a traceback
        return w.HTML(problem_html(exc))


def open_workbook(params_file):
    """The workbook of ``params_file``: from the dashboard's snapshot while its data files are unchanged.

    ``smartacct dashboard`` reads the data once when it starts and keeps it
    in a snapshot (:meth:`Workbook.save_snapshot`) that each viewer's kernel
    opens in a fraction of the time. When a data file changed since, the
    files are read again, so a viewer never sees data older than the files.
    """
    from ..facts.workbook import SNAPSHOT, Workbook
    from ..params import load_params

    folder = os.environ.get(SNAPSHOT)
    if folder:
        stamps = Path(folder) / STAMPS_FILE
        try:
            recorded = json.loads(stamps.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = None
        if recorded != file_stamps(load_params(params_file)):
            os.environ.pop(SNAPSHOT, None)  # changed or gone: this kernel reads the files
    return Workbook.open(params_file)


def kept_answers(workbook) -> dict | None:
    """The answers ``smartacct dashboard`` computed once for this workbook's data and params, or None.

    Only while the kernel opened the dashboard's snapshot (its files
    unchanged, see :func:`open_workbook`) and with the same params.
    """
    import pickle

    from ..facts.workbook import SNAPSHOT

    folder = os.environ.get(SNAPSHOT)
    if not folder or not (Path(folder) / ANSWERS_FILE).is_file():
        return None
    with open(Path(folder) / ANSWERS_FILE, "rb") as file:
        kept = pickle.load(file)
    return kept["answers"] if kept.get("params") == workbook.params else None


#: the range and step of each assumption a control moves, as the notebooks' sliders have them
#: (:data:`smartacct_helpers.widgets.SLIDERS`, which a test compares; not imported: it brings matplotlib)
SLIDER_RANGES = {
    "max_sales_cost_ratio": (0.04, 0.12, 0.005),
    "visits_per_customer_year": (2, 8, 1),
    "revenue_uplift_on_gap": (0.0, 0.15, 0.005),
}


def _slider(workbook, name: str, css_class: str) -> w.Widget:
    """A slider for one assumption whose range holds the params' value; its readout is the label above it."""
    low, high, step = SLIDER_RANGES[name]
    value = getattr(workbook.assumptions, name)
    low, high = min(low, value), max(high, value)
    layout = w.Layout(width="360px")
    if isinstance(step, int):
        s = w.IntSlider(
            value=int(value),
            min=int(low),
            max=int(high),
            step=step,
            readout=False,
            continuous_update=False,
            layout=layout,
        )
    else:
        s = w.FloatSlider(
            value=float(value), min=low, max=high, step=step, readout=False, continuous_update=False, layout=layout
        )
    s.add_class(css_class)
    return s


class _Control:
    """A control with its label, which shows its current value in the dashboard's number format."""

    def __init__(self, widget: w.Widget, label, css_class: str):
        self.widget, self._label = widget, label
        self.text = w.HTML()
        self.text.add_class("sa-control-label")
        self.box = w.VBox([self.text, widget], layout=w.Layout(margin="0"))
        self.box.add_class(css_class + "-box")
        self.refresh()

    @property
    def value(self):
        return self.widget.value

    def refresh(self) -> None:
        self.text.value = f"<span class='sa-control-label'>{html.escape(self._label(self.widget.value))}</span>"

    def show(self, visible: bool) -> None:
        self.box.layout.display = None if visible else "none"


def dashboard_page(base, fixed: dict | None = None, reports: str | Path | None = None) -> w.Widget:
    """The dashboard of an open workbook (what :func:`dashboard` shows once the data is read).

    Works on every input a client may have: an answer whose input is
    missing says what it needs. The three answers without controls (key
    accounts, calls, year-one review) are computed once, or taken from
    ``fixed`` (:func:`~smartacct_helpers.delivery.dashboard_answers.fixed_answers`
    of the same workbook); a control recomputes the first two tabs, and
    writes each tab's cards and chart in one step.

    **The first tab first.** A viewer's browser builds every widget a page
    holds before it shows any, so the page holds only the first tab's
    widgets when it opens; each further tab is built the first time it is
    chosen (in well under a second), and kept.

    Long on purpose: one page's layout and its controls' wiring, top to bottom as the viewer sees them.
    """
    fixed = fixed or answers.fixed_answers(base)
    a = base.assumptions
    fmt = Numbers.of(base.params)
    caps = list(a.inside_rep_capacity)
    visits = _Control(
        _slider(base, "visits_per_customer_year", "sa-visits"),
        lambda v: f"Field visits a customer needs a year: {v}",
        "sa-visits",
    )
    ratio = _Control(
        _slider(base, "max_sales_cost_ratio", "sa-ratio"),
        lambda v: f"Highest sales cost, as a share of a customer's revenue: {fmt.share(v)}",
        "sa-ratio",
    )
    bodies = {"small": _body("small")}
    message = w.HTML()
    #: the inside-sales tab's controls once it is built; until then the values it opens with
    inside: dict = {}

    def update(*_):
        for control in (visits, ratio, *inside.get("controls", ())):
            control.refresh()
        capacity = inside["capacity"].value if inside else bc.middle_capacity(caps)
        uplift = inside["uplift"].value if inside else a.revenue_uplift_on_gap
        try:
            variant = base.with_assumptions(
                max_sales_cost_ratio=ratio.value,
                visits_per_customer_year=visits.value,
                revenue_uplift_on_gap=uplift,
            )
            classified = classify(variant)
            costs = answers.small_customer_costs(classified, variant.assumptions, with_bands=True)
            small = small_customers_html(costs, variant.assumptions, fmt)
            case = answers.inside_sales_case(variant, classified, capacity) if inside else None
            inside_html = inside_sales_html(case, fmt) if inside else ""
        except (SmartacctError, ValueError, ArithmeticError) as exc:  # a bad combination must not break the page
            message.value = problem_html(exc)
            return
        bodies["small"].value = small
        if inside:
            bodies["inside"].value = inside_html
            inside["capacity"].show(case.customers > 0)
            inside["uplift"].show(case.customers > 0 and case.limits is None)
        message.value = ""

    for control in (visits, ratio):
        control.widget.observe(update, names="value")
    update()

    def build_inside() -> list:
        capacity_slider = w.IntSlider(
            value=bc.middle_capacity(caps),
            min=min(300, min(caps)),
            max=max(500, max(caps)),
            step=10,
            readout=False,
            continuous_update=False,
            layout=w.Layout(width="360px"),
        )
        capacity_slider.add_class("sa-capacity")
        capacity = _Control(
            capacity_slider, lambda v: f"Customers one inside rep looks after: {fmt.count(v)}", "sa-capacity"
        )
        uplift = _Control(
            _slider(base, "revenue_uplift_on_gap", "sa-uplift"),
            lambda v: f"Share of the untapped potential won each year: {fmt.share(v)}",
            "sa-uplift",
        )
        bodies["inside"] = _body("inside")
        inside.update(capacity=capacity, uplift=uplift, controls=(capacity, uplift))
        for control in (capacity, uplift):
            control.widget.observe(update, names="value")
        update()
        return [_panel(capacity, uplift), bodies["inside"]]

    def build_key() -> list:
        bodies["key"] = _body("key", key_accounts_html(fixed["key"], fmt))
        return [bodies["key"]]

    def build_calls() -> list:
        calls = fixed["calls"]
        reps = w.Dropdown(options=rep_options(calls, fmt), value=ALL_REPS, layout=w.Layout(width="360px"))
        reps.add_class("sa-rep")
        rep_word = REP_WORDS.get(calls.rep_column or "", "rep")
        rep_control = _Control(reps, lambda v: f"The calls of which {rep_word}?", "sa-rep")
        bodies["calls"] = _body("calls")
        shown_calls: dict[str, str] = {}  # the lists do not change while the page is open: each is written once

        def show_calls(*_):
            if reps.value not in shown_calls:
                shown_calls[reps.value] = calls_html(calls, reps.value, fmt)
            bodies["calls"].value = shown_calls[reps.value]

        reps.observe(show_calls, names="value")
        show_calls()
        rep_control.show(calls.rep_column is not None and len(calls.lists) > 0)
        return [_panel(rep_control), bodies["calls"]]

    def build_review() -> list:
        bodies["review"] = _body("review", review_html(fixed["review"], fmt) + trends_html(reports, base.params, fmt))
        return [bodies["review"]]

    builders = {"inside": build_inside, "key": build_key, "calls": build_calls, "review": build_review}
    waiting = w.Layout()  # one layout for every tab not built yet: fewer widgets for the browser to build
    pages = {key: w.VBox(layout=waiting) for key, _ in TABS}
    pages["small"] = w.VBox([_panel(visits, ratio), bodies["small"]])
    tabs = w.Tab(children=[pages[key] for key, _ in TABS])
    tabs.titles = tuple(title for _, title in TABS)
    tabs.add_class("sa-tabs")

    def build(change) -> None:
        key = TABS[change["new"]][0] if change["new"] is not None else None
        if key in builders:
            children = builders.pop(key)()
            pages[key].children = children

    tabs.observe(build, names="selected_index")
    customers = len(base.customers)
    revenue = float(base.customers["revenue_12m"].sum()) if "revenue_12m" in base.customers else float("nan")
    title = w.HTML(
        f"{CSS}<div class='sa-title'>{html.escape(base.params.client)}</div>"
        f"<div class='sa-sub'>Data up to {fmt.date(base.reference_date)} &middot; {fmt.count(customers)} customers, "
        f"{html.escape(fmt.money(revenue, decimals=0))} revenue in the last 12 months &middot; amounts in "
        f"{html.escape(fmt.sign)}</div>"
    )
    page = FirstPaintPage([title, message, tabs])
    page.add_class("sa-page")
    if not message.value:  # a page that opens with a problem shows it live only
        page.first_paint = first_paint_html(
            title.value,
            [name for _, name in TABS],
            [
                slider_html(c.text.value, (c.value - c.widget.min) / (c.widget.max - c.widget.min))
                for c in (visits, ratio)
            ],
            bodies["small"].value,
        )
    return page


def open_every_tab(page: w.Widget) -> w.Widget:
    """Choose every tab of a page in turn, as a viewer would, so that each is built; returns the page.

    For a test or a benchmark that reads the whole page without a browser.
    """

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    for tabs in [t for t in walk(page) if isinstance(t, w.Tab)]:
        for i in range(len(tabs.children)):
            tabs.selected_index = i
        tabs.selected_index = 0
    return page


def _body(key: str, value: str = "") -> w.HTML:
    """The HTML of one tab's answer, found by the class ``sa-body-KEY``."""
    body = w.HTML(value, layout=w.Layout(width="100%"))
    body.add_class(f"sa-body-{key}")
    return body


def _panel(*controls: _Control) -> w.Widget:
    """A tab's controls side by side."""
    box = w.HBox([c.box for c in controls], layout=w.Layout(flex_flow="row wrap"))
    box.add_class("sa-controls")
    return box
