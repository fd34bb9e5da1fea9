"""Views of the key-account analysis for the notebook, the report and the sliders.

Each view takes a workbook (and optionally the analysis already at hand) and
returns a list of displayable objects, like :mod:`smartacct_helpers.views`.
The sliders of the key-account assumptions are in
:data:`smartacct_helpers.widgets.SLIDERS`.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from . import key_account_charts as kc
from . import key_accounts as ka
from .concentration import concentration_summary, lorenz_curve
from .formatting import money, share
from .views import headline




def _names(analysis: ka.KeyAccountAnalysis) -> pd.Series:
    df = analysis.classified
    return df.set_index("customer_id")["name"] if "name" in df else pd.Series(dtype=object)


def _list(items: list[str]) -> HTML:
    if not items:
        return HTML("<p>No warnings.</p>")
    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def candidates_figures(workbook, analysis: ka.KeyAccountAnalysis) -> HTML:
    """How many key-account candidates and their shares, as cards."""
    a = workbook.assumptions
    k = analysis.key_accounts
    return headline([
        ("key-account candidates", f"{len(k):,}"),
        ("their share of revenue", share(k["revenue_share"].sum())),
        ("their share of margin", share(k["margin_share"].sum())),
        ("rule", f"≥ {a.key_account_min_share:.0%} of revenue or margin, or top {a.key_account_top_n}"),
    ])


def candidates_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """How many key-account candidates, their shares, and the largest customers' shares."""
    an = analysis or ka.analyse(workbook)
    return [candidates_figures(workbook, an), kc.top_customers_chart(an.accounts, workbook.assumptions.major_customer_share)]


def concentration_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """Top shares, Herfindahl index and band, the Lorenz curve and the warnings."""
    an = analysis or ka.analyse(workbook)
    a = workbook.assumptions
    revenue = an.classified.set_index("customer_id")["revenue_12m"]
    s = concentration_summary(revenue, a.major_customer_share)
    return [
        headline([
            ("largest customer", share(s["top1_share"])),
            ("five largest", share(s["top5_share"])),
            ("ten largest", share(s["top10_share"])),
            ("Herfindahl index", f"{s['hhi']:.3f} ({s['hhi_band']})"),
            ("as concentrated as", f"{s['equivalent_customers']:.0f} equal customers"),
        ]),
        kc.lorenz_chart(lorenz_curve(revenue), s["gini"], s["hhi"], s["hhi_band"]),
        _list(ka.concentration_flags(an.classified, a.major_customer_share)),
    ]


def worst_case_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """Losing the top 1 to 5 accounts: the chart with its table."""
    an = analysis or ka.analyse(workbook)
    table = ka.worst_case(workbook, an)
    cur = workbook.params.currency
    items = [kc.worst_case_chart(table, cur)]
    if workbook.assumptions.fixed_costs is None:
        items.append(HTML("<p>The params give no <code>fixed_costs</code>, so the chart cannot show which fixed "
                          "costs the remaining margin would leave uncovered.</p>"))
    return items


def value_figures(workbook, analysis: ka.KeyAccountAnalysis) -> HTML:
    """The key accounts' operating profit, the 80/20 test and who loses money, as cards."""
    cur = workbook.params.currency
    profit = analysis.key_accounts.set_index("customer_id")["operating_profit_12m"]
    everyone = analysis.profitability["operating_profit_12m"]
    return headline([
        ("key accounts' operating profit", money(profit.sum(), cur, compact=True)),
        ("best 20 % of them bring", share(ka.best_share_of_profit(profit, 0.2))),
        ("key accounts losing money", f"{len(ka.value_destroyers(analysis.key_accounts)):,}"),
        ("all customers losing money", f"{int((everyone < 0).sum()):,}"),
    ])


def value_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """Which key accounts earn money: the value analysis, the whale curves and the 80/20 test."""
    an = analysis or ka.analyse(workbook)
    cur = workbook.params.currency
    profit = an.key_accounts.set_index("customer_id")["operating_profit_12m"]
    everyone = an.profitability.set_index("customer_id")["operating_profit_12m"]
    return [
        value_figures(workbook, an),
        kc.value_analysis_chart(an.key_accounts, cur),
        kc.whale_chart(ka.whale_curve(everyone), ka.whale_curve(profit), cur),
    ]


def account_value_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """The account-value score per key account with its weighted parts."""
    an = analysis or ka.analyse(workbook)
    a = workbook.assumptions
    weights = (a.account_value_weight_proximity, a.account_value_weight_growth, a.account_value_weight_ease)
    return [kc.account_value_chart(an.key_accounts, weights)]


def scorecard_figures(analysis: ka.KeyAccountAnalysis) -> HTML:
    """How many candidates fall into each relationship class, as cards."""
    counts = analysis.key_accounts["class"].value_counts()
    return headline([(cls, f"{int(counts.get(cls, 0)):,}") for cls in ka.CLASSES + [ka.NOT_ASSESSED]
                     if cls != ka.NOT_ASSESSED or counts.get(cls, 0)])


def scorecard_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """The candidates by size and relationship class, and how many fall into each class."""
    an = analysis or ka.analyse(workbook)
    return [scorecard_figures(an), kc.size_vs_relationship_chart(an.key_accounts)]


def portfolio_view(workbook, analysis: ka.KeyAccountAnalysis | None = None) -> list:
    """The portfolio map and the customers, revenue and profit per treatment."""
    an = analysis or ka.analyse(workbook)
    cur = workbook.params.currency
    portfolio = ka.portfolio_map(workbook, an)
    return [kc.portfolio_map_chart(portfolio, cur), kc.treatment_chart(ka.treatment_summary(portfolio), cur)]


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


def explorer_view(workbook) -> list:
    """What the key-account sliders of notebook 05 redraw: the cards of the candidates, their value and classes.

    With one quick chart of the classes and their operating profit; the
    other charts stay in their sections for the params' assumptions.
    """
    analysis = ka.analyse(workbook)
    return [candidates_figures(workbook, analysis), value_figures(workbook, analysis),
            scorecard_figures(analysis), kc.class_bars(analysis.key_accounts, workbook.params.currency)]


def scenario_table(result: dict, currency: str = "EUR") -> pd.DataFrame:
    """A loss scenario (:func:`smartacct_helpers.key_accounts.loss_scenario`) as a readable two-column table."""
    rows = []
    for key, (label, kind) in _SCENARIO_LABELS.items():
        v = result.get(key)
        if kind == "money":
            text = money(v, currency, decimals=0)
        elif kind == "share":
            text = share(v)
        else:
            text = "–" if v is None or v != v else f"{int(v):,}"
        rows.append((label, text))
    return pd.DataFrame(rows, columns=["figure", "value"]).set_index("figure")


def concentration_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`smartacct_helpers.key_accounts.concentration_table` with each value written as a reader expects it."""
    def shown(figure, v):
        if v is None or v != v:
            return "–"
        if "share" in figure:
            return share(v)
        if figure in ("Herfindahl index", "Gini coefficient"):
            return f"{v:.3f}"
        if figure == "equivalent customers":
            return f"{v:,.1f}"
        return f"{int(v):,}"

    out = table.copy()
    out["value"] = [shown(f, v) for f, v in zip(table.index, table["value"])]
    return out
