import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers import facts

REF = dt.date(2025, 12, 31)


@pytest.fixture()
def engine():
    con = facts.connect()
    orders = pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "1", "2", "2", "3"],
            "date": pd.to_datetime(
                ["2023-06-01", "2024-12-31", "2025-01-01", "2025-01-01", "2025-12-31", "2026-01-02", "2024-03-01"]
            ),
            "revenue": [300.0, 100.0, 250.0, 50.0, -40.0, 999.0, 80.0],
            "contribution_margin": [90.0, 30.0, 75.0, 15.0, -12.0, 300.0, 20.0],
            "order_id": ["A1", "A2", "A3", "A3", "A4", "A5", "A6"],
        }
    )
    customers = pd.DataFrame({"customer_id": ["1", "2", "3", "4"]})
    activities = pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "2"],
            "date": pd.to_datetime(["2025-03-01", "2024-06-01", "2025-04-01", "2025-05-05"]),
            "type": ["visit", "visit", "call", "visit"],
            "team": ["outside", "outside", "inside", "inside"],
        }
    )
    return con.create_table("o", orders), con.create_table("c", customers), con.create_table("a", activities)


def test_window_is_open_at_the_start_and_closed_at_the_end(engine):
    orders, customers, activities = engine
    df = facts.customer_facts(orders, customers, activities, REF, years=2).set_index("customer_id")
    # window = (2024-12-31, 2025-12-31]: customer 1's order of 2024-12-31 is out, the two lines of A3 are in
    assert df.loc["1", "revenue_12m"] == pytest.approx(300.0)  # 250 + 50
    assert df.loc["1", "orders_12m"] == 1 and df.loc["1", "lines_12m"] == 2
    # the window before: (2023-12-31, 2024-12-31] holds 100
    assert df.loc["1", "revenue_12m_1"] == pytest.approx(100.0)
    # customer 2: the credit note on the reference date counts; the order after it does not exist yet
    assert df.loc["2", "revenue_12m"] == pytest.approx(-40.0)
    assert df.loc["2", "last_order"] == pd.Timestamp("2025-12-31")
    # customer 4 never ordered: zeros and no dates
    assert df.loc["4", "revenue_12m"] == 0 and df.loc["4", "orders_12m"] == 0
    assert pd.isna(df.loc["4", "last_order"])


def test_contacts(engine):
    orders, customers, activities = engine
    df = facts.customer_facts(orders, customers, activities, REF).set_index("customer_id")
    # customer 1: field visits 2024-06-01 (outside the window) and 2025-03-01; the call is no visit
    assert df.loc["1", "last_field_visit"] == pd.Timestamp("2025-03-01")
    assert df.loc["1", "visits_12m"] == 1 and df.loc["1", "calls_12m"] == 1
    # customer 2's visit was made by the inside team: not a field visit
    assert df.loc["2", "visits_12m"] == 0 and pd.isna(df.loc["2", "last_field_visit"])


def test_yearly_facts(engine):
    orders, _, _ = engine
    y = facts.yearly_facts(orders).to_pandas().set_index(["customer_id", "year"]).sort_index()
    # customer 1 in 2025: A3 with two lines, 250 + 50
    assert y.loc[("1", 2025), ["revenue", "contribution_margin", "orders", "lines"]].tolist() == [300.0, 90.0, 1, 2]
    assert y.loc[("1", 2024), "first_order"] == pd.Timestamp("2024-12-31")
    assert len(y) == 6  # (1,2023) (1,2024) (1,2025) (2,2025) (2,2026) (3,2024)


def test_facts_table_stops_at_the_reference_date(engine):
    orders, _, activities = engine
    t = facts.facts_table(orders, activities, REF).to_pandas()
    assert 2026 not in set(t["year"])
    row = t[(t.customer_id == "1") & (t.year == 2023)].iloc[0]
    assert row["revenue_12m"] == pytest.approx(300.0) and row["visits_12m"] == 1


def test_months_before_clips_to_month_end():
    assert facts.months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert facts.last_order_date is not None
