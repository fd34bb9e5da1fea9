"""The README documents every assumption, every key figure and every command."""
import re

import pytest
from tests.conftest import ROOT

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.delivery.cli import build_parser
from smartacct_helpers.params import Params

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Assumptions.model_fields))
def test_every_assumption_is_documented(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("name", [n for n in Params.model_fields if n not in ("base_dir", "source_file", "set_keys")])
def test_every_top_level_params_key_is_documented(name):
    assert re.search(rf"^\s*{name}:", README, re.M), name


def test_every_key_figure_is_documented(sample_workbook):
    from smartacct_helpers.delivery.summary import key_figures

    for key in key_figures(sample_workbook):
        assert f"`{key}`" in README, key


def test_every_command_is_documented():
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"smartacct {name}" in README, name
