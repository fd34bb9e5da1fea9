import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.small_customers.analysis import (
    abc_classes,
    c_group_counts,
    classify_customers,
    revenue_trend,
    segment_summary,
)

REF = dt.date(2025, 12, 31)


def test_abc_by_hand():
    # sorted: w 60, x 25, y 10, z 5 (total 100); share before each: 0, .60, .85, .95
    # A while < .80: w, x; B while < .95: y; else C: z (.95 is not below .95). v has no revenue: D
    values = pd.Series({"x": 25.0, "z": 5.0, "v": 0.0, "w": 60.0, "y": 10.0})
    assert abc_classes(values).to_dict() == {"x": "A", "z": "C", "v": "D", "w": "A", "y": "B"}


def test_abc_ties_broken_by_customer_id_and_negative_is_d():
    # three equal customers of 10 (total 30): shares before are 0, 1/3, 2/3 in id order "a", "b", "c"
    # with a=0.5, b=0.9: a -> A (0), b -> A (.333), c -> B (.667); credit notes only -> D
    values = pd.Series({"c": 10.0, "a": 10.0, "b": 10.0, "n": -4.0})
    assert abc_classes(values, 0.5, 0.9).to_dict() == {"c": "B", "a": "A", "b": "A", "n": "D"}


def test_revenue_trend_slope():
    # points (oldest first) 100, 100, 400: x = -1, 0, 1; slope = (-1*100 + 0 + 1*400) / 2 = 150
    df = pd.DataFrame({"revenue_12m": [400.0], "revenue_12m_1": [100.0], "revenue_12m_2": [100.0]})
    assert revenue_trend(df, 3).iloc[0] == pytest.approx(150.0)


def _customers():
    """Five customers around the default threshold of 8,593.75 EUR."""
    return pd.DataFrame(
        {
            "customer_id": ["01", "02", "03", "04", "05"],
            "revenue_12m": [50_000.0, 2_000.0, 3_000.0, 0.0, 1_200.0],
            "revenue_12m_1": [40_000.0, 1_000.0, 3_500.0, 500.0, 1_000.0],
            "revenue_12m_2": [30_000.0, 500.0, 4_000.0, 800.0, 900.0],
            "contribution_margin_12m": [5_000.0, 600.0, 900.0, 0.0, 360.0],
            "orders_12m": [40, 4, 6, 0, 12],
            "visits_12m": [10, 0, 2, 0, 0],
            "last_order": pd.to_datetime(["2025-12-01", "2025-11-01", "2025-10-01", "2022-05-01", "2025-12-20"]),
            "competitor_activity": ["high", "low", "medium", None, "low"],
            "procurement_power": [True, False, False, None, False],
        }
    )


def _potential():
    # 02 could buy 27,000 (share 2,000/27,000 = .074): develop; 03 and 05 have low potential
    return pd.DataFrame(
        {
            "potential": [50_000.0, 27_000.0, 4_000.0, 800.0, 1_500.0],
            "share_of_wallet": [1.0, 2_000 / 27_000, 0.75, 0.0, 0.8],
        }
    )


def test_classify_by_hand():
    out = classify_customers(_customers(), Assumptions(), REF, _potential()).set_index("customer_id")
    # threshold 8,593.75: only 01 is above; 04's last order (2022-05) is outside the 24-month window
    assert out["segment"].to_dict() == {"01": "field", "02": "develop", "03": "small", "04": "lapsed", "05": "small"}
    assert out["to_manage"].sum() == 3  # 02, 03, 05
    # ABC on 50,000 / 3,000 / 2,000 / 1,200 (total 56,200): shares before: 0, .890, .943, .979
    assert out["abc"].to_dict() == {"01": "A", "02": "B", "03": "B", "04": "D", "05": "C"}
    # 05 is C with 12 orders (>= 6) averaging 100 EUR (< 150) and low potential
    assert bool(out.loc["05", "many_small_orders"])
    assert bool(out.loc["05", "little_competition"]) and bool(out.loc["05", "no_procurement_power"])
    # cost to serve of 03: 2 visits x 137.50 + 6 orders x 20 = 395 (no calls, lines or rebates given);
    # operating profit 900 - 395 = 505
    assert out.loc["03", "cost_to_serve_12m"] == pytest.approx(395.0)
    assert out.loc["03", "operating_profit_12m"] == pytest.approx(505.0)
    # 03's revenue falls (4,000 -> 3,500 -> 3,000): not a smart account; 05 grows and earns 360 - 240 = 120
    assert not out.loc["03", "smart_account"]
    assert bool(out.loc["05", "smart_account"])
    # CRM rule: 02, 04, 05 had no field visit; ERP rule: all but 01
    assert set(out.index[out["no_field_visit_12m"]]) == {"02", "04", "05"}
    assert set(out.index[out["no_purchase_or_below_threshold"]]) == {"02", "03", "04", "05"}


def test_visits_not_paying():
    # 03 (not C here) is checked through a C customer: 1,200 EUR revenue and 1 visit of 137.50;
    # 8 % of 1,200 = 96 < 137.50, so the visit does not pay
    df = _customers()
    df.loc[4, "visits_12m"] = 1
    out = classify_customers(df, Assumptions(), REF, _potential()).set_index("customer_id")
    assert bool(out.loc["05", "visits_not_paying"])


def test_summaries_add_up():
    out = classify_customers(_customers(), Assumptions(), REF, _potential())
    summary = segment_summary(out)
    assert summary["customers"].sum() == 5
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    counts = c_group_counts(out)
    assert counts.loc["many small orders, low potential", "customers"] == 1


def test_margin_unknown_uses_assumed_rate():
    df = _customers().drop(columns=["contribution_margin_12m"])
    out = classify_customers(df, Assumptions(), REF, _potential()).set_index("customer_id")
    assert "abc_margin" not in out
    # 05: 1,200 x 25 % = 300 margin - 12 orders x 20 = 60 profit
    assert out.loc["05", "operating_profit_12m"] == pytest.approx(60.0)


# -- what the data cannot tell: an unknown potential, a trend without its years -------------------------------------


def test_an_unknown_potential_is_not_develop_and_not_a_high_potential():
    # 02 would be "develop" with its 27,000 potential (see test_classify_by_hand); unknown, it stays small
    potential = _potential()
    potential.loc[1, ["potential", "share_of_wallet"]] = float("nan")
    out = classify_customers(_customers(), Assumptions(), REF, potential).set_index("customer_id")
    assert out.loc["02", "segment"] == "small"
    assert not out["high_potential_low_share"].any()
    # 05 (C, many small orders) keeps its group: an unknown potential counts as not high
    assert bool(out.loc["05", "many_small_orders"])


@pytest.mark.parametrize(
    "first_order, years, known",
    [
        ("2022-12-20", 3, True),  # the three windows start on 2023-01-01: the first order is within a month of it
        ("2023-02-05", 3, False),  # more than a month late: the oldest window is not held
        ("2024-12-15", 1, True),  # one window, from 2025-01-01
    ],
)
def test_trend_known(first_order, years, known):
    from smartacct_helpers.small_customers.analysis import trend_known

    customers = pd.DataFrame({"first_order": pd.to_datetime([first_order, "2025-06-01"])})
    assert trend_known(customers, REF, years) is known


def test_without_the_years_of_the_trend_no_customer_is_a_smart_account():
    # 05 grows and earns money (test_classify_by_hand); with orders from 2024-12-15 only, the three-year trend of
    # its revenue is not in the data: revenue_12m_2 = 900 would be a year the data does not hold
    df = _customers().assign(first_order=pd.Timestamp("2024-12-15"))
    out = classify_customers(df, Assumptions(), REF, _potential()).set_index("customer_id")
    assert out["revenue_trend"].isna().all()
    assert not out["smart_account"].any()
    # with the history (first orders in 2022), 05 is one again
    again = classify_customers(df.assign(first_order=pd.Timestamp("2022-06-01")), Assumptions(), REF, _potential())
    assert again.set_index("customer_id").loc["05", "smart_account"]


def test_rules_crosstab_by_hand():
    from smartacct_helpers.small_customers.analysis import rules_crosstab

    out = classify_customers(_customers(), Assumptions(), REF, _potential())
    t = rules_crosstab(out)
    # no field visit: 02, 04, 05 (all below the threshold); visited: 01 (above), 03 (below)
    assert t.loc["no field visit", "no purchase or below threshold"] == 3
    assert t.loc["visited", "above threshold"] == 1
    assert t.loc["visited", "no purchase or below threshold"] == 1
    assert t.loc["all", "all"] == 5


def test_abc_crosstab_by_hand():
    from smartacct_helpers.small_customers.analysis import abc_crosstab

    out = classify_customers(_customers(), Assumptions(), REF, _potential())
    # margins 5,000 / 600 / 900 / 0 / 360 (total 6,860): shares before: 01 0, 03 .729, 02 .860, 05 .948
    # -> 01 A, 03 A, 02 B, 05 B; 04 D. By revenue: 01 A, 02 B, 03 B, 04 D, 05 C
    t = abc_crosstab(out)
    assert t.loc["B", "A"] == 1 and t.loc["B", "B"] == 1 and t.loc["C", "B"] == 1 and t.loc["A", "A"] == 1


def test_smart_accounts_fastest_growing_first():
    from smartacct_helpers.small_customers.analysis import smart_accounts

    df = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4"],
            "revenue_12m": [900.0, 800.0, 50.0, 70.0],
            "revenue_trend": [100.0, 300.0, 10.0, 100.0],
            "smart_account": [True, True, False, True],
            "operating_profit_12m": [90.0, 40.0, 5.0, 1.0],
            "industry": ["a", "b", "c", "d"],
        }
    )
    t = smart_accounts(df)
    # 2 grows by 300, then 1 and 4 by 100 each (in id order); 3 is no smart account
    assert t["customer_id"].tolist() == ["2", "1", "4"]
    assert list(t.columns) == [
        "customer_id",
        "industry",
        "revenue_12m",
        "revenue_trend",
        "operating_profit_12m",
    ]


def test_the_c_groups_the_data_cannot_decide():
    from smartacct_helpers.small_customers.analysis import c_groups_undecided

    out = classify_customers(_customers(), Assumptions(), REF, _potential())
    # the test customers have visits, competitor activity and procurement power and potentials: all decided
    assert c_groups_undecided(out) == {}
    bare = out.drop(columns=["visits_12m", "competitor_activity"]).assign(
        procurement_power=None, potential=float("nan")
    )
    assert set(c_groups_undecided(bare)) == {
        "high potential, low share of wallet",
        "field visits do not pay for themselves",
        "little competitor activity",
        "no procurement power",
    }
