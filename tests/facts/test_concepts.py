"""One number per concept: the same customers give the same revenue in every notebook."""

import pandas as pd
import pytest

from smartacct_helpers.assumptions import Assumptions
from smartacct_helpers.facts.concepts import group_revenue
from smartacct_helpers.field_visits.analysis import below_threshold_revenue
from smartacct_helpers.inside_sales.business_case import case_inputs
from smartacct_helpers.small_customers.analysis import classify


def test_group_revenue_counts_negative_window_revenue_as_zero():
    df = pd.DataFrame({"revenue_12m": [4_000.0, -250.0, 0.0, 1_500.0]})
    # 4,000 + 0 + 0 + 1,500
    assert group_revenue(df) == 5_500.0
    assert group_revenue(df, [False, True, True, True]) == 1_500.0


def test_the_cost_of_visits_and_the_business_case_show_the_same_revenue_for_the_same_customers():
    # four customers below the threshold, all of them to manage: notebook 02 shows their revenue below the
    # threshold, notebook 04 starts its business case from it. By hand: 3,000 + 2,000 + 0 + 0 = 5,000
    # (the customer with -600 counts as zero in both; summed as they are, they would give 4,400)
    df = pd.DataFrame(
        {
            "revenue_12m": [3_000.0, 2_000.0, -600.0, 0.0, 40_000.0],
            "below_threshold": [True, True, True, True, False],
            "to_manage": [True, True, True, True, False],
        }
    )
    assert below_threshold_revenue(df) == pytest.approx(5_000)
    assert case_inputs(df, Assumptions()).revenue == pytest.approx(5_000)


def test_on_the_sample_both_notebooks_agree(sample_workbook):
    from smartacct_helpers.field_visits.views import compute_visit_cost

    df = classify(sample_workbook)
    below = df["below_threshold"]
    shown_in_02 = compute_visit_cost(sample_workbook)["below_revenue"]
    # the business case of the same customers: those below the threshold taken as the ones to manage
    started_from_in_04 = case_inputs(df.assign(to_manage=below), sample_workbook.assumptions).revenue
    assert shown_in_02 == pytest.approx(started_from_in_04, rel=1e-12)
    assert shown_in_02 == pytest.approx(df.loc[below, "revenue_12m"].clip(lower=0).sum(), rel=1e-12)
