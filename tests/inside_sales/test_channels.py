import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.inside_sales.channels import (
    channel_conflicts,
    channel_mix,
    channel_shares,
    conflict_summary,
    flagged_channels,
)
from smartacct_helpers.small_customers.analysis import classify

REF = dt.date(2025, 12, 31)


def _orders(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "date", "revenue", "channel"])
    df["date"] = pd.to_datetime(df["date"])
    return df


ORDERS = _orders(
    [
        ("1", "2025-03-01", 500.0, "inside"),
        ("1", "2025-04-01", 500.0, "distributor"),  # 1: half through the distributor
        ("2", "2025-05-01", 900.0, "inside"),
        ("2", "2025-06-01", 100.0, "online"),  # 2: 10 % online, below the 20 % flag
        ("3", "2025-07-01", 300.0, "field"),
        ("3", "2025-08-01", 700.0, "retail"),  # 3: 70 % retail
        ("4", "2025-09-01", 600.0, "inside"),
        ("4", "2025-09-02", 400.0, "online"),  # 4: 40 % online
        ("4", "2024-06-01", 9_000.0, "distributor"),  # before the window: ignored
        ("5", "2025-02-01", 1_000.0, "field"),  # a field customer
    ]
)
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["1", "2", "3", "4", "5"],
        "segment": ["small", "small", "develop", "develop", "field"],
        "to_manage": [True, True, True, True, False],
        "outside_rep": ["Nord 1", "Nord 1", "Sued 2", "Sued 2", "Nord 1"],
    }
)


def test_shares_use_the_window_only():
    s = channel_shares(ORDERS, REF)
    assert s.loc["4", "online"] == pytest.approx(0.4)
    assert s.loc["4", "distributor"] == 0.0  # the 9,000 of June 2024 lies outside the window
    assert s.sum(axis=1).tolist() == pytest.approx([1.0] * 5)


def test_channel_mix_per_segment():
    mix = channel_mix(ORDERS, CUSTOMERS, REF)
    # small: inside 500 + 900 = 1,400, distributor 500, online 100 of 2,000
    assert mix.loc["small", "inside"] == pytest.approx(0.70)
    assert mix.loc["small", "distributor"] == pytest.approx(0.25)
    # develop: field 300, retail 700, inside 600, online 400 of 2,000
    assert mix.loc["develop", "retail"] == pytest.approx(0.35)
    assert mix.loc["field", "field"] == pytest.approx(1.0)


def test_conflicts_and_owners():
    t = channel_conflicts(ORDERS, CUSTOMERS, REF, min_share=0.2, partner_owner_share=0.5).set_index("customer_id")
    assert list(t.index) == ["1", "2", "3", "4"]  # only the customers to manage
    # 1: distributor 50 % >= 50 % -> the distributor owns it; 3: retail 70 % -> the retail partner
    assert t.loc["1", "owner"] == "distributor"
    assert t.loc["3", "owner"] == "retail partner"
    # 2: online 10 % < 20 %: no conflict, inside sales; 4: online 40 %: inside sales, flagged for the online shop
    assert (t.loc["2", "owner"], bool(t.loc["2", "conflict"])) == ("inside sales", False)
    assert (t.loc["4", "owner"], bool(t.loc["4", "conflict"]), t.loc["4", "conflict_channels"]) == (
        "inside sales",
        True,
        "online",
    )
    assert t.loc["3", "outside_rep"] == "Sued 2"
    summary = conflict_summary(t)
    assert summary.loc["inside sales", "customers"] == 2
    assert summary.loc["inside sales", "flagged"] == 1


def test_customer_without_orders_in_the_window():
    customers = pd.concat(
        [
            CUSTOMERS,
            pd.DataFrame({"customer_id": ["9"], "segment": ["small"], "to_manage": [True], "outside_rep": ["Nord 1"]}),
        ],
        ignore_index=True,
    )
    t = channel_conflicts(ORDERS, customers, REF).set_index("customer_id")
    assert t.loc["9", "owner"] == "inside sales"
    assert not t.loc["9", "conflict"]


def test_on_the_sample(sample_workbook):
    wb = sample_workbook
    df = classify(wb)
    t = channel_conflicts(wb.tables.orders, df, wb.reference_date)
    assert len(t) == int(df["to_manage"].sum())
    assert t["customer_id"].is_unique
    assert set(t["owner"]) <= {"inside sales", "distributor", "retail partner"}


def test_flagged_channels_count_a_customer_for_each_of_its_channels():
    six = _orders(
        [
            ("6", "2025-03-01", 400.0, "inside"),
            ("6", "2025-04-01", 300.0, "online"),
            ("6", "2025-05-01", 300.0, "distributor"),
        ]
    )  # 6: online 30 %, distributor 30 %: both flagged
    customers = pd.concat([CUSTOMERS, pd.DataFrame({"customer_id": ["6"], "segment": ["small"], "to_manage": [True]})])
    t = channel_conflicts(pd.concat([ORDERS, six]), customers, REF, min_share=0.2)
    # distributor: 1 and 6; online: 4 and 6; retail: 3; customer 2's 10 % online is below the flag
    counts = flagged_channels(t)
    assert counts.sort_index().to_dict() == {"distributor": 2, "online": 2, "retail": 1}
    assert counts.is_monotonic_decreasing  # most first


def test_a_channel_column_present_but_empty_or_blank_is_no_channel():
    import duckdb
    import ibis

    from smartacct_helpers.inside_sales.channels import channel_revenue, known_channels

    # an export's empty channel column: read by DuckDB as numbers holding nothing, or as blanks
    con = ibis.duckdb.from_connection(duckdb.connect())
    lines = ORDERS.drop(columns="channel")
    numbers = con.create_table("numbers", lines.assign(channel=pd.array([None] * len(lines), dtype="Int32")))
    for orders in (numbers, ORDERS.assign(channel=None), ORDERS.assign(channel=" "), lines):
        rev = channel_revenue(orders, REF)
        assert rev.columns.tolist() == ["unknown"] and not known_channels(rev)
        # 1: 500 + 500; 4: 600 + 400 (its 9,000 before the window left out)
        assert rev.loc["1", "unknown"] == 1_000.0 and rev.loc["4", "unknown"] == 1_000.0
    mixed = channel_revenue(ORDERS.assign(channel=["Inside ", None] + ORDERS["channel"].tolist()[2:]), REF)
    # the channel is read without case and spaces; a missing one is unknown
    assert mixed.loc["1", "inside"] == 500.0 and mixed.loc["1", "unknown"] == 500.0 and known_channels(mixed)


def test_conflicts_without_customers_to_manage():
    out = channel_conflicts(ORDERS, CUSTOMERS.assign(to_manage=False), REF)
    assert out.empty and {"customer_id", "conflict", "conflict_channels", "owner"} <= set(out.columns)
    assert flagged_channels(out).empty and conflict_summary(out).empty
