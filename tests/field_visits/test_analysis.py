import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.field_visits.analysis import (
    below_threshold_by_abc,
    customers_below_grid,
    distance_thresholds,
    distance_visit_cost,
    field_economics,
    management_cost_per_customer,
    management_cost_table,
    sales_threshold,
    scaled_cost_parts,
    threshold_grid,
    visit_cost,
    visit_cost_breakdown,
)


def test_article_example():
    # 110,000 EUR / (200 days x 4 visits) = 110,000 / 800 = 137.50 EUR per visit
    assert visit_cost(110_000, 200, 4) == pytest.approx(137.50)
    # 137.50 x 5 visits = 687.50 EUR per customer and year
    assert management_cost_per_customer(137.50, 5) == pytest.approx(687.50)
    # 687.50 / 0.08 = 8,593.75 EUR revenue per year
    assert sales_threshold(687.50, 0.08) == pytest.approx(8_593.75)


def test_defaults_reproduce_the_article():
    econ = field_economics(Assumptions())
    assert (econ.visit_cost, econ.management_cost_per_customer, econ.sales_threshold) == pytest.approx(
        (137.50, 687.50, 8_593.75)
    )


@pytest.mark.parametrize(
    "visits, ratio, expected",
    [
        (4, 0.08, 6_875.00),  # 137.50 x 4 = 550 / 0.08
        (6, 0.08, 10_312.50),  # 137.50 x 6 = 825 / 0.08
        (5, 0.10, 6_875.00),  # 687.50 / 0.10
        (5, 0.04, 17_187.50),  # 687.50 / 0.04
    ],
)
def test_threshold_sensitivity(visits, ratio, expected):
    a = Assumptions(visits_per_customer_year=visits, max_sales_cost_ratio=ratio)
    assert field_economics(a).sales_threshold == pytest.approx(expected)


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        visit_cost(100_000, 0, 4)
    with pytest.raises(ValueError):
        sales_threshold(687.5, 0)


# -- the visit cost built up from its parts, sensitivity, ABC, distance ------------------------------------------


def test_default_parts_add_up_to_the_annual_cost():
    # 65,000 + 13,500 + 12,000 + 11,500 + 8,000 = 110,000
    a = Assumptions()
    assert sum(a.outside_rep_cost_parts.values()) == pytest.approx(a.outside_rep_annual_cost)


def test_breakdown_per_visit():
    t = visit_cost_breakdown(Assumptions())
    # 800 visits a year: salary 65,000 / 800 = 81.25, social charges 13,500 / 800 = 16.875, car 15, travel 14.375,
    # expenses 10; together 137.50
    assert t.loc["salary", "per_visit"] == pytest.approx(81.25)
    assert t.loc["social charges", "per_visit"] == pytest.approx(16.875)
    assert t.loc["car", "per_visit"] == pytest.approx(15.0)
    assert t.loc["travel", "per_visit"] == pytest.approx(14.375)
    assert t.loc["expenses", "per_visit"] == pytest.approx(10.0)
    assert t.loc["total", "per_visit"] == pytest.approx(137.50)
    assert t.drop(index="total")["per_visit"].sum() == pytest.approx(t.loc["total", "per_visit"])


def test_parts_follow_the_annual_cost():
    # the annual cost stays the one number: doubling it to 220,000 doubles every part (salary 130,000)
    t = visit_cost_breakdown(Assumptions(outside_rep_annual_cost=220_000))
    assert t.loc["salary", "annual_cost"] == pytest.approx(130_000)
    assert t.loc["total", "per_visit"] == pytest.approx(275.0)  # 220,000 / 800
    assert scaled_cost_parts({"a": 1, "b": 3}, 1_000) == {"a": 250.0, "b": 750.0}
    with pytest.raises(ValueError):
        scaled_cost_parts({"a": -1, "b": 3}, 1_000)


def test_management_cost_at_four_five_six_visits():
    t = management_cost_table(Assumptions())
    # 137.50 x 4 = 550, x 5 = 687.50, x 6 = 825; / 0.08 = 6,875, 8,593.75, 10,312.50
    assert t["management_cost"].tolist() == pytest.approx([550.0, 687.5, 825.0])
    assert t["sales_threshold"].tolist() == pytest.approx([6_875.0, 8_593.75, 10_312.5])


def test_threshold_grid():
    g = threshold_grid(137.5)
    assert list(g.index) == [2, 3, 4, 5, 6, 7, 8]
    assert list(g.columns) == pytest.approx([0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12])
    assert g.loc[5, 0.08] == pytest.approx(8_593.75)  # the article
    assert g.loc[2, 0.04] == pytest.approx(6_875.0)  # 137.50 x 2 / 0.04
    assert g.loc[8, 0.12] == pytest.approx(9_166.666667)  # 1,100 / 0.12


@settings(max_examples=50, deadline=None)
@given(st.floats(10, 1_000))
def test_threshold_rises_with_visits_and_falls_with_ratio(cost):
    g = threshold_grid(cost).to_numpy()
    assert (np.diff(g, axis=0) > 0).all()
    assert (np.diff(g, axis=1) < 0).all()


def test_customers_below_grid():
    revenue = pd.Series([100.0, 5_000.0, 7_000.0, 9_000.0, 20_000.0])
    grid = pd.DataFrame([[6_875.0, 8_593.75]], index=[5], columns=[0.10, 0.08])
    # below 6,875: 100 and 5,000; below 8,593.75: also 7,000
    assert customers_below_grid(revenue, grid).values.tolist() == [[2, 3]]


def test_below_threshold_by_abc():
    df = pd.DataFrame(
        {
            "abc": ["A", "B", "B", "C", "C", "D"],
            "revenue_12m": [50_000.0, 9_000.0, 8_000.0, 2_000.0, 1_000.0, 0.0],
            "below_threshold": [False, False, True, True, True, True],
        }
    )
    t = below_threshold_by_abc(df)
    assert t["customers"].tolist() == [1, 2, 2, 1, 6]
    assert t["below"].tolist() == [0, 1, 2, 1, 4]
    # B: 8,000 of 17,000 below; all: 8,000 + 3,000 = 11,000
    assert t.loc["B", "revenue_below"] == pytest.approx(8_000)
    assert t.loc["all", "revenue_below"] == pytest.approx(11_000)
    assert t.loc["B", "share_below"] == pytest.approx(0.5)


def test_distance_visit_cost_keeps_the_average():
    a = Assumptions()
    km = pd.Series([5.0, 20.0, 35.0, None])
    cost = distance_visit_cost(km, a)
    # car + travel = 23,500 of 110,000; 5 km is a quarter of the mean (20 km):
    # 137.50 x (1 - 0.213636 x 0.75) = 115.46875
    assert cost.iloc[0] == pytest.approx(115.46875)
    assert cost.iloc[3] == pytest.approx(137.5)
    assert cost.iloc[:3].mean() == pytest.approx(137.5)


def test_distance_thresholds():
    a = Assumptions()
    customers = pd.DataFrame({"distance_km": [10.0, 30.0], "revenue_12m": [8_000.0, 8_000.0]})
    t = distance_thresholds(customers, a)
    # 122.8125 x 5 / 0.08 = 7,675.78 (above 8,000? no: 8,000 >= it); 152.1875 x 5 / 0.08 = 9,511.72
    assert t["sales_threshold_distance"].tolist() == pytest.approx([7_675.78125, 9_511.71875])
    assert t["below_threshold_distance"].tolist() == [False, True]


def test_no_distance_column_means_the_flat_cost():
    t = distance_thresholds(pd.DataFrame({"revenue_12m": [1.0]}), Assumptions())
    assert t["visit_cost_distance"].iloc[0] == pytest.approx(137.5)


def test_the_distance_chart_draws_the_customers_with_a_distance_and_revenue():
    from smartacct_helpers.field_visits.charts import distance_threshold_chart

    # five customers below a threshold of 1,000; one bought nothing, one has no distance: the log scale shows three
    df = pd.DataFrame(
        {
            "distance_km": [10.0, 50.0, 90.0, 30.0, np.nan],
            "revenue_12m": [200.0, 400.0, 5000.0, 0.0, 100.0],
            "sales_threshold_distance": [1000.0] * 5,
        }
    )
    ax = distance_threshold_chart(df, 1000.0).axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "pays for field visits (1)" in labels
    assert "below the distance-aware threshold (2 with revenue)" in labels


def test_the_revenue_below_the_threshold_counts_a_net_credit_note_as_zero():
    from smartacct_helpers.field_visits.analysis import below_threshold_revenue

    df = pd.DataFrame(
        {
            "abc": ["A", "C", "C", "D"],
            "revenue_12m": [50_000.0, 2_000.0, 1_000.0, -400.0],
            "below_threshold": [False, True, True, True],
        }
    )
    # 2,000 + 1,000 + 0 (the D customer's credit notes exceed its invoices): 3,000, not 2,600
    assert below_threshold_revenue(df) == pytest.approx(3_000)
    t = below_threshold_by_abc(df)
    assert t.loc["all", "revenue_below"] == pytest.approx(3_000)
    assert t.loc["D", "revenue_below"] == 0 and t.loc["all", "revenue_12m"] == pytest.approx(53_000)


def test_distance_changes():
    from smartacct_helpers.field_visits.analysis import customers_by_distance, distance_changes

    a = Assumptions()
    # distances 10 and 30 km (mean 20): thresholds 122.8125 x 5 / .08 = 7,675.78 and 152.1875 x 5 / .08 = 9,511.72
    df = pd.DataFrame({"distance_km": [10.0, 30.0], "revenue_12m": [8_000.0, 9_000.0]})
    df["below_threshold"] = df["revenue_12m"] < 8_593.75
    by_distance = customers_by_distance(df, a)
    assert by_distance["sales_threshold_distance"].tolist() == pytest.approx([7_675.78125, 9_511.71875])
    # the near one (8,000) leaves the group below the threshold, the far one (9,000) joins it
    assert distance_changes(by_distance) == {"flat": 1, "by_distance": 1, "joined": 1, "left": 1}
