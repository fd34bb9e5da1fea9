"""Where the data lives: connection URLs, the password, and files read by DuckDB itself."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from smartacct_helpers.delivery.cli import main
from smartacct_helpers.exceptions import InputDataError, ParamsError
from smartacct_helpers.facts.customer_facts import facts_table
from smartacct_helpers.facts.export import _pandas_export_table, facts_export
from smartacct_helpers.facts.orders import connect
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.database import describe_url, map_table, scrub
from smartacct_helpers.intake.duckdb_files import blank_ids, file_orders
from smartacct_helpers.params import load_params


def test_describe_url_drops_the_password_and_query():
    assert describe_url("postgres://anna:geheim@db:5432/erp?sslmode=require") == "postgres://anna@db:5432/erp"


def test_scrub_removes_the_password_in_every_spelling():
    text = "auth failed for p@ss w0rd (p%40ss%20w0rd, p%40ss+w0rd)"
    assert scrub(text, "p@ss w0rd") == "auth failed for *** (***, ***)"


def test_a_password_in_the_url_is_refused_without_repeating_it(tmp_path):
    p = tmp_path / "params.yaml"
    p.write_text(
        yaml.safe_dump({"data": {"database": "postgres://anna:Secret-Canary-93@127.0.0.1:5/erp", "orders": "lines"}})
    )
    with pytest.raises(ParamsError) as exc:
        Workbook.open(p)
    assert "SMARTACCT_DB_PASSWORD" in str(exc.value)
    assert "Secret-Canary-93" not in str(exc.value) + repr(exc.value)


def test_an_unknown_engine_is_a_params_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTACCT_DB_PASSWORD", "Canary-Unknown-55")
    p = tmp_path / "params.yaml"
    p.write_text(yaml.safe_dump({"data": {"database": "nosuchdb://anna@host/erp", "orders": "lines"}}))
    with pytest.raises(ParamsError, match="data.database: cannot connect to nosuchdb://anna@host/erp") as exc:
        Workbook.open(p)
    assert "Canary-Unknown-55" not in str(exc.value)


def _orders_csv(folder, rows, name="orders.csv"):
    text = "Kundennummer;Rechnungsdatum;Beleg;Umsatz\n" + "".join(f"{c};{d};{o};{r}\n" for c, d, o, r in rows)
    (folder / name).write_text(text, encoding="utf-8")
    params = folder / "params.yaml"
    params.write_text(
        yaml.safe_dump(
            {
                "data": {
                    "orders": name,
                    "columns": {
                        "orders": {
                            "customer_id": "Kundennummer",
                            "date": "Rechnungsdatum",
                            "order_id": "Beleg",
                            "revenue": "Umsatz",
                        }
                    },
                }
            }
        )
    )
    return params


def test_a_plain_german_csv_is_read_by_duckdb_with_the_same_facts(tmp_path):
    rows = [
        ("00123", "15.03.2024", "R1", "100,50"),
        ("00123", "02.01.2025", "R2", "-20,25"),
        ("7", "31.12.2024", "R3", "10"),
        ("7", "31.12.2024", "R3", "5,5"),
    ]
    params = load_params(_orders_csv(tmp_path, rows))
    assert file_orders(connect(), params) is not None  # DuckDB reads the file itself
    got = facts_export(params).to_pandas()
    want = _pandas_export_table(Workbook.open(params)).to_pyarrow().to_pandas()
    pd.testing.assert_frame_equal(got, want)
    # by hand: customer 00123 keeps its zeros; 2024 revenue 100.50, 2025 -20.25; customer 7 2024 15.50, one order
    by = got.set_index(["customer_id", "year"])
    assert by.loc[("00123", 2024), "revenue"] == 100.50
    assert by.loc[("00123", 2025), "revenue"] == -20.25
    assert by.loc[("7", 2024), "revenue"] == 15.50
    assert by.loc[("7", 2024), "orders"] == 1 and by.loc[("7", 2024), "lines"] == 2


def test_a_windows_export_with_quotes_and_a_nameless_column_is_read_by_duckdb_with_the_same_facts(tmp_path, caplog):
    import logging

    # an ERP export as Excel on Windows writes it: a byte-order mark, CRLF line ends, blanks around the
    # header names, a quoted text with the delimiter and a doubled quote in it, a last column without a name
    text = (
        "\ufeffKundennummer ;Text; Rechnungsdatum;Beleg;Umsatz;\r\n"
        '00123;"Kabel; 3x1,5 ""NYM""";15.03.2024;R1;100,50;\r\n'
        "00123;Gutschrift;02.01.2025;R2;-20,25;x\r\n"
        '7;"";31.12.2024;R3;10;\r\n'
        "7;;31.12.2024;R3;5,5;\r\n"
    )
    params = load_params(_orders_csv(tmp_path, []))  # the params of the same columns; the file is replaced
    (tmp_path / "orders.csv").write_bytes(text.encode("utf-8"))
    with caplog.at_level(logging.DEBUG, logger="smartacct.intake"):
        got = facts_export(params).to_pandas()
    assert "full reader" not in caplog.text  # DuckDB read every line itself, nothing was handed over
    want = _pandas_export_table(Workbook.open(params)).to_pyarrow().to_pandas()
    pd.testing.assert_frame_equal(got, want)
    # by hand, as in the plain file above: 00123 has 100.50 in 2024 and -20.25 in 2025; 7 has 15.50 in one order
    by = got.set_index(["customer_id", "year"])
    assert by.loc[("00123", 2024), "revenue"] == 100.50
    assert by.loc[("00123", 2025), "revenue"] == -20.25
    assert by.loc[("7", 2024), "revenue"] == 15.50
    assert by.loc[("7", 2024), "orders"] == 1 and by.loc[("7", 2024), "lines"] == 2


def test_thousands_separators_go_through_the_full_reader(tmp_path):
    params = load_params(_orders_csv(tmp_path, [("1", "15.03.2024", "R1", "1.234,50")]))
    assert file_orders(connect(), params) is None
    got = facts_export(params).to_pandas()
    assert got["revenue"].tolist() == [1234.50]


def test_a_bad_value_beyond_the_sample_is_reported_with_its_row(tmp_path, capsys):
    rows = [(str(i % 50), "15.03.2024", f"R{i}", "10,00") for i in range(60_000)]
    rows.append(
        ("9", "16.03.2024", "R-x", "zehn")
    )  # line 60,002 of the file, far past the sample DuckDB is set up from
    params = _orders_csv(tmp_path, rows)
    assert main(["facts", "--params", str(params), "--out", str(tmp_path / "f.parquet")]) == 2
    err = capsys.readouterr().err
    assert "row 60002" in err and "Umsatz" in err and "'zehn'" in err


def test_orders_of_unknown_customers_are_still_an_error(tmp_path):
    params_file = _orders_csv(tmp_path, [("1", "15.03.2024", "R1", "10"), ("2", "15.03.2024", "R2", "10")])
    (tmp_path / "customers.csv").write_text("customer_id;name\n1;Elektro Kunz\n")
    raw = yaml.safe_load(params_file.read_text())
    raw["data"]["customers"] = "customers.csv"
    params_file.write_text(yaml.safe_dump(raw))
    with pytest.raises(InputDataError, match="not in the customers file"):
        facts_export(load_params(params_file))


def test_the_sample_parquet_is_read_by_duckdb_with_the_same_facts(small_sample):
    params = load_params(small_sample)
    assert file_orders(connect(), params) is not None
    got = facts_export(params).to_pandas()
    want = _pandas_export_table(Workbook.open(params)).to_pyarrow().to_pandas()
    pd.testing.assert_frame_equal(got, want)


def test_facts_table_reads_the_lines_once_with_the_checks_beside():
    import datetime as dt

    con = connect()
    orders = con.create_table(
        "o",
        pd.DataFrame(
            {
                "customer_id": ["1", "1", "1", "3", "3"],
                "date": pd.to_datetime(["2024-12-31", "2025-01-01", "2025-06-30", "2024-03-01", None]),
                "revenue": [100.0, 250.0, None, 80.0, 5.0],
                "order_id": ["A1", "A2", "A3", "B1", "B2"],
            }
        ),
    )
    t = facts_table(orders, None, dt.date(2025, 12, 31), checks=True).to_pandas()
    by = t.set_index(["customer_id", "year"], drop=False)
    # window (2024-12-31, 2025-12-31]: customer 1 has 250 in it (the line without revenue adds nothing),
    # on both of its years; customer 3 bought only before the window: no 12-month revenue
    assert by.loc[("1", 2024), "revenue_12m"] == 250.0 and by.loc[("1", 2025), "revenue_12m"] == 250.0
    assert pd.isna(by.loc[("3", 2024), "revenue_12m"])
    # the checks: customer 1's 2025 has 2 lines, 1 with revenue; customer 3's undated line has a row without year
    assert by.loc[("1", 2025), ["lines", "lines_with_revenue"]].tolist() == [2, 1]
    assert t[t.customer_id == "3"]["year"].isna().sum() == 1


def test_the_facts_of_parquet_and_plain_csv_files_run_without_pandas(small_sample, tmp_path):
    # the route of smartacct facts over files DuckDB reads itself never imports pandas (a quicker start);
    # the small sample has its invoice lines as Parquet and its customer master and activities as CSV
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from smartacct_helpers.delivery.exports import export_facts\n"
        f"path, rows = export_facts({str(small_sample)!r}, {str(tmp_path / 'facts.parquet')!r})\n"
        "print(rows, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 0
    assert out[1] == "False"


# --- Workbook.open: the invoice lines read and checked by DuckDB --------------------------------------------


def _with_master(folder, lines, reference_date=None, channel=False):
    """A customer master (customers 1 and 2) and plain CSV invoice lines ``(customer, day, order, revenue[, channel])``."""
    (folder / "customers.csv").write_text("customer_id,name\n1,Alpha\n2,Beta\n", encoding="utf-8")
    head = "customer_id,date,order_id,revenue" + (",channel" if channel else "")
    (folder / "orders.csv").write_text(
        head + "\n" + "".join(",".join(map(str, r)) + "\n" for r in lines), encoding="utf-8"
    )
    raw = {"data": {"orders": "orders.csv", "customers": "customers.csv"}}
    if reference_date:
        raw["reference_date"] = reference_date
    (folder / "params.yaml").write_text(yaml.safe_dump(raw))
    return folder / "params.yaml"


def test_the_workbook_reads_clean_lines_in_duckdb(tmp_path):
    from smartacct_helpers.intake.tables import FileTables

    params = _with_master(
        tmp_path,
        [
            (1, "2025-03-01", "A", 100.0),
            (1, "2025-06-30", "B", 50.5),
            (2, "2024-05-01", "C", 20.0),
            (1, "2024-01-15", "D", 7.0),
        ],
    )
    wb = Workbook.open(params)
    assert isinstance(wb.tables, FileTables) and not wb.tables.is_read("orders")  # the full reader has not run
    assert wb.reference_date.isoformat() == "2025-06-30"  # the last invoice day
    by = wb.customers.set_index("customer_id")
    # by hand: the window is 2024-07-01 .. 2025-06-30; customer 1: 100 + 50.5, customer 2 bought before it
    assert by.loc["1", "revenue_12m"] == 150.5 and by.loc["1", "orders_12m"] == 2
    assert by.loc["2", "revenue_12m"] == 0.0
    assert wb.tables.orders["revenue"].sum() == 177.5  # read on first use: 100 + 50.5 + 20 + 7


def test_the_duckdb_workbook_equals_the_full_readers(small_sample):
    from smartacct_helpers.intake.tables import FileTables, load_tables

    params = load_params(small_sample)
    wb = Workbook.open(params)
    full = Workbook.from_tables(params, load_tables(params))
    assert isinstance(wb.tables, FileTables) and not isinstance(full.tables, FileTables)
    assert wb.reference_date == full.reference_date
    pd.testing.assert_frame_equal(wb.customers, full.customers, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(wb.yearly, full.yearly, check_exact=False, rtol=1e-12)
    assert not wb.tables.is_read("activities")  # the activities too stay in DuckDB until asked for
    pd.testing.assert_frame_equal(wb.tables.orders, full.tables.orders)
    pd.testing.assert_frame_equal(wb.tables.activities, full.tables.activities)


@pytest.mark.parametrize(
    "lines, reference_date, finding",
    [
        # an unknown channel: the full reader warns about it
        ([(1, "2025-03-01", "A", 10.0, "field"), (2, "2025-03-02", "B", 5.0, "telepathy")], None, "unknown channel"),
        # a line after the reference date of the params: left out with a warning
        (
            [(1, "2025-03-01", "A", 10.0, "field"), (2, "2025-07-02", "B", 5.0, "field")],
            "2025-06-30",
            "after the reference date",
        ),
    ],
)
def test_findings_in_the_lines_go_to_the_full_reader(tmp_path, lines, reference_date, finding):
    from smartacct_helpers.intake.tables import FileTables

    wb = Workbook.open(_with_master(tmp_path, lines, reference_date, channel=True))
    assert not isinstance(wb.tables, FileTables)
    assert any(finding in str(w) for w in wb.tables.warnings)


@pytest.mark.parametrize("amount", ["2000000000000.0", "-2000000000000.0"])
def test_an_implausible_amount_is_named_by_the_full_reader(tmp_path, amount):
    # a credit note of -2e12 is as implausible as an invoice of 2e12: both leave DuckDB for the full reader
    params = _with_master(tmp_path, [(1, "2025-03-01", "A", 10.0), (2, "2025-03-02", "B", amount)])
    with pytest.raises(InputDataError, match=r"orders.csv, row 3, column 'revenue'.*implausibly large"):
        Workbook.open(params)


def _as_parquet(params, revenue, margin=None):
    """The invoice lines of ``params`` (customers 1 and 2) as a typed Parquet file with these revenues and margins.

    Written by pyarrow: None is a missing value, a NaN stays a number (pandas would write it as missing).
    """
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    margin = margin or [1.0] * len(revenue)
    pq.write_table(
        pa.table(
            {
                "customer_id": ["1", "2"],
                "date": [dt.date(2025, 3, 1), dt.date(2025, 3, 2)],
                "order_id": ["A", "B"],
                "revenue": pa.array(revenue, pa.float64()),
                "contribution_margin": pa.array(margin, pa.float64()),
            }
        ),
        params.parent / "orders.parquet",
    )
    raw = yaml.safe_load(params.read_text())
    raw["data"]["orders"] = "orders.parquet"
    params.write_text(yaml.safe_dump(raw))
    return params


def test_clean_parquet_lines_pass_the_checks_of_its_statistics(tmp_path):
    # amounts of 1e11 are large but plausible: DuckDB keeps the lines, the full reader does not run
    wb = Workbook.open(_as_parquet(_with_master(tmp_path, []), [10.0, 5.0], [-1e11, 1e11]))
    assert not wb.tables.is_read("orders")
    assert wb.customers.set_index("customer_id")["revenue_12m"].to_dict() == {"1": 10.0, "2": 5.0}


@pytest.mark.parametrize(
    "revenue, margin, finding",
    [
        ([10.0, -2e12], None, r"orders.parquet, row 2, column 'revenue'.*implausibly large"),
        ([10.0, 5.0], [1.0, 3e12], r"orders.parquet, row 2, column 'contribution_margin'.*implausibly large"),
        ([10.0, None], None, r"orders.parquet, row 2, column 'revenue': is empty"),
    ],
)
def test_a_parquet_line_failing_a_check_is_named_by_the_full_reader(tmp_path, revenue, margin, finding):
    # a Parquet file has no header line: its second record is row 2
    with pytest.raises(InputDataError, match=finding):
        Workbook.open(_as_parquet(_with_master(tmp_path, []), revenue, margin))


def test_nan_amounts_in_a_parquet_file_are_missing_values_as_the_full_reader_takes_them(tmp_path):
    from smartacct_helpers.facts.quality import line_counts

    with pytest.raises(InputDataError, match=r"orders.parquet, row 2, column 'revenue': is empty"):
        Workbook.open(_as_parquet(_with_master(tmp_path, []), [10.0, float("nan")]))
    # a NaN margin is a line without one: customer 2's margin is unknown, not NaN and not summed as a number
    wb = Workbook.open(_as_parquet(_with_master(tmp_path, []), [10.0, 5.0], [1.0, float("nan")]))
    assert line_counts(wb.order_totals)["no_margin"] == 1
    assert wb.customers.set_index("customer_id")["contribution_margin_12m"].to_dict() == {"1": 1.0, "2": 0.0}


def test_ids_with_blanks_are_trimmed_by_the_full_reader(tmp_path):
    wb = Workbook.open(_with_master(tmp_path, [(" 1", "2025-03-01", "A", 10.0), ("2", "2025-03-02", "B", 5.0)]))
    assert wb.customers.set_index("customer_id").loc["1", "revenue_12m"] == 10.0


def test_orders_of_a_customer_missing_from_the_master_are_an_error_with_the_row(tmp_path):
    with pytest.raises(InputDataError, match="row 3"):
        Workbook.open(_with_master(tmp_path, [(1, "2025-03-01", "A", 10.0), (3, "2025-03-02", "B", 5.0)]))


@pytest.mark.parametrize(
    "activity, finding",
    [
        ("1,2025-02-01,fax", "activities of unknown type"),  # the full reader warns about the type
        ("9,2025-02-01,visit", "left out of the analysis"),  # customer 9 is not in the master
    ],
)
def test_findings_in_the_activities_go_to_the_full_reader(tmp_path, activity, finding):
    from smartacct_helpers.intake.tables import FileTables

    params = _with_master(tmp_path, [(1, "2025-03-01", "A", 10.0), (2, "2025-03-02", "B", 5.0)])
    (tmp_path / "activities.csv").write_text(f"customer_id,date,type\n2,2025-01-10,visit\n{activity}\n")
    raw = yaml.safe_load(params.read_text())
    raw["data"]["activities"] = "activities.csv"
    params.write_text(yaml.safe_dump(raw))
    wb = Workbook.open(params)
    assert not isinstance(wb.tables, FileTables)
    assert any(finding in str(w) for w in wb.tables.warnings)
    assert wb.customers.set_index("customer_id").loc["2", "visits_12m"] == 1  # the visit of customer 2 counts


def test_without_a_reference_date_csv_facts_find_the_last_day_in_the_same_statement(tmp_path):
    rows = [("1", "15.03.2024", "R1", "100"), ("1", "31.12.2025", "R2", "20"), ("2", "01.01.2025", "R3", "5")]
    params = load_params(_orders_csv(tmp_path, rows))
    sql = connect().compile(facts_table(file_orders(connect(), params), None, None))
    assert sql.count("READ_CSV") == 1  # one parse, kept for the last day and the facts
    got = facts_export(params).to_pandas().set_index(["customer_id", "year"])
    # by hand: the last day is 2025-12-31, so the window runs from 2025-01-01: customer 1 has 20 in it,
    # customer 2 its 5 of New Year's Day; 2024's row carries the customer's window revenue too
    assert got.loc[("1", 2024), "revenue_12m"] == 20.0 and got.loc[("1", 2025), "revenue_12m"] == 20.0
    assert got.loc[("2", 2025), "revenue_12m"] == 5.0


def test_a_csv_line_without_a_date_goes_to_the_full_reader(tmp_path):
    params = load_params(_orders_csv(tmp_path, [("1", "15.03.2024", "R1", "100"), ("2", "", "R2", "5")]))
    with pytest.raises(InputDataError, match="row 3"):
        facts_export(params)


def test_ids_the_full_reader_would_change_send_the_lines_to_it():
    import pyarrow as pa

    assert not blank_ids(pa.array(["17850", "00042", "A.0", "1.5"]))
    assert blank_ids(pa.array(["17850.0", "00042"]))  # the full reader reads 17850
    assert blank_ids(pa.array(["17850", None])) and blank_ids(pa.array([" 7"]))


def test_map_table_ids_blanks_and_priced_lines_in_the_engine():
    import ibis

    source = ibis.memtable(
        pd.DataFrame(
            {
                "kunde": [17850.0, 12.5, None, 7.0],
                "tag": pd.to_datetime(["2025-01-01"] * 4),
                "menge": [3.0, 2.0, 1.0, 7.0],
                "preis": [0.335, 19.99, 4.0, 1.125],
            }
        )
    )
    mapped = map_table(
        source, "orders", {"customer_id": "kunde", "date": "tag", "quantity": "menge", "unit_price": "preis"}, "zeilen"
    ).to_pandas()
    # whole-number floats lose .0, others keep their digits; revenue = quantity x unit price to the cent
    assert mapped["customer_id"].tolist()[:2] == ["17850", "12.5"] and pd.isna(mapped["customer_id"][2])
    assert mapped["revenue"].tolist() == [1.01, 39.98, 4.0, 7.88]
    text = ibis.memtable(
        pd.DataFrame(
            {"customer_id": [" 7 ", "", "  "], "date": pd.to_datetime(["2025-01-01"] * 3), "revenue": [1.0, 2.0, 3.0]}
        )
    )
    ids = map_table(text, "orders", {}, "zeilen").to_pandas()["customer_id"]
    assert ids[0] == "7" and ids[1:].isna().all()  # blank ids are missing, as in a file


def test_a_file_duckdb_cannot_read_goes_to_the_full_reader_with_the_reason_logged(tmp_path, caplog):
    import logging

    (tmp_path / "orders.parquet").write_text("customer_id,date,revenue\n1,2024-01-01,5\n")  # text, not Parquet
    (tmp_path / "params.yaml").write_text(yaml.safe_dump({"data": {"orders": "orders.parquet"}}))
    params = load_params(tmp_path / "params.yaml")
    with caplog.at_level(logging.DEBUG, logger="smartacct.intake"):
        assert file_orders(connect(), params) is None
    assert "the full reader takes it" in caplog.text and "ArrowInvalid" in caplog.text


def test_an_error_nobody_expects_is_not_swallowed_by_the_duckdb_route(tmp_path, monkeypatch):
    import smartacct_helpers.intake.duckdb_files as duckdb_files

    def broken(*args, **kwargs):
        raise KeyError("a fault of the code, not of the file")

    monkeypatch.setattr(duckdb_files, "_csv_sql", broken)
    params = load_params(_orders_csv(tmp_path, [("1", "15.03.2024", "R1", "10")]))
    with pytest.raises(KeyError):
        file_orders(connect(), params)


def test_a_file_that_is_not_simple_is_left_to_the_full_reader_with_its_reason_logged(tmp_path, caplog):
    import logging

    params = load_params(_orders_csv(tmp_path, [("1", "15.03.2024", "R1", "1.234,50")]))
    with caplog.at_level(logging.DEBUG, logger="smartacct.intake"):
        assert file_orders(connect(), params) is None
    assert "column 'Umsatz' holds thousands separators, currency marks or text" in caplog.text
