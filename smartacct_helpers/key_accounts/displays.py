"""The pieces the key-account sections show: cards of figures, charts with their tables, readable tables.

Each takes a workbook (and optionally the analysis already at hand,
:func:`~smartacct_helpers.key_accounts.analysis.analysis_of`) and returns
what to display; the sections of notebook 05
(:mod:`smartacct_helpers.key_accounts.views`) and the sliders put them
together.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown

from ..presentation.blocks import headline
from ..presentation.formatting import Numbers, count, money, number, share
from ..presentation.sections import Needs
from .analysis import KeyAccountAnalysis, analysis_of, worst_case
from .charts import (
    account_value_chart,
    lorenz_chart,
    portfolio_map_chart,
    size_vs_relationship_chart,
    top_customers_chart,
    treatment_chart,
    value_analysis_chart,
    whale_chart,
    worst_case_chart,
)
from .concentration import HHI_CONCENTRATED, HHI_MODERATE, concentration_summary, concentration_warnings, lorenz_curve
from .portfolio import portfolio_map, treatment_summary
from .scorecard import CLASSES, NOT_ASSESSED
from .value_analysis import best_share_of_profit, value_destroyers, whale_curve

#: what a key-account section needs when no customer has revenue in the window
REVENUE_NEEDS = "customers with revenue in the last 12 months (column revenue of the orders), and the data has none"


def candidates_or_needs(workbook, shows: str) -> tuple[KeyAccountAnalysis, list | None]:
    """The analysis, and ``[Needs]`` (saying it would show ``shows``) when it has no key-account candidate."""
    an = analysis_of(workbook)
    return an, ([Needs(shows, REVENUE_NEEDS)] if an.key_accounts.empty else None)


def as_notes(notes: list[str]) -> list:
    """The notes under a section as one bulleted Markdown block; nothing when there are none."""
    return [Markdown("\n".join(f"* {n}" for n in notes))] if notes else []


def _names(analysis: KeyAccountAnalysis) -> pd.Series:
    df = analysis.classified
    return df.set_index("customer_id")["name"] if "name" in df else pd.Series(dtype=object)


def _list(items: list[str]) -> HTML:
    if not items:
        return HTML("<p>No warnings.</p>")
    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def candidates_figures(workbook, analysis: KeyAccountAnalysis) -> HTML:
    """How many key-account candidates and their shares, as cards."""
    style = workbook.params.number_format
    a = workbook.assumptions
    k = analysis.key_accounts
    return headline(
        [
            ("key-account candidates", count(len(k), style=style)),
            ("their share of revenue", share(k["revenue_share"].sum(), style=style)),
            ("their share of margin", share(k["margin_share"].sum(), style=style)),
            (
                "rule",
                f"≥ {share(a.key_account_min_share, 0, style=style)} of revenue or margin, or top "
                f"{count(a.key_account_top_n, style=style)}",
            ),
        ]
    )


def candidates_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """How many key-account candidates, their shares, and the largest customers' shares."""
    an = analysis or analysis_of(workbook)
    return [
        candidates_figures(workbook, an),
        top_customers_chart(
            an.accounts, workbook.assumptions.major_customer_share, style=workbook.params.number_format
        ),
    ]


def concentration_lines(warnings: list[dict], fmt: Numbers) -> list[str]:
    """:func:`~.key_accounts.concentration.concentration_warnings` in words, in the client's number format.

    >>> concentration_lines([{"kind": "major customer", "customer_id": "a", "name": "A AG", "share": 0.191,
    ...                       "limit": 0.1}, {"kind": "five largest", "share": 0.55, "limit": 0.5},
    ...                      {"kind": "Herfindahl index", "hhi": 0.3402, "band": "concentrated"}], Numbers("EUR", "de"))
    ['A AG (a) brings 19,1 % of revenue, at or above 10 %', 'the five largest customers bring 55,0 % of revenue', 'the Herfindahl index of 0,340 is concentrated']
    """
    lines = []
    for w in warnings:
        if w["kind"] == "major customer":
            who = w["name"] if str(w["name"]) == str(w["customer_id"]) else f"{w['name']} ({w['customer_id']})"
            lines.append(f"{who} brings {fmt.share(w['share'])} of revenue, at or above {fmt.share(w['limit'], 0)}")
        elif w["kind"] == "five largest":
            lines.append(f"the five largest customers bring {fmt.share(w['share'])} of revenue")
        else:
            lines.append(f"the Herfindahl index of {fmt.number(w['hhi'], 3)} is {w['band']}")
    return lines


def concentration_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """Top shares, Herfindahl index and band, the Lorenz curve and the warnings."""
    style = workbook.params.number_format
    an = analysis or analysis_of(workbook)
    a = workbook.assumptions
    revenue = an.classified.set_index("customer_id")["revenue_12m"]
    s = concentration_summary(revenue, a.major_customer_share)
    return [
        headline(
            [
                ("largest customer", share(s["top1_share"], style=style)),
                ("five largest", share(s["top5_share"], style=style)),
                ("ten largest", share(s["top10_share"], style=style)),
                ("Herfindahl index", f"{number(s['hhi'], 3, style)} ({s['hhi_band']})"),
                ("as concentrated as", f"{count(s['equivalent_customers'], style=style)} equal customers"),
            ]
        ),
        lorenz_chart(lorenz_curve(revenue), s["gini"], s["hhi"], s["hhi_band"], style=style),
        _list(
            concentration_lines(
                concentration_warnings(an.classified, a.major_customer_share), Numbers.of(workbook.params)
            )
        ),
    ]


def worst_case_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """Losing the top 1 to 5 accounts: the chart with its table."""
    style = workbook.params.number_format
    an = analysis or analysis_of(workbook)
    table = worst_case(workbook, an)
    cur = workbook.params.currency
    items = [worst_case_chart(table, cur, style=style)]
    if workbook.assumptions.fixed_costs is None:
        items.append(
            HTML(
                "<p>The params give no fixed costs (staff, warehouse, rent, IT), so the chart cannot show which "
                "of them the remaining margin would leave uncovered.</p>"
            )
        )
    return items


def value_figures(workbook, analysis: KeyAccountAnalysis) -> HTML:
    """The key accounts' operating profit, the 80/20 test and who loses money, as cards."""
    style = workbook.params.number_format
    cur = workbook.params.currency
    profit = analysis.key_accounts.set_index("customer_id")["operating_profit_12m"]
    everyone = analysis.profitability["operating_profit_12m"]
    return headline(
        [
            ("key accounts' operating profit", money(profit.sum(), cur, compact=True, style=style)),
            ("best 20 % of them bring", share(best_share_of_profit(profit, 0.2), style=style)),
            ("key accounts losing money", count(len(value_destroyers(analysis.key_accounts)), style=style)),
            ("all customers losing money", count((everyone < 0).sum(), style=style)),
        ]
    )


def value_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """Which key accounts earn money: the value analysis, the whale curves and the 80/20 test."""
    style = workbook.params.number_format
    an = analysis or analysis_of(workbook)
    cur = workbook.params.currency
    profit = an.key_accounts.set_index("customer_id")["operating_profit_12m"]
    everyone = an.profitability.set_index("customer_id")["operating_profit_12m"]
    return [
        value_figures(workbook, an),
        value_analysis_chart(an.key_accounts, cur, style=style),
        whale_chart(whale_curve(everyone), whale_curve(profit), cur, style=style),
    ]


def account_value_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """The account-value score per key account with its weighted parts."""
    an = analysis or analysis_of(workbook)
    a = workbook.assumptions
    weights = (a.account_value_weight_proximity, a.account_value_weight_growth, a.account_value_weight_ease)
    return [account_value_chart(an.key_accounts, weights)]


def scorecard_figures(analysis: KeyAccountAnalysis) -> HTML:
    """How many candidates fall into each relationship class, as cards."""
    counts = analysis.key_accounts["class"].value_counts()
    return headline(
        [
            (cls, f"{int(counts.get(cls, 0)):,}")
            for cls in CLASSES + [NOT_ASSESSED]
            if cls != NOT_ASSESSED or counts.get(cls, 0)
        ]
    )


def scorecard_view(workbook, analysis: KeyAccountAnalysis | None = None) -> list:
    """The candidates by size and relationship class, and how many fall into each class."""
    an = analysis or analysis_of(workbook)
    return [scorecard_figures(an), size_vs_relationship_chart(an.key_accounts, workbook.params.number_format)]


def portfolio_view(workbook, analysis: KeyAccountAnalysis | None = None, portfolio=None) -> list:
    """The portfolio map and the customers, revenue and profit per treatment.

    The map plots the potential where any customer's is known, else the
    revenue trend where the data reaches back over it, else a sentence of
    what the map needs.
    """
    style = workbook.params.number_format
    an = analysis or analysis_of(workbook)
    cur = workbook.params.currency
    portfolio = portfolio_map(workbook, an) if portfolio is None else portfolio
    treatments = treatment_chart(treatment_summary(portfolio), cur, style=style)
    buying = portfolio["revenue_12m"] > 0
    if (buying & portfolio["potential"].gt(0)).any():
        return [portfolio_map_chart(portfolio, cur, style=style), treatments]
    if (buying & portfolio["growth"].notna()).any():
        return [
            portfolio_map_chart(portfolio, cur, y="growth", style=style),
            treatments,
            Markdown("No customer's potential is known, so the map shows the revenue trend instead."),
        ]
    return [treatments, Markdown(f"The map itself would need {POTENTIAL_OR_TREND}.")]


_SCENARIO_LABELS = {
    "customers_lost": ("customers lost", "count"),
    "revenue_lost": ("revenue lost", "money"),
    "revenue_lost_share": ("share of revenue lost", "share"),
    "revenue_remaining": ("revenue remaining", "money"),
    "margin_lost": ("contribution margin lost", "money"),
    "margin_lost_share": ("share of margin lost", "share"),
    "margin_remaining": ("contribution margin remaining", "money"),
    "fixed_costs": ("fixed costs", "money"),
    "result_before": ("result before the loss", "money"),
    "result_after": ("result after the loss", "money"),
    "fixed_costs_not_covered": ("fixed costs no longer covered", "money"),
    "replacements_needed": ("smart accounts to replace the margin", "count"),
}


def scenario_table(result: dict, currency: str = "EUR", style: str = "en") -> pd.DataFrame:
    """A loss scenario (:func:`~.key_accounts.worst_case.loss_scenario`) as a readable two-column table."""
    rows = []
    for key, (label, kind) in _SCENARIO_LABELS.items():
        v = result.get(key)
        if kind == "money":
            text = money(v, currency, decimals=0, style=style)
        elif kind == "share":
            text = share(v, style=style)
        else:
            text = count(v, style=style)
        rows.append((label, text))
    return pd.DataFrame(rows, columns=["figure", "value"]).set_index("figure")


def concentration_display(table: pd.DataFrame, style: str = "en", major_share: float | None = None) -> pd.DataFrame:
    """:func:`~.key_accounts.concentration.concentration_table` with each value written as a reader expects it.

    The readings that carry a limit get it in the same number format: the Herfindahl bands, and the
    major-customer share when ``major_share`` is given.
    """

    def shown(figure, v):
        if v is None or v != v:
            return "–"
        if "share" in figure:
            return share(v, style=style)
        if figure in ("Herfindahl index", "Gini coefficient"):
            return number(v, 3, style)
        if figure == "equivalent customers":
            return number(v, 1, style)
        return count(v, style=style)

    out = table.copy()
    out["value"] = [shown(f, v) for f, v in zip(table.index, table["value"], strict=False)]
    if "Herfindahl index" in out.index:
        low, high = number(HHI_MODERATE, 2, style), number(HHI_CONCENTRATED, 2, style)
        out.loc["Herfindahl index", "reading"] += (
            f" (below {low} diversified, {low} to {high} moderate, from {high} concentrated)"
        )
    if major_share is not None and "major customers" in out.index:
        out.loc["major customers", "reading"] = (
            f"customers with {share(major_share, 0, style=style)} of revenue or more"
        )
    return out


POTENTIAL_OR_TREND = (
    "a potential per customer (an industry and an employee count, columns industry and employees of "
    "the customer master, or two complete calendar years of orders) or enough years of orders for "
    "a revenue trend"
)


def subsets_text(subsets: dict, assumptions, currency: str, style: str = "en") -> str:
    """How the treatments relate to the key accounts and the customers to manage, in words.

    >>> from smartacct_helpers.assumptions import Assumptions
    >>> print(subsets_text({"key_accounts": 20, "programme": 9, "to_manage": 4320, "inside_sales": 4030,
    ...                     "small_self_service": 290, "lapsed": 957}, Assumptions(), "EUR"))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    Of the 20 key accounts, 9 go into the key-account programme (...); the other 11 stay outside it.
    Of the 4,320 customers to manage, 4,030 go to inside sales and 290 buy less than ... a year and go to
    self-service, together with the 957 lapsed customers.
    """
    s = subsets
    text = (
        f"Of the {count(s['key_accounts'], style=style)} key accounts, {count(s['programme'], style=style)} go into "
        "the key-account programme (the strategic partners and key accounts by the scorecard, and those not yet "
        f"assessed); the other {count(s['key_accounts'] - s['programme'], style=style)} stay outside it. "
        f"Of the {count(s['to_manage'], style=style)} customers to manage, {count(s['inside_sales'], style=style)} "
        f"go to inside sales and {count(s['small_self_service'], style=style)} buy less than "
        f"{money(assumptions.self_service_max_revenue, currency, style=style, decimals=0)} a year and go to "
        f"self-service, together with the {count(s['lapsed'], style=style)} lapsed customers."
    )
    return text
