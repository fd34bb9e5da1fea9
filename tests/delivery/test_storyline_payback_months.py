"""Page one names the months of the payback chance from the one constant that sizes it, never as a literal."""

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.delivery import storyline
from smartacct_helpers.introduction import recommendation
from smartacct_helpers.presentation.formatting import Numbers

FIGURES = {
    "currency": "EUR",
    "customers_to_manage": 900,
    "roi": 0.4,
    "probability_payback_24m": 0.8,
    "payback_months": 14,
    "inside_sales_headcount": {"400": 3},
}


def _rule_and_advice(**figures) -> tuple[str, str]:
    decision = recommendation.inside_sales_decision(FIGURES | figures, Assumptions())
    [(topic, what, rule)] = storyline._recommendation([decision], FIGURES | figures, {}, Numbers("EUR", "de"), "de")
    assert topic == "inside sales"
    return what, rule


def test_the_rule_and_the_advice_say_the_constant_months():
    # ROI 40 % > 0 and 80 % >= 70 %: go, with the default horizon of 24 months in both sentences
    what, rule = _rule_and_advice()
    assert "probability of paying back within 24 months 80,0 %" in what
    assert "back within 24 months is at least 70,0 %" in rule


def test_another_horizon_changes_every_sentence(monkeypatch):
    # the horizon follows the constant where the decision and page one are built
    monkeypatch.setattr(recommendation, "PAYBACK_CHANCE_MONTHS", 36)
    monkeypatch.setattr(storyline, "PAYBACK_CHANCE_MONTHS", 36)
    what, rule = _rule_and_advice()
    assert "within 36 months 80,0 %" in what and "within 36 months is at least" in rule
    assert "24 months" not in what + rule
    # the decision carries the horizon it was taken on
    assert recommendation.inside_sales_decision(FIGURES, Assumptions()).values["payback_chance_months"] == 36
