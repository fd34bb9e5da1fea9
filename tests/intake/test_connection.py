import duckdb
import yaml

from smartacct_helpers.facts.export import facts_export
from smartacct_helpers.facts.orders import connect as connect_in_memory
from smartacct_helpers.intake.connection import connect
from smartacct_helpers.params import load_params


def _setting(con, name: str):
    return con.con.sql(f"SELECT current_setting('{name}')").fetchone()[0]


def test_every_duckdb_smartacct_opens_reads_the_lines_once(tmp_path):
    # in memory, and a DuckDB file named as data.database: both without the rewrite that reads the lines twice
    path = tmp_path / "erp.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute(
            "CREATE TABLE lines AS SELECT * FROM (VALUES ('7', DATE '2025-03-01', 100.0), ('7', DATE '2025-03-01', 20.0),"
            " ('7', DATE '2024-05-02', 30.0), ('8', DATE '2025-12-31', -5.0)) AS t(customer_id, date, revenue)"
        )
    params_file = tmp_path / "params.yaml"
    params_file.write_text(yaml.safe_dump({"data": {"database": f"duckdb:///{path}", "orders": "lines"}}))
    params = load_params(params_file)
    for con in (connect_in_memory(), connect(params)):
        assert "window_self_join" in _setting(con, "disabled_optimizers")
        assert _setting(con, "enable_progress_bar") is False
    # by hand: customer 7 has two lines on 1 March 2025 (one order, 120) and one in 2024 (30); the window
    # runs from 31 Dec 2024 (excluded) to 31 Dec 2025, so 7's revenue_12m is 120 on both of its rows
    facts = facts_export(params).to_pandas().set_index(["customer_id", "year"])
    assert facts.loc[("7", 2025), ["revenue", "orders", "lines"]].tolist() == [120.0, 1, 2]
    assert facts.loc[("7", 2024), "revenue_12m"] == 120.0 and facts.loc[("8", 2025), "revenue_12m"] == -5.0
