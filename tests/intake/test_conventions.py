"""The two readers of a file follow one set of conventions: the same values give the same result.

Each row of the tables below is a small CSV file of invoice lines (or CRM
activities) read by the full reader (:func:`read_table`) and by DuckDB's
reader of files (:func:`file_table`). Where DuckDB reads the file itself, both
give the values worked out by hand in the row; where the file needs the full
reader (thousands separators, currency marks, a time on a German date), the
DuckDB route hands it over and the full reader gives the value.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from smartacct_helpers.facts.orders import connect
from smartacct_helpers.intake.conventions import DAY_FIRST, MONTH_FIRST, decimal_mark, number_styles, slash_order
from smartacct_helpers.intake.duckdb_files import cannot_read, file_table
from smartacct_helpers.intake.parsing import decimal_evidence, slash_date_order
from smartacct_helpers.intake.tables import read_table
from smartacct_helpers.params import load_params

D = dt.date

# rule, delimiter, dates as written, revenues as written, the dates and amounts by hand, whether DuckDB reads it
ORDERS = [
    (
        "decimal comma",
        ";",
        ["15.03.2024", "16.03.2024"],
        ["100,50", "-20,25"],
        [D(2024, 3, 15), D(2024, 3, 16)],
        [100.50, -20.25],
        True,
    ),
    (
        "decimal point",
        ",",
        ["2024-03-15", "2024-03-16"],
        ["100.50", "-20.25"],
        [D(2024, 3, 15), D(2024, 3, 16)],
        [100.50, -20.25],
        True,
    ),
    # "1,234" reads either way: no evidence, and a semicolon file takes the comma: 1.234
    ("no evidence, semicolon file", ";", ["2024-03-15"], ["1,234"], [D(2024, 3, 15)], [1.234], True),
    # one value only German (12,5) decides the whole file: "1,234" is then 1.234
    (
        "German evidence decides",
        ",",
        ["2024-03-15", "2024-03-16"],
        ['"12,5"', '"1,234"'],
        [D(2024, 3, 15), D(2024, 3, 16)],
        [12.5, 1.234],
        True,
    ),
    ("German thousands", ";", ["15.03.2024"], ["1.234,50"], [D(2024, 3, 15)], [1234.50], False),
    ("English thousands", ",", ["2024-03-15"], ['"1,234.50"'], [D(2024, 3, 15)], [1234.50], False),
    ("currency marks", ";", ["15.03.2024"], ["100,50 €"], [D(2024, 3, 15)], [100.50], False),
    (
        "ISO day with a time",
        ",",
        ["2024-03-15 08:26", "2024-03-16T17:05:00"],
        ["1", "2"],
        [D(2024, 3, 15), D(2024, 3, 16)],
        [1.0, 2.0],
        True,
    ),
    ("ISO day without zeros", ",", ["2024-3-5"], ["1"], [D(2024, 3, 5)], [1.0], True),
    ("German day without zeros", ";", ["5.3.2024"], ["1"], [D(2024, 3, 5)], [1.0], True),
    ("German day with a time", ";", ["05.03.2024 08:30"], ["1"], [D(2024, 3, 5)], [1.0], False),
    # 13 in the first part: day first, so 01/03/2024 is the 1st of March
    (
        "slash, day first",
        ",",
        ["13/03/2024", "01/03/2024"],
        ["1", "2"],
        [D(2024, 3, 13), D(2024, 3, 1)],
        [1.0, 2.0],
        True,
    ),
    # 13 in the second part: month first, so 03/01/2024 is the 1st of March
    (
        "slash, month first",
        ",",
        ["03/13/2024", "03/01/2024"],
        ["1", "2"],
        [D(2024, 3, 13), D(2024, 3, 1)],
        [1.0, 2.0],
        True,
    ),
]


def _params(folder, text, table="orders"):
    (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    data = {"orders": "orders.csv", table: f"{table}.csv"}
    if table != "orders":
        (folder / "orders.csv").write_text("customer_id,date,revenue\nC1,2024-03-15,1\n", encoding="utf-8")
    (folder / "params.yaml").write_text(yaml.safe_dump({"data": data}))
    return load_params(folder / "params.yaml")


def _full(params, table):
    problems = []
    frame, _, _ = read_table(params, table, problems)
    assert not [p for p in problems if p.severity == "error"], problems
    return frame


def _duckdb(params, table):
    """The table as DuckDB reads it, or None when it hands the file to the full reader."""
    t = file_table(connect(), params, table)
    if t is None:
        return None
    try:
        return t.to_pandas()
    except cannot_read():  # a value DuckDB cannot convert: its callers hand the file over too
        return None


@pytest.mark.parametrize(
    "rule, sep, dates, revenues, want_dates, want_revenues, duckdb_reads", ORDERS, ids=[r[0] for r in ORDERS]
)
def test_both_readers_read_the_same_values(
    tmp_path, rule, sep, dates, revenues, want_dates, want_revenues, duckdb_reads
):
    lines = "".join(f"C{i}{sep}{d}{sep}{r}{sep}Online \n" for i, (d, r) in enumerate(zip(dates, revenues, strict=True)))
    params = _params(tmp_path, f"customer_id{sep}date{sep}revenue{sep}channel\n" + lines)
    full = _full(params, "orders")
    assert [d.date() for d in full["date"]] == want_dates
    assert full["revenue"].tolist() == pytest.approx(want_revenues)
    assert full["channel"].tolist() == ["online"] * len(dates)
    duck = _duckdb(params, "orders")
    if not duckdb_reads:
        assert duck is None
        return
    assert duck is not None, f"{rule}: DuckDB should read this file itself"
    assert [pd.Timestamp(d).date() for d in duck["date"]] == want_dates
    assert duck["revenue"].tolist() == pytest.approx(want_revenues)
    assert duck["channel"].tolist() == ["online"] * len(dates)


def test_both_readers_map_the_same_words(tmp_path):
    # by hand: Besuch -> visit, Telefonat -> call, Außendienst -> outside, Innendienst -> inside
    params = _params(
        tmp_path,
        "customer_id;date;type;team\nC1;15.03.2024;Besuch ;Außendienst\nC2;16.03.2024;TELEFONAT;Innendienst\n",
        "activities",
    )
    full = _full(params, "activities")
    duck = _duckdb(params, "activities")
    assert full["type"].tolist() == duck["type"].tolist() == ["visit", "call"]
    assert full["team"].tolist() == duck["team"].tolist() == ["outside", "inside"]


def test_slash_dates_no_value_decides_are_left_to_the_full_reader_which_asks(tmp_path):
    params = _params(tmp_path, "customer_id,date,revenue\nC1,03/04/2024,1\nC2,05/06/2024,2\n")
    assert _duckdb(params, "orders") is None
    problems = []
    read_table(params, "orders", problems)
    assert any("data.csv.date_format" in p.message and p.severity == "error" for p in problems)


@pytest.mark.parametrize(
    "values, german, english",
    [
        (["1.234,56", "12,5", "1,234", "7", ""], 2, 0),  # 1,234 reads either way; 7 and "" count for neither
        (["1,234.56", "0.5", "1.234"], 0, 2),
        (["EUR 1.234,56", "12,5 €", "$1,234.56"], 2, 1),  # currency marks dropped first
    ],
)
def test_both_readers_count_the_same_evidence_for_the_decimal_style(values, german, english):
    assert number_styles(values) == (german, english)
    assert decimal_evidence(pd.Series(values, dtype="string")) == (german, english)


def test_the_decimal_mark_and_the_slash_order_are_decided_in_one_place():
    assert decimal_mark(3, 1) == "," and decimal_mark(1, 3) == "." and decimal_mark(0, 0, ";") == ","
    assert decimal_mark(0, 0, ",") == "." and decimal_mark(0, 0) == "."
    assert slash_date_order(pd.Series(["13/01/2024", "01/02/2024"])) == DAY_FIRST == slash_order(13, 2)
    assert slash_date_order(pd.Series(["01/13/2024", "02/01/2024"])) == MONTH_FIRST == slash_order(2, 13)
    assert slash_date_order(pd.Series(["01/02/2024"])) is None is slash_order(1, 2)


def test_both_readers_read_the_main_channel_of_the_master_in_lower_case(tmp_path):
    params = _params(
        tmp_path, "customer_id;main_channel;competitor_activity\nC1; Online;Hoch\nC2;FIELD;niedrig\n", "customers"
    )
    full = _full(params, "customers")
    duck = _duckdb(params, "customers")
    assert full["main_channel"].tolist() == duck["main_channel"].tolist() == ["online", "field"]
    # by hand: hoch -> high, niedrig -> low
    assert full["competitor_activity"].tolist() == duck["competitor_activity"].tolist() == ["high", "low"]
