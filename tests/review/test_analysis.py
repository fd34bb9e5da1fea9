import datetime as dt
import doctest

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.facts.orders import as_table
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.params import Params
from smartacct_helpers.review.analysis import (
    SMALL_CUSTOMER_SEGMENT,
    amortisation,
    churn_rate,
    group_performance,
    market_shares,
    monthly_margin,
    promoted,
    qualification,
    tracking_figures,
    year_one_review,
)
from smartacct_helpers.review.periods import line_sums, review_periods

A = Assumptions()


def orders_of(rows) -> pd.DataFrame:
    """rows: (customer, date, revenue, margin)."""
    c, d, r, m = zip(*rows, strict=True)
    return pd.DataFrame(
        {"customer_id": list(c), "date": pd.to_datetime(list(d)), "revenue": list(r), "contribution_margin": list(m)}
    )


def test_review_periods_by_hand():
    # no start: the follow-up is the 12 months up to the reference date, the baseline the 365 days before
    p = review_periods(dt.date(2025, 12, 31))
    assert (p.start, p.end, p.days) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1), 365)
    assert p.baseline_start == dt.date(2024, 1, 2)  # 2024 has 366 days
    # a start in the last year: the follow-up ends with the data, the baseline is as long
    p = review_periods(dt.date(2025, 12, 31), dt.date(2025, 10, 1))
    assert (p.days, p.baseline_start) == (92, dt.date(2025, 7, 1))
    with pytest.raises(ValueError, match="before the reference date"):
        review_periods(dt.date(2025, 12, 31), dt.date(2026, 1, 1))


def test_churn_rate_by_hand():
    o = orders_of(
        [
            ("1", "2024-02-01", 10, 3),
            ("1", "2025-03-01", 10, 3),  # active before, buys again
            ("2", "2024-06-01", 10, 3),  # active before, lost
            ("3", "2024-07-01", 10, 3),
            ("3", "2025-01-01", -10, -3),  # a credit note is no purchase: lost
            ("4", "2022-01-01", 10, 3),  # not active in the 12 months before
        ]
    )
    # of 1, 2, 3 active in 2024, two bought nothing in 2025: 2/3
    assert churn_rate(o, ["1", "2", "3", "4"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == pytest.approx(2 / 3)
    assert np.isnan(churn_rate(o, ["4"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)))
    # a period of no days: nobody can buy in it, so all three active customers count as lost
    assert churn_rate(o, ["1", "2", "3"], dt.date(2025, 1, 1), dt.date(2025, 1, 1)) == 1.0


def test_churn_rate_takes_the_lines_in_the_engine_or_their_sums():
    o = orders_of([("1", "2024-02-01", 10, 3), ("1", "2025-03-01", 10, 3), ("2", "2024-06-01", 10, 3)])
    start, end = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    sums = line_sums(o, [(dt.date(2024, 1, 1), start), (start, end)])
    assert churn_rate(sums, ["1", "2"], start, end) == 0.5
    assert churn_rate(as_table(o), pd.Index(["1", "2"]), start, end) == 0.5
    # sums over other ranges cannot answer: they say so instead of answering wrong
    with pytest.raises(KeyError, match="not summed"):
        churn_rate(sums, ["1"], dt.date(2025, 2, 1), end)


def test_the_module_examples_hold():
    from smartacct_helpers.review import analysis, groups, market_share, payback, periods

    results = [doctest.testmod(module) for module in (analysis, periods, groups, market_share, payback)]
    assert all(r.attempted for r in results) and not any(r.failed for r in results)


def test_whole_days_at_the_edges_of_the_periods_and_months():
    p = review_periods(dt.date(2025, 12, 31))  # baseline 02.01.2024 - 31.12.2024, follow-up 2025
    o = orders_of(
        [
            ("1", "2024-12-31 23:59:59", 100, 10),  # the last second of the baseline
            ("1", "2025-01-01 00:00:00", 200, 20),  # the first of the follow-up
            ("1", "2026-01-01 00:00:00", 400, 40),  # the day after the follow-up: out
            ("1", "2024-01-01 18:00:00", 800, 80),
        ]
    )  # the day before the baseline: out
    perf = group_performance(o, {"g": pd.Index(["1"])}, p)
    assert perf.loc["g", ["revenue_baseline", "revenue_followup", "margin_baseline", "margin_followup"]].tolist() == [
        100,
        200,
        10,
        20,
    ]
    assert monthly_margin(o, ["1"], dt.date(2025, 1, 1), 12).tolist() == [20.0] + [0.0] * 11
    assert monthly_margin(o, ["1"], dt.date(2024, 1, 1), 12).tolist() == [80.0] + [0.0] * 10 + [10.0]


def test_the_same_from_a_frame_and_from_an_ibis_table_with_dates():
    p = review_periods(dt.date(2025, 12, 31))  # baseline 02.01.2024 - 31.12.2024, follow-up 2025
    o = orders_of(
        [
            ("1", "2024-05-01", 100, 30),
            ("1", "2025-05-01", 150, 48),
            ("2", "2024-05-01", 1000, 200),
            ("2", "2025-01-01", 900, 171),
            ("2", "2024-01-01", 999, 99),
        ]
    )
    days = ibis.memtable(
        o.assign(date=o["date"].dt.date),
        schema={"customer_id": "string", "date": "date", "revenue": "float64", "contribution_margin": "float64"},
    )
    groups = {"managed": pd.Index(["1"]), "key accounts": pd.Index(["2"])}
    for orders in (o, days):
        perf = group_performance(orders, groups, p)
        # key accounts: 1,000 in the baseline (01.01.2024 lies before it), 900 on the first day of the follow-up
        assert perf.loc["key accounts", ["revenue_baseline", "revenue_followup"]].tolist() == [1000.0, 900.0]
        assert perf.loc["managed", "margin_followup"] == 48.0
        # January 2025 holds the 171 of customer 2, May the 48 of customer 1
        assert monthly_margin(orders, ["1", "2"], dt.date(2025, 1, 1), 12)[[1, 5]].tolist() == [171.0, 48.0]
        # both bought in 2024 and again in 2025: nobody lost
        assert churn_rate(orders, ["1", "2"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == 0.0


def test_a_line_without_a_margin_and_a_missing_margin_column_take_the_rate():
    p = review_periods(dt.date(2025, 12, 31))
    o = orders_of(
        [
            ("1", "2024-05-01", 100, np.nan),
            ("1", "2025-05-01", 200, 30),
            ("1", "2025-06-01", 300, np.nan),
            ("2", "2025-05-01", 50, np.nan),
        ]
    )
    perf = group_performance(o, {"one": ["1"], "two": ["2"]}, p)
    # a line without a margin earns its revenue x 25 % (margin_rate_if_unknown), as everywhere in the workbook:
    # one: baseline 100 x 0.25 = 25; follow-up 30 + 300 x 0.25 = 105; two: 50 x 0.25 = 12.5
    assert perf.loc["one", ["margin_baseline", "margin_followup"]].tolist() == pytest.approx([25.0, 105.0])
    assert perf.loc["two", "margin_followup"] == pytest.approx(12.5)
    without = o.drop(columns="contribution_margin")
    perf = group_performance(without, {"one": pd.Index(["1"])}, p, margin_rate_if_unknown=0.2)
    assert perf.loc["one", "margin_followup"] == pytest.approx(100.0)  # 500 x 20 %
    assert monthly_margin(without, ["1"], dt.date(2025, 5, 1), 2, 0.2).tolist() == pytest.approx([40.0, 60.0])


DAY0 = dt.date(2024, 12, 1)
LINES = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 90),
        st.sampled_from([0, 1, 43_200, 86_399]),  # day, second
        # amounts as an export writes them, to the cent: the engine's sums are exact to the millionth
        st.one_of(st.just(0.0), st.integers(-50_000, 50_000).map(lambda cents: cents / 100)),
        st.one_of(st.none(), st.integers(-10_000, 10_000).map(lambda cents: cents / 100)),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=LINES,
    spans=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 40)), min_size=1, max_size=4),
    with_margin=st.booleans(),
)
def test_line_sums_equal_filtering_the_lines_in_pandas(rows, spans, with_margin):
    customer, day, second, revenue, margin = zip(*rows, strict=True) if rows else ([], [], [], [], [])
    o = pd.DataFrame(
        {
            "customer_id": pd.array(list(customer), dtype="str"),
            "date": pd.Timestamp(DAY0)
            + pd.to_timedelta(np.array(day, dtype="int64"), unit="D")
            + pd.to_timedelta(np.array(second, dtype="int64"), unit="s"),
            "revenue": np.array(revenue, dtype="float64"),
            "contribution_margin": np.array([np.nan if m is None else m for m in margin], dtype="float64"),
        }
    )
    if not with_margin:
        o = o.drop(columns="contribution_margin")
    ranges = [(DAY0 + dt.timedelta(days=s), DAY0 + dt.timedelta(days=s + n)) for s, n in spans]
    sums = line_sums(o, ranges)
    ids = ["A", "B", "C", "D"]
    for start, end in ranges:
        part = o[(o["date"] >= pd.Timestamp(start)) & (o["date"] < pd.Timestamp(end))]
        per_customer = part.groupby("customer_id").sum(numeric_only=True).reindex(ids).fillna(0.0)
        if with_margin:  # a line without a margin earns its revenue x the rate
            line_margin = part["contribution_margin"].fillna(part["revenue"] * 0.3)
            margin = line_margin.groupby(part["customer_id"]).sum().reindex(ids).fillna(0.0)
        else:
            margin = per_customer["revenue"] * 0.3
        assert sums.revenue((start, end), ids).tolist() == pytest.approx(per_customer["revenue"].tolist(), abs=1e-9)
        assert sums.margin((start, end), 0.3, ids).tolist() == pytest.approx(margin.tolist(), abs=1e-9)
        bought = set(part.loc[part["revenue"] > 0, "customer_id"])
        assert sums.bought((start, end), ids).tolist() == [i in bought for i in ids]


def test_qualification_by_hand():
    c = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4"],
            "industry": ["x", "y", None, "x"],
            "employees": pd.array([3, None, 5, 2], dtype="Int64"),
        }
    )
    q = qualification(c, ["1", "2", "3"], ("industry", "employees", "region"))
    # industry 2 of 3, employees 2 of 3, region not in the table: 0; complete: nobody
    assert q["share"].tolist() == pytest.approx([2 / 3, 2 / 3, 0.0, 0.0])
    q = qualification(c, ["1", "2", "3"], ("industry", "employees"))
    assert q.loc["complete", "share"] == pytest.approx(1 / 3)  # only customer 1 has both


def test_group_performance_by_hand():
    p = review_periods(dt.date(2025, 12, 31))  # baseline 02.01.2024 - 31.12.2024, follow-up 2025
    o = orders_of(
        [
            ("1", "2024-05-01", 100, 30),
            ("1", "2025-05-01", 150, 48),
            ("2", "2024-05-01", 1000, 200),
            ("2", "2025-05-01", 900, 171),
            ("2", "2024-01-01", 999, 99),
        ]
    )
    perf = group_performance(o, {"managed": pd.Index(["1"]), "key accounts": pd.Index(["2"])}, p)
    # managed: 100 -> 150 = +50 %, margin rate 48/150 = 32 %; key accounts: 1000 -> 900 = -10 %, 171/900 = 19 %
    # (the order of 01.01.2024 lies before the baseline)
    assert perf.loc["managed", "revenue_growth"] == pytest.approx(0.5)
    assert perf.loc["managed", "margin_rate_followup"] == pytest.approx(0.32)
    assert perf.loc["key accounts", "revenue_growth"] == pytest.approx(-0.1)
    assert perf.loc["key accounts", "margin_rate_followup"] == pytest.approx(0.19)
    assert perf.loc["key accounts", "margin_rate_baseline"] == pytest.approx(0.2)


def test_market_shares_by_hand():
    p = review_periods(dt.date(2025, 12, 31))  # 365 days each
    o = orders_of([("1", "2025-03-01", 300, 0), ("2", "2025-04-01", 200, 0), ("2", "2024-04-01", 100, 0)])
    c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["electricians", "industry"]})
    market = pd.DataFrame({"segment": ["electricians", "industry"], "market_volume": [1000.0, 4000.0]})
    m = market_shares(o, c, market, p)
    # follow-up: electricians 300 / 1,000 = 30 %, industry 200 / 4,000 = 5 %, overall 500 / 5,000 = 10 %
    assert m.loc["electricians", "share_followup"] == pytest.approx(0.30)
    assert m.loc["industry", "share_followup"] == pytest.approx(0.05)
    assert m.loc["overall", "share_followup"] == pytest.approx(0.10)
    assert m.loc["industry", "share_baseline"] == pytest.approx(100 / 4000)
    assert market_shares(o, c, None, p) is None
    # a customer missing from the customer master has no segment: its revenue counts nowhere
    o = pd.concat([o, orders_of([("9", "2025-03-01", 1000, 0)])])
    assert market_shares(o, c, market, p).loc["overall", "share_followup"] == pytest.approx(0.10)


def test_the_market_share_in_the_small_customer_segment_by_hand():
    p = review_periods(dt.date(2025, 12, 31))  # 365 days each
    o = orders_of([("1", "2025-03-01", 300, 0), ("2", "2025-04-01", 200, 0), ("2", "2024-04-01", 100, 0)])
    c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["electricians", "industry"]})
    market = pd.DataFrame({"segment": ["electricians", "industry"], "market_volume": [1000.0, 4000.0]})
    # customer 2 is managed; it could buy 800 a year: 200 / 800 = 25 % in the follow-up, 100 / 800 before;
    # customer 1 is not managed and counts only in the overall share (500 / 5,000 = 10 %)
    m = market_shares(o, c, market, p, ["2"], pd.Series({"1": 3_000.0, "2": 800.0}))
    row = m.loc[SMALL_CUSTOMER_SEGMENT]
    assert row[["market_volume", "share_followup", "share_baseline"]].tolist() == pytest.approx([800.0, 0.25, 0.125])
    assert m.loc["overall", "share_followup"] == pytest.approx(0.10)  # the segment's row is not in the overall sum
    # a managed customer without a known potential is left out: without any, no row
    assert SMALL_CUSTOMER_SEGMENT not in market_shares(o, c, market, p, ["2"], pd.Series({"2": np.nan})).index


def test_market_shares_scale_a_short_period_to_a_year():
    p = review_periods(dt.date(2025, 12, 31), dt.date(2025, 10, 1))  # 92 days
    o = orders_of([("1", "2025-11-01", 92, 0)])
    c = pd.DataFrame({"customer_id": ["1"], "industry": ["x"]})
    m = market_shares(o, c, pd.DataFrame({"segment": ["x"], "market_volume": [3650.0]}), p)
    # 92 EUR in 92 days = 365 EUR a year, of 3,650: 10 %
    assert m.loc["x", "share_followup"] == pytest.approx(0.10)


def test_amortisation_by_hand():
    # the managed customer "1" earns 1,000 margin a month in 2024 and 1,500 a month in 2025; the comparison
    # group "2" earns 100 a month in both years (growth factor 1)
    rows = []
    for year, m1 in ((2024, 1000.0), (2025, 1500.0)):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-15"
            rows += [("1", day, m1 * 4, m1), ("2", day, 400.0, 100.0)]
    o = orders_of(rows)
    p = review_periods(dt.date(2025, 12, 31))
    groups = {"managed": pd.Index(["1"]), "other small": pd.Index(["2"])}
    a = A.model_copy(
        update={
            "inside_rep_annual_cost": 12_000.0,
            "project_manager_annual_cost": 0.0,
            "systems_annual_cost": 0.0,
            "setup_cost": 1_000.0,
        }
    )
    curve = amortisation(o, groups, p, a, team_size=1)
    # 12 months; extra margin 500 a month; cost 12,000 / 12 = 1,000 a month + 1,000 set-up in month 1
    assert len(curve) == 12
    assert curve["incremental_margin"].tolist() == pytest.approx([500.0] * 12)
    assert curve["cost"].iloc[0] == pytest.approx(2000.0)
    # never paid back: 6,000 extra margin against 13,000 cost
    assert curve["cumulative_net"].iloc[-1] == pytest.approx(-7000.0)
    # with a cheaper team (3,000 a year: 250 a month, set-up 1,000): cumulative net month m is
    # 500 m - 250 m - 1,000 = 250 m - 1,000 >= 0 from month 4
    cheap = a.model_copy(update={"inside_rep_annual_cost": 3_000.0})
    curve = amortisation(o, groups, p, cheap, team_size=1)
    from smartacct_helpers.inside_sales.business_case import payback_month

    assert payback_month(curve["cumulative_net"]) == 4


def test_amortisation_credits_only_growth_above_the_comparison_group():
    # both groups grow by 50 %: the managed group's growth is what would have happened anyway
    rows = []
    for year, m in ((2024, 1000.0), (2025, 1500.0)):
        for month in range(1, 13):
            rows += [("1", f"{year}-{month:02d}-15", m, m), ("2", f"{year}-{month:02d}-15", m, m)]
    curve = amortisation(
        orders_of(rows),
        {"managed": pd.Index(["1"]), "other small": pd.Index(["2"])},
        review_periods(dt.date(2025, 12, 31)),
        A,
        team_size=1,
    )
    assert curve["incremental_margin"].abs().max() == pytest.approx(0.0)


def test_promoted_only_counts_new_field_clusters():
    now = pd.DataFrame({"customer_id": ["1", "2", "3", "4"], "segment": ["field", "develop", "small", "field"]})
    then = pd.DataFrame({"customer_id": ["1", "2", "3", "4"], "segment": ["small", "develop", "small", "small"]})
    # 1 moved up to field; 2 was "develop" already; 3 stays small; 4 is not managed
    assert promoted(now, ["1", "2", "3"], then)["customer_id"].tolist() == ["1"]
    assert promoted(now, ["1", "2", "3"])["customer_id"].tolist() == ["1", "2"]


def review_workbook(programme_start: str | None = "2025-01-01") -> Workbook:
    """Four managed customers (inside rep Ann), four others; the managed ones keep buying, two others stop."""
    rows = []
    for i in range(8):
        cid = str(i)
        for month in range(1, 13):
            rows.append((cid, f"2024-{month:02d}-10", 200.0, 60.0))
            if i < 6:
                rows.append((cid, f"2025-{month:02d}-10", 300.0 if i < 4 else 200.0, 90.0 if i < 4 else 60.0))
    o = orders_of(rows)
    c = pd.DataFrame(
        {"customer_id": [str(i) for i in range(8)], "industry": ["x"] * 8, "inside_rep": ["Ann"] * 4 + [None] * 4}
    )
    assumptions = {"programme_start": programme_start} if programme_start else {}
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31", "assumptions": assumptions})
    return Workbook.from_tables(p, Tables(orders=o, customers=c))


def test_year_one_review_and_figures_by_hand():
    wb = review_workbook()
    r = year_one_review(wb)
    assert list(r["groups"]["managed"]) == ["0", "1", "2", "3"]
    # the comparison group is chosen on the year before the baseline (2023), which the data (from 10.01.2024)
    # does not hold: it is unknown, not empty, and so is the churn of the baseline
    assert "other small" not in r["groups"]
    assert list(r["limited"]) == ["year_before_baseline"]
    assert r["churn"]["baseline"].isna().all()
    assert r["churn"].loc["managed", "followup"] == 0.0
    assert r["churn"].loc["all customers", "followup"] == pytest.approx(2 / 8)
    assert r["churn"]["market_customary"].eq(0.10).all()
    # managed revenue 4 x 12 x 200 = 9,600 -> 4 x 12 x 300 = 14,400: +50 %
    assert r["performance"].loc["managed", "revenue_growth"] == pytest.approx(0.5)
    # extra margin 4 x 30 = 120 a month (no comparison group: factor 1); one rep: (65,000 + 90,000 + 25,000) / 12
    # = 15,000 a month plus 40,000 set-up: never paid back in 12 months
    assert r["amortisation"]["incremental_margin"].tolist() == pytest.approx([120.0] * 12)
    assert r["team_size"] == 1
    assert r["amortisation_month"] is None
    f = tracking_figures(wb, r)
    assert f == {
        "churn_rate_12m": 0.0,
        "amortisation_month": None,
        "market_share_small_customers": None,  # no market file
        "market_share_overall": None,
        "_limited": {"year_one_review": r["limited"]["year_before_baseline"]},
    }
    assert tracking_figures(wb) == f
    assert r["qualification"].loc["complete", "managed"] == 0.0  # region, employees, ... are missing


def test_the_review_and_its_figures_read_the_invoice_lines_once(monkeypatch):
    wb = review_workbook("2025-07-01")  # the follow-up is not the last 12 months: the figures need other ranges
    scans = []
    real = line_sums
    from smartacct_helpers.review import analysis, periods

    for module in (analysis, periods):  # where the review's figures sum the lines
        monkeypatch.setattr(module, "line_sums", lambda *args: scans.append(args) or real(*args))
    r = year_one_review(wb)
    f = tracking_figures(wb, r)
    assert len(scans) == 1
    assert scans[0][0] is wb.order_totals  # the lines in the engine, not a frame
    # the same as from the invoice lines as a frame: of the 4 managed customers none stopped in 2025
    assert f["churn_rate_12m"] == 0.0
    assert churn_rate(
        wb.tables.orders, r["groups"]["all customers"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    ) == pytest.approx(2 / 8)


def test_review_without_a_start_uses_the_last_12_months():
    r = year_one_review(review_workbook(None))
    assert r["periods"].start == dt.date(2025, 1, 1)


def test_year_one_review_on_the_sample(sample_workbook):
    r = year_one_review(sample_workbook)
    assert len(r["groups"]["managed"]) == int(sample_workbook.tables.customers["inside_rep"].notna().sum())
    assert r["market"] is not None and "overall" in r["market"].index
    f = tracking_figures(sample_workbook, r)
    assert 0 <= f["churn_rate_12m"] <= 1
    assert f["amortisation_month"] is None or 1 <= f["amortisation_month"] <= 12
    # KPI 5: the small-customer segment's market share beside the overall one, as the market table shows them
    market = r["market"]
    assert f["market_share_small_customers"] == market.loc[SMALL_CUSTOMER_SEGMENT, "share_followup"]
    assert f["market_share_overall"] == market.loc["overall", "share_followup"]
    assert 0 < f["market_share_overall"] < 1


# -- a short history: what the data does not hold is unknown, not zero -----------------------------------------------


def thirteen_months() -> Workbook:
    """Data from 01.12.2024 to 31.12.2025: the managed customer 1 buys 100 in December 2024 and 2,600 in 2025
    (the follow-up), customer 2 buys 50 in December 2024 only. No programme start: the follow-up is 2025."""
    rows = [("1", "2024-12-01", 100.0, 30.0), ("2", "2024-12-15", 50.0, 10.0)]
    rows += [("1", f"2025-{m:02d}-10", 200.0 + 200.0 * (m == 12), 60.0) for m in range(1, 13)]
    c = pd.DataFrame({"customer_id": ["1", "2"], "inside_rep": ["Ann", None]})
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    return Workbook.from_tables(p, Tables(orders=orders_of(rows), customers=c))


def test_thirteen_months_give_no_growth_churn_or_payback():
    wb = thirteen_months()
    r = year_one_review(wb)
    # the baseline (02.01.2024 - 31.12.2024) and the 12 months before it are not in the data (from 01.12.2024)
    assert sorted(r["limited"]) == ["baseline", "year_before_baseline"]
    assert "01.12.2024" in r["limited"]["baseline"]
    # customer 1's revenue grew from 100 (December 2024 alone) to 2,600: a "growth" of +2,500 % from a year
    # that is not in the data; it is unknown instead
    perf = r["performance"]
    assert perf.loc["managed", "revenue_followup"] == 2600.0  # 11 x 200 + 400
    assert perf[["revenue_baseline", "revenue_growth", "margin_rate_baseline"]].isna().all().all()
    assert r["churn"][["baseline", "followup"]].isna().all().all()
    assert r["promoted"] is None and r["amortisation"] is None and r["amortisation_month"] is None
    # the A customers (large-customer business, A before the start) and the comparison group are not known: not in the groups at all
    assert list(r["groups"]) == ["managed", "all customers"]
    f = tracking_figures(wb, r)
    assert f["churn_rate_12m"] is None and f["amortisation_month"] is None
    assert sorted(f["_limited"]) == ["amortisation_month", "churn_rate_12m", "year_one_review"]
    assert "from 01.01.2024" in f["_limited"]["churn_rate_12m"]


def test_the_review_is_remembered_by_the_workbook():
    wb = review_workbook()
    r = year_one_review(wb)
    assert year_one_review(wb)["line_sums"] is r["line_sums"]
    # another programme start is another review
    later = wb.with_assumptions(programme_start=dt.date(2025, 7, 1))
    assert year_one_review(later)["periods"].start == dt.date(2025, 7, 1)
    assert len(wb._memo["year_one_review"]) == 2


def test_the_review_runs_without_a_customer_master_or_an_inside_rep():
    # orders only: the customers come from the orders, nobody has an inside rep: the managed group are the
    # customers to manage: all eight are below the sales threshold (8,593.75) and bought within 24 months
    wb = review_workbook()
    o = wb.tables.orders.drop(columns="contribution_margin")
    c = pd.DataFrame({"customer_id": sorted(o["customer_id"].unique())})
    bare = Workbook.from_tables(wb.params, Tables(orders=o, customers=c, customers_from_orders=True))
    r = year_one_review(bare)
    assert list(r["groups"]["managed"]) == [str(i) for i in range(8)]
    assert r["qualification"].loc["complete", "managed"] == 0.0
    # the margin is revenue x 25 %: in 2025 customers 0 - 3 buy 12 x 300, 4 and 5 buy 12 x 200:
    # (4 x 3,600 + 2 x 2,400) x 0.25 = 19,200 x 0.25 = 4,800
    managed = r["performance"].loc["managed"]
    assert (managed["revenue_followup"], managed["margin_followup"]) == (19_200.0, 4_800.0)
