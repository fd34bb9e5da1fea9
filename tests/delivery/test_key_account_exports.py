"""Notebook 05's exports: the key-account practice as sheets of ``key_accounts.xlsx`` and as CSV files.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from IPython.display import Markdown

from smartacct_helpers.delivery.client_exports import write_key_account_exports
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.key_accounts.practice import STRATEGIES
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.columns import header
from tests.report_lint import lint_xlsx

REF = dt.date(2025, 12, 31)

#: x buys since the data's first day (30.06.2021) and two of the three product groups of 2025 (a, b); y since
#: 01.05.2025, one group (c). Both are among the 20 largest: two key accounts
ORDERS = pd.DataFrame(
    {
        "customer_id": ["x", "x", "x", "y"],
        "date": pd.to_datetime(["2021-06-30", "2025-03-01", "2025-03-01", "2025-05-01"]),
        "order_id": ["1", "2", "2", "3"],
        "revenue": [10.0, 400.0, 200.0, 300.0],
        "product_group": ["a", "a", "b", "c"],
    }
)

#: x rates four strategies yes and three no, and both sides; y rates only both sides
ASSESSMENTS = pd.DataFrame(
    {
        "customer_id": ["x", "y"],
        "date": pd.to_datetime(["2025-11-30", "2025-12-01"]),
        "single_point_of_contact": pd.array([True, None], dtype="boolean"),
        "pricing_incentives": pd.array([True, None], dtype="boolean"),
        "priority_ordering": pd.array([False, None], dtype="boolean"),
        "customised_offer": pd.array([True, None], dtype="boolean"),
        "matching_units_of_sale": pd.array([False, None], dtype="boolean"),
        "cross_business_teams": pd.array([False, None], dtype="boolean"),
        "integrated_inventory_billing": pd.array([True, None], dtype="boolean"),
        "partner_willingness": pd.array([4, 2], dtype="Int64"),
        "transparency": pd.array([4, 3], dtype="Int64"),
        "growth_potential": pd.array([4, 4], dtype="Int64"),
        "supplier_partner_willingness": pd.array([3, 5], dtype="Int64"),
        "supplier_transparency": pd.array([2, 4], dtype="Int64"),
        "supplier_growth_contribution": pd.array([4, 4], dtype="Int64"),
    }
)


def workbook(orders, assessments=None):
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": REF, "currency": "EUR"})
    ids = pd.DataFrame({"customer_id": sorted(orders["customer_id"].unique())})
    return Workbook.from_tables(
        p, Tables(orders=orders, customers=ids, customers_from_orders=True, assessments=assessments)
    )


def rows(sheet) -> dict[str, dict]:
    """A sheet's rows by customer number, each as header -> value."""
    values = list(sheet.values)
    heads = values[0]
    return {str(r[0]): dict(zip(heads, r, strict=True)) for r in values[1:]}


def h(column: str) -> str:
    return header(column, "EUR", "en")


def test_the_practice_goes_into_the_key_account_file_and_csvs(tmp_path):
    items = write_key_account_exports(workbook(ORDERS, ASSESSMENTS), tmp_path)
    text = items[0].data
    assert isinstance(items[0], Markdown)
    for name in ("key_account_strategies.csv", "key_account_exit_barriers.csv", "key_account_scorecard_both_sides.csv"):
        assert f"`{name}`" in text and (tmp_path / name).exists()
    assert "holds the sheets Key accounts, Strategies, Exit barriers and Scorecard from both sides)." in text

    assert lint_xlsx(tmp_path / "key_accounts.xlsx") == []  # words, formats and setup as on every client sheet
    book = openpyxl.load_workbook(tmp_path / "key_accounts.xlsx")
    assert book.sheetnames == ["Key accounts", "Strategies", "Exit barriers", "Scorecard from both sides"]

    strategies = rows(book["Strategies"])
    # x: contact, pricing, customised, integrated yes = 4 of 7; priority, units, teams no
    assert strategies["x"][h("strategies_in_place")] == 4
    assert strategies["x"][h("priority_ordering")] == "no" and strategies["x"][h("customised_offer")] == "yes"
    assert strategies["x"][h("strategies_missing")] == "priority ordering, matching units of sale, cross-business teams"
    # y rates no strategy: its cells stay empty, never "nan"
    assert strategies["y"][h("strategies_in_place")] is None and strategies["y"][h("pricing_incentives")] is None

    barriers = rows(book["Exit barriers"])
    # x: a customer for 1,645 days (4.5 years >= 3), 2 of 3 groups (67 % >= 50 %), integrated and customised
    # yes, teams no: 4 of 5, all 5 judged
    assert barriers["x"][h("exit_barriers")] == 4 and barriers["x"][h("exit_barriers_known")] == 5
    assert barriers["x"][h("product_group_share")] == pytest.approx(2 / 3)
    assert barriers["x"][h("years_as_customer")] == pytest.approx(1645 / 365.25)
    # y: 244 days, 1 of 3 groups, strategies not rated: 0 of the 2 judged
    assert barriers["y"][h("exit_barriers")] == 0 and barriers["y"][h("exit_barriers_known")] == 2
    assert barriers["y"][h("long_relationship")] == "no" and barriers["y"][h("cross_business_teams")] is None
    share_cell = book["Exit barriers"].cell(
        2, list(next(book["Exit barriers"].values)).index(h("product_group_share")) + 1
    )
    assert share_cell.number_format == "0.0%"  # formatted as the other sheets' shares

    sides = rows(book["Scorecard from both sides"])
    # x: theirs 4, ours (3 + 2 + 4) / 3 = 3: our side lags by a point; y: theirs (2 + 3 + 4) / 3 = 3, ours 13 / 3
    assert sides["x"][h("customer_side")] == pytest.approx(4.0) and sides["x"][h("supplier_side")] == pytest.approx(3)
    assert sides["x"][h("lagging_side")] == "our side"
    assert sides["y"][h("side_gap")] == pytest.approx(4 / 3) and sides["y"][h("lagging_side")] == "their side"

    csv = pd.read_csv(tmp_path / "key_account_strategies.csv", dtype={"customer_id": str})
    assert list(csv.columns[3:10]) == list(STRATEGIES)  # the CSV keeps the column names
    assert csv.set_index("customer_id").loc["x", "strategies_in_place"] == 4


def test_orders_alone_write_the_other_exports_without_the_practice(tmp_path):
    items = write_key_account_exports(workbook(ORDERS.drop(columns="product_group")), tmp_path)
    assert items[0].data == (
        "Written: `key_accounts.csv`, `key_accounts.xlsx`, `key_account_value_analysis.csv`, "
        "`key_account_value_analysis.xlsx`, `key_account_worst_case.csv`, "
        "`key_account_worst_case.xlsx`, `portfolio_map.csv`, `portfolio_map.xlsx`"
    )
    assert openpyxl.load_workbook(tmp_path / "key_accounts.xlsx").sheetnames == ["Key accounts"]
    assert not list(tmp_path.glob("key_account_s*.csv")) and not (tmp_path / "key_account_exit_barriers.csv").exists()


def test_product_groups_alone_write_the_exit_barriers(tmp_path):
    write_key_account_exports(workbook(ORDERS), tmp_path)
    # the orders give product groups: the range bought is judged, the strategies and both sides are not
    assert openpyxl.load_workbook(tmp_path / "key_accounts.xlsx").sheetnames == ["Key accounts", "Exit barriers"]
    assert not (tmp_path / "key_account_strategies.csv").exists()
