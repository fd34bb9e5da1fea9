"""Notebook 06's sections: what they show, and what they say when an input or some history is missing."""

import doctest

import pandas as pd
import pytest
from IPython.display import HTML, Markdown
from matplotlib.figure import Figure

from smartacct_helpers.delivery.client_exports import export_lever_tables
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.levers.views import all_levers, each_lever, growth, smart_accounts, starting_point
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.sections import SECTIONS, Needs
from smartacct_helpers.small_customers.analysis import classify


def workbook_of(rows, reference_date: str = "2025-12-31", **columns) -> Workbook:
    """rows: (customer, date, revenue); no customer master."""
    c, d, r = zip(*rows, strict=True)
    o = pd.DataFrame({"customer_id": list(c), "date": pd.to_datetime(list(d)), "revenue": list(r), **columns})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": reference_date})
    return Workbook.from_tables(
        p, Tables(orders=o, customers=pd.DataFrame({"customer_id": sorted(set(c))}), customers_from_orders=True)
    )


def text(items) -> str:
    return " ".join(str(i) if isinstance(i, Needs) else i.data for i in items if isinstance(i, (Needs, Markdown, HTML)))


def test_the_module_examples_hold():
    from smartacct_helpers.levers import views

    result = doctest.testmod(views)
    assert result.attempted and not result.failed


def test_notebook_06_shows_its_sections_in_order():
    assert [f.__name__ for f in SECTIONS["06"]] == [
        "starting_point",
        "each_lever",
        "all_levers",
        "growth",
        "smart_accounts",
    ]


def test_orders_only_say_how_orders_and_margins_are_reckoned():
    # two lines of customer 1 on 1 March (40 + 20) are one order; no margin: 25 % of revenue
    wb = workbook_of([("1", "2025-03-01", 40.0), ("1", "2025-03-01", 20.0), ("1", "2025-05-01", 500.0)])
    items = starting_point(wb)
    assert "an order is a customer's day with a purchase" in text(items)
    assert "taken as 25 % of revenue" in text(items)
    table = items[-1].data
    # margin (60 + 500) x 0.25 = 140, minus 2 orders x 20 handling and 3 lines x 2: 94
    assert table.loc["all", ["orders", "operating_profit"]].tolist() == [2.0, 94.0]
    assert "nan" not in items[-1].to_html()


def test_without_a_channel_the_online_shift_is_said_to_be_left_out():
    wb = workbook_of([("1", "2025-03-01", 40.0), ("2", "2025-05-01", 20_000.0)])
    items = each_lever(wb)
    assert "Online self-service is left out" in text(items)
    assert "move online" not in text(items)
    # the levers on small customers, then those on large customers apart
    small, large = (i.data for i in items if hasattr(i, "data") and isinstance(i.data, pd.DataFrame))
    assert "online self-service" not in small.index
    assert large.index.tolist() == ["price increase (large customers)", "levers on small and large customers together"]
    assert "price increase (small customers)" in small.index and "shown apart" in text(items)
    with_channel = workbook_of([("1", "2025-03-01", 40.0), ("2", "2025-05-01", 20_000.0)], channel=["inside", "field"])
    items = each_lever(with_channel)
    small = next(i.data for i in items if hasattr(i, "data") and isinstance(i.data, pd.DataFrame))
    assert "left out" not in text(items) and "online self-service" in small.index


def test_without_orders_in_the_last_12_months_the_levers_say_what_they_need():
    wb = workbook_of([("1", "2023-03-01", 40.0)], reference_date="2025-12-31")
    for section in (starting_point, each_lever, all_levers):
        items = section(wb)
        assert len(items) == 1 and isinstance(items[0], Needs)
        assert "after 2024-12-31" in str(items[0])  # the English number format writes days as ISO


def test_growth_on_thirteen_months_says_what_it_needs():
    wb = workbook_of([("1", "2024-12-01", 100.0), ("2", "2025-03-01", 50.0), ("2", "2025-06-01", 70.0)])
    [needs] = growth(wb)
    # two windows: from 1 January 2024; the data starts on 1 December 2024
    assert isinstance(needs, Needs)
    assert "two whole 12-month windows" in str(needs)
    assert "(from 2024-01-01); the data starts on 2024-12-01" in str(needs)
    [needs] = smart_accounts(wb)
    assert "three whole 12-month windows" in str(needs) and "from 2023-01-01" in str(needs)


def test_growth_on_two_windows_shows_the_one_year_rate_and_says_why_not_three():
    # as in test_levers.two_windows: customer 3 was C in 2024 and A in 2025
    wb = workbook_of(
        [
            ("1", "2024-01-05", 1000.0),
            ("2", "2024-03-01", 100.0),
            ("3", "2024-05-01", 10.0),
            ("1", "2025-02-01", 100.0),
            ("2", "2025-03-01", 10.0),
            ("3", "2025-04-01", 5000.0),
        ]
    )
    items = growth(wb)
    assert isinstance(items[0], Figure)
    rates = items[1].data
    assert rates.index.tolist() == [1] and rates.loc[1, "to_a_rate"] == 1.0
    assert text(items) == (
        "The three-year rate needs four whole 12-month windows of orders (from 01.01.2022); the "
        "data starts on 05.01.2024, so the three-year rate cannot be measured yet."
    )


def test_growth_and_smart_accounts_on_the_sample(sample_workbook):
    items = growth(sample_workbook)
    assert "will stay small" in text(items)
    smart = classify(sample_workbook)["smart_account"].sum()
    items = smart_accounts(sample_workbook)
    assert text(items).startswith(f"**{smart:,} smart accounts**; next steps: ".replace(",", "."))  # German format
    # the next steps add up to the smart accounts
    counts = text(items).split("next steps: ")[1].rstrip(".").split(", ")
    assert sum(int(c.rsplit(": ", 1)[1].replace(".", "")) for c in counts) == smart


def test_the_exports_write_what_the_data_allows(sample_workbook, tmp_path):
    items = export_lever_tables(sample_workbook, tmp_path / "full")
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == [
        "lever_what_ifs.csv",
        "lever_what_ifs.xlsx",
        "smart_accounts.csv",
        "smart_accounts.xlsx",
    ]
    assert text(items).startswith("Written: ")
    short = workbook_of([("1", "2024-12-01", 100.0), ("2", "2025-03-01", 50.0)])
    export_lever_tables(short, tmp_path / "short")
    # no smart accounts without a revenue trend
    assert sorted(p.name for p in (tmp_path / "short").iterdir()) == ["lever_what_ifs.csv", "lever_what_ifs.xlsx"]


@pytest.mark.parametrize("section", [starting_point, each_lever, all_levers, growth, smart_accounts])
def test_every_section_shows_something_on_the_sample(sample_workbook, section):
    items = section(sample_workbook)
    assert items and not any(isinstance(i, Needs) for i in items)
    for table in (i.to_html() for i in items if hasattr(i, "to_html")):
        assert ">nan<" not in table and ">None<" not in table and ">NaT<" not in table
