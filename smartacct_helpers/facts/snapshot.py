"""A workbook kept in a folder: what a report's notebooks open instead of reading the data again.

:meth:`Workbook.save_snapshot <smartacct_helpers.facts.workbook.Workbook.save_snapshot>` and
:meth:`Workbook.from_snapshot <smartacct_helpers.facts.workbook.Workbook.from_snapshot>` call these.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from ..intake.database import open_source
from ..params import Params
from .database_totals import EngineTables
from .orders import connect

#: what the analyses remembered from the invoice lines themselves, which a snapshot keeps beside the order totals
#: (it holds no lines): the revenue per customer and product group
FROM_LINES = ("product_group_revenue",)


def _from_lines(workbook) -> dict:
    return {k: workbook._memo[k] for k in FROM_LINES if k in workbook._memo}


def save_snapshot(workbook, folder: str | Path) -> Path | None:
    """Keep ``workbook`` in ``folder``, for :func:`open_snapshot`; None for anonymised tables of a database.

    A report reads and checks the data once and keeps the workbook here;
    the kernel of each notebook opens it from the folder (the environment
    variable :data:`~smartacct_helpers.facts.workbook.SNAPSHOT` names it) instead of reading the files
    again. At 10 million invoice lines that takes a tenth of a second
    instead of five, and every notebook sees the same data even when a
    file changes during the run. The order totals and the activities go
    into a DuckDB file, the rest into a pickle: a snapshot belongs to
    the run that wrote it, in a folder only that run uses. Invoice lines
    or activities read into pandas are read again on first use.

    A workbook on a database keeps only its customer-level tables and
    facts here; the invoice lines stay in the database (see
    :func:`_save_database_snapshot`).
    """
    if workbook.in_engine is None and workbook._database() is None:  # aliased ids: each kernel reads them again
        return None
    from .product_groups import product_group_revenue_of

    product_group_revenue_of(workbook)  # summed from the lines now: the snapshot keeps no lines
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if workbook.in_engine is None:
        return _save_database_snapshot(workbook, folder)
    con = workbook.connection
    engine_file = str(folder / "engine.duckdb").replace("'", "''")
    con.con.execute(f"ATTACH '{engine_file}' AS snapshot")
    try:
        for name, table in zip(("order_totals", "activities"), workbook.in_engine, strict=False):
            if table is not None:
                con.con.execute(f"CREATE TABLE snapshot.{name} AS {con.compile(table)}")
    finally:
        con.con.execute("DETACH snapshot")
    state = {
        "params": workbook.params,
        "tables": workbook.tables,
        "reference_date": workbook.reference_date,
        "customers": workbook.customers,
        "yearly": workbook.yearly,
        "activities": workbook.in_engine[1] is not None,
        "facts_on": workbook._facts_on(),
        "line_counts": workbook._memo.get("line_counts"),  # counted by the report's key figures: not again
        "from_lines": _from_lines(workbook),
    }
    with open(folder / "workbook.pickle", "wb") as file:
        pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
    return folder


def _save_database_snapshot(workbook, folder: Path) -> Path:
    """The snapshot of a workbook on a database: its customer-level tables and facts, no invoice lines.

    The lines stay in the database: a kernel opened from the snapshot
    sums them into its order totals only when an analysis of single
    orders first asks (:attr:`Workbook.order_totals`), so a notebook of customer
    facts alone never reads them. The counts of the data overview
    (:meth:`Workbook.line_counts`) come along, counted from the totals the key
    figures summed.
    """
    t = workbook.tables
    state = {
        "params": workbook.params,
        "reference_date": workbook.reference_date,
        "customers": workbook.customers,
        "yearly": workbook.yearly,
        "facts_on": workbook._facts_on(),
        "line_counts": workbook.line_counts(),
        "from_lines": _from_lines(workbook),
        "database": {
            "customers": t.customers,
            "market": t.market,
            "assessments": t.assessments,
            "files": t.files,
            "unattributed": t.unattributed,
        },
    }
    with open(folder / "workbook.pickle", "wb") as file:
        pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
    return folder


def open_snapshot(cls, folder: str | Path, params: Params):
    """The workbook (of class ``cls``) :func:`save_snapshot` kept in ``folder``; None when it holds none, or one of other params.

    The order totals and activities stay in the snapshot's DuckDB file,
    opened read-only, so the kernels of a report hold none of them twice.
    """
    folder = Path(folder)
    if not (folder / "workbook.pickle").is_file():
        return None
    with open(folder / "workbook.pickle", "rb") as file:
        state = pickle.load(file)
    if state["params"] != params:
        return None
    if "database" in state:  # connected again; the order totals are summed on first use
        source = open_source(params)
        workbook = cls(
            params,
            EngineTables(source, **state["database"]),
            state["reference_date"],
            state["customers"],
            state["yearly"],
            source.connection,
        )
        workbook._memo["line_counts"] = state["line_counts"]
        workbook._memo.update(state.get("from_lines", {}))
        workbook._remember_facts_on(state.get("facts_on", {}))
        return workbook
    con = connect(read_only_file=folder / "engine.duckdb")
    in_engine = (con.table("order_totals"), con.table("activities") if state["activities"] else None)
    workbook = cls(
        params, state["tables"], state["reference_date"], state["customers"], state["yearly"], con, in_engine
    )
    workbook._remember_facts_on(state.get("facts_on", {}))
    if state.get("line_counts") is not None:
        workbook._memo["line_counts"] = state["line_counts"]
    workbook._memo.update(state.get("from_lines", {}))
    return workbook
