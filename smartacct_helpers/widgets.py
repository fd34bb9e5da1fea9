"""Controls for the workshop: a slider per assumption, charts that redraw at once.

:func:`explorer` ties sliders to a render function: whenever a slider moves,
the workbook is copied with the new assumptions (the facts are reused, not
recomputed) and the render function's output replaces the old one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import ipywidgets as w
from IPython.display import HTML, display
from matplotlib.figure import Figure
from pydantic import ValidationError


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
}


def _current(workbook, name: str):
    obj = workbook.assumptions
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def assumption_slider(workbook, name: str) -> w.Widget:
    """A slider for one assumption, starting at the workbook's value."""
    spec = SLIDERS[name]
    value = _current(workbook, name)
    style = {"description_width": "230px"}
    layout = w.Layout(width="520px")
    if spec.kind == "int":
        return w.IntSlider(value=int(value), min=int(spec.low), max=int(spec.high), step=int(spec.step),
                           description=spec.label, style=style, layout=layout, continuous_update=False)
    fmt = {"share": ".1%", "money": ",.0f"}.get(spec.kind, ".2f")
    return w.FloatSlider(value=float(value), min=spec.low, max=spec.high, step=spec.step, readout_format=fmt,
                         description=spec.label, style=style, layout=layout, continuous_update=False)


def changes_from(values: dict) -> dict:
    """Turn ``{"abc.a": .8, "abc.b": .95, "working_days": 200}`` into nested assumption changes."""
    changes: dict = {}
    for name, value in values.items():
        if "." in name:
            head, tail = name.split(".", 1)
            changes.setdefault(head, {})[tail] = value
        else:
            changes[name] = value
    return changes


def explorer(workbook, names: Iterable[str], render: Callable) -> w.VBox:
    """Sliders for ``names`` above an output that ``render(workbook)`` fills.

    ``render`` returns an iterable of things to display (figures, tables,
    HTML). A combination that the params do not allow (A limit above B)
    shows a short message instead of a traceback.
    """
    sliders = {name: assumption_slider(workbook, name) for name in names}
    out = w.Output()

    def redraw(*_):
        values = {name: s.value for name, s in sliders.items()}
        with out:
            out.clear_output(wait=True)
            try:
                variant = workbook.with_assumptions(**changes_from(values))
            except (ValidationError, ValueError) as exc:
                message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
                display(HTML(f"<p style='color:#c0392b'>This combination does not work: {message}</p>"))
                return
            for item in render(variant):
                display(item)

    for s in sliders.values():
        s.observe(redraw, names="value")
    redraw()
    return w.VBox([w.VBox(list(sliders.values())), out])


def show(items: Iterable) -> None:
    """Display what a render function returns (for the static report)."""
    for item in items:
        display(item)


__all__ = ["SLIDERS", "assumption_slider", "changes_from", "explorer", "show", "Figure"]
