"""The shapes of real exports in a PostgreSQL table: the same answers as from the files."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from smartacct_helpers.delivery.summary import key_figures
from smartacct_helpers.exceptions import InputDataError
from smartacct_helpers.facts.quality import unattributed_lines
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.small_customers.analysis import classify
from tests.test_real_exports import (
    ATTRIBUTE_LINES,
    CANCELLING,
    PRICED_ROWS,
    UNATTRIBUTED,
    money_lines,
    same_figures,
    write_money_case,
)

from .conftest import PASSWORD, load_frame


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("SMARTACCT_DB_PASSWORD", PASSWORD)
    return PASSWORD


def _db_params(folder, postgres, data: dict, **top):
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump({**top, "data": {"database": postgres.url, **data}}, allow_unicode=True))
    return path


def test_money_in_the_database_gives_the_classes_and_figures_of_the_files(postgres, password, tmp_path):
    lines, master = money_lines()
    load_frame(postgres, "money_lines", lines)
    load_frame(postgres, "money_customers", master)
    db_wb = Workbook.open(
        _db_params(
            tmp_path,
            postgres,
            {"orders": "money_lines", "customers": "money_customers"},
            client="Money",
            currency="EUR",
        )
    )
    file_wb = Workbook.open(write_money_case(tmp_path / "files", "parquet"))
    db = classify(db_wb).set_index("customer_id")
    assert db["abc"].equals(classify(file_wb).set_index("customer_id")["abc"])
    for cid in CANCELLING:
        assert db.loc[cid, "revenue_12m"] == 0.0 and db.loc[cid, "abc"] == "D"  # exactly: PostgreSQL sums as DuckDB
    pd.testing.assert_series_equal(
        db["revenue_12m"], classify(file_wb).set_index("customer_id")["revenue_12m"], check_exact=True
    )
    same_figures(key_figures(file_wb), key_figures(db_wb), "summary")


def _csv_frame(text: str, sep: str = ";") -> pd.DataFrame:
    import io

    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def test_attributes_on_the_lines_in_the_database(postgres, password, tmp_path):
    raw = _csv_frame(ATTRIBUTE_LINES)
    lines = pd.DataFrame(
        {
            "kunde": raw["Kunde"],
            "datum": pd.to_datetime(raw["Datum"], format="%d.%m.%Y"),
            "umsatz": raw["Umsatz"].str.replace(",", ".").astype(float),
            "name": raw["Name"].replace("", None),
            "branche": raw["Branche"].replace("", None),
            "region": raw["Region"].replace("", None),
            "ma": pd.to_numeric(raw["MA"].replace("", None)).astype("Int64"),
        }
    )
    load_frame(postgres, "zeilen_mit_kunden", lines)
    mapping = {
        "customer_id": "kunde",
        "date": "datum",
        "revenue": "umsatz",
        "name": "name",
        "industry": "branche",
        "region": "region",
        "employees": "ma",
    }
    wb = Workbook.open(_db_params(tmp_path, postgres, {"orders": "zeilen_mit_kunden", "columns": {"orders": mapping}}))
    c = wb.customers.set_index("customer_id")
    # as from the file (tests/test_real_exports.py): 7's latest line names it, older lines fill its gaps
    assert c.loc["7", ["name", "industry", "region"]].tolist() == ["Alpha GmbH", "trade", "South"]
    assert c.loc["7", "employees"] == 5
    assert c.loc["9", "name"] == "Beta" and pd.isna(c.loc["9", "industry"]) and c.loc["11", "region"] == "West"
    # with a master: its names win, its empty industry and its missing region come from the lines
    load_frame(
        postgres,
        "kunden_stamm",
        pd.DataFrame(
            {
                "customer_id": ["7", "9", "11"],
                "name": ["Alpha Stammdaten", "Beta Stamm", "Gamma KG"],
                "industry": [None, "wholesale", "retail"],
            }
        ),
    )
    wb = Workbook.open(
        _db_params(
            tmp_path,
            postgres,
            {"orders": "zeilen_mit_kunden", "customers": "kunden_stamm", "columns": {"orders": mapping}},
        )
    )
    c = wb.customers.set_index("customer_id")
    assert c["name"].to_dict() == {"11": "Gamma KG", "7": "Alpha Stammdaten", "9": "Beta Stamm"}
    assert c.loc["7", "industry"] == "trade" and c.loc["9", "industry"] == "wholesale"
    assert c.loc["7", "region"] == "South" and c.loc["7", "employees"] == 5


def test_priced_lines_and_float_ids_in_the_database(postgres, password, tmp_path):
    lines = pd.DataFrame(
        {
            "kunde": [float(c) + 17849 for c, _, _, _ in PRICED_ROWS],  # 17850.0 and 17851.0
            "datum": pd.to_datetime([d for _, d, _, _ in PRICED_ROWS]),
            "menge": [float(q) for _, _, q, _ in PRICED_ROWS],
            "preis": [float(p) for _, _, _, p in PRICED_ROWS],
        }
    )
    load_frame(postgres, "preiszeilen", lines)
    load_frame(postgres, "preiskunden", pd.DataFrame({"customer_id": ["17850", "17851"], "name": ["A", "B"]}))
    mapping = {"customer_id": "kunde", "date": "datum", "quantity": "menge", "unit_price": "preis"}
    wb = Workbook.open(
        _db_params(
            tmp_path, postgres, {"orders": "preiszeilen", "customers": "preiskunden", "columns": {"orders": mapping}}
        )
    )
    # by hand, as from the file: 1.01 + 39.98 - 5.50 = 35.49 for the first customer, 7 x 1.125 -> 7.88
    assert wb.customers.set_index("customer_id")["revenue_12m"].to_dict() == {"17850": 35.49, "17851": 7.88}


def test_lines_without_a_customer_id_in_the_database(postgres, password, tmp_path, monkeypatch):
    raw = _csv_frame(UNATTRIBUTED, sep=",")
    lines = pd.DataFrame(
        {
            "customer_id": raw["customer_id"],
            "date": pd.to_datetime(raw["date"]),
            "revenue": raw["revenue"].astype(float),
        }
    )
    lines.loc[1, "customer_id"] = None  # a NULL, beside the empty and the blank text of the other two
    load_frame(postgres, "zeilen_ohne_kunde", lines)
    params = _db_params(tmp_path, postgres, {"orders": "zeilen_ohne_kunde"})
    wb = Workbook.open(params)
    assert sorted(wb.customers["customer_id"]) == ["1", "2"]
    # as from the file: 3 lines, 60 in all, 20 in the window, the customers' 360 in the window untouched
    gone = unattributed_lines(wb)
    assert (gone["lines"], gone["revenue"], gone["revenue_12m"]) == (3, 60.0, 20.0)
    assert wb.customers["revenue_12m"].sum() == 360.0 and wb.line_counts()["lines"] == 3
    figures = key_figures(wb)
    assert figures["unattributed_lines"] == 3 and figures["unattributed_revenue_12m"] == 20.0
    # a report's kernel opens the snapshot, which carries them: it need not count them again
    from smartacct_helpers.facts.workbook import SNAPSHOT

    folder = wb.save_snapshot(tmp_path / "snapshot")
    monkeypatch.setenv(SNAPSHOT, str(folder))
    kernel = Workbook.open(params)
    assert kernel.tables.is_read("unattributed") and unattributed_lines(kernel) == gone
    monkeypatch.delenv(SNAPSHOT)
    with pytest.raises(
        InputDataError,
        match=r"zeilen_ohne_kunde, column 'customer_id': 3 invoice lines have no "
        r"customer id .*data.missing_customer_id: exclude",
    ):
        Workbook.open(_db_params(tmp_path, postgres, {"orders": "zeilen_ohne_kunde", "missing_customer_id": "refuse"}))
