"""The sections of notebook 04 on small inputs worked out by hand: what each shows, and what it says it needs."""

from __future__ import annotations

import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
from IPython.display import Markdown

from smartacct_helpers.delivery.client_exports import WORKLISTS_FILE, write_inside_sales_exports
from smartacct_helpers.delivery.summary import LIMITED
from smartacct_helpers.facts.concepts import group_revenue
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.inside_sales.business_case import observed_churn
from smartacct_helpers.inside_sales.figures import business_case_figures
from smartacct_helpers.inside_sales.views import (
    assigned_of,
    assignment_section,
    business_case_of,
    cash_curve_section,
    channel_section,
    conflicts_of,
    cost_benefit_section,
    flagged_channels_section,
    has_channels,
    headcount_section,
    monte_carlo_section,
    roi_section,
    scenarios_section,
)
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.sections import SECTIONS, Needs

matplotlib.use("Agg")

# Five customers, reference date 31.12.2025, the window (31.12.2024, 31.12.2025], the sales threshold of the
# default assumptions 8,593.75 (137.50 a visit x 5 visits / 8 %), the active window 24 months:
#   a  12,000 + 8,000 = 20,000 in the window: above the threshold, not to manage
#   b  1,000 + 1,000 in the window (one line inside, one through a distributor): to manage
#   c  1,000 and a credit note of -1,500 in the window, -500 net: to manage, its revenue counts as zero
#   d  3,000 in June 2024, nothing in the window: to manage (an order within 24 months)
#   e  500 in March 2023: no order within 24 months, not to manage
LINES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "b", "b", "c", "c", "d", "e"],
        "date": pd.to_datetime(
            [
                "2025-03-01",
                "2025-09-01",
                "2025-05-01",
                "2025-05-01",
                "2025-02-01",
                "2025-04-01",
                "2024-06-01",
                "2023-03-01",
            ]
        ),
        "revenue": [12_000.0, 8_000.0, 1_000.0, 1_000.0, 1_000.0, -1_500.0, 3_000.0, 500.0],
        "channel": ["field", "field", "inside", "distributor", "online", "online", "inside", "field"],
    }
)


def workbook(lines: pd.DataFrame = LINES, customers: pd.DataFrame | None = None, **assumptions) -> Workbook:
    """A workbook of the invoice lines alone (the customers from the orders) or with a master."""
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31", "assumptions": assumptions})
    if customers is None:
        customers = pd.DataFrame({"customer_id": sorted(lines["customer_id"].unique())})
        return Workbook.from_tables(p, Tables(orders=lines, customers=customers, customers_from_orders=True))
    return Workbook.from_tables(p, Tables(orders=lines, customers=customers))


def texts(items) -> str:
    return "\n".join(str(i) if isinstance(i, Needs) else i.data for i in items if isinstance(i, (Needs, Markdown)))


def test_every_section_of_notebook_04_is_registered():
    names = [f.__name__ for f in SECTIONS["04"]]
    assert names == [
        "headcount_section",
        "cost_benefit_section",
        "roi_section",
        "rep_cover_section",
        "scenarios_section",
        "cash_curve_section",
        "monte_carlo_section",
        "channel_section",
        "flagged_channels_section",
        "assignment_section",
    ]


def test_the_customers_to_manage_and_their_revenue():
    wb = workbook()
    case = business_case_of(wb)
    # b, c and d; their revenue 2,000 + 0 (c's -500 counts as zero) + 0, as every notebook counts it
    assert case.inputs.customers == 3
    assert case.inputs.revenue == pytest.approx(2_000.0)
    assert case.inputs.revenue == group_revenue(case.classified, case.classified["to_manage"])
    items = headcount_section(wb)
    assert "**3 customers to manage**" in items[0].data
    assert items[1].data["inside reps"].tolist() == [1, 1, 1]  # ceil(3 / 350), ceil(3 / 400), ceil(3 / 450)


def test_what_the_benefit_assumes_where_the_orders_lack_it():
    wb = workbook()
    chart, facts, notes = cost_benefit_section(wb)
    values = facts.data["value"]
    assert values["their revenue, last 12 months"] == "2,000 EUR"
    # no margin column: the params' 25 %; no CRM activities: no visits known
    assert values["their contribution margin rate"] == "25.0 % (assumed)"
    assert values["field visits they received"] == "unknown"
    # the data reaches back to March 2023, over the year before the window (2024): d bought 3,000 in it, below
    # the threshold, and nothing since; nobody else bought in 2024: 3,000 of 3,000 lost
    assert values["churn seen in the data (small customers' revenue lost last year)"] == "100.0 %"
    assert "assumed margin rate of 25.0 %" in notes.data and "no field time freed" in notes.data
    # the cost of one rep: 65,000 + 90,000 + 25,000
    assert business_case_of(wb).base.cost["total"] == pytest.approx(180_000.0)


def test_short_history_says_the_churn_seen_is_unknown():
    # the same customers from 15 January 2025 on: the 12 months before the window (1 Jan to 31 Dec 2024) are
    # not in the data, so no churn can be seen; the assumed 10 % counts
    wb = workbook(LINES[LINES["date"] >= "2025-01-15"])
    rate, why = observed_churn(wb)
    assert rate is None
    assert "start on 1 Feb 2025" in why and "1 Jan 2024 to 31 Dec 2024" in why
    facts, notes = cost_benefit_section(wb)[1:]
    assert facts.data["value"]["churn seen in the data (small customers' revenue lost last year)"] == "unknown"
    assert "The business case uses the assumed churn of 10.0 % a year." in notes.data


def test_without_channels_the_channel_sections_say_what_they_need():
    for lines in (
        LINES.drop(columns="channel"),
        LINES.assign(channel=None),
        LINES.assign(channel=np.nan),
        LINES.assign(channel="  "),
    ):
        wb = workbook(lines)
        assert not has_channels(wb)
        for section in (channel_section, flagged_channels_section):
            (needs,) = section(wb)
            assert isinstance(needs, Needs) and "column channel of the orders" in str(needs)


def test_channel_conflicts_by_hand():
    wb = workbook()
    conflicts = conflicts_of(wb).set_index("customer_id")
    # b: 1,000 inside and 1,000 through a distributor: the distributor's half reaches the 50 % from which a
    # partner owns the customer, and the 20 % that flags it; c's online lines net to -500 (no share), d bought
    # nothing in the window: both stay with inside sales, unflagged
    assert conflicts["owner"].to_dict() == {"b": "distributor", "c": "inside sales", "d": "inside sales"}
    assert conflicts["conflict"].to_dict() == {"b": True, "c": False, "d": False}
    items = channel_section(wb)
    assert "Of the 3 customers to manage, **1** buy a noticeable share" in items[1].data
    assert "**1** belong to a distributor or retailer" in items[1].data
    flagged = flagged_channels_section(wb)[0].data
    assert flagged["customers flagged"].to_dict() == {"distributor": 1}


def test_the_assignment_and_the_worklists(tmp_path):
    master = pd.DataFrame({"customer_id": list("abcde"), "region": ["N", "N", None, "S", "S"], "industry": [None] * 5})
    wb = workbook(LINES.drop(columns="channel"), customers=master)
    assigned = assigned_of(wb).set_index("customer_id")
    # one rep (ceil(3 / 400)), c without a region is in the group "unknown"; the industry column is empty
    assert assigned["assigned_inside_rep"].unique().tolist() == ["Inside rep 1"]
    assert assigned["region"].to_dict() == {"b": "N", "c": "unknown", "d": "S"}
    chart, table, notes = assignment_section(wb)
    assert "The 1 inside rep of the base case is named" in notes.data
    assert "no industry (column industry of the customer master)" in notes.data
    assert "grouped by region only" in notes.data
    paths = texts(write_inside_sales_exports(wb, tmp_path))
    assert "`inside_sales_worklists.xlsx`" in paths and "`channel_conflicts.csv`" not in paths  # no channels
    assert "one sheet per inside rep: 1 rep)" in paths
    book = openpyxl.load_workbook(tmp_path / WORKLISTS_FILE)
    assert book.sheetnames == ["overview", "Inside rep 1"]
    rows = list(book["Inside rep 1"].values)
    # largest gap first: d's potential is its 3,000 of 2024 against nothing now; b and c buy all they could
    assert [r[0] for r in rows[1:]] == ["d", "b", "c"]


def test_exports_with_channels_write_the_conflicts(tmp_path):
    written = texts(write_inside_sales_exports(workbook(), tmp_path))
    assert "`channel_conflicts.csv`" in written and "`channel_conflicts.xlsx`" in written
    assert pd.read_csv(tmp_path / "channel_conflicts.csv", dtype={"customer_id": str})["customer_id"].tolist() == [
        "b",
        "c",
        "d",
    ]


def unknown_potential(wb: Workbook) -> Workbook:
    """``wb`` whose customers have no known potential (as when the data is too short for a historic peak)."""
    from smartacct_helpers.small_customers.analysis import _classified

    wb.remembered("classify", lambda a: _classified(wb, a).assign(potential=np.nan, gap=np.nan, share_of_wallet=np.nan))
    return wb


def test_without_a_potential_the_case_says_what_it_needs_and_summary_has_none():
    wb = unknown_potential(workbook())
    case = business_case_of(wb)
    assert case.inputs.with_potential == 0 and not case.inputs.gap_known
    for section in (roi_section, scenarios_section, cash_curve_section, monte_carlo_section):
        (needs,) = section(wb)
        assert isinstance(needs, Needs) and "columns industry and employees" in str(needs)
    # the cost and the benefits the data does give are still shown, with what is left out
    facts, notes = cost_benefit_section(wb)[1:]
    assert facts.data["value"]["their gap to the potential"] == "unknown"
    assert "counts no uplift on the gap" in notes.data
    figures = business_case_figures(wb)
    assert figures["roi"] is None and figures["payback_months"] is None and figures["potential_small_customers"] is None
    assert figures["inside_sales_annual_cost"] == pytest.approx(180_000.0)
    assert set(figures[LIMITED]) == {
        "potential_small_customers",
        "share_of_wallet_median",
        "roi",
        "payback_months",
        "break_even_uplift",
        "probability_payback_24m",
    }
    assert "industry and employees" in figures[LIMITED]["roi"]


def test_without_customers_to_manage_every_section_says_so():
    # two customers, both above the threshold
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "date": pd.to_datetime(["2025-06-01", "2025-07-01"]),
            "revenue": [20_000.0, 9_000.0],
            "channel": ["field", "online"],
        }
    )
    wb = workbook(lines)
    for function in SECTIONS["04"]:
        (needs,) = function(wb)
        assert isinstance(needs, Needs)
        assert "below the sales threshold of 8,593.75 EUR" in str(needs) and "the data has none" in str(needs)
    assert texts(write_inside_sales_exports(wb, "unused")) == "Nothing to write: no customer is to manage."
    figures = business_case_figures(wb)
    assert figures["potential_small_customers"] == 0.0
    assert figures["inside_sales_annual_cost"] is None and figures["roi"] is None
    assert figures[LIMITED]["roi"].startswith("no customer is to manage")


def test_the_case_is_computed_once_per_set_of_assumptions():
    wb = workbook()
    assert business_case_of(wb) is business_case_of(wb)
    higher = wb.with_assumptions(churn_rate=0.2)
    # twice the churn, twice the churn avoided: 2,000 x 0.2 x 0.3 x 0.25 = 30 instead of 15
    assert business_case_of(higher).base.benefit["churn_avoided"] == pytest.approx(30.0)
    assert business_case_of(wb).base.benefit["churn_avoided"] == pytest.approx(15.0)


def test_the_sample_shows_every_section(sample_workbook):
    import matplotlib.pyplot as plt

    for function in SECTIONS["04"]:
        items = function(sample_workbook)
        assert items and not any(isinstance(i, Needs) for i in items), function.__name__
        plt.close("all")
