import pandas as pd
import pytest

from smartacct_helpers.key_accounts.concentration import (
    HHI_CONCENTRATED,
    HHI_MODERATE,
    concentration_summary,
    gini_coefficient,
    herfindahl_index,
    hhi_band,
    lorenz_curve,
    revenue_shares,
    top_share,
)


def test_top_shares_and_hhi_by_hand():
    # positive revenue 50 + 30 + 15 + 5 = 100; the credit-note-only customer (-10) is left out
    revenue = pd.Series([30.0, 5.0, 50.0, -10.0, 15.0])
    assert top_share(revenue, 1) == pytest.approx(0.50)
    assert top_share(revenue, 5) == pytest.approx(1.0)
    # .5^2 + .3^2 + .15^2 + .05^2 = .25 + .09 + .0225 + .0025 = .365
    assert herfindahl_index(revenue) == pytest.approx(0.365)


def test_equal_customers_give_one_over_n():
    assert herfindahl_index(pd.Series([7.0] * 8)) == pytest.approx(1 / 8)


def test_shares_sum_to_one():
    shares = revenue_shares(pd.Series([3.0, 1.0, 0.0, 6.0]))
    assert shares.sum() == pytest.approx(1.0)
    assert list(shares) == pytest.approx([0.6, 0.3, 0.1])


def test_no_revenue_gives_zero():
    assert top_share(pd.Series([0.0, -1.0]), 1) == 0.0
    assert herfindahl_index(pd.Series([], dtype=float)) == 0.0


def test_hhi_bands_at_their_limits():
    # the competition authorities' limits: 1,500 and 2,500 points of 10,000
    assert (HHI_MODERATE, HHI_CONCENTRATED) == (0.15, 0.25)
    assert hhi_band(0.1499) == "diversified"
    assert hhi_band(0.15) == "moderate"
    assert hhi_band(0.2499) == "moderate"
    assert hhi_band(0.25) == "concentrated"


def test_lorenz_curve_by_hand():
    # 2, 2, 4 (total 8), smallest first: 2/8, 4/8, 8/8; the credit-note customer is left out
    curve = lorenz_curve(pd.Series([4.0, 2.0, -5.0, 2.0]))
    assert curve["share_of_customers"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert curve["share_of_revenue"].tolist() == pytest.approx([0, 0.25, 0.5, 1.0])


def test_gini_by_hand():
    # 1, 1, 1, 5: area under the Lorenz curve .25 x (.125 + .375 + .625 + 1.375) / 2 = .3125
    assert gini_coefficient(pd.Series([1.0, 1.0, 1.0, 5.0])) == pytest.approx(0.375)
    assert gini_coefficient(pd.Series([3.0] * 6)) == pytest.approx(0.0)
    # two customers, one with 99 %: area .5 x .01 / 2 + .5 x 1.01 / 2 = .255 -> gini .49
    assert gini_coefficient(pd.Series([1.0, 99.0])) == pytest.approx(0.49)


def test_concentration_summary_by_hand():
    s = concentration_summary(pd.Series([10.0, 90.0], index=["x", "y"]), major_share=0.10)
    assert s["hhi"] == pytest.approx(0.82)  # .01 + .81
    assert s["hhi_band"] == "concentrated"
    assert s["equivalent_customers"] == pytest.approx(1 / 0.82)
    assert s["major_customers"] == ["y", "x"]  # x holds exactly 10 %
    assert s["top10_share"] == pytest.approx(1.0)
    empty = concentration_summary(pd.Series([], dtype=float))
    assert empty["customers"] == 0 and empty["hhi"] == 0.0 and empty["gini"] == 0.0
