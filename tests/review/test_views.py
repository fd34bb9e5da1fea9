"""Notebook 07's sections: what they show, and what they say when an input or some history is missing."""

import doctest

import openpyxl
import pandas as pd
import pytest
from IPython.display import HTML, Markdown
from matplotlib.figure import Figure

from smartacct_helpers.delivery.client_exports import write_call_lists
from smartacct_helpers.early_warning.views import backtest, call_lists, flagged_customers
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.sections import SECTIONS, Needs
from smartacct_helpers.review.views import (
    churn,
    data_qualification,
    growth_and_margin,
    market_share,
    payback,
    periods_and_groups,
    promotions,
)


def text(items) -> str:
    return " ".join(str(i) if isinstance(i, Needs) else i.data for i in items if isinstance(i, (Needs, Markdown, HTML)))


def workbook_of(rows, customers: pd.DataFrame | None = None, market: pd.DataFrame | None = None) -> Workbook:
    """rows: (customer, date, revenue); reference date 31.12.2025, no programme start (the follow-up is 2025)."""
    c, d, r = zip(*rows, strict=True)
    o = pd.DataFrame({"customer_id": list(c), "date": pd.to_datetime(list(d)), "revenue": list(r)})
    master = customers if customers is not None else pd.DataFrame({"customer_id": sorted(set(c))})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    return Workbook.from_tables(
        p, Tables(orders=o, customers=master, market=market, customers_from_orders=customers is None)
    )


def thirteen_months(**kwargs) -> Workbook:
    """From 01.12.2024: customer 1 buys on 10 days of December 2024 and on two days late in 2025."""
    rows = [("1", d, 100.0) for d in pd.date_range("2024-12-01", periods=10, freq="2D")]
    rows += [("1", "2025-11-20", 100.0), ("1", "2025-12-10", 100.0), ("2", "2025-06-01", 400.0)]
    return workbook_of(rows, **kwargs)


def test_the_module_examples_hold():
    from smartacct_helpers.review import views

    result = doctest.testmod(views)
    assert result.attempted and not result.failed


def test_notebook_07_shows_its_sections_in_order():
    assert [f.__name__ for f in SECTIONS["07"]] == [
        "periods_and_groups",
        "data_qualification",
        "churn",
        "promotions",
        "growth_and_margin",
        "market_share",
        "payback",
        "flagged_customers",
        "backtest",
        "call_lists",
    ]


def test_thirteen_months_say_what_the_review_needs():
    wb = thirteen_months()
    periods = text(periods_and_groups(wb))
    assert "Not known from this data: other small and A customers (large-customer business)." in periods
    assert "the data starts on 01.12.2024" in periods
    # churn, promotions and payback compare with the 12 months before the start (01.01.2025): from 01.01.2024
    for section in (churn, promotions, payback):
        [needs] = section(wb)
        assert isinstance(needs, Needs) and "(from 2024-01-01); the data starts on 2024-12-01" in str(needs)
    # growth and margin: the follow-up alone (no baseline column, no growth rate), and why
    items = growth_and_margin(wb)
    table = items[0].data
    assert "revenue_growth" not in table and "revenue_baseline" not in table
    # 2025: customer 1 buys 200, customer 2 buys 400; the margin is 25 % of that
    assert table.loc["all customers", ["revenue_followup", "margin_followup"]].tolist() == [600.0, 150.0]
    assert "Only the follow-up is shown" in text(items) and "taken as 25 % of revenue" in text(items)


def test_thirteen_months_warn_on_the_overdue_rule_alone():
    wb = thirteen_months()
    items = flagged_customers(wb)
    # customer 1: 21 days since 10.12.2025 at a usual 2 days: overdue; customer 2 bought once
    assert "**1** of 2 customers who bought in the last 12 months carry a warning" in text(items)
    assert "so only overdue customers are flagged" in text(items)
    [needs] = backtest(wb)
    assert "scoring day 2024-12-31 (from 2024-01-01); the data starts on 2024-12-01" in str(needs)


def test_without_a_master_a_market_or_an_industry():
    wb = thirteen_months()
    [needs] = data_qualification(wb)
    assert "a customer master (the customers file)" in str(needs)
    [needs] = market_share(wb)
    assert "(the market file)" in str(needs)
    market = pd.DataFrame({"segment": ["x"], "market_volume": [1000.0]})
    master = pd.DataFrame({"customer_id": ["1", "2"], "industry": [None, None]})
    [needs] = market_share(thirteen_months(customers=master, market=market))
    assert "column industry of the customer master" in str(needs)


def test_the_call_lists_without_an_inside_rep(tmp_path):
    wb = thirteen_months()
    items = call_lists(wb)
    assert text(items).startswith("This week's call lists: unassigned: 1 customer.")
    assert "Nobody has an inside rep" in text(items)
    assert items[1].data.index.tolist() == ["1"] and "nan" not in items[1].to_html()
    written = write_call_lists(wb, tmp_path)
    assert text(written) == "Written: `early_warning_worklist.xlsx` with unassigned: 1 customer."
    assert openpyxl.load_workbook(tmp_path / "early_warning_worklist.xlsx").sheetnames == ["unassigned"]


def test_no_warning_no_list(tmp_path):
    wb = workbook_of([("1", "2025-06-01", 10.0)])
    assert text(call_lists(wb)) == "No customer carries a warning today: the call lists are empty."
    assert "no customer carries a warning" in text(write_call_lists(wb, tmp_path))


@pytest.mark.parametrize("section", [s for s in SECTIONS["07"]])
def test_every_section_shows_something_on_the_sample(sample_workbook, section):
    items = section(sample_workbook)
    assert items and not any(isinstance(i, Needs) for i in items)
    for table in (i.to_html() for i in items if hasattr(i, "to_html")):
        assert ">nan<" not in table and ">None<" not in table and ">NaT<" not in table


def test_the_review_on_the_sample(sample_workbook):
    items = growth_and_margin(sample_workbook)
    assert isinstance(items[0], Figure)
    text_ = text(payback(sample_workbook))
    # the sample's master names 3 inside reps since the programme start (01.01.2025): the pilot; the business case
    # sizes the full team for the 4,320 customers to manage at 400 per rep: ceil(10.8) = 11
    assert text_.startswith("The pilot team of 3 inside reps has worked since 01.01.2025; the full rollout in the ")
    assert "needs 11." in text_ and ("paid for itself in month" in text_ or "Not paid back" in text_)


def test_the_sample_compares_the_small_customer_segments_market_share_with_the_overall_one(sample_workbook):
    from smartacct_helpers.review.analysis import LARGE_CUSTOMER_BUSINESS, SMALL_CUSTOMER_SEGMENT, year_one_review

    items = market_share(sample_workbook)
    table = next(i.data for i in items if hasattr(i, "data") and isinstance(i.data, pd.DataFrame))
    small, overall = table.loc[SMALL_CUSTOMER_SEGMENT, "share_followup"], table.loc["overall", "share_followup"]
    word = "above" if small > overall else "below"
    assert items[0].data.startswith("Market share in the small-customer segment:")
    assert f"{word} the overall market share" in items[0].data
    # the comparison group is the A customers, named as the large-customer business, not as key accounts
    assert LARGE_CUSTOMER_BUSINESS in year_one_review(sample_workbook)["performance"].index
    assert "key accounts" not in year_one_review(sample_workbook)["performance"].index
