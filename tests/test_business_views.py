import pytest
from IPython.display import HTML
from matplotlib.figure import Figure

from smartacct_helpers.delivery.client_exports import export_customer_potential, export_field_visit_economics
from smartacct_helpers.field_visits.views import (
    VISIT_COST_SLIDERS,
    below_threshold,
    compute_visit_cost,
    distance,
    visit_cost_explorer_view,
    visit_cost_view,
)
from smartacct_helpers.inside_sales.views import (
    BUSINESS_CASE_SLIDERS,
    business_case_explorer_view,
    business_case_view,
    compute_business_case,
)
from smartacct_helpers.potential.views import (
    POTENTIAL_SLIDERS,
    both_methods,
    develop_or_small,
    industry_method_example,
    industry_values,
    margin_in_potential,
    potential_explorer_view,
    potential_methods,
    potential_per_industry,
    potential_per_segment,
    potential_view,
)
from smartacct_helpers.presentation.blocks import _select
from smartacct_helpers.presentation.widgets import SLIDERS
from smartacct_helpers.small_customers.analysis import classify


def test_the_notebooks_sliders_all_have_a_spec():
    known = set(SLIDERS)
    for names in (VISIT_COST_SLIDERS, POTENTIAL_SLIDERS, BUSINESS_CASE_SLIDERS):
        assert set(names) <= known, set(names) - known


@pytest.mark.parametrize(
    "view, charts",
    [
        (visit_cost_view, 3),
        (potential_view, 2),
        (business_case_view, 4),
        (visit_cost_explorer_view, 1),
        (potential_explorer_view, 1),
        (business_case_explorer_view, 1),
    ],
)
def test_views_return_key_figures_and_charts(sample_workbook, view, charts):
    items = view(sample_workbook)
    assert isinstance(items[0], HTML)
    figures = [i for i in items if isinstance(i, Figure)]
    assert len(figures) == charts


def test_a_changed_assumption_shows(sample_workbook):
    low = compute_business_case(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.01))
    high = compute_business_case(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.08))
    assert high["base"].roi > low["base"].roi
    cheap = compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.12))
    dear = compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.04))
    # a lower ratio raises the threshold, so more customers fall below it
    assert dear["classified"]["below_threshold"].sum() > cheap["classified"]["below_threshold"].sum()


def test_charts_render_as_png(sample_workbook):
    items = business_case_explorer_view(sample_workbook)
    png = items[1]._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_chart_name():
    with pytest.raises(ValueError):
        _select(["pie"], {"bar": lambda: None})


# -- the sections of notebooks 02 and 03 ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from tests.tiny import tiny_workbook

    return tiny_workbook(tmp_path_factory.mktemp("tiny"))


@pytest.mark.parametrize("notebook", ["02", "03"])
def test_every_section_shows_something_on_the_sample(sample_workbook, notebook):
    from smartacct_helpers.presentation.sections import SECTIONS, Needs

    for function in SECTIONS[notebook]:
        items = function(sample_workbook)
        assert items and not any(isinstance(i, Needs) for i in items), function.__name__


def test_below_the_threshold_by_hand(tiny):
    # below 8,593.75: customer 1 (3,000) and 2 (-200, counting as 0): 3,000 of 12,000 (3,000 + 0 + 9,000) = 25 %
    items = below_threshold(tiny)
    text = items[0].data
    assert "**2 of 3 customers** (66.7 %)" in text and "3,000 EUR" in text and "25.0 % of the revenue" in text
    assert items[2].data.loc["all", "revenue_below"] == 3_000
    cards = visit_cost_view(tiny)[0].data
    assert "3,000 EUR" in cards


def test_without_distances_the_section_says_what_it_needs(tiny, tmp_path):
    import pandas as pd

    from smartacct_helpers.presentation.sections import Needs

    items = distance(tiny)
    assert len(items) == 1 and isinstance(items[0], Needs) and "distance_km" in str(items[0])
    export_field_visit_economics(tiny, tmp_path)
    written = pd.read_csv(tmp_path / "field_visit_economics.csv")
    # no distance: no column of a visit cost by distance, which would only repeat the flat one
    assert not [c for c in written.columns if "distance" in c]


def test_the_distance_section_on_the_sample(sample_workbook):
    from smartacct_helpers.field_visits.analysis import customers_by_distance, distance_changes

    n = distance_changes(customers_by_distance(classify(sample_workbook), sample_workbook.assumptions))
    items = distance(sample_workbook)
    assert f"**{n['by_distance']:,} customers**".replace(",", ".") in items[0].data  # the sample writes 1.234
    assert isinstance(items[1], Figure)


def test_without_any_known_potential_the_potential_sections_say_what_they_need(tiny):
    from smartacct_helpers.presentation.sections import Needs

    for function in (
        industry_values,
        potential_methods,
        both_methods,
        potential_per_segment,
        potential_per_industry,
        margin_in_potential,
        develop_or_small,
        potential_explorer_view,
    ):
        items = function(tiny)
        assert len(items) == 1 and isinstance(items[0], Needs), function.__name__
    # the article's example needs no data
    assert not isinstance(industry_method_example(tiny)[0], Needs)


def test_a_partly_known_potential_is_said_and_summed_over_the_known(sample_workbook):
    # the sample with 13 months of orders: customers of a listed industry with a head count keep their potential
    from smartacct_helpers.facts.workbook import Workbook
    from tests.degradation import _short_history

    params, tables = _short_history(sample_workbook.params, sample_workbook.tables, 13)
    wb = Workbook.from_tables(params, tables)
    df = classify(wb)
    known = df["potential"].notna()
    assert 0 < known.sum() < len(df)
    items = potential_methods(wb)
    assert f"{(~known).sum():,} of {len(df):,} customers" in items[0].data
    table = items[-1].data
    assert table.loc["unknown", "customers"] == (~known).sum()
    assert table["potential"].sum() == pytest.approx(df.loc[known, "potential"].sum())
    html = "".join(i.to_html() for i in potential_per_segment(wb) if hasattr(i, "to_html"))
    assert "nan" not in html.lower()


def test_the_per_industry_table_keeps_every_customer(sample_workbook):
    table = potential_per_industry(sample_workbook)[-1].data
    assert table["customers"].sum() == len(classify(sample_workbook))


def test_the_exports_of_02_and_03(sample_workbook, tmp_path):
    export_field_visit_economics(sample_workbook, tmp_path)
    export_customer_potential(sample_workbook, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "field_visit_economics.csv",
        "field_visit_economics.xlsx",
        "customer_potential.csv",
        "customer_potential.xlsx",
    }
