"""Where the data lives: a company's database or a Spark cluster, through Ibis.

With ``data.database`` set, the tables the params name (``data.orders`` and
so on) are tables in that database, and the aggregation from invoice lines to
customers runs there: the column mapping is a select/rename/cast in the
engine, and only customer-level rows come back to Python.

``data.database`` is an Ibis connection URL without a password:

* ``postgres://USER@HOST:PORT/DATABASE`` (or ``postgresql://``), optionally
  with a schema: ``postgres://USER@HOST:5432/DATABASE/SCHEMA``;
* ``spark://HOST:7077`` for a Spark standalone master, ``spark://local`` for
  Spark on this machine, ``pyspark://`` for the Spark session of the
  environment (``spark-submit``, ``spark-defaults.conf``); query parameters
  are Spark settings (``spark://HOST:7077?spark.executor.memory=8g``);
* any other URL ``ibis.connect`` understands (``duckdb:///path/to/file.db``).

The password comes only from the environment variable
``SMARTACCT_DB_PASSWORD``. A URL that carries one is refused, and every error
raised here has the password removed from its text. Connecting is in
:mod:`~smartacct_helpers.intake.connection`; this module maps the tables.

Examples
--------
>>> describe_url("postgres://anna@db.example.com:5432/erp")
'postgres://anna@db.example.com:5432/erp'
>>> scrub("could not connect: password s3cret rejected", "s3cret")
'could not connect: password *** rejected'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis

from ..exceptions import InputDataError, ParamsError, Problem
from ..params import Params
from .connection import (  # noqa: F401 (the connection's public names are re-exported here)
    PASSWORD_VARIABLE,
    connect,
    describe_url,
    engine_name,
    first_lines,
    password_from_env,
    scrub,
)
from .conventions import LOWER_CASE, WORDS
from .schema import (
    HALF_CENT,
    LINE_ATTRIBUTES,
    MONEY,
    NUMBERS,
    SCORES,
    YES_NO,
    match_columns,
)

if TYPE_CHECKING:
    import pandas as pd

TABLES = ("orders", "customers", "activities", "market", "assessments")


# --- the tables in the engine ------------------------------------------------------------


def driver_errors() -> tuple[type[Exception], ...]:
    """The errors the database engines raise for a table they cannot find or read.

    Ibis's (``TableNotFound`` among them), DuckDB's, SQLite's, and those of
    the drivers that are installed (psycopg, SQLAlchemy, PySpark, Py4J), with
    ``OSError``, ``ValueError``, ``LookupError`` and ``ImportError`` (a driver
    missing). Each becomes a params error naming the table.

    >>> ValueError in driver_errors()
    True
    """
    import importlib
    import sqlite3

    from ibis.common.exceptions import IbisError, TableNotFound

    errors = [IbisError, TableNotFound, sqlite3.Error, OSError, ValueError, LookupError, ImportError]
    for module, name in (
        ("duckdb", "Error"),
        ("psycopg", "Error"),
        ("psycopg2", "Error"),
        ("sqlalchemy.exc", "SQLAlchemyError"),
        ("pyspark.errors", "PySparkException"),
        ("py4j.protocol", "Py4JError"),
    ):
        try:
            errors.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):  # a driver that is not installed raises none of its errors
            continue
    return tuple(errors)


def _table_ref(con, name: str):
    """``con.table`` for ``table`` or ``schema.table`` (``catalog.schema.table`` on Spark)."""
    if "." in name:
        *database, table = name.split(".")
        return con.table(table, database=tuple(database) if len(database) > 1 else database[0])
    return con.table(name)


def _trim(column, engine: str):
    """Leading and trailing white space removed, the same on every engine.

    ``TRIM`` of the white space characters, except on Spark: Ibis writes
    them there as an escaped list that Spark reads as the letters ``f`` and
    ``v`` too (``field`` would lose its ``f``), so Spark replaces a regular
    expression, which PostgreSQL runs about 1.7 s slower per 10 million
    lines than ``TRIM``.
    """
    if engine == "pyspark":
        return column.re_replace(r"^\s+|\s+$", "")
    return column.strip()


def _without_nan(column):
    """A float column with NaN as missing, as the files have it: a NaN margin is a line without one.

    PostgreSQL's ``double precision`` and Spark's ``double`` hold NaN, which
    a sum would otherwise carry into every total it touches.
    """
    return ibis.ifelse(column.isnan(), ibis.null("float64"), column)


def _lookup(column, words: dict[str, str], engine: str):
    """The column lower-cased with the export's words mapped to the method's (``Besuch`` -> ``visit``)."""
    low = _trim(column, engine).lower()
    return low.cases(*words.items(), else_=low)


def _ids_as_text(column, engine: str):
    """Customer ids as text, trimmed, blank as missing; whole numbers stored as floats without their ``.0``."""
    kind = column.type()
    if kind.is_floating() or kind.is_decimal():
        if kind.is_floating():
            column = _without_nan(column)  # a NaN id is no id (and no whole number to cast)
        whole = column == column.floor()
        text = ibis.ifelse(whole, column.cast("int64").cast("string"), column.cast("string"))
    else:
        text = column.cast("string")
    return _trim(text, engine).nullif("")


def cents(amount):
    """An Ibis amount rounded to the cent, half a cent away from zero, as :func:`~.intake.convert.cents` rounds a frame.

    The same IEEE operations on every engine (no engine's own rounding
    rule), so DuckDB, PostgreSQL and pandas give the same cents.

    >>> import pandas as pd
    >>> t = ibis.memtable(pd.DataFrame({"amount": [1.005, -1.005, 0.125, -0.001]}))
    >>> t.select(c=cents(t.amount)).to_pyarrow()["c"].to_pylist()
    [1.01, -1.01, 0.13, 0.0]
    """
    hundredths = (amount.abs() * 100 + HALF_CENT).floor()
    return (ibis.ifelse(amount < 0, -hundredths, hundredths) / 100).cast("float64")


def map_table(source, table: str, mapping: dict[str, str], name: str, engine: str = "duckdb"):
    """The canonical columns of ``table`` from a source table: select, rename and cast in the engine.

    Columns are found under the name ``mapping`` gives them or under their
    canonical name in any case; extra columns are left in the database.
    Customer ids are text, trimmed, a blank one missing, and a whole
    number stored as a float has no ``.0``. Invoice lines without a revenue
    column take it from ``quantity x unit_price``, to the cent; customer
    attributes mapped on them come along (see :func:`open_source`).

    Raises
    ------
    InputDataError
        A mapped or required column is missing (naming the table and its columns).
    """
    problems: list[Problem] = []
    found = match_columns(list(source.columns), table, mapping, name, problems, where="table")
    if problems:
        raise InputDataError(problems)
    out = {}
    for canonical, column in found.items():
        col = source[column]
        if canonical == "customer_id":
            value = _ids_as_text(col, engine)
        elif table == "market" and canonical == "segment":
            value = _trim(col.cast("string"), engine)
        elif canonical == "date":
            value = col.cast("date").cast("timestamp")
        elif canonical in ("employees",) or canonical in SCORES:
            value = col.cast("int64")
        elif canonical in NUMBERS or canonical in MONEY:
            value = _without_nan(col.cast("float64"))
        elif canonical in YES_NO:
            value = col.cast("boolean")
        elif canonical in WORDS:
            value = _lookup(col.cast("string"), WORDS[canonical], engine)
        elif canonical in LOWER_CASE:
            value = _trim(col.cast("string"), engine).lower()
        else:
            value = col.cast("string")
        out[canonical] = value
    mapped = source.select(**out)
    if table == "orders" and "revenue" not in mapped.columns:  # priced lines (match_columns checked both)
        mapped = mapped.mutate(revenue=cents(mapped.quantity * mapped.unit_price))
    if table == "orders" and "contribution_margin" not in mapped.columns and "cost" in mapped.columns:
        mapped = mapped.mutate(contribution_margin=mapped.revenue - mapped.cost)
    if "cost" in mapped.columns:
        mapped = mapped.drop("cost")
    return mapped


def latest_values_of(lines, attributes: list[str]):
    """Each customer's latest value of each attribute on its invoice lines, in the engine (one row per customer).

    The rule of :func:`smartacct_helpers.intake.tables.latest_values`: the value of
    the latest line that has one; lines of that day that disagree give the
    greatest value (true over false).
    """
    result = lines.select("customer_id").distinct()
    for column in attributes:
        given = lines.filter(lines[column].notnull())
        latest = given.mutate(_latest=given.date.max().over(group_by=given.customer_id))
        latest = latest.filter(latest.date == latest._latest)
        value = latest[column]
        pick = value.any() if value.type().is_boolean() else value.max()
        values = latest.group_by("customer_id").aggregate(**{column: pick})
        result = result.left_join(values, "customer_id").drop("customer_id_right")
    return result


def _with_line_values(customers, values, attributes: list[str]):
    """The customer master with the attributes from the lines: the master's value where it has one."""
    joined = customers.left_join(values.rename(**{f"_line_{c}": c for c in attributes}), "customer_id")
    joined = joined.drop("customer_id_right")
    filled = {}
    for column in attributes:
        line = joined[f"_line_{column}"]
        filled[column] = (
            joined[column].coalesce(line.cast(joined[column].type())) if column in customers.columns else line
        )
    return joined.mutate(**filled).drop(*[f"_line_{c}" for c in attributes])


@dataclass
class EngineSource:
    """The canonical tables of one client as Ibis tables in the engine that holds them.

    ``orders`` are the invoice lines with a customer id; ``lines`` all of
    them, those without one too (``data.missing_customer_id: exclude``
    leaves those out of every customer figure and counts them). ``kept``:
    the order totals of all lines, once
    :func:`~smartacct_helpers.facts.database_totals.kept_order_totals_of` has
    kept them in the engine.
    """

    connection: object
    orders: object
    customers: object
    activities: object | None
    market: object | None
    assessments: object | None
    names: dict[str, str]
    customers_from_orders: bool
    engine: str
    lines: object = None
    kept: object = None

    def __post_init__(self):
        if self.lines is None:
            self.lines = self.orders


def open_source(params: Params) -> EngineSource:
    """Connect to ``data.database`` and map the tables the params name (nothing is read yet).

    Customer attributes mapped on the invoice lines become the customers'
    (:func:`latest_values_of`): the customers are then the distinct ids of
    the lines with their latest values, or the customer master with the
    lines' values where it has none.

    Raises
    ------
    ParamsError
        The database cannot be reached or a named table does not exist.
    InputDataError
        A table lacks a required column or a mapped one; with
        ``data.missing_customer_id: refuse``, invoice lines without a
        customer id.
    """
    con = connect(params)
    engine = engine_name(params.data.database)
    tables: dict[str, object | None] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for table in TABLES:
        name = getattr(params.data, table)
        if name is None:
            tables[table] = None
            continue
        names[table] = name
        failure = None
        try:
            source = _table_ref(con, name)
        except driver_errors() as exc:  # the engines raise their own "not found" errors
            failure = scrub(f"{type(exc).__name__}: {exc}")
        if failure is not None:
            raise ParamsError(
                f"data.{table}: table {name!r} cannot be read from {describe_url(params.data.database)}"
                f": {first_lines(failure, 2)}",
                params.source_file,
            )
        try:
            tables[table] = map_table(source, table, getattr(params.data.columns, table), name, engine)
        except InputDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputDataError(problems)
    lines = tables["orders"]
    attributes = [c for c in LINE_ATTRIBUTES if c in lines.columns]
    if attributes:
        lines = lines.drop(*attributes)
    orders = lines.filter(lines.customer_id.notnull())
    if params.data.missing_customer_id == "refuse":
        _refuse_missing_ids(lines, names["orders"], params.data.columns.orders.get("customer_id", "customer_id"))
    customers = tables["customers"]
    from_orders = customers is None
    if from_orders:
        customers = orders.select("customer_id").distinct()
    if attributes:
        with_ids = tables["orders"].filter(tables["orders"].customer_id.notnull())
        values = latest_values_of(with_ids, attributes)
        customers = values if from_orders else _with_line_values(customers, values, attributes)
    return EngineSource(
        con,
        orders,
        customers,
        tables["activities"],
        tables["market"],
        tables["assessments"],
        names,
        from_orders,
        engine,
        lines,
    )


def _refuse_missing_ids(lines, table: str, column: str) -> None:
    """Invoice lines without a customer id, with ``data.missing_customer_id: refuse``: an error naming a few."""
    missing = lines.filter(lines.customer_id.isnull())
    count = int(missing.count().to_pyarrow().as_py())
    if not count:
        return
    keys = [c for c in ("order_id", "date") if c in missing.columns]
    first = missing.select(*keys).order_by(keys).limit(5).to_pyarrow()
    examples = []
    for row in first.to_pylist():
        parts = [
            f"order {row['order_id']}" if row.get("order_id") is not None else None,
            f"of {row['date']:%Y-%m-%d}" if row.get("date") is not None else None,
        ]
        examples.append(" ".join(p for p in parts if p))
    raise InputDataError(
        [
            Problem(
                table,
                f"{count:,} invoice lines have no customer id (for example "
                f"{'; '.join(e for e in examples if e) or 'their first lines'}); fill it "
                "in, or set data.missing_customer_id: exclude to leave such lines out "
                "and count them",
                column=column,
            )
        ]
    )


# --- the pandas view for the analyses that need orders ---------------------------------------


def _to_pandas(table) -> pd.DataFrame:
    import pandas as pd

    df = table.to_pandas()
    if "date" in df.columns:
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    for c in ("employees", *sorted(SCORES)):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    for c in sorted(YES_NO):
        if c in df.columns:
            df[c] = df[c].astype("boolean")
    for c in ("customer_id", "order_id"):
        if c in df.columns:
            df[c] = df[c].astype(object)
    return df


def small_table(table) -> pd.DataFrame | None:
    """A customer-level table read whole into pandas (None stays None)."""
    return None if table is None else _to_pandas(table)
