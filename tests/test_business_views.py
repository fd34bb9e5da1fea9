import pytest
from IPython.display import HTML
from matplotlib.figure import Figure

from smartacct_helpers import business_views as bv
from smartacct_helpers.widgets import SLIDERS


def test_the_notebooks_sliders_all_have_a_spec():
    known = set(SLIDERS)
    for names in (bv.VISIT_COST_SLIDERS, bv.POTENTIAL_SLIDERS, bv.BUSINESS_CASE_SLIDERS):
        assert set(names) <= known, set(names) - known


@pytest.mark.parametrize(
    "view, charts",
    [
        (bv.visit_cost_view, 3),
        (bv.potential_view, 2),
        (bv.business_case_view, 4),
        (bv.visit_cost_explorer_view, 1),
        (bv.potential_explorer_view, 1),
        (bv.business_case_explorer_view, 1),
    ],
)
def test_views_return_key_figures_and_charts(sample_workbook, view, charts):
    items = view(sample_workbook)
    assert isinstance(items[0], HTML)
    figures = [i for i in items if isinstance(i, Figure)]
    assert len(figures) == charts


def test_a_changed_assumption_shows(sample_workbook):
    low = bv.compute_business_case(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.01))
    high = bv.compute_business_case(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.08))
    assert high["base"].roi > low["base"].roi
    cheap = bv.compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.12))
    dear = bv.compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.04))
    # a lower ratio raises the threshold, so more customers fall below it
    assert dear["classified"]["below_threshold"].sum() > cheap["classified"]["below_threshold"].sum()


def test_charts_render_as_png(sample_workbook):
    items = bv.business_case_explorer_view(sample_workbook)
    png = items[1]._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_chart_name():
    with pytest.raises(ValueError):
        bv._select(["pie"], {"bar": lambda: None})
