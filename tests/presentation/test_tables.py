"""The one presentation layer of the tables: headers in words with units, values in the client's number format."""

import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.presentation.tables import (
    COLUMNS,
    MAX_COLUMNS,
    Table,
    assumption_value,
    cell,
    header,
    table,
)


def test_headers_carry_words_and_units():
    assert header("revenue_12m", "EUR") == "Revenue, last 12 months (EUR)"
    assert header("revenue_12m", "EUR", "de") == "Revenue, last 12 months (€)"
    assert header("share_of_wallet") == "Share of wallet (%)"
    assert header("distance_km") == "Distance (km)"


def test_values_follow_the_number_format():
    frame = pd.DataFrame(
        {
            "customer_id": ["K1", "K2"],
            "revenue_12m": [1234567.8, float("nan")],
            "share_of_wallet": [0.4567, None],
            "last_order": [pd.Timestamp("2025-12-31"), pd.NaT],
            "smart_account": [True, False],
            "distance_km": [27.700000001, 3.0],
        }
    )
    de = table(frame, "EUR", "de")
    # 1,234,567.8 rounds to 1,234,568 EUR (money without cents); 0.4567 is 45.7 %
    assert de.rows[0] == ["K1", "1.234.568", "45,7", "31.12.2025", "yes", "27,7"]
    assert de.rows[1] == ["K2", "–", "–", "–", "no", "3,0"]
    en = table(frame, "EUR", "en")
    assert en.rows[0] == ["K1", "1,234,568", "45.7", "2025-12-31", "yes", "27.7"]
    assert en.align == ["left", "right", "right", "right", "left", "right"]  # yes/no are words


def test_no_nan_true_or_false_or_float_noise_in_the_html():
    frame = pd.DataFrame({"overdue": [True, None], "lift": [1.23456789, float("nan")]})
    text = table(frame).to_html()
    for raw in (">nan<", ">None<", ">True<", ">False<", ">NaT<", "1.234567"):
        assert raw not in text
    assert ">yes<" in text and ">1.23<" in text and ">–<" in text


def test_code_names_become_words():
    assert cell("plumbers_heating", COLUMNS["industry"]) == "plumbers, heating"
    assert cell("field", COLUMNS["segment"]) == "field sales"
    assert cell("online, retail", COLUMNS["conflict_channels"]) == "web shop, retailer"


def test_row_numbers_are_left_out_and_a_named_index_is_the_first_column():
    numbered = table(pd.DataFrame({"customers": [3, 4]}))
    assert numbered.headers == ["Customers"]
    named = table(pd.DataFrame({"customers": [3, 4]}, index=pd.Index(["A", "B"], name="abc")))
    assert named.headers == ["ABC class", "Customers"]
    assert named.rows == [["A", "3"], ["B", "4"]]
    assert "<th" in named.to_html() and named.to_html().count("<tr>") == 3  # one header row, two rows


def test_a_cross_table_takes_the_kind_of_its_cells():
    cross = pd.DataFrame(
        [[1200, 3]], index=pd.Index(["A"], name="abc"), columns=pd.Index(["B", "C"], name="abc_margin")
    )
    t = table(cross, cells="customers")
    assert t.rows == [["A", "1,200", "3"]]
    assert not t.unknown
    assert t.caption == "Rows: ABC class; columns: ABC class by margin"


def test_a_cross_table_names_both_its_dimensions_and_writes_its_row_labels_like_its_headers():
    visits = pd.DataFrame(
        [[556, 4502], [667, 775]],
        index=pd.Index(["no field visit", "visited"], name="CRM rule"),
        columns=pd.Index(["above threshold", "all"], name="ERP rule"),
    )
    t = table(visits, cells="customers")
    assert t.caption == "Rows: CRM rule; columns: ERP rule"  # the dimensions as the headers write them
    assert t.headers == ["CRM rule", "Above threshold", "All"]
    assert [row[0] for row in t.rows] == ["No field visit", "Visited"]  # as the headers, first letter capital


def test_a_table_too_wide_for_portrait_goes_landscape_in_full():
    names = [n for n, c in COLUMNS.items() if c.kind == "money"][:10]
    wide = pd.DataFrame({name: [1.0] for name in names})  # ten money columns: more than 8 fit a portrait page
    assert wide.shape[1] > MAX_COLUMNS
    t = table(wide, export="customer_segments.xlsx")
    # headers over three lines + 2 padding: 12 + 14 + 14 + 14 + 16 + 12 + 11 + 15 + 14 + 11 = 133 characters,
    # more than a portrait page's 110, within a landscape page's 155
    assert t.wide and len(t.headers) == 10 and t.note is None and not t.left_out
    assert "smartacct-table wide" in t.to_html()
    narrow = table(wide[names[:3]])
    assert not narrow.wide and "wide" not in narrow.to_html()


def test_a_table_too_wide_even_for_landscape_is_trimmed_to_the_story_and_names_the_export():
    names = [n for n, c in COLUMNS.items() if c.kind == "money"][:16]
    wide = pd.DataFrame({name: [1.0] for name in names})  # sixteen money columns: more than 12 fit landscape
    keep = list(wide.columns[:3])
    t = table(wide, keep=keep, export="customer_segments.xlsx")
    assert t.wide and 3 <= len(t.headers) <= 12
    assert [COLUMNS[k].header() for k in keep] == t.headers[:3]
    assert "customer_segments.xlsx" in t.note
    assert "customer_segments.xlsx" in t.to_html()


def test_long_text_wraps_and_is_never_cut():
    reason = "well past its usual interval and fewer orders than the year before " * 2
    t = table(pd.DataFrame({"name": ["Abt"], "reason": [reason]}))
    assert t.rows[0][1] == reason
    assert "..." not in t.to_html() and "min-width" in t.to_html()


def test_a_column_without_words_is_reported():
    assert table(pd.DataFrame({"mystery_column": [1]})).unknown == ["mystery_column"]


def test_assumptions_in_words_with_their_value_and_source():
    assert assumption_value("outside_rep_annual_cost", 110000.0, "EUR", "de") == "110.000 €"
    assert assumption_value("max_sales_cost_ratio", 0.08) == "8.0 %"
    assert assumption_value("programme_start", dt.date(2024, 7, 1), style="de") == "01.07.2024"
    assert assumption_value("fixed_costs", None) == "–"


def test_the_assumptions_table_has_no_setting_names(sample_workbook):
    from smartacct_helpers.presentation.tables import assumptions_display, snake_case

    t = assumptions_display(sample_workbook.params)
    assert t.headers == ["Assumption", "Value", "Source"]
    assert not [r for r in t.rows if snake_case(" ".join(r))]
    sources = {r[2] for r in t.rows}
    assert sources <= {"article", "smartacct default", "client input", "client data", "this run"}
    assert "client input" in sources  # the sample's params file sets its own values


@pytest.mark.matrix
def test_every_table_of_every_section_has_words_for_its_columns(small_sample):
    # a new column without an entry in the catalogue fails here, so that it gets words and a unit
    from smartacct_helpers.facts.workbook import Workbook
    from tests.degradation import import_all_sections

    wb = Workbook.open(small_sample)
    unknown, tables = [], 0
    for notebook, functions in sorted(import_all_sections().items()):
        for function in functions:
            for item in function(wb):
                assert not isinstance(item, (pd.DataFrame, pd.Series)), f"{function.__name__} shows a raw table"
                if isinstance(item, Table):
                    tables += 1
                    unknown += [(notebook, function.__name__, c) for c in item.unknown]
    assert tables > 30
    assert unknown == []
