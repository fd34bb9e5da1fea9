"""The recommendation's rules on hand-made figures: every branch of every decision."""

import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.introduction.recommendation import (
    ACT,
    GO,
    NO_GO,
    NOTHING,
    OPEN,
    inside_sales_decision,
    key_account_actions,
    levers_to_pull,
)

pytestmark = pytest.mark.fast

CASE = {
    "customers_to_manage": 4320,
    "roi": 0.35,
    "probability_payback_24m": 0.82,
    "payback_months": 17,
    "inside_sales_headcount": {"350": 13, "400": 11, "450": 10},
}


def test_go_when_roi_positive_and_payback_likely():
    d = inside_sales_decision(CASE, Assumptions())
    assert d.verdict == GO
    assert d.values["headcount"] == 11  # the middle capacity, 400 customers per rep: ceil(4,320 / 400) = 11
    assert d.values["provider"] == "internal"


def test_no_go_when_the_roi_is_not_above_the_threshold():
    assert inside_sales_decision(CASE | {"roi": 0.0}, Assumptions()).verdict == NO_GO  # 0 is not above 0
    assert inside_sales_decision(CASE | {"roi": -0.1}, Assumptions()).verdict == NO_GO


def test_no_go_when_payback_is_too_uncertain_and_the_threshold_is_a_param():
    assert inside_sales_decision(CASE | {"probability_payback_24m": 0.69}, Assumptions()).verdict == NO_GO
    assert inside_sales_decision(CASE | {"probability_payback_24m": 0.70}, Assumptions()).verdict == GO  # at least
    strict = Assumptions(go_min_probability_payback=0.9, go_min_roi=0.5)
    assert inside_sales_decision(CASE, strict).verdict == NO_GO  # 82 % < 90 %, and 35 % < 50 %


def test_external_when_its_roi_is_higher():
    assert inside_sales_decision(CASE, Assumptions(), external={"roi": 0.5}).values["provider"] == "external"
    assert inside_sales_decision(CASE, Assumptions(), external={"roi": 0.2}).values["provider"] == "internal"


def test_open_with_its_reason_when_the_data_cannot_carry_the_case():
    none = inside_sales_decision(CASE | {"customers_to_manage": 0}, Assumptions())
    assert (none.verdict, none.missing) == (OPEN, "no customer is to manage")
    why = "no customer to manage has a known potential"
    short = CASE | {"roi": None, "data_coverage": {"limited": {"roi": why}}}
    assert inside_sales_decision(short, Assumptions()).missing == why


def test_key_accounts_value_destroyers_worst_first_and_those_at_risk():
    d = key_account_actions(
        [
            {"name": "Alpha", "operating_profit_12m": -5_000.0, "at_risk": False},
            {"name": "Beta", "operating_profit_12m": -20_000.0, "at_risk": True},
            {"name": "Gamma", "operating_profit_12m": 30_000.0, "at_risk": True},
            {"name": "Delta", "operating_profit_12m": None, "at_risk": False},
        ]
    )
    assert d.verdict == ACT
    assert d.values["value_destroyers"] == ["Beta", "Alpha"]  # -20,000 before -5,000
    assert d.values["at_risk"] == ["Beta", "Gamma"]


def test_key_accounts_nothing_to_do_and_none_at_all():
    fine = key_account_actions([{"name": "Gamma", "operating_profit_12m": 1.0, "at_risk": False}])
    assert fine.verdict == NOTHING
    assert key_account_actions([]).verdict == OPEN


def test_levers_pulled_above_the_threshold_largest_first():
    gains = {"surcharge": 40_000.0, "price": 90_000.0, "minimum order": -3_000.0, "online shift": None}
    d = levers_to_pull(gains, Assumptions())
    assert (d.verdict, d.values["pull"], d.values["leave"]) == (ACT, ["price", "surcharge"], ["minimum order"])
    raised = levers_to_pull(gains, Assumptions(lever_min_operating_profit_gain=50_000))
    assert raised.values["pull"] == ["price"]  # 40,000 is below 50,000
    assert levers_to_pull({"price": -1.0}, Assumptions()).verdict == NOTHING
    assert levers_to_pull({"online shift": None}, Assumptions()).verdict == OPEN


def test_each_concept_of_the_glossary_names_a_function_that_exists_and_a_summary_key_that_is_documented():
    import importlib
    from pathlib import Path

    from smartacct_helpers.facts.concepts import GLOSSARY

    documented = (Path(__file__).parents[1] / "docs" / "summary-json.md").read_text(encoding="utf-8")
    for term, meaning, function, key in GLOSSARY:
        module, _, name = function.split(" ")[0].rpartition(".")
        assert callable(getattr(importlib.import_module(f"smartacct_helpers.{module}"), name)), term
        assert meaning.endswith(".") and "_" not in meaning, term  # words for a reader, no code names
        assert key is None or f"`{key}`" in documented, term
