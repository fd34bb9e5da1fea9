import datetime as dt

import numpy as np
import pandas as pd
import pytest

from smartacct_helpers.potential.analysis import (
    customer_potential,
    develop_vs_small,
    historic_peak,
    industry_example,
    industry_method_table,
    industry_potential,
    known_total,
    margin_rate,
    methods_side_by_side,
    peak_known,
    potential_by,
    potential_by_method,
)
from smartacct_helpers.small_customers.analysis import classify
from tests.tiny import tiny_workbook

REF = dt.date(2025, 12, 31)


def test_electricians_example():
    # 3 employees x 9,000 EUR = 27,000 EUR per shop; 4,000 shops = 108,000,000 EUR
    assert industry_potential(3, 9_000) == 27_000
    shops = pd.DataFrame(
        {
            "customer_id": [f"{i:04d}" for i in range(4_000)],
            "revenue_12m": 5_000.0,
            "industry": "electricians",
            "employees": 3,
        }
    )
    out = customer_potential(
        shops, pd.DataFrame(columns=["customer_id", "year", "revenue"]), REF, {"electricians": 9_000}
    )
    assert out["potential"].sum() == pytest.approx(108_000_000)
    assert (out["potential_method"] == "industry").all()


def test_historic_peak_window():
    # calendar years 2021..2025 count for a reference date in 2025; 2020 does not
    yearly = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "year": [2020, 2021, 2024, 2025],
            "revenue": [99_000.0, 12_000.0, 8_000.0, -50.0],
        }
    )
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
    yearly = pd.DataFrame(
        {"customer_id": ["h", "h", "n"], "year": [2023, 2025, 2025], "revenue": [15_000.0, 6_000.0, 9_000.0]}
    )
    out = customer_potential(customers, yearly, REF, {"electricians": 9_000}).set_index(customers["customer_id"])
    # e: 2 x 9,000 = 18,000, share 4,500 / 18,000 = .25, gap 13,500
    assert out.loc["e", ["potential", "share_of_wallet", "gap"]].tolist() == pytest.approx([18_000, 0.25, 13_500])
    # h: no value per employee for "industry": best year 15,000; share 6,000 / 15,000 = .4
    assert out.loc["h", "potential_method"] == "history"
    assert out.loc["h", "share_of_wallet"] == pytest.approx(0.4)
    # n: best year = window revenue: share 1, gap 0
    assert out.loc["n", ["share_of_wallet", "gap"]].tolist() == pytest.approx([1.0, 0.0])


def test_potential_never_below_window_revenue():
    customers = pd.DataFrame(
        {"customer_id": ["e"], "revenue_12m": [40_000.0], "industry": ["electricians"], "employees": [1]}
    )
    out = customer_potential(
        customers, pd.DataFrame(columns=["customer_id", "year", "revenue"]), REF, {"electricians": 9_000}
    )
    # 1 x 9,000 is below what it bought (40,000): the potential is 40,000, share 1
    assert out["potential"].iloc[0] == 40_000
    assert out["share_of_wallet"].iloc[0] == 1.0


def test_industry_example_table():
    t = industry_example(3, 9_000, 4_000)
    # 3 x 9,000 = 27,000 per shop; x 4,000 shops = 108,000,000
    assert t.loc["potential per customer", "value"] == 27_000
    assert t.loc["potential of the group", "value"] == 108_000_000


def test_methods_side_by_side():
    df = pd.DataFrame(
        {
            "industry": ["electricians", "electricians", "hvac", "industry"],
            "potential_industry": [27_000.0, 18_000.0, 12_000.0, float("nan")],
            "potential_history": [6_000.0, 3_000.0, 0.0, 50_000.0],
        }
    )
    t = methods_side_by_side(df)
    # hvac has no history, "industry" no value per employee: only the electricians compare
    assert list(t.index) == ["electricians"]
    assert t.loc["electricians", "customers"] == 2
    assert t.loc["electricians", "ratio"] == pytest.approx(45_000 / 9_000)


GROUPS = pd.DataFrame(
    {
        "segment": ["develop", "develop", "small", "field"],
        "industry": ["electricians", "hvac", "electricians", "hvac"],
        "revenue_12m": [2_000.0, 1_000.0, 3_000.0, 40_000.0],
        "contribution_margin_12m": [700.0, 200.0, 900.0, 8_000.0],
        "potential": [27_000.0, 12_000.0, 4_000.0, 40_000.0],
        "gap": [25_000.0, 11_000.0, 1_000.0, 0.0],
        "share_of_wallet": [2 / 27, 1 / 12, 0.75, 1.0],
    }
)


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


# -- short history: the historic peak needs two complete calendar years --------------------------------------------


def _yearly(first_order: str) -> pd.DataFrame:
    """Yearly revenue of customers h and n, from orders that start on ``first_order``."""
    return pd.DataFrame(
        {
            "customer_id": ["h", "n"],
            "year": [2025, 2025],
            "revenue": [15_000.0, 9_000.0],
            "first_order": pd.to_datetime([first_order, "2025-02-01"]),
        }
    )


@pytest.mark.parametrize(
    "first_order, known",
    [
        ("2024-01-03", True),  # 2024 and 2025 complete (the 3rd of January lies within the month's tolerance)
        ("2024-02-15", False),  # 2024 starts too late: only 2025 is complete
        ("2024-12-02", False),  # 13 months: no complete calendar year
    ],
)
def test_a_historic_peak_needs_two_complete_calendar_years(first_order, known):
    assert peak_known(_yearly(first_order), REF) is known


def test_without_a_historic_peak_the_potential_of_a_customer_without_industry_is_unknown():
    customers = pd.DataFrame(
        {
            "customer_id": ["e", "h", "n"],
            "revenue_12m": [4_500.0, 6_000.0, -100.0],
            "industry": ["electricians", None, None],
            "employees": [2, None, None],
        }
    )
    out = customer_potential(customers, _yearly("2024-12-02"), REF, {"electricians": 9_000})
    out.index = customers["customer_id"]
    # e: the industry method still works: 2 x 9,000 = 18,000, share 4,500 / 18,000 = .25, gap 13,500
    assert out.loc["e", ["potential", "share_of_wallet", "gap"]].tolist() == pytest.approx([18_000, 0.25, 13_500])
    # h and n: no industry and no peak: nothing is known, not even "potential = what it bought"
    assert out.loc[["h", "n"], ["potential", "share_of_wallet", "gap", "potential_history"]].isna().all().all()
    assert out["potential_method"].tolist() == ["industry", "unknown", "unknown"]


def test_with_two_complete_years_a_customer_without_orders_in_them_has_a_peak_of_zero():
    customers = pd.DataFrame({"customer_id": ["h", "z"], "revenue_12m": [6_000.0, 0.0]})
    out = customer_potential(customers, _yearly("2024-01-03"), REF, {})
    # h: best year 15,000; z bought nothing in the years: a known potential of 0, share 0, gap 0
    assert out["potential"].tolist() == [15_000.0, 0.0]
    assert out["share_of_wallet"].tolist() == pytest.approx([0.4, 0.0])
    assert out["potential_method"].tolist() == ["history", "history"]


def test_a_group_sums_the_known_potentials_only():
    df = pd.DataFrame(
        {
            "segment": ["s", "s", "t"],
            "industry": ["e", None, ""],
            "revenue_12m": [1_000.0, 3_000.0, 500.0],
            "potential": [10_000.0, np.nan, np.nan],
            "gap": [9_000.0, np.nan, np.nan],
            "share_of_wallet": [0.1, np.nan, np.nan],
        }
    )
    t = potential_by(df, "segment")
    # s: both customers and their 4,000 revenue; the potential of the one known: share 1,000 / 10,000, not 4,000 / 10,000
    assert t.loc["s", ["customers", "customers_with_potential", "revenue_12m", "potential", "gap"]].tolist() == [
        2,
        1,
        4_000.0,
        10_000.0,
        9_000.0,
    ]
    assert t.loc["s", "share_of_wallet"] == pytest.approx(0.1)
    # t: no customer with a potential: potential, gap and share are unknown, not zero
    assert t.loc["t", ["potential", "gap", "share_of_wallet", "margin_potential"]].isna().all()
    # by industry, the customers without one (missing or blank) are the group "unknown"
    by_industry = potential_by(df, "industry")
    assert by_industry.loc["unknown", "customers"] == 2 and by_industry.loc["e", "customers"] == 1


def test_known_total():
    # 1,000 + 500; none known: None (not 0)
    assert known_total(pd.Series([1_000.0, np.nan, 500.0])) == 1_500.0
    assert known_total(pd.Series([np.nan, np.nan])) is None


def test_industry_method_table():
    df = pd.DataFrame(
        {
            "industry": ["electricians", "electricians", "electricians", "hvac", None],
            "employees": [2, 4, 9, 10, 3],
            "potential_method": ["industry", "industry", "industry", "history", "history"],
            "potential": [18_000.0, 36_000.0, 81_000.0, 900.0, 500.0],
        }
    )
    t = industry_method_table(df, {"electricians": 9_000, "bakeries": 4_000})
    # electricians: 3 customers, median of 2, 4, 9 employees = 4, potential 18,000 + 36,000 + 81,000
    assert t.loc["electricians"].tolist() == [9_000.0, "article", 3, 4.0, 135_000.0]
    # the electricians' 9,000 is the article's; the bakeries' value can only be the client's
    assert t.loc["bakeries", "source"] == "client input"
    assert industry_method_table(df, {"electricians": 12_000})["source"].tolist() == ["client input"]
    # bakeries: a value but no customer: 0 customers, no median, potential 0
    assert t.loc["bakeries", "customers"] == 0 and np.isnan(t.loc["bakeries", "median employees"])
    assert list(t.index) == ["electricians", "bakeries"]


def test_potential_by_method():
    df = pd.DataFrame(
        {
            "potential_method": ["history", "industry", "unknown", "history"],
            "revenue_12m": [1_000.0, 2_000.0, 700.0, 3_000.0],
            "potential": [5_000.0, 27_000.0, np.nan, 3_000.0],
            "gap": [4_000.0, 25_000.0, np.nan, 0.0],
        }
    )
    t = potential_by_method(df)
    assert list(t.index) == ["industry", "history", "unknown"]
    # history: 2 customers, 4,000 revenue, potential 5,000 + 3,000, gap 4,000 + 0
    assert t.loc["history"].tolist() == [2, 4_000.0, 8_000.0, 4_000.0]
    assert t.loc["unknown", "customers"] == 1 and np.isnan(t.loc["unknown", "potential"])


def test_no_potential_known_gives_no_potential_total_and_says_why(tmp_path):
    import json

    from smartacct_helpers.delivery.summary import key_figures

    wb = tiny_workbook(tmp_path)  # 13 months of orders only: no industry, no historic peak
    figures = key_figures(wb)
    assert figures["potential_total"] is None
    reason = figures["data_coverage"]["limited"]["potential_total"]
    assert "13 months" in reason and "3 of 3 customers" in reason
    json.dumps(figures, allow_nan=False)  # nothing else became NaN
    assert figures["share_of_wallet_median"] is None and figures["potential_small_customers"] is None


def test_the_sample_knows_every_potential(sample_workbook):
    from smartacct_helpers.potential.analysis import potential_figures

    df = classify(sample_workbook)
    figures = potential_figures(sample_workbook, df)
    assert figures["_limited"] == {}
    assert figures["potential_total"] == pytest.approx(df["potential"].sum())
