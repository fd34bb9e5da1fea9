"""The sliders: every one names a real assumption and starts inside its range."""

import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.presentation.widgets import SLIDERS, changes_from


@pytest.mark.parametrize("name", sorted(SLIDERS))
def test_slider_names_an_assumption_and_holds_its_default(name):
    from smartacct_helpers.presentation.widgets import slider_value

    value = Assumptions()
    for part in name.split("."):
        assert part in type(value).model_fields, name
        value = getattr(value, part)
    value = slider_value(Assumptions(), name)  # of the capacities per rep (350 / 400 / 450): the middle
    spec = SLIDERS[name]
    assert spec.low <= value <= spec.high, name
    assert spec.low < spec.high and spec.step > 0
    assert spec.kind in {"float", "int", "share", "money"}


def test_the_customers_per_rep_slider_moves_the_low_middle_and_high_capacity():
    # 350 / 400 / 450 with the slider at 380: each 20 lower, so the middle is 380 and the spread stays 50
    assert changes_from({"inside_rep_capacity": 380}, Assumptions()) == {"inside_rep_capacity": [330, 380, 430]}


def test_changes_from_nests_dotted_names():
    assert changes_from({"abc.a": 0.7, "abc.b": 0.9, "working_days": 210}) == {
        "abc": {"a": 0.7, "b": 0.9},
        "working_days": 210,
    }


def test_every_notebooks_slider_list_names_known_sliders():
    """Each section's sliders come from a package constant (``views.F_SLIDERS``), every one a known slider."""
    import importlib
    import pkgutil

    import smartacct_helpers

    lists = {}
    for room in pkgutil.iter_modules(smartacct_helpers.__path__):
        if not room.ispkg:
            continue
        try:
            views = importlib.import_module(f"smartacct_helpers.{room.name}.views")
        except ModuleNotFoundError:
            continue
        lists |= {f"{room.name}.{n}": getattr(views, n) for n in dir(views) if n.endswith("_SLIDERS")}
    # 01 to 08: every notebook with assumptions has at least one list (most have one per section)
    assert len(lists) >= 7, sorted(lists)
    for name, sliders in lists.items():
        assert sliders and set(sliders) <= set(SLIDERS), name


def test_slider_labels_show_the_full_text_and_the_value_in_the_clients_format():
    from smartacct_helpers.presentation.formatting import Numbers
    from smartacct_helpers.presentation.widgets import slider_text

    assert slider_text(SLIDERS["call_cost"], 8, Numbers()) == "cost per call: 8 EUR"
    assert slider_text(SLIDERS["inside_rep_annual_cost"], 65_000, Numbers("EUR", "de")) == (
        "inside rep, cost per year: 65.000 €"
    )
    assert slider_text(SLIDERS["working_days"], 200, Numbers()) == "working days per year: 200"
    assert slider_text(SLIDERS["price_elasticity"], -1.5, Numbers()) == "price elasticity of volume: -1.5"
