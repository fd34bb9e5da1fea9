"""Reading real exports: every format and quirk on a small file under tests/data/intake/.

Every file holds the same three invoice lines, written the way a different
ERP system would write them:

    customer 00042, 2025-01-02,  1,234.56
    customer 00042, 2025-03-15,   -100.00   (a credit note)
    customer 00107, 2025-12-31, 12,000.00

so each reader must give revenue [1234.56, -100.0, 12000.0] and a total of
13,134.56 (1234.56 - 100 + 12000).
"""

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from smartacct_helpers.exceptions import InputDataError, ParamsError
from smartacct_helpers.intake.conventions import detect_delimiter, detect_encoding
from smartacct_helpers.intake.parsing import decimal_evidence, parse_date_text, parse_number_text
from smartacct_helpers.intake.tables import load_tables
from smartacct_helpers.params import parse_params

FILES = Path(__file__).parents[1] / "data" / "intake"
REVENUE = [1234.56, -100.0, 12000.0]
DATES = pd.to_datetime(["2025-01-02", "2025-03-15", "2025-12-31"])


def tables_for(folder: Path, data: dict):
    return load_tables(parse_params({"data": data}, folder, str(folder / "params.yaml")))


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def files(tmp_path):
    """A copy of the intake files, so a test may plant extra files beside them."""
    shutil.copytree(FILES, tmp_path / "in")
    return tmp_path / "in"


def test_german_csv_semicolon_decimal_comma_cp1252(files):
    t = tables_for(
        files,
        {
            "orders": "de_orders.csv",
            "customers": "de_customers.csv",
            "columns": {
                "orders": {
                    "customer_id": "Kundennummer",
                    "date": "Rechnungsdatum",
                    "revenue": "Umsatz",
                    "contribution_margin": "Deckungsbeitrag",
                },
                "customers": {
                    "customer_id": "Kundennummer",
                    "name": "Name",
                    "employees": "Mitarbeiter",
                    "industry": "Branche",
                    "distance_km": "Entfernung_km",
                },
            },
        },
    )
    o = t.orders
    assert o["customer_id"].tolist() == ["00042", "00042", "00107"]  # leading zeros kept
    assert o["revenue"].tolist() == REVENUE  # 1.234,56 -> 1234.56, 12.000,00 -> 12000
    assert o["contribution_margin"].tolist() == [234.5, -20.0, 3000.0]
    assert (o["date"] == DATES).all()  # dd.mm.yyyy
    assert "Bemerkung" not in o and "remark" not in o  # extra columns are ignored
    c = t.customers
    assert c["name"].tolist()[:2] == ["Elektro Müller & Söhne", "Großhandel Weiß GmbH"]  # cp1252 umlauts
    assert c["employees"].tolist()[:2] == [3, 40] and pd.isna(c["employees"].iloc[2])
    assert c["distance_km"].tolist()[:2] == [12.5, 101.0]
    assert not t.customers_from_orders


def test_english_csv_comma_thousands_bom_iso_dates(files):
    t = tables_for(files, {"orders": "en_orders_bom.csv"})
    o = t.orders
    assert o["revenue"].tolist() == REVENUE  # "1,234.56" -> 1234.56, "12,000.00" -> 12000
    assert (o["date"] == DATES).all()  # ISO, one with a time of day
    assert o["order_id"].tolist() == ["A1", "A2", "A3"]
    assert "region" not in o  # a customer attribute in the orders file is not read as one


def test_compact_dates_when_the_params_say_so_and_pipe_delimiter(files):
    data = {"orders": "compact_dates.csv", "csv": {"date_format": "%Y%m%d"}}
    o = tables_for(files, data).orders
    assert (o["date"] == pd.to_datetime(["2025-01-02", "2025-12-31"])).all()
    assert o["revenue"].tolist() == [1234.56, 12000.0]
    # without the setting, 20250102 is not taken for a date
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "compact_dates.csv"})
    assert "compact_dates.csv, row 2, column 'date'" in str(err.value)


def test_xlsx_with_mapped_columns(files):
    t = tables_for(
        files,
        {
            "orders": "orders.xlsx",
            "columns": {"orders": {"customer_id": "Kunde", "date": "Datum", "revenue": "Betrag"}},
        },
    )
    o = t.orders
    # text cell "00042" keeps its zeros; the number cell 107 becomes the text "107"
    assert o["customer_id"].tolist() == ["00042", "00042", "107"]
    assert o["revenue"].tolist() == REVENUE
    assert (o["date"] == DATES).all()


def test_parquet_typed_columns(files):
    t = tables_for(files, {"orders": "orders.parquet"})
    assert t.orders["customer_id"].tolist() == ["00042", "00042", "00107"]
    assert t.orders["revenue"].tolist() == REVENUE
    assert list(t.orders.columns) == ["customer_id", "date", "revenue"]


def test_orders_alone_are_enough(files):
    t = tables_for(files, {"orders": "orders.parquet"})
    assert t.customers_from_orders
    assert t.customers["customer_id"].tolist() == ["00042", "00107"]


def test_activities_of_unknown_customers_are_reported_not_dropped_silently(files):
    t = tables_for(
        files,
        {
            "orders": "de_orders.csv",
            "customers": "de_customers.csv",
            "activities": "activities_with_unknown.csv",
            "columns": {
                "orders": {"customer_id": "Kundennummer", "date": "Rechnungsdatum", "revenue": "Umsatz"},
                "customers": {"customer_id": "Kundennummer"},
            },
        },
    )
    assert len(t.activities) == 2
    assert t.activities["type"].tolist() == ["visit", "call"]  # "Besuch" is a visit
    assert t.activities["team"].tolist() == ["outside", "inside"]  # "Außendienst" is the outside team
    [warning] = [w for w in t.warnings if "not in the customers file" in w.message]
    assert warning.row == 4 and "'55555'" in warning.message and warning.message.startswith("1 activities")


def test_orders_of_unknown_customers_are_an_error_with_count_and_examples(files):
    (files / "customers.csv").write_text("customer_id\n00042\n", encoding="utf-8")
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "orders.parquet", "customers": "customers.csv"})
    text = str(err.value)
    # one line (record 3) of one customer, 00107, is missing from the customers file
    assert "orders.parquet, row 3, column 'customer_id': 1 invoice lines of 1 customer id(s)" in text
    assert "'00107'" in text


def test_every_problem_is_reported_with_file_row_and_column(files):
    (files / "bad.csv").write_text(
        "Kunde;Datum;Umsatz\n"
        "001;01.02.2025;12,50\n"  # row 2: fine
        "002;31.02.2025;abc\n"  # row 3: no 31 February, no number
        ";01.03.2025;5,00\n"  # row 4: no customer id (refused: the params say so)
        "004;;7,00\n",  # row 5: no date
        encoding="utf-8",
    )
    before = digest(files)
    columns = {"orders": {"customer_id": "Kunde", "date": "Datum", "revenue": "Umsatz"}}
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "bad.csv", "missing_customer_id": "refuse", "columns": columns})
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(3, "Datum"), (3, "Umsatz"), (4, "Kunde"), (5, "Datum")}
    assert "data.missing_customer_id: exclude" in str(err.value)  # the way out is named
    # by default the line without a customer id is left out, not an error; the others still are
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "bad.csv", "columns": columns})
    assert {(p.row, p.column) for p in err.value.problems} == {(3, "Datum"), (3, "Umsatz"), (5, "Datum")}
    assert "bad.csv, row 3, column 'Umsatz': expected a number like 1234.56 or 1.234,56, found 'abc'" in str(err.value)
    assert digest(files) == before  # input files are only read


def test_missing_mapped_and_required_columns(files):
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "en_orders_bom.csv", "columns": {"orders": {"revenue": "Umsatz"}}})
    text = str(err.value)
    assert "data.columns.orders.revenue names column 'Umsatz', which the file does not have" in text
    (files / "no_date.csv").write_text("customer_id,revenue\n1,2\n")
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "no_date.csv"})
    assert "required column 'date' is missing" in str(err.value)


def test_missing_file_names_the_params_key(files):
    with pytest.raises(ParamsError) as err:
        tables_for(files, {"orders": "nowhere.csv"})
    assert "data.orders: file not found" in str(err.value)


def test_mixed_decimal_styles_in_one_column_are_an_error(files):
    (files / "mixed.csv").write_text("customer_id;date;revenue\n1;2025-01-01;1.234,56\n2;2025-01-01;1,234.56\n")
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "mixed.csv"})
    assert "mixes decimal styles" in str(err.value)


def test_slash_dates_decided_once_per_file(files):
    # 13/02/2025 can only be day/month, so 01/02/2025 in the same file is 1 February
    (files / "dm.csv").write_text("customer_id,date,revenue\n1,13/02/2025,1\n1,01/02/2025,1\n")
    o = tables_for(files, {"orders": "dm.csv"}).orders
    assert o["date"].tolist() == list(pd.to_datetime(["2025-02-13", "2025-02-01"]))
    # all days at most 12: no row decides, so the file is refused as a whole
    (files / "ambiguous.csv").write_text("customer_id,date,revenue\n1,01/02/2025,1\n1,03/04/2025,1\n")
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "ambiguous.csv"})
    assert "data.csv.date_format" in str(err.value)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Kundennummer;Datum;Umsatz", ";"),
        ("customer_id,date,revenue", ","),
        ("a\tb\tc", "\t"),
        ("a|b|c", "|"),
        ('"Umsatz, netto";Datum', ";"),
    ],
)
def test_detect_delimiter(header, expected):
    assert detect_delimiter(header) == expected


def test_detect_encoding():
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert detect_encoding("Weiß".encode()) == "utf-8"
    assert detect_encoding("Weiß".encode("cp1252")) == "cp1252"


def test_number_styles():
    de = parse_number_text(pd.Series(["1.234,56", "-0,5", "12", " 1.000.000,00 € ", ""]), ",")
    assert de.tolist()[:4] == [1234.56, -0.5, 12.0, 1_000_000.0] and pd.isna(de.iloc[4])
    en = parse_number_text(pd.Series(["1,234.56", "-0.5", "$12"]), ".")
    assert en.tolist() == [1234.56, -0.5, 12.0]
    # "1.234" reads either way and decides nothing; "12,5" is German, "2.75" English
    assert decimal_evidence(pd.Series(["1.234", "12,5", "2.75", "3.000,10"])) == (2, 1)


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_repeated_and_missing_values_are_read_row_by_row(dtype):
    # each distinct text is parsed once and spread back over its rows: rows keep their own index and order
    index = [7, 3, 9, 4, 8]
    numbers = parse_number_text(pd.Series(["1.234,5", None, "1.234,5", "x", "-2"], index=index, dtype=dtype), ",")
    assert numbers.index.tolist() == index
    assert numbers.iloc[[0, 2, 4]].tolist() == [1234.5, 1234.5, -2.0] and numbers.iloc[[1, 3]].isna().all()
    dates, _ = parse_date_text(
        pd.Series(["31.12.2025", "2025-01-02", None, "31.12.2025"], index=index[:4], dtype=dtype)
    )
    assert dates.index.tolist() == index[:4]
    assert dates.tolist()[:2] == [pd.Timestamp("2025-12-31"), pd.Timestamp("2025-01-02")]
    assert pd.isna(dates.iloc[2]) and dates.iloc[3] == pd.Timestamp("2025-12-31")
    # every row counts as evidence, repeats too: "12,5" twice and "3.000,10" are German, "2.75" English
    assert decimal_evidence(pd.Series(["1.234", "12,5", "2.75", "3.000,10", "12,5", None], dtype=dtype)) == (3, 1)
    nothing = parse_number_text(pd.Series([None, None], dtype=dtype), ",")
    assert len(nothing) == 2 and nothing.isna().all()


def test_dates_iso_and_german_mixed_rows():
    dates, note = parse_date_text(pd.Series(["2025-12-31", "31.12.2025", "2025-12-31T08:15:00", "nonsense"]))
    assert note is None
    assert dates.iloc[:3].tolist() == [pd.Timestamp("2025-12-31")] * 3
    assert pd.isna(dates.iloc[3])


def test_assessments_with_dates_and_scores(files):
    (files / "assessments.csv").write_text(
        "customer_id;date;partner_willingness;transparency;growth_potential\n"
        "00042;01.01.2025;4;5;3\n"
        "00042;01.07.2025;5;5;4\n"
        "77777;01.07.2025;1;2;3\n",
        encoding="utf-8",
    )
    t = tables_for(
        files,
        {
            "orders": "de_orders.csv",
            "customers": "de_customers.csv",
            "assessments": "assessments.csv",
            "columns": {
                "orders": {"customer_id": "Kundennummer", "date": "Rechnungsdatum", "revenue": "Umsatz"},
                "customers": {"customer_id": "Kundennummer"},
            },
        },
    )
    a = t.assessments
    assert a["date"].tolist() == list(pd.to_datetime(["2025-01-01", "2025-07-01"]))
    assert a["partner_willingness"].tolist() == [4, 5]
    # the unknown customer's assessment (line 4) is reported and left out
    assert [w.row for w in t.warnings if "not in the customers file" in w.message] == [4]


def test_assessment_scores_outside_one_to_five_are_refused(files):
    (files / "assessments.csv").write_text(
        "customer_id;date;partner_willingness;transparency;growth_potential\n00042;30.06.2025;4;7;5\n", encoding="utf-8"
    )
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "orders.parquet", "assessments": "assessments.csv"})
    assert "assessments.csv, row 2, column 'transparency': expected a score from 1 to 5" in str(err.value)


@pytest.mark.parametrize("dtype", ["str", "string[python]", "object"])
def test_currency_marks_and_every_kind_of_blank_go_in_any_string_storage(dtype):
    from smartacct_helpers.intake.parsing import parse_number_text

    # no-break space, narrow no-break space (French thousands), tab, em space; signs in any case
    values = pd.Series(["1\u00a0234,50 €", "2\u202f000,25 eur", "\t3,5 Usd", "4\u2003000 CHF", "£ 7,25"], dtype=dtype)
    assert parse_number_text(values, ",").tolist() == [1234.5, 2000.25, 3.5, 4000.0, 7.25]
