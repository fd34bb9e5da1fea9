"""The sections of notebook 00: the data at a glance, how far back it reaches, revenue per year, findings."""

import matplotlib
import pytest
from IPython.display import Markdown
from matplotlib.figure import Figure

from smartacct_helpers.data_overview import views
from smartacct_helpers.presentation.sections import SECTIONS, Needs
from tests.tiny import tiny_workbook

matplotlib.use("Agg")


def test_every_section_of_00_shows_something_on_the_sample(sample_workbook):
    for function in SECTIONS["00"]:
        items = function(sample_workbook)
        assert items and not any(isinstance(i, Needs) for i in items), function.__name__


def test_thirteen_months_are_said(tmp_path):
    wb = tiny_workbook(tmp_path)
    text = views.history(wb)[0].data
    # 2024-12-05 to 2025-12-01: December 2024 to December 2025, 13 calendar months
    assert "**13 months**" in text and "from 2024-12-05 to 2025-12-01" in text
    assert "historic peak" in text and "revenue trend" in text


def test_revenue_per_year_with_a_partial_first_year(tmp_path):
    wb = tiny_workbook(tmp_path)
    items = views.revenue_by_year(wb)
    assert "2024 holds orders from 2024-12-05 on only" in items[0].data
    assert isinstance(items[1], Figure)
    table = items[2].data
    # 2024: 1,000; 2025: 2,000 + 500 - 700 + 9,000 = 10,800, from three customers
    assert table["revenue"].tolist() == [1_000, 10_800]
    assert table["customers"].tolist() == [1, 3]


def test_one_year_of_data_draws_one_bar(tmp_path):
    orders = "customer_id,date,revenue\n1,2025-01-02,1000\n2,2025-12-20,500\n"
    wb = tiny_workbook(tmp_path, orders)
    items = views.revenue_by_year(wb)
    assert not any(isinstance(i, Markdown) for i in items)  # January to December: no partial year
    chart = next(i for i in items if isinstance(i, Figure))
    assert len(chart.axes[0].patches) == 1
    assert items[-1].data["revenue"].tolist() == [1_500]


def test_the_findings_table(tmp_path):
    wb = tiny_workbook(tmp_path)
    table = views.quality_findings(wb)[0].data
    # one credit-note line of five
    assert table.loc["credit-note lines (negative revenue)", "count"] == 1
    assert table.loc["credit-note lines (negative revenue)", "share"] == pytest.approx(0.2)
