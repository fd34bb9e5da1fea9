"""The sliders: every one names a real assumption and starts inside its range."""

import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.presentation.widgets import SLIDERS, changes_from


@pytest.mark.parametrize("name", sorted(SLIDERS))
def test_slider_names_an_assumption_and_holds_its_default(name):
    value = Assumptions()
    for part in name.split("."):
        assert part in type(value).model_fields, name
        value = getattr(value, part)
    spec = SLIDERS[name]
    assert spec.low <= value <= spec.high, name
    assert spec.low < spec.high and spec.step > 0
    assert spec.kind in {"float", "int", "share", "money"}


def test_changes_from_nests_dotted_names():
    assert changes_from({"abc.a": 0.7, "abc.b": 0.9, "working_days": 210}) == {
        "abc": {"a": 0.7, "b": 0.9},
        "working_days": 210,
    }
