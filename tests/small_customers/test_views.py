"""The sections of notebook 01 (who the small customers are), on the sample and on the tiny supplier of tests/tiny.py."""

import matplotlib
import pytest
from IPython.display import Markdown
from matplotlib.figure import Figure

from smartacct_helpers.delivery.client_exports import export_customer_segments
from smartacct_helpers.presentation.blocks import readable
from smartacct_helpers.presentation.sections import SECTIONS, Needs
from smartacct_helpers.small_customers.analysis import classify
from smartacct_helpers.small_customers.views import (
    abc_analysis,
    abc_on_margin,
    c_groups,
    crm_and_erp_rules,
    sales_threshold,
    segments,
    smart_account_list,
)
from tests.tiny import tiny_workbook

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_workbook(tmp_path_factory.mktemp("tiny"))


def _text(items) -> str:
    return " ".join(i.data if isinstance(i, Markdown) else str(i) for i in items)


def test_every_section_of_01_shows_something_on_the_sample(sample_workbook):
    for function in SECTIONS["01"]:
        items = function(sample_workbook)
        assert items and not any(isinstance(i, Needs) for i in items), function.__name__


def test_the_abc_analysis_by_hand(tiny):
    # 9,000 (3) and 3,000 (1) of 12,000: 3 has none before it, 1 has .75 before it: both A; 2 (-200) is D
    items = abc_analysis(tiny)
    assert isinstance(items[0], Figure)
    table = items[1].data
    assert table["customers"].tolist() == [2, 0, 0, 1]
    assert table.loc["A", "revenue_12m"] == 12_000


def test_orders_only_say_what_they_need(tiny):
    assert isinstance(abc_on_margin(tiny)[0], Needs)  # no contribution margin
    needs = crm_and_erp_rules(tiny)  # no CRM activities
    assert len(needs) == 1 and "activities file" in str(needs[0])
    needs = c_groups(tiny)  # two A customers and a D: no C customer
    assert len(needs) == 1 and isinstance(needs[0], Needs)


def test_the_erp_rule_and_the_threshold(tiny):
    # 8,593.75 EUR: customer 1 (3,000) and 2 (-200) are below it; 3 (9,000) is not
    text = _text(sales_threshold(tiny))
    assert "**8,593.75 EUR**" in text and "**2 of 3 customers**" in text


def test_segments_say_why_a_customer_cannot_be_develop(tiny):
    items = segments(tiny)
    # 13 months and no industry: no customer's potential is known; 1 and 2 are small customers to manage
    assert "3 of 3 customers" in _text(items[:1]) and "13 months" in _text(items[:1])
    table = items[-1].data
    assert table["customers"].tolist() == [1, 0, 2, 0]  # field, develop, small, lapsed


def test_smart_accounts_need_the_years_of_their_trend(tiny):
    items = smart_account_list(tiny)
    assert len(items) == 1 and isinstance(items[0], Needs)
    assert "the orders span 13 months" in str(items[0])


def test_the_smart_account_list_on_the_sample(sample_workbook):
    df = classify(sample_workbook)
    items = smart_account_list(sample_workbook)
    smart = df[df["smart_account"]]
    assert f"**{len(smart):,} smart accounts**".replace(",", ".") in items[0].data  # the sample writes 1.234
    shown = items[1].data
    assert len(shown) == min(15, len(smart))
    assert shown["revenue_trend"].is_monotonic_decreasing
    assert "nan" not in items[1].to_html()


def test_readable_leaves_out_empty_text_columns():
    import pandas as pd

    df = pd.DataFrame(
        {
            "customer_id": ["1", "2"],
            "industry": [None, " "],
            "region": ["north", None],
            "revenue_12m": [1.0, float("nan")],
        }
    )
    out = readable(df)
    assert list(out.columns) == ["customer_id", "region", "revenue_12m"]
    assert out["region"].tolist() == ["north", "–"]


def test_the_customer_list_has_the_columns_the_data_has(tiny, tmp_path):
    import pandas as pd

    items = export_customer_segments(tiny, tmp_path)
    assert "customer_segments.csv" in items[0].data
    written = pd.read_csv(tmp_path / "customer_segments.csv", dtype={"customer_id": str})
    assert written["customer_id"].tolist() == ["1", "2", "3"]
    assert "industry" not in written and "potential" in written
    assert written["potential"].isna().all()  # unknown, not 0 and not the revenue
