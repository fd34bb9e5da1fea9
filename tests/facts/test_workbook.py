"""The workbook remembers what a slider does not change, and charts show themselves whole."""

import io

import pandas as pd
import pytest
from PIL import Image

from smartacct_helpers.facts import workbook as workbook_module
from smartacct_helpers.key_accounts.candidates import account_shares_of, product_shares_of
from smartacct_helpers.presentation.charts import Chart
from smartacct_helpers.small_customers import analysis as small_customers
from smartacct_helpers.small_customers.analysis import classify


@pytest.fixture()
def counted(monkeypatch, sample_workbook):
    """A fresh copy of the sample workbook (nothing remembered) and a count of the classifications run."""
    calls = []
    real = small_customers.classify_customers

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(small_customers, "classify_customers", counting)
    wb = workbook_module.Workbook(
        sample_workbook.params,
        sample_workbook.tables,
        sample_workbook.reference_date,
        sample_workbook.customers,
        sample_workbook.yearly,
    )
    return wb, calls


def test_a_business_case_slider_reuses_the_classification(counted):
    wb, calls = counted
    first = classify(wb.with_assumptions(revenue_uplift_on_gap=0.04))
    second = classify(wb.with_assumptions(revenue_uplift_on_gap=0.06))
    assert len(calls) == 1  # the uplift is not read by the classification
    assert first.equals(second)


def test_a_slider_the_classification_reads_recomputes_it(counted):
    wb, calls = counted
    # visit cost 110,000 / (200 days x 4 visits) = 137.50; 5 visits a year = 687.50 per customer;
    # the sales threshold is 687.50 / 0.05 = 13,750 at 5 %, and 687.50 / 0.125 = 5,500 at 12.5 %
    low = classify(wb.with_assumptions(max_sales_cost_ratio=0.05))
    high = classify(wb.with_assumptions(max_sales_cost_ratio=0.125))
    assert len(calls) == 2
    revenue = wb.customers["revenue_12m"]
    assert low["below_threshold"].sum() == (revenue < 13_750).sum()
    assert high["below_threshold"].sum() == (revenue < 5_500).sum()
    # moving back to 5 % answers from memory, with the same figures
    again = classify(wb.with_assumptions(max_sales_cost_ratio=0.05))
    assert len(calls) == 2 and again.equals(low)


def test_the_account_shares_follow_the_classification_and_the_key_account_rule_only(counted):
    wb, calls = counted
    shares = account_shares_of(wb.with_assumptions(churn_reduction=0.2))
    account_shares_of(wb.with_assumptions(churn_reduction=0.4))  # the business case's churn reads neither
    assert len(calls) == 1 and len(wb._memo["account_shares"]) == 1
    # a rule of 0.2 % of revenue, margin or one product group's revenue: every customer above it is a candidate,
    # beside the top 20
    wider = account_shares_of(wb.with_assumptions(key_account_min_share=0.002))
    assert len(wb._memo["account_shares"]) == 2
    assert wider["key_account"].sum() > shares["key_account"].sum()
    in_a_group = wider["customer_id"].isin(set(product_shares_of(wb).query("product_group_share >= 0.002").customer_id))
    assert (
        wider["key_account"].sum()
        == (
            (wider["revenue_share"] >= 0.002)
            | (wider["margin_share"] >= 0.002)
            | in_a_group
            | (wider["revenue_rank"] <= 20)
        ).sum()
    )
    # the revenue share is revenue_12m over the positive revenue total (clipped at 0)
    revenue = wb.customers["revenue_12m"].clip(lower=0)
    assert shares["revenue_share"].sum() == pytest.approx(1.0)
    assert shares.loc[0, "revenue_share"] == pytest.approx(revenue.iloc[0] / revenue.sum())
    # a slider the classification reads computes both again
    account_shares_of(wb.with_assumptions(max_sales_cost_ratio=0.05))
    assert len(calls) == 2 and len(wb._memo["account_shares"]) == 3


def test_changing_a_result_leaves_the_remembered_one_alone(counted):
    wb, _ = counted
    first = classify(wb)
    first["segment"] = "changed"
    first.loc[0, "revenue_12m"] = -1.0
    second = classify(wb)
    assert (second["segment"] != "changed").all()
    assert second.loc[0, "revenue_12m"] == wb.customers.loc[0, "revenue_12m"]


def test_only_the_last_results_are_kept(counted):
    wb, calls = counted
    for k in range(workbook_module.REMEMBERED + 3):
        classify(wb.with_assumptions(max_sales_cost_ratio=0.05 + k / 1000))
    assert len(wb._memo["classify"]) == workbook_module.REMEMBERED
    classify(wb.with_assumptions(max_sales_cost_ratio=0.05))  # the oldest was dropped: computed again
    assert len(calls) == workbook_module.REMEMBERED + 4


def _png_size(fig) -> tuple[int, int]:
    return Image.open(io.BytesIO(fig._repr_png_())).size


def test_a_chart_that_fits_is_shown_at_its_size():
    fig = Chart(figsize=(4, 2), dpi=100)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    fig.tight_layout()
    assert _png_size(fig) == (400, 200)  # 4 x 2 inches at 100 dpi


def test_a_chart_reaching_over_its_edge_is_not_cut_off():
    fig = Chart(figsize=(4, 2), dpi=100)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    fig.tight_layout()
    ax.text(1.2, 0.5, "a long label right of the figure", transform=ax.transAxes)
    width, _ = _png_size(fig)
    assert width > 400  # cropped to everything drawn, which reaches past the right edge


def test_the_workbook_on_an_earlier_day_is_the_one_read_with_that_reference_date(sample_workbook):
    import datetime as dt

    day = dt.date(2024, 12, 31)
    params = sample_workbook.params.model_copy(deep=True)
    params.reference_date = day
    read_again = workbook_module.Workbook.from_tables(params, sample_workbook.tables)
    earlier = sample_workbook.on(day)
    assert earlier.reference_date == day
    # the same facts; sums may differ in the last digits, which the order of adding up decides
    pd.testing.assert_frame_equal(earlier.customers, read_again.customers, check_exact=False, rtol=1e-12)
    # the window moved: nothing after the day counts, so no customer's last order lies after it
    assert (earlier.customers["last_order"].dropna() <= "2024-12-31").all()
    assert not earlier.customers["revenue_12m"].equals(sample_workbook.customers["revenue_12m"])


def _damage(params_file):
    """Replace the invoice lines and activities by bytes no reader takes: anything that reads them again fails."""
    from smartacct_helpers.params import load_params

    params = load_params(params_file)
    for name in (params.data.orders, params.data.activities):
        params.path(name).write_bytes(b"this is no longer an export")


def test_a_snapshot_opens_as_the_workbook_it_kept(own_sample, tmp_path):
    import json

    from smartacct_helpers.delivery.summary import key_figures
    from smartacct_helpers.exceptions import InputDataError
    from smartacct_helpers.key_accounts.analysis import key_account_value_analysis
    from smartacct_helpers.params import load_params

    kept = workbook_module.Workbook.open(own_sample)
    assert kept.save_snapshot(tmp_path / "snapshot") == tmp_path / "snapshot"
    figures = json.dumps(key_figures(kept), sort_keys=True, default=str)
    value = key_account_value_analysis(kept)
    assert value["visits"].sum() > 0
    _damage(own_sample)
    with pytest.raises(InputDataError):  # the files can no longer be read ...
        workbook_module.Workbook.open(own_sample)
    # ... but the snapshot holds everything the analyses read
    opened = workbook_module.Workbook.from_snapshot(tmp_path / "snapshot", load_params(own_sample))
    assert opened.reference_date == kept.reference_date
    pd.testing.assert_frame_equal(opened.customers, kept.customers)
    pd.testing.assert_frame_equal(opened.yearly, kept.yearly)
    pd.testing.assert_frame_equal(opened.tables.customers, kept.tables.customers)
    key = ["customer_id", "order_id", "date", "channel"]
    pd.testing.assert_frame_equal(
        opened.order_totals.order_by(key).to_pandas(), kept.order_totals.order_by(key).to_pandas()
    )
    assert json.dumps(key_figures(opened), sort_keys=True, default=str) == figures
    # the activities come from the snapshot too (the key accounts' visits and calls per quarter)
    pd.testing.assert_frame_equal(key_account_value_analysis(opened), value)


def test_open_reads_the_snapshot_the_environment_names(own_sample, tmp_path, monkeypatch):
    workbook_module.Workbook.open(own_sample).save_snapshot(tmp_path / "snapshot")
    _damage(own_sample)
    monkeypatch.setenv(workbook_module.SNAPSHOT, str(tmp_path / "snapshot"))
    wb = workbook_module.Workbook.open(own_sample)
    assert len(wb.customers) == 400  # the small sample's customers, from the snapshot


def test_a_snapshot_of_other_params_is_left_alone(own_sample, tmp_path, monkeypatch):
    from smartacct_helpers.params import load_params

    workbook_module.Workbook.open(own_sample).save_snapshot(tmp_path / "snapshot")
    other = load_params(own_sample, {"assumptions": {"working_days": 210}})
    assert workbook_module.Workbook.from_snapshot(tmp_path / "snapshot", other) is None
    assert workbook_module.Workbook.from_snapshot(tmp_path / "nothing kept here", other) is None
    # open reads the files for other params: the damage shows
    monkeypatch.setenv(workbook_module.SNAPSHOT, str(tmp_path / "snapshot"))
    wb = workbook_module.Workbook.open(own_sample, {"assumptions": {"working_days": 210}})
    assert wb.assumptions.working_days == 210
    _damage(own_sample)
    from smartacct_helpers.exceptions import InputDataError

    with pytest.raises(InputDataError):
        workbook_module.Workbook.open(own_sample, {"assumptions": {"working_days": 210}})


def test_the_package_offers_the_workbook_and_imports_it_only_when_asked():
    import subprocess
    import sys

    code = (
        "import sys, smartacct_helpers\n"
        "before = 'pandas' in sys.modules\n"
        "from smartacct_helpers import Workbook\n"
        "from smartacct_helpers.facts.workbook import Workbook as Kept\n"
        "print(before, Workbook is Kept, 'Workbook' in smartacct_helpers.__all__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True"]


def test_the_facts_before_the_programme_start_are_read_with_the_others_and_equal_those_computed_alone(
    sample_workbook, monkeypatch
):
    from smartacct_helpers.facts.customer_facts import customer_facts

    wb = sample_workbook
    day = workbook_module.day_before_programme(wb.reference_date, wb.assumptions.programme_start)
    years = max(wb.assumptions.trend_years, 2)
    alone = customer_facts(wb.order_totals, wb.tables.customers, wb.activities, day, years)

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the facts were computed again")

    monkeypatch.setattr(workbook_module, "customer_facts", no_second_pass)
    earlier = wb.on(day)  # the year-one review's classification at the programme start
    pd.testing.assert_frame_equal(earlier.customers, alone)
    assert earlier.reference_date == day


def test_a_snapshot_keeps_the_line_counts_and_the_facts_before_the_programme_start(own_sample, tmp_path, monkeypatch):
    from smartacct_helpers.facts import quality
    from smartacct_helpers.params import load_params

    kept = workbook_module.Workbook.open(own_sample)
    counts = kept.line_counts()  # what a report's key figures count before its notebooks run
    day = workbook_module.day_before_programme(kept.reference_date, kept.assumptions.programme_start)
    before = kept.on(day).customers
    kept.save_snapshot(tmp_path / "snapshot")

    def counted_again(*args, **kwargs):
        raise AssertionError("counted again")

    monkeypatch.setattr(quality, "line_counts", counted_again)
    monkeypatch.setattr(workbook_module, "customer_facts", counted_again)
    opened = workbook_module.Workbook.from_snapshot(tmp_path / "snapshot", load_params(own_sample))
    assert opened.line_counts() == counts and counts["lines"] > 0
    pd.testing.assert_frame_equal(opened.on(day).customers, before)
