import datetime as dt

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.levers import analysis as levers
from smartacct_helpers.levers import orders as lever_orders
from smartacct_helpers.levers import transitions
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.formatting import money
from smartacct_helpers.small_customers.analysis import classify

# Default lever assumptions used below: price +3 % (small, develop) and +1 % (field), elasticity -0.8;
# surcharge 10 below 100 with 40 % consolidating; minimum order 50 with 20 % of the refused revenue lost;
# 30 % of the small customers' orders outside the shop move online at 5 instead of 20 per order.
A = Assumptions()


def five_orders() -> pd.DataFrame:
    # four orders of small customers (30, 45, 80, and 300 through the web shop) and one field order of 500,
    # each at a margin rate of 30 % (field: 20 %)
    return pd.DataFrame(
        {
            "segment": ["small", "small", "develop", "small", "field"],
            "revenue": [30.0, 45.0, 80.0, 300.0, 500.0],
            "contribution_margin": [9.0, 13.5, 24.0, 90.0, 100.0],
            "online": [False, False, False, True, False],
        }
    )


def test_defaults_of_the_new_assumptions():
    assert (A.price_increase_small, A.price_increase_field, A.price_elasticity) == (0.03, 0.01, -0.8)
    assert (A.small_order_surcharge, A.surcharge_below_order_value, A.surcharge_consolidation_share) == (10, 100, 0.4)
    assert (A.minimum_order_value, A.minimum_order_lost_share) == (50, 0.2)
    assert (A.online_shift_share, A.online_order_cost) == (0.3, 5)
    assert A.programme_start is None


def test_price_effect_by_hand():
    # v = 1 - 1 x 0.05 = 0.95; revenue 1000 x 1.05 x 0.95 = 997.5; margin 0.95 x (300 + 50) = 332.5
    revenue, margin = levers.price_effect(1000.0, 300.0, 0.05, -1.0)
    assert revenue == pytest.approx(997.5)
    assert margin == pytest.approx(332.5)
    # an elasticity so strong that the volume would turn negative stops at zero
    assert levers.price_effect(1000.0, 300.0, 0.5, -3.0) == (0.0, 0.0)


def test_no_lever_changes_nothing():
    r = levers.apply_levers(five_orders(), A, [])
    assert r["revenue"].sum() == pytest.approx(955.0)
    assert r["orders"].sum() == 5
    assert r["handling_cost"].sum() == pytest.approx(100.0)  # 5 orders x 20


def test_surcharge_by_hand():
    r = levers.apply_levers(five_orders(), A, ["surcharge"])
    # the orders 30, 45 and 80 of small customers are below 100; 60 % of each pays 10: 3 x 0.6 x 10 = 18
    assert r["revenue"].sum() == pytest.approx(955.0 + 18.0)
    assert r["contribution_margin"].sum() == pytest.approx(236.5 + 18.0)
    # 40 % of those three orders merge into others: 5 - 1.2 = 3.8 orders, 3.8 x 20 = 76 handling
    assert r["orders"].sum() == pytest.approx(3.8)
    assert r["handling_cost"].sum() == pytest.approx(76.0)


def test_minimum_order_by_hand():
    r = levers.apply_levers(five_orders(), A, ["minimum"])
    # 30 and 45 are refused: 20 % of 75 revenue (15) and of 22.5 margin (4.5) go elsewhere
    assert r["revenue"].sum() == pytest.approx(940.0)
    assert r["contribution_margin"].sum() == pytest.approx(232.0)
    # two orders less to handle: 3 x 20
    assert r["handling_cost"].sum() == pytest.approx(60.0)


def test_online_shift_by_hand():
    r = levers.apply_levers(five_orders(), A, ["online"])
    # 30 % of the three small orders outside the shop move online: 0.9 orders at 5 instead of 20
    # handling (5 - 0.9) x 20 + 0.9 x 5 = 82 + 4.5 = 86.5
    assert r["handling_cost"].sum() == pytest.approx(86.5)
    assert r["revenue"].sum() == pytest.approx(955.0)


def test_price_by_hand():
    r = levers.apply_levers(five_orders(), A, ["price"])
    small = r[r["segment"] != "field"]
    field = r[r["segment"] == "field"]
    # small: v = 1 - 0.8 x 0.03 = 0.976; revenue 455 x 1.03 x 0.976 = 457.4024; margin 0.976 x (136.5 + 13.65) = 146.5464
    assert small["revenue"].sum() == pytest.approx(457.4024)
    assert small["contribution_margin"].sum() == pytest.approx(146.5464)
    # the price lever on small customers leaves the field segment (large customers) alone
    assert field["revenue"].sum() == pytest.approx(500.0)
    assert field["contribution_margin"].sum() == pytest.approx(100.0)


def test_price_on_large_customers_by_hand():
    r = levers.apply_levers(five_orders(), A, ["price_field"])
    small = r[r["segment"] != "field"]
    field = r[r["segment"] == "field"]
    # field: v = 0.992; revenue 500 x 1.01 x 0.992 = 500.96; margin 0.992 x (100 + 5) = 104.16
    assert field["revenue"].sum() == pytest.approx(500.96)
    assert field["contribution_margin"].sum() == pytest.approx(104.16)
    assert small["revenue"].sum() == pytest.approx(455.0)  # the small customers' prices stay


def test_price_elasticity_of_large_customers_apart():
    a = A.model_copy(update={"price_elasticity_field": -2.0})
    r = levers.apply_levers(five_orders(), a, ["price", "price_field"])
    field = r[r["segment"] == "field"]
    small = r[r["segment"] != "field"]
    # field: v = 1 - 2 x 0.01 = 0.98; revenue 500 x 1.01 x 0.98 = 494.9; small as before at -0.8: 457.4024
    assert field["revenue"].sum() == pytest.approx(494.9)
    assert small["revenue"].sum() == pytest.approx(457.4024)


def test_combined_by_hand():
    r = levers.apply_levers(five_orders(), A, levers.LEVERS)
    # minimum: 30 and 45 refused, 80 % of them (24 + 36, margin 7.2 + 10.8) joins other orders;
    # surcharge on 80 only: 0.6 x 10 = 6, 0.6 orders left;
    # price on the small goods: revenue (60 + 80 + 300) x 1.03 x 0.976 = 442.3232,
    # margin 0.976 x (132 + 0.03 x 440) = 141.7152; plus the surcharge 6
    small = r[r["segment"] != "field"]
    assert small["revenue"].sum() == pytest.approx(448.3232)
    assert small["contribution_margin"].sum() == pytest.approx(147.7152)
    # online: 30 % of the 0.6 remaining order of 80 moves (0.18): 0.42 x 20 + 0.18 x 5 + the shop order 20
    # + the field order 20 = 8.4 + 0.9 + 20 + 20 = 49.3
    assert r["handling_cost"].sum() == pytest.approx(49.3)


def test_unknown_lever_is_an_error():
    with pytest.raises(ValueError, match="unknown levers"):
        levers.apply_levers(five_orders(), A, ["discount"])


def test_segment_figures_adds_visits_and_the_all_row():
    after = levers.apply_levers(five_orders(), A, [])
    f = levers.segment_figures(after, pd.Series({"field": 275.0}))
    # field: margin 100, cost 275 visits + 20 handling -> operating profit -195
    assert f.loc["field", "cost_to_serve"] == pytest.approx(295.0)
    assert f.loc["field", "operating_profit"] == pytest.approx(-195.0)
    # small: margin 9 + 13.5 + 90 = 112.5, three orders 60
    assert f.loc["small", "operating_profit"] == pytest.approx(52.5)
    assert f.loc["all", "operating_profit"] == pytest.approx(236.5 - 100.0 - 275.0)


def test_an_order_without_a_segment_counts_in_no_segment():
    # five_orders plus one of 1,000 without a segment: the segments' figures stay as above, the price lever skips it
    o = pd.concat(
        [
            five_orders(),
            pd.DataFrame({"segment": [None], "revenue": [1000.0], "contribution_margin": [300.0], "online": [False]}),
        ],
        ignore_index=True,
    )
    after = levers.apply_levers(o, A, ["price"])
    assert after["revenue"].iloc[-1] == 1000.0
    f = levers.segment_figures(levers.apply_levers(o, A, []), pd.Series({"field": 275.0}))
    assert f.loc["small", "operating_profit"] == pytest.approx(52.5)
    assert f.loc["all", "operating_profit"] == pytest.approx(236.5 - 100.0 - 275.0)


def test_the_lever_chart_names_every_lever_and_what_it_adds(sample_workbook):
    from smartacct_helpers.levers.charts import lever_chart

    table = levers.lever_table(sample_workbook)
    ax = lever_chart(table).axes[1]  # the right half: what each lever adds
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "price increase",
        "small-order surcharge",
        "minimum order value",
        "online self-service",
        "all of them together",
        "large customers: price",
    ]
    # the bold labels are the operating profit each lever adds, the table's "all" rows
    totals = [t.get_text().strip() for t in ax.texts]
    expected = table.xs("all", level="segment").loc[
        ["price", "surcharge", "minimum", "online", "combined", "price_field"]
    ]
    assert totals == [money(v, "EUR", compact=True) for v in expected["operating_profit_delta"]]


_ORDER = st.tuples(
    st.sampled_from(["field", "develop", "small", "lapsed", None]),
    st.one_of(st.sampled_from([0.0, 50.0, 100.0, -20.0]), st.floats(-100, 400)),
    st.floats(0.0, 0.6),
    st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(_ORDER, min_size=1, max_size=30),
    minimum=st.sampled_from([0.0, 50.0, 100.0, 150.0]),
    below=st.sampled_from([0.0, 50.0, 100.0, 150.0]),
    price=st.floats(0.0, 0.1),
    elasticity=st.floats(-3, 0),
)
def test_the_lever_table_sums_what_the_levers_do_to_each_order(rows, minimum, below, price, elasticity):
    # the table works on sums per segment, web shop and value band; applied order by order the levers give the same,
    # thresholds hit exactly included (an order of 50 with a minimum of 50 is not refused)
    o = pd.DataFrame(
        {
            "segment": [r[0] for r in rows],
            "revenue": [r[1] for r in rows],
            "contribution_margin": [r[1] * r[2] for r in rows],
            "online": [r[3] for r in rows],
        }
    )
    a = A.model_copy(
        update={
            "minimum_order_value": minimum,
            "surcharge_below_order_value": below,
            "price_increase_small": price,
            "price_increase_field": price / 2,
            "price_elasticity": elasticity,
        }
    )
    visits = pd.Series({"field": 275.0, "small": 40.0})
    s = levers._lever_settings(a)
    bands = levers._band_sums(o, s)
    for chosen in ([], *([lever] for lever in levers.LEVERS), levers.LEVERS):
        by_order = levers.segment_figures(levers.apply_levers(o, a, chosen), visits)
        by_band = levers._with_cost_to_serve(levers._lever_figures(bands, s, chosen), visits)
        pd.testing.assert_frame_equal(by_band, by_order, rtol=1e-9, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.floats(-50, 2000), min_size=1, max_size=20), rate=st.floats(0.0, 0.6), online=st.booleans())
def test_levers_at_zero_change_nothing(values, rate, online):
    o = pd.DataFrame(
        {"segment": "small", "revenue": values, "contribution_margin": [v * rate for v in values], "online": online}
    )
    zero = A.model_copy(
        update={
            "price_increase_small": 0.0,
            "small_order_surcharge": 0.0,
            "surcharge_consolidation_share": 0.0,
            "minimum_order_value": 0.0,
            "online_shift_share": 0.0,
        }
    )
    base = levers.apply_levers(o, zero, [])
    after = levers.apply_levers(o, zero, levers.LEVERS)
    for col in ("revenue", "contribution_margin", "orders", "handling_cost"):
        assert after[col].sum() == pytest.approx(base[col].sum(), abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.floats(1, 2000), min_size=1, max_size=20), share=st.floats(0, 1))
def test_online_shift_never_costs_more_and_never_touches_margin(values, share):
    o = pd.DataFrame(
        {"segment": "small", "revenue": values, "contribution_margin": [v * 0.3 for v in values], "online": False}
    )
    a = A.model_copy(update={"online_shift_share": share})
    base = levers.apply_levers(o, a, [])
    after = levers.apply_levers(o, a, ["online"])
    assert after["handling_cost"].sum() <= base["handling_cost"].sum() + 1e-9
    assert after["contribution_margin"].sum() == pytest.approx(base["contribution_margin"].sum())


# -- workbook level -----------------------------------------------------------------------------------------------


def tiny_workbook() -> Workbook:
    # customer 1 buys 40 and 300 (two orders; 40 is a small order), customer 2 buys 20000 in the field
    # segment; both within the 12 months up to 31.12.2025
    o = pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "2"],
            "date": pd.to_datetime(["2025-03-01", "2025-06-01", "2025-06-01", "2025-07-01"]),
            "order_id": ["a", "b", "b", "c"],
            "revenue": [40.0, 100.0, 200.0, 20000.0],
            "contribution_margin": [12.0, 30.0, 60.0, 4000.0],
            "channel": ["inside", "online", "online", "field"],
        }
    )
    c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["x", "x"]})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    return Workbook.from_tables(p, Tables(orders=o, customers=c))


def test_window_orders_group_the_invoice_lines():
    wb = tiny_workbook()
    o = lever_orders.window_order_table(wb)
    assert sorted(o["revenue"].tolist()) == [40.0, 300.0, 20000.0]  # lines 100 + 200 are one order
    assert o.loc[o["revenue"] == 300.0, "online"].item()


def window_lines() -> pd.DataFrame:
    # the window is (31.12.2024, 31.12.2025]: the line of order z on 31.12.2024 is outside, order c on 31.12.2025
    # inside; order a has two lines, one without a margin and one without a channel
    return pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "2", "2"],
            "date": pd.to_datetime(["2024-12-31", "2025-03-01", "2025-03-01", "2025-06-01", "2025-12-31"]),
            "order_id": ["z", "a", "a", "b", "c"],
            "revenue": [99.0, 60.0, 40.0, 30.0, -10.0],
            "contribution_margin": [9.0, 18.0, None, 9.0, -3.0],
            "channel": ["field", "online", None, "inside", "inside"],
        }
    )


def test_window_orders_by_hand():
    o = lever_orders.window_orders(window_lines(), dt.date(2025, 12, 31), margin_rate_if_unknown=0.25)
    # a: revenue 60 + 40 = 100, margin 18 + 40 x 0.25 = 28, one line through the shop; b: 30 and 9;
    # c: the credit note of -10 and -3 stays an order
    assert list(o.columns) == ["customer_id", "revenue", "contribution_margin", "online"]
    assert sorted(o.to_numpy().tolist(), key=str) == [
        ["1", 100.0, 28.0, True],
        ["2", -10.0, -3.0, False],
        ["2", 30.0, 9.0, False],
    ]


def test_window_orders_the_same_from_a_frame_and_from_an_engine_table_of_days():
    lines = window_lines()
    days = ibis.memtable(lines.assign(date=lines["date"].dt.date))
    assert days.schema()["date"].is_date()
    from_frame = lever_orders.window_orders(lines, dt.date(2025, 12, 31)).sort_values("revenue", ignore_index=True)
    from_engine = lever_orders.window_orders(days, dt.date(2025, 12, 31)).sort_values("revenue", ignore_index=True)
    pd.testing.assert_frame_equal(from_frame, from_engine)


def test_window_orders_by_customer_and_day_where_an_order_id_is_missing():
    lines = window_lines()
    lines.loc[2, "order_id"] = None
    lines.loc[3, "date"] = pd.Timestamp("2025-12-31")
    o = lever_orders.window_orders(lines, dt.date(2025, 12, 31))
    # without every order id, customer 1's two lines of 1 March are one order (100); customer 2's lines
    # of 31 December (30 and -10) become one order of 20
    assert sorted(o["revenue"].tolist()) == [20.0, 100.0]


def test_window_orders_add_cents_exactly():
    lines = pd.DataFrame(
        {
            "customer_id": "1",
            "order_id": "a",
            "date": pd.Timestamp("2025-06-01"),
            "revenue": [0.38, 70.07, 29.55],
            "contribution_margin": [0.1, 20.0, 9.9],
        }
    )
    o = lever_orders.window_orders(lines, dt.date(2025, 12, 31)).assign(segment="small")
    # 0.38 + 70.07 + 29.55 = 100.00: not below the surcharge limit of 100, though adding the three
    # in this order gives 99.99999999999999 in floating point
    assert o["revenue"].tolist() == [100.0]
    assert levers.apply_levers(o, A, ["surcharge"])["revenue"].tolist() == [100.0]


def test_lever_table_combined_on_a_tiny_workbook():
    wb = tiny_workbook()
    t = levers.lever_table(wb)
    # customer 1 (small): minimum refuses the 40 order (8 revenue, 2.4 margin lost; one order less = 20 handling);
    # the 300 order is online already; price: revenue 332 x 1.03 x 0.976 = 341.96 - 8.20704 = 333.75296,
    # margin 0.976 x (99.6 + 9.96) = 106.93056 (before: 340 revenue, 102 margin, 40 handling)
    small = t.loc[("combined", "small")]
    assert small["revenue"] == pytest.approx(333.75296)
    assert small["contribution_margin_delta"] == pytest.approx(106.93056 - 102.0)
    assert small["cost_to_serve_delta"] == pytest.approx(-20.0)
    # the levers on small customers leave customer 2 (field) alone
    assert t.loc[("combined", "field"), "operating_profit_delta"] == pytest.approx(0.0)
    # with the lever on large customers too, customer 2 (field): 20000 x 1.01 x 0.992 = 20038.4;
    # margin 0.992 x (4000 + 200) = 4166.4
    field = t.loc[("small_and_large", "field")]
    assert field["operating_profit_delta"] == pytest.approx(166.4)
    figures = levers.lever_figures(wb)
    assert figures["levers_operating_profit_delta"] == pytest.approx(166.4 + 106.93056 - 102.0 + 20.0)
    assert figures["small_customer_levers_operating_profit_delta"] == pytest.approx(106.93056 - 102.0 + 20.0)
    assert figures["large_customer_levers_operating_profit_delta"] == pytest.approx(166.4)
    assert figures["c_to_a_rate_3y"] is None  # one year of history


# -- transitions --------------------------------------------------------------------------------------------------


def test_transition_matrix_counts_and_shares():
    # column k = the window k years before the reference date
    h = pd.DataFrame({2: ["C", "C", "A", "D"], 1: ["B", "C", "A", "D"], 0: ["A", "D", "B", "C"]})
    counts = transitions.transition_matrix(h, normalize=False)
    # pairs 2 -> 1: C->B, C->C, A->A, (D->D dropped); 1 -> 0: B->A, C->D, A->B, D->C
    assert counts.loc["C"].tolist() == [0, 1, 1, 1]
    assert counts.loc["A"].tolist() == [1, 1, 0, 0]
    assert counts.loc["D"].tolist() == [0, 0, 1, 0]
    shares = transitions.transition_matrix(h)
    assert shares.loc["C", "B"] == pytest.approx(1 / 3)


def test_upgrade_rates_by_hand():
    h = pd.DataFrame(
        {3: ["C", "C", "C", "B"], 2: ["C", "B", "C", "B"], 1: ["A", "B", "C", "A"], 0: ["A", "C", "C", "A"]}
    )
    r = transitions.upgrade_rates(h, (1, 3))
    # one year: C customer-years with a next year: window 3 (customers 1, 2, 3), window 2 (1, 3), window 1 (3) = 6;
    # reached A the next year: customer 1 from window 2 -> 1; B or A: that one and customer 2 from 3 -> 2 = 2
    assert r.loc[1, "c_customers"] == 6
    assert r.loc[1, "to_a"] == 1
    assert r.loc[1, "to_b_or_a"] == 2
    # three years: only window 3 has three later windows: 3 C customers, one reached A, two reached B or A
    assert r.loc[3, "to_a_rate"] == pytest.approx(1 / 3)
    assert r.loc[3, "to_b_or_a_rate"] == pytest.approx(2 / 3)


def test_yearly_window_revenue_by_hand():
    o = pd.DataFrame(
        {
            "customer_id": ["1", "1", "2"],
            "date": pd.to_datetime(["2024-01-10", "2025-12-31", "2025-01-01"]),
            "revenue": [5.0, 7.0, 3.0],
        }
    )
    w = transitions.yearly_window_revenue(o, dt.date(2025, 12, 31), ["1", "2", "3"])
    # window 0: (31.12.2024, 31.12.2025]; window 1: (31.12.2023, 31.12.2024]; the data starts 10.01.2024,
    # more than a week after the start of window 1, so window 1 is incomplete and left out
    assert list(w.columns) == [0]
    assert w[0].tolist() == [7.0, 3.0, 0.0]


def test_yearly_window_revenue_the_same_from_an_engine_table_of_days():
    o = pd.DataFrame(
        {
            "customer_id": ["1", "1", "2", "2"],
            "date": pd.to_datetime(["2023-12-31", "2024-01-01", "2024-12-31", "2025-12-31"]),
            "revenue": [5.0, 7.0, 3.0, 4.0],
        }
    )
    days = ibis.memtable(o.assign(date=o["date"].dt.date))
    # window 0: (31.12.2024, 31.12.2025] holds 2's 4; window 1: (31.12.2023, 31.12.2024] holds 1's 7 and 2's 3;
    # 1's 5 of 31.12.2023 falls in window 2, (31.12.2022, 31.12.2023], which starts a year before the data
    # and is left out
    expected = pd.DataFrame({0: [0.0, 4.0], 1: [7.0, 3.0]}, index=pd.Index(["1", "2"], name="customer_id"))
    for orders in (o, days):
        w = transitions.yearly_window_revenue(orders, dt.date(2025, 12, 31))
        pd.testing.assert_frame_equal(w, expected, check_index_type=False)


def test_growth_realism_on_the_sample(sample_workbook):
    g = transitions.growth_realism(sample_workbook)
    rate = g["rates"].loc[3, "to_a_rate"]
    assert 0 <= rate <= g["rates"].loc[3, "to_b_or_a_rate"] <= 1
    assert g["expected_new_a_3y"] == pytest.approx(g["c_customers_today"] * rate)
    assert np.allclose(g["matrix"].sum(axis=1), 1.0)


def test_smart_account_list_only_smart_accounts(sample_workbook):
    df = classify(sample_workbook)
    s = levers.smart_account_list(df, sample_workbook.assumptions)
    assert len(s) == int(df["smart_account"].sum())
    assert s["operating_profit_12m"].round(2).is_monotonic_decreasing  # to the cent: equal cents by id
    assert s["next_step"].notna().all()


def test_smart_accounts_of_equal_profit_come_in_the_order_of_their_ids():
    from smartacct_helpers.assumptions import Assumptions
    from smartacct_helpers.levers.analysis import smart_account_list

    # 3 and 9 earn the same 2,952.71 (one with the last bits of a sum added in another order); 5 earns more
    c = pd.DataFrame(
        {
            "customer_id": ["9", "3", "5"],
            "smart_account": True,
            "revenue_12m": 8000.0,
            "orders_12m": 10,
            "gap": 0.0,
            "operating_profit_12m": [2952.71 + 4.5e-13, 2952.71, 3100.0],
        }
    )
    assert smart_account_list(c, Assumptions())["customer_id"].tolist() == ["5", "3", "9"]


# -- inputs a client may lack, and a short history ------------------------------------------------------------------


def workbook_of(o: pd.DataFrame, reference_date: str = "2025-12-31", customers: pd.DataFrame | None = None) -> Workbook:
    c = customers if customers is not None else pd.DataFrame({"customer_id": sorted(o["customer_id"].unique())})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": reference_date})
    return Workbook.from_tables(p, Tables(orders=o, customers=c, customers_from_orders=customers is None))


def test_the_module_examples_hold():
    import doctest

    result = doctest.testmod(levers)
    assert result.attempted and not result.failed


def test_the_online_lever_needs_the_channel():
    wb = tiny_workbook()
    assert levers.available_levers(wb) == levers.LEVERS
    for o in (wb.tables.orders.drop(columns="channel"), wb.tables.orders.assign(channel=None)):
        bare = workbook_of(o, customers=wb.tables.customers)
        assert levers.available_levers(bare) == ("price", "surcharge", "minimum")
        t = levers.lever_table(bare)
        assert "online" not in t.index.get_level_values("lever")
        # all levers together are the other three: on customer 1 (small) the same as in
        # test_lever_table_combined_on_a_tiny_workbook, where the online shift moved nothing (the 300 order
        # went through the shop already): revenue 333.75296, one order less to handle (-20)
        small = t.loc[("combined", "small")]
        assert small["revenue"] == pytest.approx(333.75296)
        assert small["cost_to_serve_delta"] == pytest.approx(-20.0)


def test_levers_on_orders_without_an_order_id_or_a_margin():
    # customer 1's two lines of 1 March (40 + 20) are one order of 60 (no order id: a day is an order);
    # no margin: 25 % of revenue
    o = pd.DataFrame(
        {
            "customer_id": ["1", "1", "1"],
            "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-05-01"]),
            "revenue": [40.0, 20.0, 500.0],
        }
    )
    wb = workbook_of(o)
    assert levers.columns_held(wb) == frozenset()
    orders = lever_orders.window_order_table(wb).sort_values("revenue")
    assert orders["revenue"].tolist() == [60.0, 500.0]
    assert orders["contribution_margin"].tolist() == [15.0, 125.0]
    base = levers.lever_table(wb).loc[("base", "all")]
    # margin 140 - handling 2 x 20 - 3 lines x 2 = 94 (no visits or calls without a CRM)
    assert (base["orders"], base["operating_profit"]) == (2.0, 94.0)


def test_the_lever_table_is_remembered_per_value_of_its_assumptions():
    wb = tiny_workbook()
    first = levers.lever_table(wb)
    pd.testing.assert_frame_equal(levers.lever_table(wb), first)
    assert len(wb._memo["lever_table price surcharge minimum online"]) == 1
    higher = wb.with_assumptions(price_increase_field=0.05)
    # customer 2 (field): 20,000 x 1.05 x (1 - 0.8 x 0.05) = 20,160
    assert levers.lever_table(higher).loc[("price_field", "field"), "revenue"] == pytest.approx(20_160.0)
    # the orders of the window were read once for both
    assert len(wb._memo["lever_orders"]) == 1
    assert len(wb._memo["lever_table price surcharge minimum online"]) == 2


def two_windows() -> Workbook:
    # window 1 (01.01. - 31.12.2024): 1 buys 1,000, 2 buys 100, 3 buys 10: classes A (nothing before it),
    # B (0.9009 before it) and C (0.991 before it); window 0 (2025): 3 buys 5,000, 1 and 2 buy 100 and 10:
    # 3 is A. The data starts on 05.01.2024, within a month of the start of window 1: two whole windows.
    o = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3", "1", "2", "3"],
            "date": pd.to_datetime(
                ["2024-01-05", "2024-03-01", "2024-05-01", "2025-02-01", "2025-03-01", "2025-04-01"]
            ),
            "revenue": [1000.0, 100.0, 10.0, 100.0, 10.0, 5000.0],
        }
    )
    return workbook_of(o)


def test_two_windows_give_the_one_year_rate_and_say_why_not_the_three_year_rate():
    wb = two_windows()
    g = transitions.growth_realism(wb)
    assert g["windows"] == 2
    # one C customer-year with a year after it (3 in 2024), and it was A in 2025
    assert g["rates"].loc[1, ["c_customers", "to_a", "to_a_rate"]].tolist() == [1, 1, 1.0]
    assert np.isnan(g["rates"].loc[3, "to_a_rate"])
    assert list(g["limited"]) == ["c_to_a_rate_3y"]
    # four windows would start on 01.01.2022
    assert g["limited"]["c_to_a_rate_3y"] == (
        "the three-year rate needs four whole 12-month windows of orders "
        "(from 01.01.2022); the data starts on 05.01.2024"
    )
    figures = levers.lever_figures(wb)
    assert figures["c_to_a_rate_3y"] is None
    assert figures["_limited"] == {"c_to_a_rate_3y": g["limited"]["c_to_a_rate_3y"]}


def test_thirteen_months_hold_no_transition():
    # from 01.12.2024: window 1 (2024) holds a month only, which is no year of revenue
    o = pd.DataFrame(
        {
            "customer_id": ["1", "2", "2"],
            "date": pd.to_datetime(["2024-12-01", "2025-03-01", "2025-06-01"]),
            "revenue": [100.0, 50.0, 70.0],
        }
    )
    g = transitions.growth_realism(workbook_of(o))
    assert g["windows"] == 1
    assert int(g["counts"].to_numpy().sum()) == 0
    assert sorted(g["limited"]) == ["abc_transitions", "c_to_a_rate_1y", "c_to_a_rate_3y"]
    assert g["rates"]["c_customers"].tolist() == [0, 0]


def test_a_single_order_and_a_single_customer():
    o = pd.DataFrame({"customer_id": ["1"], "date": pd.to_datetime(["2025-06-01"]), "revenue": [80.0]})
    wb = workbook_of(o)
    t = levers.lever_table(wb)
    # 80 lies above the minimum order of 50 and below the surcharge limit of 100: 60 % of it pays the 10
    # (+6 revenue), 40 % merges into another order (0.4 orders less at 20: -8 handling)
    assert t.loc[("surcharge", "all"), "revenue_delta"] == pytest.approx(6.0)
    assert t.loc[("surcharge", "all"), "cost_to_serve_delta"] == pytest.approx(-8.0)
    assert levers.smart_account_list(classify(wb), wb.assumptions).empty
    assert levers.lever_figures(wb)["c_to_a_rate_3y"] is None
