"""Full reports on the inputs a client may have: the orders alone, a master without industry and employees, a
master whose industry column is empty, and a real public order log (../shared/data/superstore, read where it
lies, never copied).

Each report must finish with a complete folder; its key figures are checked against a recomputation from the
input files with plain pandas.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smartacct_helpers.delivery.report import build_report
from tests.conftest import ROOT

pytestmark = pytest.mark.notebooks

SUPERSTORE = next(
    (
        folder / "shared" / "data" / "superstore" / "Sample - Superstore.csv"
        for folder in ROOT.parents
        if (folder / "shared" / "data" / "superstore").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "superstore" / "Sample - Superstore.csv",
)


def _copy(small_sample: Path, tmp_path: Path) -> tuple[Path, dict]:
    folder = tmp_path / "data"
    shutil.copytree(small_sample.parent, folder)
    return folder, yaml.safe_load((folder / "params.yaml").read_text(encoding="utf-8"))


def _write(folder: Path, params: dict) -> Path:
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _edit_master(folder: Path, params: dict, drop=(), empty=()) -> None:
    """The master CSV with some columns dropped and some emptied (values only; the header stays)."""
    path = folder / params["data"]["customers"]
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = params["data"]["columns"].get("customers", {})
    header = rows[0]
    gone = {header.index(names.get(c, c)) for c in drop}
    blank = {header.index(names.get(c, c)) for c in empty}
    out = [[("" if i in blank and n else v) for i, v in enumerate(row) if i not in gone] for n, row in enumerate(rows)]
    for canonical in drop:
        params["data"]["columns"]["customers"].pop(canonical, None)
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(out)


def _finished(folder: Path) -> dict:
    """The report folder is complete; its summary.json."""
    assert (folder / "report.html").stat().st_size > 50_000
    assert len(list((folder / "notebooks").glob("0*.ipynb"))) == len(list((ROOT / "notebooks").glob("0*.ipynb")))
    assert (folder / "exports" / "customer_segments.xlsx").exists()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(("failed-", ".building"))]
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _visible_words(html: str) -> set[str]:
    """The words a reader of the report sees (no styles, scripts or embedded images)."""
    import re

    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return {w.strip(".,;:()").lower() for w in text.split()}


def _window_revenue(orders: pd.DataFrame, reference: dt.date) -> float:
    start = pd.Timestamp(reference) - pd.DateOffset(months=12)
    day = orders["date"].dt.normalize()
    return float(orders.loc[(day > start) & (day <= pd.Timestamp(reference)), "revenue"].sum())


@pytest.fixture(scope="module")
def orders_only_report(small_sample, tmp_path_factory):
    """The report on the small sample's orders alone, built once: (report folder, data folder, params)."""
    tmp_path = tmp_path_factory.mktemp("orders-only")
    folder, params = _copy(small_sample, tmp_path)
    only = {"data": {"orders": params["data"]["orders"], "columns": {"orders": params["data"]["columns"]["orders"]}}}
    return build_report(_write(folder, only), tmp_path / "out"), folder, params


SUPERSTORE_PARAMS = {
    "client": "Superstore",
    "currency": "USD",
    "data": {
        "orders": str(SUPERSTORE),
        "columns": {
            "orders": {
                "customer_id": "Customer ID",
                "date": "Order Date",
                "order_id": "Order ID",
                "revenue": "Sales",
                "contribution_margin": "Profit",
                "product_group": "Category",
                "name": "Customer Name",
                "industry": "Segment",
                "region": "Region",
            }
        },
    },
}


@pytest.fixture(scope="module")
def superstore_report(tmp_path_factory):
    """The report on the Superstore order log, built once: (report folder, the log's bytes before)."""
    if not SUPERSTORE.exists():
        pytest.skip("../shared/data/superstore is not beside this checkout")
    tmp_path = tmp_path_factory.mktemp("superstore")
    before = SUPERSTORE.read_bytes()
    return build_report(_write(tmp_path, SUPERSTORE_PARAMS), tmp_path / "out"), before


def test_a_report_on_the_orders_alone(orders_only_report):
    report, folder, params = orders_only_report
    figures = _finished(report)
    mapping = params["data"]["columns"]["orders"]
    orders = pd.read_parquet(folder / params["data"]["orders"]).rename(columns={v: k for k, v in mapping.items()})
    orders["date"] = pd.to_datetime(orders["date"])
    reference = orders["date"].max().date()
    # without a master, the customers are the distinct ids of the orders
    assert figures["customers_total"] == orders["customer_id"].nunique()
    assert figures["reference_date"] == reference.isoformat()
    assert figures["revenue_12m"] == pytest.approx(_window_revenue(orders, reference), abs=0.01)
    assert figures["unattributed_lines"] == 0
    html = (report / "report.html").read_text(encoding="utf-8")
    # the industry method needs the master; the section says so instead of a table
    assert "it needs an industry and an employee count per customer" in html
    assert "nan" not in _visible_words(html)


def test_a_report_on_a_master_with_an_empty_industry_column_and_no_employees(small_sample, tmp_path):
    """A master that lacks one column and holds another empty: one report for both kinds of gap."""
    folder, params = _copy(small_sample, tmp_path)
    _edit_master(folder, params, drop=("employees",), empty=("industry",))
    report = build_report(_write(folder, params), tmp_path / "out")
    figures = _finished(report)
    # five years of history: every customer's potential is its historic peak, so the total is known
    assert figures["potential_total"] is not None and figures["potential_total"] > 0
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "it needs an industry" in html  # the potential per employee: the section says what it lacks
    assert "holds no value in any row" in html  # the data-quality findings name the empty column


def test_a_report_on_the_superstore_order_log(superstore_report):
    report, before = superstore_report
    figures = _finished(report)
    assert SUPERSTORE.read_bytes() == before  # input files are only ever read
    raw = pd.read_csv(SUPERSTORE, encoding="utf-8-sig")
    raw = raw.assign(date=pd.to_datetime(raw["Order Date"], format="%m/%d/%Y"), revenue=raw["Sales"])
    reference = raw["date"].max().date()
    assert figures["customers_total"] == 793  # the log's README
    assert figures["reference_date"] == reference.isoformat()
    assert figures["revenue_12m"] == pytest.approx(_window_revenue(raw, reference), abs=0.01)
    assert figures["data_coverage"]["first_date"] == raw["date"].min().date().isoformat()


REPORTS = ["sample_report", "orders_only_report", "superstore_report"]


@functools.cache
def findings_of(folder: Path) -> tuple:
    """What the report linter finds in a report folder, read once for both tests below (the PDF takes a while)."""
    from tests.report_lint import lint_folder

    return tuple(lint_folder(folder))


@pytest.mark.parametrize("built", REPORTS)
def test_the_report_linter_finds_nothing(built, request):
    # what a consultant would not hand over (tests/report_lint/): code names, nan, True, float noise, cuts,
    # index rows, tables too wide for the page, right-aligned text; in the PDF text too small or cut off, pages
    # without a number, sections without a bookmark, nearly empty pages; in the Excel files headers and formats
    # for the client and the print setup
    report = request.getfixturevalue(built)
    report = report[0] if isinstance(report, tuple) else report
    findings = [f for f in findings_of(report) if f.kind != "image without alt text"]
    assert not findings, "\n".join(str(f) for f in findings[:40]) + f"\n{len(findings)} findings"


@pytest.mark.parametrize("built", REPORTS)
def test_every_image_of_the_report_has_alt_text(built, request):
    report = request.getfixturevalue(built)
    report = report[0] if isinstance(report, tuple) else report
    assert [str(f) for f in findings_of(report) if f.kind == "image without alt text"] == []
