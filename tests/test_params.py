import datetime as dt
import re

import pytest

from smartacct_helpers.assumptions import ARTICLE, ASSUMPTION, CLIENT_INPUT, DEFAULT
from smartacct_helpers.exceptions import OverrideError, ParamsError
from smartacct_helpers.overrides import parse_settings
from smartacct_helpers.params import assumptions_table, load_params, parse_params, with_overrides


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
    assert table.loc["outside_rep_annual_cost", "source"] == DEFAULT
    assert table.loc["abc", "source"] == DEFAULT  # the ABC limits 80 / 95 % are ours, not an article's
    # the params file set 210 days instead of the default 200: the client's figure
    assert table.loc["working_days", "source"] == CLIENT_INPUT
    assert table.loc["working_days", "set_in"] == "params file"
    assert table.loc["visits_per_day", "set_in"] == "default"
    assert table.loc["inside_rep_capacity", "value"] == "350 / 400 / 450"
    assert table["meaning"].notna().all()


# --- values set for one run: a notebook's overrides, smartacct report --set ------------------------------------

BASE = "client: Acme AG\ndata: {orders: o.csv}\nassumptions:\n  working_days: 200\n  abc: {a: 0.8, b: 0.95}\n"


@pytest.mark.parametrize(
    "overrides",
    [
        {"assumptions": {"working_days": 210, "abc": {"a": 0.75}}},
        '{"assumptions": {"working_days": 210, "abc": {"a": 0.75}}}',  # papermill's -p overrides passes a string
        "assumptions: {working_days: 210, abc: {a: 0.75}}",
        {"assumptions.working_days": 210, "assumptions.abc.a": 0.75},
    ],
    ids=["mapping", "json", "yaml", "dotted"],
)
def test_overrides_as_a_mapping_json_yaml_or_dotted_keys(tmp_path, overrides):
    p = load_params(write(tmp_path, BASE), overrides)
    assert p.assumptions.working_days == 210
    # abc.a from this run, abc.b still from the file
    assert (p.assumptions.abc.a, p.assumptions.abc.b) == (0.75, 0.95)
    assert {"assumptions.working_days", "assumptions.abc.a"} <= p.run_keys
    assert "assumptions.visits_per_day" not in p.run_keys
    # what the file set is still known as set by the file
    assert "assumptions.working_days" in p.set_keys


@pytest.mark.parametrize("overrides", [None, {}, "", "  \n"])
def test_no_overrides(tmp_path, overrides):
    p = load_params(write(tmp_path, BASE), overrides)
    assert p.assumptions.working_days == 200 and p.run_keys == frozenset()


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"assumptions": {"workng_days": 210}}, "assumptions.workng_days (set for this run): unknown key"),
        ('{"assumptions": {"working_days": "many"}}', "assumptions.working_days (set for this run)"),
        ({"assumptions.abc.a": 0.99}, "assumptions.abc (set for this run): abc.a (0.99) must be below abc.b (0.95)"),
        ({"reference_date": "2025-02-30"}, "reference_date (set for this run)"),
        ({"base_dir": "/elsewhere"}, "base_dir (set for this run): unknown key"),
        ('{"assumptions": {"working_days": 1}, "assumptions": {}}', "assumptions (set for this run): given twice"),
        ("[1, 2]", "overrides (set for this run): expected a mapping"),
        ('{"assumptions": ', "overrides (set for this run): neither JSON nor YAML"),
    ],
)
def test_a_bad_override_is_one_line_naming_its_key(tmp_path, overrides, key):
    with pytest.raises(OverrideError) as err:
        load_params(write(tmp_path, BASE), overrides)
    text = str(err.value)
    assert key in text
    assert "\n" not in text  # one line, no "Bad params:" heading


def test_problems_of_the_file_and_of_this_run_are_told_apart(tmp_path):
    path = write(tmp_path, "data: {orders: o.csv}\nassumptions: {visits_per_day: many}\n")
    with pytest.raises(ParamsError) as err:
        load_params(path, {"assumptions": {"workng_days": 1}})
    assert not isinstance(err.value, OverrideError)
    text = str(err.value)
    assert f"{path}: assumptions.visits_per_day:" in text
    assert "assumptions.workng_days (set for this run): unknown key" in text


def test_with_overrides_on_parsed_params(tmp_path):
    p = load_params(write(tmp_path, BASE))
    q = with_overrides(p, '{"assumptions": {"max_sales_cost_ratio": 0.1}}')
    assert q.assumptions.max_sales_cost_ratio == 0.1 and p.assumptions.max_sales_cost_ratio == 0.08
    assert (q.base_dir, q.source_file, q.set_keys) == (p.base_dir, p.source_file, p.set_keys)
    assert "assumptions.max_sales_cost_ratio" in q.run_keys
    assert with_overrides(p, None) is p
    with pytest.raises(OverrideError, match=r"^assumptions.max_sales_cost_ratio \(set for this run\)"):
        with_overrides(p, {"assumptions": {"max_sales_cost_ratio": 2}})


def test_settings_of_the_command_line_are_read_as_yaml():
    got = parse_settings(
        [
            "assumptions.max_sales_cost_ratio=0.10",
            "reference_date=2025-06-30",
            "assumptions.abc.a=0.75",
            "assumptions.inside_rep_capacity=[300, 400, 500]",
            "client=Müller Elektro",
            "assumptions.fixed_costs=",
            "data.columns.orders.revenue=Umsatz netto",
        ]
    )
    assert got == {
        "assumptions.max_sales_cost_ratio": 0.1,
        "reference_date": dt.date(2025, 6, 30),
        "assumptions.abc.a": 0.75,
        "assumptions.inside_rep_capacity": [300, 400, 500],
        "client": "Müller Elektro",
        "assumptions.fixed_costs": None,
        "data.columns.orders.revenue": "Umsatz netto",
    }
    assert type(got["assumptions.max_sales_cost_ratio"]) is float


@pytest.mark.parametrize(
    "settings, key",
    [
        (["assumptions.working_days"], "'assumptions.working_days' (set for this run): expected KEY=VALUE"),
        (["=5"], "'=5' (set for this run): expected KEY=VALUE"),
        (["assumptions..abc=1"], "'assumptions..abc' (set for this run): not a params key"),
        (["reference_date=2025-02-30"], "reference_date (set for this run): '2025-02-30' is no date"),
        (["client=[Acme"], "client (set for this run): the value '[Acme' cannot be read"),
        (["assumptions.abc=a: 0.7"], "assumptions.abc (set for this run): one value or a list is expected"),
        (
            ["assumptions.working_days=1", "assumptions.working_days=2"],
            "assumptions.working_days (set for this run): set twice",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_its_key(settings, key):
    with pytest.raises(OverrideError) as err:
        parse_settings(settings)
    assert str(err.value).startswith(key) and "\n" not in str(err.value)


def test_the_values_per_employee_have_a_source_per_industry(tmp_path):
    text = "data: {orders: o.csv}\nassumptions: {potential_per_employee: {electricians: 9000, plumbers: 4500}}\n"
    table = assumptions_table(load_params(write(tmp_path, text))).set_index("assumption")
    # the electricians' 9,000 EUR is the article's; the plumbers' 4,500 can only be the client's
    assert table.loc["potential_per_employee.electricians", ["value", "source"]].tolist() == [9000, ARTICLE]
    assert table.loc["potential_per_employee.plumbers", ["value", "source"]].tolist() == [4500, CLIENT_INPUT]
    assert "potential_per_employee" not in table.index
    text = "data: {orders: o.csv}\nassumptions: {potential_per_employee: {electricians: 12000}}\n"
    table = assumptions_table(load_params(write(tmp_path, text))).set_index("assumption")
    assert table.loc["potential_per_employee.electricians", "source"] == CLIENT_INPUT


def test_settings_that_contradict_each_other(tmp_path):
    with pytest.raises(OverrideError, match=r"^assumptions.abc.a \(set for this run\): conflicts with assumptions.abc"):
        load_params(write(tmp_path, BASE), parse_settings(["assumptions.abc=0.5", "assumptions.abc.a=0.7"]))


def test_assumptions_table_names_what_this_run_set(tmp_path):
    p = load_params(
        write(tmp_path, BASE), parse_settings(["assumptions.max_sales_cost_ratio=0.10", "assumptions.abc.a=0.75"])
    )
    table = assumptions_table(p).set_index("assumption")
    for name, value in (("max_sales_cost_ratio", 0.1), ("abc", "a: 0.75, b: 0.95")):
        assert table.loc[name, "value"] == value
        assert table.loc[name, "source"] == "this run" and table.loc[name, "set_in"] == "this run"
    # the rest as before: what the file set, and the defaults with their sources
    assert table.loc["working_days", "set_in"] == "params file" and table.loc["working_days", "source"] == ASSUMPTION
    assert table.loc["visits_per_customer_year", "set_in"] == "default"
    assert table.loc["visits_per_customer_year", "source"] == ARTICLE


def test_reading_overrides_leaves_them_unchanged(tmp_path):
    overrides = {"assumptions": {"working_days": 210}, "assumptions.abc.a": 0.75}
    p = load_params(write(tmp_path, BASE), overrides)
    assert (p.assumptions.working_days, p.assumptions.abc.a) == (210, 0.75)
    assert overrides == {"assumptions": {"working_days": 210}, "assumptions.abc.a": 0.75}


# --- overrides through papermill, as documented in the notebooks' parameters cell ------------------------------


def run_start_notebook(small_sample, tmp_path, **parameters):
    """Notebook 00 on the small sample with papermill; the executed notebook's text outputs."""
    import nbformat
    import papermill as pm

    from tests.conftest import ROOT

    out = tmp_path / "00.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "00_start_here.ipynb"),
        str(out),
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
        parameters={
            "params_file": str(small_sample),
            "interactive": False,
            "export_dir": str(tmp_path / "exports"),
            **parameters,
        },
    )
    nb = nbformat.read(str(out), as_version=4)
    return "\n".join(
        str(o.get("text") or o.get("data", {}).get("text/plain", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


@pytest.mark.parametrize(
    "overrides",
    [
        '{"reference_date": "2025-06-30"}',  # papermill -p overrides '{...}': a JSON string
        {"reference_date": "2025-06-30"},  # papermill -y / -f: a mapping
    ],
    ids=["json string", "mapping"],
)
def test_notebook_overrides_through_papermill(small_sample, tmp_path, overrides):
    # the small sample's orders run to 2025-12-30, which is its reference date without an override
    text = run_start_notebook(small_sample, tmp_path, overrides=overrides)
    assert re.search(r"reference date\s+2025-06-30", text), text


def test_a_bad_notebook_override_is_one_clear_line(small_sample, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        run_start_notebook(small_sample, tmp_path, overrides='{"assumptions": {"workng_days": 210}}')
    assert err.value.ename == "OverrideError"
    assert err.value.evalue == "assumptions.workng_days (set for this run): unknown key"
    # the notebook shows the error as this one line, not the code it passed through
    assert err.value.traceback == ["OverrideError: assumptions.workng_days (set for this run): unknown key"]
