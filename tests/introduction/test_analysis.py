"""The introduction plan's rules, worked out by hand."""

import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.introduction.analysis import (
    CONTROL,
    GROW_ALL,
    GROW_DEVELOP,
    SERVE_CHEAPLY,
    TREATMENT,
    active_or_passive,
    detectable_effect,
    pilot_effect,
    pilot_groups,
    pilot_sample_size,
    success_factor_facts,
)


@pytest.mark.parametrize(
    ("effect", "sd", "alpha", "power", "n"),
    [
        # n = 2 (z_(1-alpha/2) + z_power)^2 sd^2 / effect^2 (normal approximation, two-sided)
        (0.5, 1.0, 0.05, 0.8, 63),  # (1.95996 + 0.84162)^2 = 7.8489; x 2 / 0.25 = 62.79 -> 63
        (0.2, 1.0, 0.05, 0.8, 393),  # 7.8489 x 2 / 0.04 = 392.4 -> 393 (Cohen's small effect)
        (0.5, 1.0, 0.01, 0.9, 120),  # (2.57583 + 1.28155)^2 = 14.8794; x 2 / 0.25 = 119.04 -> 120
        (800.0, 8_000.0, 0.05, 0.8, 1_570),  # the effect a tenth of the spread: 7.8489 x 2 x 100 = 1,569.8
    ],
)
def test_pilot_sample_size_against_the_textbook_formula(effect, sd, alpha, power, n):
    assert pilot_sample_size(effect, sd, alpha, power) == n


def test_the_detectable_effect_inverts_the_sample_size():
    # 63 per group detects 2.80158 x sqrt(2 / 63) = 0.4992 standard deviations
    assert detectable_effect(63, 1.0) == pytest.approx(0.4992, abs=1e-4)
    with pytest.raises(ValueError):
        pilot_sample_size(0.0, 1.0)


def test_pilot_effect_by_hand():
    # gaps 10,000 and 30,000 (mean 20,000) x 5 % = 1,000; changes +300 and -100: sd = sqrt(80,000) = 282.84;
    # the field customer is not to manage and does not count
    c = pd.DataFrame(
        {
            "customer_id": ["a", "b", "f"],
            "to_manage": [True, True, False],
            "gap": [10_000.0, 30_000.0, 0.0],
            "revenue_12m": [1_300.0, 2_900.0, 50_000.0],
            "revenue_12m_1": [1_000.0, 3_000.0, 10_000.0],
        }
    )
    e = pilot_effect(c, 0.05)
    assert e.customers == 2 and e.effect == pytest.approx(1_000.0)
    assert e.sd == pytest.approx(282.8427, abs=1e-3) and e.outcome == "revenue change"
    assert pilot_effect(c.drop(columns="gap"), 0.05).effect is None


def _customers(n=400):
    return pd.DataFrame(
        {
            "customer_id": [f"{i:04d}" for i in range(n)],
            "to_manage": [i % 10 != 0 for i in range(n)],  # every tenth is not to manage
            "segment": ["develop" if i % 3 == 0 else "small" for i in range(n)],
            "region": ["north" if i % 2 else "south" for i in range(n)],
            "revenue_12m": [float(100 + i) for i in range(n)],
        }
    )


def test_pilot_groups_are_alike_stratum_by_stratum():
    c = _customers()
    g = pilot_groups(c, 100, seed=3)
    # 360 customers to manage, 200 wanted: each stratum gives the same share
    assert set(g["customer_id"]) <= set(c.loc[c["to_manage"], "customer_id"])
    assert g["customer_id"].is_unique
    sizes = g["pilot_group"].value_counts()
    assert abs(sizes[TREATMENT] - sizes[CONTROL]) <= 1
    assert 190 <= len(g) <= 210
    per_stratum = g.pivot_table(index="stratum", columns="pilot_group", values="customer_id", aggfunc="size")
    assert (per_stratum[TREATMENT] - per_stratum[CONTROL]).abs().max() <= 1
    assert per_stratum.shape[0] == 2 * 4 * 2  # segment x size quartile x region
    # the same seed gives the same groups
    assert pilot_groups(c, 100, seed=3).equals(g)


def test_a_pilot_larger_than_the_customers_takes_them_all():
    g = pilot_groups(_customers(40), 1_000)
    assert len(g) == 36  # the 40 less every tenth


def test_active_or_passive_by_the_stated_rule():
    assert active_or_passive(10, 1_000, 1.0, 400).approach == GROW_ALL  # the rep cover of 1 pays for the rep
    assert active_or_passive(400, 1_000, 0.99, 400).approach == GROW_DEVELOP  # develop fill one rep
    assert active_or_passive(399, 1_000, 0.99, 400).approach == SERVE_CHEAPLY
    assert active_or_passive(0, 0, None, 400) is None


def test_success_factor_facts_by_hand():
    c = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4", "field"],
            "to_manage": [True, True, True, True, False],
            "outside_rep": ["A", "A", "B", "", "C"],
            "inside_rep": ["X", None, "Y", "Z", "X"],
            "potential": [100.0, None, 300.0, 400.0, 9_000.0],
        }
    )
    activities = pd.DataFrame(
        {
            "customer_id": ["1", "1", "2", "3", "field"],
            "date": pd.to_datetime(["2025-06-01", "2025-07-01", "2024-06-01", "2025-09-01", "2025-09-01"]),
            "team": ["outside", "inside", "outside", "inside", "outside"],
        }
    )
    f = success_factor_facts(c, activities, dt.date(2025, 12, 31))
    # of the four to manage: both reps named for 1 and 3 (4's outside rep is blank): 2 / 4
    assert f["customers"] == 4 and f["both_reps_share"] == 0.5
    assert f["outside_rep_share"] == 0.75 and f["inside_rep_share"] == 0.75
    # CRM contact in the window: 1 and 3 (2's is from 2024): 2 / 4; both teams: 1 alone: 1 / 4
    assert f["crm_share"] == 0.5 and f["handoff_share"] == 0.25
    assert f["potential_share"] == 0.75
    assert success_factor_facts(c, None, dt.date(2025, 12, 31))["crm_share"] is None
