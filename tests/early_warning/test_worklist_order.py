"""The call lists keep the order the report states: the lowest probability of still buying first, ties by the risk
score; a customer whose revenue grew strongly last, with the growth in its reason."""

import pandas as pd
import pytest

from smartacct_helpers.early_warning.worklists import grown_last, todays_worklists

pytestmark = pytest.mark.fast


def test_a_customer_that_grew_goes_last_with_its_reason():
    w = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_12m": [1_000.0, 50.0, 124.0, 125.0],
            "revenue_prev_12m": [400.0, 100.0, 100.0, 100.0],
            "reason": ["no order for 90 days"] * 4,
        }
    )
    out = grown_last(w, 0.25)
    # a: +150 % and d: +25 % (at the limit) go last, in their order; b fell, c grew by 24 % only
    assert out["customer_id"].tolist() == ["b", "c", "a", "d"]
    assert out["reason"].tolist()[2].endswith("but revenue up 150 % on the year before (400 EUR -> 1,000 EUR)")
    assert out["reason"].tolist()[0] == "no order for 90 days"


def test_the_sample_lists_are_in_the_stated_order(sample_workbook):
    growth = sample_workbook.assumptions.warning_growth_listed_last
    lists = todays_worklists(sample_workbook)
    assert lists
    for rep, part in lists.items():
        grew = (part["revenue_prev_12m"] > 0) & (part["revenue_12m"] >= part["revenue_prev_12m"] * (1 + growth))
        assert not (grew.astype(int).diff().fillna(0) < 0).any(), rep  # once a grown customer comes, only they do
        assert part.loc[grew, "reason"].str.contains("but revenue up").all(), rep
        for block in (part[~grew], part[grew]):
            keys = list(zip(block["probability_alive"], -block["risk_score"], strict=True))
            assert keys == sorted(keys), rep
