"""Views of the levers and the early warning, for the report and the sliders.

Each view takes a workbook and returns a list of displayable objects, like
:mod:`smartacct_helpers.views`; the slider ranges of the assumptions they
depend on are in :data:`smartacct_helpers.widgets.SLIDERS`.
"""
from __future__ import annotations

from IPython.display import HTML

from . import tracking_charts
from .early_warning import flag_customers
from .formatting import money, share, styled
from .levers import lever_summary, lever_table
from .views import headline


def lever_view(workbook, classified=None, orders=None) -> list:
    """Key figures, what each lever adds and the lever table for one set of assumptions (notebook 06's sliders)."""
    cur = workbook.params.currency
    table = lever_table(workbook, classified, orders)
    summary = lever_summary(table)
    base = summary.loc["base"]
    combined = summary.loc["combined"]
    cols = ["what_if", "revenue_delta", "contribution_margin_delta", "cost_to_serve_delta", "operating_profit_delta"]
    return [
        headline([
            ("operating profit today", money(base["operating_profit"], cur, compact=True)),
            ("with all levers", money(combined["operating_profit"], cur, compact=True)),
            ("change", money(combined["operating_profit_delta"], cur, decimals=0)),
            ("of which cost to serve", money(-combined["cost_to_serve_delta"], cur, decimals=0)),
        ]),
        tracking_charts.lever_bars(table, cur),
        styled(summary[cols].set_index("what_if"), cur,
               money_cols=["revenue_delta", "contribution_margin_delta", "cost_to_serve_delta", "operating_profit_delta"]),
    ]


def early_warning_view(workbook) -> list:
    """How many customers the warning rules flag on the reference date, by signal."""
    s = flag_customers(workbook.buying_rhythm(), workbook.assumptions)  # the rhythm is remembered: a slider only scores
    n = len(s)
    flagged = int(s["flagged"].sum())
    return [
        headline([
            ("customers scored", f"{n:,}"),
            ("flagged", f"{flagged:,} ({share(flagged / n if n else float('nan'))})"),
            ("overdue", f"{int(s['overdue'].sum()):,}"),
            ("fewer orders", f"{int(s['fewer_orders'].sum()):,}"),
            ("less revenue", f"{int(s['less_revenue'].sum()):,}"),
        ]),
        HTML("<p>Revenue of the flagged customers in the last 12 months: "
             f"{money(s.loc[s['flagged'], 'revenue_12m'].sum(), workbook.params.currency, decimals=0)}.</p>"),
    ]
