import pytest

from smartacct_helpers.costing import field_economics, management_cost_per_customer, sales_threshold, visit_cost
from smartacct_helpers.params import Assumptions


def test_article_example():
    # 110,000 EUR / (200 days x 4 visits) = 110,000 / 800 = 137.50 EUR per visit
    assert visit_cost(110_000, 200, 4) == pytest.approx(137.50)
    # 137.50 x 5 visits = 687.50 EUR per customer and year
    assert management_cost_per_customer(137.50, 5) == pytest.approx(687.50)
    # 687.50 / 0.08 = 8,593.75 EUR revenue per year
    assert sales_threshold(687.50, 0.08) == pytest.approx(8_593.75)


def test_defaults_reproduce_the_article():
    econ = field_economics(Assumptions())
    assert (econ.visit_cost, econ.management_cost_per_customer, econ.sales_threshold) == pytest.approx(
        (137.50, 687.50, 8_593.75)
    )


@pytest.mark.parametrize(
    "visits, ratio, expected",
    [
        (4, 0.08, 6_875.00),  # 137.50 x 4 = 550 / 0.08
        (6, 0.08, 10_312.50),  # 137.50 x 6 = 825 / 0.08
        (5, 0.10, 6_875.00),  # 687.50 / 0.10
        (5, 0.04, 17_187.50),  # 687.50 / 0.04
    ],
)
def test_threshold_sensitivity(visits, ratio, expected):
    a = Assumptions(visits_per_customer_year=visits, max_sales_cost_ratio=ratio)
    assert field_economics(a).sales_threshold == pytest.approx(expected)


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        visit_cost(100_000, 0, 4)
    with pytest.raises(ValueError):
        sales_threshold(687.5, 0)
