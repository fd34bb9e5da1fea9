"""Notebook 08's sections: registered, in the report after 07, and saying what they need."""

import pandas as pd

from smartacct_helpers.delivery.report import report_notebooks
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.tables import Tables
from smartacct_helpers.introduction import views
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.sections import SECTIONS, Needs


def test_every_section_of_notebook_08_is_registered_in_order():
    names = [f.__name__ for f in SECTIONS["08"]]
    assert names == [
        "proposal_section",
        "success_factors_section",
        "internal_external_section",
        "pilot_design_section",
        "pilot_groups_section",
    ]


def test_the_report_runs_notebook_08_last():
    names = [p.name for p in report_notebooks()]
    assert names[-1] == "08_introduction_plan.ipynb"
    assert names == sorted(names) and names[-2].startswith("07_")


def _only_large_customers() -> Workbook:
    # two customers far above the sales threshold of 8,593.75: nobody is to manage
    orders = pd.DataFrame(
        {
            "customer_id": ["1", "2"],
            "date": pd.to_datetime(["2025-06-01", "2025-07-01"]),
            "revenue": [50_000.0, 40_000.0],
        }
    )
    customers = pd.DataFrame({"customer_id": ["1", "2"]})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    return Workbook.from_tables(p, Tables(orders=orders, customers=customers, customers_from_orders=True))


def test_without_customers_to_manage_the_sections_say_what_they_need(tmp_path):
    wb = _only_large_customers()
    for section in (views.proposal_section, views.internal_external_section, views.pilot_design_section):
        items = section(wb)
        assert len(items) == 1 and isinstance(items[0], Needs), section.__name__
        assert "customers to manage" in str(items[0])
    factors = views.success_factor_table(wb)
    assert len(factors) == 7
    assert factors.loc["3. the ROI before the start", "status"] == "not applicable"
    assert "Nothing to write" in views.write_pilot_groups(wb, tmp_path)[0].data
    assert not (tmp_path / views.PILOT_FILE).exists()
