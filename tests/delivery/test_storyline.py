"""Page one of the report on the inputs a client may have: a recommendation where the figures carry one, and the
words of what is missing where they do not; never an error, a nan or a code name."""

import re

import pytest

from tests.degradation import variants

pytestmark = pytest.mark.matrix

CASES = [
    "full",
    "orders only",
    "customers without inside_rep",
    "master without industry and employees",
    "12 months of history",
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    from smartacct_helpers.intake.tables import load_tables
    from smartacct_helpers.params import load_params
    from smartacct_helpers.sample.write import write_sample

    folder = tmp_path_factory.mktemp("story")
    write_sample(folder, customers=300, years=5, seed=11)
    params = load_params(folder / "params.yaml")
    return variants(params, load_tables(params))


def _page_one(params, tables, **changed) -> str:
    from smartacct_helpers.delivery.report import glossary_html, story_inputs, storyline_html
    from smartacct_helpers.delivery.since_last_report import early_warnings
    from smartacct_helpers.delivery.summary import key_figures
    from smartacct_helpers.facts.workbook import Workbook

    wb = Workbook.from_tables(params, tables)
    figures = key_figures(wb) | changed
    story = story_inputs(wb, figures, early_warnings(wb))
    return storyline_html(figures, story, wb.assumptions, params.number_format) + glossary_html(
        figures, params.number_format
    )


@pytest.mark.parametrize("case", CASES)
def test_page_one_says_what_it_can_and_what_is_missing(inputs, case):
    page = _page_one(*inputs[case])
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", page, flags=re.S))
    for heading in ("The situation", "What we found", "What we recommend", "The next 90 days", "Glossary"):
        assert heading in text
    assert text.count("Rule:") == 3  # each recommendation states its rule
    assert not re.search(r"\bnan\b|\bNone\b|\bTrue\b|\bFalse\b|_[a-z]+_|since –", text), text[:2000]
    if case == "customers without inside_rep":
        assert "pilot team" not in text and "No inside-sales team yet" in text
    if case == "full":
        assert "pilot team of" in text


def test_without_a_business_case_the_page_says_what_is_missing_and_recommends_no_team(inputs):
    why = "no customer to manage has a known potential"
    page = _page_one(*inputs["full"], roi=None, data_coverage={"limited": {"roi": why}})
    assert f"No recommendation: {why}." in page
    assert "decide on the" not in page  # no team in the next 90 days either


def test_the_glossary_keeps_each_number_with_its_unit_on_one_line():
    from smartacct_helpers.delivery.report import glossary_html
    from smartacct_helpers.delivery.storyline import STORY_CSS

    figures = {"currency": "EUR", "sales_threshold": 8593.75, "abc_counts": {"A": 838, "B": 1667, "C": 2707, "D": 1288}}
    page = glossary_html(figures, "de")
    # 110,000 / (200 x 4) x 5 / 0.08 = 8,593.75, written the German way with its euro sign, unbroken
    assert "<span class='value'>8.593,75 €</span>" in page
    # the four counts may break between them, never inside one
    assert " / ".join(f"<span class='value'>{c}</span>" for c in ("838", "1.667", "2.707", "1.288")) in page
    assert re.search(r"\.glossary \.value[^{]*\{white-space:nowrap", STORY_CSS)
