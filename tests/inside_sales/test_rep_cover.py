"""The article's rep-cover test (method section 9), worked out by hand."""

import pandas as pd
import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.inside_sales.rep_cover import rep_cover_of


def _customers(margins=True):
    df = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "big"],
            "revenue_12m": [1_000.0, 2_000.0, 3_000.0, 4_000.0, 100_000.0],
            "contribution_margin_12m": [150.0, 500.0, 600.0, 1_000.0, 20_000.0],
            "to_manage": [True, True, True, True, False],
        }
    )
    return df if margins else df.drop(columns="contribution_margin_12m")


def test_rep_cover_from_the_orders_margin():
    # customers to manage a-d: margins 150, 500, 600, 1,000 -> median (500 + 600) / 2 = 550;
    # middle capacity of 350/400/450 = 400: 400 x 550 = 220,000 against 65,000 -> 3.3846
    cover = rep_cover_of(_customers(), Assumptions())
    assert cover.customers == 4
    assert cover.capacity == 400
    assert cover.median_margin == pytest.approx(550.0)
    assert cover.margin_per_rep == pytest.approx(220_000.0)
    assert cover.ratio == pytest.approx(220_000 / 65_000)
    assert cover.covers and not cover.margin_assumed


def test_rep_cover_below_one_with_a_dearer_rep_and_other_capacities():
    # capacities 300/350 -> middle (the upper of two) 350; 350 x 550 = 192,500 against 250,000 -> 0.77
    cover = rep_cover_of(_customers(), Assumptions(inside_rep_capacity=[300, 350], inside_rep_annual_cost=250_000))
    assert cover.ratio == pytest.approx(0.77)
    assert cover.covers is False


def test_without_a_margin_the_assumed_rate_counts_and_is_labelled():
    # revenues 1,000 / 2,000 / 3,000 / 4,000 x 0.25 -> median (500 + 750) / 2 = 625; 400 x 625 / 65,000
    cover = rep_cover_of(_customers(margins=False), Assumptions())
    assert cover.median_margin == pytest.approx(625.0)
    assert cover.ratio == pytest.approx(250_000 / 65_000)
    assert cover.assumed_share == 1.0 and cover.margin_assumed


def test_without_customers_to_manage_there_is_no_ratio():
    cover = rep_cover_of(_customers().assign(to_manage=False), Assumptions())
    assert cover.ratio is None and cover.covers is None and cover.customers == 0
