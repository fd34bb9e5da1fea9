import datetime as dt

import ibis
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.delivery.client_exports import write_worklists
from smartacct_helpers.early_warning.backtest import (
    HORIZONS,
    _metrics,
    backtest,
    backtest_date,
    backtest_limits,
    early_warning_figures,
    stopped_buying,
)
from smartacct_helpers.early_warning.bgnbd import fit_bgnbd, probability_alive
from smartacct_helpers.early_warning.rhythm import (
    _alive,
    _rhythms,
    bgnbd_inputs,
    buying_rhythm,
    early_warning_count,
    rhythm,
    year_before_held,
)
from smartacct_helpers.early_warning.worklists import (
    WORKLIST_COLUMNS,
    _reason,
    risk_scores,
    scores_today,
    todays_worklists,
    warnings_today,
    worklists,
)
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.formatting import Numbers

A = Assumptions()  # warnings: 3 x the usual interval, orders -60 %, revenue -70 %; 4 order days for a rhythm


def orders_of(rows) -> pd.DataFrame:
    """rows: (customer, date, revenue)."""
    c, d, r = zip(*rows, strict=True)
    return pd.DataFrame({"customer_id": list(c), "date": pd.to_datetime(list(d)), "revenue": list(r)})


def test_defaults_of_the_warning_assumptions():
    assert (A.warning_interval_factor, A.warning_frequency_drop, A.warning_revenue_drop) == (3.0, 0.6, 0.7)
    assert (A.warning_min_orders, A.worklist_size) == (4, 25)


def test_rhythm_by_hand():
    # customer 1: order days 1.1., 11.1., 31.1., 10.2.2025 (gaps 10, 20, 10 -> median 10); a credit note on
    # 20.2. does not count as an order day; scored on 2.3.2025: 20 days since the last order, ratio 2
    o = orders_of(
        [
            ("1", "2025-01-01", 100.0),
            ("1", "2025-01-11", 50.0),
            ("1", "2025-01-31", 80.0),
            ("1", "2025-02-10", 70.0),
            ("1", "2025-02-20", -30.0),
            ("2", "2025-01-05", 10.0),
        ]
    )
    r = rhythm(o, dt.date(2025, 3, 2))
    assert r.loc["1", "order_days"] == 4
    assert r.loc["1", "usual_interval_days"] == 10
    assert r.loc["1", "days_since_last_order"] == 20
    assert r.loc["1", "overdue_ratio"] == 2.0
    assert r.loc["1", "revenue_12m"] == pytest.approx(270.0)  # 100 + 50 + 80 + 70 - 30
    # customer 2 has a single order day: no rhythm
    assert np.isnan(r.loc["2", "usual_interval_days"])


def test_the_rhythm_sums_revenue_to_the_cent_as_written():
    # by hand: 100.10 + 200.20 - 300.30 = 0 and 100.10 + 200.20 = 300.30 in the last 12 months; as floats
    # added one by one, -5.7e-14 and 300.29999999999995
    o = orders_of(
        [
            ("1", "2025-01-01", 100.10),
            ("1", "2025-02-01", 200.20),
            ("1", "2025-03-01", -300.30),
            ("2", "2025-01-01", 100.10),
            ("2", "2025-02-01", 200.20),
        ]
    )
    r = rhythm(o, dt.date(2025, 3, 2))
    assert r.loc["1", "revenue_12m"] == 0.0 and r.loc["2", "revenue_12m"] == 300.30


def test_risk_score_flags_and_reasons_by_hand():
    # customer 1 ordered every 10 days in 2024 (37 order days of 100), then once in 2025 on 10.01.;
    # scored on 31.03.2025:
    days = pd.date_range("2024-01-01", "2024-12-31", freq="10D")
    rows = [("1", d, 100.0) for d in days] + [("1", "2025-01-10", 100.0)]
    # customer 2 buys every 30 days right up to the scoring day (no warning)
    rows += [("2", d, 50.0) for d in pd.date_range("2024-04-05", "2025-03-31", freq="30D")]
    o = orders_of(rows)
    s = risk_scores(o, dt.date(2025, 3, 31), A)
    one = s.loc["1"]
    # 12-month window (31.03.2024, 31.03.2025]: order days from 10.04.2024 every 10 days to 26.12.2024 = 27,
    # plus 10.01.2025 = 28; the 12 months before: 01.01. to 31.03.2024 = 10 order days
    assert (one["orders_12m"], one["orders_prev_12m"]) == (28, 10)
    # 80 days since 10.01.2025; the last 12 gaps: 11 of 10 days and one of 15 -> median 10; ratio 8 > 3
    assert one["days_since_last_order"] == 80
    assert one["usual_interval_days"] == 10
    assert bool(one["overdue"]) and not bool(one["fewer_orders"]) and not bool(one["less_revenue"])
    # score: overdue (8 - 1) / (2 x 3 - 1) -> capped at 1 -> 50; orders and revenue rose -> 0
    assert one["risk_score"] == 50.0
    assert one["reason"] == "no order for 80 days, usually one every 10 days"
    assert not bool(s.loc["2", "flagged"])
    assert s.index[0] == "1"


def test_fall_in_orders_and_revenue_by_hand():
    # 10 orders of 100 in the year before, 3 of 100 in the last year, the last one yesterday
    before = [("1", d, 100.0) for d in pd.date_range("2024-01-15", periods=10, freq="30D")]
    recent = [("1", d, 100.0) for d in ["2025-03-01", "2025-08-01", "2025-12-30"]]
    s = risk_scores(orders_of(before + recent), dt.date(2025, 12, 31), A)
    one = s.loc["1"]
    # orders 10 -> 3: -70 % (limit -60 %); revenue 1,000 -> 300: -70 % (limit -70 %)
    assert bool(one["fewer_orders"]) and bool(one["less_revenue"]) and not bool(one["overdue"])
    # score: 0.7 x 25 + 0.7 x 25 = 35
    assert one["risk_score"] == pytest.approx(35.0)
    assert one["reason"] == (
        "order days down from 10 to 3 on the year before; revenue down 70 % on the year before (1,000 EUR -> 300 EUR)"
    )
    # in the client's number format (de): the share and the amounts as everywhere else in the report
    de = risk_scores(orders_of(before + recent), dt.date(2025, 12, 31), A, style="de").loc["1", "reason"]
    assert de.endswith("revenue down 70 % on the year before (1.000 € -> 300 €)")
    assert "70%" not in de


def test_only_customers_of_the_last_12_months_are_scored():
    o = orders_of([("1", "2023-05-01", 10.0), ("2", "2025-05-01", 10.0)])
    assert risk_scores(o, dt.date(2025, 12, 31), A).index.tolist() == ["2"]


def test_stopped_buying_by_hand():
    o = orders_of([("1", "2025-03-01", 10.0), ("2", "2025-09-01", 10.0), ("3", "2025-02-01", -5.0)])
    s = stopped_buying(o, ["1", "2", "3", "4"], dt.date(2024, 12, 31), 6)
    # within 6 months (to 30.06.2025): 1 bought; 2 bought later; 3 only a credit note; 4 nothing
    assert s.tolist() == [False, True, True, True]


def test_metrics_by_hand():
    stopped = pd.Series([True, True, False, False, False, False, False, False, False, True], index=list("abcdefghij"))
    flagged = pd.Series([True, True, True, False, False, False, False, False, False, False], index=stopped.index)
    score = pd.Series(range(10, 0, -1), index=stopped.index, dtype=float)
    m = _metrics(stopped, score, flagged, top=2)
    # base rate 3/10; flagged 3 with 2 stopped -> precision 2/3, lift (2/3) / 0.3 = 2.22; recall 2/3;
    # top 2 (a, b) both stopped
    assert m["base_rate"] == pytest.approx(0.3)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["lift"] == pytest.approx(20 / 9)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["top_precision"] == 1.0


def planted_lapses(n: int = 600, seed: int = 3) -> tuple[pd.DataFrame, set]:
    """Customers with a steady rhythm (an order every 10 to 45 days). A quarter, the lapsers, buy at half
    their rhythm in the year before 1.1.2025 and fall silent 4 to 6 intervals before it, never to return.
    Another tenth stop on 1.1.2025 without any warning sign (noise)."""
    rng = np.random.default_rng(seed)
    start, as_of, end = pd.Timestamp("2022-01-01"), pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
    rows = []
    lapsers = set()
    for i in range(n):
        cid = f"{i:04d}"
        interval = rng.uniform(10, 45)
        kind = rng.choice(["steady", "lapser", "sudden"], p=[0.65, 0.25, 0.10])
        t = start + pd.Timedelta(days=float(rng.uniform(0, interval)))
        silent_from = as_of - pd.Timedelta(days=float(interval * rng.uniform(4, 6)))
        while t <= end:
            slow = kind == "lapser" and t > as_of - pd.Timedelta(days=365)
            if (kind == "sudden" and t > as_of) or (kind == "lapser" and t > silent_from):
                break
            rows.append((cid, t.normalize(), float(rng.uniform(50, 500))))
            step = interval * (2 if slow else 1) * rng.uniform(0.7, 1.3)
            t += pd.Timedelta(days=step)
        if kind == "lapser":
            lapsers.add(cid)
    return orders_of(rows), lapsers


def test_backtest_finds_the_planted_lapses():
    o, lapsers = planted_lapses()
    # scored on 31.12.2024: the 6 and 12 months after it end within the data
    bt = backtest(o, dt.date(2024, 12, 31), A, data_end=dt.date(2025, 12, 31))
    rhythm12 = bt.loc[("buying rhythm", 12)]
    # the lapsers (a quarter) and the sudden stops (a tenth) stop: base rate about 0.35;
    # the flags catch the lapsers, so the flagged customers stop far more often
    assert 0.25 < rhythm12["base_rate"] < 0.45
    assert rhythm12["lift"] > 2.0
    assert rhythm12["recall"] > 0.5
    assert rhythm12["top_lift"] > 2.0
    assert ("buying rhythm", 6) in bt.index
    # the BG/NBD model sees the long silence too
    assert bt.loc[("BG/NBD probability alive", 12), "lift"] > 1.5
    scores = risk_scores(o, dt.date(2024, 12, 31), A)
    flagged = set(scores.index[scores["flagged"]])
    assert len(flagged & lapsers) / len(lapsers) > 0.7


def test_backtest_leaves_out_horizons_past_the_data():
    o, _ = planted_lapses(n=80)
    bt = backtest(o, dt.date(2025, 9, 1), A, with_bgnbd=False, data_end=dt.date(2025, 12, 31))
    assert bt.index.tolist() == []  # 6 months after 1.9.2025 run past the end of the data


def test_bgnbd_fit_recovers_a_sensible_model():
    o, lapsers = planted_lapses(n=300)
    inputs = bgnbd_inputs(o, dt.date(2025, 1, 1))
    params = fit_bgnbd(inputs)
    assert all(np.isfinite(v) and v > 0 for v in params.values())
    alive = probability_alive(inputs, params)
    assert alive.between(0, 1).all()
    assert alive[alive.index.isin(lapsers)].mean() < alive[~alive.index.isin(lapsers)].mean()


def test_bgnbd_probability_alive_by_hand():
    # x = 3, t_x = 30, T = 40, r = 2, alpha = 5, a = 0.5, b = 2.5:
    # odds = 0.5 / (2.5 + 2) x (45 / 35)^5 = 1/9 x 59049/16807 = 6561/16807; p = 16807 / 23368 = 0.719231
    p = probability_alive(
        pd.DataFrame({"x": [3.0], "t_x": [30.0], "T": [40.0]}), {"r": 2.0, "alpha": 5.0, "a": 0.5, "b": 2.5}
    )
    assert p.iloc[0] == pytest.approx(16807 / 23368)


# -- workbook level: figures and worklists -----------------------------------------------------------------------


def warning_workbook(reference_date: str = "2025-06-30") -> Workbook:
    o, _ = planted_lapses(n=120, seed=5)
    ids = sorted(o["customer_id"].unique())
    reps = np.array(["Ann", "Ben", None], dtype=object)[np.arange(len(ids)) % 3]
    c = pd.DataFrame({"customer_id": ids, "name": [f"Firm {i}" for i in ids], "inside_rep": reps})
    o = o[o["date"] <= reference_date]
    p = Params.model_validate(
        {"data": {"orders": "x.csv"}, "reference_date": reference_date, "assumptions": {"worklist_size": 5}}
    )
    return Workbook.from_tables(p, Tables(orders=o, customers=c))


def test_worklists_one_sheet_per_rep(tmp_path):
    wb = warning_workbook()
    lists = worklists(warnings_today(wb), 5)
    path = write_worklists(lists, tmp_path)
    sheets = openpyxl.load_workbook(path).sheetnames
    assert sheets == ["Ann", "Ben", "unassigned"]
    # no flagged customer: one empty sheet with the list's columns
    empty = openpyxl.load_workbook(write_worklists({}, tmp_path, "none"))
    assert empty.sheetnames == ["unassigned"] and next(empty["unassigned"].values) == tuple(WORKLIST_COLUMNS)
    for part in lists.values():
        assert len(part) <= 5
        assert part["reason"].str.len().gt(0).all()


def test_worklists_by_hand():
    w = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3", "4"],
            "inside_rep": ["Ann", None, "Ann", "Ann"],
            "risk_score": [90.0, 80.0, 70.0, 60.0],
            "reason": ["a", "b", "c", "d"],
        }
    )
    lists = worklists(w, 2)
    assert lists["Ann"]["customer_id"].tolist() == ["1", "3"]
    assert lists["unassigned"]["customer_id"].tolist() == ["2"]


def test_early_warning_figures_match_the_scores():
    wb = warning_workbook("2025-12-31")
    f = early_warning_figures(wb)
    s = risk_scores(wb.tables.orders, wb.reference_date, wb.assumptions)
    assert f["early_warning_count"] == int(s["flagged"].sum())
    # the backtest is scored on 31.12.2024, when the lapsers have slowed down; they stop in the 12 months after
    assert f["early_warning_lift_12m"] > 2.0


def test_a_warning_slider_scores_the_remembered_rhythm_again():
    from smartacct_helpers.early_warning.views import flagged_customers

    wb = warning_workbook("2025-12-31")
    looser = wb.with_assumptions(warning_interval_factor=1.5, warning_frequency_drop=0.3, warning_revenue_drop=0.3)
    for variant in (wb, looser):
        # the section's count is the full scoring's, reasons and all
        expected = int(risk_scores(wb.tables.orders, wb.reference_date, variant.assumptions)["flagged"].sum())
        assert f"**{expected:,}** of " in flagged_customers(variant)[0].data
    # looser rules flag more; both came from the one rhythm, which only warning_min_orders changes
    assert early_warning_count(looser) > early_warning_count(wb)
    assert len(wb._memo["rhythm"]) == 1
    buying_rhythm(wb.with_assumptions(warning_min_orders=6))
    assert len(wb._memo["rhythm"]) == 2


def test_early_warning_lift_is_none_without_a_warning():
    # scored on 30.06.2024 the lapsers still buy at their usual rhythm: nobody is flagged, the lift is unknown
    f = early_warning_figures(warning_workbook("2025-06-30"))
    assert f["early_warning_lift_12m"] is None


# -- the same in the engine: DataFrame or Ibis table, dates or timestamps -------------------------------------------


def date_table(o: pd.DataFrame):
    """The lines as an Ibis table whose ``date`` is a DATE (as in a database), not a timestamp."""
    return ibis.memtable(
        o.assign(date=o["date"].dt.date), schema={"customer_id": "string", "date": "date", "revenue": "float64"}
    )


def test_rhythm_is_the_same_for_a_frame_and_a_table_with_dates():
    # customer 1: order days 1.1., 11.1., 31.1., 10.2.2025 (gaps 10, 20, 10 -> median 10) and a credit note;
    # customer 2: one order day
    o = orders_of(
        [
            ("1", "2025-01-01", 100.0),
            ("1", "2025-01-11", 50.0),
            ("1", "2025-01-31", 80.0),
            ("1", "2025-02-10", 70.0),
            ("1", "2025-02-20", -30.0),
            ("2", "2025-01-05", 10.0),
        ]
    )
    day = dt.date(2025, 3, 2)
    from_frame, from_table = rhythm(o, day), rhythm(date_table(o), day)
    pd.testing.assert_frame_equal(from_frame, from_table)
    assert from_table.index.tolist() == ["1", "2"]
    assert from_table.loc["1", "usual_interval_days"] == 10
    assert from_table.loc["1", "revenue_12m"] == pytest.approx(270.0)  # 100 + 50 + 80 + 70 - 30
    pd.testing.assert_frame_equal(risk_scores(o, day, A), risk_scores(date_table(o), day, A))


def test_a_line_counts_on_its_day_whatever_its_time():
    # scored on 31.12.2024: the 12 months are 1.1. to 31.12.2024, the 12 months before 1.1. to 31.12.2023
    o = orders_of(
        [
            ("1", "2023-12-31 23:59", 1.0),  # the year before, on its last day
            ("1", "2024-01-01 00:01", 2.0),  # the last 12 months, on their first day
            ("1", "2024-06-01 09:00", 4.0),  # two lines on one day: one order day
            ("1", "2024-06-01 17:00", 8.0),
            ("1", "2024-12-31 23:30", 16.0),  # the scoring day itself, late in the evening
            ("1", "2025-01-01 00:00", 32.0),
        ]
    )  # the day after: not yet
    r = rhythm(o, dt.date(2024, 12, 31), min_orders=2)
    one = r.loc["1"]
    # order days 31.12.2023, 1.1., 1.6., 31.12.2024: 4 in all, 3 in the last 12 months, 1 in the year before
    assert (one["order_days"], one["orders_12m"], one["orders_prev_12m"]) == (4, 3, 1)
    assert one["revenue_12m"] == 2.0 + 4.0 + 8.0 + 16.0
    assert one["revenue_prev_12m"] == 1.0
    assert one["last_order"] == pd.Timestamp("2024-12-31") and one["days_since_last_order"] == 0
    # gaps 1 (31.12. -> 1.1.), 152 (-> 1.6.2024, a leap year), 213 (-> 31.12.): median 152
    assert one["usual_interval_days"] == 152
    pd.testing.assert_frame_equal(r, rhythm(date_table(o), dt.date(2024, 12, 31), min_orders=2))


def test_usual_interval_is_the_median_of_the_last_12_gaps():
    # 15 order days: two gaps of 100 days, then gaps of 5, 7, 5, 7, ... (12 of them); the last 12 gaps
    # hold six 5s and six 7s -> median (5 + 7) / 2 = 6; the 100-day gaps fall out
    steps = [100, 100] + [5, 7] * 6
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.cumsum([0] + steps), unit="D")
    o = orders_of([("1", d, 10.0) for d in days])
    as_of = (days[-1] + pd.Timedelta(days=3)).date()
    assert rhythm(o, as_of).loc["1", "usual_interval_days"] == 6.0
    # scored a day before the last order day: 14 order days, gaps 100, 5, 7, 5, ..., 7, 5 (last 12: six 5s,
    # five 7s and the second 100) -> sorted 5 x6, 7 x5, 100: the middle two are 5 and 7 -> 6
    assert rhythm(o, (days[-1] - pd.Timedelta(days=1)).date()).loc["1", "usual_interval_days"] == 6.0
    # scored on the third order day: 3 order days, gaps 100 and 100 -> below 4 order days no interval
    assert np.isnan(rhythm(o, days[2].date()).loc["1", "usual_interval_days"])


def _rhythm_by_hand(lines, as_of: dt.date, until: dt.date, min_orders: int) -> dict:
    """One customer's rhythm from its lines ``(day, revenue)``, one order day after another, as docs/method.md says."""
    import statistics

    order_days = sorted({d for d, r in lines if r > 0 and d <= until})
    held = [d for d in order_days if d <= as_of]
    start, before = as_of.replace(year=as_of.year - 1), as_of.replace(year=as_of.year - 2)  # no 29 February drawn
    gaps = [(b - a).days for a, b in zip(held, held[1:], strict=False)][-12:]
    return {
        "order_days": len(held),
        "last_order": pd.Timestamp(held[-1]) if held else None,
        "usual_interval_days": statistics.median(gaps) if len(held) >= min_orders else None,
        "orders_12m": sum(start < d for d in held),
        "orders_prev_12m": sum(before < d <= start for d in held),
        "revenue_12m": round(sum(r for d, r in lines if start < d <= as_of), 2),
        "next_order": pd.Timestamp(min(d for d in order_days if d > as_of)) if order_days[-1:] > [as_of] else None,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "3", "10"]),
            st.dates(dt.date(2022, 1, 1), dt.date(2025, 12, 31)).filter(lambda d: (d.month, d.day) != (2, 29)),
            st.integers(-5_000, 20_000).map(lambda cents: cents / 100),  # amounts in cents; some credit notes
        ),
        min_size=1,
        max_size=60,
    ),
    st.integers(2, 5),
)
def test_the_rhythm_on_two_days_is_what_counting_the_order_days_one_by_one_gives(rows, min_orders):
    # lines of four customers, several on one day, credit notes among them; scored on two days at once
    today, year_ago, until = dt.date(2025, 6, 30), dt.date(2024, 6, 30), dt.date(2025, 6, 30)
    o = pd.DataFrame(rows, columns=["customer_id", "date", "revenue"]).assign(date=lambda d: pd.to_datetime(d["date"]))
    scored = _rhythms(o, [today, year_ago], min_orders, until)
    for as_of in (today, year_ago):
        r = scored[as_of]
        by_customer = {c: [(d, v) for cc, d, v in rows if cc == c] for c in {c for c, _, _ in rows}}
        expected = {c: _rhythm_by_hand(lines, as_of, until, min_orders) for c, lines in by_customer.items()}
        expected = {c: e for c, e in expected.items() if e["order_days"]}  # only customers who had bought by then
        assert r.index.tolist() == sorted(expected)  # "10" before "2": the ids sorted as text
        for c, e in expected.items():
            got = r.loc[c]
            assert (got["order_days"], got["orders_12m"], got["orders_prev_12m"]) == (
                e["order_days"],
                e["orders_12m"],
                e["orders_prev_12m"],
            )
            assert got["last_order"] == e["last_order"]
            assert got["revenue_12m"] == pytest.approx(e["revenue_12m"], abs=1e-6)
            if e["usual_interval_days"] is None:
                assert np.isnan(got["usual_interval_days"])
            else:
                assert got["usual_interval_days"] == e["usual_interval_days"]
            assert (got["next_order"] if pd.notna(got["next_order"]) else None) == e["next_order"]


def test_equal_scores_keep_the_order_of_the_customer_ids():
    # four customers with the same rhythm, hence the same score: they follow in the order of their ids as
    # strings (code points: "1" < "9" < "B" < "a")
    rows = [
        (cid, d, 10.0) for cid in ["a", "9", "B", "10"] for d in pd.date_range("2024-01-05", periods=15, freq="20D")
    ]
    s = risk_scores(orders_of(rows), dt.date(2025, 3, 1), A)
    assert s.index.tolist() == ["10", "9", "B", "a"]
    assert s["risk_score"].nunique() == 1


def test_stopped_buying_and_the_backtest_agree_for_a_table_with_dates():
    o, _ = planted_lapses(n=80)
    day = dt.date(2024, 12, 31)
    scores = risk_scores(o, day, A)
    stopped = stopped_buying(date_table(o), scores.index, day, 12)
    pd.testing.assert_series_equal(stopped, stopped_buying(o, scores.index, day, 12))
    bt = backtest(date_table(o), day, A, horizons=(12,), with_bgnbd=False, data_end=dt.date(2025, 12, 31))
    assert bt.loc[("buying rhythm", 12), "stopped"] == int(stopped.sum())
    pd.testing.assert_frame_equal(
        bt, backtest(o, day, A, horizons=(12,), with_bgnbd=False, data_end=dt.date(2025, 12, 31))
    )


def test_early_warning_figures_equal_the_backtest_of_the_lines():
    wb = warning_workbook("2025-12-31")
    f = early_warning_figures(wb)
    bt = backtest(
        wb.tables.orders,
        backtest_date(wb.reference_date),
        wb.assumptions,
        horizons=(12,),
        with_bgnbd=False,
        data_end=wb.reference_date,
    )
    assert f["early_warning_lift_12m"] == bt.loc[("buying rhythm", 12), "lift"]
    assert early_warning_figures(wb, bt) == f


def test_reason_amounts_do_not_depend_on_the_last_bits_of_a_sum():
    # 459.5 summed in another order can come out as 459.49999999999994; both read 460 (459.5 rounds to even)
    def reason(prev):
        row = pd.Series(
            {
                "overdue": False,
                "fewer_orders": False,
                "less_revenue": True,
                "revenue_12m": 45.95,
                "revenue_prev_12m": prev,
                "orders_12m": 1,
                "orders_prev_12m": 1,
            }
        )
        return _reason(row, Numbers("EUR"))

    assert reason(459.49999999999994) == reason(459.5) == "revenue down 90 % on the year before (460 EUR -> 46 EUR)"


def test_the_scores_of_today_are_those_of_the_lines_read_once_for_the_notebook():
    wb = warning_workbook("2025-12-31")
    today = scores_today(wb)
    # the same table as scoring the invoice lines themselves, reasons and order included
    pd.testing.assert_frame_equal(today, risk_scores(wb.tables.orders, wb.reference_date, wb.assumptions))
    # the rhythm is remembered: the slider and the worklists score it again without reading the lines
    assert len(wb._memo["rhythm"]) == 1
    warnings_today(wb)
    assert len(wb._memo["rhythm"]) == 1


# -- a short history: a year that is not in the data is no fall ----------------------------------------------------


def test_the_module_examples_hold():
    import doctest

    from smartacct_helpers.early_warning import backtest, rhythm, worklists

    results = [doctest.testmod(module) for module in (rhythm, backtest, worklists)]
    assert all(r.attempted for r in results) and not any(r.failed for r in results)


def thirteen_months_of_lines() -> pd.DataFrame:
    # the data starts on 01.12.2024; customer 1 buys on 10 days in December 2024 (100 each) and on 2 days in
    # 2025 (100 each): on the data alone, orders 10 -> 2 (-80 %) and revenue 1,000 -> 200 (-80 %)
    december = [("1", d, 100.0) for d in pd.date_range("2024-12-01", periods=10, freq="2D")]
    return orders_of(december + [("1", "2025-11-20", 100.0), ("1", "2025-12-10", 100.0)])


def test_the_falls_are_unknown_without_the_year_before():
    o = thirteen_months_of_lines()
    day = dt.date(2025, 12, 31)
    # the 12 months before the last 12 run from 01.01.2024; the data starts on 01.12.2024
    assert not year_before_held(dt.date(2024, 12, 1), day)
    s = risk_scores(o, day, A)
    one = s.loc["1"]
    assert (one["orders_prev_12m"], one["orders_12m"]) == (10, 2)  # what the data holds, shown as it is
    assert not bool(one["fewer_orders"]) and not bool(one["less_revenue"])
    # 21 days since 10.12.; the 11 gaps: nine of 2 days, 336 (19.12.2024 -> 20.11.2025) and 20 -> median 2:
    # ratio 10.5 > 3, overdue; its points (10.5 - 1) / 5 capped at 1 x 50 = 50, none for the unknown falls
    assert bool(one["overdue"]) and one["risk_score"] == 50.0
    assert one["reason"] == "no order for 21 days, usually one every 2 days"
    # had the data reached back to 01.01.2024 (nothing bought before December), both falls would count:
    # 50 + 0.8 x 25 + 0.8 x 25 = 90
    held = risk_scores(o, day, A, data_start=dt.date(2023, 12, 1)).loc["1"]
    assert bool(held["fewer_orders"]) and bool(held["less_revenue"]) and held["risk_score"] == 90.0


def test_a_backtest_needs_the_year_before_its_scoring_day():
    o = thirteen_months_of_lines()
    # scored on 31.12.2024: the 12 months before it start on 01.01.2024, the data on 01.12.2024
    assert backtest(o, dt.date(2024, 12, 31), A, data_end=dt.date(2025, 12, 31)).empty
    limits = backtest_limits(dt.date(2024, 12, 31), HORIZONS, dt.date(2024, 12, 1), dt.date(2025, 12, 31))
    assert list(limits) == ["early_warning_backtest"]


def test_early_warning_figures_on_thirteen_months():
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    wb = Workbook.from_tables(
        p, Tables(orders=thirteen_months_of_lines(), customers=pd.DataFrame({"customer_id": ["1"]}))
    )
    f = early_warning_figures(wb)
    assert f["early_warning_count"] == 1  # overdue
    assert f["early_warning_lift_12m"] is None
    assert sorted(f["_limited"]) == ["early_warning_backtest", "early_warning_lift_12m", "early_warning_rules"]
    assert f["_limited"]["early_warning_rules"].endswith("so only overdue customers are flagged")


def test_backtest_limits_by_hand():
    # scored on 30.06.2025 with data from 2022 to 31.12.2025: 6 months end on 31.12.2025 (kept), 12 months on
    # 30.06.2026 (past the data)
    limits = backtest_limits(dt.date(2025, 6, 30), (6, 12), dt.date(2022, 1, 1), dt.date(2025, 12, 31))
    assert list(limits) == ["early_warning_backtest_12m"]
    assert "30.06.2025" in limits["early_warning_backtest_12m"] and "31.12.2025" in limits["early_warning_backtest_12m"]
    # data from 01.01.2024 holds the 12 months before the scoring day, not the 12 before those
    limits = backtest_limits(dt.date(2025, 6, 30), (6,), dt.date(2024, 7, 1), dt.date(2025, 12, 31))
    assert list(limits) == ["early_warning_backtest_rules"]


def test_the_bgnbd_model_takes_tiny_and_one_order_data():
    # nobody bought twice: x = 0 everywhere; then a probability alive of 1 (the formula's odds are 0)
    one_order = pd.DataFrame({"x": [0.0, 0.0], "t_x": [0.0, 0.0], "T": [0.0, 3.0]})
    assert _alive(one_order).tolist() == [1.0, 1.0]
    assert _alive(one_order.iloc[:0]).empty
    # a workbook with one customer and one order: no warning, no worklist, no crash
    p = Params.model_validate({"data": {"orders": "x.csv"}})
    wb = Workbook.from_tables(
        p, Tables(orders=orders_of([("1", "2025-06-01", 10.0)]), customers=pd.DataFrame({"customer_id": ["1"]}))
    )
    assert warnings_today(wb).empty and todays_worklists(wb) == {}


def test_the_warnings_of_today_are_remembered():
    wb = warning_workbook("2025-12-31")
    first = warnings_today(wb)
    pd.testing.assert_frame_equal(warnings_today(wb), first)
    assert len(wb._memo["warnings_today True"]) == 1
    lists = todays_worklists(wb)
    assert {k: len(v) for k, v in lists.items()} == {k: min(5, len(v)) for k, v in worklists(first, 1000).items()}
