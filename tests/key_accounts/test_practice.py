"""The key-account practice of notebook 05: strategies, exit barriers, discount trend, both sides, product groups.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import matplotlib
import pandas as pd
import pytest
from IPython.display import Markdown

from smartacct_helpers.assumptions import ARTICLE, default_source
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.schema import Tables
from smartacct_helpers.key_accounts.analysis import analysis_of
from smartacct_helpers.key_accounts.candidates import account_shares
from smartacct_helpers.key_accounts.practice import (
    STRATEGIES,
    best_product_group_shares,
    discount_drift,
    discount_trend,
    exit_barriers,
    latest_with,
    mutual_scorecard,
    product_group_shares,
    product_groups_bought,
    strategy_checklist,
    strategy_summary,
)
from smartacct_helpers.key_accounts.views import (
    discount_trend_section,
    exit_barriers_section,
    mutual_scorecard_section,
    strategies_section,
    value_analysis_of,
)
from smartacct_helpers.params import Params
from smartacct_helpers.presentation.sections import Needs
from smartacct_helpers.presentation.tables import Table

matplotlib.use("Agg")

REF = dt.date(2025, 12, 31)

#: x buys three of the four product groups of 2025, y and z one each; z's first order is the data's first day
LINES = pd.DataFrame(
    {
        "customer_id": ["z", "x", "x", "x", "x", "y", "z"],
        "date": pd.to_datetime(
            ["2021-01-15", "2021-06-30", "2025-03-01", "2025-03-01", "2025-03-01", "2025-05-01", "2025-07-01"]
        ),
        "order_id": ["1", "2", "3", "3", "3", "4", "5"],
        "revenue": [50.0, 10.0, 400.0, 200.0, 100.0, 300.0, 100.0],
        "product_group": ["a", "a", "a", "b", "c", "d", "a"],
    }
)


def workbook(lines, assessments=None, **assumptions):
    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": REF, "assumptions": assumptions})
    ids = pd.DataFrame({"customer_id": sorted(lines["customer_id"].unique())})
    return Workbook.from_tables(
        p, Tables(orders=lines, customers=ids, customers_from_orders=True, assessments=assessments)
    )


def texts(items) -> str:
    return "\n".join(str(i) if isinstance(i, Needs) else i.data for i in items if isinstance(i, (Needs, Markdown)))


def assessment(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    for c in STRATEGIES:
        if c in df:
            df[c] = df[c].astype("boolean")
    return df


#: x: all no in June, then three yes, two no and two unrated in December; a rating after the reference date
#: does not count; y never rated on the strategies
STRATEGY_ROWS = assessment(
    [
        {"customer_id": "x", "date": "2025-06-30", **dict.fromkeys(STRATEGIES, False)},
        {
            "customer_id": "x",
            "date": "2025-12-01",
            "single_point_of_contact": True,
            "pricing_incentives": True,
            "priority_ordering": None,
            "customised_offer": False,
            "matching_units_of_sale": True,
            "cross_business_teams": None,
            "integrated_inventory_billing": False,
        },
        {"customer_id": "x", "date": "2026-02-01", **dict.fromkeys(STRATEGIES, True)},
        {"customer_id": "y", "date": "2025-12-01", "partner_willingness": 3},
    ]
)


# ------------------------------------------------------------------ the seven strategies
def test_the_checklist_takes_each_accounts_latest_rating_up_to_the_reference_date():
    keys = pd.DataFrame({"customer_id": ["x", "y"], "name": ["Elektro Graf", "Haustechnik Ost"]})
    latest = latest_with(STRATEGY_ROWS, STRATEGIES, ["x", "y"], REF)
    assert latest.index.tolist() == ["x"]  # y's assessment rates none of the strategies
    checklist = strategy_checklist(keys, latest)
    # December: contact, pricing, units yes = 3; customised and integrated no; the February one comes later
    assert checklist["strategies_in_place"].tolist() == [3, pd.NA]
    assert checklist.loc[0, "strategies_missing"] == "customised offer, integrated inventory and billing"
    assert checklist.loc[1, "strategies_missing"] == ""
    summary = strategy_summary(checklist).set_index("strategy")
    # pricing incentives: x yes, y not rated; priority ordering: x not rated either
    assert summary.loc["pricing incentives"].tolist() == [1, 0, 1]
    assert summary.loc["priority ordering"].tolist() == [0, 0, 2]
    assert summary.loc["customised offer"].tolist() == [0, 1, 1]


def test_the_strategies_section_counts_by_hand_and_says_what_it_needs():
    wb = workbook(LINES, STRATEGY_ROWS)
    items = strategies_section(wb)
    text = texts(items)
    # the three customers are all among the 20 largest: three key accounts, one of them (x) rated, 3 of 7
    assert "**1 of the 3 key accounts** is rated" in text and "**3.0 of 7** in place" in text
    assert "2 of the 3 key accounts have no assessment that rates the strategies" in text
    assert sum(isinstance(i, Table) for i in items) == 2
    without = texts(strategies_section(workbook(LINES)))
    assert without.startswith("This section would show which of the seven key-account strategies are in place")
    assert "integrated_inventory_billing" in without


# ------------------------------------------------------------------ exit barriers
def test_product_groups_bought_in_the_window():
    groups = product_groups_bought(LINES, ["x", "y", "z"], dt.date(2024, 12, 31), REF).set_index("customer_id")
    # 2025: groups a, b, c (x), d (y), a (z): four groups sold
    assert groups["product_groups_bought"].to_dict() == {"x": 3, "y": 1, "z": 1}
    assert set(groups["product_groups_total"]) == {4}


def test_exit_barriers_by_hand():
    keys = pd.DataFrame({"customer_id": ["x", "y", "z"], "name": ["X", "Y", "Z"]})
    first = LINES.groupby("customer_id")["date"].min()
    groups = product_groups_bought(LINES, ["x", "y", "z"], dt.date(2024, 12, 31), REF)
    checklist = strategy_checklist(keys, latest_with(STRATEGY_ROWS, STRATEGIES, ["x", "y", "z"], REF))
    e = exit_barriers(keys, first, REF, dt.date(2021, 1, 15), groups, checklist).set_index("customer_id")
    # x since 30.06.2021: 1,645 days / 365.25 = 4.504 years; z since 15.01.2021: 1,811 / 365.25 = 4.958
    assert e["years_as_customer"].tolist() == pytest.approx([1645 / 365.25, 244 / 365.25, 1811 / 365.25])
    assert e["since_data_start"].tolist() == [False, False, True]
    # 3 of 4 groups = 75 % (broad from 50 %); y and z 1 of 4 = 25 %
    assert e["product_group_share"].tolist() == pytest.approx([0.75, 0.25, 0.25])
    # x: long, broad, integrated no, customised no, teams not rated -> 2 of the 4 judged ... plus nothing else
    assert e.loc["x", "exit_barriers"] == 2 and e.loc["x", "exit_barriers_known"] == 4
    # y: 244 days is short, 25 % is narrow, not rated: 0 of 2 judged; z: long (at least 4.96 years) only
    assert e.loc["y", "exit_barriers"] == 0 and e.loc["y", "exit_barriers_known"] == 2
    assert e.loc["z", "exit_barriers"] == 1
    # asking for 6 years: x (4.5, known) is short; z's relationship may be older than the data: not judged
    six = exit_barriers(keys, first, REF, dt.date(2021, 1, 15), groups, checklist, min_years=6)
    assert six["long_relationship"].tolist() == [False, False, pd.NA]


def test_exit_barriers_section_without_product_groups_or_strategies():
    wb = workbook(LINES.drop(columns="product_group"))
    text = texts(exit_barriers_section(wb))
    # only the relationships are judged: x and z are customers for more than 3 years, y is not -> 2 / 3 = 0.7
    assert "**0.7 of the 5 exit barriers**" in text
    assert "column product_group of the orders" in text and "integrated_inventory_billing" in text
    assert "**1** has one or none" not in text and "**3** have one or none" in text


# ------------------------------------------------------------------ the discount trend
#: x (key account) 10 % discount in 2024, 20 % in 2025; y (the rest) 5 %, then 6 %; x has rebates in 2025
DISCOUNTS = pd.DataFrame(
    {
        "customer_id": ["x", "y", "x", "y"],
        "date": pd.to_datetime(["2024-01-10", "2024-06-01", "2025-03-01", "2025-06-01"]),
        "order_id": ["1", "2", "3", "4"],
        "revenue": [900.0, 475.0, 800.0, 470.0],
        "discount": [100.0, 25.0, 200.0, 30.0],
        "rebate": [0.0, 0.0, 45.0, 0.0],
    }
)


def test_discount_rates_by_hand():
    trend = discount_trend(DISCOUNTS, ["x"], REF, dt.date(2024, 1, 10))
    # two whole windows: 100 / 1,000 = 10 % and 25 / 500 = 5 %; then 200 / 1,000 = 20 % and 30 / 500 = 6 %
    assert trend["window_end"].tolist() == [pd.Timestamp("2024-12-31"), pd.Timestamp("2025-12-31")]
    assert trend["key_account_discount_rate"].tolist() == pytest.approx([0.10, 0.20])
    assert trend["other_discount_rate"].tolist() == pytest.approx([0.05, 0.06])
    # rebates 45 / 1,000 = 4.5 % in 2025
    assert trend["key_account_rebate_rate"].tolist() == pytest.approx([0.0, 0.045])
    drift = discount_drift(trend)
    assert drift["gave_back"]  # +10 points against +1
    assert not discount_drift(trend.assign(other_discount_rate=[0.05, 0.16]))["gave_back"]  # +10 against +11


def test_discount_trend_section_by_hand_and_without_discounts():
    # x's 800 of 1,270 in 2025 is 63 %: the only candidate at a 50 % share and no top N
    wb = workbook(DISCOUNTS, key_account_top_n=0, key_account_min_share=0.5)
    assert analysis_of(wb).key_account_ids == ["x"]
    text = texts(discount_trend_section(wb))
    assert "went from **10.0 % to 20.0 %**" in text and "from 5.0 % to 6.0 %" in text
    assert "grew faster than the rest's" in text and "price cuts" in text
    needs = texts(discount_trend_section(workbook(DISCOUNTS.drop(columns=["discount"]))))
    assert needs.startswith("This section would show the key accounts' discount rate")
    assert "column discount of the orders" in needs
    empty = texts(discount_trend_section(workbook(DISCOUNTS.assign(discount=None))))
    assert "column discount of the orders" in empty


# ------------------------------------------------------------------ the mutual scorecard
MUTUAL = pd.DataFrame(
    {
        "customer_id": ["x", "x", "x", "y"],
        "date": pd.to_datetime(["2025-06-30", "2025-11-30", "2025-12-20", "2025-12-01"]),
        "partner_willingness": pd.array([2, 4, 1, 2], dtype="Int64"),
        "transparency": pd.array([2, 4, 1, 3], dtype="Int64"),
        "growth_potential": pd.array([2, 4, 1, 4], dtype="Int64"),
        "supplier_partner_willingness": pd.array([5, 3, None, 5], dtype="Int64"),
        "supplier_transparency": pd.array([5, 2, None, 4], dtype="Int64"),
        "supplier_growth_contribution": pd.array([5, 4, None, 4], dtype="Int64"),
    }
)


def test_both_sides_by_hand():
    keys = pd.DataFrame({"customer_id": ["x", "y", "z"], "name": ["X", "Y", "Z"]})
    columns = ["supplier_partner_willingness", "supplier_transparency", "supplier_growth_contribution"]
    latest = latest_with(
        MUTUAL, [*columns, "partner_willingness", "transparency", "growth_potential"], ["x", "y", "z"], REF, by=columns
    )
    m = mutual_scorecard(keys, latest).set_index("customer_id")
    assert m.index.tolist() == ["x", "y"]  # z is not rated from our side
    # x's latest with our side is November's (December rates only theirs): theirs 4, ours (3 + 2 + 4) / 3 = 3
    assert m.loc["x", ["customer_side", "supplier_side", "side_gap"]].tolist() == pytest.approx([4.0, 3.0, -1.0])
    assert m.loc["x", "lagging_side"] == "our side"
    # y: theirs (2 + 3 + 4) / 3 = 3, ours (5 + 4 + 4) / 3 = 4.33: their side lags by 1.33
    assert m.loc["y", "side_gap"] == pytest.approx(4 / 3)
    assert m.loc["y", "lagging_side"] == "their side"


def test_without_the_customers_scores_no_side_is_said_to_lag():
    keys = pd.DataFrame({"customer_id": ["x"], "name": ["X"]})  # no scores of the customer's side anywhere
    latest = pd.DataFrame(
        {
            "assessed_on": [pd.Timestamp("2025-11-30")],
            "supplier_partner_willingness": [3],
            "supplier_transparency": [2],
            "supplier_growth_contribution": [4],
        },
        index=pd.Index(["x"], name="customer_id"),
    )
    m = mutual_scorecard(keys, latest)
    assert m.loc[0, "supplier_side"] == pytest.approx(3.0)  # (3 + 2 + 4) / 3
    assert pd.isna(m.loc[0, "customer_side"]) and pd.isna(m.loc[0, "lagging_side"])  # an empty cell, not ""


def test_the_mutual_section_names_who_lags_and_says_what_it_needs():
    wb = workbook(LINES, MUTUAL)
    text = texts(mutual_scorecard_section(wb))
    assert "**2 of the 3 key accounts** are rated from both sides" in text
    assert "For **1** of them our own side lags (our average at least a point below theirs): x." in text
    assert "For **1** of them their side lags" in text
    needs = texts(mutual_scorecard_section(workbook(LINES, MUTUAL.drop(columns=list(MUTUAL.columns[5:])))))
    assert needs.startswith("This section would show the scorecard from both sides")
    assert "supplier_transparency" in needs


# ------------------------------------------------------------------ a product group's share
def test_a_large_share_of_one_product_group_makes_a_candidate():
    # 2025: group a: x 400 + z 100 of 500 -> x 80 %, z 20 %; b, c: x 100 %; d: y 100 %
    shares = product_group_shares(LINES, dt.date(2024, 12, 31), REF).set_index("customer_id")
    assert shares["product_group_share"].to_dict() == pytest.approx({"x": 1.0, "y": 1.0, "z": 0.2})
    assert shares.loc["y", "product_group"] == "d"
    # revenue 700 / 300 / 100 of 1,100: at a 40 % share only x by revenue (64 %); y (27 %) by all of group d
    wb = workbook(LINES, key_account_top_n=0, key_account_min_share=0.4)
    reasons = analysis_of(wb).key_accounts.set_index("customer_id")["key_account_reason"].to_dict()
    assert reasons == {"x": "revenue share", "y": "share of d"}
    # without product groups, y is no candidate
    assert analysis_of(
        workbook(LINES.drop(columns="product_group"), key_account_top_n=0, key_account_min_share=0.4)
    ).key_account_ids == ["x"]


def test_a_credit_note_share_counts_as_zero():
    # group a: p buys 100, q returns 50: p has 100 % of the positive revenue, q nothing
    lines = pd.DataFrame(
        {
            "customer_id": ["p", "q"],
            "date": pd.to_datetime(["2025-03-01"] * 2),
            "revenue": [100.0, -50.0],
            "product_group": ["a", "a"],
        }
    )
    shares = product_group_shares(lines, dt.date(2024, 12, 31), REF).set_index("customer_id")
    assert shares["product_group_share"].to_dict() == {"p": 1.0, "q": 0.0}
    df = pd.DataFrame({"customer_id": ["p", "q"], "revenue_12m": [100.0, -50.0]})
    assert account_shares(df, 0.5, product_shares=shares.reset_index())["key_account"].tolist() == [True, False]


def test_of_equal_shares_the_first_group_by_name_is_the_customers_best():
    # sums in no order: group m has 60 positive (u 30, v 30), group k 40 (u 20, w 20, v's -5 counts 0)
    # u: m 30/60 = 0.5, k 20/40 = 0.5 -> equal, k first by name; v: m 0.5, k 0; w: k 0.5
    sums = pd.DataFrame(
        {
            "customer_id": ["v", "u", "w", "u", "v"],
            "product_group": ["m", "m", "k", "k", "k"],
            "revenue": [30.0, 30.0, 20.0, 20.0, -5.0],
        }
    )
    best = best_product_group_shares(sums)
    assert best["customer_id"].tolist() == ["u", "v", "w"]
    assert best["product_group"].tolist() == ["k", "m", "k"]
    assert best["product_group_share"].tolist() == pytest.approx([0.5, 0.5, 0.5])


# ------------------------------------------------------------------ the value analysis's frequency
def test_the_value_analysis_follows_the_params_frequency():
    assert default_source("value_analysis_frequency") == ARTICLE
    wb = workbook(LINES)
    # the 12 months of 2025: 4 quarters, or 12 months, for each of the three key accounts
    assert len(value_analysis_of(wb)) == 3 * 4
    monthly = workbook(LINES, value_analysis_frequency="month")
    value = value_analysis_of(monthly)
    assert len(value) == 3 * 12 and str(value["period"].iloc[0]) == "2025-01"
    # x's March: 700 revenue, every other month of x nothing
    x = value[value["customer_id"] == "x"]
    x = x.set_index(x["period"].astype(str))["revenue"]
    assert x["2025-03"] == 700.0 and x.drop("2025-03").eq(0).all()
    with pytest.raises(ValueError, match="value_analysis_frequency"):
        Params.model_validate({"data": {"orders": "x.csv"}, "assumptions": {"value_analysis_frequency": "week"}})


# ------------------------------------------------------------------ the sums per product group in a snapshot
def test_a_reports_snapshot_keeps_the_sums_per_product_group(tmp_path):
    from smartacct_helpers.facts.product_groups import product_group_revenue_of
    from smartacct_helpers.params import load_params
    from smartacct_helpers.sample.write import write_sample

    paths = write_sample(tmp_path / "data", customers=200, years=2, seed=5)
    kept = Workbook.open(paths["params"])
    sums = product_group_revenue_of(kept)
    # by hand from the file: the lines of the 12 months up to the last invoice, summed per customer and group
    lines = pd.read_parquet(paths["orders"]).rename(
        columns={"Kundennummer": "customer_id", "Rechnungsdatum": "date", "Umsatz": "revenue", "Warengruppe": "group"}
    )
    lines["date"] = pd.to_datetime(lines["date"])
    ref = lines["date"].max()
    window = lines[(lines["date"] > ref - pd.DateOffset(months=12)) & (lines["date"] <= ref)]
    by_hand = window.groupby(["customer_id", "group"])["revenue"].sum()
    assert len(sums) == len(by_hand)
    assert sums.set_index(["customer_id", "product_group"])["revenue"].sort_index().to_numpy() == pytest.approx(
        by_hand.sort_index().to_numpy()
    )
    fresh = Workbook.open(paths["params"])  # nothing summed yet: the snapshot sums them itself
    fresh.save_snapshot(tmp_path / "snapshot")
    paths["orders"].write_bytes(b"no longer an export")  # reading the lines again would fail
    opened = Workbook.from_snapshot(tmp_path / "snapshot", load_params(paths["params"]))
    pd.testing.assert_frame_equal(product_group_revenue_of(opened), sums)
