"""The README and docs/ document every command, params key, assumption and key figure, and their links resolve.

The README stays a few screens (what smartacct is, the two commands, how each
user starts, the commands); the reference lives in docs/:

* docs/params.md: every params key and every assumption;
* docs/summary-json.md: every key of summary.json;
* docs/method.md: the method, by numbered sections the code cites.
"""

import re

import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.delivery.cli import build_parser
from smartacct_helpers.params import Params
from tests.conftest import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PARAMS_DOC = (DOCS / "params.md").read_text(encoding="utf-8")
SUMMARY_DOC = (DOCS / "summary-json.md").read_text(encoding="utf-8")
METHOD_DOC = (DOCS / "method.md").read_text(encoding="utf-8")

#: the README is the front door, not the manual: past this size it is growing back into one
README_MAX_BYTES = 12 * 1024

#: every Markdown file whose links are checked
DOCUMENTS = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _commands():
    return build_parser()._subparsers._group_actions[0].choices


def _links(text: str) -> list[str]:
    """The targets of the Markdown links of ``text``, outside fenced code."""
    return LINK.findall(FENCE.sub("", text))


def _slug(heading: str) -> str:
    """The anchor a Markdown heading gets on GitHub: lower case, punctuation dropped, spaces as hyphens.

    >>> _slug("8. Where every number comes from"), _slug("A client's params file")
    ('8-where-every-number-comes-from', 'a-clients-params-file')
    >>> _slug("3. A slider change at 100,000 customers")
    '3-a-slider-change-at-100000-customers'
    """
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


# -- the reference in docs/ ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(Assumptions.model_fields))
def test_every_assumption_is_documented(name):
    assert f"| `{name}` |" in PARAMS_DOC


@pytest.mark.parametrize("name", [n for n in Params.model_fields if n not in ("base_dir", "source_file", "set_keys")])
def test_every_top_level_params_key_is_documented(name):
    assert re.search(rf"^\s*{name}:", PARAMS_DOC, re.M), name


def test_every_key_figure_is_documented(sample_workbook):
    from smartacct_helpers.delivery.summary import key_figures

    for key in key_figures(sample_workbook):
        assert f"`{key}`" in SUMMARY_DOC, key


def test_the_method_has_a_section_per_notebook_and_one_for_the_sources():
    headings = re.findall(r"^## (\d+)\. ", METHOD_DOC, re.M)
    assert headings == [str(n) for n in range(10)]  # 0 shared rules, 1-7 the notebooks, 8 the sources, 9 notebook 08


def test_every_method_section_the_code_cites_exists():
    """A docstring citing "docs/method.md section 3" (or "sections 6 and 7") finds that section's heading."""
    numbered = set(re.findall(r"^## (\d+)\. ", METHOD_DOC, re.M))
    cited = re.compile(r"docs/method\.md,?\s+sections?\s+(\d+)(?:\s+(?:and|to)\s+(\d+))?")
    for path in sorted((ROOT / "smartacct_helpers").rglob("*.py")):
        for match in cited.finditer(path.read_text(encoding="utf-8")):
            for number in filter(None, match.groups()):
                assert number in numbered, f"{path.relative_to(ROOT)} cites docs/method.md section {number}"


# -- the README --------------------------------------------------------------------------------------------------


def test_every_command_is_documented():
    for name in _commands():
        assert f"smartacct {name}" in README, name


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_option_of_every_command_is_in_the_readme(command):
    parser = _commands()[command]
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in README, f"smartacct {command} {option}"


def test_every_make_target_is_in_the_readme():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][\w-]*):.*##", makefile, re.M)
    assert "test" in targets and "report" in targets  # the two commands the README opens with
    for target in targets:
        assert f"`make {target}`" in README, target


def test_the_readme_fits_on_a_few_screens():
    size = len(README.encode("utf-8"))
    assert size <= README_MAX_BYTES, f"README.md is {size:,} bytes; move reference text to docs/"


def test_the_readme_links_every_document_in_docs():
    linked = {target.split("#")[0] for target in _links(README)}
    for path in sorted(DOCS.glob("*.md")):
        assert f"docs/{path.name}" in linked, path.name


def test_every_docs_link_of_the_readme_exists():
    targets = [t.split("#")[0] for t in _links(README) if t.startswith("docs/")]
    assert targets
    for target in targets:
        assert (ROOT / target).is_file(), target


# -- every relative link ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    for target in _links(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (document.parent / path).resolve() if path else document
        assert file.exists(), f"{document.name}: {target}"
        if anchor:
            assert file.suffix == ".md", f"{document.name}: {target}"
            assert anchor in _anchors(file), f"{document.name}: {target} (no such heading)"


# -- timings live in benchmarks/RESULTS.md ----------------------------------------------------------------------

TIMING = re.compile(r"\b\d[\d,.]*\s?(?:ms|s|seconds|minutes|MB|MiB|GB|GiB)\b")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_measured_time_outside_the_benchmark_results(document):
    """A measured time or size goes stale; the documents cite benchmarks/RESULTS.md instead."""
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    assert not TIMING.findall(text), TIMING.findall(text)
