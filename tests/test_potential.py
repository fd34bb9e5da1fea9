import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.potential import (
    customer_potential,
    develop_vs_small,
    historic_peak,
    industry_example,
    industry_potential,
    margin_rate,
    methods_side_by_side,
    potential_by,
)

REF = dt.date(2025, 12, 31)


def test_electricians_example():
    # 3 employees x 9,000 EUR = 27,000 EUR per shop; 4,000 shops = 108,000,000 EUR
    assert industry_potential(3, 9_000) == 27_000
    shops = pd.DataFrame({"customer_id": [f"{i:04d}" for i in range(4_000)], "revenue_12m": 5_000.0,
                          "industry": "electricians", "employees": 3})
    out = customer_potential(shops, pd.DataFrame(columns=["customer_id", "year", "revenue"]), REF, {"electricians": 9_000})
    assert out["potential"].sum() == pytest.approx(108_000_000)
    assert (out["potential_method"] == "industry").all()


def test_historic_peak_window():
    # calendar years 2021..2025 count for a reference date in 2025; 2020 does not
    yearly = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "year": [2020, 2021, 2024, 2025],
                           "revenue": [99_000.0, 12_000.0, 8_000.0, -50.0]})
    peak = historic_peak(yearly, REF, 5)
    assert peak.to_dict() == {"a": 12_000.0, "b": 0.0}


def test_mixed_methods_share_and_gap():
    customers = pd.DataFrame(
        {
            "customer_id": ["e", "h", "n"],
            "revenue_12m": [4_500.0, 6_000.0, 9_000.0],
            "industry": ["electricians", "industry", None],
            "employees": [2, 40, None],
        }
    )
    yearly = pd.DataFrame({"customer_id": ["h", "h", "n"], "year": [2023, 2025, 2025], "revenue": [15_000.0, 6_000.0, 9_000.0]})
    out = customer_potential(customers, yearly, REF, {"electricians": 9_000}).set_index(customers["customer_id"])
    # e: 2 x 9,000 = 18,000, share 4,500 / 18,000 = .25, gap 13,500
    assert out.loc["e", ["potential", "share_of_wallet", "gap"]].tolist() == pytest.approx([18_000, 0.25, 13_500])
    # h: no value per employee for "industry": best year 15,000; share 6,000 / 15,000 = .4
    assert out.loc["h", "potential_method"] == "history"
    assert out.loc["h", "share_of_wallet"] == pytest.approx(0.4)
    # n: best year = window revenue: share 1, gap 0
    assert out.loc["n", ["share_of_wallet", "gap"]].tolist() == pytest.approx([1.0, 0.0])


def test_potential_never_below_window_revenue():
    customers = pd.DataFrame({"customer_id": ["e"], "revenue_12m": [40_000.0], "industry": ["electricians"], "employees": [1]})
    out = customer_potential(customers, pd.DataFrame(columns=["customer_id", "year", "revenue"]), REF, {"electricians": 9_000})
    # 1 x 9,000 is below what it bought (40,000): the potential is 40,000, share 1
    assert out["potential"].iloc[0] == 40_000
    assert out["share_of_wallet"].iloc[0] == 1.0


def test_industry_example_table():
    t = industry_example(3, 9_000, 4_000)
    # 3 x 9,000 = 27,000 per shop; x 4,000 shops = 108,000,000
    assert t.loc["potential per customer", "value"] == 27_000
    assert t.loc["potential of the group", "value"] == 108_000_000


def test_methods_side_by_side():
    df = pd.DataFrame({
        "industry": ["electricians", "electricians", "hvac", "industry"],
        "potential_industry": [27_000.0, 18_000.0, 12_000.0, float("nan")],
        "potential_history": [6_000.0, 3_000.0, 0.0, 50_000.0],
    })
    t = methods_side_by_side(df)
    # hvac has no history, "industry" no value per employee: only the electricians compare
    assert list(t.index) == ["electricians"]
    assert t.loc["electricians", "customers"] == 2
    assert t.loc["electricians", "ratio"] == pytest.approx(45_000 / 9_000)


GROUPS = pd.DataFrame({
    "segment": ["develop", "develop", "small", "field"],
    "industry": ["electricians", "hvac", "electricians", "hvac"],
    "revenue_12m": [2_000.0, 1_000.0, 3_000.0, 40_000.0],
    "contribution_margin_12m": [700.0, 200.0, 900.0, 8_000.0],
    "potential": [27_000.0, 12_000.0, 4_000.0, 40_000.0],
    "gap": [25_000.0, 11_000.0, 1_000.0, 0.0],
    "share_of_wallet": [2 / 27, 1 / 12, 0.75, 1.0],
})


def test_potential_by_segment():
    t = potential_by(GROUPS, "segment")
    # develop: revenue 3,000 over potential 39,000; margin 900 / 3,000 = 0.3; margin potential 39,000 x 0.3
    assert t.loc["develop", "share_of_wallet"] == pytest.approx(3_000 / 39_000)
    assert t.loc["develop", "margin_rate"] == pytest.approx(0.3)
    assert t.loc["develop", "margin_potential"] == pytest.approx(11_700)
    assert t.loc["develop", "margin_gap"] == pytest.approx(36_000 * 0.3)
    # small customers earn a higher rate than the field customers: 900 / 3,000 = 0.3 against 8,000 / 40,000 = 0.2
    assert t.loc["small", "margin_rate"] > t.loc["field", "margin_rate"]
    assert t.loc["field", "gap"] == 0


def test_potential_by_industry_and_margin_fallback():
    t = potential_by(GROUPS.drop(columns="contribution_margin_12m"), "industry", fallback_margin_rate=0.25)
    # without margins every group takes 0.25: electricians 31,000 x 0.25
    assert t.loc["electricians", "margin_potential"] == pytest.approx(7_750)
    assert margin_rate(pd.DataFrame({"revenue_12m": [0.0], "contribution_margin_12m": [5.0]}), 0.2) == 0.2


def test_develop_vs_small():
    t = develop_vs_small(GROUPS)
    assert list(t.index) == ["develop", "small"]
    assert t["customers"].tolist() == [2, 1]
    assert t.loc["develop", "median_share_of_wallet"] < t.loc["small", "median_share_of_wallet"]
