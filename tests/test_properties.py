"""Invariants across the package, checked on random inputs (hypothesis).

* the ABC classes partition the customers, in the order of their revenue;
* revenue shares sum to one;
* the sales threshold and the inside-sales headcount move the right way with
  each of their inputs;
* canonical data written the German way (``;``, decimal comma, thousands dot,
  ``dd.mm.yyyy``, Windows-1252) reads back as the same tables;
* the customer facts computed in DuckDB equal a plain pandas computation.
"""

import csv
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.field_visits.analysis import management_cost_per_customer, sales_threshold, visit_cost
from smartacct_helpers.inside_sales.business_case import headcount
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.intake.tables import load_tables
from smartacct_helpers.key_accounts.concentration import herfindahl_index, revenue_shares, top_share
from smartacct_helpers.params import Params, parse_params
from smartacct_helpers.small_customers.analysis import abc_classes

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# money: no subnormal floats (a share of 5e-324 rounds to zero, and no invoice is that small)
amounts = st.floats(min_value=-5_000, max_value=1_000_000, allow_nan=False, allow_infinity=False, allow_subnormal=False)
ids = st.from_regex(r"[0-9A-Z]{1,8}", fullmatch=True)


# --- ABC and shares ---------------------------------------------------------------------------------


@SETTINGS
@given(
    revenue=st.dictionaries(ids, amounts, min_size=1, max_size=60),
    limits=st.tuples(st.floats(0.05, 0.95), st.floats(0.05, 0.95)).filter(lambda t: t[0] < t[1] - 1e-6),
)
def test_abc_classes_partition_the_customers_in_revenue_order(revenue, limits):
    a, b = limits
    classes = abc_classes(pd.Series(revenue, dtype="float64"), a, b)
    values = pd.Series(revenue, dtype="float64").round(2)  # money is compared to the cent
    # every customer gets exactly one class, and D exactly for no positive revenue
    assert list(classes.index) == list(values.index)
    assert set(classes) <= {"A", "B", "C", "D"} and classes.notna().all()
    assert ((classes == "D") == (values <= 0)).all()
    positive = values[values > 0].sort_values(ascending=False, kind="stable")
    if len(positive):
        # the largest customer is always A; the classes never go back (A, then B, then C) down the ranking
        ranked = classes[positive.index]
        assert ranked.iloc[0] == "A"
        assert list(ranked) == sorted(ranked)
        # an A customer starts below the A limit: the revenue of all larger customers is below a of the total
        before = (positive.cumsum() - positive) / positive.sum()
        assert (before[ranked == "A"] < a + 1e-12).all()
        assert (before[ranked == "C"] >= b - 1e-12).all()


@SETTINGS
@given(revenue=st.lists(amounts, min_size=1, max_size=80), n=st.integers(1, 100))
def test_revenue_shares_sum_to_one(revenue, n):
    values = pd.Series(revenue, dtype="float64")
    assume((values > 0).any())
    shares = revenue_shares(values)
    assert shares.sum() == pytest.approx(1.0)
    assert (shares > 0).all() and shares.is_monotonic_decreasing
    # the top n bring at most everything, more with a larger n
    assert 0 < top_share(values, n) <= top_share(values, n + 1) <= 1 + 1e-12
    assert top_share(values, len(values)) == pytest.approx(1.0)
    # one customer alone gives a Herfindahl index of 1, N equal ones 1/N: every mix lies in between
    assert 1 / len(shares) - 1e-12 <= herfindahl_index(values) <= 1 + 1e-12


# --- the threshold and the headcount ------------------------------------------------------------------


def threshold(cost, days, per_day, visits, ratio):
    return sales_threshold(management_cost_per_customer(visit_cost(cost, days, per_day), visits), ratio)


positive = st.floats(1, 1e6)


@SETTINGS
@given(
    cost=positive,
    days=st.integers(1, 366),
    per_day=st.floats(0.5, 12),
    visits=st.one_of(st.just(0.0), st.floats(0.1, 24)),
    ratio=st.floats(0.01, 0.99),
    factor=st.floats(1.001, 3),
)
def test_sales_threshold_moves_the_right_way(cost, days, per_day, visits, ratio, factor):
    base = threshold(cost, days, per_day, visits, ratio)
    assert base >= 0
    # dearer reps and more visits per customer raise the threshold ...
    assert threshold(cost * factor, days, per_day, visits, ratio) >= base
    assert threshold(cost, days, per_day, visits * factor, ratio) >= base
    # ... more working days, more visits per day and a higher acceptable cost ratio lower it
    assert threshold(cost, days * factor, per_day, visits, ratio) <= base
    assert threshold(cost, days, per_day * factor, visits, ratio) <= base
    if ratio * factor < 1:
        assert threshold(cost, days, per_day, visits, ratio * factor) <= base
    if visits > 0:  # strictly, where anything is spent at all
        assert threshold(cost * factor, days, per_day, visits, ratio) > base


@SETTINGS
@given(
    customers=st.integers(0, 50_000),
    more=st.integers(0, 5_000),
    capacity=st.integers(1, 1_000),
    extra=st.integers(0, 500),
)
def test_headcount_moves_the_right_way(customers, more, capacity, extra):
    reps = headcount(customers, capacity)
    # enough reps, and not one too many
    assert reps * capacity >= customers and (reps - 1) * capacity < max(customers, 1)
    assert headcount(customers + more, capacity) >= reps
    assert headcount(customers, capacity + extra) <= reps


# --- a German CSV export reads back as the same tables --------------------------------------------------

NAME_CHARS = st.characters(codec="cp1252", categories=("L", "N", "Zs", "P", "S"), exclude_characters="\r\n\x85")


def german_number(value: float) -> str:
    """1234567.5 -> '1.234.567,50' (thousands dot, decimal comma)."""
    text = f"{abs(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if value < 0 else "") + text


def german_int(value) -> str:
    return "" if pd.isna(value) else f"{int(value):,}".replace(",", ".")


@st.composite
def canonical_tables(draw):
    customer_ids = draw(
        st.lists(st.from_regex(r"0{0,3}[1-9][0-9]{0,5}", fullmatch=True), min_size=1, max_size=15, unique=True)
    )
    names = [draw(st.text(NAME_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)) for _ in customer_ids]
    employees = [draw(st.one_of(st.none(), st.integers(0, 25_000))) for _ in customer_ids]
    lines = draw(st.integers(1, 40))
    orders = pd.DataFrame(
        {
            "customer_id": [draw(st.sampled_from(customer_ids)) for _ in range(lines)],
            "date": [pd.Timestamp(draw(st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)))) for _ in range(lines)],
            # whole cents, credit notes included, up to ten million
            "revenue": [draw(st.integers(-1_000_000, 1_000_000_000)) / 100 for _ in range(lines)],
        }
    )
    customers = pd.DataFrame(
        {"customer_id": customer_ids, "name": names, "employees": pd.array(employees, dtype="Int64")}
    )
    return orders, customers


def write_german(folder: Path, orders: pd.DataFrame, customers: pd.DataFrame) -> None:
    with open(folder / "orders.csv", "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["Kundennummer", "Rechnungsdatum", "Umsatz"])
        for row in orders.itertuples():
            w.writerow([row.customer_id, f"{row.date:%d.%m.%Y}", german_number(row.revenue)])
    with open(folder / "customers.csv", "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["Kundennummer", "Name", "Mitarbeiter"])
        for row in customers.itertuples():
            w.writerow([row.customer_id, row.name, german_int(row.employees)])


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@SETTINGS
@given(tables=canonical_tables())
def test_a_german_csv_export_reads_back_as_the_same_tables(tables):
    orders, customers = tables
    # names whose Windows-1252 bytes are UTF-8 too ("Â¡" is the bytes of "¡") make a file that is valid UTF-8,
    # which the intake reads as UTF-8, as documented: no export of such names can tell the two apart
    text = "".join(customers["name"])
    assume(text.isascii() or _not_utf8(text.encode("cp1252")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_german(folder, orders, customers)
        params = parse_params(
            {
                "data": {
                    "orders": "orders.csv",
                    "customers": "customers.csv",
                    "columns": {
                        "orders": {"customer_id": "Kundennummer", "date": "Rechnungsdatum", "revenue": "Umsatz"},
                        "customers": {"customer_id": "Kundennummer", "name": "Name", "employees": "Mitarbeiter"},
                    },
                }
            },
            folder,
            str(folder / "params.yaml"),
        )
        read = load_tables(params)
    assert read.orders["customer_id"].tolist() == orders["customer_id"].tolist()  # leading zeros kept
    assert read.orders["date"].tolist() == orders["date"].tolist()
    assert read.orders["revenue"].tolist() == orders["revenue"].tolist()
    assert read.customers["customer_id"].tolist() == customers["customer_id"].tolist()
    for column in ("name", "employees"):
        if customers[column].isna().all():  # a column without any value is read as no column
            assert column not in read.customers
        elif column == "name":
            assert read.customers["name"].tolist() == customers["name"].tolist()
        else:
            assert read.customers[column].astype("Float64").tolist() == customers[column].astype("Float64").tolist()


# --- DuckDB facts against pandas -----------------------------------------------------------------------


@st.composite
def order_book(draw):
    customer_ids = [f"K{i:03d}" for i in range(draw(st.integers(1, 12)))]
    lines = draw(st.integers(1, 60))  # the intake refuses a file without lines
    orders = pd.DataFrame(
        {
            "customer_id": pd.Series([draw(st.sampled_from(customer_ids)) for _ in range(lines)], dtype=object),
            "date": pd.to_datetime([draw(st.dates(dt.date(2021, 1, 1), dt.date(2026, 6, 30))) for _ in range(lines)]),
            "revenue": [draw(st.integers(-50_000, 5_000_000)) / 100 for _ in range(lines)],
            "contribution_margin": [draw(st.integers(-20_000, 1_000_000)) / 100 for _ in range(lines)],
        }
    ).astype({"date": "datetime64[ns]"})
    reference = draw(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
    return orders, pd.DataFrame({"customer_id": customer_ids}, dtype=object), reference


@SETTINGS
@given(book=order_book())
def test_customer_facts_from_duckdb_equal_pandas(book):
    orders, customers, reference = book
    params = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": reference})
    wb = Workbook.from_tables(params, Tables(orders=orders, customers=customers))
    got = wb.customers.set_index("customer_id")
    assert sorted(got.index) == sorted(customers["customer_id"])

    ref = pd.Timestamp(reference)
    upto = orders[orders["date"] <= ref]  # lines after the reference date do not count
    for cid in customers["customer_id"]:
        mine = upto[upto["customer_id"] == cid]
        windows = []
        for k in range(3):  # trend_years = 3 windows of 12 months back from the reference date
            end, start = ref - pd.DateOffset(months=12 * k), ref - pd.DateOffset(months=12 * (k + 1))
            windows.append(mine[(mine["date"] > start) & (mine["date"] <= end)])
        row = got.loc[cid]
        assert row["revenue_12m"] == pytest.approx(windows[0]["revenue"].sum(), abs=1e-6)
        assert row["contribution_margin_12m"] == pytest.approx(windows[0]["contribution_margin"].sum(), abs=1e-6)
        assert row["revenue_12m_1"] == pytest.approx(windows[1]["revenue"].sum(), abs=1e-6)
        assert row["revenue_12m_2"] == pytest.approx(windows[2]["revenue"].sum(), abs=1e-6)
        assert row["lines_12m"] == len(windows[0])
        assert row["orders_12m"] == windows[0]["date"].nunique()  # without order ids an order is a day
        if len(mine):
            assert row["first_order"] == mine["date"].min() and row["last_order"] == mine["date"].max()
        else:
            assert pd.isna(row["first_order"]) and pd.isna(row["last_order"])
    # the yearly facts hold every line, by calendar year (each analysis picks the years it needs)
    yearly = wb.yearly
    assert yearly["revenue"].sum() == pytest.approx(orders["revenue"].sum(), abs=1e-6)
    assert np.array_equal(np.sort(yearly["year"].unique()), np.sort(orders["date"].dt.year.unique()))
