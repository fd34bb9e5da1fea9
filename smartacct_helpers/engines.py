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
raised here has the password removed from its text.

Examples
--------
>>> describe_url("postgres://anna@db.example.com:5432/erp")
'postgres://anna@db.example.com:5432/erp'
>>> scrub("could not connect: password s3cret rejected", "s3cret")
'could not connect: password *** rejected'
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import ibis

from .columns import (
    ABSURD_AMOUNT,
    ACTIVITY_TYPES,
    AMBIGUOUS_NUMBER,
    COMPETITOR_LEVELS,
    CURRENCY_MARKS,
    ENGLISH_NUMBER,
    GERMAN_NUMBER,
    LINE_ATTRIBUTES,
    MONEY,
    NUMBER_ID,
    NUMBERS,
    SCHEMA,
    SCORES,
    SLASH_DATE,
    TEAMS,
    LazyTables,
    detect_delimiter,
    detect_encoding,
    match_columns,
)
from .exceptions import InputDataError, ParamsError, Problem
from .facts import (
    arrow_table,
    as_date,
    cents,
    checked_yearly_facts,
    kept_order_totals,
    money_sum,
    order_totals,
    yearly_facts,
)
from .params import Params

if TYPE_CHECKING:
    import pandas as pd

PASSWORD_VARIABLE = "SMARTACCT_DB_PASSWORD"
TABLES = ("orders", "customers", "activities", "market", "assessments")


def password_from_env() -> str | None:
    """The database password from ``SMARTACCT_DB_PASSWORD`` (None when unset or empty)."""
    return os.environ.get(PASSWORD_VARIABLE) or None


def scrub(text: str, password: str | None = None) -> str:
    """``text`` with the password (also URL-quoted) replaced by ``***``.

    >>> scrub("postgres://a:p%40ss@h/db failed", "p@ss")
    'postgres://a:***@h/db failed'
    """
    password = password_from_env() if password is None else password
    if not password:
        return text
    from urllib.parse import quote, quote_plus

    for form in {password, quote(password, safe=""), quote_plus(password)}:
        text = text.replace(form, "***")
    return text


def describe_url(url: str) -> str:
    """The connection URL as it may be shown: scheme, user, host, port and path, never a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return urlunsplit((parts.scheme, f"{user}{host}", parts.path, "", ""))


def _engine_name(url: str) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("postgres", "postgresql"):
        return "postgres"
    if scheme in ("spark", "pyspark"):
        return "pyspark"
    return scheme


def connect(params: Params):
    """An Ibis connection to ``data.database``, with the password from the environment.

    Raises
    ------
    ParamsError
        The URL holds a password, names an engine Ibis does not know, or the
        database cannot be reached (the message names ``data.database``, the
        host and port, and the reason with the password removed).
    """
    url = params.data.database
    parts = urlsplit(url)
    where = params.source_file
    if not parts.scheme:
        raise ParamsError(f"data.database: expected a connection URL like postgres://USER@HOST:5432/DATABASE, "
                          f"got {describe_url(url)!r}", where)
    if parts.password:
        raise ParamsError("data.database: the URL holds a password; remove it from the params file and set the "
                          f"environment variable {PASSWORD_VARIABLE} instead", where)
    password = password_from_env()
    shown = describe_url(url)
    failure = None
    try:
        if _engine_name(url) == "pyspark":
            return _connect_spark(url)
        kwargs = {"password": password} if password and _engine_name(url) == "postgres" else {}
        return ibis.connect(url, **kwargs)
    except Exception as exc:  # every driver has its own errors; none may carry the password out
        failure = f"{type(exc).__name__}: {scrub(str(exc), password)}".strip()
    # raised outside the except block, so the driver's exception is not chained to it
    hint = "" if password or _engine_name(url) != "postgres" else f" ({PASSWORD_VARIABLE} is not set)"
    raise ParamsError(f"data.database: cannot connect to {shown}: {_first_lines(failure)}{hint}", where)


def _first_lines(text: str, n: int = 3) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:n])


def _connect_spark(url: str):
    """A PySpark session through Ibis: ``spark://HOST:PORT`` (a master), ``spark://local`` or ``pyspark://``."""
    from pyspark.sql import SparkSession

    parts = urlsplit(url)
    builder = SparkSession.builder.appName("smartacct")
    for key, value in parse_qsl(parts.query):
        builder = builder.config(key, value)
    if parts.scheme.lower() == "spark":
        if parts.hostname in (None, "", "local", "localhost") and not parts.port:
            builder = builder.master("local[*]")
        else:
            builder = builder.master(urlunsplit(("spark", parts.netloc, "", "", "")))
    return ibis.pyspark.connect(builder.getOrCreate())


# --- the tables in the engine ------------------------------------------------------------


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
        elif canonical == "procurement_power":
            value = col.cast("boolean")
        elif canonical == "type":
            value = _lookup(col.cast("string"), ACTIVITY_TYPES, engine)
        elif canonical == "team":
            value = _lookup(col.cast("string"), TEAMS, engine)
        elif canonical == "competitor_activity":
            value = _lookup(col.cast("string"), COMPETITOR_LEVELS, engine)
        elif canonical in ("channel", "main_channel"):
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

    The rule of :func:`smartacct_helpers.intake.latest_values`: the value of
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
        filled[column] = joined[column].coalesce(line.cast(joined[column].type())) if column in customers.columns \
            else line
    return joined.mutate(**filled).drop(*[f"_line_{c}" for c in attributes])


@dataclass
class EngineSource:
    """The canonical tables of one client as Ibis tables in the engine that holds them.

    ``orders`` are the invoice lines with a customer id; ``lines`` all of
    them, those without one too (``data.missing_customer_id: exclude``
    leaves those out of every customer figure and counts them). ``kept``:
    the order totals of all lines, once :func:`kept_order_totals_of` has
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

    def unattributed(self):
        """The invoice lines without a customer id summed per day, as a DataFrame (``date``, ``lines``, ``revenue``).

        From the order totals where the engine keeps them (their rows
        without a customer id), else from the lines.
        """
        from .facts import frame, line_count

        t = self.kept if self.kept is not None else self.lines
        t = t.filter(t.customer_id.isnull())
        day = t.date.cast("date").cast("timestamp").name("date")
        df = frame(t.group_by(day).aggregate(lines=line_count(t), revenue=money_sum(t.revenue)).order_by("date"))
        df["lines"] = df["lines"].astype("int64")
        return df.reset_index(drop=True)


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
    engine = _engine_name(params.data.database)
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
        except Exception as exc:  # the engines raise their own "not found" errors
            failure = scrub(f"{type(exc).__name__}: {exc}")
        if failure is not None:
            raise ParamsError(f"data.{table}: table {name!r} cannot be read from {describe_url(params.data.database)}"
                              f": {_first_lines(failure, 2)}", params.source_file)
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
    return EngineSource(con, orders, customers, tables["activities"], tables["market"],
                        tables["assessments"], names, from_orders, engine, lines)


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
        parts = [f"order {row['order_id']}" if row.get("order_id") is not None else None,
                 f"of {row['date']:%Y-%m-%d}" if row.get("date") is not None else None]
        examples.append(" ".join(p for p in parts if p))
    raise InputDataError([Problem(table, f"{count:,} invoice lines have no customer id (for example "
                                         f"{'; '.join(e for e in examples if e) or 'their first lines'}); fill it "
                                         "in, or set data.missing_customer_id: exclude to leave such lines out "
                                         "and count them", column=column)])


def kept_order_totals_of(source: EngineSource):
    """The invoice lines of ``source`` summed to their order totals and kept in the database for the session.

    Ibis' ``cache``: a temporary table on PostgreSQL, a cached frame on
    Spark. PostgreSQL then gathers the table's statistics (``ANALYZE``,
    about 0.3 s at 10 million lines), without which its planner guesses the
    size of every grouping of the totals: the key figures take about a
    tenth less time with them.

    Every line is summed, those without a customer id too (their totals
    have no customer id): the table is kept as ``source.kept``, from which
    :meth:`EngineSource.unattributed` counts them without reading the lines
    again. Returned are the totals with a customer id, what the analyses
    read.
    """
    totals = order_totals(source.lines).cache()
    if source.engine == "postgres":
        source.connection.raw_sql(f'ANALYZE "{totals.get_name()}"').close()
    source.kept = totals
    return totals.filter(totals.customer_id.notnull())


# --- the pandas view for the analyses that need orders ---------------------------------------


def _to_pandas(table) -> pd.DataFrame:
    import pandas as pd

    df = table.to_pandas()
    if "date" in df.columns:
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    for c in ("employees", "partner_willingness", "transparency", "growth_potential"):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    if "procurement_power" in df.columns:
        df["procurement_power"] = df["procurement_power"].astype("boolean")
    for c in ("customer_id", "order_id"):
        if c in df.columns:
            df[c] = df[c].astype(object)
    return df


class EngineTables(LazyTables):
    """:class:`~smartacct_helpers.intake.Tables` for data in a database.

    ``customers``, ``market`` and ``assessments`` are read whole (one row per
    customer, segment or assessment). ``orders`` and ``activities`` stay in
    the engine until an analysis asks for them; then ``orders`` comes back as
    one row per order (see :func:`smartacct_helpers.facts.order_totals`),
    never as invoice lines, and ``activities`` as they are. ``unattributed``
    (the lines without a customer id, per day) is counted on first use
    (:meth:`EngineSource.unattributed`), or given.
    """

    def __init__(self, source: EngineSource, customers: pd.DataFrame, market, assessments, files, aliases=None,
                 unattributed=None):
        self.source = source
        self.aliases = aliases
        super().__init__(customers=customers, market=market, assessments=assessments, files=files,
                         customers_from_orders=source.customers_from_orders, warnings=[], unattributed=unattributed)

    def _alias(self, df: pd.DataFrame) -> pd.DataFrame:
        if self.aliases is not None and "customer_id" in df:
            df["customer_id"] = df["customer_id"].map(self.aliases).astype(object)
        return df

    def _read(self, table: str) -> pd.DataFrame | None:
        if table == "orders":
            df = self._alias(_to_pandas(order_totals(self.source.orders)))
            return df.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)
        if table == "unattributed":
            return self.source.unattributed()
        return None if self.source.activities is None else self._alias(_to_pandas(self.source.activities))


def small_table(table) -> pd.DataFrame | None:
    """A customer-level table read whole into pandas (None stays None)."""
    return None if table is None else _to_pandas(table)


# --- files read by DuckDB itself (``smartacct facts``) ---------------------------------------

_SAMPLE_BYTES = 1 << 18  # the styles of an export show in its first lines; a surprise later sends the file to the full reader


def _csv_sample(path, options) -> tuple[dict[str, list[str]], str, str] | None:
    """The first 256 KB of a CSV file as text per column, with its delimiter and encoding (None: not simple).

    Read with the standard library, so that the facts of a file need no
    pandas; a header that names a column twice is left to the full reader.
    """
    import csv
    import io

    with open(path, "rb") as fh:
        raw = fh.read(_SAMPLE_BYTES)
    if not raw.strip():
        return None
    complete = raw if len(raw) < _SAMPLE_BYTES else raw[: raw.rfind(b"\n") + 1]
    encoding = detect_encoding(complete) if options.encoding == "auto" else options.encoding.lower()
    encoding = {"utf-8-sig": "utf-8", "utf8": "utf-8", "cp1252": "latin-1", "windows-1252": "latin-1",
                "iso-8859-1": "latin-1", "latin1": "latin-1"}.get(encoding, encoding)
    if encoding not in ("utf-8", "latin-1"):
        return None
    text = complete.decode(encoding).lstrip("\ufeff")
    header = text.split("\n", 1)[0].rstrip("\r")
    delimiter = detect_delimiter(header) if options.delimiter == "auto" else options.delimiter.replace("\\t", "\t")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"') if row]
    if not rows:
        return None
    names = [name.strip() for name in rows[0]]
    if len(set(names)) < len(names):
        return None
    columns: dict[str, list[str]] = {name: [] for name in names}
    for row in rows[1:]:
        for name, value in zip(names, row + [""] * (len(names) - len(row))):
            columns[name].append(value)
    return columns, delimiter, encoding


def _number_styles(values: list[str]) -> tuple[int, int]:
    """How many values of a sample can only be German-style numbers, and how many only English-style.

    The sample's counterpart of :func:`smartacct_helpers.intake.decimal_evidence`.

    >>> _number_styles(["1.234,56", "12,5", "1,234", "7", ""])
    (2, 0)
    """
    german = english = 0
    for value in values:
        value = CURRENCY_MARKS.sub("", value)
        if AMBIGUOUS_NUMBER.fullmatch(value):
            continue
        german += bool(GERMAN_NUMBER.fullmatch(value))
        english += bool(ENGLISH_NUMBER.fullmatch(value))
    return german, english


def _slash_date_order(values: list[str]) -> str | None:
    """``"%d/%m/%Y"`` or ``"%m/%d/%Y"`` for a sample of slash dates, or None when no value decides.

    >>> _slash_date_order(["03/04/2025", "13/04/2025"]), _slash_date_order(["03/04/2025"])
    ('%d/%m/%Y', None)
    """
    parts = [(int(m.group(1)), int(m.group(2))) for v in values if (m := re.match(SLASH_DATE, v))]
    if any(first > 12 for first, _ in parts):
        return "%d/%m/%Y"
    if any(second > 12 for _, second in parts):
        return "%m/%d/%Y"
    return None


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return '"' + str(value).replace('"', '""') + '"'


_DATE_FORMATS = {
    "iso": r"^\d{4}-\d{2}-\d{2}$",
    "iso_time": r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$",
    "german": r"^\d{1,2}\.\d{1,2}\.\d{4}$",
}
_TEXT_LOOKUPS = {"type": ACTIVITY_TYPES, "team": TEAMS, "competitor_activity": COMPETITOR_LEVELS}


def _all_match(pattern: str, values: list[str]) -> bool:
    compiled = re.compile(pattern)
    return all(compiled.fullmatch(v) for v in values)


def _lookup_sql(value: str, words: dict[str, str]) -> str:
    low = f"lower(trim({value}))"
    cases = " ".join(f"WHEN {_sql_string(k)} THEN {_sql_string(v)}" for k, v in words.items())
    return f"CASE {low} {cases} ELSE {low} END"


def _csv_sql(path, params: Params, table: str, only: list[str] | None = None) -> str | None:
    """A DuckDB ``SELECT`` over ``read_csv`` that yields a canonical table, or None when the file is not simple.

    Simple means: the sample shows one date style DuckDB reads with one
    format, and numbers without thousands separators or currency signs.
    Anything else goes through the full reader, which handles every style.
    Customer ids are taken as they are; the caller checks the result for
    empty ids and surrounding blanks.
    """
    options = params.data.csv
    sample = _csv_sample(path, options)
    if sample is None:
        return None
    frame, delimiter, encoding = sample
    if not any(frame.values()):
        return None
    columns = _file_columns(list(frame), table, getattr(params.data.columns, table))
    if columns is None:
        return None
    if only is not None:
        columns = {c: v for c, v in columns.items() if c in only}
    de = en = 0
    for canonical, column in columns.items():
        if canonical in NUMBERS:
            d, e = _number_styles(frame[column])
            de, en = de + d, en + e
    if options.decimal != "auto":
        decimal = options.decimal
    elif de and en:
        return None
    elif de or en:
        decimal = "," if de > en else "."
    else:
        decimal = "," if delimiter == ";" else "."
    types = {}
    selects = []
    for canonical, column in columns.items():
        name = _sql_name(column)
        types[column] = "VARCHAR"
        if canonical == "date":
            values = [v.strip() for v in frame[column] if v.strip()]
            if options.date_format != "auto":
                fmt = options.date_format
            elif _all_match(_DATE_FORMATS["iso"], values):
                fmt = "%Y-%m-%d"
            elif _all_match(_DATE_FORMATS["iso_time"], values):
                fmt = None  # DuckDB casts ISO timestamps directly
            elif _all_match(_DATE_FORMATS["german"], values):
                fmt = "%d.%m.%Y"
            elif _all_match(r"\d{1,2}/\d{1,2}/\d{4}", values) and (order := _slash_date_order(values)) is not None:
                fmt = order
            else:
                return None
            if fmt == "%Y-%m-%d":
                types[column] = "DATE"
                value = name
            elif fmt is None:
                value = f"CAST(trim({name}) AS DATE)"
            else:
                value = f"CAST(strptime(trim({name}), {_sql_string(fmt)}) AS DATE)"
        elif canonical in NUMBERS:
            text = [v.strip() for v in frame[column] if v.strip()]
            if not _all_match(r"^[+-]?\d+([.,]\d+)?$", text):
                return None  # thousands separators, currency signs or junk: the full reader decides
            types[column] = "DOUBLE"
            value = name
        elif canonical in _TEXT_LOOKUPS:
            value = _lookup_sql(name, _TEXT_LOOKUPS[canonical])
        elif canonical in ("channel", "main_channel"):
            value = f"lower(nullif(trim({name}), ''))"
        else:
            value = name
        selects.append(f"{value} AS {canonical}")
    if table == "orders" and "contribution_margin" not in columns and "cost" in columns:
        selects.append("revenue - cost AS contribution_margin")
    type_map = "{" + ", ".join(f"{_sql_string(c)}: {_sql_string(t)}" for c, t in types.items()) + "}"
    reader = (f"read_csv({_sql_string(str(path))}, header = true, delim = {_sql_string(delimiter)}, "
              f"quote = '\"', decimal_separator = {_sql_string(decimal)}, encoding = {_sql_string(encoding)}, "
              f"types = {type_map}, auto_detect = true)")
    return f"SELECT {', '.join(selects)} FROM {reader}"


def _file_columns(file_columns: list[str], table: str, mapping: dict[str, str]) -> dict[str, str] | None:
    """canonical -> file column as the full reader maps them; None when a column is missing (the reader explains)."""
    required, optional = SCHEMA[table]
    known = set(required) | set(optional) | (set(LINE_ATTRIBUTES) if table == "orders" else set())
    by_lower = {c.lower(): c for c in file_columns}
    found = {}
    for canonical, column in mapping.items():
        if canonical not in known or column.lower() not in by_lower:
            return None
        found[canonical] = by_lower[column.lower()]
    for canonical in required + optional:
        if canonical not in found and canonical not in mapping and canonical in by_lower:
            found[canonical] = by_lower[canonical]
    if any(c not in found for c in required):
        return None
    return found


def _parquet_sql(path, params: Params, table: str, only: list[str] | None = None) -> str | None:
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    columns = _file_columns(list(schema.names), table, getattr(params.data.columns, table))
    if columns is None:
        return None
    if only is not None:
        columns = {c: v for c, v in columns.items() if c in only}
    selects = []
    for canonical, column in columns.items():
        name = _sql_name(column)
        kind = str(schema.field(column).type)
        text = kind.startswith(("string", "large_string"))
        if canonical == "customer_id":
            if not text:
                return None  # numbers as ids: the full reader writes them without a trailing .0
            value = name
        elif canonical == "date":
            if kind.startswith("date"):
                value = name
            elif kind.startswith("timestamp") and "tz" not in kind:
                value = f"CAST({name} AS DATE)"
            else:
                return None  # dates as text or with a time zone: the full reader decides
        elif canonical in NUMBERS:
            if not kind.startswith(("double", "float", "int", "uint", "decimal")):
                return None
            value = f"CAST({name} AS DOUBLE)"
        elif canonical in _TEXT_LOOKUPS:
            value = _lookup_sql(f"CAST({name} AS VARCHAR)", _TEXT_LOOKUPS[canonical])
        elif canonical in ("channel", "main_channel"):
            value = f"lower(nullif(trim(CAST({name} AS VARCHAR)), ''))"
        else:
            value = f"CAST({name} AS VARCHAR)"
        selects.append(f"{value} AS {canonical}")
    if table == "orders" and "contribution_margin" not in columns and "cost" in columns:
        selects.append("revenue - cost AS contribution_margin")
    return f"SELECT {', '.join(selects)} FROM read_parquet({_sql_string(str(path))})"


def file_table(con, params: Params, table: str = "orders", only: list[str] | None = None):
    """A table's file as an Ibis table that DuckDB reads itself, or None when the full reader is needed.

    Parquet files with typed columns and CSV files with one plain number and
    date style are read by DuckDB directly (no pandas copy of the rows);
    Excel files and CSV files with thousands separators, currency signs or
    mixed styles return None. ``only`` limits the canonical columns read.
    Customer ids are taken as they are: the caller checks for empty ids and
    surrounding blanks, which the full reader would remove. Dates are dates
    (the day, as the full reader keeps them), not timestamps.
    """
    name = getattr(params.data, table)
    path = params.path(name)
    if path is None or not path.is_file():
        return None
    if table == "orders" and only is None and set(params.data.columns.orders) & set(LINE_ATTRIBUTES):
        return None  # customer attributes on the lines: the full reader gives each customer its latest values
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            sql = _parquet_sql(path, params, table, only)
        elif suffix in (".csv", ".txt", ".tsv"):
            sql = _csv_sql(path, params, table, only)
        else:
            return None
    except Exception:  # an unreadable file: the full reader names the problem
        return None
    return None if sql is None else con.sql(sql)


def file_orders(con, params: Params):
    """The orders file read by DuckDB itself (see :func:`file_table`)."""
    return file_table(con, params, "orders")


def first_pass(con, orders) -> tuple:
    """One pass over the dates of the invoice lines: ``(last order date, lines without a date)``."""
    row = arrow_table(con, orders.aggregate(last=orders.date.max(), undated=orders.date.isnull().sum())).to_pylist()[0]
    last = None if row["last"] is None else as_date(row["last"])
    return last, int(row["undated"] or 0)


def blank_ids(ids) -> bool:
    """Whether any id (a pyarrow array) is one the full reader would change or leave out.

    Missing, empty, with blanks around it, or a whole number written as a
    float (``17850.0``, which the full reader takes as ``17850``).
    """
    import pyarrow.compute as pc

    if ids.null_count:
        return True
    trimmed = pc.utf8_trim_whitespace(ids)
    if bool(pc.any(pc.not_equal(trimmed, ids)).as_py()):
        return True
    if len(ids) > 0 and pc.min(pc.utf8_length(trimmed)).as_py() == 0:  # no Python values: pandas stays unimported
        return True
    return bool(pc.any(pc.match_substring_regex(ids, NUMBER_ID)).as_py())


def _in_duckdb(con, params: Params, table: str):
    """A table's file for DuckDB: a Parquet file stays a view on the file, a CSV file is parsed once into memory."""
    t = file_table(con, params, table)
    if t is not None and params.path(getattr(params.data, table)).suffix.lower() not in (".parquet", ".pq"):
        t = con.create_table(f"{table}_rows", t, temp=True)
    return t


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
    :func:`~smartacct_helpers.facts.order_totals`. The checks of the lines
    (lines without revenue, amounts of
    :data:`~smartacct_helpers.columns.ABSURD_AMOUNT` or more) ride in the
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
    except Exception:  # a value DuckDB cannot convert: the full reader names it
        return None


def _lines_fail_checks(con, lines, money: list[str]) -> bool:
    """Whether any invoice line lacks a revenue or has an amount of 1e12 or more (either sign).

    Asked as counts, minima and maxima, which DuckDB takes from a Parquet
    file's statistics without reading its rows.
    """
    extremes = {f"{side}_{c}": getattr(lines[c], side)() for c in money for side in ("min", "max")}
    row = arrow_table(con, lines.aggregate(lines=lines.count(), with_revenue=lines.revenue.count(),
                                           **extremes)).to_pylist()[0]
    if row["lines"] != row["with_revenue"]:
        return True
    return any(v is not None and abs(v) >= ABSURD_AMOUNT for k, v in row.items() if k.startswith(("min_", "max_")))


def checked_file_orders(con, params: Params, totals, customers):
    """The order totals of the orders file (:func:`file_order_totals`), checked as the full reader checks the lines.

    For :meth:`Workbook.from_files <smartacct_helpers.workbook.Workbook.from_files>`:
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
        (:func:`smartacct_helpers.facts.yearly_facts`, ordered by customer
        and year).
    """
    import datetime as dt

    import pyarrow.compute as pc

    from .columns import CHANNELS

    if totals is None:
        return None
    try:
        checks = "implausible" in totals.columns  # else checked on the lines (file_order_totals)
        yearly = checked_yearly_facts(totals) if checks else yearly_facts(totals)
        yearly = arrow_table(con, yearly.order_by(["customer_id", "year"]))  # DuckDB sorts ids by bytes, as pandas
        if not yearly.num_rows or yearly.column("year").null_count:
            return None  # no lines, or lines without a date
        if checks and (pc.sum(yearly.column("without_revenue")).as_py() or pc.sum(yearly.column("implausible")).as_py()):
            return None
        for money in ("revenue", "contribution_margin"):  # NaN amounts, which the full reader takes as missing
            if money in yearly.column_names and pc.any(pc.is_nan(yearly.column(money))).as_py():
                return None
        if "contribution_margin" in yearly.column_names and yearly.column("contribution_margin").null_count == len(yearly):
            return None  # a margin column without a value: the full reader leaves it out, with a warning
        optional = [c for c in ("order_id", "channel") if c in totals.columns]
        if optional:
            filled = arrow_table(con, totals.aggregate(**{c: totals[c].count() for c in optional})).to_pylist()[0]
            if not all(filled.values()):
                return None  # an order id or channel column without a value: likewise
        last = as_date(pc.max(yearly.column("last_order")).as_py())
        if last > (params.reference_date or dt.date.today()):
            return None  # lines after the reference date (left out with a warning) or in the future (an error)
        if not _clean_ids(pc.unique(yearly.column("customer_id")), customers):
            return None
        if "channel" in totals.columns and not _all_known(con, totals.channel, CHANNELS):
            return None
    except Exception:  # a value DuckDB cannot convert: the full reader names it
        return None
    if checks:
        totals, yearly = totals.drop("without_revenue", "implausible"), yearly.drop_columns(
            ["without_revenue", "implausible"])
    return totals, params.reference_date or last, yearly


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
        row = arrow_table(con, acts.aggregate(rows=acts.count(), missing=acts.count(
            where=acts.date.isnull() | acts.type.isnull()))).to_pylist()[0]
        ids = arrow_table(con, acts.select("customer_id").distinct()).column("customer_id")
        if not row["rows"] or row["missing"] or not _clean_ids(ids, customers):
            return None
        if not _all_known(con, acts.type, set(ACTIVITY_TYPES.values())):
            return None
    except Exception:  # a value DuckDB cannot convert: the full reader names it
        return None
    return acts


def engine_tables(params: Params, source: EngineSource | None = None, aliases=None) -> EngineTables:
    """The tables of ``data.database`` as :class:`EngineTables` (invoice lines stay in the database)."""
    source = open_source(params) if source is None else source
    customers = small_table(source.customers).sort_values("customer_id", kind="stable").reset_index(drop=True)
    files = {t: f"{describe_url(params.data.database)} table {n}" for t, n in source.names.items()}
    return EngineTables(source, customers, small_table(source.market), small_table(source.assessments), files,
                        aliases)
