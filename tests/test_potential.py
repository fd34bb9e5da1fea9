import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.potential import customer_potential, historic_peak, industry_potential

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
