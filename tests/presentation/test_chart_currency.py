"""Every chart writes its currency as the tables do: the symbol under ``de``, the code under ``en``."""

from __future__ import annotations

import matplotlib.text
import pandas as pd
import pytest

from smartacct_helpers.data_overview.charts import revenue_by_year_chart
from smartacct_helpers.delivery.dashboard_charts import line_chart
from smartacct_helpers.field_visits.charts import threshold_heatmap
from smartacct_helpers.key_accounts.charts import value_by_period_chart
from smartacct_helpers.presentation.formatting import Numbers

# (number format, what a currency label must say, what it must not say)
STYLES = [("de", "€", "EUR"), ("en", "EUR", "€")]


def _words(fig) -> str:
    """Every text a drawn matplotlib chart shows: titles, axis labels, tick labels, notes."""
    fig.canvas.draw()
    return " | ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize(("style", "sign", "other"), STYLES)
def test_money_axis_and_titles_follow_the_number_format(style, sign, other):
    by_year = pd.DataFrame({"revenue": [2_000_000.0, 2_500_000.0]}, index=[2024, 2025])
    axis = _words(revenue_by_year_chart(by_year, "EUR", style))
    # the y axis runs to 2.5M: its ticks are written "2,5M €" (de) or "2.5M EUR" (en)
    assert f"M {sign}" in axis and other not in axis

    grid = pd.DataFrame([[8_593.75, 6_875.0], [10_312.5, 8_250.0]], index=[5, 6], columns=[0.08, 0.10])
    heat = _words(threshold_heatmap(grid, currency="EUR", style=style))
    assert f"Sales threshold ({sign})" in heat and other not in heat

    periods = pd.DataFrame(
        {"customer_id": ["a", "a"], "name": ["A AG", "A AG"], "period": ["Q1", "Q2"], "operating_profit": [5.0, -2.0]}
    )
    value = _words(value_by_period_chart(periods, "EUR", style=style))
    assert f"per period ({sign})" in value and other not in value


@pytest.mark.parametrize(("style", "sign", "other"), STYLES)
def test_dashboard_line_chart_names_the_currency_as_the_cards_do(style, sign, other):
    svg = line_chart({"team": [-1_000.0, 500.0, 2_000.0]}, {"team": "#123456"}, Numbers("EUR", style))
    assert f">{sign}</text>" in svg
    assert other not in svg


def test_payback_horizon_is_the_one_constant(monkeypatch):
    import numpy as np

    from smartacct_helpers import assumptions
    from smartacct_helpers.inside_sales import charts, figures

    assert figures.PAYBACK_CHANCE_MONTHS is assumptions.PAYBACK_CHANCE_MONTHS
    described = assumptions.Assumptions.model_fields["go_min_probability_payback"].description
    assert f"within {figures.PAYBACK_CHANCE_MONTHS} months" in described
    # another horizon changes the chart's words: nothing there is written as a literal 24
    monkeypatch.setattr(charts, "PAYBACK_CHANCE_MONTHS", 36)
    fig = charts.monte_carlo_chart(np.array([-0.2, 0.1, 0.4, 0.9]), 0.25, 0.75, "de")
    words = _words(fig)
    assert "chance of paying back within 36 months: 75 %" in words
    assert "24 months" not in words + fig.alt_text()
    assert "within 36 months in 75 %" in fig.alt_text()
