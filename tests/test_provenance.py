"""Nothing is said to come from an article that the articles do not give (docs/method.md, section 8).

The articles give only: 350 to 450 customers per inside rep, 4 to 6 visits a
customer and year, at most 8 % sales cost, the electricians' 3 employees x
9,000 EUR and 4,000 shops, the best of the last 5 years, no outside visit in
12 months, the 18 % customer as an example, "20 % of the key accounts bring
80 % of the operating profit" as a claim, and the value analysis per quarter
or month. Every other number is a smartacct default or the client's.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from smartacct_helpers.assumptions import ARTICLE, CLIENT_INPUT, DEFAULT, SOURCES, Assumptions, default_source
from smartacct_helpers.params import Params, assumptions_table

ROOT = Path(__file__).resolve().parents[1]

#: the assumptions whose default an article gives, with the article's range
ARTICLE_ASSUMPTIONS = {
    "visits_per_customer_year": (4, 6),
    "max_sales_cost_ratio": (0.08, 0.08),
    "inside_rep_capacity": (350, 450),
    "potential_history_years": (5, 5),
}
#: the assumptions whose choices an article gives: quarterly value analysis, monthly where orders are small
ARTICLE_CHOICES = {"value_analysis_frequency": {"quarter", "month"}}
#: numbers that are smartacct defaults and must never be said to come from an article (with their spellings)
NOT_FROM_AN_ARTICLE = [
    r"(?<![\d,._])110[,._ ]?000(?!\d)",  # the outside rep's annual cost
    r"(?<![\d,._])65[,._ ]?000(?!\d)",  # the inside rep's annual cost
    r"200 working days",
    r"4 visits a day",
    r"80 ?/ ?95",  # the ABC limits
    r"(?<![\d,._])4[,._]?500(?!\d)",  # the plumbers' value per employee
    r"(?<![\d,._])6[,._]000(?!\d)",  # the HVAC trades' value per employee
]


def test_only_section_8s_assumptions_are_labelled_as_from_an_article():
    labelled = {name for name in Assumptions.model_fields if default_source(name) == ARTICLE}
    assert labelled == set(ARTICLE_ASSUMPTIONS) | set(ARTICLE_CHOICES)
    for name, choices in ARTICLE_CHOICES.items():
        assert getattr(Assumptions(), name) in choices
    defaults = Assumptions()
    for name, (low, high) in ARTICLE_ASSUMPTIONS.items():
        value = getattr(defaults, name)
        for v in value if isinstance(value, list) else [value]:
            assert low <= v <= high, name
    # the values per employee: only the electricians' 9,000 EUR is the article's
    extra = Assumptions.model_fields["potential_per_employee"].json_schema_extra
    assert extra["article"] == {"electricians": 9_000}
    assert default_source("potential_per_employee", "plumbers_heating") == CLIENT_INPUT
    assert default_source("abc") == DEFAULT and default_source("outside_rep_annual_cost") == DEFAULT


def test_every_source_label_is_one_of_the_four():
    for name, field in Assumptions.model_fields.items():
        assert (field.json_schema_extra or {}).get("source") in SOURCES, name


def test_the_reports_assumptions_table_labels_only_those_as_from_an_article():
    p = Params.model_validate(
        {
            "data": {"orders": "o.csv"},
            "assumptions": {
                "potential_per_employee": {"electricians": 9_000, "plumbers_heating": 4_500, "hvac": 6_000}
            },
        }
    )
    table = assumptions_table(p)
    from_article = set(table.loc[table["source"] == ARTICLE, "assumption"])
    assert from_article == set(ARTICLE_ASSUMPTIONS) | set(ARTICLE_CHOICES) | {"potential_per_employee.electricians"}
    assert set(table["source"]) <= {*SOURCES, "this run"}


def test_the_params_docs_label_only_those_as_from_an_article():
    rows = re.findall(r"^\| `(\w+)` \| [^|]* \| ([^|]*) \|", (ROOT / "docs" / "params.md").read_text(), re.M)
    sources = {name: source.strip() for name, source in rows if name in Assumptions.model_fields}
    assert set(sources) == set(Assumptions.model_fields)
    assert {n for n, s in sources.items() if s.startswith("article")} == set(ARTICLE_ASSUMPTIONS) | set(
        ARTICLE_CHOICES
    ) | {"potential_per_employee"}
    assert sources["potential_per_employee"] == "article (electricians); other industries: client input"
    for name, source in sources.items():
        assert source.split(" (")[0] in SOURCES, name


def _texts():
    """(where, text) of the notebooks' cells, the docs, the README and the package's docstrings, strings and comments."""
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            yield f"{nb.name} cell {i}", "".join(cell["source"])
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        yield doc.name, doc.read_text(encoding="utf-8")
    for module in sorted((ROOT / "smartacct_helpers").rglob("*.py")):
        source = module.read_text(encoding="utf-8")
        where = str(module.relative_to(ROOT))
        for node in ast.walk(ast.parse(source)):  # what a reader sees: docstrings and the texts shown
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield where, node.value
        for line in source.splitlines():
            if "#" in line:
                yield where, line.split("#", 1)[1]


def _claims(text: str):
    """The parts of ``text`` that say something comes from an article.

    A sentence (up to . ; or a blank line) that names an article, cut where
    it turns to the smartacct defaults, so that "article for X, smartacct
    default for Y" claims X only.
    """
    for sentence in re.split(r"(?<=[.;])\s+|\n\s*\n|\n(?=\|)", text):  # a table's row is a sentence
        for part in re.split(r"smartacct default|smartacct assumption|\bdefaults?\b", sentence):
            if re.search(r"\barticles?\b|\barticle's\b", part, re.I):
                yield " ".join(part.split())


@pytest.mark.parametrize("number", NOT_FROM_AN_ARTICLE)
def test_no_text_says_a_default_comes_from_an_article(number):
    found = [f"{where}: {claim}" for where, text in _texts() for claim in _claims(text) if re.search(number, claim)]
    assert not found, "\n".join(found)


def test_the_check_finds_a_mislabelled_number():
    # the wording the notebook of field visits once had
    text = "With the article's figures: 110,000 EUR / 800 visits = 137.50 EUR per visit."
    assert any(re.search(NOT_FROM_AN_ARTICLE[0], claim) for claim in _claims(text))
    claims = list(_claims("**article** for 4 to 6 visits, **smartacct default** for ours (110,000 EUR)."))
    assert claims and not any(re.search(NOT_FROM_AN_ARTICLE[0], claim) for claim in claims)
