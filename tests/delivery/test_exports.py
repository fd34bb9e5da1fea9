"""The Excel and CSV exports: what a client opens is what the table held, and never half a file."""

import datetime as dt
import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

from smartacct_helpers.delivery.exports import export_table, sheet_names, write_xlsx


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "customer_id": pd.Series(["047476", None, "=1+2"], dtype="str"),
            "revenue": [1234.5, np.nan, np.inf],
            "orders": pd.Series([1, None, 3], dtype="Int64"),
            "smart_account": [True, False, True],
            "reachable": pd.Series([True, None, False], dtype="boolean"),
            "last_order": pd.to_datetime(["2025-01-02", None, "2025-03-04"]),
            "called_at": pd.to_datetime(["2025-01-02 10:30", None, "2025-03-04 00:00"]),
            "visited": pd.to_datetime(["2025-01-02", "2025-01-03", None]).tz_localize("Europe/Berlin"),
            "name": pd.Series(["Müller", None, "Graf"], dtype=object),  # text held as Python objects
        }
    )


MIXED = pd.Series(["a", 2, dt.date(2025, 1, 1)], dtype=object)


@pytest.mark.parametrize("mixed", [False, True], ids=["typed columns", "a column of mixed values"])
def test_xlsx_cells_hold_what_the_table_held(table, tmp_path, mixed):
    if mixed:  # written cell by cell by XlsxWriter instead of through Arrow: the same cells
        table["note"] = MIXED
    path = write_xlsx({"worklist": table}, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path)["worklist"]
    rows = list(ws.values)
    assert rows[0] == tuple(table.columns)
    # ids keep their leading zero and text that looks like a formula stays text
    assert rows[1][0] == "047476" and ws["A4"].value == "=1+2" and ws["A4"].data_type == "s"
    assert rows[1][1] == 1234.5 and rows[2][1] is None and rows[3][1] == "inf"
    assert [r[2] for r in rows[1:]] == [1, None, 3]
    assert [r[3] for r in rows[1:]] == [True, False, True]
    assert [r[4] for r in rows[1:]] == [True, None, False]
    assert [r[5] for r in rows[1:]] == [dt.datetime(2025, 1, 2), None, dt.datetime(2025, 3, 4)]
    assert rows[1][6] == dt.datetime(2025, 1, 2, 10, 30)
    # days show as days; a column with a time of day shows the time; a time zone is dropped, the wall time kept
    assert ws["F2"].number_format == "yyyy-mm-dd" and ws["G2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert rows[2][7] == dt.datetime(2025, 1, 3)
    assert [r[8] for r in rows[1:]] == ["Müller", None, "Graf"]
    if mixed:  # each value as what it is: text, number, day
        assert [r[9] for r in rows[1:]] == ["a", 2, dt.datetime(2025, 1, 1)]
    assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("mixed", [False, True], ids=["typed columns", "a column of mixed values"])
def test_a_table_longer_than_a_sheet_goes_on_in_the_next_sheets(tmp_path, monkeypatch, mixed):
    from smartacct_helpers.delivery import exports

    monkeypatch.setattr(exports, "EXCEL_ROWS", 4)  # a sheet of a header and 3 rows, where Excel has 1,048,576 rows
    df = pd.DataFrame({"customer_id": [f"{i:03d}" for i in range(7)], "revenue": [float(i) for i in range(7)]})
    if mixed:
        df["note"] = pd.Series(["a", 1, "b", 2, "c", 3, "d"], dtype=object)
    book = openpyxl.load_workbook(write_xlsx({"customers": df, "summary": df.head(2)}, tmp_path / "out.xlsx"))
    # 7 rows: 3 + 3 + 1, each sheet with the header; the next table keeps its own name
    assert book.sheetnames == ["customers", "customers (2)", "customers (3)", "summary"]
    rows = [list(book[n].values) for n in book.sheetnames[:3]]
    assert all(r[0] == tuple(df.columns) for r in rows)
    assert [row[0] for r in rows for row in r[1:]] == df["customer_id"].tolist()
    assert [row[0] for row in book["summary"].values] == ["customer_id", "000", "001"]


def test_xlsx_sheet_names_are_cut_to_excels_limit_and_columns_sized(tmp_path):
    df = pd.DataFrame({"name": ["Elektro Müller GmbH & Co. KG"], "x": [1.0]})
    path = write_xlsx({"Inside sales West 3 and more text": df}, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Inside sales West 3 and more te"]  # the first 31 characters
    ws = book.worksheets[0]
    # 28 characters of the name + 2, within the bounds 8 .. 50
    assert ws.column_dimensions["A"].width == pytest.approx(30, abs=1)


def test_a_column_with_nothing_in_it_is_written_empty_at_its_headers_width(tmp_path):
    # key accounts without scorecard assessments: no date assessed, no score
    df = pd.DataFrame(
        {
            "customer_id": ["001", "002"],
            "assessed_on": pd.Series([pd.NaT, pd.NaT]),
            "transparency": pd.Series([pd.NA, pd.NA], dtype="Int64"),
        }
    )
    ws = openpyxl.load_workbook(write_xlsx({"key_accounts": df}, tmp_path / "out.xlsx"))["key_accounts"]
    assert list(ws.values) == [("customer_id", "assessed_on", "transparency"), ("001", None, None), ("002", None, None)]
    # "transparency" is 12 characters, + 2
    assert ws.column_dimensions["C"].width == pytest.approx(14, abs=1)


def test_export_table_writes_csv_and_xlsx_and_leaves_no_temporary_file(tmp_path):
    df = pd.DataFrame({"customer_id": ["001"], "name": ["Müller"]})
    paths = export_table(df, tmp_path, "lists")
    assert [p.name for p in paths] == ["lists.csv", "lists.xlsx"]
    assert (tmp_path / "lists.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # the byte-order mark
    assert sorted(os.listdir(tmp_path)) == ["lists.csv", "lists.xlsx"]


def test_a_failed_xlsx_write_keeps_the_earlier_file(tmp_path):
    path = tmp_path / "lists.xlsx"
    write_xlsx(pd.DataFrame({"a": [1]}), path)
    before = path.read_bytes()

    class Unprintable:
        def __str__(self):
            raise ValueError("no text for this value")

    # the second sheet holds a value that cannot be written: found while the first is written already
    with pytest.raises(ValueError, match="no text"):
        write_xlsx({"a": pd.DataFrame({"a": [1]}), "b": pd.DataFrame({"b": [Unprintable()]})}, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["lists.xlsx"]


def test_sheet_names_excel_takes_for_any_rep_name(tmp_path):
    names = [
        "Nord/Ost",
        "Key [A]: West?",
        "Innendienst Sued-West und Bayern 1",
        "INNENDIENST SUED-WEST UND BAYERN 2",
        "overview",
        "Overview",
    ]
    # "/", "[", "]", ":", "?" become "-"; the first 31 characters are kept ("...und Bayer", the n is the 32nd);
    # Excel sees that name twice (case ignored), so the second becomes its first 27 characters + " (2)";
    # "Overview" repeats "overview"
    assert sheet_names(names) == [
        "Nord-Ost",
        "Key -A-- West-",
        "Innendienst Sued-West und Bayer",
        "INNENDIENST SUED-WEST UND B (2)",
        "overview",
        "Overview (2)",
    ]
    path = write_xlsx({n: pd.DataFrame({"x": [i]}) for i, n in enumerate(names)}, tmp_path / "reps.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheet_names(names)
    assert book["Overview (2)"]["A2"].value == 5


def test_excels_own_row_limit_splits_the_sheet(tmp_path):
    import re
    import zipfile

    # Excel's sheet has 1,048,576 rows: the header and 1,048,575 customers; 1,048,577 customers leave 2 for the next
    df = pd.DataFrame({"n": range(1_048_577)})
    path = write_xlsx({"customers": df}, tmp_path / "out.xlsx")
    with zipfile.ZipFile(path) as z:
        used = []
        for i in (1, 2):
            with z.open(f"xl/worksheets/sheet{i}.xml") as sheet:
                used.append(re.search(r'<dimension ref="([^"]+)"', sheet.read(2000).decode()).group(1))
        assert re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode()) == [
            "customers",
            "customers (2)",
        ]
    assert used == ["A1:A1048576", "A1:A3"]


@pytest.mark.parametrize("mixed", [False, True], ids=["typed columns", "a column of mixed values"])
def test_a_text_longer_than_a_cell_holds_is_cut_at_excels_limit(tmp_path, mixed):
    # a note pasted whole into the CRM: 40,000 characters, where an Excel cell holds 32,767
    df = pd.DataFrame({"customer_id": ["001", "002"], "note": ["x" * 40_000, "short"]})
    if mixed:
        df["other"] = pd.Series([1, "a"], dtype=object)
    ws = openpyxl.load_workbook(write_xlsx({"customers": df}, tmp_path / "out.xlsx"))["customers"]
    assert [len(row[1]) for row in list(ws.values)[1:]] == [32_767, 5]


def test_categories_periods_and_durations_are_written_as_their_text(tmp_path):
    df = pd.DataFrame(
        {
            "segment": pd.Categorical(["field", None, "small"]),
            "period": pd.period_range("2025-01", periods=3, freq="M"),
            "since": pd.to_timedelta([1, None, 3], unit="D"),
        }
    )
    for mixed in (False, True):  # with and without a column that XlsxWriter writes cell by cell
        table = df.assign(note=pd.Series(["a", 2, None], dtype=object)) if mixed else df.drop(columns="since")
        ws = openpyxl.load_workbook(write_xlsx({"t": table}, tmp_path / f"out{mixed}.xlsx"))["t"]
        rows = list(ws.values)[1:]
        assert [r[0] for r in rows] == ["field", None, "small"]
        assert [r[1] for r in rows] == ["2025-01", "2025-02", "2025-03"]
        if mixed:
            assert [r[2] for r in rows] == ["1 days 00:00:00", None, "3 days 00:00:00"]


def test_any_column_a_clients_data_can_produce_is_written(tmp_path):
    # a master whose industry column is present but empty, read as Python objects: NaN, None or pandas' NA;
    # sums over a column the data does not have; values of one type beside missing ones
    import decimal

    df = pd.DataFrame(
        {
            "customer_id": ["001", "002"],
            "industry": pd.Series([np.nan, np.nan], dtype=object),
            "region": pd.Series([pd.NA, None], dtype=object),
            "segment": pd.Series([pd.NA, pd.NA], dtype="string"),
            "channel": pd.Categorical([None, None]),
            "discount": pd.Series([1.5, pd.NA], dtype=object),
            "orders": pd.Series([None, 3], dtype=object),
            "cents": pd.Series([decimal.Decimal("10.05"), None], dtype=object),
            "partner": pd.Series([pd.NA, True], dtype=object),
            "assessed_on": pd.Series([dt.date(2025, 6, 30), None], dtype=object),
            "note": pd.Series(["x" * 40_000, pd.NA], dtype=object),
        }
    )
    path = write_xlsx({"worklist": df}, tmp_path / "out.xlsx")
    rows = list(openpyxl.load_workbook(path)["worklist"].values)
    assert rows[0] == tuple(df.columns)
    # each column as what its values are, a missing one an empty cell
    assert rows[1][:10] == ("001", None, None, None, None, 1.5, None, 10.05, None, dt.datetime(2025, 6, 30))
    assert rows[2][:10] == ("002", None, None, None, None, None, 3, None, True, None)
    assert len(rows[1][10]) == 32_767 and rows[2][10] is None
    export_table(df, tmp_path, "worklist")  # the CSV beside it
    assert (
        (tmp_path / "worklist.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("customer_id,industry")
    )


def test_columns_of_one_type_stay_on_the_typed_writer():
    from smartacct_helpers.delivery.exports import _typed

    df = pd.DataFrame(
        {
            "industry": pd.Series([None, None], dtype=object),
            "orders": pd.Series([2, pd.NA], dtype=object),
            "mixed": pd.Series(["a", 2], dtype=object),
        }
    )
    typed = _typed(df[["industry", "orders"]])
    assert [str(t) for t in typed.dtypes] == ["string", "float64"]
    assert typed["orders"].tolist()[0] == 2.0 and np.isnan(typed["orders"].tolist()[1])
    assert _typed(df) is None  # text beside a number: written cell by cell, each as what it is
