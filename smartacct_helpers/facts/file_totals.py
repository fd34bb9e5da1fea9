"""The invoice lines of a file that DuckDB reads itself, summed to order totals and checked in the same pass.

For :meth:`Workbook.from_files <smartacct_helpers.facts.workbook.Workbook.from_files>`
and ``smartacct facts``: DuckDB reads the orders file once
(:func:`smartacct_helpers.intake.duckdb_files.file_table`) into its order
totals (:func:`smartacct_helpers.facts.orders.order_totals`), and the checks
of the full reader that concern every line ride along. Any finding returns
None, and the full reader (:func:`smartacct_helpers.intake.tables.load_tables`)
reports it with its row.
"""

from __future__ import annotations

from ..intake.duckdb_files import _in_duckdb, blank_ids, cannot_read, file_table, hand_over, leave_to_full_reader
from ..intake.schema import ABSURD_AMOUNT, ACTIVITY_TYPES, MONEY
from ..params import Params
from .customer_facts import checked_yearly_facts, yearly_facts
from .orders import arrow_table, as_date, kept_order_totals


def first_pass(con, orders) -> tuple:
    """One pass over the dates of the invoice lines: ``(last order date, lines without a date)``."""
    row = arrow_table(con, orders.aggregate(last=orders.date.max(), undated=orders.date.isnull().sum())).to_pylist()[0]
    last = None if row["last"] is None else as_date(row["last"])
    return last, int(row["undated"] or 0)


def _all_known(con, column, known) -> bool:
    """Whether every distinct value of ``column`` (nulls aside) is in ``known``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = arrow_table(con, column.as_table().distinct()).column(0).drop_null()
    return bool(pc.all(pc.is_in(values, value_set=pa.array(sorted(known)))).as_py())


def _clean_ids(ids, customers) -> bool:
    """Whether the customer ids ``ids`` (a pyarrow array) are all filled, without blanks around them, and in the master.

    ``customers``: the checked customer master, a DataFrame. Its ids are
    handed to Arrow as they are, not as Python strings.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    return not blank_ids(ids) and bool(pc.all(pc.is_in(ids, value_set=pa.array(customers["customer_id"]))).as_py())


def file_order_totals(con, params: Params):
    """The orders file summed to order totals, with their checks, in a DuckDB temporary table; None if unreadable.

    DuckDB reads the invoice lines once (a CSV file is parsed once) into
    :func:`~smartacct_helpers.facts.orders.order_totals`. The checks of the lines
    (lines without revenue, amounts of
    :data:`~smartacct_helpers.intake.schema.ABSURD_AMOUNT` or more) ride in the
    same pass over a CSV file, as ``without_revenue`` and ``implausible``
    for :func:`checked_file_orders`. A Parquet file answers them from the
    statistics it keeps per column (counts of values, minima and maxima),
    so there the totals are summed without them, a sixth quicker at 10
    million lines. None where DuckDB cannot read the file or convert a
    value, or where a Parquet file fails a check: the full reader names it.
    """
    try:
        lines = file_table(con, params, "orders")
        if lines is None:
            return None
        money = [c for c in MONEY if c in lines.columns]
        if params.path(params.data.orders).suffix.lower() not in (".parquet", ".pq"):
            return kept_order_totals(con, lines, money)
        if _lines_fail_checks(con, lines, money):
            return None
        return kept_order_totals(con, lines)
    except cannot_read() as exc:  # a value DuckDB cannot convert: the full reader names it
        hand_over("the invoice lines", exc)
        return None


def _lines_fail_checks(con, lines, money: list[str]) -> bool:
    """Whether any invoice line lacks a revenue or has an amount of 1e12 or more (either sign).

    Asked as counts, minima and maxima, which DuckDB takes from a Parquet
    file's statistics without reading its rows.
    """
    extremes = {f"{side}_{c}": getattr(lines[c], side)() for c in money for side in ("min", "max")}
    row = arrow_table(
        con, lines.aggregate(lines=lines.count(), with_revenue=lines.revenue.count(), **extremes)
    ).to_pylist()[0]
    if row["lines"] != row["with_revenue"]:
        return True
    return any(v is not None and abs(v) >= ABSURD_AMOUNT for k, v in row.items() if k.startswith(("min_", "max_")))


def checked_file_orders(con, params: Params, totals, customers):
    """The order totals of the orders file (:func:`file_order_totals`), checked as the full reader checks the lines.

    For :meth:`Workbook.from_files <smartacct_helpers.facts.workbook.Workbook.from_files>`:
    the facts and the analyses run on the totals where DuckDB holds them,
    and the full reader runs only when something asks for ``tables.orders``
    or a check finds something it must name with its row (None then).

    The totals of a CSV file count the lines without revenue and those
    with an implausible amount (1e12 or more; a Parquet file's lines were
    checked for both before they were summed). A revenue or margin written
    as NaN (a Parquet file may hold one) makes its yearly sum NaN: the full
    reader takes it as missing. Lines without a date make a yearly row
    without a year. The yearly facts, computed from the totals, give the
    last order date and the customer ids, which are checked
    (empty, blanks around them, missing from ``customers``, the checked
    customer master, a DataFrame), and so are the distinct channels
    (outside the known ones). Lines after the reference date or after
    today are a finding too: the full reader leaves them out with a warning
    or reports them.

    Returns
    -------
    (ibis.Table, datetime.date, pyarrow.Table) or None
        The order totals, the reference date and the yearly facts
        (:func:`smartacct_helpers.facts.customer_facts.yearly_facts`, ordered by customer
        and year).
    """

    import pyarrow.compute as pc

    if totals is None:
        return None
    checks = "implausible" in totals.columns  # else checked on the lines (file_order_totals)
    try:
        yearly = checked_yearly_facts(totals) if checks else yearly_facts(totals)
        yearly = arrow_table(con, yearly.order_by(["customer_id", "year"]))  # DuckDB sorts ids by bytes, as pandas
        finding = _finding_in_the_lines(con, params, totals, yearly, checks, customers)
    except cannot_read() as exc:  # a value DuckDB cannot convert: the full reader names it
        hand_over("the invoice lines", exc)
        return None
    if finding:
        return leave_to_full_reader("the invoice lines", finding)
    last = as_date(pc.max(yearly.column("last_order")).as_py())
    if checks:
        totals, yearly = (
            totals.drop("without_revenue", "implausible"),
            yearly.drop_columns(["without_revenue", "implausible"]),
        )
    return totals, params.reference_date or last, yearly


def _finding_in_the_lines(con, params: Params, totals, yearly, checks: bool, customers) -> str | None:
    """What the full reader must report with its row, in words; None where the totals pass every check."""
    import datetime as dt

    import pyarrow.compute as pc

    from ..intake.schema import CHANNELS

    if not yearly.num_rows or yearly.column("year").null_count:
        return "no lines, or lines without a date"
    if checks and (pc.sum(yearly.column("without_revenue")).as_py() or pc.sum(yearly.column("implausible")).as_py()):
        return "lines without a revenue or with an implausible amount"
    for money in ("revenue", "contribution_margin"):  # NaN amounts, which the full reader takes as missing
        if money in yearly.column_names and pc.any(pc.is_nan(yearly.column(money))).as_py():
            return f"{money} written as NaN"
    margins = "contribution_margin" in yearly.column_names
    if margins and yearly.column("contribution_margin").null_count == len(yearly):
        return "a margin column without a value"  # left out with a warning
    optional = [c for c in ("order_id", "channel") if c in totals.columns]
    if optional:
        filled = arrow_table(con, totals.aggregate(**{c: totals[c].count() for c in optional})).to_pylist()[0]
        if not all(filled.values()):
            return "an order id or channel column without a value"
    last = as_date(pc.max(yearly.column("last_order")).as_py())
    if last > (params.reference_date or dt.date.today()):
        # lines after the reference date (left out with a warning) or in the future (an error)
        return "lines after the reference date or in the future"
    if not _clean_ids(pc.unique(yearly.column("customer_id")), customers):
        return "customer ids empty, with blanks around them or missing from the master"
    if "channel" in totals.columns and not _all_known(con, totals.channel, CHANNELS):
        return "channels other than field, inside, online, distributor and retail"
    return None


def checked_file_activities(con, params: Params, customers):
    """The CRM activities file in DuckDB, checked as the full reader checks it; None on any finding.

    Findings: no rows, an activity without a date or type, customer ids
    empty, with blanks around them or missing from the master (the full
    reader leaves those out with a warning), types other than visit, call,
    email and meeting (a warning there).
    """
    try:
        acts = _in_duckdb(con, params, "activities")
        if acts is None:
            return None
        row = arrow_table(
            con, acts.aggregate(rows=acts.count(), missing=acts.count(where=acts.date.isnull() | acts.type.isnull()))
        ).to_pylist()[0]
        ids = arrow_table(con, acts.select("customer_id").distinct()).column("customer_id")
        if not row["rows"] or row["missing"] or not _clean_ids(ids, customers):
            return leave_to_full_reader("the CRM activities", "no rows, a missing date or type, or ids to check")
        if not _all_known(con, acts.type, set(ACTIVITY_TYPES.values())):
            return leave_to_full_reader("the CRM activities", "types other than visit, call, email and meeting")
    except cannot_read() as exc:  # a value DuckDB cannot convert: the full reader names it
        hand_over("the CRM activities", exc)
        return None
    return acts
