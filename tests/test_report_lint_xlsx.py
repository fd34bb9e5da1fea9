"""The Excel part of the report linter: a client's export passes, and each kind of finding is caught."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from smartacct_helpers.delivery.exports import write_xlsx
from tests.report_lint import lint_xlsx

LIST = pd.DataFrame(
    {
        "customer_id": ["001", "002"],
        "name": ["Elektro Huber e.K.", "Bau Schmidt GmbH"],
        "industry": ["plumbers_heating", "electricians"],
        "revenue_12m": [1234.5, 98_000.0],
        "share_of_wallet": [0.0415, 0.5],
        "orders_12m": [12, 3],
        "last_order": pd.to_datetime(["2025-12-01", "2025-11-03"]),
        "smart_account": [True, False],
    }
)


def client_file(tmp_path, frame=LIST, name="Customer segments"):
    return write_xlsx({name: frame}, tmp_path / "list.xlsx", "EUR", "de")


def test_a_clients_export_passes_and_shows_words_and_formats(tmp_path):
    path = client_file(tmp_path)
    assert lint_xlsx(path) == []
    ws = openpyxl.load_workbook(path)["Customer segments"]
    assert [c.value for c in ws[1]] == [
        "Customer number",
        "Customer",
        "Industry",
        "Revenue, last 12 months (€)",
        "Share of wallet (%)",
        "Orders, last 12 months",
        "Last order",
        "Smart account",
    ]
    # values stay numbers and days; the formats show them: 1.235 €, 4,2 %, 12, 01.12.2025, yes
    assert [c.value for c in ws[2]] == [
        "001",
        "Elektro Huber e.K.",
        "plumbers, heating",
        1234.5,
        0.0415,
        12,
        dt.datetime(2025, 12, 1),
        "yes",
    ]
    assert [c.number_format for c in ws[2]][3:7] == ['#,##0 "€"', "0.0%", "#,##0", "dd.mm.yyyy"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:H3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"


def test_a_table_of_mixed_values_gets_the_same_setup(tmp_path):
    # one column holds a text beside a number: the workbook goes through XlsxWriter cell by cell
    path = client_file(tmp_path, LIST.assign(note=pd.Series(["call", 3], dtype=object)))
    assert lint_xlsx(path) == []
    ws = openpyxl.load_workbook(path)["Customer segments"]
    assert ws["I1"].value == "Note" and [c.number_format for c in ws[2]][3:7] == [
        '#,##0 "€"',
        "0.0%",
        "#,##0",
        "dd.mm.yyyy",
    ]


@pytest.mark.parametrize(
    ("frame", "currency", "sheet", "kind"),
    [
        (LIST, None, "customer_segments", "code-name sheet"),  # written without the client's words
        (LIST, None, "Customers", "code-name header"),
        (LIST, None, "Customers", "raw value"),  # TRUE/FALSE
        (LIST, None, "Customers", "code name"),  # plumbers_heating
        (
            LIST.rename(columns={"revenue_12m": "Revenue (€)"})[["Revenue (€)"]],
            None,
            "Customers",
            "money without currency",
        ),
        (
            LIST.rename(columns={"share_of_wallet": "Share (%)"})[["Share (%)"]],
            None,
            "Customers",
            "share not as percentage",
        ),
    ],
)
def test_each_kind_of_excel_finding_is_caught(tmp_path, frame, currency, sheet, kind):
    path = write_xlsx({sheet: frame}, tmp_path / "bad.xlsx", currency)
    assert kind in {f.kind for f in lint_xlsx(path)}


def test_a_sheet_without_its_setup_is_caught(tmp_path):
    # written by hand: a plain header, nothing frozen, no filter, portrait, no repeated row, a number as General
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Customers"
    ws.append(["Customer", "Visits"])
    ws.append(["Elektro Huber e.K.", 3])
    book.save(tmp_path / "plain.xlsx")
    kinds = [f.kind for f in lint_xlsx(tmp_path / "plain.xlsx")]
    assert sorted(set(kinds)) == [
        "header not bold",
        "header not frozen",
        "no filter",
        "no number format",
        "print setup",
    ]
    assert kinds.count("print setup") == 3  # portrait, not fit to the width, header row not repeated
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert [f.kind for f in lint_xlsx(tmp_path / "empty.xlsx")] == ["not an Excel file"]
