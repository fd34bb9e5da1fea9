import pandas as pd
import pytest

from smartacct_helpers.concentration import herfindahl_index, revenue_shares, top_share


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
