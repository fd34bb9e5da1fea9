"""The year-one review evaluates the pilot of notebook 08 where the customer master names its groups."""

import pandas as pd

from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.tables import Tables
from smartacct_helpers.params import Params
from smartacct_helpers.review.analysis import LARGE_CUSTOMER_BUSINESS, pilot_of, year_one_review


def _workbook(pilot):
    # four customers with orders from December 2022 to 2025; "big" is the one A customer
    days = pd.to_datetime(["2022-12-15", "2023-03-01", "2024-03-01", "2025-03-01"])
    rows = [(cid, d, rev) for cid, rev in (("1", 500.0), ("2", 600.0), ("3", 700.0), ("big", 90_000.0)) for d in days]
    orders = pd.DataFrame(rows, columns=["customer_id", "date", "revenue"])
    customers = pd.DataFrame({"customer_id": ["1", "2", "3", "big"], "inside_rep": ["X", None, None, None]})
    if pilot is not None:
        customers["pilot_group"] = pilot
    p = Params.model_validate(
        {"data": {"orders": "x.csv"}, "reference_date": "2025-12-31", "assumptions": {"programme_start": "2025-01-01"}}
    )
    return Workbook.from_tables(p, Tables(orders=orders, customers=customers))


def test_a_named_pilot_compares_treatment_with_its_control_group():
    wb = _workbook(["treatment", "control", "treatment", None])
    groups = year_one_review(wb)["groups"]
    # customer 1 has an inside rep, but the pilot decides: treatment 1 and 3 against control 2
    assert sorted(groups["managed"]) == ["1", "3"]
    assert sorted(groups["other small"]) == ["2"]
    assert list(groups[LARGE_CUSTOMER_BUSINESS]) == ["big"]


def test_without_a_pilot_the_inside_reps_decide_as_before():
    groups = year_one_review(_workbook(None))["groups"]
    # customer 1 has the inside rep; 2 and 3 (small in 2023, the year before the baseline) compare
    assert list(groups["managed"]) == ["1"]
    assert sorted(groups["other small"]) == ["2", "3"]


def test_a_pilot_needs_both_groups():
    c = pd.DataFrame({"customer_id": ["1", "2"], "pilot_group": ["treatment", ""]})
    assert pilot_of(c) is None
