"""The data overview and findings of notebook 00, counted where the workbook holds its data."""

import pandas as pd

from smartacct_helpers.data_overview.findings import data_overview, data_quality
from smartacct_helpers.facts.quality import activities_count
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.params import load_params


def test_the_overview_counts_the_activities_without_reading_the_file_again(own_sample):
    params = load_params(own_sample)
    path = params.path(params.data.activities)
    rows = len(pd.read_csv(path, dtype=str))  # every activity of the small sample belongs to a known customer
    wb = Workbook.open(own_sample)
    path.write_bytes(b"replaced after the workbook was opened")  # reading it again would fail
    overview = data_overview(wb)["value"]
    assert activities_count(wb) == rows
    # the small sample is written with the German number format: 2.315, 31.12.2025
    assert overview["CRM activities"] == f"{rows:,}".replace(",", ".")
    assert overview["reference date"] == wb.reference_date.strftime("%d.%m.%Y")
    findings = data_quality(wb)["finding"].tolist()
    assert "customers never contacted in the CRM" in findings
    assert "customers without CRM data" not in findings


def test_without_activities_the_findings_say_so(own_sample):
    wb = Workbook.open(own_sample, {"data": {"activities": None}})
    assert activities_count(wb) is None
    assert data_overview(wb)["value"]["CRM activities"] == "no activities file"
    quality = data_quality(wb).set_index("finding")
    assert quality.loc["customers without CRM data", "share"] == 1.0  # all 400 customers
    assert quality.loc["customers without CRM data", "count"] == 400
