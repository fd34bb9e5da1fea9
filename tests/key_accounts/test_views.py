"""The sections of notebook 05 on small inputs: what each shows, and what it says it needs."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from IPython.display import Markdown

from smartacct_helpers.delivery.client_exports import write_key_account_exports
from smartacct_helpers.key_accounts import analysis as ka
from smartacct_helpers.key_accounts.views import (
    account_value_section,
    chosen_accounts_section,
    destroyers_section,
    portfolio_section,
    scorecard_history_section,
    scorecard_section,
    value_section,
    worst_case_section,
)
from smartacct_helpers.presentation.sections import SECTIONS, Needs
from smartacct_helpers.presentation.tables import table
from tests.key_accounts.test_analysis import ORDER_LOG, order_log_workbook

matplotlib.use("Agg")

#: a customer master for the order log's three customers: x high competitor activity, scores for x and y
MASTER = pd.DataFrame(
    {
        "customer_id": ["x", "y", "z"],
        "name": ["Elektro Graf", None, "Haustechnik Ost"],
        "competitor_activity": ["high", "low", None],
        "partner_willingness": pd.array([5, 2, None], dtype="Int64"),
        "transparency": pd.array([4, 2, None], dtype="Int64"),
        "growth_potential": pd.array([4, 3, None], dtype="Int64"),
    }
)


def texts(items) -> str:
    return "\n".join(str(i) if isinstance(i, Needs) else i.data for i in items if isinstance(i, (Needs, Markdown)))


def test_every_section_of_notebook_05_is_registered():
    assert [f.__name__ for f in SECTIONS["05"]] == [
        "candidates_section",
        "concentration_section",
        "worst_case_section",
        "chosen_accounts_section",
        "value_section",
        "destroyers_section",
        "account_value_section",
        "scorecard_section",
        "scorecard_history_section",
        "strategies_section",
        "exit_barriers_section",
        "discount_trend_section",
        "mutual_scorecard_section",
        "portfolio_section",
    ]


def test_an_order_log_alone_says_what_each_section_assumes_or_needs():
    wb = order_log_workbook(ORDER_LOG.drop(columns="order_id"))
    chosen = texts(chosen_accounts_section(wb))
    # no competitor activity: the three largest, x (600), y (300), z (100), named by their ids
    assert chosen == (
        "The three largest accounts (the data gives no competitor activity: column competitor_activity "
        "of the customer master): **3** (x, y, z)."
    )
    value = texts(value_section(wb))
    assert "give no rebates (column rebate of the orders)" in value
    assert "no discounts" not in value  # the log has them
    assert "no CRM activities" in value and "no order number (column order_id)" in value
    assert "every margin here" not in value  # the log has a profit per line
    (scores,) = scorecard_section(wb)
    assert isinstance(scores, Needs) and "partner_willingness, transparency and growth_potential" in str(scores)
    (history,) = scorecard_history_section(wb)
    assert isinstance(history, Needs) and "an assessments file" in str(history)
    notes = texts(account_value_section(wb))
    assert "no distance (column distance_km" in notes and "every account gets the middle growth score" in notes


def test_the_master_adds_the_accounts_at_risk_and_the_scorecard():
    wb = order_log_workbook(ORDER_LOG, MASTER)
    assert texts(chosen_accounts_section(wb)).startswith(
        "Key accounts with high competitor activity: **1** (Elektro Graf)."
    )
    # x: every score at least 4, a strategic partner; y: average 2.3, large (a candidate) but no key account;
    # z: not assessed
    assert ka.analysis_of(wb).key_accounts.set_index("customer_id")["class"].to_dict() == {
        "x": "strategic partner",
        "y": "large account",
        "z": "not assessed",
    }
    scorecard = texts(scorecard_section(wb))
    assert scorecard == (
        "Of the **3 largest candidates**, **1** is a large account only: y. Its size alone does "
        "not make it a key account."
    )
    calm = order_log_workbook(ORDER_LOG, MASTER.assign(competitor_activity="low"))
    assert texts(chosen_accounts_section(calm)) == "No key account has high competitor activity."


def test_value_destroyers_by_hand():
    wb = order_log_workbook(ORDER_LOG)
    text, table = destroyers_section(wb)
    # y: -50 - 22 = -72, z: 20 - 22 = -2 lose money; they bring 30 % + 10 % of revenue and lose 74
    assert text.data == (
        "**2 of the 3 key accounts destroy value**: they bring 40.0 % of revenue and lose 74 EUR after "
        "the cost to serve (rebates included)."
    )
    assert table.data.index.tolist() == ["y", "z", "x"]  # the worst first


def test_the_worst_case_in_smart_accounts():
    # x also bought in 2023 and 2024 (outside the window): three years of orders, so its revenue trend is known
    # (100, 200, 600: growing); y and z grow from nothing, but lose money after the cost to serve
    earlier = pd.DataFrame(
        {
            "customer_id": ["x", "x"],
            "order_id": ["0a", "0b"],
            "date": pd.to_datetime(["2023-01-15", "2024-02-01"]),
            "revenue": [100.0, 200.0],
            "contribution_margin": [20.0, 30.0],
            "discount": [0.0, 0.0],
        }
    )
    wb = order_log_workbook(pd.concat([earlier, ORDER_LOG], ignore_index=True))
    smart = ka.analysis_of(wb).classified.set_index("customer_id")["smart_account"]
    assert smart.to_dict() == {"x": True, "y": False, "z": False}
    # x is the one smart account (100 margin): losing x, the largest, takes 100 / 100 = 1 of them
    assert texts(worst_case_section(wb)) == (
        "One smart account brings on average **100 EUR** contribution margin a year. Losing the largest account "
        "costs **100 EUR** margin, the margin of about **1 smart account**."
    )
    # one year of orders: no revenue trend is known, so no customer is a smart account
    wb = order_log_workbook(ORDER_LOG)
    text = texts(worst_case_section(wb))
    assert text == (
        "Losing the largest account costs **100 EUR** margin. No customer is a smart account, so the "
        "table cannot say how many would replace it."
    )


def test_without_revenue_every_key_account_section_says_what_it_needs():
    lines = pd.DataFrame(
        {"customer_id": ["a", "b"], "date": pd.to_datetime(["2025-06-01", "2023-03-01"]), "revenue": [-100.0, 500.0]}
    )
    wb = order_log_workbook(lines)
    for function in SECTIONS["05"]:
        items = function(wb)
        if function is portfolio_section:  # every customer
            assert not any(isinstance(i, Needs) for i in items)
            continue
        (needs,) = items
        assert isinstance(needs, Needs) and "revenue in the last 12 months" in str(needs)
    # the portfolio: nobody bought, so no map; the treatments are still shown
    assert "The map itself would need" in texts(portfolio_section(wb))


def test_tables_show_no_missing_value_as_text():
    df = pd.DataFrame(
        {
            "customer_id": ["1", "2"],
            "name": ["Graf", None],
            "distance_km": [12.5, np.nan],
            "growth_potential": pd.array([4, None], dtype="Int64"),
            "assessed_on": pd.to_datetime(["2025-06-30", None]),
            "revenue_12m": [100.0, np.nan],
        }
    )
    html = table(df.set_index("customer_id"), "EUR").to_html()
    for text in ("nan", "NaN", "<NA>", "NaT", "None"):
        assert text not in html
    assert ">12.5<" in html and ">2025-06-30<" in html and ">100<" in html and "(EUR)" in html


def test_exports_with_and_without_candidates(tmp_path):
    written = texts(write_key_account_exports(order_log_workbook(ORDER_LOG), tmp_path / "with"))
    assert written == (
        "Written: `key_accounts.csv`, `key_accounts.xlsx`, `key_account_value_analysis.csv`, "
        "`key_account_value_analysis.xlsx`, `key_account_worst_case.csv`, "
        "`key_account_worst_case.xlsx`, `portfolio_map.csv`, `portfolio_map.xlsx`"
    )
    periods = pd.read_csv(tmp_path / "with" / "key_account_value_analysis.csv")["period"].unique().tolist()
    assert periods == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    lines = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2025-06-01"]), "revenue": [-100.0]})
    assert (
        texts(write_key_account_exports(order_log_workbook(lines), tmp_path / "without"))
        == "Written: `portfolio_map.csv`, `portfolio_map.xlsx`"
    )


def test_the_analysis_is_computed_once_per_set_of_assumptions():
    wb = order_log_workbook(ORDER_LOG)
    assert ka.analysis_of(wb) is ka.analysis_of(wb)
    dearer = wb.with_assumptions(line_handling_cost=4.0)
    # x's two lines cost 4 more: 76 - 4 = 72
    assert ka.analysis_of(dearer).profitability["operating_profit_12m"].iloc[0] == pytest.approx(72.0)
    assert ka.analysis_of(wb).profitability["operating_profit_12m"].iloc[0] == pytest.approx(76.0)


def test_the_sample_shows_every_section(sample_workbook):
    import matplotlib.pyplot as plt

    for function in SECTIONS["05"]:
        items = function(sample_workbook)
        assert items and not any(isinstance(i, Needs) for i in items), function.__name__
        plt.close("all")


def test_without_fixed_costs_the_worst_case_says_so_in_words():
    from IPython.display import HTML

    from smartacct_helpers.key_accounts.displays import worst_case_view

    wb = order_log_workbook(ORDER_LOG)
    assert wb.assumptions.fixed_costs is None
    (note,) = [i.data for i in worst_case_view(wb) if isinstance(i, HTML)]
    assert "The params give no fixed costs (staff, warehouse, rent, IT)" in note
    assert "fixed_costs" not in note and "<code>" not in note
