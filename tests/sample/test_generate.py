"""The synthetic wholesaler: reproducible, well-formed, and shaped as promised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from smartacct_helpers.sample.generate import generate_sample
from smartacct_helpers.sample.write import write_sample

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"
SMALL = dict(customers=400, years=3)

CANONICAL = {
    "customers": [
        "customer_id",
        "name",
        "industry",
        "region",
        "employees",
        "outside_rep",
        "inside_rep",
        "main_channel",
        "competitor_activity",
        "procurement_power",
        "partner_willingness",
        "transparency",
        "growth_potential",
        "distance_km",
        "contact_person",
        "phone",
        "email",
    ],
    "orders": [
        "customer_id",
        "date",
        "order_id",
        "revenue",
        "contribution_margin",
        "channel",
        "product_group",
        "discount",
        "rebate",
    ],
    "activities": ["customer_id", "date", "type", "rep", "team"],
    "market": ["segment", "market_volume"],
    "assessments": [
        "customer_id",
        "date",
        "partner_willingness",
        "transparency",
        "growth_potential",
        "single_point_of_contact",
        "pricing_incentives",
        "priority_ordering",
        "customised_offer",
        "matching_units_of_sale",
        "cross_business_teams",
        "integrated_inventory_billing",
        "supplier_partner_willingness",
        "supplier_transparency",
        "supplier_growth_contribution",
    ],
}


@pytest.fixture(scope="module")
def small():
    return generate_sample(**SMALL, seed=42)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample") / "nested" / "out"
    return write_sample(folder, **SMALL, seed=3)


def test_same_seed_gives_identical_frames(small):
    again = generate_sample(**SMALL, seed=42)
    for name, frame in small.items():
        pdt.assert_frame_equal(frame, again[name])


def test_different_seed_gives_different_data(small):
    other = generate_sample(**SMALL, seed=43)
    assert not small["orders"]["revenue"].equals(other["orders"]["revenue"])
    assert not small["customers"]["customer_id"].equals(other["customers"]["customer_id"])


def test_canonical_columns_and_dtypes(small):
    for name, columns in CANONICAL.items():
        assert list(small[name].columns) == columns, name
    cust, orders, acts = small["customers"], small["orders"], small["activities"]
    assert pd.api.types.is_datetime64_any_dtype(orders["date"])
    assert pd.api.types.is_datetime64_any_dtype(acts["date"])
    assert (orders["date"] == orders["date"].dt.normalize()).all()
    assert pd.api.types.is_float_dtype(orders["revenue"])
    assert pd.api.types.is_float_dtype(orders["contribution_margin"])
    assert (orders["revenue"].round(2) == orders["revenue"]).all()
    assert pd.api.types.is_integer_dtype(cust["employees"])
    assert pd.api.types.is_bool_dtype(cust["procurement_power"])
    assert pd.api.types.is_float_dtype(cust["distance_km"])
    assert cust["distance_km"].between(2, 250).all()
    # every customer has a contact: a first and a last name, a German phone number, an address at its firm
    assert cust["contact_person"].str.fullmatch(r"\w+ \w+").all()
    assert cust["phone"].str.fullmatch(r"\+49 \d{2,4} \d{7}").all()
    assert cust["email"].str.fullmatch(r"[a-z]\.[a-z]+@[a-z0-9-]+\.de").all()
    for col in ("partner_willingness", "transparency", "growth_potential"):
        assert pd.api.types.is_integer_dtype(cust[col])
        assert cust[col].dropna().between(1, 5).all()
    assert set(orders["channel"]) <= {"field", "inside", "online", "distributor", "retail"}
    assert set(acts["type"]) <= {"visit", "call", "email", "meeting"}
    assert set(acts["team"]) <= {"outside", "inside"}
    assert set(cust["competitor_activity"].dropna()) <= {"low", "medium", "high"}
    # the competitor situation of many small customers outside the programme is unknown (data qualification)
    assert cust["competitor_activity"].isna().any()
    assert orders["order_id"].str.fullmatch(r"A\d+").all()
    assert orders.groupby("order_id").size().max() <= 6
    assert pd.api.types.is_float_dtype(small["market"]["market_volume"])


def test_customer_ids_are_six_digits_with_leading_zeros(small):
    ids = small["customers"]["customer_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"\d{6}").all()
    assert ids.str.startswith("0").any()


def test_credit_note_share(small):
    share = (small["orders"]["revenue"] < 0).mean()
    assert 0.01 <= share <= 0.03
    credit = small["orders"][small["orders"]["revenue"] < 0]
    assert (credit["contribution_margin"] <= 0).all()
    assert (credit["discount"] <= 0).all() and (credit["rebate"] <= 0).all()


def test_every_order_and_activity_has_a_known_customer(small):
    known = set(small["customers"]["customer_id"])
    assert set(small["orders"]["customer_id"]) <= known
    assert set(small["activities"]["customer_id"]) <= known


def test_dates_stay_within_the_requested_years(small):
    first, last = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")
    for name in ("orders", "activities"):
        dates = small[name]["date"]
        assert dates.min() >= first, name
        assert dates.max() <= last, name
    # all three years carry invoices
    assert sorted(small["orders"]["date"].dt.year.unique()) == [2023, 2024, 2025]


def test_a_different_end_date_moves_the_window():
    t = generate_sample(customers=200, years=2, seed=1, end=dt.date(2024, 6, 30))
    assert t["orders"]["date"].min() >= pd.Timestamp("2022-07-01")
    assert t["orders"]["date"].max() <= pd.Timestamp("2024-06-30")


def test_written_files_look_like_exports(written):
    assert {p.name for p in written.values()} == {
        "orders.parquet",
        "customers.csv",
        "activities.csv",
        "market.csv",
        "assessments.csv",
        "params.yaml",
    }
    folder = written["orders"].parent
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]

    raw = written["customers"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    header = raw[3:].split(b"\n", 1)[0].decode()
    assert header.startswith("Kundennummer;Name;Branche;")
    cust = pd.read_csv(written["customers"], sep=";", decimal=",", dtype={"Kundennummer": str}, encoding="utf-8-sig")
    assert cust["Kundennummer"].str.fullmatch(r"\d{6}").all()
    assert cust["Kundennummer"].str.startswith("0").all()
    assert set(cust["Einkaufsmacht"].astype(str).str.lower()) <= {"true", "false"}
    assert pd.api.types.is_float_dtype(cust["Entfernung_km"])

    orders = pd.read_parquet(written["orders"])
    assert list(orders.columns) == [
        "Kundennummer",
        "Rechnungsdatum",
        "Belegnummer",
        "Umsatz",
        "Deckungsbeitrag",
        "Vertriebsweg",
        "Warengruppe",
        "Rabatt",
        "Bonus",
    ]
    assert orders["Kundennummer"].str.len().eq(6).all()
    assert set(orders["Kundennummer"]) <= set(cust["Kundennummer"])

    acts = pd.read_csv(written["activities"], dtype={"customer_id": str})
    assert list(acts.columns) == ["customer_id", "date", "type", "rep", "team"]
    assert acts["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    market = pd.read_csv(written["market"])
    assert list(market.columns) == ["segment", "market_volume"]


def test_written_params_load(written):
    from smartacct_helpers.params import load_params

    params = load_params(written["params"])
    assert params.client == "Sample Elektro GmbH"
    assert params.data.columns.orders["customer_id"] == "Kundennummer"
    assert params.assumptions.potential_per_employee["electricians"] == 9000
    assert params.path(params.data.orders) == written["orders"].resolve()


def test_committed_sample_files():
    names = ["orders.parquet", "customers.csv", "activities.csv", "market.csv", "assessments.csv", "params.yaml"]
    paths = [SAMPLE_DIR / name for name in names]
    assert all(p.is_file() for p in paths), [p.name for p in paths if not p.is_file()]
    total = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    assert total < 30 * 1024 * 1024

    orders = pd.read_parquet(SAMPLE_DIR / "orders.parquet", columns=["Kundennummer", "Rechnungsdatum", "Umsatz"])
    dates = pd.to_datetime(orders["Rechnungsdatum"])
    end = dates.max()
    window = orders[(dates > end - pd.DateOffset(months=12)) & (dates <= end)]
    per_customer = window.groupby("Kundennummer")["Umsatz"].sum()
    positive = per_customer[per_customer > 0]
    top_share = positive.max() / positive.sum()
    assert 0.14 <= top_share <= 0.22


def test_discounts_and_rebates(small):
    orders = small["orders"]
    invoices = orders[orders["revenue"] > 0]
    # a discount on every invoice line: at least 0 and below the gross price
    assert (invoices["discount"] >= 0).all()
    gross = invoices["revenue"] + invoices["discount"]
    assert (invoices["discount"] / gross).max() < 0.5
    assert (orders["discount"].round(2) == orders["discount"]).all()
    # rebates go to a minority of customers (key accounts and some large ones)
    per_customer = orders.groupby("customer_id")["rebate"].sum()
    with_rebate = per_customer[per_customer > 0]
    assert 0 < len(with_rebate) < 0.2 * len(small["customers"])
    assert (invoices["rebate"] < 0.1 * invoices["revenue"] + 0.01).all()


def test_assessments_at_several_dates(small):
    assessments, customers = small["assessments"], small["customers"]
    assert pd.api.types.is_datetime64_any_dtype(assessments["date"])
    assert set(assessments["customer_id"]) <= set(customers["customer_id"])
    for col in ("partner_willingness", "transparency", "growth_potential"):
        assert pd.api.types.is_integer_dtype(assessments[col])
        assert assessments[col].between(1, 5).all()
    rounds = assessments.groupby("customer_id")["date"].nunique()
    assert (rounds >= 2).mean() > 0.8
    assert assessments["date"].max() <= pd.Timestamp("2025-12-31")
    # the latest assessment is what the customer master holds
    latest = assessments.sort_values("date").groupby("customer_id").last()
    master = customers.set_index("customer_id").loc[latest.index]
    current = latest[latest["date"] > pd.Timestamp("2025-11-30")]
    for col in ("partner_willingness", "transparency", "growth_potential"):
        assert (current[col] == master.loc[current.index, col].astype("int64")).all(), col


def test_written_params_map_the_new_columns(written):
    from smartacct_helpers.params import load_params

    params = load_params(written["params"])
    assert params.data.columns.orders["discount"] == "Rabatt"
    assert params.data.columns.orders["rebate"] == "Bonus"
    assert params.assumptions.fixed_costs is not None and params.assumptions.fixed_costs > 0
    assessments = pd.read_csv(written["assessments"], dtype={"customer_id": str})
    assert list(assessments.columns) == CANONICAL["assessments"]


def test_the_key_accounts_practice_in_the_assessments(small):
    a = small["assessments"]
    strategies = CANONICAL["assessments"][5:12]
    rated = a.dropna(subset=strategies, how="all")
    # only the generator's key accounts are rated on the strategies; each rating says yes or no to all seven
    assert 0 < rated["customer_id"].nunique() < a["customer_id"].nunique()
    assert rated[strategies].notna().all().all()
    latest = rated.sort_values("date").drop_duplicates("customer_id", keep="last")
    # the pricing incentives are the norm, integrated inventory and billing the exception
    assert latest["pricing_incentives"].mean() > latest["integrated_inventory_billing"].mean()
    # the supplier rates its own side in the latest two rounds only, from 1 to 5
    own = a.dropna(subset=["supplier_partner_willingness"])
    assert own["supplier_partner_willingness"].between(1, 5).all()
    rounds = a.groupby("customer_id")["date"].rank(ascending=False)
    assert set(rounds[own.index]) <= {1.0, 2.0}
