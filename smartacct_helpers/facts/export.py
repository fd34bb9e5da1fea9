"""``smartacct facts``: the per-customer-per-year facts, computed where the invoice lines are.

With ``data.database`` the database aggregates its own tables. A Parquet
file, or a CSV file with plain numbers and dates, is read by DuckDB itself,
and the checks of the full reader that concern every invoice line ride along
in the same query. Only when a file needs the full reader (Excel, thousands
separators, mixed styles, or a check that finds a problem) are the invoice
lines read into pandas, so that every problem is reported with its row and
column. This module imports pandas only on that last route, so a scheduled
run over Parquet or a database starts quicker. The command writes the table
with :func:`smartacct_helpers.delivery.exports.export_facts`.

Examples
--------
>>> facts_export(load_params("data/sample/params.yaml")).num_rows  # doctest: +SKIP
26000
"""

from __future__ import annotations

from ..intake.database import open_source
from ..params import Params
from .customer_facts import facts_table
from .orders import arrow_table, connect, frame_table, last_order_date


def _workbook():
    from .workbook import Workbook

    return Workbook


def facts_export(params: Params):
    """The facts of ``smartacct facts`` as a pyarrow table, computed where the invoice lines are."""
    if params.data.database:
        if params.anonymise:
            return _pandas_export_table(_workbook().from_engine(params)).to_pyarrow()
        return facts_export_table(params).to_pyarrow()
    if not params.anonymise:
        result = _pushed_down(params)
        if result is not None:
            return result
    return _pandas_export_table(_workbook().open(params)).to_pyarrow()


def facts_export_table(params: Params):
    """The Ibis expression behind ``smartacct facts`` for ``data.database``: it runs in the database."""
    source = open_source(params)
    reference = params.reference_date or last_order_date(source.orders)
    return facts_table(source.orders, source.activities, reference)


def _pandas_export_table(wb):
    con = connect()
    orders = frame_table(con, "orders", wb.tables.orders)
    activities = wb.tables.activities
    activities = frame_table(con, "activities", activities) if activities is not None and len(activities) else None
    return facts_table(orders, activities, wb.reference_date)


def _pushed_down(params: Params):
    """The facts over the files read by DuckDB itself; None when the full reader is needed.

    Without a reference date in the params, a first pass over the dates of
    a Parquet file finds the last order date (cheap: it reads the date column
    alone); a CSV file is parsed once, and the statement finds the last
    order date itself (:func:`facts.facts_table`). The pass over the lines computes
    the facts and counts, per customer and year, the lines with a revenue;
    lines without a date show as a row without a year, and an implausible
    amount (1e12 or more) as a customer-year total of that size. Customer
    ids that are empty, have blanks around them, or are missing from the
    customer master are found in the result, which has one
    row per customer and year. Any finding, or a value DuckDB cannot
    convert, hands the files to the full reader, which reports every problem
    with its row. (``smartacct validate`` checks every column of every file.)
    """
    import pyarrow.compute as pc

    from ..intake.duckdb_files import blank_ids, cannot_read, file_table, hand_over, leave_to_full_reader
    from ..intake.schema import SCHEMA
    from .file_totals import first_pass

    con = connect()
    orders = file_table(con, params, "orders", only=sum(SCHEMA["orders"], []))  # no customer attributes
    if orders is None:
        return None
    known = activities = None
    try:
        if params.data.customers:
            master = file_table(con, params, "customers", only=["customer_id"])
            if master is None:
                return None
            master = con.create_table("known_customers", master.select("customer_id").distinct(), temp=True)
            known = arrow_table(con, master).column("customer_id")  # the master file is parsed once
            if blank_ids(known):
                return leave_to_full_reader("the facts", "customer ids of the master empty or with blanks around them")
        if params.data.activities:
            activities = file_table(con, params, "activities", only=["customer_id", "date", "type", "team"])
            if activities is None:
                return None
            if known is not None:  # CRM activities of unknown customers are left out, as the full reader does
                activities = activities.semi_join(master, "customer_id")
        reference = params.reference_date
        if reference is None and params.path(params.data.orders).suffix.lower() in (".parquet", ".pq"):
            reference, undated = first_pass(con, orders)  # Parquet reads the date column alone
            if reference is None or undated:
                return leave_to_full_reader("the facts", "no lines, or lines without a date")
        result = arrow_table(con, facts_table(orders, activities, reference, checks=True))
    except cannot_read() as exc:  # a value DuckDB cannot convert: the full reader names it
        hand_over("the files of the facts", exc)
        return None
    if not result.num_rows:
        return leave_to_full_reader("the facts", "no lines")  # the full reader says so
    ids = result.column("customer_id")
    if (
        pc.all(pc.equal(result.column("lines"), result.column("lines_with_revenue")), skip_nulls=False).as_py()
        is not True
    ):
        return leave_to_full_reader("the facts", "lines without revenue")
    if result.column("year").null_count or blank_ids(ids):
        return leave_to_full_reader("the facts", "lines without a date, or ids empty or with blanks around them")
    for money in ("revenue", "contribution_margin"):
        if money in result.column_names and pc.max(pc.abs(result.column(money))).as_py() >= 1e12:
            return leave_to_full_reader("the facts", "an implausible amount")  # the full reader names the line
    if known is not None and not pc.all(pc.is_in(pc.unique(ids), value_set=known)).as_py():
        return leave_to_full_reader("the facts", "lines of customers missing from the master")
    return result.drop_columns(["lines_with_revenue"])
