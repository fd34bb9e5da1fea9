import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.inside_sales.business_case import (
    CaseInputs,
    business_case,
    case_inputs,
    cash_curves,
    cash_flow,
    headcount,
    headcount_by_capacity,
    middle_capacity,
    observed_churn_rate,
    payback_month,
    ramp_factor,
    roi,
    scenario_table,
    scenario_values,
    yearly_benefit,
    yearly_cost,
)
from smartacct_helpers.inside_sales.figures import business_case_figures
from smartacct_helpers.inside_sales.monte_carlo import monte_carlo
from smartacct_helpers.small_customers.analysis import classify


def test_article_capacities():
    # 4,000 small customers: 4000/350 = 11.43 -> 12, 4000/400 = 10, 4000/450 = 8.89 -> 9
    assert headcount_by_capacity(4_000, [350, 400, 450]) == {"350": 12, "400": 10, "450": 9}


def test_zero_customers_need_nobody():
    assert headcount(0, 400) == 0


@given(st.integers(0, 100_000), st.integers(0, 1_000), st.integers(50, 1_000), st.integers(0, 500))
def test_headcount_never_falls_with_more_customers_or_less_capacity(customers, more, capacity, less):
    assert headcount(customers + more, capacity) >= headcount(customers, capacity)
    assert headcount(customers, max(capacity - less, 1)) >= headcount(customers, capacity)
    # and it is enough: nobody manages more than the capacity
    assert headcount(customers, capacity) * capacity >= customers


# -- cost, benefit, ROI, payback ---------------------------------------------------------------------------------


def test_middle_capacity():
    assert middle_capacity([350, 400, 450]) == 400
    assert middle_capacity([450, 350, 400]) == 400


def test_yearly_cost_internal_and_external():
    a = Assumptions()
    # 11 reps x 65,000 = 715,000 + project manager 90,000 + systems 25,000 = 830,000
    assert yearly_cost(11, a) == {"reps": 715_000, "project_manager": 90_000, "systems": 25_000, "total": 830_000}
    # external: 11 x 6,500 x 12 = 858,000 + 90,000 (systems in the price) = 948,000
    assert yearly_cost(11, a, "external")["total"] == pytest.approx(948_000)
    with pytest.raises(ValueError):
        yearly_cost(11, a, "freelance")


INPUTS = CaseInputs(
    customers=800, revenue=1_000_000.0, gap=10_000_000.0, margin_rate=0.3, field_visits=400.0, visit_cost=137.5
)


def test_yearly_benefit_by_hand():
    b = yearly_benefit(INPUTS, 0.04, 0.10, 0.30, 0.5)
    assert b["uplift"] == pytest.approx(120_000)  # 10,000,000 x 0.04 x 0.3
    assert b["churn_avoided"] == pytest.approx(9_000)  # 1,000,000 x 0.10 x 0.30 x 0.3
    assert b["field_time_freed"] == pytest.approx(27_500)  # 400 x 137.50 x 0.5
    assert b["total"] == pytest.approx(156_500)


def test_ramp_and_cash_flow():
    assert ramp_factor(4, 0).tolist() == [1.0, 1.0, 1.0, 1.0]
    assert ramp_factor(4, 3).tolist() == pytest.approx([1 / 3, 2 / 3, 1.0, 1.0])
    cf = cash_flow(annual_benefit=240_000, annual_cost=120_000, setup_cost=30_000, ramp_up_months=2, months=6)
    # benefit 20,000 a month at full effect: 10,000, then 20,000; cost 10,000 a month (+30,000 in month 1)
    assert cf["net"].tolist() == pytest.approx([-30_000, 10_000, 10_000, 10_000, 10_000, 10_000])
    assert cf["cumulative"].tolist() == pytest.approx([-30_000, -20_000, -10_000, 0, 10_000, 20_000])
    assert payback_month(cf["cumulative"]) == 4


def test_roi_and_payback_helpers():
    assert roi(130.0, 100.0) == pytest.approx(0.3)
    assert payback_month([5.0]) == 1
    assert payback_month([-1.0, -0.5]) is None
    with pytest.raises(ValueError):
        roi(1.0, 0.0)


def test_business_case_that_does_not_pay():
    a = Assumptions(ramp_up_months=0, setup_cost=0, business_case_months=24)
    bc = business_case(INPUTS, a, capacity=400)
    # 800 / 400 = 2 reps: 2 x 65,000 + 115,000 = 245,000 a year, 490,000 over 24 months
    assert bc.headcount == 2
    assert bc.total_cost == pytest.approx(490_000)
    # benefit 156,500 a year (see above), 313,000 over 24 months: ROI (313,000 - 490,000) / 490,000
    assert bc.total_benefit == pytest.approx(313_000)
    assert bc.roi == pytest.approx(-177_000 / 490_000)
    assert bc.payback_months is None
    # break-even: the uplift must bring 245,000 - 36,500 = 208,500 a year = u x 10,000,000 x 0.3 -> u = 0.0695
    assert bc.break_even_uplift == pytest.approx(0.0695)


def test_business_case_with_setup_and_ramp_up():
    a = Assumptions(ramp_up_months=0, setup_cost=40_000, business_case_months=24)
    inputs = CaseInputs(800, 1_000_000.0, 30_000_000.0, 0.3, 400.0, 137.5)
    bc = business_case(inputs, a, capacity=400)
    # benefit 360,000 + 9,000 + 27,500 = 396,500 a year; net 151,500 a year = 12,625 a month;
    # month 3: 37,875 < 40,000 set-up; month 4: 50,500 >= 40,000
    assert bc.benefit["total"] == pytest.approx(396_500)
    assert bc.payback_months == 4
    # ROI: (396,500 x 2 - 245,000 x 2 - 40,000) / (490,000 + 40,000) = 263,000 / 530,000
    assert bc.roi == pytest.approx(263_000 / 530_000)


def test_break_even_uplift_gives_zero_roi():
    a = Assumptions()
    bc = business_case(INPUTS, a)
    at_break_even = business_case(INPUTS, Assumptions(revenue_uplift_on_gap=bc.break_even_uplift))
    assert at_break_even.roi == pytest.approx(0.0, abs=1e-9)


def test_external_provider_variant():
    a = Assumptions(business_case_months=24)
    bc = business_case(INPUTS, a, capacity=400, provider="external")
    # 2 reps x 6,500 x 24 + 90,000 x 2 = 312,000 + 180,000; no set-up
    assert bc.setup_cost == 0
    assert bc.total_cost == pytest.approx(492_000)
    assert bc.ramp_up_months == 3


def test_scenarios():
    a = Assumptions()
    # spread 0.5: uplift 0.04 x 0.5 / x 1.5, churn reduction 0.3 x 0.5 / x 1.5, ramp-up 6 x 1.5 / x 0.5
    assert scenario_values(a, "pessimistic") == pytest.approx(
        {"uplift": 0.02, "churn_reduction": 0.15, "ramp_up_internal": 9.0, "ramp_up_external": 4.5}
    )
    assert scenario_values(a, "optimistic") == pytest.approx(
        {"uplift": 0.06, "churn_reduction": 0.45, "ramp_up_internal": 3.0, "ramp_up_external": 1.5}
    )
    assert scenario_values(Assumptions(churn_reduction=0.9), "optimistic")["churn_reduction"] == 1.0
    table = scenario_table(INPUTS, a)
    assert len(table) == 3 * 2 * 3
    base = table[(table["scenario"] == "base") & (table["provider"] == "internal")].set_index("capacity")["roi"]
    pess = table[(table["scenario"] == "pessimistic") & (table["provider"] == "internal")].set_index("capacity")["roi"]
    assert (pess < base).all()
    curves = cash_curves(INPUTS, a)
    assert curves.shape == (36, 6)


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 0.2), st.floats(0.001, 0.1), st.integers(0, 12))
def test_roi_rises_with_uplift(uplift, more, ramp):
    low = business_case(INPUTS, Assumptions(revenue_uplift_on_gap=uplift, ramp_up_months=ramp))
    high = business_case(INPUTS, Assumptions(revenue_uplift_on_gap=min(uplift + more, 1.0), ramp_up_months=ramp))
    assert high.roi > low.roi
    assert (high.payback_months or math.inf) <= (low.payback_months or math.inf)


# -- Monte Carlo ---------------------------------------------------------------------------------------------------


def test_monte_carlo_is_reproducible():
    a = Assumptions()
    one, two = monte_carlo(INPUTS, a, runs=500), monte_carlo(INPUTS, a, runs=500)
    assert np.array_equal(one.roi, two.roi)
    assert np.array_equal(one.payback_months, two.payback_months, equal_nan=True)
    other = monte_carlo(INPUTS, a, runs=500, seed=a.monte_carlo_seed + 1)
    assert not np.array_equal(one.roi, other.roi)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_monte_carlo_stable_for_any_fixed_seed(seed):
    a = Assumptions(monte_carlo_seed=seed)
    one, two = monte_carlo(INPUTS, a, runs=200), monte_carlo(INPUTS, a, runs=200)
    assert np.array_equal(one.roi, two.roi)
    assert 0 <= one.probability_payback(12) <= one.probability_payback(24) <= 1


def test_monte_carlo_without_spread_is_the_base_case():
    a = Assumptions(scenario_spread=0.0)
    mc = monte_carlo(INPUTS, a, runs=200)
    base = business_case(INPUTS, a)
    assert mc.roi == pytest.approx(np.full(200, base.roi))
    expected = 1.0 if base.payback_months is not None and base.payback_months <= 24 else 0.0
    assert mc.probability_payback(24) == expected


def test_monte_carlo_draws_within_the_scenarios():
    a = Assumptions()
    mc = monte_carlo(INPUTS, a, runs=1_000)
    assert mc.uplift.min() >= 0.02 and mc.uplift.max() <= 0.06
    assert mc.ramp_up_months.min() >= 3 and mc.ramp_up_months.max() <= 9
    # triangular around the base: the mean lies near 0.04
    assert mc.uplift.mean() == pytest.approx(0.04, rel=0.05)
    s = mc.summary()
    assert s["roi_p05"] <= s["roi_median"] <= s["roi_p95"]


# -- the figures for summary.json, on the sample -------------------------------------------------------------------


def test_business_case_figures_on_the_sample(sample_workbook):
    wb = sample_workbook
    df = classify(wb)
    fig = business_case_figures(wb, df)
    assert set(fig) == {
        "potential_small_customers",
        "share_of_wallet_median",
        "inside_sales_annual_cost",
        "roi",
        "payback_months",
        "break_even_uplift",
        "probability_payback_24m",
    }
    managed = df[df["to_manage"]]
    # the middle capacity is 400: ceil(customers / 400) reps x 65,000 + 90,000 + 25,000
    assert fig["inside_sales_annual_cost"] == pytest.approx(math.ceil(len(managed) / 400) * 65_000 + 115_000)
    assert fig["potential_small_customers"] == pytest.approx(managed["potential"].sum())
    assert 0 <= fig["share_of_wallet_median"] <= 1
    assert 0 <= fig["probability_payback_24m"] <= 1
    assert fig["payback_months"] is None or 1 <= fig["payback_months"] <= wb.assumptions.business_case_months
    inputs = case_inputs(df, wb.assumptions)
    assert inputs.customers == len(managed)


def test_observed_churn_rate():
    import pandas as pd

    df = pd.DataFrame(
        {
            "revenue_12m_1": [2_000.0, 3_000.0, 5_000.0, 0.0, 20_000.0],
            "revenue_12m": [0.0, -10.0, 4_000.0, 900.0, 0.0],
        }
    )
    # small before: 2,000 + 3,000 + 5,000 = 10,000; lost (nothing positive in the window): 2,000 + 3,000
    # the new customer (0 before) and the large one (20,000 above the threshold) do not count
    assert observed_churn_rate(df, 8_593.75) == pytest.approx(0.5)
    assert observed_churn_rate(df.iloc[3:4], 8_593.75) is None


def test_case_inputs_sum_the_customers_to_manage_only():
    import pandas as pd

    from smartacct_helpers.assumptions import Assumptions

    df = pd.DataFrame(
        {
            "to_manage": [True, True, False, True],
            "revenue_12m": [1_000.0, -200.0, 50_000.0, 500.0],
            "contribution_margin_12m": [300.0, -50.0, 10_000.0, 100.0],
            "visits_12m": [2, 0, 10, 1],
            "gap": [4_000.0, 1_000.0, 0.0, float("nan")],
        }
    )
    inputs = case_inputs(df, Assumptions())
    assert inputs.customers == 3
    # revenue of the managed rows, credit notes counted as nothing: 1,000 + 0 + 500
    assert inputs.revenue == pytest.approx(1_500.0)
    # margin rate on their whole revenue: (300 - 50 + 100) / (1,000 - 200 + 500) = 350 / 1,300
    assert inputs.margin_rate == pytest.approx(350 / 1_300)
    assert inputs.field_visits == 3.0
    assert inputs.gap == pytest.approx(5_000.0)  # a missing gap adds nothing


def test_case_inputs_take_the_assumed_margin_where_the_data_has_none():
    import pandas as pd

    from smartacct_helpers.assumptions import Assumptions

    df = pd.DataFrame(
        {
            "to_manage": [True, True],
            "revenue_12m": [1_000.0, 3_000.0],
            "contribution_margin_12m": [0.0, 0.0],
            "gap": [500.0, 500.0],
        }
    )
    # the orders hold no margin (a column present but empty sums to 0 per customer): the params' 25 %
    assumed = case_inputs(df, Assumptions(), margin_known=False)
    assert assumed.margin_rate == 0.25 and assumed.margin_assumed
    # with a margin in the orders, 0 of 4,000 is a rate of 0
    assert case_inputs(df, Assumptions()).margin_rate == 0.0
    # credit notes above the invoices: no rate from a negative revenue, the params' rate instead
    negative = df.assign(revenue_12m=[-2_000.0, 500.0], contribution_margin_12m=[-300.0, 100.0])
    inputs = case_inputs(negative, Assumptions())
    assert inputs.margin_rate == 0.25 and inputs.revenue == 500.0  # the -2,000 counts as zero
    # a margin column with nothing in it for these customers
    empty = df.assign(contribution_margin_12m=[float("nan")] * 2)
    assert case_inputs(empty, Assumptions()).margin_assumed


def test_case_inputs_count_the_customers_whose_potential_is_known():
    import pandas as pd

    from smartacct_helpers.assumptions import Assumptions

    df = pd.DataFrame(
        {
            "to_manage": [True, True, True, False],
            "revenue_12m": [100.0] * 4,
            "gap": [400.0, float("nan"), 600.0, 9_000.0],
        }
    )
    inputs = case_inputs(df, Assumptions())
    assert inputs.with_potential == 2 and inputs.gap == 1_000.0 and inputs.gap_known  # 400 + 600
    none = case_inputs(df.assign(gap=float("nan")), Assumptions())
    assert none.with_potential == 0 and not none.gap_known and none.gap == 0.0
    assert not case_inputs(df.drop(columns="gap"), Assumptions()).gap_known


def test_the_year_before_the_window():
    import datetime as dt

    from smartacct_helpers.inside_sales.business_case import churn_year

    # window (31.12.2024, 31.12.2025]; the year before it (31.12.2023, 31.12.2024]
    assert churn_year(dt.date(2025, 12, 31)) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # window (9.12.2010, 9.12.2011]: the year before from 10.12.2009
    assert churn_year(dt.date(2011, 12, 9)) == (dt.date(2009, 12, 10), dt.date(2010, 12, 9))
