import datetime as dt

import pandas as pd
import pytest

from smartacct_helpers.facts.customer_facts import customer_facts, facts_table, window_facts, yearly_facts
from smartacct_helpers.facts.orders import connect, last_order_date, months_before, order_totals

REF = dt.date(2025, 12, 31)


@pytest.fixture()
def engine():
    con = connect()
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
    df = customer_facts(orders, customers, activities, REF, years=2).set_index("customer_id")
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
    df = customer_facts(orders, customers, activities, REF).set_index("customer_id")
    # customer 1: field visits 2024-06-01 (outside the window) and 2025-03-01; the call is no visit
    assert df.loc["1", "last_field_visit"] == pd.Timestamp("2025-03-01")
    assert df.loc["1", "visits_12m"] == 1 and df.loc["1", "calls_12m"] == 1
    # customer 2's visit was made by the inside team: not a field visit
    assert df.loc["2", "visits_12m"] == 0 and pd.isna(df.loc["2", "last_field_visit"])


def test_yearly_facts(engine):
    orders, _, _ = engine
    y = yearly_facts(orders).to_pandas().set_index(["customer_id", "year"]).sort_index()
    # customer 1 in 2025: A3 with two lines, 250 + 50
    assert y.loc[("1", 2025), ["revenue", "contribution_margin", "orders", "lines"]].tolist() == [300.0, 90.0, 1, 2]
    assert y.loc[("1", 2024), "first_order"] == pd.Timestamp("2024-12-31")
    assert len(y) == 6  # (1,2023) (1,2024) (1,2025) (2,2025) (2,2026) (3,2024)


def test_facts_table_stops_at_the_reference_date(engine):
    orders, _, activities = engine
    t = facts_table(orders, activities, REF).to_pandas()
    assert 2026 not in set(t["year"])
    row = t[(t.customer_id == "1") & (t.year == 2023)].iloc[0]
    assert row["revenue_12m"] == pytest.approx(300.0) and row["visits_12m"] == 1


def test_months_before_clips_to_month_end():
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert last_order_date is not None


def _lines_for_totals() -> pd.DataFrame:
    # customer 1: order A over two lines on one day (a credit line of -30 in it), order B on two days,
    #             a line without an order id; customer 2: one order whose lines cancel out (+50, -50)
    return pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "1", "1", "2", "2"],
            "order_id": ["A", "A", "B", "B", None, "C", "C"],
            "date": pd.to_datetime(
                [
                    "2025-03-01 08:00",
                    "2025-03-01 17:30",
                    "2025-04-01 00:00",
                    "2025-04-02 00:00",
                    "2025-05-01 00:00",
                    "2025-06-01 00:00",
                    "2025-06-01 00:00",
                ]
            ),
            "revenue": [100.0, -30.0, 40.0, 60.0, 20.0, 50.0, -50.0],
            "contribution_margin": [25.0, -5.0, None, 15.0, None, 10.0, -10.0],
            "channel": ["field", "field", "online", "online", "inside", "field", "field"],
        }
    )


def test_order_totals_by_hand():
    t = order_totals(_lines_for_totals()).to_pandas()
    t = t.sort_values(["customer_id", "date"]).reset_index(drop=True)
    # 7 lines make 5 rows: A (one day), B on 1 and 2 April, the line without an id, C
    assert t["lines"].tolist() == [2, 1, 1, 1, 2]
    assert t["revenue"].tolist() == [70.0, 40.0, 60.0, 20.0, 0.0]
    assert t["top"].tolist() == [100.0, 40.0, 60.0, 20.0, 50.0]  # C sold something, though it sums to 0
    assert t["credit_lines"].tolist() == [1, 0, 0, 0, 1]
    assert t["lines_without_margin"].tolist() == [0, 1, 0, 1, 0]
    assert t["revenue_without_margin"].fillna(0).tolist() == [0.0, 40.0, 0.0, 20.0, 0.0]
    # totals of totals are the same totals
    again = order_totals(order_totals(_lines_for_totals())).to_pandas()
    assert again["lines"].sum() == 7 and again["revenue"].sum() == pytest.approx(190.0)  # 70 + 100 + 20 + 0


def test_the_facts_of_order_totals_equal_those_of_the_lines():
    lines = _lines_for_totals()
    con = connect()
    totals = order_totals(con.create_table("lines", lines))
    customers = pd.DataFrame({"customer_id": ["1", "2", "3"]})
    from_lines = customer_facts(con.table("lines"), customers, None, REF, years=2)
    from_totals = customer_facts(totals, customers, None, REF, years=2)
    pd.testing.assert_frame_equal(from_totals, from_lines)
    # customer 1: orders A and B (B counted once, though on two days), 5 lines, 190 of revenue
    one = from_totals.set_index("customer_id").loc["1"]
    assert (one["orders_12m"], one["lines_12m"], one["revenue_12m"]) == (2, 5, 190.0)
    yearly = yearly_facts(totals).to_pandas().set_index("customer_id")
    assert yearly.loc["1", "orders"] == 2 and yearly.loc["1", "lines"] == 5


def test_the_analyses_of_single_orders_read_the_totals_as_they_read_the_lines():
    from smartacct_helpers.facts.quality import line_counts
    from smartacct_helpers.levers.orders import window_orders

    lines = _lines_for_totals()
    totals = order_totals(lines)
    assert line_counts(totals) == line_counts(lines)
    # credit notes: the -30 and -50 lines; without a margin: two lines
    assert (line_counts(totals)["credit_notes"], line_counts(totals)["no_margin"]) == (2, 2)
    a = window_orders(totals, REF, 0.25).sort_values("revenue").reset_index(drop=True)
    b = window_orders(lines, REF, 0.25).sort_values("revenue").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    # a line without an order id makes days the orders: B's 40 of 1 April has no margin, 25 % of 40 = 10
    assert a["revenue"].tolist() == [0.0, 20.0, 40.0, 60.0, 70.0]
    assert a.loc[a["revenue"] == 40.0, "contribution_margin"].item() == pytest.approx(10.0)


def test_money_is_summed_exactly_in_every_fact():
    con = connect()
    # customer 1's invoices and credit note cancel: as floats 100.10 + 200.20 - 300.30 leaves -5.7e-14
    lines = con.create_table(
        "exact",
        pd.DataFrame(
            {
                "customer_id": ["1", "1", "1", "2", "2"],
                "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-05-01"]),
                "order_id": ["A", "A", "B", "C", "C"],
                "revenue": [100.10, 200.20, -300.30, 0.1, 0.2],
            }
        ),
    )
    assert lines.revenue.sum(where=lines.customer_id == "1").to_pyarrow().as_py() != 0.0
    window = window_facts(lines, REF).to_pandas().set_index("customer_id")
    assert window.loc["1", "revenue_12m"] == 0.0
    assert window.loc["2", "revenue_12m"] == 0.3  # 0.1 + 0.2 is 0.30000000000000004 as floats
    yearly = yearly_facts(lines).to_pandas().set_index("customer_id")
    assert yearly.loc["1", "revenue"] == 0.0 and yearly.loc["2", "revenue"] == 0.3
    totals = order_totals(lines).to_pandas().set_index("order_id")
    assert totals.loc["A", "revenue"] == 300.3 and totals.loc["C", "revenue"] == 0.3
    # totals of totals, as the workbook sums them again, stay exact
    again = window_facts(order_totals(lines), REF).to_pandas().set_index("customer_id")
    assert again.loc["1", "revenue_12m"] == 0.0 and again.loc["2", "revenue_12m"] == 0.3
    exported = facts_table(lines, None, REF).to_pandas().set_index("customer_id")
    assert exported.loc["1", "revenue_12m"] == 0.0 and exported.loc["2", "revenue_12m"] == 0.3


def test_cents_round_half_a_cent_away_from_zero_alike_in_the_engine_and_in_pandas():
    import ibis

    from smartacct_helpers.intake.convert import cents
    from smartacct_helpers.intake.database import cents as engine_cents

    values = [1.005, -1.005, 0.125, -0.125, 2.675, 0.004, -0.004, 12.344999, 3 * 0.335, 7 * 1.125, 0.0]
    # by hand: each amount as written, its third decimal 5 rounded away from zero; 12.344999 stays 12.34
    want = [1.01, -1.01, 0.13, -0.13, 2.68, 0.0, 0.0, 12.34, 1.01, 7.88, 0.0]
    t = ibis.memtable(pd.DataFrame({"amount": values}))
    assert t.select(c=engine_cents(t.amount)).to_pyarrow()["c"].to_pylist() == want
    assert cents(values).tolist() == want
    assert all(str(v) != "-0.0" for v in cents(values))


def test_the_facts_on_two_days_from_one_pass_are_those_of_each_day_alone(engine):
    from smartacct_helpers.facts.customer_facts import customer_facts_on

    orders, customers, activities = engine
    earlier = dt.date(2024, 12, 31)
    both = customer_facts_on(orders, customers, activities, [REF, earlier], years=2)
    assert list(both) == [REF, earlier]
    for day in (REF, earlier):
        alone = customer_facts(orders, customers, activities, day, years=2)
        pd.testing.assert_frame_equal(both[day], alone)
    df = both[earlier].set_index("customer_id")
    # on 2024-12-31 the window is (2023-12-31, 2024-12-31]: customer 1's order A2 of 100 and customer 3's 80
    assert df.loc["1", "revenue_12m"] == pytest.approx(100.0) and df.loc["1", "orders_12m"] == 1
    assert df.loc["3", "revenue_12m"] == pytest.approx(80.0)
    # the window before it, (2022-12-31, 2023-12-31], holds customer 1's 300 of 2023-06-01
    assert df.loc["1", "revenue_12m_1"] == pytest.approx(300.0)
    # customer 2 bought only after that day: no order yet, as for customer 4 who never bought
    assert df.loc["2", "revenue_12m"] == 0 and df.loc["2", "lines_12m"] == 0 and pd.isna(df.loc["2", "first_order"])
    # contacts up to that day: customer 1's field visit of 2024-06-01 only, no call yet
    assert df.loc["1", "last_field_visit"] == pd.Timestamp("2024-06-01")
    assert df.loc["1", "visits_12m"] == 1 and df.loc["1", "calls_12m"] == 0
    assert df.loc["1", "last_contact"] == pd.Timestamp("2024-06-01")
    assert pd.isna(df.loc["2", "last_contact"]) and df.loc["2", "visits_12m"] == 0


def test_without_an_order_id_an_order_is_a_customers_day_in_the_exported_facts():
    con = connect()
    lines = pd.DataFrame(
        {
            "customer_id": ["1", "1", "1", "1", "2"],
            "date": pd.to_datetime(["2025-02-03", "2025-02-03", "2025-05-06", None, "2024-07-01"]),
            "revenue": [100.0, None, 40.0, 5.0, 80.0],
            "contribution_margin": [30.0, 2.0, 10.0, 1.0, 20.0],
        }
    )
    t = facts_table(con.create_table("o", lines), None, REF, checks=True).to_pandas()
    by = t.set_index(["customer_id", "year"])
    # customer 1 in 2025: two lines on 3 February (one without revenue) and one on 6 May = 2 orders, 3 lines,
    # 2 of them with revenue, 140 of revenue and 42 of margin, from 3 February to 6 May
    one = by.loc[("1", 2025)]
    assert [one["orders"], one["lines"], one["lines_with_revenue"]] == [2, 3, 2]
    assert [one["revenue"], one["contribution_margin"]] == [140.0, 42.0]
    assert (one["first_order"], one["last_order"]) == (pd.Timestamp("2025-02-03"), pd.Timestamp("2025-05-06"))
    # the undated line is a row without a year and without an order; customer 2 bought before the window
    undated = t[(t.customer_id == "1") & t.year.isna()].iloc[0]
    assert [undated["orders"], undated["lines"]] == [0, 1]
    assert one["revenue_12m"] == 140.0 and pd.isna(by.loc[("2", 2024), "revenue_12m"])


def test_the_exported_facts_read_the_invoice_lines_once(tmp_path):
    # the revenue of the window is a sum over each customer's years; planned as a join of the years with
    # their sums, it would read the lines a second time
    path = tmp_path / "lines.parquet"
    pd.DataFrame(
        {"customer_id": ["1", "2"], "date": pd.to_datetime(["2025-01-05", "2025-03-01"]), "revenue": [1.0, 2.0]}
    ).to_parquet(path)
    con = connect()

    def scans(expr) -> int:
        plan = "\n".join(row[1] for row in con.con.sql("EXPLAIN " + con.compile(expr)).fetchall())
        return plan.count("READ_PARQUET")

    lines = con.read_parquet(path)
    assert scans(facts_table(lines, None, REF)) == scans(lines) > 0
