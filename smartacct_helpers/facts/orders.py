"""The order-level table and the engine it lives in: invoice lines summed per customer, order, day and channel.

Everything here is an Ibis expression, so the sums run inside the engine
that holds the data (DuckDB for files; PostgreSQL or Spark with the same
code). :func:`order_totals` sums the invoice lines once; every analysis of
single orders then reads those totals (:func:`as_table`), never the lines
again. Money is summed to the millionth (:func:`money_sum`): the traces
that binary floats leave in a sum are rounded off, so a sum is the same on
every engine, from every input format and in any order of the lines, and
credit notes that cancel their invoices leave exactly 0.

The window is the 12 months up to the reference date: ``reference_date - 12
months < date <= reference_date`` (:data:`WINDOW_MONTHS`, :func:`months_before`).

Examples
--------
>>> months_before(dt.date(2025, 12, 31), WINDOW_MONTHS)
datetime.date(2024, 12, 31)
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
from dateutil.relativedelta import relativedelta

from ..intake.connection import tune_duckdb
from ..intake.schema import ABSURD_AMOUNT

if TYPE_CHECKING:  # pandas is imported where a frame comes back, so that the facts of a file need none
    import pandas as pd

WINDOW_MONTHS = 12


def connect(database: str | None = None, read_only_file: str | Path | None = None):
    """An Ibis connection: in-memory DuckDB unless a connection URL or a DuckDB file (opened read-only) is given."""
    if database:
        return ibis.connect(database)
    con = ibis.duckdb.connect(read_only_file, read_only=True) if read_only_file else ibis.duckdb.connect()
    return tune_duckdb(con)


def frame_table(con, name: str, frame: pd.DataFrame):
    """``frame`` as table ``name`` of the DuckDB connection ``con``, read where it lies.

    DuckDB scans the frame's Arrow form (shared with pandas, not copied; the
    connection keeps it alive), so a workbook of 10 million invoice lines
    holds them once, and opening it skips copying them into the engine.
    """
    import pyarrow as pa

    con.con.register(name, pa.Table.from_pandas(frame, preserve_index=False))
    return con.table(name)


def _count_of(condition):
    """1 where ``condition`` holds, else 0: a CASE rather than a cast, which PostgreSQL refuses from boolean to bigint."""
    return ibis.ifelse(condition, 1, 0).cast("int64")


def as_table(orders):
    """``orders`` as an Ibis table of order totals (see :func:`order_totals`), wherever it is held.

    The analyses of single orders take invoice lines or their totals, as a
    DataFrame (read in place by DuckDB) or an Ibis table (left where it
    is), so a test can hand them a small frame of lines and a workbook its
    order totals in the engine. Each invoice line becomes a total of one
    line; totals stay as they are.

    >>> import pandas as pd
    >>> t = as_table(pd.DataFrame({"customer_id": ["7", "7"], "revenue": [5.0, -1.0]}))
    >>> t.aggregate(lines=t.lines.sum(), credit_lines=t.credit_lines.sum()).to_pyarrow().to_pylist()
    [{'lines': 2, 'credit_lines': 1}]
    """
    if not isinstance(orders, ibis.Table):
        orders = frame_table(connect(), "orders", orders)
    if "lines" in orders.columns:
        return orders
    per_line = {"lines": ibis.literal(1, type="int64")}
    if "revenue" in orders.columns:
        per_line |= {"top": orders.revenue, "credit_lines": _count_of(orders.revenue < 0)}
    if {"revenue", "contribution_margin"} <= set(orders.columns):
        without = orders.contribution_margin.isnull()
        per_line |= {
            "lines_without_margin": _count_of(without),
            "revenue_without_margin": ibis.ifelse(without, orders.revenue, ibis.null("float64")),
        }
    return orders.mutate(**per_line)


#: the invoice lines' money columns that an order total sums
SUMMED = ("revenue", "contribution_margin", "cost", "discount", "rebate")
#: money sums are rounded to the millionth of the currency (see :func:`money_sum`)
MICRO = 1_000_000
#: sums this large (in the currency) are left as they are: their millionths would not fit 64 bits
_LARGEST_ROUNDED = 9e12


def to_the_millionth(total):
    """An Ibis amount rounded to the millionth: ``floor(total x 1e6 + 0.5) / 1e6``, never -0.

    The same IEEE operations on every engine (no engine's own rounding
    rule), so the same sum gives the same amount everywhere.
    """
    whole = (total * MICRO + 0.5).floor()  # an int64: a rounded 0 is 0, not -0
    return ibis.ifelse(total.abs() < _LARGEST_ROUNDED, whole / MICRO, total).cast("float64")


def money_sum(amount, where=None):
    """The sum of an Ibis money column, to the millionth: the amounts as written, added up exactly.

    Floats added one by one leave traces of their binary form that depend
    on the order of the addition, and so on the engine and the input
    format: two invoices cancelled by their credit notes may sum to 4.5e-13
    instead of 0, a C customer instead of a D. Those traces are far below a
    millionth; rounded to it, the sum of amounts written with up to six
    decimals is their exact sum. Rounding the sum, not each line, costs
    nothing per line. Missing amounts add nothing; a sum of none is missing.

    >>> import pandas as pd
    >>> t = ibis.memtable(pd.DataFrame({"revenue": [100.10, 200.20, -300.30]}))
    >>> t.revenue.sum().to_pyarrow().as_py(), money_sum(t.revenue).to_pyarrow().as_py()
    (-5.684341886080802e-14, 0.0)
    """
    return to_the_millionth(amount.sum(where=where))


def order_totals(orders, money: list[str] | None = None):
    """The invoice lines summed per customer, order, day and channel: what a workbook's analyses read.

    One row per ``customer_id, order_id, date, channel`` (order id and
    channel where the data has them; ``date`` is the day) with the sums of
    the money columns and what the figures of single lines need: ``lines``
    (how many were summed), ``top`` (the largest line revenue: above zero
    when a line sold something), ``credit_lines`` (lines of negative
    revenue) and, with a margin column, ``lines_without_margin`` and
    ``revenue_without_margin`` (their revenue). Every figure the analyses
    compute (sums, lines, distinct orders, order days, buying days, credit
    notes) is the same on these rows as on the lines, which are several
    times as many (10 million lines of the benchmark make 2.7 million
    totals). Totals of totals are the same totals.

    With ``money`` (the money columns to check; invoice lines only) come
    ``without_revenue``, the lines without revenue, and ``implausible``, the
    lines with an amount of :data:`~smartacct_helpers.intake.schema.ABSURD_AMOUNT`
    or more (either sign), for the checks of a file.

    >>> import pandas as pd
    >>> lines = pd.DataFrame({"customer_id": ["7", "7", "7"], "order_id": ["a", "a", "b"],
    ...                       "date": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 17:00", "2025-03-02 08:00"]),
    ...                       "revenue": [100.0, -30.0, 40.0]})
    >>> t = order_totals(lines).order_by("order_id").to_pyarrow()
    >>> t["revenue"].to_pylist(), t["lines"].to_pylist(), t["credit_lines"].to_pylist()
    ([70.0, 40.0], [2, 1], [1, 0])
    """
    t = orders if isinstance(orders, ibis.Table) else frame_table(connect(), "orders", orders)
    keys = [c for c in ("customer_id", "order_id") if c in t.columns] + [t.date.cast("date").name("date")]
    keys += [c for c in ("channel",) if c in t.columns]
    metrics = {c: money_sum(t[c]) for c in SUMMED if c in t.columns}
    margin = "contribution_margin" in t.columns
    if "lines" in t.columns:  # totals: their sums
        metrics |= {c: t[c].sum() for c in ("lines", "credit_lines", "lines_without_margin") if c in t.columns}
        metrics |= {"top": t.top.max()}
        if "revenue_without_margin" in t.columns:
            metrics["revenue_without_margin"] = money_sum(t.revenue_without_margin)
    else:  # lines: counted as they are (quicker than as_table's columns per line)
        metrics |= {"lines": t.count(), "top": t.revenue.max(), "credit_lines": t.count(where=t.revenue < 0)}
        if margin:
            without = t.contribution_margin.isnull()
            metrics |= {
                "lines_without_margin": t.count(where=without),
                "revenue_without_margin": money_sum(t.revenue, where=without),
            }
        if money is not None:
            too_large = functools.reduce(operator.or_, [t[c].abs() >= ABSURD_AMOUNT for c in money])
            metrics |= {"without_revenue": t.count(where=t.revenue.isnull()), "implausible": t.count(where=too_large)}
    return t.group_by(keys).aggregate(**metrics)


#: the column of order totals that holds every order id on one row only (see :func:`kept_order_totals`)
ONE_ROW_PER_ORDER = "one_row_per_order"


def kept_order_totals(con, lines, money: list[str] | None = None):
    """:func:`order_totals` of ``lines`` kept as the temporary table ``order_totals`` of the DuckDB connection ``con``.

    The lines are read once; every analysis then reads the table. Where
    the lines have an order id, its distinct values are counted once,
    here: where each order id is on one row of the totals only (one
    customer, one day, one channel: the usual order), the table comes with
    the column :data:`ONE_ROW_PER_ORDER`, and :func:`order_count` then
    counts the orders of any part of it as its rows with an order id,
    instead of their distinct ids, which take half the time of a
    customer's yearly facts. Where an order id spans several rows the
    column is left out and the ids are counted as written.
    """
    totals = con.create_table("order_totals", order_totals(lines, money), temp=True)
    if "order_id" not in totals.columns:
        return totals
    counted = totals.aggregate(ids=totals.order_id.nunique(), rows=totals.order_id.count())
    row = arrow_table(con, counted).to_pylist()[0]
    if row["ids"] != row["rows"]:
        return totals
    return totals.mutate(**{ONE_ROW_PER_ORDER: ibis.literal(True)})


def order_count(orders, where=None):
    """The distinct orders of invoice lines or order totals (where ``where``), by their order id.

    Counted as the rows with an order id where the totals hold each id on
    one row only (:data:`ONE_ROW_PER_ORDER`, see :func:`kept_order_totals`),
    else as the distinct ids.

    >>> import pandas as pd
    >>> lines = pd.DataFrame({"customer_id": ["7", "7", "8"], "order_id": ["a", "a", "b"],
    ...                       "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-02"]), "revenue": 1.0})
    >>> con = connect()
    >>> totals = kept_order_totals(con, frame_table(con, "orders", lines))   # a on one row, b on one row
    >>> ONE_ROW_PER_ORDER in totals.columns, order_count(totals).to_pyarrow().as_py()
    (True, 2)
    >>> later = lines.assign(date=pd.to_datetime(["2025-03-01", "2025-03-03", "2025-03-02"]))  # a on two days
    >>> con = connect()
    >>> totals = kept_order_totals(con, frame_table(con, "orders", later))
    >>> ONE_ROW_PER_ORDER in totals.columns, order_count(totals).to_pyarrow().as_py()
    (False, 2)
    """
    if ONE_ROW_PER_ORDER in orders.columns:
        return orders.order_id.count(where=where)
    return orders.order_id.nunique(where=where)


def line_count(orders, where=None):
    """How many invoice lines ``orders`` holds (where ``where``): its rows, or the ``lines`` of order totals."""
    if "lines" not in orders.columns:
        return orders.count(where=where)
    return orders.lines.sum(where=where).fill_null(0)


def moments(date):
    """A ``date`` column as timestamps (a DATE as its midnight), to compare with points in time."""
    return date if date.type().is_timestamp() else date.cast("timestamp")


def arrow_table(con, expr):
    """``expr`` run on the DuckDB connection ``con``, as an Arrow table of the expression's schema.

    What ``expr.to_pyarrow()`` gives, without the pandas that Ibis imports
    on the way: ``smartacct facts`` over Parquet starts quicker without it.
    """
    return con.con.sql(con.compile(expr)).to_arrow_table().cast(expr.schema().to_pyarrow())


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, clipped to the month's end.

    >>> months_before(dt.date(2025, 12, 31), 12)
    datetime.date(2024, 12, 31)
    >>> months_before(dt.date(2024, 2, 29), 12)
    datetime.date(2023, 2, 28)
    """
    return day - relativedelta(months=months)


def last_order_date(orders) -> dt.date:
    """The latest order date, the default reference date."""
    return as_date(orders.date.max().to_pyarrow().as_py())


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """The day of a date or a timestamp.

    >>> as_date(dt.datetime(2025, 12, 31, 17, 30)), as_date(dt.date(2025, 1, 2))
    (datetime.date(2025, 12, 31), datetime.date(2025, 1, 2))
    """
    return value.date() if isinstance(value, dt.datetime) else value


def frame(expr) -> pd.DataFrame:
    """The rows of the Ibis expression ``expr`` as a DataFrame, by Arrow; days and times as ``datetime64[ns]``.

    Quicker than ``expr.to_pandas()`` for columns with gaps, which Ibis
    turns into Python objects one value at a time.
    """
    return arrow_frame(expr.to_pyarrow())


def arrow_frame(table) -> pd.DataFrame:
    """An Arrow table as a DataFrame (see :func:`frame`): days and times as ``datetime64[ns]``, not Python objects."""
    df = table.to_pandas(date_as_object=False)
    for c in df.columns:
        if df[c].dtype.kind == "M":
            df[c] = df[c].astype("datetime64[ns]")
    return df
