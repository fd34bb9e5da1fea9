import datetime as dt

import pytest

from smartacct_helpers.exceptions import ParamsError
from smartacct_helpers.params import ARTICLE, ASSUMPTION, assumptions_table, load_params, parse_params


def write(tmp_path, text, name="params.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_orders_alone_is_enough_and_defaults_follow_the_contract(tmp_path):
    p = load_params(write(tmp_path, "data: {orders: exports/orders.csv}\n"))
    a = p.assumptions
    assert (a.abc.a, a.abc.b) == (0.80, 0.95)
    assert (a.outside_rep_annual_cost, a.working_days, a.visits_per_day) == (110_000, 200, 4)
    assert (a.visits_per_customer_year, a.max_sales_cost_ratio) == (5, 0.08)
    assert a.inside_rep_capacity == [350, 400, 450]
    assert (a.inside_rep_annual_cost, a.active_window_months) == (65_000, 24)
    assert a.potential_per_employee == {"electricians": 9_000}
    assert p.currency == "EUR" and p.reference_date is None
    # paths are relative to the params file
    assert p.path(p.data.orders) == tmp_path / "exports" / "orders.csv"
    # without a client name the folder's name is used
    assert p.client == tmp_path.name


def test_unknown_key_and_wrong_type_name_the_key(tmp_path):
    path = write(tmp_path, "data: {orders: o.csv}\nassumptions:\n  workng_days: 200\n  visits_per_day: many\n")
    with pytest.raises(ParamsError) as err:
        load_params(path)
    text = str(err.value)
    assert "assumptions.workng_days: unknown key" in text
    assert "assumptions.visits_per_day" in text and "many" in text
    assert str(path) in text


def test_missing_orders_and_bad_yaml(tmp_path):
    with pytest.raises(ParamsError, match="data: required key is missing"):
        load_params(write(tmp_path, "client: X\n"))
    # a tab at the start of line 2 cannot start a YAML token
    with pytest.raises(ParamsError, match="not valid YAML at line 2, column 1"):
        load_params(write(tmp_path, "data:\n\torders: o.csv\n"))
    with pytest.raises(ParamsError, match="not found"):
        load_params(tmp_path / "nope.yaml")


def test_abc_limits_must_be_ordered():
    with pytest.raises(ParamsError, match="must be below"):
        parse_params({"data": {"orders": "o.csv"}, "assumptions": {"abc": {"a": 0.9, "b": 0.85}}})


def test_overrides_and_reference_date(tmp_path):
    path = write(tmp_path, "client: Acme AG\nreference_date: 2025-06-30\ndata: {orders: o.csv}\n")
    p = load_params(path, {"assumptions": {"working_days": 210}})
    assert p.assumptions.working_days == 210
    assert p.reference_date == dt.date(2025, 6, 30)
    assert p.client_slug == "acme-ag"


def test_assumptions_table_has_sources(tmp_path):
    p = load_params(write(tmp_path, "data: {orders: o.csv}\nassumptions: {working_days: 210}\n"))
    table = assumptions_table(p).set_index("assumption")
    assert table.loc["max_sales_cost_ratio", "source"] == ARTICLE
    assert table.loc["outside_rep_annual_cost", "source"] == ASSUMPTION
    assert table.loc["working_days", "set_in"] == "params file"
    assert table.loc["visits_per_day", "set_in"] == "default"
    assert table.loc["inside_rep_capacity", "value"] == "350 / 400 / 450"
    assert table["meaning"].notna().all()
