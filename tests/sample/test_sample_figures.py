"""The sample's key figures, recomputed with plain pandas, without the package's code."""

import math

import numpy as np
import pandas as pd
import pytest
import yaml

from smartacct_helpers.delivery.summary import key_figures
from tests.conftest import SAMPLE_PARAMS


@pytest.fixture(scope="module")
def by_hand():
    params = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    folder = SAMPLE_PARAMS.parent
    cols = params["data"].get("columns", {})
    orders = pd.read_parquet(folder / params["data"]["orders"])
    orders = orders.rename(columns={v: k for k, v in cols.get("orders", {}).items()})
    customers = pd.read_csv(folder / params["data"]["customers"], sep=";", decimal=",", dtype=str, encoding="utf-8-sig")
    customers = customers.rename(columns={v: k for k, v in cols.get("customers", {}).items()})
    orders["customer_id"] = orders["customer_id"].astype(str)
    orders["date"] = pd.to_datetime(orders["date"])
    a = params.get("assumptions", {})

    ref = orders["date"].max()
    start = ref - pd.DateOffset(months=12)
    window = orders[(orders["date"] > start) & (orders["date"] <= ref)]
    ids = customers["customer_id"]
    rev = window.groupby("customer_id")["revenue"].sum().reindex(ids, fill_value=0.0)

    positive = rev[rev > 0].reset_index()
    positive.columns = ["customer_id", "rev"]
    positive = positive.sort_values(["rev", "customer_id"], ascending=[False, True])
    before = (positive["rev"].cumsum() - positive["rev"]) / positive["rev"].sum()
    limit_a, limit_b = a.get("abc", {}).get("a", 0.8), a.get("abc", {}).get("b", 0.95)
    classes = np.where(before < limit_a, "A", np.where(before < limit_b, "B", "C"))
    counts = pd.Series(classes).value_counts()

    threshold = (
        a["outside_rep_annual_cost"]
        / (a["working_days"] * a["visits_per_day"])
        * a["visits_per_customer_year"]
        / a["max_sales_cost_ratio"]
    )
    last = orders[orders["date"] <= ref].groupby("customer_id")["date"].max().reindex(ids)
    below = rev < threshold
    active = last > ref - pd.DateOffset(months=a["active_window_months"])
    to_manage = int((below & active.fillna(False)).sum())

    shares = positive["rev"].to_numpy() / positive["rev"].sum()
    # the rep cover: middle capacity x the median window margin of the customers to manage / a rep's cost
    # (a line without a margin earns its revenue x margin_rate_if_unknown)
    rate = a.get("margin_rate_if_unknown", 0.25)
    line_margin = window["contribution_margin"].where(window["contribution_margin"].notna(), window["revenue"] * rate)
    margin = line_margin.groupby(window["customer_id"]).sum().reindex(ids, fill_value=0.0)
    managed = (below & active.fillna(False)).to_numpy()
    middle = sorted(a["inside_rep_capacity"])[len(a["inside_rep_capacity"]) // 2]
    rep_cover = middle * float(np.median(margin[managed])) / a["inside_rep_annual_cost"]

    orders["year"] = orders["date"].dt.year
    recent = orders[(orders["year"] >= ref.year - 4) & (orders["year"] <= ref.year)]
    peak = recent.groupby(["customer_id", "year"])["revenue"].sum().groupby("customer_id").max().clip(lower=0)
    per_emp = a.get("potential_per_employee", {})
    employees = pd.to_numeric(customers.set_index("customer_id")["employees"], errors="coerce")
    value = customers.set_index("customer_id")["industry"].map(per_emp)
    industry = employees * value
    potential = industry.where(industry.notna(), peak.reindex(ids).fillna(0.0))
    potential = np.maximum(potential, rev.clip(lower=0))

    return {
        "reference_date": ref.date().isoformat(),
        "customers_total": len(ids),
        "revenue_12m": window["revenue"].sum(),
        "abc_counts": {k: int(counts.get(k, 0)) for k in "ABC"} | {"D": int((rev <= 0).sum())},
        "sales_threshold": threshold,
        "customers_below_threshold": int(below.sum()),
        "customers_to_manage": to_manage,
        "inside_sales_headcount": {str(c): math.ceil(to_manage / c) for c in a["inside_rep_capacity"]},
        "top1_share": shares[:1].sum(),
        "top5_share": shares[:5].sum(),
        "top10_share": shares[:10].sum(),
        "hhi": (shares**2).sum(),
        "potential_total": potential.sum(),
        "rep_cover_ratio": rep_cover,
    }


def test_key_figures_match_plain_pandas(sample_workbook, by_hand):
    figures = key_figures(sample_workbook)
    for key, expected in by_hand.items():
        if isinstance(expected, float):
            assert figures[key] == pytest.approx(expected, rel=1e-9), key
        else:
            assert figures[key] == expected, key


def test_sample_has_the_shape_the_method_needs(by_hand):
    # one key account with roughly 18 % of revenue; a moderate concentration
    assert 0.14 <= by_hand["top1_share"] <= 0.22
    assert by_hand["customers_total"] > 6_000
    assert by_hand["customers_to_manage"] > 2_000
    assert by_hand["reference_date"] == "2025-12-31"
