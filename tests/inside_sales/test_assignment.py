import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartacct_helpers.delivery.client_exports import write_assignment_worklists
from smartacct_helpers.inside_sales.assignment import assign_inside_reps, rep_names, worklists, workload
from smartacct_helpers.inside_sales.business_case import headcount
from smartacct_helpers.small_customers.analysis import classify


def _customers(potentials, regions=None, industries=None):
    n = len(potentials)
    return pd.DataFrame(
        {
            "customer_id": [f"{i:05d}" for i in range(n)],
            "potential": potentials,
            "region": regions if regions is not None else ["Nord"] * n,
            "industry": industries if industries is not None else ["electricians"] * n,
            "outside_rep": [f"AD {i % 3}" for i in range(n)],
        }
    )


def test_rep_names():
    assert rep_names(2) == ["Inside rep 1", "Inside rep 2"]
    assert rep_names(11)[0] == "Inside rep 01"


def test_small_example_by_hand():
    # potentials 100 ... 50, total 450: 225 per rep; 3 customers each; within 5 % (213.75 to 236.25)
    c = _customers([100.0, 90.0, 80.0, 70.0, 60.0, 50.0])
    a = assign_inside_reps(c, ["Anna", "Ben"])
    load = workload(a)
    assert load["customers"].tolist() == [3, 3]
    assert load["potential"].sum() == 450
    assert ((load["potential"] - 225).abs() <= 11.25).all()


def test_keeps_the_outside_rep_and_every_column():
    c = _customers([10.0] * 9)
    a = assign_inside_reps(c, 3)
    assert a.set_index("customer_id")["outside_rep"].equals(c.set_index("customer_id")["outside_rep"])
    assert set(a["assigned_inside_rep"]) == {"Inside rep 1", "Inside rep 2", "Inside rep 3"}


def test_regions_stay_together():
    # 3 regions of 40 customers, equal potentials, 3 reps: each rep gets exactly one region
    regions = ["Nord"] * 40 + ["Sued"] * 40 + ["West"] * 40
    c = _customers([1_000.0] * 120, regions=regions).sample(frac=1.0, random_state=1)
    load = workload(assign_inside_reps(c, 3))
    assert load["regions"].tolist() == [1, 1, 1]
    assert sorted(load["main_region"]) == ["Nord", "Sued", "West"]


def test_bad_reps():
    with pytest.raises(ValueError):
        assign_inside_reps(_customers([1.0]), [])
    with pytest.raises(ValueError):
        assign_inside_reps(_customers([1.0]), ["x", "x"])


@settings(max_examples=40, deadline=None)
@given(
    reps=st.integers(1, 6),
    per_rep=st.integers(30, 80),
    seed=st.integers(0, 10_000),
    regions=st.integers(1, 5),
)
def test_covers_every_customer_once_and_balances(reps, per_rep, seed, regions):
    rng = np.random.default_rng(seed)
    n = reps * per_rep + int(rng.integers(0, reps))
    c = _customers(
        rng.uniform(500, 40_000, n).round(2),
        regions=[f"R{k}" for k in rng.integers(0, regions, n)],
        industries=[f"I{k}" for k in rng.integers(0, 3, n)],
    )
    a = assign_inside_reps(c, reps, tolerance=0.05)
    # exactly once: the same customers, no duplicates, each with one rep
    assert sorted(a["customer_id"]) == sorted(c["customer_id"])
    assert a["customer_id"].is_unique
    assert a["assigned_inside_rep"].notna().all()
    load = workload(a, 0.05)
    assert len(load) == reps
    # counts differ by at most one, i.e. within 5 % of the mean for 30 or more customers per rep... up to rounding
    assert load["customers"].max() - load["customers"].min() <= 1
    assert (load["customers_deviation"].abs() <= 1 / per_rep + 1e-9).all()
    # potential within 5 % of the mean
    assert (load["potential_deviation"].abs() <= 0.05 + 1e-9).all()


def test_on_the_sample_with_worklists(sample_workbook, tmp_path):
    wb = sample_workbook
    df = classify(wb)
    managed = df[df["to_manage"]]
    reps = headcount(len(managed), 400)
    a = assign_inside_reps(managed, reps)
    load = workload(a)
    assert load["balanced"].all()
    assert len(a) == len(managed) and a["customer_id"].is_unique
    lists = worklists(a)
    assert sum(len(t) for t in lists.values()) == len(managed)
    assert {"customer_id", "potential", "share_of_wallet", "last_contact", "outside_rep"} <= set(
        lists[rep_names(reps)[0]]
    )
    path = write_assignment_worklists(a, tmp_path / "worklists.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["overview", *rep_names(reps)]
    first = book[rep_names(reps)[0]]
    assert first.max_row == len(lists[rep_names(reps)[0]]) + 1


def test_a_worklist_puts_equal_gaps_in_the_order_of_the_ids():
    # 12 and 4 have the same gap of 500 (to the cent); 7 has more
    assigned = pd.DataFrame(
        {"customer_id": ["12", "4", "7"], "assigned_inside_rep": "Inside rep 1", "gap": [500.0, 500.0 + 1e-9, 800.0]}
    )
    # ids are text: "12" comes before "4"
    assert worklists(assigned)["Inside rep 1"]["customer_id"].tolist() == ["7", "12", "4"]
