"""The section "Since the last report" and summary.json's changes block."""

import json

import pandas as pd
import pytest

from smartacct_helpers.delivery.changes_section import FIRST_TIME, changes_html
from smartacct_helpers.delivery.report import build_report
from smartacct_helpers.delivery.since_last_report import (
    HEADLINES,
    figure_changes,
    history,
    key_account_moves,
    warning_moves,
)
from smartacct_helpers.presentation.formatting import Numbers


def test_figures_compare_only_where_both_reports_hold_a_number():
    before = {"customers_to_manage": 4320, "revenue_12m": 1000.0, "churn_rate_12m": None, "hhi": 0.05}
    now = {"customers_to_manage": 4301, "revenue_12m": 1250.5, "churn_rate_12m": 0.02}
    changes = {c["figure"]: c for c in figure_changes(before, now)}
    # 4301 - 4320 = -19; 1250.5 - 1000 = 250.5; churn was null before, hhi is gone now: neither compared
    assert changes == {
        "customers_to_manage": {"figure": "customers_to_manage", "previous": 4320, "value": 4301, "change": -19},
        "revenue_12m": {"figure": "revenue_12m", "previous": 1000.0, "value": 1250.5, "change": 250.5},
    }


def test_warnings_are_new_still_open_resolved_or_dropped():
    before = pd.DataFrame({"customer_id": ["1", "2", "3"]})
    now = pd.DataFrame({"customer_id": ["2", "4"]})
    # customer 1 ordered after the last report (30 Nov), customer 3 did not
    last_orders = pd.Series({"1": "2025-12-12", "2": "2025-06-01", "3": "2025-09-30", "4": "2025-08-01"})
    moves = warning_moves(before, now, last_orders, "2025-11-30")
    assert {k: v["customer_id"].tolist() for k, v in moves.items()} == {
        "new": ["4"],
        "still open": ["2"],
        "resolved": ["1"],
        "dropped": ["3"],
    }


def test_key_accounts_move_beyond_a_point_of_share_a_class_or_a_fifth_of_profit():
    before = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "revenue_share": [0.100, 0.050, 0.040, 0.030, 0.020],
            "class": ["key account"] * 5,
            "operating_profit_12m": [100.0, 100.0, 100.0, 100.0, 100.0],
        }
    )
    now = before.assign(
        # a: +1.5 points (moved); b: +0.5 points (not); e: exactly one point less (moved)
        revenue_share=[0.115, 0.055, 0.040, 0.030, 0.010],
        # c: a new class
        **{"class": ["key account", "key account", "large account", "key account", "key account"]},
        # d: 100 -> 79 is -21 % (moved); b: 100 -> 81 is -19 % (not)
        operating_profit_12m=[100.0, 81.0, 100.0, 79.0, 100.0],
    )
    moved = key_account_moves(before, now).set_index("customer_id")["what_moved"].to_dict()
    assert moved == {
        "a": "share of revenue",
        "c": "scorecard class",
        "d": "operating profit",
        "e": "share of revenue",
    }


def test_without_an_earlier_report_the_section_says_it_starts_next_time():
    page = changes_html(None, "2025-12-31", {})
    assert "Since the last report" in page and FIRST_TIME in page


@pytest.fixture(scope="module")
def two_months(small_sample, two_notebooks, tmp_path_factory):
    """Two reports of the small sample, at the end of November and of December 2025."""
    out = tmp_path_factory.mktemp("monthly")
    november = build_report(small_sample, out, two_notebooks, overrides={"reference_date": "2025-11-30"})
    december = build_report(small_sample, out, two_notebooks, overrides={"reference_date": "2025-12-30"})
    return november, december


def _summary(folder):
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_the_second_report_compares_with_the_first(two_months, small_sample):
    november, december = two_months
    first, second = _summary(november), _summary(december)
    assert first["previous_reference_date"] is None and first["changes"] == []
    assert second["previous_reference_date"] == "2025-11-30"
    # the change of every headline figure is the difference of the two stored figures
    changes = {c["figure"]: c for c in second["changes"]}
    for key in ("customers_total", "revenue_12m", "customers_to_manage", "revenue_to_manage_12m"):
        assert changes[key]["previous"] == pytest.approx(first[key], abs=1e-6)
        assert changes[key]["value"] == pytest.approx(second[key], abs=1e-6)
        assert changes[key]["change"] == pytest.approx(second[key] - first[key], abs=1e-6)

    # the revenue of the 12 months up to each date, summed from the invoice lines themselves
    params = small_sample.parent
    lines = pd.read_parquet(params / "orders.parquet")
    day = pd.to_datetime(lines["Rechnungsdatum"])
    revenue = {
        end: lines.loc[(day > pd.Timestamp(end) - pd.DateOffset(years=1)) & (day <= end), "Umsatz"].sum()
        for end in ("2025-11-30", "2025-12-30")
    }
    assert first["revenue_12m"] == pytest.approx(revenue["2025-11-30"], abs=0.01)
    assert changes["revenue_12m"]["change"] == pytest.approx(revenue["2025-12-30"] - revenue["2025-11-30"], abs=0.01)


def test_the_section_lists_the_class_moves_and_the_warnings(two_months):
    november, december = two_months
    page = (december / "report.html").read_text(encoding="utf-8")
    assert "Since the last report" in page and "Compared with the report of 30 Nov 2025." in page
    # the class moves, counted from the two reports' customer lists
    key = ["customer_id"]
    a = pd.read_csv(november / "exports" / "customer_segments.csv", dtype={"customer_id": str}, encoding="utf-8-sig")
    b = pd.read_csv(december / "exports" / "customer_segments.csv", dtype={"customer_id": str}, encoding="utf-8-sig")
    both = a.merge(b, on=key, suffixes=("_a", "_b"))
    abc_moved = int((both["abc_a"] != both["abc_b"]).sum())
    assert abc_moved > 0
    assert f"{abc_moved:,} changed their ABC class" in page
    # the warnings: new ones are those of December that November did not have
    wa = set(pd.read_csv(november / "exports" / "early_warnings.csv", dtype={"customer_id": str})["customer_id"])
    wb = set(pd.read_csv(december / "exports" / "early_warnings.csv", dtype={"customer_id": str})["customer_id"])
    assert f"{len(wb - wa):,} new, {len(wb & wa):,} still open" in page
    first = (november / "report.html").read_text(encoding="utf-8")
    assert FIRST_TIME in first


def test_the_history_keeps_one_row_per_report(two_months):
    november, december = two_months
    table = history([november], _summary(december))
    assert list(table.index) == ["2025-11-30", "2025-12-30"]
    assert list(table.columns) == list(HEADLINES)
    assert table.loc["2025-11-30", "customers_to_manage"] == _summary(november)["customers_to_manage"]


def test_the_section_in_a_german_report_writes_german_numbers():
    since_page = changes_html(None, "2025-12-31", {}, Numbers("EUR", "de"))
    assert "Since the last report" in since_page


def test_changes_read_with_their_sign_and_unit():
    from smartacct_helpers.delivery.changes_section import _change

    en = Numbers()
    assert _change(-16, "count", en) == "−16"
    assert _change(464_210.4, "money", en) == "+464,210 EUR"
    # a share's change in percentage points: 0.491 - 0.495 = -0.004 -> 0.4 points less
    assert _change(0.491 - 0.495, "share", en) == "−0.4 points"
    # what rounds to nothing reads as no change, with a number where numbers stand
    assert _change(0, "count", en) == "±0" and _change(0.00001, "share", en) == "±0.0 points"
