"""Controls for the workshop: a slider per assumption, beside the section it redraws.

:func:`section` shows a notebook section with its sliders above it: whenever
one moves, the workbook is copied with the new assumptions (the facts are
reused, not recomputed) and that section's output replaces the old one; the
report (``interactive=False``) shows the section alone.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ipywidgets as w
from IPython.core.formatters import format_display_data
from IPython.display import HTML, display
from matplotlib.figure import Figure
from pydantic import ValidationError

from .formatting import Numbers
from .sections import show


@dataclass(frozen=True)
class SliderSpec:
    label: str
    low: float
    high: float
    step: float
    kind: str = "float"  # float, int, share, money


SLIDERS = {
    "abc.a": SliderSpec("A class up to", 0.50, 0.94, 0.01, "share"),
    "abc.b": SliderSpec("B class up to", 0.81, 0.99, 0.01, "share"),
    "max_sales_cost_ratio": SliderSpec("max. sales cost ratio", 0.04, 0.12, 0.005, "share"),
    "visits_per_customer_year": SliderSpec("visits per customer and year", 2, 8, 1, "int"),
    "outside_rep_annual_cost": SliderSpec("outside rep, cost per year", 60_000, 180_000, 5_000, "money"),
    "working_days": SliderSpec("working days per year", 150, 230, 5, "int"),
    "visits_per_day": SliderSpec("visits per day", 1, 8, 0.5, "float"),
    "active_window_months": SliderSpec("active window (months)", 6, 60, 6, "int"),
    "develop_max_share_of_wallet": SliderSpec("'develop' below share of wallet", 0.1, 0.9, 0.05, "share"),
    # the inside-sales business case
    "inside_rep_annual_cost": SliderSpec("inside rep, cost per year", 40_000, 100_000, 2_500, "money"),
    "project_manager_annual_cost": SliderSpec("project manager, cost per year", 0, 150_000, 5_000, "money"),
    "systems_annual_cost": SliderSpec("systems, cost per year", 0, 100_000, 5_000, "money"),
    "setup_cost": SliderSpec("one-off set-up cost", 0, 150_000, 5_000, "money"),
    "inside_rep_capacity": SliderSpec("customers per inside rep", 350, 450, 10, "int"),
    "ramp_up_months": SliderSpec("ramp-up, internal team (months)", 0, 18, 1, "int"),
    "revenue_uplift_on_gap": SliderSpec("uplift: share of the gap won per year", 0.0, 0.15, 0.005, "share"),
    "churn_rate": SliderSpec("churn without inside sales (per year)", 0.0, 0.30, 0.01, "share"),
    "churn_reduction": SliderSpec("churn prevented by inside sales", 0.0, 1.0, 0.05, "share"),
    "field_time_freed_value": SliderSpec("value of freed field time", 0.0, 1.0, 0.05, "share"),
    "external_cost_per_rep_month": SliderSpec("external provider, per rep-month", 3_000, 12_000, 250, "money"),
    "external_ramp_up_months": SliderSpec("ramp-up, external provider (months)", 0, 12, 1, "int"),
    "scenario_spread": SliderSpec("scenario spread (+/-)", 0.0, 0.9, 0.05, "share"),
    "business_case_months": SliderSpec("horizon of ROI and payback (months)", 24, 60, 6, "int"),
    "monte_carlo_runs": SliderSpec("simulated runs", 500, 10_000, 500, "int"),
    "channel_conflict_min_share": SliderSpec("other channel's share that flags a conflict", 0.05, 0.5, 0.05, "share"),
    "channel_partner_owner_share": SliderSpec("partner share from which the partner owns", 0.2, 1.0, 0.05, "share"),
    "assignment_tolerance": SliderSpec("workload tolerance per inside rep", 0.01, 0.2, 0.01, "share"),
    "potential_history_years": SliderSpec("years whose best year is the potential", 1, 10, 1, "int"),
    # key accounts
    "key_account_min_share": SliderSpec("key account from a share of", 0.01, 0.20, 0.01, "share"),
    "key_account_top_n": SliderSpec("plus the largest N customers", 0, 50, 1, "int"),
    "major_customer_share": SliderSpec("major customer from a share of", 0.05, 0.25, 0.01, "share"),
    "call_cost": SliderSpec("cost per call", 0, 30, 1, "money"),
    "line_handling_cost": SliderSpec("cost per order line", 0, 10, 0.5, "money"),
    "account_value_weight_proximity": SliderSpec("weight: proximity", 0, 3, 0.25, "float"),
    "account_value_weight_growth": SliderSpec("weight: growth potential", 0, 3, 0.25, "float"),
    "account_value_weight_ease": SliderSpec("weight: ease of service", 0, 3, 0.25, "float"),
    "scorecard_partner_min_score": SliderSpec("strategic partner: every score at least", 3, 5, 1, "int"),
    "scorecard_key_account_min_average": SliderSpec("key account: average score at least", 2.5, 4.5, 0.25, "float"),
    "self_service_max_revenue": SliderSpec("self-service below revenue of", 0, 5_000, 250, "money"),
    # levers, the year-one review and early warning
    "price_increase_small": SliderSpec("price increase, small customers", 0.0, 0.10, 0.005, "share"),
    "price_increase_field": SliderSpec("price increase, field segment", 0.0, 0.05, 0.005, "share"),
    "price_elasticity": SliderSpec("price elasticity of volume", -3.0, 0.0, 0.1, "float"),
    "small_order_surcharge": SliderSpec("small-order surcharge", 0, 30, 1, "money"),
    "surcharge_below_order_value": SliderSpec("surcharge below order value", 0, 300, 10, "money"),
    "surcharge_consolidation_share": SliderSpec("small orders merged instead", 0.0, 1.0, 0.05, "share"),
    "minimum_order_value": SliderSpec("minimum order value", 0, 150, 5, "money"),
    # the introduction plan
    "pilot_significance": SliderSpec("pilot: significance", 0.01, 0.2, 0.01, "share"),
    "pilot_power": SliderSpec("pilot: power", 0.6, 0.95, 0.05, "share"),
    "minimum_order_lost_share": SliderSpec("refused revenue lost", 0.0, 1.0, 0.05, "share"),
    "online_shift_share": SliderSpec("orders moving online", 0.0, 1.0, 0.05, "share"),
    "online_order_cost": SliderSpec("cost of an online order", 0, 20, 1, "money"),
    "market_churn_rate": SliderSpec("market-customary churn rate", 0.0, 0.3, 0.01, "share"),
    "warning_interval_factor": SliderSpec("overdue at x the usual interval", 1.5, 6.0, 0.5, "float"),
    "warning_frequency_drop": SliderSpec("warning at a fall in orders of", 0.2, 0.9, 0.05, "share"),
    "warning_revenue_drop": SliderSpec("warning at a fall in revenue of", 0.2, 0.9, 0.05, "share"),
}


def _assumption(assumptions, name: str):
    obj = assumptions
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _middle(values) -> float:
    """The middle of a list of values (sorted), e.g. 400 of 350 / 400 / 450."""
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def slider_value(assumptions, name: str):
    """The value a slider for assumption ``name`` starts at; of a list (the capacities per rep) its middle.

    >>> from smartacct_helpers.assumptions import Assumptions
    >>> slider_value(Assumptions(), "abc.a"), slider_value(Assumptions(), "inside_rep_capacity")
    (0.8, 400)
    """
    value = _assumption(assumptions, name)
    return _middle(value) if isinstance(value, list | tuple) else value


def _current(workbook, name: str):
    return slider_value(workbook.assumptions, name)


def meaning(name: str) -> str:
    """What an assumption means, in the words of its definition (the slider's tooltip).

    >>> meaning("churn_rate")
    "share of the managed customers' revenue lost per year without inside sales"
    >>> meaning("abc.a")
    'A class up to (share of revenue)'
    """
    from ..assumptions import Assumptions

    head, _, tail = name.partition(".")
    field = Assumptions.model_fields.get(head)
    if field is not None and not tail and field.description:
        if isinstance(getattr(Assumptions(), head), list):  # the slider moves the middle; low and high move with it
            return f"{field.description}: the slider sets the middle, and the low and high move with it"
        return field.description
    spec = SLIDERS[name]
    return f"{spec.label} (share of revenue)" if head == "abc" else spec.label


def slider_text(spec: SliderSpec, value, fmt: Numbers) -> str:
    """The label above a slider: its full text and its value, money with the currency, whole numbers plain.

    >>> slider_text(SLIDERS["outside_rep_annual_cost"], 110_000, Numbers())
    'outside rep, cost per year: 110,000 EUR'
    >>> slider_text(SLIDERS["visits_per_day"], 4.0, Numbers()), slider_text(SLIDERS["visits_per_day"], 4.5, Numbers())
    ('visits per day: 4', 'visits per day: 4.5')
    >>> slider_text(SLIDERS["max_sales_cost_ratio"], 0.08, Numbers("EUR", "de"))
    'max. sales cost ratio: 8,0 %'
    """
    if spec.kind == "share":
        text = fmt.share(value)
    elif spec.kind == "money":
        text = fmt.money(value, decimals=0 if float(value).is_integer() else 2)
    elif float(value).is_integer():
        text = fmt.count(value)
    else:
        text = fmt.number(value, 2).rstrip("0").rstrip(",.")
    return f"{spec.label}: {text}"


def assumption_slider(workbook, name: str) -> w.Widget:
    """A slider for one assumption, starting at the workbook's value.

    The slider carries no description of its own (a description beside it
    is cut at its width); :func:`labelled` puts the full text, with the value
    in the client's number format, above it.
    """
    spec = SLIDERS[name]
    value = _current(workbook, name)
    layout = w.Layout(width="420px")
    common = dict(readout=False, layout=layout, continuous_update=False, tooltip=meaning(name))
    if spec.kind == "int":
        return w.IntSlider(value=int(value), min=int(spec.low), max=int(spec.high), step=int(spec.step), **common)
    return w.FloatSlider(value=float(value), min=spec.low, max=spec.high, step=spec.step, **common)


def labelled(slider: w.Widget, spec: SliderSpec, fmt: Numbers) -> w.VBox:
    """A slider under a label that shows its full text and its current value."""
    label = w.HTML(layout=w.Layout(width="auto"))

    def write(*_):
        label.value = f"<span title='{html.escape(slider.tooltip or '')}'>{html.escape(slider_text(spec, slider.value, fmt))}</span>"

    slider.observe(write, names="value")
    write()
    box = w.VBox([label, slider], layout=w.Layout(margin="0 24px 8px 0"))
    box.add_class("sa-control")
    return box


def changes_from(values: dict, assumptions=None) -> dict:
    """Turn ``{"abc.a": .8, "abc.b": .95, "working_days": 200}`` into nested assumption changes.

    A slider on a list of values (the customers per inside rep: low, middle,
    high) moves the whole list, so that its middle is the slider's value:

    >>> from smartacct_helpers.assumptions import Assumptions
    >>> changes_from({"inside_rep_capacity": 420}, Assumptions())  # 350 / 400 / 450, moved by 20
    {'inside_rep_capacity': [370, 420, 470]}
    """
    changes: dict = {}
    for name, value in values.items():
        current = None if assumptions is None else _assumption(assumptions, name)
        if isinstance(current, list | tuple):
            shift = value - _middle(current)
            value = [max(1, type(c)(c + shift)) for c in current]
        if "." in name:
            head, tail = name.split(".", 1)
            changes.setdefault(head, {})[tail] = value
        else:
            changes[name] = value
    return changes


class Controls:
    """The sliders of one workbook in a workshop: one per assumption, shared by every section that shows it.

    A section redraws with every slider's current value, so that two
    sections never show different values of the same assumption.
    """

    def __init__(self, workbook):
        self.workbook = workbook
        self.fmt = Numbers.of(workbook.params)
        self.sliders: dict[str, w.Widget] = {}
        self.boxes: dict[str, w.VBox] = {}

    def control(self, name: str) -> w.VBox:
        """The labelled slider for assumption ``name`` (the same one each time it is asked for)."""
        if name not in self.sliders:
            self.sliders[name] = assumption_slider(self.workbook, name)
            self.boxes[name] = labelled(self.sliders[name], SLIDERS[name], self.fmt)
        return self.boxes[name]

    def variant(self):
        """The workbook with every slider's value (the facts shared)."""
        values = {name: s.value for name, s in self.sliders.items()}
        return self.workbook.with_assumptions(**changes_from(values, self.workbook.assumptions))

    def panel(self, names: Iterable[str], render: Callable) -> w.VBox:
        """The sliders ``names`` above an output that ``render(variant)`` fills, redrawn when one of them moves.

        A combination that the params do not allow (A limit above B) shows a
        short message instead of a traceback.
        """
        names = list(names)
        controls = [self.control(name) for name in names]
        out = w.Output()

        def redraw(*_):
            # the output's contents are set as the widget's state in one step, never captured (``with out:``):
            # a captured output must be routed into the widget by every client, and papermill's client at times
            # waited for ever on such a cell while the kernel sat idle; one step also means no flicker
            try:
                items = list(render(self.variant()))
            except (ValidationError, ValueError) as exc:
                message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
                items = [HTML(f"<p style='color:#c0392b'>This combination does not work: {message}</p>")]
            out.outputs = tuple(_display_data(item) for item in items)

        for name in names:
            self.sliders[name].observe(redraw, names="value")
        redraw()
        panel = w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), out])
        panel.add_class("sa-section")
        return panel


def _display_data(item) -> dict:
    """``item`` as one display output (all its representations), as an Output widget's state holds it."""
    data, metadata = format_display_data(item)
    # a picture as base64 text, as a display message carries it: raw bytes would reach the page as a binary buffer
    data = {kind: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for kind, v in data.items()}
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def controls_of(workbook) -> Controls:
    """The workbook's :class:`Controls`, made the first time a section asks for them (kept on the workbook)."""
    found = getattr(workbook, "_workshop_controls", None)
    if found is None:
        found = Controls(workbook)
        workbook._workshop_controls = found
    return found


def section(workbook, render: Callable, sliders: Iterable[str] = (), interactive: bool = True) -> None:
    """Show a notebook section; in a workshop with the sliders that redraw it above it.

    Parameters
    ----------
    workbook : Workbook
    render : callable
        The section function, ``render(workbook) -> list`` of things to display.
    sliders : list of str
        The assumptions (names in :data:`SLIDERS`) that change this section;
        a slider shown by two sections is the same control and redraws both.
    interactive : bool
        False in the report: the section alone, as :func:`show` shows it.

    Examples
    --------
    >>> section(wb, views.abc_analysis, views.ABC_SLIDERS, interactive)  # doctest: +SKIP
    """
    sliders = list(sliders)
    if not interactive or not sliders:
        show(render(workbook))
        return
    display(controls_of(workbook).panel(sliders, render))


__all__ = [
    "SLIDERS",
    "Controls",
    "assumption_slider",
    "changes_from",
    "labelled",
    "meaning",
    "section",
    "slider_value",
    "slider_text",
    "Figure",
]
