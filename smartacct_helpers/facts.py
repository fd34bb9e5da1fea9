"""The customer facts: what each customer bought, per year and in the window.

Everything here is an Ibis expression, so the aggregation runs inside the
engine (DuckDB by default; PostgreSQL or Spark with the same code) and only
customer-level rows come back to Python.

The window is the 12 months up to the reference date: ``reference_date - 12
months < date <= reference_date``.

Money is summed to the millionth (:func:`money_sum`): the traces that
binary floats leave in a sum are rounded off, so a sum is the same on every
engine, from every input format and in any order of the lines, and credit
notes that cancel their invoices leave exactly 0.

Examples
--------
>>> import ibis, pandas as pd
>>> orders = ibis.memtable(pd.DataFrame({
...     "customer_id": ["7", "7", "9"],
...     "date": pd.to_datetime(["2024-03-01", "2025-05-01", "2025-06-01"]),
...     "revenue": [100.0, 250.0, -20.0]}))
>>> yearly_facts(orders).order_by(["customer_id", "year"]).to_pandas()["revenue"].tolist()
[100.0, 250.0, -20.0]
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
from dateutil.relativedelta import relativedelta

from .columns import ABSURD_AMOUNT, HALF_CENT

if TYPE_CHECKING:  # pandas is imported where a frame comes back, so that the facts of a file need none
    import pandas as pd

WINDOW_MONTHS = 12


def connect(database: str | None = None, read_only_file: str | Path | None = None):
    """An Ibis connection: in-memory DuckDB unless a connection URL or a DuckDB file (opened read-only) is given."""
    if database:
        return ibis.connect(database)
    con = ibis.duckdb.connect(read_only_file, read_only=True) if read_only_file else ibis.duckdb.connect()
    con.con.execute("SET enable_progress_bar = false")  # no bars in a notebook, report or log
    return con


def frame_table(con, name: str, frame: pd.DataFrame):
    """``frame`` as table ``name`` of the DuckDB connection ``con``, read where it lies.

    DuckDB scans the frame's Arrow form (shared with pandas, not copied; the
    connection keeps it alive), so a workbook of 10 million invoice lines
    holds them once, and opening it skips copying them into the engine.
    """
    import pyarrow as pa

    con.con.register(name, pa.Table.from_pandas(frame, preserve_index=False))
    return con.table(name)


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
        per_line |= {"top": orders.revenue, "credit_lines": (orders.revenue < 0).cast("int64")}
    if {"revenue", "contribution_margin"} <= set(orders.columns):
        without = orders.contribution_margin.isnull()
        per_line |= {"lines_without_margin": without.cast("int64"),
                     "revenue_without_margin": ibis.ifelse(without, orders.revenue, ibis.null("float64"))}
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


def cents(amount):
    """An Ibis amount rounded to the cent, half a cent away from zero: the arithmetic of :func:`smartacct_helpers.intake.cents`.

    The same IEEE operations on every engine (no engine's own rounding
    rule), so DuckDB, PostgreSQL and pandas give the same cents.

    >>> import pandas as pd
    >>> t = ibis.memtable(pd.DataFrame({"amount": [1.005, -1.005, 0.125, -0.001]}))
    >>> t.select(c=cents(t.amount)).to_pyarrow()["c"].to_pylist()
    [1.01, -1.01, 0.13, 0.0]
    """
    hundredths = (amount.abs() * 100 + HALF_CENT).floor()
    return (ibis.ifelse(amount < 0, -hundredths, hundredths) / 100).cast("float64")


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
    lines with an amount of :data:`~smartacct_helpers.columns.ABSURD_AMOUNT`
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
    if "lines" in t.columns:   # totals: their sums
        metrics |= {c: t[c].sum() for c in ("lines", "credit_lines", "lines_without_margin") if c in t.columns}
        metrics |= {"top": t.top.max()}
        if "revenue_without_margin" in t.columns:
            metrics["revenue_without_margin"] = money_sum(t.revenue_without_margin)
    else:                      # lines: counted as they are (quicker than as_table's columns per line)
        metrics |= {"lines": t.count(), "top": t.revenue.max(), "credit_lines": t.count(where=t.revenue < 0)}
        if margin:
            without = t.contribution_margin.isnull()
            metrics |= {"lines_without_margin": t.count(where=without),
                        "revenue_without_margin": money_sum(t.revenue, where=without)}
        if money is not None:
            too_large = functools.reduce(operator.or_, [t[c].abs() >= ABSURD_AMOUNT for c in money])
            metrics |= {"without_revenue": t.count(where=t.revenue.isnull()), "implausible": t.count(where=too_large)}
    return t.group_by(keys).aggregate(**metrics)


def kept_order_totals(con, lines, money: list[str] | None = None):
    """:func:`order_totals` of ``lines`` kept as the temporary table ``order_totals`` of the DuckDB connection ``con``.

    The lines are read once; every analysis then reads the table.
    """
    return con.create_table("order_totals", order_totals(lines, money), temp=True)


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


def _orders_count(orders):
    """Distinct orders: by order id where the data has one, else by day."""
    if "order_id" in orders.columns:
        return orders.order_id.nunique()
    return orders.date.nunique()


def yearly_facts(orders):
    """Per customer and calendar year: revenue, margin, orders, lines, first and last order.

    Parameters
    ----------
    orders : ibis.Table
        Canonical invoice lines (``customer_id, date, revenue`` and
        optionally ``contribution_margin, order_id``) or their
        :func:`order_totals`.

    Returns
    -------
    ibis.Table
        ``customer_id, year, revenue, contribution_margin (if present),
        orders, lines, first_order, last_order``.
    """
    return orders.group_by(["customer_id", orders.date.year().name("year")]).aggregate(**_year_metrics(orders))


def checked_yearly_facts(totals):
    """:func:`yearly_facts` of order totals made with their checks (``order_totals(lines, money)``).

    Lines without a date make a row without a ``year``; ``without_revenue``
    counts the lines without revenue and ``implausible`` those with an
    amount of 1e12 or more.
    """
    return totals.group_by(["customer_id", totals.date.year().name("year")]).aggregate(
        **_year_metrics(totals), without_revenue=totals.without_revenue.sum(), implausible=totals.implausible.sum())


def _year_metrics(orders) -> dict:
    """Revenue, margin (where present), orders, lines, first and last order of a group of invoice lines."""
    metrics = {"revenue": money_sum(orders.revenue)}
    if "contribution_margin" in orders.columns:
        metrics["contribution_margin"] = money_sum(orders.contribution_margin)
    return metrics | {
        "orders": _orders_count(orders),
        "lines": line_count(orders),
        "first_order": orders.date.min(),
        "last_order": orders.date.max(),
    }


def window_facts(orders, reference_date: dt.date, years: int = 1):
    """Per customer: revenue, margin, orders and lines in the last 12-month windows.

    Window 0 is the 12 months up to the reference date, window 1 the 12
    months before that, and so on up to ``years - 1``. Columns of window 0
    are ``revenue_12m``, ``contribution_margin_12m``, ``orders_12m`` and
    ``lines_12m``; earlier windows add ``revenue_12m_1``, ``revenue_12m_2``, ...
    Also ``first_order`` and ``last_order`` over all history up to the
    reference date.
    """
    ref = ibis.literal(reference_date, type="date")
    day = orders.date.cast("date")
    upto = orders.filter(day <= ref)
    day = upto.date.cast("date")
    starts = [ibis.literal(months_before(reference_date, WINDOW_MONTHS * (k + 1)), type="date") for k in range(years)]
    ends = [ref] + starts[:-1]
    in_window = [(day > s) & (day <= e) for s, e in zip(starts, ends)]
    has_margin = "contribution_margin" in upto.columns

    metrics = {"revenue_12m": money_sum(upto.revenue, where=in_window[0])}
    if has_margin:
        metrics["contribution_margin_12m"] = money_sum(upto.contribution_margin, where=in_window[0])
    if "order_id" in upto.columns:
        metrics["orders_12m"] = upto.order_id.nunique(where=in_window[0])
    else:
        metrics["orders_12m"] = day.nunique(where=in_window[0])
    metrics["lines_12m"] = line_count(upto, in_window[0])
    for k in range(1, years):
        metrics[f"revenue_12m_{k}"] = money_sum(upto.revenue, where=in_window[k])
    metrics["first_order"] = day.min()
    metrics["last_order"] = day.max()
    return upto.group_by("customer_id").aggregate(**metrics)


def _window_bounds(reference_date: dt.date):
    """The reference date and the day 12 months before it, as date literals."""
    start = months_before(reference_date, WINDOW_MONTHS)
    return ibis.literal(reference_date, type="date"), ibis.literal(start, type="date")


def contact_facts(activities, reference_date: dt.date, refs=None):
    """Per customer: last field visit, visits and calls in the window, last contact.

    A field visit is an activity of type ``visit`` (or ``meeting``) that is
    not marked as the inside team's. With ``refs`` (a one-row table of
    ``ref`` and ``start``, see :func:`facts_table`) the window comes from
    there and ``reference_date`` is not used.
    """
    if refs is None:
        ref, start = _window_bounds(reference_date)
    else:
        activities = activities.cross_join(refs)
        ref, start = activities.ref, activities.start
    acts = activities.filter(activities.date.cast("date") <= ref)
    if refs is not None:
        ref, start = acts.ref, acts.start
    day = acts.date.cast("date")
    field = acts.type.isin(["visit", "meeting"])
    if "team" in acts.columns:
        field = field & (acts.team.isnull() | (acts.team != "inside"))
    in_window = (day > start) & (day <= ref)
    return acts.group_by("customer_id").aggregate(
        last_field_visit=day.max(where=field),
        visits_12m=acts.count(where=field & in_window),
        calls_12m=acts.count(where=(acts.type == "call") & in_window),
        last_contact=day.max(),
    )


def customer_facts(orders, customers, activities, reference_date: dt.date, years: int = 1) -> pd.DataFrame:
    """One row per customer: the customer master with the window facts and contacts.

    The facts are computed in the engine and only their customer-level rows
    come back, to be joined to the master in pandas (whose columns keep
    their types). Customers without orders or contacts get zeros (revenue,
    counts) and missing dates.

    Parameters
    ----------
    orders : ibis.Table
        Invoice lines or their :func:`order_totals`.
    customers : DataFrame or ibis.Table
        The customer master.
    activities : ibis.Table or None
    reference_date : datetime.date
    years : int
        How many 12-month windows back to report revenue for.

    Returns
    -------
    pandas.DataFrame
        Indexed by nothing; ``customer_id`` first, then the customer
        attributes, window facts and contact facts.
    """
    if isinstance(customers, ibis.Table):
        customers = customers.to_pandas()
    customers = customers.astype({"customer_id": "str"})  # the same ids, whichever reader or engine gave them
    df = customers.merge(frame(window_facts(orders, reference_date, years)), on="customer_id", how="left")
    if activities is not None:
        df = df.merge(frame(contact_facts(activities, reference_date)), on="customer_id", how="left")
    return _fill_missing(df)


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


def _fill_missing(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    zero_cols = [c for c in df.columns if c.startswith(("revenue_12m", "contribution_margin_12m"))]
    count_cols = [c for c in ("orders_12m", "lines_12m", "visits_12m", "calls_12m") if c in df.columns]
    df[zero_cols] = df[zero_cols].fillna(0.0).astype("float64")
    for c in count_cols:
        df[c] = df[c].fillna(0).astype("int64")
    for c in ("first_order", "last_order", "last_field_visit", "last_contact"):
        if c in df.columns:
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df.sort_values("customer_id", kind="stable").reset_index(drop=True)


def facts_table(orders, activities, reference_date: dt.date | None, checks: bool = False):
    """The exported facts: one row per customer and year, with the customer's window facts.

    Columns: the yearly facts (``customer_id, year, revenue, contribution_margin,
    orders, lines, first_order, last_order``), then ``revenue_12m`` and, where
    activities exist, ``last_field_visit`` and ``visits_12m``.

    The invoice lines are read once: each customer-year also sums its part of
    the window, and ``revenue_12m`` is the sum of those parts over the
    customer's years (missing when the customer bought nothing in the window).
    Without a ``reference_date`` the last order date is found in the same
    statement: the lines read are kept for both uses (DuckDB materialises
    them once), which spares a CSV file a second parse.
    With ``checks``, a column ``lines_with_revenue`` counts the lines per
    customer and year that have a revenue (``lines`` counts them all), and
    lines without a date are kept, in a row whose ``year`` is missing.
    """
    orders = orders.select(*[c for c in ("customer_id", "date", "order_id", "revenue", "contribution_margin")
                             if c in orders.columns])
    refs = None
    if reference_date is None:
        refs = orders.aggregate(ref=orders.date.cast("date").max())
        refs = refs.mutate(start=(refs.ref - ibis.interval(months=WINDOW_MONTHS)).cast("date"))
        orders = orders.cross_join(refs)
        ref = orders.ref
    else:
        ref, start = _window_bounds(reference_date)
    keep = orders.date.cast("date") <= ref
    if checks:
        keep = keep | orders.date.isnull()
    upto = orders.filter(keep)
    if refs is not None:
        start = upto.start
    day = upto.date.cast("date")
    metrics = _year_metrics(upto)
    metrics |= {
        "first_order": metrics["first_order"].cast("timestamp"),
        "last_order": metrics["last_order"].cast("timestamp"),
        "window_part": upto.revenue.sum(where=day > start),
    }
    if checks:
        metrics["lines_with_revenue"] = upto.revenue.count()
    yearly = upto.group_by(["customer_id", upto.date.year().name("year")]).aggregate(**metrics)
    table = yearly.mutate(revenue_12m=to_the_millionth(yearly.window_part.sum().over(group_by=yearly.customer_id)))
    table = table.drop("window_part")
    if activities is not None:
        contacts = contact_facts(activities, reference_date, refs)
        table = table.left_join(contacts.select("customer_id", "last_field_visit", "visits_12m"), "customer_id")
        table = table.drop("customer_id_right")
        table = table.mutate(visits_12m=table.visits_12m.fill_null(0))
    return table.order_by(["customer_id", "year"])
