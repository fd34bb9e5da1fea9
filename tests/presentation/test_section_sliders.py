"""Each notebook's sliders sit by the sections they redraw, and each changes what a client sees there.

The notebooks show a section with its sliders as ``section(wb, views.f, views.F_SLIDERS, interactive)``.
For every slider of every notebook, moving it one step from the sample's value must change the output of
the sections that show it: a chart's picture, a table's cells or a figure in the text, beyond the slider's
own value repeated (the rule card of the key accounts said "≥ 6 %" and nothing else moved).
"""

import hashlib
import importlib
import io
import re

import nbformat
import pytest
from matplotlib.figure import Figure

from smartacct_helpers.delivery.notebook import NOTEBOOK_VIEWS
from smartacct_helpers.presentation.formatting import count, money, number, plain, share
from smartacct_helpers.presentation.widgets import SLIDERS, changes_from, section, slider_value
from tests.conftest import ROOT

CALL = re.compile(r"^section\(wb, ([\w.]+), ([\w.]+), interactive\)$", re.M)


def _module(notebook: str, name: str):
    if name == "early_warning":
        return importlib.import_module("smartacct_helpers.early_warning.views")
    assert name == "views", name
    return importlib.import_module(f"smartacct_helpers.{NOTEBOOK_VIEWS[notebook]}.views")


def _resolve(notebook: str, dotted: str):
    module, attr = dotted.split(".")
    return getattr(_module(notebook, module), attr)


def section_sliders() -> list[tuple[str, str, list]]:
    """(notebook, slider, the section functions that show it) for every slider the notebooks show."""
    found: dict[tuple[str, str], list] = {}
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        notebook = path.name[:2]
        for cell in nbformat.read(str(path), as_version=4).cells:
            for render, sliders in CALL.findall(cell.source) if cell.cell_type == "code" else []:
                assert sliders.split(".")[1].endswith("_SLIDERS"), (path.name, sliders)  # a package constant
                for name in _resolve(notebook, sliders):
                    found.setdefault((notebook, name), []).append(_resolve(notebook, render))
    return [(nb, name, renders) for (nb, name), renders in found.items()]


SECTION_SLIDERS = section_sliders()


def test_the_sliders_sit_by_their_sections_in_every_notebook_with_assumptions():
    notebooks = {nb for nb, _, _ in SECTION_SLIDERS}
    assert notebooks == {"01", "02", "03", "04", "05", "06", "07", "08"}
    by_name = {(nb, name): [r.__name__ for r in renders] for nb, name, renders in SECTION_SLIDERS}
    # the A limit redraws the ABC analysis, not the threshold chart; 04's capacity its headcount, cost and ROI
    assert by_name["01", "abc.a"] == ["abc_analysis"]
    assert by_name["01", "max_sales_cost_ratio"] == ["sales_threshold"]
    assert by_name["04", "inside_rep_capacity"] == ["headcount_section", "cost_benefit_section", "roi_section"]
    # no notebook keeps a separate panel of sliders at its end
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert "widgets.explorer(" not in text and "Try other" not in text, path.name


def _echoes(value, currency: str, style: str) -> set[str]:
    """The ways a section may repeat a slider's own value."""
    found = {count(value, style=style), plain(value, style=style), number(value, 1, style=style)}
    found |= {share(value, d, style=style) for d in (0, 1, 2)}
    found |= {money(value, currency, decimals=d, style=style) for d in (0, 2)}
    return {e for e in found if e}


def _picture(items, hide: set[str]) -> list[str]:
    """What a client sees of a section: each chart's pixels, each table's or text's words (without ``hide``)."""
    seen = []
    for item in items:
        if isinstance(item, Figure):
            buffer = io.BytesIO()
            item.savefig(buffer, format="png", dpi=30)
            seen.append(hashlib.sha1(buffer.getvalue()).hexdigest())
            continue
        for attr in ("_repr_html_", "_repr_markdown_"):
            if hasattr(item, attr):
                text = getattr(item, attr)()
                break
        else:
            text = str(getattr(item, "data", item))
        for echo in sorted(hide, key=len, reverse=True):
            text = text.replace(echo, "")
        seen.append(text)
    return seen


@pytest.mark.parametrize(
    "notebook, name, renders", SECTION_SLIDERS, ids=[f"{nb}-{name}" for nb, name, _ in SECTION_SLIDERS]
)
def test_one_step_of_each_slider_changes_its_sections(sample_workbook, notebook, name, renders):
    wb = sample_workbook
    spec = SLIDERS[name]
    start = slider_value(wb.assumptions, name)
    step = spec.step if start + spec.step <= spec.high + 1e-9 else -spec.step
    moved = start + step
    variant = wb.with_assumptions(**changes_from({name: moved}, wb.assumptions))
    cur, style = wb.params.currency, wb.params.number_format
    hide = _echoes(start, cur, style) | _echoes(moved, cur, style)
    before = [_picture(render(wb), hide) for render in renders]
    after = [_picture(render(variant), hide) for render in renders]
    assert before != after, f"{notebook}: {name} from {start} to {moved} changes nothing in {renders}"


def test_a_section_in_the_report_is_the_section_alone(sample_workbook, monkeypatch):
    """With interactive=False a section shows exactly what its function returns, no slider."""
    from smartacct_helpers.small_customers import views

    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)  # what sections.show displays with
    section(sample_workbook, views.abc_analysis, views.ABC_SLIDERS, interactive=False)
    expected = views.abc_analysis(sample_workbook)
    assert [type(i) for i in shown] == [type(i) for i in expected]
    assert shown[1]._repr_html_() == expected[1]._repr_html_()


def test_a_slider_shown_by_two_sections_is_one_control_and_redraws_both(sample_workbook):
    from smartacct_helpers.inside_sales import views
    from smartacct_helpers.presentation.widgets import Controls

    drawn = []
    controls = Controls(sample_workbook)
    controls.panel(views.HEADCOUNT_SLIDERS, lambda wb: drawn.append(("headcount", wb)) or [])
    controls.panel(views.ROI_SLIDERS, lambda wb: drawn.append(("roi", wb)) or [])
    assert controls.control("inside_rep_capacity") is controls.boxes["inside_rep_capacity"]
    drawn.clear()
    controls.sliders["inside_rep_capacity"].value = 420
    assert [what for what, _ in drawn] == ["headcount", "roi"]
    # the sample's 350 / 400 / 450 moved by 20: the middle is the slider's value
    assert drawn[0][1].assumptions.inside_rep_capacity == [370, 420, 470]
