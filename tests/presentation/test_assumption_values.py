"""Every assumption of the params is written in the client's number format in the report's table."""

from __future__ import annotations

import re

from smartacct_helpers.assumptions import PAYBACK_CHANCE_MONTHS, Assumptions
from smartacct_helpers.presentation.assumptions import assumption_value
from smartacct_helpers.presentation.columns import ASSUMPTIONS


def test_every_assumption_has_its_words_and_its_kind():
    # an assumption the catalogue does not know is written as a bare number, without its unit or %
    assert [name for name in Assumptions.model_fields if name not in ASSUMPTIONS] == []


def test_the_go_rules_and_the_growth_limit_under_de():
    # 0.7 -> 70,0 %; 0.25 -> 25,0 %; 0.0 of ROI -> 0,0 %; 0 EUR of profit gain -> 0 €
    assert assumption_value("go_min_probability_payback", 0.7, "EUR", "de") == "70,0 %"
    assert assumption_value("warning_growth_listed_last", 0.25, "EUR", "de") == "25,0 %"
    assert assumption_value("go_min_roi", 0.0, "EUR", "de") == "0,0 %"
    assert assumption_value("lever_min_operating_profit_gain", 0.0, "EUR", "de") == "0 €"
    assert f"within {PAYBACK_CHANCE_MONTHS} months" in ASSUMPTIONS["go_min_probability_payback"][0]


def test_no_default_assumption_is_written_the_english_way_under_de():
    defaults = Assumptions().model_dump()
    # an English decimal point (0.25, 137.5), English thousands (110,000), a % without its space, the code EUR
    english = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?!\d)|(?<![\d,])[1-9]\d{0,2}(,\d{3})+(?!\d)|\d%| EUR\b")
    shown = {name: assumption_value(name, value, "EUR", "de") for name, value in defaults.items()}
    assert {n: v for n, v in shown.items() if english.search(v)} == {}


def test_each_industry_has_its_value_and_its_words_in_the_report_table():
    from smartacct_helpers.params import load_params
    from smartacct_helpers.presentation.assumptions import assumptions_display

    # data/sample/params.yaml: electricians 9000, plumbers_heating 4500, hvac 6000 per employee and year
    shown = assumptions_display(load_params("data/sample/params.yaml"))
    rows = {row[0]: row[1] for row in shown.rows}  # as written for the client (the sample's number format is de)
    by_industry = {k: v for k, v in rows.items() if "by industry" in k}
    assert by_industry == {
        "Installable value per employee and year, by industry: electricians": "9.000 €",
        "Installable value per employee and year, by industry: plumbers, heating": "4.500 €",
        "Installable value per employee and year, by industry: heating, ventilation, air conditioning": "6.000 €",
    }
