"""Write the corpus of bad inputs: one folder per case with its params, its files and ``expected.txt``.

Run from the repository root to rebuild every folder (the Excel and Parquet
files are written with openpyxl and pyarrow)::

    .venv/bin/python tests/data/bad/make_corpus.py

``expected.txt`` holds the exit code on its first line (``# exit 2``) and then
exactly the problem lines ``smartacct validate`` must print, one per problem,
nothing more and nothing less. ``{dir}`` stands for the case's folder and ``{params}``
for its params file as given on the command line.
For the cases with exit code 0 (data that is read, with a warning) the lines
must be among those printed.

The base data: three customers 1001, 1002, 1003 and one invoice line each
in early 2025. In a CSV file line 1 is the header, so the first invoice line
is row 2; in Excel the header is row 1 unless a title sits above it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

ORDERS = "customer_id,date,revenue\n1001,2025-01-15,100.50\n1002,2025-02-20,250.00\n1003,2025-03-05,75.25\n"
GERMAN = "Kunde;Datum;Umsatz\n1001;15.01.2025;100,50\n1002;20.02.2025;250,00\n1003;05.03.2025;75,25\n"
CUSTOMERS = "customer_id,name,employees\n1001,Elektro Alpha,3\n1002,Beta GmbH,12\n1003,Gamma KG,40\n"
PLAIN = "data: {orders: orders.csv}\n"
WITH_CUSTOMERS = "data: {orders: orders.csv, customers: customers.csv}\n"
GERMAN_PARAMS = (
    "data:\n  orders: orders.csv\n  columns:\n    orders: {customer_id: Kunde, date: Datum, revenue: Umsatz}\n"
)

# the exact message texts, written once (the file, row and column are given per case)
NUMBER = "expected a number like 1234.56 or 1.234,56, found {!r}"
DATE = "expected a date like 31.12.2025 or 2025-12-31, found {!r}"
MISSING = "required column '{0}' is missing; name it so or map it in data.columns.orders.{0}{3} (the file has: {1}){2}"
#: what a missing revenue column may be replaced with
PRICED = ", or map quantity and unit_price (revenue = quantity x unit price)"


def xlsx(sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merge or {}).get(title, []):
            ws.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parquet(columns: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.table(columns), out)
    return out.getvalue()


def zip_of(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, text)
    return out.getvalue()


HEADER = ["customer_id", "date", "revenue"]
ROWS = [
    ["1001", dt.datetime(2025, 1, 15), 100.5],
    ["1002", dt.datetime(2025, 2, 20), 250.0],
    ["1003", dt.datetime(2025, 3, 5), 75.25],
]

# name -> (files, params, expected lines, exit code)
CASES: dict[str, tuple[dict[str, bytes | str], str, list[str], int]] = {}


def case(name, files, params, expected, code=2):
    CASES[name] = (files, params, expected, code)


# --- columns ---------------------------------------------------------------------------------------
case(
    "missing_required_column",
    {"orders.csv": "customer_id,date\n1001,2025-01-15\n"},
    PLAIN,
    ["orders.csv, column 'revenue': " + MISSING.format("revenue", "customer_id, date", "", PRICED)],
)
case(
    "mapping_names_absent_column",
    {"orders.csv": ORDERS},
    "data:\n  orders: orders.csv\n  columns: {orders: {revenue: Umsatz}}\n",
    [
        "orders.csv, column 'Umsatz': data.columns.orders.revenue names column 'Umsatz', which the file does not "
        "have; its columns are: customer_id, date, revenue"
    ],
)
case(
    "mapping_unknown_canonical",
    {"orders.csv": ORDERS},
    "data:\n  orders: orders.csv\n  columns: {orders: {turnover: revenue}}\n",
    [
        "orders.csv: data.columns.orders maps 'turnover', which is no column of the orders table (known: channel, "
        "contribution_margin, cost, customer_id, date, discount, order_id, product_group, quantity, rebate, revenue, "
        "unit_price; or a customer attribute repeated on each line: name, industry, region, employees, outside_rep, "
        "inside_rep, main_channel, competitor_activity, procurement_power, partner_willingness, transparency, "
        "growth_potential, distance_km, account_team_annual_cost, contact_person, phone, email, pilot_group)"
    ],
)
case(
    "duplicate_header_column",
    {"orders.csv": "customer_id,date,revenue,revenue\n1001,2025-01-15,100.50,90.00\n"},
    PLAIN,
    [
        "orders.csv, row 1, column 'revenue': the header holds column 'revenue' 2 times; rename all but one so "
        "that it is clear which holds the revenue"
    ],
)

# --- empty files ------------------------------------------------------------------------------------
case(
    "empty_file",
    {"orders.csv": ""},
    PLAIN,
    ["orders.csv, row 1: the file is empty; expected a header line and data rows"],
)
case(
    "blank_lines_only",
    {"orders.csv": "\n  \n\n"},
    PLAIN,
    ["orders.csv, row 1: the file is empty; expected a header line and data rows"],
)
case(
    "header_only_csv",
    {"orders.csv": "customer_id,date,revenue\n"},
    PLAIN,
    ["orders.csv, row 2: has a header but no data rows"],
)
case(
    "header_only_xlsx",
    {"orders.xlsx": xlsx({"Orders": [HEADER]})},
    "data: {orders: orders.xlsx}\n",
    ["orders.xlsx, row 2: has a header but no data rows"],
)

# --- delimiter and file structure -------------------------------------------------------------------
case(
    "wrong_delimiter_explicit",
    {"orders.csv": GERMAN},
    GERMAN_PARAMS + "  csv: {delimiter: ','}\n",
    [
        "orders.csv, row 1: the header line holds no ',' (data.csv.delimiter) but is separated by ';'; set "
        "data.csv.delimiter to ';' or to auto"
    ],
)
case(
    "wrong_delimiter_tab",
    {"orders.csv": ORDERS},
    "data:\n  orders: orders.csv\n  csv: {delimiter: '\\t'}\n",
    [
        "orders.csv, row 1: the header line holds no '\\t' (data.csv.delimiter) but is separated by ','; set "
        "data.csv.delimiter to ',' or to auto"
    ],
)
case(
    "space_separated",
    {"orders.csv": "customer_id date revenue\n1001 2025-01-15 100.50\n"},
    PLAIN,
    [
        f"orders.csv, column '{c}': "
        + MISSING.format(
            c,
            "customer_id date revenue",
            "; the header was read as a single column: check the delimiter (data.csv.delimiter)",
            PRICED if c == "revenue" else "",
        )
        for c in ("customer_id", "date", "revenue")
    ],
)
case(
    "too_many_fields",
    {"orders.csv": "customer_id,date,revenue\n1001,2025-01-15,100.50\n1002,2025-02-20,1,250.00\n"},
    PLAIN,
    [
        "orders.csv, row 3: has more fields than the 3 of the header; a value holds ',' without quotes, or the "
        "columns are shifted"
    ],
)
case(
    "unclosed_quote",
    {"orders.csv": 'customer_id,date,revenue\n1001,2025-01-15,100.50\n1002,"2025-02-20,250.00\n'},
    PLAIN,
    ['orders.csv, row 3: a quote (") opened in this row is never closed; check the quotes'],
)
case(
    "first_row_longer_than_header",
    # an unquoted thousands comma in the very first line must not shift the columns
    {"orders.csv": "customer_id,date,revenue\n1001,2025-01-15,1,100.50\n1002,2025-02-20,250.00\n"},
    PLAIN,
    [
        "orders.csv, row 2: has more fields than the 3 of the header; a value holds ',' without quotes, or the "
        "columns are shifted"
    ],
)
case(
    "unknown_file_type",
    {"orders.json": '[{"customer_id": 1001}]'},
    "data: {orders: orders.json}\n",
    ["orders.json: unknown file type '.json'; expected .csv, .xlsx or .parquet"],
)

# --- numbers ----------------------------------------------------------------------------------------
case(
    "mixed_decimal_styles",
    {
        "orders.csv": "customer_id;date;revenue\n1001;15.01.2025;1.100,50\n1002;20.02.2025;2.250,00\n"
        "1003;05.03.2025;1,075.25\n"
    },
    PLAIN,
    # two German values, one English one: the English value on line 4 is the odd one out
    [
        "orders.csv, row 4, column 'revenue': mixes decimal styles: 2 value(s) like 1.234,56 and 1 like 1,234.56 "
        "(the first of the rarer style in row 4); use one style or set data.csv.decimal"
    ],
)
case(
    "text_in_money_column",
    {"orders.csv": ORDERS.replace("250.00", "n/a").replace("75.25", "ca. 75")},
    PLAIN,
    [
        "orders.csv, row 3, column 'revenue': " + NUMBER.format("n/a"),
        "orders.csv, row 4, column 'revenue': " + NUMBER.format("ca. 75"),
    ],
)
case(
    "text_in_margin_column",
    {"orders.csv": "Kunde;Datum;Umsatz;DB\n1001;15.01.2025;100,50;20,10\n1002;20.02.2025;250,00;siehe Liste\n"},
    "data:\n  orders: orders.csv\n  columns:\n    orders: {customer_id: Kunde, date: Datum, revenue: Umsatz, "
    "contribution_margin: DB}\n",
    ["orders.csv, row 3, column 'DB': " + NUMBER.format("siehe Liste")],
)
case(
    "empty_revenue",
    {"orders.csv": ORDERS.replace("250.00", "")},
    PLAIN,
    ["orders.csv, row 3, column 'revenue': is empty; expected an amount"],
)
case(
    "absurd_revenue",
    {"orders.csv": ORDERS.replace("250.00", "1000000000000000")},
    PLAIN,
    [
        "orders.csv, row 3, column 'revenue': amount '1000000000000000' is implausibly large (1e12 or more); "
        "check the decimal style"
    ],
)
case(
    "absurd_revenue_german",
    {"orders.csv": GERMAN.replace("250,00", "1.000.000.000.000.000,00")},
    GERMAN_PARAMS,
    [
        "orders.csv, row 3, column 'Umsatz': amount '1.000.000.000.000.000,00' is implausibly large (1e12 or "
        "more); check the decimal style"
    ],
)

# --- dates ------------------------------------------------------------------------------------------
case(
    "unparseable_dates",
    {
        "orders.csv": ORDERS.replace("2025-01-15", "31.02.2025")
        .replace("2025-02-20", "2025-13-01")
        .replace("2025-03-05", "gestern")
    },
    PLAIN,
    [
        "orders.csv, row 2, column 'date': " + DATE.format("31.02.2025"),
        "orders.csv, row 3, column 'date': " + DATE.format("2025-13-01"),
        "orders.csv, row 4, column 'date': " + DATE.format("gestern"),
    ],
)
case(
    "dates_out_of_range",
    # year 1 and the 9999-12-31 an ERP writes for "open" are no invoice dates
    {"orders.csv": ORDERS.replace("2025-01-15", "0001-01-01").replace("2025-02-20", "9999-12-31")},
    PLAIN,
    [
        "orders.csv, row 2, column 'date': " + DATE.format("0001-01-01"),
        "orders.csv, row 3, column 'date': " + DATE.format("9999-12-31"),
    ],
)
case(
    "empty_date",
    {"orders.csv": ORDERS.replace("2025-02-20", "")},
    PLAIN,
    ["orders.csv, row 3, column 'date': is empty; expected a date"],
)
case(
    "ambiguous_slash_dates",
    {
        "orders.csv": ORDERS.replace("2025-01-15", "01/02/2025")
        .replace("2025-02-20", "03/04/2025")
        .replace("2025-03-05", "12/11/2025")
    },
    PLAIN,
    [
        "orders.csv, row 2, column 'date': every date like '01/02/2025' reads both as month/day and day/month (no "
        'date in the file has a first or second part above 12); set data.csv.date_format to "%m/%d/%Y" for month '
        'first or "%d/%m/%Y" for day first'
    ],
)
case(
    "ambiguous_slash_dates_with_times",
    # a US export with times of day: the formats to put in the params carry the time too
    {
        "orders.csv": ORDERS.replace("2025-01-15", "12/1/2010 8:26")
        .replace("2025-02-20", "12/1/2010 17:05")
        .replace("2025-03-05", "1/12/2011 9:00")
    },
    PLAIN,
    [
        "orders.csv, row 2, column 'date': every date like '12/1/2010 8:26' reads both as month/day and day/month "
        "(no date in the file has a first or second part above 12); set data.csv.date_format to "
        '"%m/%d/%Y %H:%M" for month first or "%d/%m/%Y %H:%M" for day first'
    ],
)
case(
    "contradictory_slash_dates",
    # 13/02/2025 decides day/month for the whole file, so 02/13/2025 (line 3) cannot be read
    {
        "orders.csv": ORDERS.replace("2025-01-15", "13/02/2025")
        .replace("2025-02-20", "02/13/2025")
        .replace("2025-03-05", "05/03/2025")
    },
    PLAIN,
    ["orders.csv, row 3, column 'date': " + DATE.format("02/13/2025")],
)
case(
    "date_format_does_not_match",
    {"orders.csv": ORDERS},
    "data:\n  orders: orders.csv\n  csv: {date_format: '%d.%m.%Y'}\n",
    [
        f"orders.csv, row {r}, column 'date': expected a date as %d.%m.%Y, found {v!r}"
        for r, v in ((2, "2025-01-15"), (3, "2025-02-20"), (4, "2025-03-05"))
    ],
)
case(
    "dates_after_reference_date",
    # an analysis as of 30 June: the two later lines (rows 5 and 6) are left out, with a warning
    {"orders.csv": ORDERS + "1001,2025-07-01,10.00\n1002,2025-08-15,20.00\n"},
    "reference_date: 2025-06-30\ndata: {orders: orders.csv}\n",
    [
        "orders.csv, row 5, column 'date': 2 invoice line(s) dated after the reference date 2025-06-30 (params key "
        "reference_date), the first in this row, the latest 2025-08-15; they are left out of the analysis",
        # 100.50 + 250.00 + 75.25: the 30.00 of the late lines is not counted
        "Orders from 2025-01-15 to 2025-03-05; revenue 425.75 EUR; credit notes: 0 lines",
    ],
    0,
)
case(
    "dates_in_the_future",
    {"orders.csv": ORDERS.replace("2025-02-20", "2205-02-20")},
    PLAIN,
    [
        "orders.csv, row 3, column 'date': 1 invoice line(s) dated in the future (after today), the first in this "
        "row, the latest 2205-02-20; correct the dates, or set reference_date to leave later lines out"
    ],
)

# --- customers --------------------------------------------------------------------------------------
case(
    "duplicate_customers_conflicting",
    {"orders.csv": ORDERS, "customers.csv": CUSTOMERS + "1002,Beta GmbH & Co.,12\n"},
    WITH_CUSTOMERS,
    [
        "customers.csv, row 5, column 'customer_id': customer id '1002' appears in rows 3, 5 with different name; "
        "each customer must appear once"
    ],
)
case(
    "orders_of_unknown_customers",
    {
        "orders.csv": ORDERS + "2001,2025-04-01,10.00\n2002,2025-04-02,20.00\n2001,2025-04-03,30.00\n",
        "customers.csv": CUSTOMERS,
    },
    WITH_CUSTOMERS,
    [
        "orders.csv, row 5, column 'customer_id': 3 invoice lines of 2 customer id(s) that are not in the customers "
        "file, for example '2001', '2002'"
    ],
)
case(
    "empty_customer_id",
    {"orders.csv": ORDERS.replace("1002,", ",")},
    "data: {orders: orders.csv, missing_customer_id: refuse}\n",
    [
        "orders.csv, row 3, column 'customer_id': is empty; every row needs a customer id (data.missing_customer_id: "
        "exclude leaves such lines out and counts them)"
    ],
)
case(
    "no_customer_id_at_all",
    {"orders.csv": ORDERS.replace("1001,", ",").replace("1002,", ",").replace("1003,", ",")},
    PLAIN,
    [
        "orders.csv, column 'customer_id': no invoice line has a customer id; map the column that holds it in "
        "data.columns.orders.customer_id"
    ],
)
case(
    "bad_master_and_bad_orders_together",
    # both files are wrong: every problem of both is listed in one run
    {"orders.csv": ORDERS.replace("250.00", "zweihundert"), "customers.csv": CUSTOMERS + "1002,Beta AG,12\n"},
    WITH_CUSTOMERS,
    [
        "orders.csv, row 3, column 'revenue': " + NUMBER.format("zweihundert"),
        "customers.csv, row 5, column 'customer_id': customer id '1002' appears in rows 3, 5 with different name; "
        "each customer must appear once",
    ],
)
case(
    "negative_employees",
    {"orders.csv": ORDERS, "customers.csv": CUSTOMERS.replace(",12\n", ",-12\n")},
    WITH_CUSTOMERS,
    ["customers.csv, row 3, column 'employees': expected zero or more, found '-12'"],
)
case(
    "fractional_employees",
    {"orders.csv": ORDERS, "customers.csv": CUSTOMERS.replace(",12\n", ",2.5\n")},
    WITH_CUSTOMERS,
    ["customers.csv, row 3, column 'employees': expected a whole number of employees, found '2.5'"],
)
case(
    "missing_employees",
    {"orders.csv": ORDERS, "customers.csv": CUSTOMERS.replace(",12\n", ",\n").replace(",40\n", ",\n")},
    WITH_CUSTOMERS,
    [
        "customers.csv, row 3, column 'employees': 2 of 3 customer rows have no employee count (the first in this "
        "row); their potential comes from their best year instead of the industry value per employee"
    ],
    0,
)
case(
    "score_out_of_range",
    {"orders.csv": ORDERS, "customers.csv": "customer_id,partner_willingness\n1001,4\n1002,7\n1003,0\n"},
    WITH_CUSTOMERS,
    [
        "customers.csv, row 3, column 'partner_willingness': expected a score from 1 to 5, found '7'",
        "customers.csv, row 4, column 'partner_willingness': expected a score from 1 to 5, found '0'",
    ],
)
case(
    "yes_no_not_understood",
    {"orders.csv": ORDERS, "customers.csv": "customer_id,procurement_power\n1001,ja\n1002,vielleicht\n1003,0\n"},
    WITH_CUSTOMERS,
    ["customers.csv, row 3, column 'procurement_power': expected true or false (ja/nein, 1/0), found 'vielleicht'"],
)
case(
    "negative_distance",
    {"orders.csv": ORDERS, "customers.csv": "customer_id,distance_km\n1001,12\n1002,-5\n1003,40\n"},
    WITH_CUSTOMERS,
    ["customers.csv, row 3, column 'distance_km': expected zero or more, found '-5'"],
)

# --- encodings and binary files ---------------------------------------------------------------------
case(
    "cp1252_read_as_utf8",
    {
        "orders.csv": ORDERS,
        "customers.csv": ("customer_id;name\n1001;Elektro Alpha\n1002;Müller & Söhne\n1003;Gamma KG\n").encode(
            "cp1252"
        ),
    },
    "data:\n  orders: orders.csv\n  customers: customers.csv\n  csv: {encoding: utf-8}\n",
    # the ü of Müller (byte 0xfc) is on line 3
    [
        "customers.csv, row 3: cannot be read as utf-8 (UnicodeDecodeError); set data.csv.encoding (for example "
        "cp1252 or utf-8)"
    ],
)
case(
    "utf16_without_bom",
    {"orders.csv": ORDERS.encode("utf-16-le")},
    PLAIN,
    [
        "orders.csv, row 1: holds NUL bytes: it is no text file, or UTF-16 without a byte-order mark; export it as "
        "CSV in UTF-8 or set data.csv.encoding (for example utf-16)"
    ],
)
case(
    "excel_file_named_csv",
    {"orders.csv": xlsx({"Orders": [HEADER] + ROWS})},
    PLAIN,
    [
        "orders.csv, row 1: is an Excel workbook or another zip archive, not a CSV file; save it as .xlsx or "
        "export it as CSV"
    ],
)

# --- Excel ------------------------------------------------------------------------------------------
case(
    "xlsx_title_row_above_header",
    # title in row 1, blank row 2, header in row 3: the text amount sits in Excel row 5
    {
        "orders.xlsx": xlsx(
            {
                "Orders": [
                    ["Umsatzliste 2025"],
                    [],
                    HEADER,
                    ROWS[0],
                    ["1002", dt.datetime(2025, 2, 20), "zweihundert"],
                    ROWS[2],
                ]
            }
        )
    },
    "data: {orders: orders.xlsx}\n",
    ["orders.xlsx, row 5, column 'revenue': " + NUMBER.format("zweihundert")],
)
case(
    "xlsx_data_on_second_sheet",
    {"orders.xlsx": xlsx({"Info": [["Export vom 02.01.2026"], ["Mandant 1"]], "Umsaetze": [HEADER] + ROWS})},
    "data: {orders: orders.xlsx}\n",
    [
        f"orders.xlsx, column '{c}': "
        + MISSING.format(
            c,
            "Export vom 02.01.2026",
            "; sheet 'Info' was read, the workbook also has 'Umsaetze': choose one with data.sheets.orders",
            PRICED if c == "revenue" else "",
        )
        for c in ("customer_id", "date", "revenue")
    ],
)
case(
    "xlsx_sheet_not_found",
    {"orders.xlsx": xlsx({"Umsaetze": [HEADER] + ROWS})},
    "data:\n  orders: orders.xlsx\n  sheets: {orders: '2025'}\n",
    [
        "orders.xlsx: data.sheets.orders names sheet '2025', which the workbook does not have; its sheets are: "
        "'Umsaetze'"
    ],
)
case(
    "xlsx_merged_cells",
    # the customer id of rows 3 and 4 is one merged cell A3:A4
    {
        "orders.xlsx": xlsx(
            {
                "Orders": [
                    HEADER,
                    ROWS[0],
                    ["1002", dt.datetime(2025, 2, 20), 250.0],
                    [None, dt.datetime(2025, 3, 5), 75.25],
                ]
            },
            merge={"Orders": ["A3:A4"]},
        )
    },
    "data: {orders: orders.xlsx}\n",
    [
        "orders.xlsx, row 3, column 'customer_id': cells A3:A4 are merged, so only their first cell holds a value; "
        "unmerge them and fill in every row"
    ],
)
case(
    "xlsx_damaged",
    {"orders.xlsx": xlsx({"Orders": [HEADER] + ROWS})[:300]},
    "data: {orders: orders.xlsx}\n",
    [
        "orders.xlsx: cannot be read as an Excel workbook (BadZipFile: File is not a zip file); open it in Excel "
        "and save it again as .xlsx"
    ],
)

# --- Parquet ----------------------------------------------------------------------------------------
case(
    "parquet_wrong_column_types",
    {
        "orders.parquet": parquet(
            {"customer_id": ["1001", "1002"], "date": [20250115, 20250220], "revenue": [True, False]}
        )
    },
    "data: {orders: orders.parquet}\n",
    [
        "orders.parquet, column 'date': has type int64; expected dates (a date or timestamp column, or text like "
        "2025-12-31)",
        "orders.parquet, column 'revenue': has type bool; expected numbers",
    ],
)
case(
    "parquet_text_amounts",
    {
        "orders.parquet": parquet(
            {
                "customer_id": ["1001", "1002"],
                "date": [dt.date(2025, 1, 15), dt.date(2025, 2, 20)],
                "revenue": ["100.50", "abc"],
            }
        )
    },
    "data: {orders: orders.parquet}\n",
    # a Parquet file counts records from 1
    ["orders.parquet, row 2, column 'revenue': " + NUMBER.format("abc")],
)
case(
    "parquet_damaged",
    {"orders.parquet": b"PAR1 this is not really a parquet file"},
    "data: {orders: orders.parquet}\n",
    None,
)  # the message is pyarrow's; the test checks file, exit code and the absence of a traceback

# --- params -----------------------------------------------------------------------------------------
P = "{params}: "
case(
    "params_unknown_key",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {workng_days: 200}\n",
    [P + "assumptions.workng_days: unknown key"],
)
case(
    "params_wrong_type",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {visits_per_day: many}\n",
    [P + "assumptions.visits_per_day: Input should be a valid number, unable to parse string as a number, got 'many'"],
)
case(
    "params_negative_cost",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {outside_rep_annual_cost: -110000, order_handling_cost: -5}\n",
    [
        P + "assumptions.outside_rep_annual_cost: Input should be greater than 0, got -110000",
        P + "assumptions.order_handling_cost: Input should be greater than or equal to 0, got -5",
    ],
)
case(
    "params_abc_out_of_order",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {abc: {a: 0.95, b: 0.80}}\n",
    [P + "assumptions.abc: abc.a (0.95) must be below abc.b (0.8)"],
)
case(
    "params_capacity_zero",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {inside_rep_capacity: [0, 400]}\n",
    [P + "assumptions.inside_rep_capacity: every capacity must be a positive number of customers, got [0, 400]"],
)
case(
    "params_cost_ratio_zero",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {max_sales_cost_ratio: 0}\n",
    [P + "assumptions.max_sales_cost_ratio: Input should be greater than 0, got 0"],
)
case(
    "params_cost_ratio_above_one",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {max_sales_cost_ratio: 1.5}\n",
    [P + "assumptions.max_sales_cost_ratio: Input should be less than 1, got 1.5"],
)
case(
    "params_missing_file",
    {"orders.csv": ORDERS},
    "data: {orders: orders.csv, customers: kunden.csv}\n",
    [
        P + "data.customers: file not found: {dir}/kunden.csv (a relative path is read from the params file's "
        "folder, {dir})"
    ],
)
case(
    "params_path_relative_to_another_folder",
    {"exports/orders.csv": ORDERS},
    # written as if paths were relative to where the command runs (a folder above); they are relative to here
    "data: {orders: bad/params_path_relative_to_another_folder/exports/orders.csv}\n",
    [
        P + "data.orders: file not found: {dir}/bad/params_path_relative_to_another_folder/exports/orders.csv "
        "(a relative path is read from the params file's folder, {dir})"
    ],
)
case(
    "params_data_path_is_a_folder",
    {"exports/orders.csv": ORDERS},
    "data: {orders: exports}\n",
    [P + "data.orders: {dir}/exports is a folder; name the file in it"],
)
case(
    "params_python_tag",
    {"orders.csv": ORDERS},
    "data: !!python/object/apply:os.system ['echo planted > planted.txt']\n",
    [
        P + "not valid YAML at line 1, column 7: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ],
)
case(
    "params_duplicate_key",
    {"orders.csv": ORDERS},
    PLAIN + "assumptions: {working_days: 210}\nassumptions: {visits_per_day: 3}\n",
    [P + "not valid YAML at line 3, column 1: the key 'assumptions' appears twice in one mapping"],
)
case(
    "params_yaml_syntax", {"orders.csv": ORDERS}, "data: {orders: orders.csv\nassumptions: {}\n", None
)  # the parser's own words; the test checks the line number below
case(
    "params_not_a_mapping",
    {"orders.csv": ORDERS},
    "- orders.csv\n",
    [P + "the params file must hold a mapping of keys to values"],
)
case(
    "params_not_utf8",
    {"orders.csv": ORDERS},
    "client: Müller\n".encode("cp1252") + PLAIN.encode(),
    [P + "not UTF-8 text (byte 0xfc in line 1); save the params file as UTF-8"],
)
case("params_missing_data", {"orders.csv": ORDERS}, "client: Acme\n", [P + "data: required key is missing"])
case(
    "params_bad_reference_date",
    {"orders.csv": ORDERS},
    "reference_date: 2025-31-12\n" + PLAIN,
    [P + "reference_date: '2025-31-12' is no date (month must be in 1..12); write it as yyyy-mm-dd"],
)
case(
    "params_bad_csv_options",
    {"orders.csv": ORDERS},
    "data:\n  orders: orders.csv\n  csv: {encoding: latin-99, date_format: dd.mm.yyyy, delimiter: ';;'}\n",
    [
        P + "data.csv.delimiter: expected auto or one character such as ';' or ',' (\\t for tab), got ';;'",
        P + "data.csv.date_format: expected auto or a format with codes such as \"%d.%m.%Y\", got 'dd.mm.yyyy'",
        P + "data.csv.encoding: unknown encoding; use auto, utf-8 or cp1252, got 'latin-99'",
    ],
)
case(
    "params_unknown_sheet_table",
    {"orders.csv": ORDERS},
    PLAIN.replace("}", ", sheets: {order: X}}"),
    [
        P + "data.sheets.order.[key]: Input should be 'orders', 'customers', 'activities', 'market' or "
        "'assessments', got 'order'"
    ],
)


def main() -> None:
    for name, (files, params, expected, code) in CASES.items():
        folder = HERE / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for file, content in files.items():
            path = folder / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        (folder / "params.yaml").write_bytes(params.encode("utf-8") if isinstance(params, str) else params)
        lines = [f"# exit {code}"] + (expected if expected is not None else ["# any message naming the file"])
        (folder / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(CASES)} cases written to {HERE}")


if __name__ == "__main__":
    main()
