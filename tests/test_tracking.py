import datetime as dt

import numpy as np
import pandas as pd
import pytest

from smartacct_helpers import tracking
from smartacct_helpers.intake import Tables
from smartacct_helpers.params import Assumptions, Params
from smartacct_helpers.workbook import Workbook

A = Assumptions()


def orders_of(rows) -> pd.DataFrame:
    """rows: (customer, date, revenue, margin)."""
    c, d, r, m = zip(*rows)
    return pd.DataFrame({"customer_id": list(c), "date": pd.to_datetime(list(d)), "revenue": list(r),
                         "contribution_margin": list(m)})


def test_review_periods_by_hand():
    # no start: the follow-up is the 12 months up to the reference date, the baseline the 365 days before
    p = tracking.review_periods(dt.date(2025, 12, 31))
    assert (p.start, p.end, p.days) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1), 365)
    assert p.baseline_start == dt.date(2024, 1, 2)   # 2024 has 366 days
    # a start in the last year: the follow-up ends with the data, the baseline is as long
    p = tracking.review_periods(dt.date(2025, 12, 31), dt.date(2025, 10, 1))
    assert (p.days, p.baseline_start) == (92, dt.date(2025, 7, 1))
    with pytest.raises(ValueError, match="before the reference date"):
        tracking.review_periods(dt.date(2025, 12, 31), dt.date(2026, 1, 1))


def test_churn_rate_by_hand():
    o = orders_of([
        ("1", "2024-02-01", 10, 3), ("1", "2025-03-01", 10, 3),   # active before, buys again
        ("2", "2024-06-01", 10, 3),                               # active before, lost
        ("3", "2024-07-01", 10, 3), ("3", "2025-01-01", -10, -3), # a credit note is no purchase: lost
        ("4", "2022-01-01", 10, 3),                               # not active in the 12 months before
    ])
    # of 1, 2, 3 active in 2024, two bought nothing in 2025: 2/3
    assert tracking.churn_rate(o, ["1", "2", "3", "4"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == pytest.approx(2 / 3)
    assert np.isnan(tracking.churn_rate(o, ["4"], dt.date(2025, 1, 1), dt.date(2026, 1, 1)))


def test_qualification_by_hand():
    c = pd.DataFrame({"customer_id": ["1", "2", "3", "4"], "industry": ["x", "y", None, "x"],
                      "employees": pd.array([3, None, 5, 2], dtype="Int64")})
    q = tracking.qualification(c, ["1", "2", "3"], ("industry", "employees", "region"))
    # industry 2 of 3, employees 2 of 3, region not in the table: 0; complete: nobody
    assert q["share"].tolist() == pytest.approx([2 / 3, 2 / 3, 0.0, 0.0])
    q = tracking.qualification(c, ["1", "2", "3"], ("industry", "employees"))
    assert q.loc["complete", "share"] == pytest.approx(1 / 3)   # only customer 1 has both


def test_group_performance_by_hand():
    p = tracking.review_periods(dt.date(2025, 12, 31))   # baseline 02.01.2024 - 31.12.2024, follow-up 2025
    o = orders_of([("1", "2024-05-01", 100, 30), ("1", "2025-05-01", 150, 48),
                   ("2", "2024-05-01", 1000, 200), ("2", "2025-05-01", 900, 171), ("2", "2024-01-01", 999, 99)])
    perf = tracking.group_performance(o, {"managed": pd.Index(["1"]), "key accounts": pd.Index(["2"])}, p)
    # managed: 100 -> 150 = +50 %, margin rate 48/150 = 32 %; key accounts: 1000 -> 900 = -10 %, 171/900 = 19 %
    # (the order of 01.01.2024 lies before the baseline)
    assert perf.loc["managed", "revenue_growth"] == pytest.approx(0.5)
    assert perf.loc["managed", "margin_rate_followup"] == pytest.approx(0.32)
    assert perf.loc["key accounts", "revenue_growth"] == pytest.approx(-0.1)
    assert perf.loc["key accounts", "margin_rate_followup"] == pytest.approx(0.19)
    assert perf.loc["key accounts", "margin_rate_baseline"] == pytest.approx(0.2)


def test_market_shares_by_hand():
    p = tracking.review_periods(dt.date(2025, 12, 31))   # 365 days each
    o = orders_of([("1", "2025-03-01", 300, 0), ("2", "2025-04-01", 200, 0), ("2", "2024-04-01", 100, 0)])
    c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["electricians", "industry"]})
    market = pd.DataFrame({"segment": ["electricians", "industry"], "market_volume": [1000.0, 4000.0]})
    m = tracking.market_shares(o, c, market, p)
    # follow-up: electricians 300 / 1,000 = 30 %, industry 200 / 4,000 = 5 %, overall 500 / 5,000 = 10 %
    assert m.loc["electricians", "share_followup"] == pytest.approx(0.30)
    assert m.loc["industry", "share_followup"] == pytest.approx(0.05)
    assert m.loc["overall", "share_followup"] == pytest.approx(0.10)
    assert m.loc["industry", "share_baseline"] == pytest.approx(100 / 4000)
    assert tracking.market_shares(o, c, None, p) is None


def test_market_shares_scale_a_short_period_to_a_year():
    p = tracking.review_periods(dt.date(2025, 12, 31), dt.date(2025, 10, 1))   # 92 days
    o = orders_of([("1", "2025-11-01", 92, 0)])
    c = pd.DataFrame({"customer_id": ["1"], "industry": ["x"]})
    m = tracking.market_shares(o, c, pd.DataFrame({"segment": ["x"], "market_volume": [3650.0]}), p)
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
    p = tracking.review_periods(dt.date(2025, 12, 31))
    groups = {"managed": pd.Index(["1"]), "other small": pd.Index(["2"])}
    a = A.model_copy(update={"inside_rep_annual_cost": 12_000.0, "project_manager_annual_cost": 0.0,
                             "systems_annual_cost": 0.0, "setup_cost": 1_000.0})
    curve = tracking.amortisation(o, groups, p, a, team_size=1)
    # 12 months; extra margin 500 a month; cost 12,000 / 12 = 1,000 a month + 1,000 set-up in month 1
    assert len(curve) == 12
    assert curve["incremental_margin"].tolist() == pytest.approx([500.0] * 12)
    assert curve["cost"].iloc[0] == pytest.approx(2000.0)
    # never paid back: 6,000 extra margin against 13,000 cost
    assert curve["cumulative_net"].iloc[-1] == pytest.approx(-7000.0)
    # with a cheaper team (3,000 a year: 250 a month, set-up 1,000): cumulative net month m is
    # 500 m - 250 m - 1,000 = 250 m - 1,000 >= 0 from month 4
    cheap = a.model_copy(update={"inside_rep_annual_cost": 3_000.0})
    curve = tracking.amortisation(o, groups, p, cheap, team_size=1)
    from smartacct_helpers.business_case import payback_month
    assert payback_month(curve["cumulative_net"]) == 4


def test_amortisation_credits_only_growth_above_the_comparison_group():
    # both groups grow by 50 %: the managed group's growth is what would have happened anyway
    rows = []
    for year, m in ((2024, 1000.0), (2025, 1500.0)):
        for month in range(1, 13):
            rows += [("1", f"{year}-{month:02d}-15", m, m), ("2", f"{year}-{month:02d}-15", m, m)]
    curve = tracking.amortisation(orders_of(rows), {"managed": pd.Index(["1"]), "other small": pd.Index(["2"])},
                                  tracking.review_periods(dt.date(2025, 12, 31)), A, team_size=1)
    assert curve["incremental_margin"].abs().max() == pytest.approx(0.0)


def test_promoted_only_counts_new_field_clusters():
    now = pd.DataFrame({"customer_id": ["1", "2", "3", "4"], "segment": ["field", "develop", "small", "field"]})
    then = pd.DataFrame({"customer_id": ["1", "2", "3", "4"], "segment": ["small", "develop", "small", "small"]})
    # 1 moved up to field; 2 was "develop" already; 3 stays small; 4 is not managed
    assert tracking.promoted(now, ["1", "2", "3"], then)["customer_id"].tolist() == ["1"]
    assert tracking.promoted(now, ["1", "2", "3"])["customer_id"].tolist() == ["1", "2"]


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
    c = pd.DataFrame({"customer_id": [str(i) for i in range(8)], "industry": ["x"] * 8,
                      "inside_rep": ["Ann"] * 4 + [None] * 4})
    assumptions = {"programme_start": programme_start} if programme_start else {}
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31", "assumptions": assumptions})
    return Workbook.from_tables(p, Tables(orders=o, customers=c))


def test_year_one_review_and_figures_by_hand():
    wb = review_workbook()
    r = tracking.year_one_review(wb)
    assert list(r["groups"]["managed"]) == ["0", "1", "2", "3"]
    # the comparison group is chosen on the year before the baseline (2023), when nobody bought: empty
    assert len(r["groups"]["other small"]) == 0
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
    f = tracking.tracking_figures(wb, r)
    assert f == {"churn_rate_12m": 0.0, "amortisation_month": None}
    assert r["qualification"].loc["complete", "managed"] == 0.0   # region, employees, ... are missing


def test_review_without_a_start_uses_the_last_12_months():
    r = tracking.year_one_review(review_workbook(None))
    assert r["periods"].start == dt.date(2025, 1, 1)


def test_year_one_review_on_the_sample(sample_workbook):
    r = tracking.year_one_review(sample_workbook)
    assert len(r["groups"]["managed"]) == int(sample_workbook.tables.customers["inside_rep"].notna().sum())
    assert r["market"] is not None and "overall" in r["market"].index
    f = tracking.tracking_figures(sample_workbook, r)
    assert 0 <= f["churn_rate_12m"] <= 1
    assert f["amortisation_month"] is None or 1 <= f["amortisation_month"] <= 12
