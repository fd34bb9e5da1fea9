"""The worked example of the sales threshold is written in the client's number format."""

from __future__ import annotations

from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.field_visits.views import sales_threshold


def test_the_defaults_example_under_de_and_en(small_sample):
    # by hand, at the defaults: 110,000 / (200 days x 4 visits = 800) = 137.50 per visit;
    # x 5 visits = 687.50 a year; / 8 % = 8,593.75 revenue a year
    german = sales_threshold(Workbook.open(small_sample, {"number_format": "de"}))[0].data
    assert german == (
        "With the defaults: 110.000 € / 800 visits (200 working days x 4 visits; smartacct defaults, to be "
        "replaced by the client's own figures) = 137,50 € per visit; x 5 visits (the article's 4 to 6) = "
        "687,50 € a year; / 8 % (the article's limit) = 8.593,75 € revenue a year."
    )
    english = sales_threshold(Workbook.open(small_sample, {"number_format": "en"}))[0].data
    assert "110,000 EUR / 800 visits" in english and "= 8,593.75 EUR revenue a year." in english
