"""One cost to serve and one operating profit: worked out by hand for three customers, the same in every table."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from smartacct_helpers.facts import cost_to_serve as cts
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.inside_sales.business_case import workbook_case_inputs
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.key_accounts import analysis as ka
from smartacct_helpers.levers.analysis import lever_table
from smartacct_helpers.params import Params
from smartacct_helpers.small_customers.analysis import classify

#: three customers over 2025 (reference date 31.12.2025); a has an account team of its own
ORDERS = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b", "b", "c", "c", "a"],
        "order_id": ["1", "1", "2", "3", "4", "5", "5", "0"],
        "date": pd.to_datetime(
            [
                "2025-03-01",
                "2025-03-01",
                "2025-09-01",
                "2025-04-01",
                "2025-06-01",
                "2025-05-01",
                "2025-05-01",
                "2024-11-01",
            ]
        ),
        "revenue": [6_000.0, 4_000.0, 2_000.0, 800.0, 400.0, 300.0, 200.0, 9_999.0],
        "contribution_margin": [1_500.0, 1_000.0, 500.0, 200.0, np.nan, 90.0, 60.0, 999.0],
        "rebate": [300.0, np.nan, 100.0, np.nan, np.nan, np.nan, 50.0, 999.0],
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "a", "a", "b", "b", "c", "c"],
        "date": pd.to_datetime(
            [
                "2024-11-01",
                "2025-02-01",
                "2025-06-01",
                "2025-07-01",
                "2025-08-01",
                "2025-03-01",
                "2025-05-01",
                "2025-10-01",
                "2025-10-02",
            ]
        ),
        "type": ["visit", "visit", "meeting", "call", "call", "visit", "call", "visit", "email"],
        "team": ["outside", "outside", None, "inside", "inside", "inside", "inside", "outside", "inside"],
    }
)
MASTER = pd.DataFrame({"customer_id": ["a", "b", "c"], "account_team_annual_cost": [2_000.0, np.nan, np.nan]})

# By hand, at the defaults: a visit 110,000 / (200 x 4) = 137.50, a call 8, an order 20, a line 2.
# a: margin 1,500 + 1,000 + 500 = 3,000 (the line of 2024 is outside the window);
#    2 field visits (the visit of 2024 is outside) x 137.50 = 275, 2 calls x 8 = 16, 2 orders x 20 = 40,
#    3 lines x 2 = 6, rebates 300 + 100 = 400, account team 2,000: 2,737; operating profit 3,000 - 2,737 = 263
# b: margin 200 + 400 x 25 % (a line without a margin) = 300; the inside team's visit is no field visit:
#    1 call x 8 = 8, 2 orders x 20 = 40, 2 lines x 2 = 4: 52; operating profit 300 - 52 = 248
# c: margin 90 + 60 = 150; 1 visit 137.50, 1 order 20, 2 lines 4, rebate 50: 211.50; operating profit -61.50
COST = {"a": 2_737.0, "b": 52.0, "c": 211.5}
PROFIT = {"a": 263.0, "b": 248.0, "c": -61.5}


@pytest.fixture(scope="module")
def wb() -> Workbook:
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    return Workbook.from_tables(p, Tables(orders=ORDERS, customers=MASTER, activities=ACTIVITIES))


def by_id(frame: pd.DataFrame, column: str) -> dict:
    return frame.set_index("customer_id")[column].astype(float).round(6).to_dict()


def test_the_module_examples_hold():
    result = doctest.testmod(cts)
    assert result.attempted and not result.failed


def test_cost_to_serve_by_hand(wb):
    t = cts.cost_to_serve_of(wb)
    assert by_id(t, "cost_to_serve_12m") == COST
    assert by_id(t, "operating_profit_12m") == PROFIT
    assert by_id(t, "contribution_margin_12m") == {"a": 3_000.0, "b": 300.0, "c": 150.0}
    a = t.set_index("customer_id").loc["a"]
    assert a[["visits_12m", "calls_12m", "orders_12m", "lines_12m"]].tolist() == [2, 2, 2, 3]
    assert a[cts.COST_PARTS].tolist() == [275.0, 16.0, 40.0, 6.0, 400.0, 2_000.0]


def test_every_table_shows_the_same_cost_and_profit(wb):
    classified = classify(wb)
    assert by_id(classified, "cost_to_serve_12m") == COST
    assert by_id(classified, "operating_profit_12m") == PROFIT
    analysis = ka.analysis_of(wb)
    assert by_id(analysis.profitability, "cost_to_serve_12m") == COST
    accounts = analysis.key_accounts  # all three are among the 20 largest: candidates
    assert by_id(accounts, "cost_to_serve_12m") == COST and by_id(accounts, "operating_profit_12m") == PROFIT
    # the four quarters of 2025 add up to the year, the account team spread over their days
    quarters = ka.key_account_value_analysis(wb).groupby("customer_id")[["cost_to_serve", "operating_profit"]].sum()
    assert quarters["cost_to_serve"].round(6).to_dict() == COST
    assert quarters["operating_profit"].round(6).to_dict() == PROFIT
    # the levers' today: each segment's cost and profit are its customers' sums
    base = lever_table(wb).xs("base", level="lever")
    per_segment = classified.groupby("segment", observed=True)[["cost_to_serve_12m", "operating_profit_12m"]].sum()
    for segment, row in per_segment.iterrows():
        assert base.loc[segment, "cost_to_serve"] == pytest.approx(row["cost_to_serve_12m"])
        assert base.loc[segment, "operating_profit"] == pytest.approx(row["operating_profit_12m"])
    assert base.loc["all", "operating_profit"] == pytest.approx(263.0 + 248.0 - 61.5)
    # the key figure: c alone loses money
    assert ka.key_account_figures(wb)["customers_loss_making"] == 1
    # the business case's margin of the customers to manage is the same margin, b's line without one at 25 %
    managed = classified[classified["to_manage"]]
    expected = sum({"a": 3_000.0, "b": 300.0, "c": 150.0}[i] for i in managed["customer_id"])
    inputs = workbook_case_inputs(wb, classified)
    assert inputs.margin_rate == pytest.approx(expected / managed["revenue_12m"].clip(lower=0).sum())


def test_the_exports_carry_the_one_cost_to_serve(wb, tmp_path):
    from smartacct_helpers.delivery.client_exports import SEGMENT_EXPORT_COLUMNS, export_customer_segments

    assert not {"profit_after_cost_to_serve_12m", "service_cost_12m"} & set(SEGMENT_EXPORT_COLUMNS)
    export_customer_segments(wb, tmp_path)
    [csv] = tmp_path.rglob("customer_segments*.csv")
    written = pd.read_csv(csv, dtype={"customer_id": str})
    assert by_id(written, "cost_to_serve_12m") == COST and by_id(written, "operating_profit_12m") == PROFIT


def test_without_an_activity_or_a_rebate_the_cost_is_orders_and_lines():
    # orders only: no field visit, no call, no rebate, no account team
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    orders = ORDERS.drop(columns="rebate")
    wb = Workbook.from_tables(
        p, Tables(orders=orders, customers=pd.DataFrame({"customer_id": ["a", "b", "c"]}), customers_from_orders=True)
    )
    # a: 2 orders x 20 + 3 lines x 2 = 46; b: 40 + 4 = 44; c: 20 + 4 = 24
    assert by_id(cts.cost_to_serve_of(wb), "cost_to_serve_12m") == {"a": 46.0, "b": 44.0, "c": 24.0}


def test_a_call_and_a_line_cost_what_the_params_say(wb):
    dearer = wb.with_assumptions(call_cost=10.0, line_handling_cost=3.0)
    # a: 2 calls x 2 more + 3 lines x 1 more = 7 more: 2,744
    assert by_id(cts.cost_to_serve_of(dearer), "cost_to_serve_12m")["a"] == 2_744.0
    assert by_id(classify(dearer), "cost_to_serve_12m")["a"] == 2_744.0


def test_the_engine_sums_amounts_to_the_cent_as_written():
    # by hand: 100.10 + 200.20 = 300.30 and 100.10 + 200.20 - 300.30 = 0; added as floats one by one
    # they give 300.29999999999995 and -5.7e-14, whose traces depend on the order of the addition
    from smartacct_helpers.facts.product_groups import product_group_revenue

    lines = pd.DataFrame(
        {
            "customer_id": ["k", "k", "k", "m", "m"],
            "product_group": ["cable", "cable", "cable", "lamps", "lamps"],
            "date": pd.to_datetime(["2025-03-01", "2025-06-01", "2025-09-01", "2025-03-01", "2025-06-01"]),
            "revenue": [100.10, 200.20, -300.30, 100.10, 200.20],
            "rebate": [100.10, 200.20, -300.30, 100.10, 200.20],
        }
    )
    sums = cts.window_sums(lines, "2025-12-31", columns=["rebate"])
    assert sums["rebate"].to_dict() == {"k": 0.0, "m": 300.30}
    groups = product_group_revenue(lines, "2024-12-31", "2025-12-31")
    assert groups["revenue"].tolist() == [0.0, 300.30]
