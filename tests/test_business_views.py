import pytest
from matplotlib.figure import Figure

from smartacct_helpers.delivery.client_exports import export_customer_potential, export_field_visit_economics
from smartacct_helpers.field_visits.views import below_threshold, compute_visit_cost, distance
from smartacct_helpers.inside_sales.views import business_case_of, cash_curve_section
from smartacct_helpers.potential.views import (
    both_methods,
    develop_or_small,
    industry_method_example,
    industry_values,
    margin_in_potential,
    potential_methods,
    potential_per_industry,
    potential_per_segment,
)
from smartacct_helpers.small_customers.analysis import classify


def test_a_changed_assumption_shows(sample_workbook):
    # the base case that notebook 04's ROI section shows: more uplift on the gap, more benefit for the same cost
    low = business_case_of(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.01))
    high = business_case_of(sample_workbook.with_assumptions(revenue_uplift_on_gap=0.08))
    assert high.base.roi > low.base.roi
    cheap = compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.12))
    dear = compute_visit_cost(sample_workbook.with_assumptions(max_sales_cost_ratio=0.04))
    # a lower ratio raises the threshold, so more customers fall below it
    assert dear["classified"]["below_threshold"].sum() > cheap["classified"]["below_threshold"].sum()


def test_charts_render_as_png(sample_workbook):
    [chart] = cash_curve_section(sample_workbook)
    png = chart._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


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
