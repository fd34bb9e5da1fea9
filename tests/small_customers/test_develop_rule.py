"""The "develop" segment needs evidence (method section 9): a material gap and a revenue that is not falling."""

import datetime as dt

import pandas as pd

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.small_customers.analysis import classify_customers, develop_evidence

REF = dt.date(2025, 12, 31)


def _customers():
    """Four active customers below the threshold of 8,593.75, each with a potential of at least it."""
    return pd.DataFrame(
        {
            "customer_id": ["rising", "falling", "flat", "small_gap"],
            "revenue_12m": [2_000.0, 3_000.0, 4_000.0, 4_000.0],
            "revenue_12m_1": [1_000.0, 3_500.0, 4_000.0, 4_000.0],
            "revenue_12m_2": [500.0, 4_000.0, 4_000.0, 4_000.0],
            "orders_12m": [4, 6, 8, 8],
            "last_order": pd.to_datetime(["2025-11-01", "2025-10-01", "2025-12-01", "2025-12-01"]),
        }
    )


def _potential():
    # shares of wallet 2,000/27,000 = .074, 3,000/27,000 = .111, 4,000/9,000 = .444, 4,000/9,000 = .444
    # (all below .5); gaps 25,000, 24,000, 5,000, 5,000
    potential = pd.Series([27_000.0, 27_000.0, 9_000.0, 9_000.0])
    revenue = pd.Series([2_000.0, 3_000.0, 4_000.0, 4_000.0])
    return pd.DataFrame({"potential": potential, "share_of_wallet": revenue / potential, "gap": potential - revenue})


def _segments(assumptions, trend_available=None):
    out = classify_customers(_customers(), assumptions, REF, _potential(), trend_available=trend_available)
    return out.set_index("customer_id")["segment"].to_dict()


def test_a_falling_revenue_makes_a_high_potential_customer_small():
    # trends (least squares over 500, 1,000, 2,000 etc., oldest first): rising +750 a year, falling -500,
    # flat 0; the default material gap is the management cost 5 x 137.50 = 687.50, which every gap passes
    assert _segments(Assumptions()) == {
        "rising": "develop",
        "falling": "small",
        "flat": "develop",
        "small_gap": "develop",
    }


def test_a_gap_below_the_material_gap_makes_a_customer_small():
    # develop_min_gap 6,000: the gaps of 5,000 fall short, 25,000 passes; "falling" still falls
    assert _segments(Assumptions(develop_min_gap=6_000)) == {
        "rising": "develop",
        "falling": "small",
        "flat": "small",
        "small_gap": "small",
    }


def test_an_unknown_trend_is_not_taken_as_falling():
    # without the three years of history the trend is unknown: only the gap decides, so "falling" is develop
    segments = _segments(Assumptions(), trend_available=False)
    assert segments["falling"] == "develop"
    assert set(segments.values()) == {"develop"}


def test_a_gap_exactly_at_the_limit_is_material_and_an_unknown_gap_is_not():
    # limit 687.50: 687.50 passes, 687.49 does not; a missing gap is no evidence
    df = pd.DataFrame({"gap": [687.50, 687.49, None], "revenue_trend": [0.0, 0.0, 0.0]})
    assert develop_evidence(df, Assumptions(), 687.5).tolist() == [True, False, False]
