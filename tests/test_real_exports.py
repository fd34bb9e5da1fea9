"""The shapes of real exports: attributes on the lines, priced lines, lines without a customer, US dates, ids as
floats, every problem at once, money to the cent in every format, and a real public order log.

The order log is "Sample - Superstore" (../shared/data/superstore/, read where it lies, never copied into the
project; its README gives 9,994 lines, 793 customers, Sales 2,297,200.86 and Profit 286,397.02).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from smartacct_helpers.data_overview.findings import data_quality
from smartacct_helpers.delivery.cli import main
from smartacct_helpers.delivery.summary import key_figures
from smartacct_helpers.exceptions import InputDataError
from smartacct_helpers.facts.export import facts_export
from smartacct_helpers.facts.orders import connect
from smartacct_helpers.facts.quality import unattributed_lines
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.duckdb_files import file_table
from smartacct_helpers.intake.tables import FileTables, load_tables
from smartacct_helpers.params import load_params
from smartacct_helpers.small_customers.analysis import classify

from .conftest import ROOT

#: ../shared/data/superstore beside the project (looked for in the folders above it, as a checkout may sit deeper)
SUPERSTORE = next(
    (
        folder / "shared" / "data" / "superstore" / "Sample - Superstore.csv"
        for folder in ROOT.parents
        if (folder / "shared" / "data" / "superstore").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "superstore" / "Sample - Superstore.csv",
)
#: the mapping of ../shared/tools/try-inputs, and the customer attributes the log carries on every line
SUPERSTORE_COLUMNS = {
    "customer_id": "Customer ID",
    "date": "Order Date",
    "order_id": "Order ID",
    "revenue": "Sales",
    "contribution_margin": "Profit",
    "product_group": "Category",
}
SUPERSTORE_ATTRIBUTES = {"name": "Customer Name", "industry": "Segment", "region": "Region"}


def write_params(folder: Path, data: dict, **top) -> Path:
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump({**top, "data": data}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- customer attributes on the invoice lines ----------------------------------------------------------------

ATTRIBUTE_LINES = (
    "Kunde;Datum;Umsatz;Name;Branche;Region;MA\n"
    "7;02.01.2024;100,00;Alpha alt;retail;North;3\n"
    "7;01.03.2025;50,00;Alpha GmbH;;South;\n"  # the latest line: no industry, no employees given
    "7;01.02.2025;20,00;Alpha Mitte;trade;West;5\n"
    "9;15.05.2025;10,00;;;;\n"
    "9;15.05.2025;5,00;Beta;;;\n"
    "11;20.06.2025;8,00;Gamma;retail;East;\n"
    "11;20.06.2025;9,00;Gamma;retail;West;\n"  # the same day, another region: the greater name wins
)
ATTRIBUTE_MAPPING = {
    "customer_id": "Kunde",
    "date": "Datum",
    "revenue": "Umsatz",
    "name": "Name",
    "industry": "Branche",
    "region": "Region",
    "employees": "MA",
}


def test_attributes_on_the_lines_give_each_customer_its_latest_value(tmp_path):
    (tmp_path / "orders.csv").write_text(ATTRIBUTE_LINES, encoding="utf-8")
    params = write_params(tmp_path, {"orders": "orders.csv", "columns": {"orders": ATTRIBUTE_MAPPING}})
    t = load_tables(load_params(params))
    c = t.customers.set_index("customer_id")
    # by hand: customer 7's latest line (1 March 2025) names it Alpha GmbH, in the South; it gives no industry or
    # employees, so those come from the line before it (1 February: trade, 5); 2 January 2024 is older still
    assert c.loc["7", ["name", "industry", "region"]].tolist() == ["Alpha GmbH", "trade", "South"]
    assert c.loc["7", "employees"] == 5
    # customer 9: one line names it, the other is empty; nothing gives an industry, region or employees
    assert c.loc["9", "name"] == "Beta" and pd.isna(c.loc["9", "industry"]) and pd.isna(c.loc["9", "region"])
    assert pd.isna(c.loc["9", "employees"])
    # customer 11: East and West on one day; West is the greater text
    assert c.loc["11", "region"] == "West"
    assert t.customers_from_orders and "region" not in t.orders and "name" not in t.orders
    assert t.orders["revenue"].sum() == pytest.approx(202.0)  # 100 + 50 + 20 + 10 + 5 + 8 + 9


def test_a_master_value_wins_and_its_gaps_and_missing_columns_come_from_the_lines(tmp_path):
    (tmp_path / "orders.csv").write_text(ATTRIBUTE_LINES, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(
        "customer_id,name,industry\n7,Alpha Stammdaten,\n9,Beta Stamm,wholesale\n11,Gamma KG,retail\n", encoding="utf-8"
    )
    params = write_params(
        tmp_path, {"orders": "orders.csv", "customers": "customers.csv", "columns": {"orders": ATTRIBUTE_MAPPING}}
    )
    for customers in (load_tables(load_params(params)).customers, Workbook.open(params).customers):
        c = customers.set_index("customer_id")
        # names from the master; 7's industry is empty there, so the lines' trade fills it; 9 keeps wholesale
        assert c["name"].to_dict() == {"7": "Alpha Stammdaten", "9": "Beta Stamm", "11": "Gamma KG"}
        assert c.loc["7", "industry"] == "trade" and c.loc["9", "industry"] == "wholesale"
        # the master has no region and no employees: both from the lines
        assert c.loc["7", "region"] == "South" and c.loc["11", "region"] == "West" and pd.isna(c.loc["9", "region"])
        assert c.loc["7", "employees"] == 5


def test_attributes_on_parquet_lines_with_a_master_are_read_by_the_full_reader(tmp_path):
    lines = pd.DataFrame(
        {
            "Kunde": ["7", "7", "9"],
            "Datum": pd.to_datetime(["2024-01-02", "2025-03-01", "2025-05-15"]),
            "Umsatz": [100.0, 50.0, 10.0],
            "Region": ["North", "South", None],
        }
    )
    lines.to_parquet(tmp_path / "orders.parquet")
    (tmp_path / "customers.csv").write_text("customer_id,name\n7,Alpha\n9,Beta\n", encoding="utf-8")
    params = write_params(
        tmp_path,
        {
            "orders": "orders.parquet",
            "customers": "customers.csv",
            "columns": {"orders": {"customer_id": "Kunde", "date": "Datum", "revenue": "Umsatz", "region": "Region"}},
        },
    )
    loaded = load_params(params)
    assert file_table(connect(), loaded, "orders") is None  # DuckDB hands the lines over
    wb = Workbook.open(params)
    assert not isinstance(wb.tables, FileTables)
    c = wb.customers.set_index("customer_id")
    assert c.loc["7", "region"] == "South" and pd.isna(c.loc["9", "region"])
    assert c.loc["7", "revenue_12m"] == 50.0  # window (2024-05-15, 2025-05-15]: only the line of March 2025
    # the facts need no attribute: DuckDB still reads the lines itself for smartacct facts
    got = facts_export(loaded).to_pandas().set_index(["customer_id", "year"])
    assert got.loc[("7", 2024), "revenue"] == 100.0 and got.loc[("7", 2025), "revenue"] == 50.0


def test_an_attribute_the_orders_cannot_hold_is_named(tmp_path):
    (tmp_path / "orders.csv").write_text(ATTRIBUTE_LINES, encoding="utf-8")
    params = write_params(
        tmp_path, {"orders": "orders.csv", "columns": {"orders": {**ATTRIBUTE_MAPPING, "colour": "Region"}}}
    )
    with pytest.raises(InputDataError, match="maps 'colour', which is no column of the orders table"):
        load_tables(load_params(params))


# --- revenue from quantity x unit price -----------------------------------------------------------------------


def _priced(folder: Path, rows: str, german: bool = False) -> Path:
    header = "Kunde;Datum;Menge;Preis\n" if german else "customer_id,date,Qty,Price\n"
    (folder / "orders.csv").write_text(header + rows, encoding="utf-8")
    mapping = (
        {"customer_id": "Kunde", "date": "Datum", "quantity": "Menge", "unit_price": "Preis"}
        if german
        else {"quantity": "Qty", "unit_price": "Price"}
    )
    return write_params(folder, {"orders": "orders.csv", "columns": {"orders": mapping}})


PRICED_ROWS = [
    ("1", "2025-01-10", "3", "0.335"),
    ("1", "2025-02-10", "2", "19.99"),
    ("1", "2025-03-10", "-1", "5.5"),
    ("2", "2025-03-10", "7", "1.125"),
]


def test_revenue_is_quantity_times_unit_price_to_the_cent(tmp_path):
    params = _priced(tmp_path, "".join(",".join(r) + "\n" for r in PRICED_ROWS))
    t = load_tables(load_params(params))
    # by hand: 3 x 0.335 = 1.005 -> 1.01 (half a cent away from zero); 2 x 19.99 = 39.98; -1 x 5.5 = -5.50;
    # 7 x 1.125 = 7.875 -> 7.88
    assert t.orders["revenue"].tolist() == [1.01, 39.98, -5.5, 7.88]
    wb = Workbook.open(params)
    by = wb.customers.set_index("customer_id")["revenue_12m"]
    assert by["1"] == 35.49 and by["2"] == 7.88  # 1.01 + 39.98 - 5.50
    got = facts_export(load_params(params)).to_pandas().set_index("customer_id")
    assert got.loc["1", "revenue"] == 35.49


def test_priced_german_lines_and_a_line_without_its_price(tmp_path):
    rows = "".join(f"{c};{d[8:10]}.{d[5:7]}.{d[:4]};{q};{p.replace('.', ',')}\n" for c, d, q, p in PRICED_ROWS)
    t = load_tables(load_params(_priced(tmp_path, rows, german=True)))
    assert t.orders["revenue"].tolist() == [1.01, 39.98, -5.5, 7.88]
    with pytest.raises(InputDataError) as err:
        load_tables(load_params(_priced(tmp_path, rows + "2;01.04.2025;4;\n", german=True)))
    # the sixth line of the file has a quantity but no price
    assert "orders.csv, row 6, column 'Preis': is empty; expected a unit price" in str(err.value)


def test_without_revenue_or_a_price_the_message_names_both_ways(tmp_path):
    (tmp_path / "orders.csv").write_text("customer_id,date,Qty\n1,2025-01-10,3\n", encoding="utf-8")
    params = write_params(tmp_path, {"orders": "orders.csv", "columns": {"orders": {"quantity": "Qty"}}})
    with pytest.raises(InputDataError, match=r"map it in data.columns.orders.revenue, or map quantity and unit_price"):
        load_tables(load_params(params))


# --- invoice lines without a customer id ----------------------------------------------------------------------

UNATTRIBUTED = (
    "customer_id,date,revenue\n"
    "1,2024-06-01,100.00\n"
    ",2024-06-15,40.00\n"  # before the window
    ",2025-03-01,25.50\n"
    " ,2025-05-01,-5.50\n"  # a blank id is no id
    "1,2025-06-30,300.00\n"
    "2,2025-01-10,60.00\n"
)


def test_lines_without_a_customer_id_are_left_out_and_counted(tmp_path):
    (tmp_path / "orders.csv").write_text(UNATTRIBUTED, encoding="utf-8")
    params = write_params(tmp_path, {"orders": "orders.csv"})
    t = load_tables(load_params(params))
    assert t.customers["customer_id"].tolist() == ["1", "2"] and len(t.orders) == 3
    assert t.unattributed["lines"].sum() == 3 and t.unattributed["revenue"].sum() == pytest.approx(60.0)
    wb = Workbook.open(params)
    assert wb.reference_date == dt.date(2025, 6, 30)
    gone = unattributed_lines(wb)
    # by hand: 3 lines of 6; 40 + 25.50 - 5.50 = 60 in all, of which 25.50 - 5.50 = 20 in the window
    # (2024-06-30, 2025-06-30]; the customers have 100 + 300 + 60 = 460 in all and 300 + 60 = 360 in the window
    assert gone["lines"] == 3 and gone["revenue"] == 60.0 and gone["revenue_12m"] == 20.0
    assert gone["share_of_lines"] == 0.5
    assert gone["share_of_revenue"] == pytest.approx(60 / 520) and gone["share_of_revenue_12m"] == pytest.approx(
        20 / 380
    )
    assert wb.customers["revenue_12m"].sum() == 360.0
    row = data_quality(wb).set_index("finding").loc["invoice lines without a customer id"]
    assert row["count"] == 3 and row["share"] == 0.5
    assert "60.00 EUR in all (11.5 % of all revenue), 20.00 EUR in the last 12 months (5.3 %)" in row["consequence"]


def test_the_summary_counts_the_lines_without_a_customer_id(small_sample, tmp_path):
    # the small sample with three of its lines stripped of their customer id
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(small_sample.parent, folder)
    params = load_params(folder / "params.yaml")
    path = params.path(params.data.orders)
    lines = pd.read_parquet(path)
    id_column = params.data.columns.orders.get("customer_id", "customer_id")
    date_column = params.data.columns.orders.get("date", "date")
    revenue_column = params.data.columns.orders.get("revenue", "revenue")
    days = pd.to_datetime(lines[date_column])
    picked = [int(days.idxmax()), 0, 1]  # the last line of all, and the first two
    lines[id_column] = lines[id_column].astype(object)
    lines.loc[picked, id_column] = None
    lines.to_parquet(path)
    wb = Workbook.open(folder / "params.yaml")
    ref = pd.Timestamp(wb.reference_date)
    expected_12m = sum(
        float(lines.loc[i, revenue_column]) for i in picked if ref - pd.DateOffset(months=12) < days[i] <= ref
    )
    figures = key_figures(wb)
    assert figures["unattributed_lines"] == 3
    assert figures["unattributed_revenue_12m"] == pytest.approx(expected_12m, abs=1e-6)
    assert isinstance(figures["unattributed_lines"], int)


def test_no_lines_without_a_customer_id_give_zeros(sample_workbook):
    gone = unattributed_lines(sample_workbook)
    assert gone == {
        "lines": 0,
        "revenue": 0.0,
        "revenue_12m": 0.0,
        "share_of_lines": 0.0,
        "share_of_revenue": 0.0,
        "share_of_revenue_12m": 0.0,
    }


def test_refuse_names_the_lines_without_a_customer_id(tmp_path, capsys):
    (tmp_path / "orders.csv").write_text(UNATTRIBUTED, encoding="utf-8")
    params = write_params(tmp_path, {"orders": "orders.csv", "missing_customer_id": "refuse"})
    assert main(["validate", "--params", str(params)]) == 2
    err = capsys.readouterr().err
    for row in (3, 4, 5):
        assert f"orders.csv, row {row}, column 'customer_id': is empty; every row needs a customer id" in err
    write_params(tmp_path, {"orders": "orders.csv"})
    assert main(["validate", "--params", str(params)]) == 0
    assert "Invoice lines without a customer id: 3, revenue 60.00 EUR" in capsys.readouterr().out


# --- dates and ids as exports write them ---------------------------------------------------------------------


def test_month_first_dates_with_times_are_read_when_a_value_decides(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "customer_id,date,revenue\n1,12/1/2010 8:26,10.00\n1,12/13/2010 17:05,5.00\n2,1/2/2011,7.00\n", encoding="utf-8"
    )
    t = load_tables(load_params(write_params(tmp_path, {"orders": "orders.csv"})))
    # 12/13/2010 has no month 13: month first, so 1/2/2011 is 2 January
    assert t.orders["date"].dt.strftime("%Y-%m-%d").tolist() == ["2010-12-01", "2010-12-13", "2011-01-02"]


def test_an_undecided_month_first_file_names_the_setting_with_an_example(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "customer_id,date,revenue\n1,12/1/2010 8:26,10.00\n2,1/2/2011,7.00\n", encoding="utf-8"
    )
    params = write_params(tmp_path, {"orders": "orders.csv"})
    with pytest.raises(InputDataError) as err:
        load_tables(load_params(params))
    text = str(err.value)
    assert "orders.csv, row 2, column 'date': every date like '12/1/2010 8:26'" in text
    assert 'set data.csv.date_format to "%m/%d/%Y %H:%M" for month first' in text
    # the format named reads the whole file, the dates without a time too
    write_params(tmp_path, {"orders": "orders.csv", "csv": {"date_format": "%m/%d/%Y %H:%M"}})
    t = load_tables(load_params(params))
    assert t.orders["date"].dt.strftime("%Y-%m-%d").tolist() == ["2010-12-01", "2011-01-02"]


def test_ids_stored_as_numbers_equal_their_text(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "customer_id,date,revenue\n17850.0,2025-03-01,10.00\n00042,2025-03-02,5.00\n", encoding="utf-8"
    )
    (tmp_path / "customers.csv").write_text("customer_id,name\n17850,Alpha\n00042,Beta\n", encoding="utf-8")
    (tmp_path / "activities.csv").write_text("customer_id,date,type\n17850.0,2025-02-01,visit\n", encoding="utf-8")
    (tmp_path / "assessments.csv").write_text(
        "customer_id,date,transparency\n17850.00,2025-02-01,4\n", encoding="utf-8"
    )
    params = write_params(
        tmp_path,
        {
            "orders": "orders.csv",
            "customers": "customers.csv",
            "activities": "activities.csv",
            "assessments": "assessments.csv",
        },
    )
    wb = Workbook.open(params)
    by = wb.customers.set_index("customer_id")
    assert by.loc["17850", "revenue_12m"] == 10.0 and by.loc["17850", "visits_12m"] == 1
    assert by.loc["00042", "revenue_12m"] == 5.0  # leading zeros stay: 00042 is text, not a number
    assert wb.tables.assessments["customer_id"].tolist() == ["17850"]
    assert not any("left out" in str(w) for w in wb.tables.warnings)
    # smartacct facts too: DuckDB would keep 17850.0, so the full reader reads these lines
    got = facts_export(load_params(params)).to_pandas()
    assert sorted(got["customer_id"]) == ["00042", "17850"]


def test_float_id_columns_of_parquet_and_excel_match_a_text_master(tmp_path):
    pd.DataFrame(
        {"customer_id": [17850.0, 12.0], "date": pd.to_datetime(["2025-03-01", "2025-03-02"]), "revenue": [10.0, 5.0]}
    ).to_parquet(tmp_path / "orders.parquet")
    pd.DataFrame({"customer_id": [17850.0, 12.0], "name": ["Alpha", "Beta"]}).to_excel(
        tmp_path / "customers.xlsx", index=False
    )
    params = write_params(tmp_path, {"orders": "orders.parquet", "customers": "customers.xlsx"})
    wb = Workbook.open(params)
    assert wb.customers.set_index("customer_id")["revenue_12m"].to_dict() == {"12": 5.0, "17850": 10.0}
    # without a master the ids come from the lines
    write_params(tmp_path, {"orders": "orders.parquet"})
    assert sorted(load_tables(load_params(params)).customers["customer_id"]) == ["12", "17850"]
    assert sorted(facts_export(load_params(params)).to_pandas()["customer_id"]) == ["12", "17850"]


# --- every problem of every table in one run -------------------------------------------------------------------


def test_a_bad_master_and_bad_lines_are_reported_together_on_every_route(tmp_path, capsys):
    # Parquet lines, which DuckDB reads itself when the master is clean; one line has no date
    pd.DataFrame(
        {"customer_id": ["1", "2"], "date": pd.to_datetime(["2025-03-01", None]), "revenue": [10.0, 5.0]}
    ).to_parquet(tmp_path / "orders.parquet")
    (tmp_path / "customers.csv").write_text(
        "customer_id,name,employees\n1,Alpha,-3\n2,Beta,4\n2,Beta AG,4\n", encoding="utf-8"
    )
    params = write_params(tmp_path, {"orders": "orders.parquet", "customers": "customers.csv"})
    wanted = [
        "orders.parquet, row 2, column 'date': is empty; expected a date",
        "customers.csv, row 2, column 'employees': expected zero or more, found '-3'",
    ]
    with pytest.raises(InputDataError) as err:
        Workbook.open(params)
    assert all(w in str(err.value) for w in wanted)
    assert main(["validate", "--params", str(params)]) == 2
    err_text = capsys.readouterr().err
    assert all(w in err_text for w in wanted)
    # with the master's value fixed, its duplicate customer 2 is found in the same run as the line without a date
    (tmp_path / "customers.csv").write_text(
        "customer_id,name,employees\n1,Alpha,3\n2,Beta,4\n2,Beta AG,4\n", encoding="utf-8"
    )
    with pytest.raises(InputDataError) as err:
        Workbook.open(params)
    assert wanted[0] in str(err.value) and "customer id '2' appears in rows 3, 4 with different name" in str(err.value)


# --- money to the cent, whatever the format -------------------------------------------------------------------

MILLIONTH = Decimal("0.000001")
#: customers whose credit notes cancel their invoices exactly; added up as floats they leave traces like 5.7e-14
CANCELLING = {
    "Z1": [100.10, 200.20, -300.30],
    "Z2": [0.1, 0.2, -0.3],
    "Z3": [12.3456789, 0.0000011, -12.34568],
    "Z4": [1234.5678, -1000.0, -234.5678],
}


def money_lines(seed: int = 21) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invoice lines with amounts of up to six decimals (seven for one) over three years, and the customer master.

    Forty customers buy at random; the customers of :data:`CANCELLING` buy and are credited within the
    window, so their window revenue is exactly 0.
    """
    rng = np.random.default_rng(seed)
    rows = []
    start = dt.date(2023, 1, 1)
    for n in range(40):
        cid = f"K{n:03d}"
        for k in range(int(rng.integers(1, 12))):
            day = start + dt.timedelta(days=int(rng.integers(0, 3 * 365)))
            amount = round(float(rng.lognormal(5, 1.5)) * (-1 if rng.random() < 0.1 else 1), int(rng.integers(2, 7)))
            margin = round(amount * float(rng.uniform(0.1, 0.4)), int(rng.integers(2, 6)))
            rows.append((cid, day, f"{cid}-{k}", amount, margin))
    for cid, amounts in CANCELLING.items():
        for k, amount in enumerate(amounts):
            rows.append((cid, dt.date(2025, 3, 1) + dt.timedelta(days=k), f"{cid}-{k}", amount, amount / 4))
    rows.append(("K000", dt.date(2025, 12, 31), "K000-last", 10.0, 2.5))  # the reference date
    lines = pd.DataFrame(rows, columns=["customer_id", "date", "order_id", "revenue", "contribution_margin"])
    lines["date"] = pd.to_datetime(lines["date"])
    master = pd.DataFrame({"customer_id": sorted(lines["customer_id"].unique())})
    master["name"] = "Firma " + master["customer_id"]
    master["employees"] = [5 + 3 * i for i in range(len(master))]
    master["industry"] = "electricians"
    return lines, master


def _number(value: float, decimal: str) -> str:
    """The float as an export writes it: its shortest digits, never as 1.1e-06."""
    return format(Decimal(repr(float(value))), "f").replace(".", decimal)


def write_money_case(folder: Path, kind: str) -> Path:
    """The lines of :func:`money_lines` as ``csv``, ``csv_de``, ``xlsx`` or ``parquet``, with a CSV master."""
    lines, master = money_lines()
    folder.mkdir(parents=True, exist_ok=True)
    master.to_csv(folder / "customers.csv", index=False)
    if kind == "parquet":
        lines.to_parquet(folder / "orders.parquet")
        name = "orders.parquet"
    elif kind == "xlsx":
        lines.to_excel(folder / "orders.xlsx", index=False)
        name = "orders.xlsx"
    else:
        german = kind == "csv_de"
        sep, decimal = (";", ",") if german else (",", ".")
        with open(folder / "orders.csv", "w", encoding="utf-8", newline="") as fh:
            fh.write(sep.join(lines.columns) + "\n")
            for r in lines.itertuples(index=False):
                day = r.date.strftime("%d.%m.%Y" if german else "%Y-%m-%d")
                fh.write(
                    sep.join(
                        [
                            r.customer_id,
                            day,
                            r.order_id,
                            _number(r.revenue, decimal),
                            _number(r.contribution_margin, decimal),
                        ]
                    )
                    + "\n"
                )
        name = "orders.csv"
    return write_params(folder, {"orders": name, "customers": "customers.csv"}, client="Money", currency="EUR")


def same_figures(a, b, key="figures"):
    """Equal key figures: the same keys, texts and counts, amounts alike to 1e-9 of their size."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), key
        for k in a:
            same_figures(a[k], b[k], f"{key}.{k}")
    elif isinstance(a, float) and isinstance(b, float) and (math.isnan(a) or math.isnan(b)):
        assert math.isnan(a) and math.isnan(b), key
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert b == pytest.approx(a, rel=1e-9, abs=1e-9), key
    else:
        assert a == b, key


def exact_window_revenue(lines: pd.DataFrame, reference: dt.date) -> dict[str, Decimal]:
    """Each customer's window revenue added up in decimals from the amounts as written (six places at most)."""
    start = pd.Timestamp(reference) - pd.DateOffset(months=12)
    inside = lines[(lines["date"] > start) & (lines["date"] <= pd.Timestamp(reference))]
    out: dict[str, Decimal] = {}
    for cid, amount in zip(inside["customer_id"], inside["revenue"], strict=True):
        out[cid] = out.get(cid, Decimal(0)) + Decimal(repr(amount)).quantize(MILLIONTH, ROUND_HALF_UP)
    return out


@pytest.fixture(scope="module")
def money_workbooks(tmp_path_factory):
    """The same lines as English CSV, German CSV, Excel and Parquet, each opened as a workbook."""
    root = tmp_path_factory.mktemp("money")
    return {kind: Workbook.open(write_money_case(root / kind, kind)) for kind in ("parquet", "csv", "csv_de", "xlsx")}


def test_every_format_gives_the_same_classes_and_key_figures(money_workbooks):
    parquet = money_workbooks["parquet"]
    # the routes: DuckDB reads the Parquet and plain CSV lines itself, the full reader the Excel sheet
    assert isinstance(parquet.tables, FileTables) and isinstance(money_workbooks["csv_de"].tables, FileTables)
    assert not isinstance(money_workbooks["xlsx"].tables, FileTables)
    want_abc = classify(parquet).set_index("customer_id")["abc"]
    want = key_figures(parquet)
    for kind, wb in money_workbooks.items():
        assert classify(wb).set_index("customer_id")["abc"].equals(want_abc), kind
        same_figures(want, key_figures(wb), kind)
        pd.testing.assert_series_equal(
            wb.customers["revenue_12m"], parquet.customers["revenue_12m"], check_exact=True, obj=kind
        )


def test_credit_notes_that_cancel_leave_exactly_nothing(money_workbooks):
    lines, _ = money_lines()
    for kind, wb in money_workbooks.items():
        classes = classify(wb).set_index("customer_id")
        for cid in CANCELLING:
            assert classes.loc[cid, "revenue_12m"] == 0.0, (kind, cid)  # exactly, not 5.7e-14
            assert classes.loc[cid, "abc"] == "D", (kind, cid)
        # every window revenue is the decimal sum of the amounts as written, to the millionth
        exact = exact_window_revenue(lines, wb.reference_date)
        got = classes["revenue_12m"]
        for cid, total in exact.items():
            assert got[cid] == float(total), (kind, cid)


def test_the_facts_export_sums_money_exactly(money_workbooks, tmp_path):
    lines, _ = money_lines()
    got = facts_export(load_params(write_money_case(tmp_path / "p", "parquet"))).to_pandas()
    z = got[got["customer_id"].isin(list(CANCELLING))]
    assert (z["revenue"] == 0.0).all() and (z["revenue_12m"] == 0.0).all()
    yearly = {}
    for cid, day, amount in zip(lines["customer_id"], lines["date"], lines["revenue"], strict=True):
        yearly[(cid, day.year)] = yearly.get((cid, day.year), Decimal(0)) + Decimal(repr(amount)).quantize(
            MILLIONTH, ROUND_HALF_UP
        )
    assert {(c, int(y)): r for c, y, r in zip(got["customer_id"], got["year"], got["revenue"], strict=True)} == {
        k: float(v) for k, v in yearly.items()
    }


# --- the Superstore order log ------------------------------------------------------------------------------------

needs_superstore = pytest.mark.skipif(not SUPERSTORE.is_file(), reason=f"the Superstore log is not at {SUPERSTORE}")


def _superstore_params(folder: Path, attributes: bool = True) -> Path:
    columns = {**SUPERSTORE_COLUMNS, **(SUPERSTORE_ATTRIBUTES if attributes else {})}
    return write_params(
        folder, {"orders": str(SUPERSTORE), "columns": {"orders": columns}}, client="Superstore", currency="USD"
    )


def _superstore_by_hand() -> tuple[int, Decimal, Decimal, dict[str, dict[str, str]]]:
    """Lines, Sales and Profit totals and each customer's latest name, segment and region, read with csv alone."""
    latest: dict[str, tuple] = {}
    sales = profit = Decimal(0)
    lines = 0
    with open(SUPERSTORE, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            lines += 1
            sales += Decimal(row["Sales"])
            profit += Decimal(row["Profit"])
            month, day, year = (int(p) for p in row["Order Date"].split("/"))
            for attribute, column in SUPERSTORE_ATTRIBUTES.items():
                key = (row["Customer ID"], attribute)
                value = ((year, month, day), row[column])
                latest[key] = max(latest.get(key, value), value)  # the latest day, then the greater value
    customers: dict[str, dict[str, str]] = {}
    for (cid, attribute), (_, value) in latest.items():
        customers.setdefault(cid, {})[attribute] = value
    return lines, sales, profit, customers


@needs_superstore
def test_the_superstore_log_reads_with_its_column_mapping(tmp_path):
    lines, sales, profit, by_hand = _superstore_by_hand()
    assert (lines, len(by_hand), str(sales), str(profit)) == (9994, 793, "2297200.8603", "286397.0217")
    t = load_tables(load_params(_superstore_params(tmp_path)))
    assert len(t.orders) == 9994 and len(t.customers) == 793 and t.unattributed is None
    assert (
        round(t.orders["revenue"].sum(), 2) == 2297200.86
        and round(t.orders["contribution_margin"].sum(), 2) == 286397.02
    )
    assert t.orders["date"].min() == pd.Timestamp("2016-01-03") and t.orders["date"].max() == pd.Timestamp("2019-12-30")
    got = t.customers.set_index("customer_id")[["name", "industry", "region"]].to_dict("index")
    assert got == by_hand


@needs_superstore
def test_the_superstore_workbook_and_validate(tmp_path, capsys):
    params = _superstore_params(tmp_path)
    wb = Workbook.open(params)
    assert len(wb.customers) == 793 and wb.reference_date == dt.date(2019, 12, 30)
    # summed exactly: the customers' yearly revenue and margin add up to the log's totals
    assert round(wb.yearly["revenue"].sum(), 2) == 2297200.86
    assert round(wb.yearly["contribution_margin"].sum(), 2) == 286397.02
    assert wb.line_counts()["lines"] == 9994
    assert set(wb.customers["industry"]) == {"Consumer", "Corporate", "Home Office"}
    assert main(["validate", "--params", str(params)]) == 0
    out = capsys.readouterr().out
    assert "9,994 rows" in out and "793 taken from the orders" in out and "revenue 2,297,200.86 USD" in out
    # the mapping of try-inputs alone reads the same lines
    plain = load_tables(load_params(_superstore_params(tmp_path, attributes=False)))
    assert len(plain.orders) == 9994 and len(plain.customers) == 793 and "region" not in plain.customers


def test_priced_lines_in_excel_below_a_title(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Umsatzliste 2025"])  # a title above the table: the header is the row that names the columns
    ws.append(["Kunde", "Datum", "Menge", "Preis"])
    ws.append(["7", dt.datetime(2025, 3, 1), 3, 0.335])
    ws.append([17850.0, dt.datetime(2025, 3, 2), 2, 19.99])
    book.save(tmp_path / "orders.xlsx")
    params = write_params(
        tmp_path,
        {
            "orders": "orders.xlsx",
            "columns": {
                "orders": {"customer_id": "Kunde", "date": "Datum", "quantity": "Menge", "unit_price": "Preis"}
            },
        },
    )
    t = load_tables(load_params(params))
    # by hand: 3 x 0.335 = 1.005 -> 1.01, 2 x 19.99 = 39.98; the number cell 17850.0 is the id 17850
    assert t.orders["revenue"].tolist() == [1.01, 39.98]
    assert t.orders["customer_id"].tolist() == ["7", "17850"]
    assert any("the header is in row 2" in str(w) for w in t.warnings)


# --- columns present but empty -----------------------------------------------------------------------------------

EMPTY_COLUMNS_LINES = (
    "customer_id;date;revenue;margin;order;channel\n"
    "7;02.01.2025;100,00;;;\n"
    "7;01.03.2025;50,00;;;\n"
    "9;15.05.2025;10,00;;;\n"
)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_an_optional_column_without_any_value_is_left_out_with_a_warning(tmp_path, kind):
    # an empty margin would otherwise make every margin 0; empty order ids would count no order at all
    mapping = {"contribution_margin": "margin", "order_id": "order", "channel": "channel"}
    csv_path = tmp_path / "orders.csv"
    csv_path.write_text(EMPTY_COLUMNS_LINES, encoding="utf-8")
    path = csv_path
    if kind == "parquet":
        frame = pd.read_csv(csv_path, sep=";", dtype=str)
        frame = frame.assign(
            revenue=[100.0, 50.0, 10.0],
            date=pd.to_datetime(["2025-01-02", "2025-03-01", "2025-05-15"]),
            margin=pd.Series([None] * 3, dtype="float64"),
            order=pd.Series([None] * 3, dtype="string"),
            channel=pd.Series([None] * 3, dtype="string"),
        )
        path = tmp_path / "orders.parquet"
        frame.to_parquet(path)
    wb = Workbook.open(write_params(tmp_path, {"orders": path.name, "columns": {"orders": mapping}}))
    assert "contribution_margin_12m" not in wb.customers
    # orders counted by day: customer 7 ordered on two days, 9 on one
    assert wb.customers.set_index("customer_id")["orders_12m"].to_dict() == {"7": 2, "9": 1}
    assert list(wb.tables.orders.columns) == ["customer_id", "date", "revenue"]
    left_out = [w.column for w in wb.tables.warnings if "holds no value" in w.message]
    assert sorted(left_out) == ["channel", "margin", "order"]


def test_an_account_team_cost_is_read_from_the_master_and_a_negative_one_is_named(tmp_path):
    pd.DataFrame(
        {"customer_id": ["1", "2"], "date": pd.to_datetime(["2025-03-01", "2025-04-01"]), "revenue": [10.0, 5.0]}
    ).to_csv(tmp_path / "orders.csv", index=False)
    (tmp_path / "customers.csv").write_text("customer_id,account_team_annual_cost\n1,12000\n2,\n", encoding="utf-8")
    params = write_params(tmp_path, {"orders": "orders.csv", "customers": "customers.csv"})
    wb = Workbook.open(params)
    # customer 1 carries its team's 12,000 a year in its cost to serve; customer 2 has none
    assert wb.customers.set_index("customer_id")["account_team_annual_cost"].fillna(0).tolist() == [12_000.0, 0.0]
    (tmp_path / "customers.csv").write_text("customer_id,account_team_annual_cost\n1,-500\n2,\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"customers.csv, row 2, column 'account_team_annual_cost': expected zero"):
        Workbook.open(params)
