"""The sections of notebook 03: the sales potential, the share of wallet and the gap.

Each section takes the workbook and returns what to display; a section
whose customers have no known potential says what it needs
(:data:`NO_POTENTIAL`). :data:`SEGMENT_SLIDERS` and :data:`DEVELOP_SLIDERS`
name the sliders above the sections they redraw.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from ..facts.concepts import has_values
from ..facts.quality import has_margin
from ..presentation.columns import SEGMENTS, words
from ..presentation.formatting import count, money, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..small_customers.analysis import classify
from .analysis import (
    develop_vs_small,
    industry_example,
    industry_method_table,
    methods_side_by_side,
    potential_by,
    potential_by_method,
)
from .charts import potential_gap_chart, potential_methods_chart, share_of_wallet_chart


def unknown_potential_note(workbook, classified) -> list:
    """A sentence on the customers whose potential is unknown and what follows for them (empty when none)."""
    from .analysis import unknown_potential_reason

    reason = unknown_potential_reason(workbook, classified)
    if reason is None:
        return []
    return [
        Markdown(
            f"The potential is not known for every customer: {reason}. Such a customer cannot be shown to "
            f"be a *develop* customer and counts as a small customer."
        )
    ]


def develop_evidence_note(workbook, classified) -> list:
    """The develop count with its evidence rule, beside how often C customers really became A customers.

    The rule is that of docs/method.md section 9; the rate is the three-year C-to-A rate
    of the ABC history (notebook 06), or why the data cannot give it.
    """
    from ..field_visits.analysis import field_economics
    from ..levers.transitions import growth_realism
    from ..small_customers.analysis import develop_min_gap

    style, cur = workbook.params.number_format, workbook.params.currency
    a = workbook.assumptions
    develop = int(classified["segment"].eq("develop").sum())
    gap = develop_min_gap(a, field_economics(a).management_cost_per_customer)
    text = (
        f"**{count(develop, style=style)} develop customers**: besides a high potential and a low share of wallet, "
        f"each has a gap of at least {money(gap, cur, decimals=2, style=style)} (what its management costs a year) "
        f"and a revenue trend over {a.trend_years} years that is not falling."
    )
    g = growth_realism(workbook)
    rates = g["rates"]
    rate = rates.loc[3, "to_a_rate"] if 3 in rates.index else float("nan")
    if pd.notna(rate):
        text += (
            f" How often growth really happened: of the customers in class C in past years, "
            f"{share(rate, style=style)} reached class A within three years. Plan the develop customers with "
            f"that rate, not with their whole gap."
        )
    else:
        why = g["limited"].get("c_to_a_rate_3y", "the data holds too few years of orders")
        text += f" How often a C customer became an A customer within three years is not known: {why}."
    return [Markdown(text)]


#: the sliders above notebook 03's potential per segment: what makes a customer one to manage
SEGMENT_SLIDERS = ["max_sales_cost_ratio", "active_window_months"]
#: the slider above notebook 03's "develop or serve cheaply"
DEVELOP_SLIDERS = ["develop_max_share_of_wallet"]


# -- notebook 03: the sales potential ---------------------------------------------------------------------------


def potential_by_segment(workbook):
    """:func:`~.analysis.potential_by` segment, remembered; the assumed margin rate without margins."""

    def compute(a):
        df = classify(workbook, a)
        if not has_margin(workbook):
            df = df.drop(columns=["contribution_margin_12m"], errors="ignore")
        return potential_by(df, "segment", a.margin_rate_if_unknown)

    return workbook.remembered("potential_by_segment", compute, workbook.assumptions)


#: what the potential sections say when no customer's potential is known
NO_POTENTIAL = Needs(
    "the potential of the customers, their share of wallet and the gap",
    "a potential per customer: at least two complete calendar years of orders before the reference "
    "date for the historic peak, or an industry and an employee count per customer (columns "
    "industry and employees of the customer master) with a value per employee for the industry",
)

#: the columns of a potential table a reader needs first; the margin in the potential has a section of its own
POTENTIAL_COLUMNS = ["customers", "revenue_12m", "potential", "gap", "share_of_wallet", "median_share_of_wallet"]


def _potential_table(frame, workbook):
    """Customers, revenue, potential, gap and share of wallet per group (the margin columns in their own section)."""
    shown = frame[[c for c in POTENTIAL_COLUMNS + ["customers_with_potential"] if c in frame]]
    return table(shown, workbook.params.currency, workbook.params.number_format)


@section("03")
def industry_method_example(workbook) -> list:
    """The article's electricians, step by step (the one value per employee an article gives)."""
    style = workbook.params.number_format  # the article's example is in euros, whatever the client's currency
    example = industry_example(employees=3, value_per_employee=9_000, customers=4_000)["value"]
    written = [
        count(example.iloc[0], style=style),
        money(example.iloc[1], "EUR", decimals=0, style=style),
        money(example.iloc[2], "EUR", decimals=0, style=style),
        count(example.iloc[3], style=style),
        money(example.iloc[4], "EUR", decimals=0, style=style),
    ]
    return [table(pd.Series(written, index=example.index, name="value"), "EUR", style)]


@section("03")
def industry_values(workbook) -> list:
    """Per industry of the params: the value per employee, the customers it covers and their potential."""
    style = workbook.params.number_format
    df = classify(workbook)
    per_employee = workbook.assumptions.potential_per_employee
    shows = "the potential per industry by the industry method"
    if not has_values(df, "industry", "employees"):
        return [
            Needs(
                shows,
                "an industry and an employee count per customer (columns industry and employees of "
                "the customer master)",
            )
        ]
    if not per_employee:
        return [
            Needs(shows, "a value per employee for the client's industries (potential_per_employee in the params file)")
        ]
    return [table(industry_method_table(df, per_employee), workbook.params.currency, style)]


@section("03")
def potential_methods(workbook) -> list:
    """Customers, revenue, potential and gap per method (industry method, historic peak, unknown)."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not df["potential"].notna().any():
        return [NO_POTENTIAL]
    return unknown_potential_note(workbook, df) + [table(potential_by_method(df), workbook.params.currency, style)]


@section("03")
def both_methods(workbook) -> list:
    """Per industry, both estimates for the customers that have both, and their ratio."""
    style = workbook.params.number_format
    df = classify(workbook)
    side = methods_side_by_side(df)
    if not len(side):
        return [
            Needs(
                "the industry method next to the historic peak for the same customers",
                "customers with both: an industry with a value per employee and an employee count (customer "
                "master), and at least two complete calendar years of orders for the historic peak",
            )
        ]
    cur = workbook.params.currency
    return [
        potential_methods_chart(side, cur, style=style),
        table(side, cur, style),
    ]


@section("03")
def potential_per_segment(workbook) -> list:
    """Revenue and gap per segment, the spread of the share of wallet, and the table."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not df["potential"].notna().any():
        return [NO_POTENTIAL]
    by_segment = potential_by_segment(workbook)
    cur = workbook.params.currency
    return unknown_potential_note(workbook, df) + [
        potential_gap_chart(by_segment, "Revenue and gap to the potential per segment", cur, style=style),
        share_of_wallet_chart(df, style=style),
        _potential_table(by_segment, workbook),
    ]


@section("03")
def potential_per_industry(workbook) -> list:
    """Revenue and gap per industry (customers without one in the group "unknown"), and the table."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not has_values(df, "industry"):
        return [
            Needs(
                "the revenue, potential and gap per industry",
                "an industry per customer (column industry of the customer master)",
            )
        ]
    if not df["potential"].notna().any():
        return [NO_POTENTIAL]
    if not has_margin(workbook):
        df = df.drop(columns=["contribution_margin_12m"], errors="ignore")
    by_industry = potential_by(df, "industry", workbook.assumptions.margin_rate_if_unknown)
    return [
        potential_gap_chart(
            by_industry, "Revenue and gap to the potential per industry", workbook.params.currency, style=style
        ),
        _potential_table(by_industry, workbook),
    ]


@section("03")
def margin_in_potential(workbook) -> list:
    """The margin rate per segment and the contribution margin in the potential and in the gap."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not df["potential"].notna().any():
        return [NO_POTENTIAL]
    by_segment = potential_by_segment(workbook)
    rates = by_segment[["margin_rate", "potential", "margin_potential", "margin_gap"]]
    text = (
        "Margin rate per segment: "
        + "; ".join(f"{words(seg, SEGMENTS)}: {share(r, style=style)}" for seg, r in rates["margin_rate"].items())
        + "."
    )
    if not has_margin(workbook):
        text = (
            "The data has no contribution margin, so every segment takes the assumed rate of "
            f"{share(workbook.assumptions.margin_rate_if_unknown, style=style)} (the margin rate for data without "
            "margins in the params file)."
        )
    return [Markdown(text), table(rates, workbook.params.currency, style)]


@section("03")
def develop_or_small(workbook) -> list:
    """The "develop" customers next to the truly small ones: revenue, potential, gap and margin."""
    style = workbook.params.number_format
    df = classify(workbook)
    a = workbook.assumptions
    if not df["potential"].notna().any():
        return [NO_POTENTIAL]
    if not df["segment"].isin(["develop", "small"]).any():
        return [
            Needs(
                "the develop customers next to the truly small ones",
                "customers below the sales threshold with an order in the active window (there are none)",
            )
        ]
    part = df if has_margin(workbook) else df.drop(columns=["contribution_margin_12m"], errors="ignore")
    groups = develop_vs_small(part, a.margin_rate_if_unknown)
    unknown = int((df["segment"].eq("small") & df["potential"].isna()).sum())
    text = (
        f"Customers count as *develop* when their potential is at least the sales threshold, their share of "
        f"wallet is below {share(a.develop_max_share_of_wallet, style=style)}, their gap pays for their "
        f"management and their revenue is not falling."
    )
    if unknown:
        text += (
            f" {count(unknown, style=style)} small customers have no known potential: they cannot be shown to be *develop* and "
            f"are left out of the potential, gap and share of wallet."
        )
    return [Markdown(text), _potential_table(groups, workbook)] + develop_evidence_note(workbook, df)
