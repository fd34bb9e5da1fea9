"""Key accounts: candidates, loss scenarios, cost to serve, whale curve, scorecard and figures."""

from __future__ import annotations

import math

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.key_accounts.analysis import (
    analyse,
    analysis_of,
    at_risk_accounts,
    chosen_loss,
    key_account_figures,
    key_account_value_analysis,
    only_large_accounts,
    worst_case,
)
from smartacct_helpers.key_accounts.candidates import account_shares, key_account_candidates, name_of
from smartacct_helpers.key_accounts.concentration import concentration_table, concentration_warnings
from smartacct_helpers.key_accounts.portfolio import TREATMENTS, portfolio_map, treatment
from smartacct_helpers.key_accounts.scorecard import (
    assessment_history,
    class_changes,
    scorecard_class,
    scorecard_movement,
)
from smartacct_helpers.key_accounts.value_analysis import (
    ServiceRates,
    account_profitability,
    account_value_score,
    best_share_of_profit,
    period_value_analysis,
    service_rates,
    value_destroyers,
    whale_curve,
    window_sums,
    window_sums_of,
)
from smartacct_helpers.key_accounts.worst_case import (
    largest_customers,
    loss_scenario,
    smart_account_margin,
    worst_case_table,
)


# ------------------------------------------------------------------ candidates
@pytest.fixture
def five():
    # revenue 500 + 250 + 150 + 60 + 40 = 1000 (the credit-note-only f is left out)
    # margin   20 +  40 +  30 +  6 +  4 = 100
    return pd.DataFrame(
        {
            "customer_id": list("abcdef"),
            "name": ["A AG", "B AG", "C AG", "D AG", "E AG", "F AG"],
            "revenue_12m": [500.0, 250.0, 150.0, 60.0, 40.0, -30.0],
            "contribution_margin_12m": [20.0, 40.0, 30.0, 6.0, 4.0, -3.0],
        }
    )


def test_candidates_by_revenue_or_margin_share(five):
    # revenue shares .50 .25 .15 .06 .04 0; margin shares .20 .40 .30 .06 .04 0
    df = account_shares(five, min_share=0.2, top_n=0)
    assert df["revenue_share"].tolist() == pytest.approx([0.5, 0.25, 0.15, 0.06, 0.04, 0.0])
    assert df["margin_share"].tolist() == pytest.approx([0.2, 0.4, 0.3, 0.06, 0.04, 0.0])
    assert df["key_account"].tolist() == [True, True, True, False, False, False]
    assert df["key_account_reason"].tolist() == ["revenue share", "revenue share", "margin share", "", "", ""]
    assert df["revenue_rank"].tolist() == [1, 2, 3, 4, 5, 6]


def test_equal_revenue_ranks_by_customer_id_in_any_row_order():
    # b and d tie at 50: b first; c and a tie at 10: a first; the ids in order and shuffled give the same ranks
    ids = ["a", "b", "c", "d", "e"]
    revenue = [10.0, 50.0, 10.0, 50.0, 70.0]
    expected = {"e": 1, "b": 2, "d": 3, "a": 4, "c": 5}
    in_order = account_shares(pd.DataFrame({"customer_id": ids, "revenue_12m": revenue}))
    assert dict(zip(in_order["customer_id"], in_order["revenue_rank"], strict=True)) == expected
    shuffled = pd.DataFrame({"customer_id": ids[::-1], "revenue_12m": revenue[::-1]}, index=[7, 3, 9, 1, 5])
    out = account_shares(shuffled)
    assert dict(zip(out["customer_id"], out["revenue_rank"], strict=True)) == expected
    assert out.index.tolist() == [7, 3, 9, 1, 5]  # the rows stay where they were


def test_top_n_adds_candidates_but_never_a_customer_without_revenue(five):
    df = account_shares(five, min_share=0.9, top_n=4)
    assert df["key_account"].tolist() == [True, True, True, True, False, False]
    assert df.loc[3, "key_account_reason"] == "top 4"
    everyone = account_shares(five, min_share=0.9, top_n=10)
    assert not everyone.loc[5, "key_account"]  # f only has credit notes
    listed = key_account_candidates(five, min_share=0.2, top_n=0)
    assert listed["customer_id"].tolist() == ["a", "b", "c"]


def test_without_margin_the_margin_share_follows_revenue(five):
    df = account_shares(five.drop(columns="contribution_margin_12m"), min_share=0.2)
    assert df["margin_share"].tolist() == pytest.approx(df["revenue_share"].tolist())


# ------------------------------------------------------------------ concentration
def test_concentration_table_and_flags(five):
    revenue = five.set_index("customer_id")["revenue_12m"]
    table = concentration_table(revenue, major_share=0.25)
    # HHI = .25 + .0625 + .0225 + .0036 + .0016 = .3402 -> concentrated
    assert table.loc["Herfindahl index", "value"] == pytest.approx(0.3402)
    assert "concentrated" in table.loc["Herfindahl index", "reading"]
    assert table.loc["top-1 share", "value"] == pytest.approx(0.5)
    assert table.loc["top-5 share", "value"] == pytest.approx(1.0)
    assert table.loc["major customers", "value"] == 2  # a (50 %) and b (exactly 25 %)
    warnings = concentration_warnings(five, major_share=0.25)
    # a 500 / 1000 = 0.5 and b 250 / 1000 = 0.25 (exactly the limit); top five 1000 / 1000 = 1.0
    assert [w["kind"] for w in warnings] == ["major customer", "major customer", "five largest", "Herfindahl index"]
    assert warnings[0] == {"kind": "major customer", "customer_id": "a", "name": "A AG", "share": 0.5, "limit": 0.25}
    assert warnings[2]["share"] == pytest.approx(1.0)
    assert warnings[3]["hhi"] == pytest.approx(0.3402)
    assert warnings[3]["band"] == "concentrated"
    assert all(isinstance(v, (int, float)) for w in warnings for k, v in w.items() if k in ("share", "limit", "hhi"))


def test_concentration_warnings_in_words_under_de(five):
    from smartacct_helpers.key_accounts.displays import concentration_display, concentration_lines
    from smartacct_helpers.presentation.formatting import Numbers

    lines = concentration_lines(concentration_warnings(five, major_share=0.25), Numbers("EUR", "de"))
    # 50 % and 25 % written the German way; the index .3402 to three decimals with a decimal comma
    assert lines == [
        "A AG (a) brings 50,0 % of revenue, at or above 25 %",
        "B AG (b) brings 25,0 % of revenue, at or above 25 %",
        "the five largest customers bring 100,0 % of revenue",
        "the Herfindahl index of 0,340 is concentrated",
    ]
    shown = concentration_display(concentration_table(five.set_index("customer_id")["revenue_12m"], 0.25), "de", 0.25)
    assert shown.loc["major customers", "reading"] == "customers with 25 % of revenue or more"
    assert (
        "below 0,15 diversified, 0,15 to 0,25 moderate, from 0,25 concentrated"
        in shown.loc["Herfindahl index", "reading"]
    )


# ------------------------------------------------------------------ loss scenarios
@pytest.fixture
def four():
    # positive revenue 600 + 300 + 100 = 1000; margin 60 + 60 + 30 - 10 = 140
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "revenue_12m": [600.0, 300.0, 100.0, -50.0],
            "contribution_margin_12m": [60.0, 60.0, 30.0, -10.0],
        }
    )


def test_losing_the_largest_account_by_hand(four):
    r = loss_scenario(four, ["a"], fixed_costs=120.0, replacement_margin=25.0)
    assert r["customers_lost"] == 1
    assert r["revenue_lost"] == pytest.approx(600.0)
    assert r["revenue_lost_share"] == pytest.approx(0.6)
    assert r["revenue_remaining"] == pytest.approx(400.0)
    assert r["margin_lost"] == pytest.approx(60.0)
    assert r["margin_lost_share"] == pytest.approx(60 / 140)
    assert r["margin_remaining"] == pytest.approx(80.0)
    assert r["result_before"] == pytest.approx(20.0)  # 140 - 120
    assert r["result_after"] == pytest.approx(-40.0)  # 80 - 120
    assert r["fixed_costs_not_covered"] == pytest.approx(40.0)
    assert r["replacements_needed"] == 3  # 60 / 25 = 2.4 -> 3


def test_losing_two_and_exact_replacement(four):
    r = loss_scenario(four, ["a", "b"], fixed_costs=120.0, replacement_margin=30.0)
    assert r["revenue_remaining"] == pytest.approx(100.0)
    assert r["margin_remaining"] == pytest.approx(20.0)
    assert r["fixed_costs_not_covered"] == pytest.approx(100.0)
    assert r["replacements_needed"] == 4  # 120 / 30 exactly


def test_losing_a_loss_maker_raises_the_margin_but_not_the_revenue(four):
    r = loss_scenario(four, ["d"], fixed_costs=120.0, replacement_margin=25.0)
    assert r["revenue_lost"] == 0.0
    assert r["revenue_remaining"] == pytest.approx(1000.0)
    assert r["margin_remaining"] == pytest.approx(150.0)
    assert r["fixed_costs_not_covered"] == 0.0
    assert r["replacements_needed"] == 0


def test_unknown_fixed_costs_and_replacement_margin(four):
    r = loss_scenario(four, ["a"])
    assert math.isnan(r["fixed_costs_not_covered"]) and math.isnan(r["result_after"])
    assert math.isnan(r["replacements_needed"])


def test_worst_case_table_top_k(four):
    table = worst_case_table(four, k_max=3, fixed_costs=120.0, replacement_margin=25.0)
    assert list(table.index) == [1, 2, 3]
    assert table.loc[2, "accounts_lost"] == "Alpha, Beta"
    assert table["revenue_lost"].tolist() == pytest.approx([600.0, 900.0, 1000.0])
    assert table["margin_lost"].tolist() == pytest.approx([60.0, 120.0, 150.0])
    assert table["fixed_costs_not_covered"].tolist() == pytest.approx([40.0, 100.0, 130.0])  # 120 - (140 - 150)
    # d has only credit notes: it is never among the largest, so five steps shrink to three
    assert list(worst_case_table(four, k_max=5).index) == [1, 2, 3]
    by_margin = worst_case_table(four, k_max=1, by="contribution_margin_12m")
    assert by_margin.loc[1, "accounts_lost"] == "Alpha"  # a and b tie at 60; a comes first by id


def test_the_largest_customers_break_ties_by_id_also_at_the_last_place():
    # d, c and b each bought 50: the second place goes to b, the first of them by id, whatever the row order;
    # e (nothing) and f (a credit note) are never among the largest
    c = pd.DataFrame(
        {"customer_id": ["d", "c", "a", "b", "e", "f"], "revenue_12m": [50.0, 50.0, 100.0, 50.0, 0.0, -5.0]}
    )
    assert largest_customers(c, 2) == ["a", "b"]
    assert largest_customers(c, 10) == ["a", "b", "c", "d"]


def test_smart_account_margin():
    df = pd.DataFrame(
        {
            "smart_account": [True, False, True],
            "contribution_margin_12m": [100.0, 900.0, 300.0],
            "revenue_12m": [1.0, 1.0, 1.0],
        }
    )
    assert smart_account_margin(df) == pytest.approx(200.0)
    assert math.isnan(smart_account_margin(df.assign(smart_account=False)))


# ------------------------------------------------------------------ cost to serve
def test_service_rates_from_the_params():
    rates = service_rates(Assumptions(call_cost=9, line_handling_cost=1.5, order_handling_cost=12))
    # 110,000 / (200 x 4) = 137.50 per visit
    assert rates == ServiceRates(visit=137.5, call=9.0, order=12.0, line=1.5)


def test_account_profitability_by_hand():
    customers = pd.DataFrame(
        {
            "customer_id": ["x", "y"],
            "name": ["X", "Y"],
            "revenue_12m": [10_000.0, 800.0],
            "contribution_margin_12m": [2_500.0, 240.0],
            "visits_12m": [4, 2],
            "calls_12m": [10, 0],
            "orders_12m": [20, 12],
            "lines_12m": [50, 12],
        }
    )
    sums = pd.DataFrame({"discount": [700.0], "rebate": [300.0]}, index=pd.Index(["x"], name="customer_id"))
    rates = ServiceRates(visit=137.5, call=8, order=20, line=2)
    p = account_profitability(customers, rates, sums)
    # x: 4 x 137.5 + 10 x 8 + 20 x 20 + 50 x 2 + 300 rebates = 550 + 80 + 400 + 100 + 300 = 1,430;
    #    2,500 - 1,430 = 1,070
    # y: 2 x 137.5 + 12 x 20 + 12 x 2 = 275 + 240 + 24 = 539 (no rebate); 240 - 539 = -299
    assert p["cost_to_serve_12m"].tolist() == pytest.approx([1430.0, 539.0])
    assert p["operating_profit_12m"].tolist() == pytest.approx([1070.0, -299.0])
    assert p["discount_12m"].tolist() == [700.0, 0.0]
    assert p["rebate_12m"].tolist() == pytest.approx([300.0, 0.0])
    assert value_destroyers(p)["customer_id"].tolist() == ["y"]


def test_profitability_with_discounts_but_no_rebates():
    # an order log with a discount column and no rebate column (the Superstore log): three customers, the
    # discounts of two of them summed in the window, c without a line in it
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "b"],
            "discount": [0.2, 0.4, 0.1],
            "date": pd.to_datetime(["2025-06-01", "2025-07-01", "2025-08-01"]),
        }
    )
    sums = window_sums(orders, "2025-12-31")
    assert sums.columns.tolist() == ["discount"]
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "revenue_12m": [100.0, 200.0, 0.0],
            "contribution_margin_12m": [30.0, 50.0, 0.0],
        }
    )
    p = account_profitability(customers, ServiceRates(visit=0, call=0, order=0, line=0), sums)
    # b: 0.4 + 0.1 = 0.5; no rebate anywhere: the margin after rebates is the margin
    assert p["discount_12m"].tolist() == pytest.approx([0.2, 0.5, 0.0])
    assert p["rebate_12m"].tolist() == [0.0, 0.0, 0.0]
    assert p["operating_profit_12m"].tolist() == pytest.approx([30.0, 50.0, 0.0])


def days_of(frame: pd.DataFrame):
    """``frame`` as an engine table whose dates are DATEs."""
    days = ibis.memtable(frame.assign(date=frame["date"].dt.date))
    assert days.schema()["date"].is_date()
    return days


def test_window_sums_by_hand():
    orders = pd.DataFrame(
        {
            "customer_id": ["k", "k", "k", "m", "n"],
            "date": pd.to_datetime(["2024-12-31", "2025-01-01", "2025-12-31", "2025-06-30", "2023-05-05"]),
            "discount": [9.0, 5.0, 7.0, 2.0, 9.0],
            "rebate": [9.0, 1.0, None, 3.0, 9.0],
        }
    )
    # the window is (31.12.2024, 31.12.2025]: k 5 + 7 = 12 discount and 1 rebate (the missing one counts
    # nothing), m 2 and 3; n has no line in it
    expected = pd.DataFrame(
        {"discount": [12.0, 2.0], "rebate": [1.0, 3.0]}, index=pd.Index(["k", "m"], name="customer_id")
    )
    for lines in (orders, days_of(orders)):
        sums = window_sums(lines, "2025-12-31")
        pd.testing.assert_frame_equal(sums, expected, check_index_type=False)
    # without the columns: an empty frame
    assert window_sums(orders.drop(columns=["discount", "rebate"]), "2025-12-31").empty


def test_quarterly_value_analysis_by_hand():
    orders = pd.DataFrame(
        {
            "customer_id": ["k", "k", "k", "k", "k"],
            "date": pd.to_datetime(["2024-12-31", "2025-01-10", "2025-01-10", "2025-04-02", "2025-07-01"]),
            "order_id": ["0", "1", "1", "2", "3"],
            "revenue": [999.0, 600.0, 400.0, 500.0, 999.0],
            "contribution_margin": [99.0, 120.0, 80.0, 100.0, 99.0],
            "discount": [9.0, 50.0, 0.0, 0.0, 9.0],
            "rebate": [9.0, 20.0, 10.0, 15.0, 9.0],
        }
    )
    activities = pd.DataFrame(
        {
            "customer_id": ["k", "k", "k", "k", "k"],
            "date": pd.to_datetime(["2025-02-01", "2025-03-03", "2025-05-05", "2025-05-06", "2025-05-07"]),
            "type": ["visit", "visit", "meeting", "call", "email"],
            "team": ["outside", "inside", "outside", "inside", "inside"],
        }
    )
    rates = ServiceRates(visit=100, call=5, order=20, line=2)
    r = period_value_analysis(orders, activities, ["k", "m"], "2024-12-31", "2025-06-30", "Q", rates)
    assert len(r) == 4  # two customers x two quarters, m with zeros
    q = r[r["customer_id"] == "k"].set_index(r.loc[r["customer_id"] == "k", "period"].astype(str))
    # Q1: 1 order, 2 lines, 1 field visit (the inside team's visit does not count)
    #     cost 100 + 20 + 2 x 2 + 30 rebates = 154; profit 200 - 154 = 46
    # Q2: 1 order, 1 line, the meeting and one call: cost 100 + 5 + 20 + 2 + 15 rebates = 142;
    #     profit 100 - 142 = -42
    assert q.loc["2025Q1", ["revenue", "discount", "rebate", "contribution_margin"]].tolist() == [
        1000.0,
        50.0,
        30.0,
        200.0,
    ]
    assert q[["orders", "lines", "visits", "calls"]].to_numpy().tolist() == [[1, 2, 1, 0], [1, 1, 1, 1]]
    assert q["cost_to_serve"].tolist() == pytest.approx([154.0, 142.0])
    assert q["operating_profit"].tolist() == pytest.approx([46.0, -42.0])
    m = r[r["customer_id"] == "m"]
    assert (m[["revenue", "cost_to_serve", "operating_profit"]] == 0).all().all()
    monthly = period_value_analysis(orders, activities, ["k"], "2024-12-31", "2025-06-30", "M", rates)
    assert monthly["period"].astype(str).tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert monthly["operating_profit"].sum() == pytest.approx(46.0 - 42.0)
    # the same from an engine table whose dates are DATEs
    pd.testing.assert_frame_equal(
        period_value_analysis(days_of(orders), activities, ["k", "m"], "2024-12-31", "2025-06-30", "Q", rates), r
    )
    pd.testing.assert_frame_equal(
        period_value_analysis(days_of(orders), activities, ["k"], "2024-12-31", "2025-06-30", "M", rates), monthly
    )
    # activities in the engine too (a workbook of files keeps them there), with dates as DATEs or as timestamps
    for acts in (days_of(activities), ibis.memtable(activities)):
        pd.testing.assert_frame_equal(
            period_value_analysis(days_of(orders), acts, ["k", "m"], "2024-12-31", "2025-06-30", "Q", rates), r
        )


def test_value_analysis_for_many_customers():
    orders = pd.DataFrame(
        {
            "customer_id": ["k", "z"],
            "date": pd.to_datetime(["2025-01-10", "2025-01-10"]),
            "order_id": ["1", "2"],
            "revenue": [600.0, 400.0],
        }
    )
    many = ["k"] + [f"c{i:04d}" for i in range(1000)]
    r = period_value_analysis(orders, None, many, "2024-12-31", "2025-03-31", "Q")
    # one quarter for each of the 1,001 customers; k's 600, the 400 of z (not asked for) nowhere
    assert len(r) == 1001
    assert r["revenue"].sum() == 600.0
    pd.testing.assert_frame_equal(
        r[r["customer_id"] == "k"], period_value_analysis(orders, None, ["k"], "2024-12-31", "2025-03-31", "Q")
    )


def test_value_analysis_without_order_ids_or_margins():
    orders = pd.DataFrame(
        {
            "customer_id": ["k", "k", "k"],
            "date": pd.to_datetime(["2025-01-10", "2025-01-10", "2025-02-20"]),
            "revenue": [600.0, 400.0, 200.0],
        }
    )
    rates = ServiceRates(visit=100, call=5, order=20, line=2)
    r = period_value_analysis(orders, None, ["k"], "2024-12-31", "2025-03-31", "Q", rates, margin_rate_if_unknown=0.3)
    # two days with orders, three lines; margin 1,200 x 0.3 = 360; cost 2 x 20 + 3 x 2 = 46; profit 360 - 46 = 314
    assert r[["orders", "lines"]].to_numpy().tolist() == [[2, 3]]
    assert r["contribution_margin"].tolist() == pytest.approx([360.0])
    assert r["operating_profit"].tolist() == pytest.approx([314.0])
    # no customers: no rows
    assert period_value_analysis(orders, None, [], "2024-12-31", "2025-03-31").empty


# ------------------------------------------------------------------ whale curve and 80/20
def test_whale_curve_by_hand():
    profit = pd.Series({"a": -20.0, "b": 100.0, "c": 20.0, "d": -30.0, "e": 50.0})
    w = whale_curve(profit)
    assert w["customer_id"].tolist() == ["b", "e", "c", "a", "d"]
    assert w["cumulative_profit"].tolist() == [100.0, 150.0, 170.0, 150.0, 120.0]
    assert w["cumulative_share"].max() == pytest.approx(170 / 120)
    assert w["share_of_customers"].tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    # best 20 % of five customers = the best one: 100 of 120
    assert best_share_of_profit(profit, 0.2) == pytest.approx(100 / 120)
    # six customers: ceil(1.2) = 2 best
    assert best_share_of_profit(pd.concat([profit, pd.Series({"f": 10.0})]), 0.2) == pytest.approx(150 / 130)
    assert math.isnan(best_share_of_profit(pd.Series([-1.0, 0.5])))


profits = st.lists(st.floats(-1e6, 1e6, allow_nan=False, width=32), min_size=1, max_size=40)


@settings(max_examples=50, deadline=None)
@given(profits)
def test_whale_curve_ends_at_the_total_profit(values):
    profit = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    w = whale_curve(profit)
    assert w["cumulative_profit"].iloc[-1] == pytest.approx(profit.sum(), abs=1e-6 * (1 + profit.abs().sum()))
    assert w["cumulative_profit"].max() >= w["cumulative_profit"].iloc[-1] - 1e-6 * (1 + profit.abs().sum())


amounts = st.lists(st.floats(-1e5, 1e7, allow_nan=False, width=32), min_size=1, max_size=40)


@settings(max_examples=50, deadline=None)
@given(amounts, amounts)
def test_shares_sum_to_one(revenue, margin):
    n = min(len(revenue), len(margin))
    df = pd.DataFrame(
        {
            "customer_id": [f"c{i:02d}" for i in range(n)],
            "revenue_12m": revenue[:n],
            "contribution_margin_12m": margin[:n],
        }
    )
    out = account_shares(df, 0.05, 3)
    for col, source in (("revenue_share", "revenue_12m"), ("margin_share", "contribution_margin_12m")):
        expected = 1.0 if (df[source] > 0).any() else 0.0
        assert out[col].sum() == pytest.approx(expected)
        assert (out[col] >= 0).all()


@settings(max_examples=50, deadline=None)
@given(amounts, st.data())
def test_removing_accounts_never_raises_the_remaining_revenue(revenue, data):
    ids = [f"c{i}" for i in range(len(revenue))]
    df = pd.DataFrame({"customer_id": ids, "revenue_12m": revenue, "contribution_margin_12m": 0.0})
    first = data.draw(st.sets(st.sampled_from(ids)))
    more = data.draw(st.sets(st.sampled_from(ids)))
    before = loss_scenario(df, [])["revenue_remaining"]
    some = loss_scenario(df, first)["revenue_remaining"]
    both = loss_scenario(df, first | more)["revenue_remaining"]
    tol = 1e-6 * (1 + abs(before))
    assert some <= before + tol
    assert both <= some + tol
    table = worst_case_table(df, k_max=min(5, len(ids)))
    assert (np.diff(table["revenue_remaining"].to_numpy()) <= tol).all()


# ------------------------------------------------------------------ account-value score
def test_account_value_score_by_hand():
    accounts = pd.DataFrame(
        {
            "distance_km": [10.0, 30.0, 110.0],  # proximity (110 - d) / 100: 1, .8, 0
            "growth_potential": [5, 1, 3],  # (s - 1) / 4: 1, 0, .5
            "cost_to_serve_12m": [100.0, 500.0, 300.0],
            "revenue_12m": [10_000.0] * 3,  # cost per revenue .01 .05 .03 -> ease 1, 0, .5
        }
    )
    s = account_value_score(accounts, weight_proximity=2, weight_growth=1, weight_ease=1)
    assert s["proximity_score"].tolist() == pytest.approx([1.0, 0.8, 0.0])
    assert s["growth_score"].tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert s["ease_score"].tolist() == pytest.approx([1.0, 0.0, 0.5])
    # (2 p + g + e) / 4 x 100
    assert s["account_value_score"].tolist() == pytest.approx([100.0, 40.0, 25.0])


def test_account_value_score_fills_gaps():
    accounts = pd.DataFrame(
        {
            "distance_km": [np.nan, 20.0],
            "growth_potential": pd.array([pd.NA, 4], dtype="Int64"),
            "revenue_trend": [100.0, 0.0],
            "cost_to_serve_12m": [10.0, 10.0],
            "revenue_12m": [1000.0, 1000.0],
        }
    )
    s = account_value_score(accounts, 1, 1, 0)
    # first: no distance -> .5; growth from the trend (the faster grower) -> 1; (0.5 + 1) / 2
    # second: nearest -> 1; growth (4 - 1) / 4 = .75; (1 + .75) / 2
    assert s["account_value_score"].tolist() == pytest.approx([75.0, 87.5])


# ------------------------------------------------------------------ scorecard
def test_scorecard_classes_by_hand():
    scores = pd.DataFrame(
        {
            "partner_willingness": [4, 5, 4, 4, 2, 2],
            "transparency": [4, 3, 3, 4, 2, 5],
            "growth_potential": [4, 4, 4, 2, 3, 1],
        }
    )
    large = [False, True, True, True, True, False]
    # min 4 -> partner; avg 4.0 -> key; avg 3.67 -> key; min 2 & avg 3.33 -> large; avg 2.33 large; avg 2.67 small
    assert scorecard_class(scores, large).tolist() == [
        "strategic partner",
        "key account",
        "key account",
        "large account",
        "large account",
        "transactional",
    ]
    strict = scorecard_class(scores, large, partner_min_score=5, key_account_min_average=4)
    assert strict.tolist() == [
        "key account",
        "key account",
        "large account",
        "large account",
        "large account",
        "transactional",
    ]


def test_scorecard_movement_over_time():
    assessments = pd.DataFrame(
        {
            "customer_id": ["p", "p", "q", "q", "q"],
            "date": pd.to_datetime(["2024-06-20", "2025-06-20", "2024-06-10", "2024-06-25", "2025-06-10"]),
            "partner_willingness": [5, 3, 2, 4, 4],
            "transparency": [5, 3, 2, 4, 4],
            "growth_potential": [5, 3, 2, 3, 4],
        }
    )
    history = assessment_history(assessments, large_ids=["p"])
    # q's two assessments in 2024 Q2: the later (4, 4, 3; average 3.67) counts
    assert len(history) == 4
    assert history["class"].tolist() == ["strategic partner", "large account", "key account", "strategic partner"]
    move = scorecard_movement(history)
    assert move.loc["strategic partner", "large account"] == 1
    assert move.loc["key account", "strategic partner"] == 1
    assert move.to_numpy().sum() == 2
    changes = class_changes(history).set_index("customer_id")
    assert changes.loc["p", "direction"] == "down" and changes.loc["q", "direction"] == "up"


# ------------------------------------------------------------------ treatment
def test_treatment_by_hand():
    df = pd.DataFrame(
        {
            "customer_id": ["ka", "f", "l", "tiny", "s", "dev"],
            "segment": ["field", "field", "lapsed", "small", "small", "develop"],
            "revenue_12m": [1e6, 20_000.0, 0.0, 900.0, 3_000.0, 500.0],
        }
    )
    t = treatment(df, ["ka"], self_service_max_revenue=1_000)
    assert t.tolist() == [
        "key-account programme",
        "field sales",
        "self-service",
        "self-service",
        "inside sales",
        "inside sales",
    ]


# ------------------------------------------------------------------ on the sample
@pytest.fixture(scope="module")
def analysis(sample_workbook):
    return analyse(sample_workbook)


@pytest.fixture(scope="module")
def plain(sample_workbook):
    """The figures recomputed with plain pandas from the canonical tables."""
    wb = sample_workbook
    a = wb.assumptions
    ref = pd.Timestamp(wb.reference_date)
    start = ref - pd.DateOffset(months=12)
    o = wb.tables.orders
    o = o[(o["date"] > start) & (o["date"] <= ref)]
    acts = wb.tables.activities
    acts = acts[(acts["date"] > start) & (acts["date"] <= ref)]
    ids = wb.tables.customers["customer_id"]
    per = (
        o.groupby("customer_id")
        .agg(
            revenue=("revenue", "sum"),
            cm=("contribution_margin", "sum"),
            rebate=("rebate", "sum"),
            orders=("order_id", "nunique"),
            lines=("revenue", "size"),
        )
        .reindex(ids, fill_value=0)
    )
    field = acts["type"].isin(["visit", "meeting"]) & (acts["team"] != "inside")
    per["visits"] = acts[field].groupby("customer_id").size().reindex(ids, fill_value=0)
    per["calls"] = acts[acts["type"] == "call"].groupby("customer_id").size().reindex(ids, fill_value=0)
    visit_cost = a.outside_rep_annual_cost / (a.working_days * a.visits_per_day)
    per["profit"] = (
        per["cm"]
        - per["rebate"]
        - (
            per["visits"] * visit_cost
            + per["calls"] * a.call_cost
            + per["orders"] * a.order_handling_cost
            + per["lines"] * a.line_handling_cost
        )
    )
    pos_rev = per["revenue"].clip(lower=0)
    pos_cm = per["cm"].clip(lower=0)
    ranked = per.assign(cid=per.index).sort_values(["revenue", "cid"], ascending=[False, True])
    top_n = set(ranked.index[: a.key_account_top_n])
    key = (
        (pos_rev / pos_rev.sum() >= a.key_account_min_share)
        | (pos_cm / pos_cm.sum() >= a.key_account_min_share)
        | per.index.isin(top_n)
    ) & (per["revenue"] > 0)
    kp = per.loc[key, "profit"].sort_values(ascending=False)
    best = kp.head(math.ceil(0.2 * len(kp))).sum() / kp.sum()
    return {
        "key_accounts": int(key.sum()),
        "key_account_revenue_share": pos_rev[key].sum() / pos_rev.sum(),
        "worst_case_top1_margin_loss": ranked["cm"].head(1).sum(),
        "worst_case_top5_margin_loss": ranked["cm"].head(5).sum(),
        "profit_share_top20pct_key_accounts": best,
        "customers_loss_making": int((per["profit"] < 0).sum()),
        "_per": per,
        "_key": key,
    }


def test_key_account_figures_match_plain_pandas(sample_workbook, analysis, plain):
    figures = key_account_figures(sample_workbook, analysis)
    assert set(figures) == {
        "key_accounts",
        "key_account_revenue_share",
        "worst_case_top1_margin_loss",
        "worst_case_top5_margin_loss",
        "profit_share_top20pct_key_accounts",
        "customers_loss_making",
    }
    for key, value in figures.items():
        assert value == pytest.approx(plain[key], rel=1e-9), key
    assert isinstance(figures["key_accounts"], int) and isinstance(figures["customers_loss_making"], int)


def test_profitability_matches_plain_pandas(analysis, plain):
    mine = analysis.profitability.set_index("customer_id")["operating_profit_12m"]
    theirs = plain["_per"]["profit"].reindex(mine.index)
    assert np.allclose(mine.to_numpy(), theirs.to_numpy(), rtol=1e-9, atol=1e-6)


def test_quarters_add_up_to_the_year(sample_workbook, analysis):
    # the sample's reference date is 31 December: the window is four calendar quarters
    va = key_account_value_analysis(sample_workbook, analysis)
    assert sorted(va["period"].astype(str).unique()) == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    year = va.groupby("customer_id")[
        ["revenue", "rebate", "contribution_margin", "cost_to_serve", "operating_profit"]
    ].sum()
    ka_rows = analysis.key_accounts.set_index("customer_id")
    assert np.allclose(year["revenue"], ka_rows.loc[year.index, "revenue_12m"])
    assert np.allclose(year["rebate"], ka_rows.loc[year.index, "rebate_12m"])
    assert np.allclose(year["cost_to_serve"], ka_rows.loc[year.index, "cost_to_serve_12m"])
    assert np.allclose(year["operating_profit"], ka_rows.loc[year.index, "operating_profit_12m"])


def test_sample_shows_what_the_notebook_needs(sample_workbook, analysis):
    k = analysis.key_accounts
    assert len(k) >= 10
    # a large account is not automatically a key account: some candidates are "large account" only
    assert (k["class"] == "large account").any()
    assert k["class"].isin(["strategic partner", "key account"]).any()
    # some key accounts bring revenue but destroy value after rebates and the cost to serve
    assert (k["operating_profit_12m"] < 0).any()
    assert analysis.history is not None and analysis.history["period"].nunique() >= 3
    assert scorecard_movement(analysis.history).to_numpy().trace() < len(analysis.history["customer_id"].unique())
    wc = worst_case(sample_workbook, analysis)
    assert wc.loc[1, "fixed_costs_not_covered"] >= 0 and wc.loc[5, "fixed_costs_not_covered"] > 0
    pm = portfolio_map(sample_workbook, analysis)
    assert set(pm["treatment"]) == set(TREATMENTS)
    assert len(pm) == len(sample_workbook.customers)


# ------------------------------------------------------------------ views, sliders and charts
def test_views_return_charts_and_tables(sample_workbook, analysis):
    from matplotlib.figure import Figure

    from smartacct_helpers.key_accounts import displays as kav

    for view in (
        kav.candidates_view,
        kav.concentration_view,
        kav.worst_case_view,
        kav.value_view,
        kav.account_value_view,
        kav.scorecard_view,
        kav.portfolio_view,
    ):
        items = view(sample_workbook, analysis)
        assert any(isinstance(i, Figure) for i in items), view.__name__
    table = kav.scenario_table(chosen_loss(sample_workbook, analysis.key_account_ids[:2], analysis))
    assert table.loc["customers lost", "value"] == "2"


def test_charts_draw_empty_tables_without_failing():
    from smartacct_helpers.key_accounts import charts as kc

    empty_profit = whale_curve(pd.Series(dtype=float))
    nobody = pd.DataFrame({"customer_id": ["a"], "revenue_12m": [0.0], "contribution_margin_12m": [0.0]})
    figures = [
        kc.worst_case_chart(worst_case_table(nobody)),
        kc.whale_chart(empty_profit, empty_profit),
        kc.lorenz_chart(pd.DataFrame({"share_of_customers": [0.0], "share_of_revenue": [0.0]})),
    ]
    for fig in figures:
        assert fig._repr_png_().startswith(b"\x89PNG")


def test_the_window_sums_are_read_once_for_every_slider_move(sample_workbook):
    wb = sample_workbook.with_assumptions(call_cost=9.5)
    expected = window_sums(wb.order_totals, wb.reference_date)
    assert expected["rebate"].sum() > 0
    pd.testing.assert_frame_equal(window_sums_of(wb), expected)
    # another cost of a call: the same sums, remembered once for the workbook and all its variants
    pd.testing.assert_frame_equal(window_sums_of(wb.with_assumptions(call_cost=11.5)), expected)
    assert len(sample_workbook._memo["window_sums"]) == 1


# ------------------------------------------------------------------ rules moved out of notebook 05
def test_the_accounts_at_risk():
    key = pd.DataFrame(
        {"customer_id": ["a", "b", "c", "d", "e"], "competitor_activity": ["low", "high", None, "high", "medium"]}
    )
    assert at_risk_accounts(key) == (["b", "d"], "Key accounts with high competitor activity")
    # the activity is known, but nowhere high: nobody is at risk by this rule
    calm = key.assign(competitor_activity=["low"] * 5)
    assert at_risk_accounts(calm) == ([], "Key accounts with high competitor activity")
    # a column that is present but empty, or missing: the three largest (the table is largest first)
    for unknown in (key.assign(competitor_activity=[None] * 5), key.drop(columns="competitor_activity")):
        assert at_risk_accounts(unknown) == (["a", "b", "c"], "The three largest accounts")
    assert at_risk_accounts(key.head(2).drop(columns="competitor_activity"))[0] == ["a", "b"]


def test_the_largest_candidates_that_are_large_accounts_only():
    key = pd.DataFrame(
        {
            "customer_id": list("pqrst"),
            "revenue_rank": [3, 1, 2, 5, 4],
            "class": ["large account", "key account", "large account", "large account", "transactional"],
        }
    )
    # the three largest are q (1), r (2), p (3): r and p are large accounts only; s (5) is not among them
    assert only_large_accounts(key, 3)["customer_id"].tolist() == ["r", "p"]
    assert only_large_accounts(key.assign(**{"class": "key account"}), 10).empty


def test_class_changes_carry_the_names_and_a_missing_name_is_blank():
    history = pd.DataFrame(
        {
            "customer_id": ["p", "p", "q", "q"],
            "date": pd.to_datetime(["2024-06-30", "2025-06-30"] * 2),
            "class": ["key account", "large account", "transactional", "key account"],
        }
    )
    changes = class_changes(history, pd.Series({"p": "Elektro Graf", "q": None}))
    assert changes.columns.tolist()[:2] == ["customer_id", "name"]
    assert changes["name"].tolist() == ["Elektro Graf", ""]
    assert changes["direction"].tolist() == ["down", "up"]
    assert "name" not in class_changes(history).columns


def test_a_name_or_else_the_id():
    names = pd.Series({"7": "Elektro Graf", "8": None, "9": "  "})
    assert [name_of(names, c) for c in ["7", "8", "9", "10"]] == ["Elektro Graf", "8", "9", "10"]
    assert name_of(None, 12) == "12"


# ------------------------------------------------------------------ order logs as real exports have them
def order_log_workbook(lines: pd.DataFrame, customers: pd.DataFrame | None = None, reference="2025-12-31"):
    from smartacct_helpers.facts.workbook import Workbook
    from smartacct_helpers.intake.schema import Tables
    from smartacct_helpers.params import Params

    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": reference})
    if customers is None:
        ids = pd.DataFrame({"customer_id": sorted(lines["customer_id"].unique())})
        return Workbook.from_tables(p, Tables(orders=lines, customers=ids, customers_from_orders=True))
    return Workbook.from_tables(p, Tables(orders=lines, customers=customers))


#: three customers of an order log with a profit and a discount rate per line and no rebates, no master
ORDER_LOG = pd.DataFrame(
    {
        "customer_id": ["x", "x", "y", "z"],
        "order_id": ["1", "1", "2", "3"],
        "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-05-01", "2025-07-01"]),
        "revenue": [400.0, 200.0, 300.0, 100.0],
        "contribution_margin": [60.0, 40.0, -50.0, 20.0],
        "discount": [0.2, 0.2, 0.0, 0.1],
    }
)


def test_key_account_figures_of_an_order_log_with_discounts_and_no_rebates():
    wb = order_log_workbook(ORDER_LOG)
    figures = key_account_figures(wb)
    # revenue 600 / 300 / 100 of 1,000: each one of the 20 largest, so all three are candidates
    assert figures["key_accounts"] == 3 and figures["key_account_revenue_share"] == pytest.approx(1.0)
    # the largest (x) brings 60 + 40 = 100 margin; the five largest are all three: 100 - 50 + 20 = 70
    assert figures["worst_case_top1_margin_loss"] == pytest.approx(100.0)
    assert figures["worst_case_top5_margin_loss"] == pytest.approx(70.0)
    # cost to serve: one order at 20 each, lines at 2 (x has two): x 100 - 24 = 76, y -50 - 22 = -72,
    # z 20 - 22 = -2; the best fifth (ceil(0.6) = 1 account, x) brings 76 of the total 2
    assert figures["customers_loss_making"] == 2
    assert figures["profit_share_top20pct_key_accounts"] == pytest.approx(38.0)
    profit = analysis_of(wb).profitability.set_index("customer_id")
    assert profit["discount_12m"].to_dict() == pytest.approx({"x": 0.4, "y": 0.0, "z": 0.1})
    assert profit["rebate_12m"].tolist() == [0.0, 0.0, 0.0]


def test_a_margin_column_present_but_empty_counts_as_no_margin():
    wb = order_log_workbook(ORDER_LOG.assign(contribution_margin=None))
    an = analysis_of(wb)
    assert not an.margin_known
    profit = an.profitability.set_index("customer_id")
    # the params' 25 % of revenue: 150, 75, 25; less the cost to serve 24, 22, 22
    assert profit["contribution_margin_12m"].tolist() == pytest.approx([150.0, 75.0, 25.0])
    assert profit["operating_profit_12m"].tolist() == pytest.approx([126.0, 53.0, 3.0])
    # the margin shares follow the revenue shares
    assert an.key_accounts["margin_share"].tolist() == pytest.approx([0.6, 0.3, 0.1])


def test_no_revenue_trend_from_years_the_data_does_not_hold():
    # 13 months of data: the trend over three 12-month windows would count two windows that are not there
    wb = order_log_workbook(
        ORDER_LOG.assign(date=pd.to_datetime(["2024-12-01", "2025-03-01", "2025-05-01", "2025-12-31"]))
    )
    an = analysis_of(wb)
    assert not an.trend_known
    assert an.key_accounts["revenue_trend"].isna().all()
    assert an.key_accounts["growth_score"].tolist() == [0.5, 0.5, 0.5]  # neither scorecard nor trend: the middle
    assert portfolio_map(wb, an)["growth"].isna().all()
    # five years of data: a trend
    assert analysis_of(
        order_log_workbook(pd.concat([ORDER_LOG, ORDER_LOG.assign(date=pd.Timestamp("2021-01-05"))]))
    ).trend_known


def test_without_revenue_in_the_window_there_is_no_candidate():
    lines = pd.DataFrame(
        {"customer_id": ["a", "b"], "date": pd.to_datetime(["2025-06-01", "2023-03-01"]), "revenue": [-100.0, 500.0]}
    )
    wb = order_log_workbook(lines)
    figures = key_account_figures(wb)
    assert figures["key_accounts"] == 0 and figures["profit_share_top20pct_key_accounts"] is None
    assert "no key-account candidate" in figures["_limited"]["profit_share_top20pct_key_accounts"]


def test_an_unknown_potential_stays_unknown_on_the_portfolio_map():
    wb = order_log_workbook(ORDER_LOG)
    from smartacct_helpers.small_customers.analysis import _classified

    wb.remembered("classify", lambda a: _classified(wb, a).assign(potential=[float("nan"), 900.0, 50.0]))
    portfolio = portfolio_map(wb, analyse(wb))
    # x unknown; y 900 above its 300; z's 50 below its 100 of revenue: at least the revenue
    assert portfolio["potential"].tolist()[1:] == [900.0, 100.0] and math.isnan(portfolio["potential"].iloc[0])


def test_charts_name_a_customer_without_a_name_by_its_id():
    from smartacct_helpers.key_accounts import charts as kc

    accounts = account_shares(
        pd.DataFrame({"customer_id": ["7", "8"], "name": ["Elektro Graf", None], "revenue_12m": [300.0, 100.0]})
    )
    fig = kc.top_customers_chart(accounts)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Elektro Graf", "8"]
    value = pd.DataFrame(
        {
            "customer_id": ["7", "8"],
            "name": ["Elektro Graf", None],
            "period": pd.PeriodIndex(["2025Q1", "2025Q1"], freq="Q"),
            "operating_profit": [5.0, 3.0],
        }
    )
    fig = kc.value_by_period_chart(value)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Elektro Graf", "8"]
