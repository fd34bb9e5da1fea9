"""The early-warning sections of notebook 07: who carries a warning today, the backtest, the call lists.

Each section takes a workbook and returns a list of displayable objects;
the warnings of today and the backtest are remembered by the workbook, so
the sections share them. Notebook 07 shows them after the year-one review
(:mod:`smartacct_helpers.review.views`), whose wording they share.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from IPython.display import Markdown

from ..facts.concepts import has_values
from ..facts.coverage import first_order_date
from ..facts.orders import months_before
from ..presentation.formatting import Numbers, count, date_text, money
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..review.views import _customers, _sentence, _starts
from .backtest import HORIZONS, backtest_date, backtest_limits, backtest_of
from .charts import backtest_chart
from .rhythm import rules_limit
from .worklists import chance_note, scores_today, todays_worklists


def _rules_note(workbook) -> list:
    reason = rules_limit(first_order_date(workbook), workbook.reference_date)
    return [Markdown(f"*{_sentence(reason)}*")] if reason else []


def flagged_text(workbook, scores: pd.DataFrame) -> str:
    """How many customers carry a warning today, and their revenue."""
    style = workbook.params.number_format
    flagged = scores[scores["flagged"]]
    revenue = money(flagged["revenue_12m"].sum(), workbook.params.currency, decimals=0, style=style)
    return (
        f"On {date_text(workbook.reference_date, style)}, **{count(len(flagged), style=style)}** of "
        f"{_customers(len(scores), style)} who bought in the last 12 months carry a warning ({revenue} revenue in "
        "the last 12 months)."
    )


@section("07")
def flagged_customers(workbook) -> list:
    """How many customers carry a warning today, and the ten at the highest risk with the reason."""
    style = workbook.params.number_format
    scores = scores_today(workbook)
    if not len(scores):
        return [Markdown("No customer bought in the last 12 months, so nobody can be scored.")]
    flagged = scores[scores["flagged"]]
    out = [Markdown(flagged_text(workbook, scores)), *_rules_note(workbook)]
    if len(flagged):
        top = flagged.head(10)[["risk_score", "reason", "revenue_12m"]]
        names = _names(workbook)
        if names is not None:
            top.insert(0, "name", names.reindex(top.index).to_numpy())
        out.append(table(top.rename_axis("customer_id"), workbook.params.currency, style))
    return out


def _names(workbook):
    """The customers' names by customer id, where the data gives any (else None)."""
    customers = workbook.tables.customers
    if not has_values(customers, "name"):
        return None
    return customers.drop_duplicates("customer_id").set_index("customer_id")["name"]


@section("07")
def backtest(workbook) -> list:
    """The backtest: who of the customers scored a year ago stopped buying, flagged or not."""
    style = workbook.params.number_format
    as_of = backtest_date(workbook.reference_date)
    limits = backtest_limits(as_of, HORIZONS, first_order_date(workbook), workbook.reference_date)
    if "early_warning_backtest" in limits:
        since = months_before(as_of, 12) + dt.timedelta(days=1)
        return [
            Needs(
                "how well the warning foresaw who stopped buying (a backtest)",
                f"the orders of the 12 months before its scoring day {date_text(as_of, style)} (from "
                f"{date_text(since, style)}); {_starts(workbook)}",
            )
        ]
    bt = backtest_of(workbook)
    notes = [
        Markdown(f"*{_sentence(reason)}; that horizon is left out.*")
        for key, reason in limits.items()
        if key.endswith("m")
    ]
    if "early_warning_backtest_rules" in limits:
        notes.append(Markdown(f"*{_sentence(limits['early_warning_backtest_rules'])}*"))
    if not len(bt):
        return [
            Markdown(f"No horizon of the backtest scored on {date_text(as_of, style)} lies within the data."),
            *notes,
        ]
    return [
        Markdown(f"Scored on {date_text(as_of, style)} with the data up to that day."),
        backtest_chart(bt, style),
        table(
            bt,
            workbook.params.currency,
            style,
            keep=["customers", "stopped", "flagged", "precision", "recall", "lift"],
        ),
        *notes,
    ]


#: the sliders of notebook 07's early warning: when a customer counts as overdue or falling
WARNING_SLIDERS = ["warning_interval_factor", "warning_frequency_drop", "warning_revenue_drop"]


def call_lists_text(workbook, lists: dict) -> str:
    """How many customers each inside rep's call list holds."""
    style = workbook.params.number_format
    if not lists:
        return "No customer carries a warning today: the call lists are empty."
    text = "This week's call lists: " + ", ".join(
        f"{rep}: {_customers(len(part), style)}" for rep, part in lists.items()
    )
    text += (
        ". Each list puts the most endangered first: the lowest probability of still buying first, ties by the "
        "risk score; a customer whose revenue grew strongly comes last, its growth named in the reason."
    )
    if not has_values(workbook.tables.customers, "inside_rep"):
        text += " Nobody has an inside rep in the customer master, so every list is *unassigned*."
    return text


@section("07")
def call_lists(workbook) -> list:
    """The call lists per inside rep: their sizes and the first customers of the first list."""
    style = workbook.params.number_format
    lists = todays_worklists(workbook)
    out = [Markdown(call_lists_text(workbook, lists))]
    first = next(iter(lists.values()), None)
    if first is not None and len(first):
        out.append(
            table(
                first.head(5).set_index("customer_id"),
                workbook.params.currency,
                style,
                keep=[
                    "name",
                    "probability_alive",
                    "risk_score",
                    "reason",
                    "last_order",
                    "revenue_12m",
                    "revenue_prev_12m",
                ],
                export="early_warning_worklist.xlsx",
            )
        )
        near_zero = chance_note(first.head(5), Numbers.of(workbook.params))
        if near_zero:
            out.append(Markdown(near_zero))
    return out
