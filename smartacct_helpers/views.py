"""Ready-made views: the figures, tables and charts a notebook section shows.

Each view takes a workbook and returns a list of displayable objects, so the
same view serves the static report and the interactive explorer.
"""
from __future__ import annotations

from IPython.display import HTML

from . import charts
from .costing import field_economics
from .formatting import money
from .segments import segment_summary


def headline(items: list[tuple[str, str]]) -> HTML:
    """A row of key figures as cards."""
    cards = "".join(
        "<div style='display:inline-block;min-width:150px;margin:0 12px 10px 0;padding:8px 12px;"
        "border-left:4px solid #1f4e79;background:#f3f6fa'>"
        f"<div style='font-size:0.8em;color:#555'>{label}</div>"
        f"<div style='font-size:1.3em;font-weight:bold;color:#1f4e79'>{value}</div></div>"
        for label, value in items
    )
    return HTML(f"<div class='smartacct-cards'>{cards}</div>")


def small_customer_view(workbook, classified=None) -> list:
    """Key figures and the customers per segment for one set of assumptions: what notebook 01's sliders redraw.

    The Pareto curve and the threshold chart stay in the notebook's sections
    for the params' assumptions; a slider redraws one quick chart.
    """
    a = workbook.assumptions
    cur = workbook.params.currency
    df = workbook.classify() if classified is None else classified
    econ = field_economics(a)
    counts = df["abc"].value_counts()
    summary = segment_summary(df)
    return [
        headline([
            ("A / B / C / D customers", " / ".join(f"{counts.get(k, 0):,}" for k in "ABCD")),
            ("sales threshold", money(econ.sales_threshold, cur, decimals=0)),
            ("below the threshold", f"{int(df['below_threshold'].sum()):,}"),
            ("to manage (active)", f"{int(df['to_manage'].sum()):,}"),
            ("of these 'develop'", f"{int((df['segment'] == 'develop').sum()):,}"),
            ("smart accounts", f"{int(df['smart_account'].sum()):,}"),
        ]),
        charts.segment_bars(summary),
    ]
