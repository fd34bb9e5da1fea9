"""Ready-made views: the figures, tables and charts a notebook section shows.

Each view takes a workbook and returns a list of displayable objects, so the
same view serves the static report and the sliders above it.

The sections of notebook 01 (who the small customers are) are here, each
registered with :func:`~smartacct_helpers.presentation.sections.section`; a section whose
inputs the data lacks returns the one sentence of what it needs.
"""

from __future__ import annotations

from IPython.display import Markdown

from ..facts.concepts import group_revenue
from ..facts.quality import has_margin
from ..field_visits.analysis import field_economics
from ..potential.views import develop_evidence_note, unknown_potential_note
from ..presentation.blocks import history_span
from ..presentation.formatting import count, money, plain, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from . import analysis as seg
from . import charts
from .analysis import classify, segment_summary

#: the sliders above the ABC analysis of notebook 01 (their ranges are in :data:`~.presentation.widgets.SLIDERS`)
ABC_SLIDERS = ["abc.a", "abc.b"]
#: the sliders above notebook 01's sales threshold: the sentence, the ERP count and the chart
THRESHOLD_SLIDERS = ["max_sales_cost_ratio", "visits_per_customer_year"]


@section("01")
def abc_analysis(workbook) -> list:
    """The Pareto curve with the ABC classes, and customers, revenue and share per class."""
    style = workbook.params.number_format
    df = classify(workbook)
    a = workbook.assumptions
    if not (df["revenue_12m"] > 0).any():
        return [
            Needs(
                "the ABC classes of the customers by their revenue",
                "revenue in the 12 months up to the reference date (column revenue of the orders)",
            )
        ]
    return [
        charts.pareto_chart(df, a.abc.a, a.abc.b, style=style),
        table(seg.abc_table(df).rename(columns={"share": "revenue_share"}), workbook.params.currency, style),
    ]


@section("01")
def abc_on_margin(workbook) -> list:
    """The ABC classes on contribution margin, and how they cross with the classes on revenue."""
    style = workbook.params.number_format
    df = classify(workbook)
    if "abc_margin" not in df or not has_margin(workbook):
        return [
            Needs(
                "the ABC classes on contribution margin next to those on revenue",
                "a contribution margin per invoice line (column contribution_margin of the orders)",
            )
        ]
    cur = workbook.params.currency
    by_margin = seg.abc_table(df, "abc_margin", "contribution_margin_12m").rename(columns={"share": "margin_share"})
    return [
        table(by_margin.rename_axis("abc_margin"), cur, style),
        table(seg.abc_crosstab(df), cur, style, cells="customers"),
    ]


@section("01")
def sales_threshold(workbook) -> list:
    """The visit cost and the sales threshold in one sentence, and the customers' revenue around the threshold."""
    style = workbook.params.number_format
    a, cur = workbook.assumptions, workbook.params.currency
    econ = field_economics(a)
    df = classify(workbook)
    erp = int(df["no_purchase_or_below_threshold"].sum())
    return [
        Markdown(
            f"One field visit costs **{money(econ.visit_cost, cur, style=style)}**; "
            f"{plain(a.visits_per_customer_year, style)} visits a year cost "
            f"**{money(econ.management_cost_per_customer, cur, style=style)}** per customer. At a sales cost "
            f"ratio of at most {share(a.max_sales_cost_ratio, style=style)}, field management pays from "
            f"**{money(econ.sales_threshold, cur, style=style)}** revenue a year. By the ERP rule, "
            f"**{count(erp, style=style)} of {count(len(df), style=style)} customers** bought nothing in the last "
            "12 months or less than that."
        ),
        charts.threshold_chart(df, econ.sales_threshold, cur, style=style),
    ]


@section("01")
def crm_and_erp_rules(workbook) -> list:
    """Customers by the CRM rule (no field visit) and the ERP rule (no purchase or below the threshold)."""
    df = classify(workbook)
    if "visits_12m" not in df:
        return [
            Needs(
                "how the CRM rule (no field visit in the last 12 months) and the ERP rule overlap",
                "the field visits of the CRM (the activities file)",
            )
        ]
    crosstab = seg.rules_crosstab(df).rename_axis(index="CRM rule", columns="ERP rule")
    return [table(crosstab, workbook.params.currency, workbook.params.number_format, cells="customers")]


@section("01")
def segments(workbook) -> list:
    """Customers and revenue share per segment (field, develop, small, lapsed)."""
    style = workbook.params.number_format
    df = classify(workbook)
    summary = segment_summary(df)
    return (
        unknown_potential_note(workbook, df)
        + develop_evidence_note(workbook, df)
        + [
            charts.segment_chart(summary, style),
            table(summary.rename_axis("segment"), workbook.params.currency, style),
        ]
    )


@section("01")
def c_groups(workbook) -> list:
    """The five groups of the C segment, those the data can decide; a sentence on the others."""
    style = workbook.params.number_format
    df = classify(workbook)
    if not (df["abc"] == "C").any():
        return [
            Needs(
                "the five groups of the C customers",
                "C customers: customers after the A and B classes "
                "by revenue in the last 12 months (there are none with these data and ABC limits)",
            )
        ]
    undecided = seg.c_groups_undecided(df)
    counts = seg.c_group_counts(df).drop(index=list(undecided))
    items = []
    if undecided:
        items.append(
            Markdown(
                "The data cannot decide "
                + "; ".join(f"*{group}*: it needs {needs}" for group, needs in undecided.items())
                + "."
            )
        )
    if not df["potential"].notna().all():
        items.append(Markdown("A C customer whose potential is unknown counts as one without a high potential."))
    return items + [
        charts.c_groups_chart(counts, style),
        table(counts, workbook.params.currency, style),
    ]


@section("01")
def smart_account_list(workbook) -> list:
    """How many smart accounts there are, their revenue, and the 15 fastest-growing."""
    style = workbook.params.number_format
    from ..facts.coverage import trend_available

    df = classify(workbook)
    years, cur = workbook.assumptions.trend_years, workbook.params.currency
    if not trend_available(workbook):
        return [
            Needs(
                f"the smart accounts: small customers whose revenue grew over the last {years} years and that "
                f"earn money after the cost of serving them",
                f"orders over the last {years} years, and {history_span(workbook)}; no customer counts as a "
                f"smart account for growth the data does not show",
            )
        ]
    smart = seg.smart_accounts(df)
    if not len(smart):
        return [
            Markdown(
                f"**No smart account**: no small customer's revenue grew over the last {years} years while "
                f"it earned money after the cost of serving it."
            )
        ]
    return [
        Markdown(
            f"**{count(len(smart), style=style)} smart accounts** with "
            f"{money(group_revenue(smart), cur, decimals=0, style=style)} revenue in the last 12 months; "
            "the 15 whose revenue grew fastest:"
        ),
        table(
            smart.head(15),
            cur,
            style,
            keep=["customer_id", "name", "revenue_12m", "revenue_trend", "cost_to_serve_12m", "operating_profit_12m"]
            + ["share_of_wallet"],
            export="customer_segments.xlsx",
        ),
    ]
