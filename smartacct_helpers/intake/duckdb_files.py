"""Files that DuckDB reads itself: Parquet with typed columns, CSV with one plain number and date style.

:func:`file_table` turns a table's file into an Ibis table that DuckDB
reads where it lies (no pandas copy of the rows), with the column mapping
and conversions of the full reader written as SQL. A file it cannot read
so simply (Excel, thousands separators, currency signs, mixed styles)
gives None, and the full reader (:mod:`smartacct_helpers.intake.tables`)
takes it, naming every problem with its row. The sums and checks of the
lines read here are facts (:mod:`smartacct_helpers.facts.file_totals`).

Examples
--------
>>> _date_format(["2025-01-31", "2025-02-01"]), _date_format(["31.01.2025"]), _date_format(["03/04/2025"])
('%Y-%m-%d', '%d.%m.%Y', False)
"""

from __future__ import annotations

import csv
import functools
import logging
import re

from ..params import Params
from .conventions import (
    GERMAN_DAY,
    GERMAN_FORMAT,
    ISO_DATE,
    ISO_DAY,
    ISO_FORMAT,
    LOWER_CASE,
    NUMBER_ID,
    PLAIN_NUMBER,
    SLASH_DATE,
    WORDS,
    decimal_mark,
    detect_delimiter,
    detect_encoding,
    number_styles,
    slash_order,
)
from .schema import LINE_ATTRIBUTES, NUMBERS, SCHEMA

_log = logging.getLogger("smartacct.intake")


@functools.cache
def cannot_read() -> tuple[type[Exception], ...]:
    """The errors of the DuckDB route on a file it cannot read or a value it cannot convert.

    DuckDB's own (``duckdb.Error``: a conversion, a malformed CSV line, a
    missing file), Ibis's when a query cannot be built, Arrow's
    (``ArrowInvalid`` for a file that is no Parquet), and the standard
    library's ``OSError``, ``ValueError`` (a text that is no UTF-8 among
    them) and ``csv.Error``. Each of them hands the file to the full reader,
    which names the problem with its row (:func:`hand_over`). Imported on
    the first failure, so that reading a file needs none of them loaded.
    """
    import duckdb
    import pyarrow as pa
    from ibis.common.exceptions import IbisError

    return (duckdb.Error, IbisError, pa.ArrowException, OSError, ValueError, csv.Error)


def leave_to_full_reader(what, why: str) -> None:
    """Say in the log (level debug) why DuckDB leaves ``what`` (a file, the lines) to the full reader; returns None.

    >>> leave_to_full_reader("orders.csv", "numbers in both decimal styles")  # only logged
    """
    _log.debug("DuckDB leaves %s to the full reader: %s", what, why)


def hand_over(what: str, exc: Exception) -> None:
    """Say in the log (level debug) why the full reader takes ``what`` instead of DuckDB; the caller returns None.

    >>> hand_over("orders.csv", ValueError("could not convert '1.234,5'"))  # only logged
    """
    _log.debug("DuckDB cannot read %s (%s: %s); the full reader takes it", what, type(exc).__name__, exc)


_SAMPLE_BYTES = (
    1 << 18
)  # the styles of an export show in its first lines; a surprise later sends the file to the full reader


def _csv_sample(path, options) -> tuple[dict[str, list[str]], str, str] | None:
    """The first 256 KB of a CSV file as text per column, with its delimiter and encoding (None: not simple).

    Read with the standard library, so that the facts of a file need no
    pandas; a header that names a column twice is left to the full reader.
    """
    import io

    with open(path, "rb") as fh:
        raw = fh.read(_SAMPLE_BYTES)
    if not raw.strip():
        return None
    complete = raw if len(raw) < _SAMPLE_BYTES else raw[: raw.rfind(b"\n") + 1]
    encoding = detect_encoding(complete) if options.encoding == "auto" else options.encoding.lower()
    encoding = {
        "utf-8-sig": "utf-8",
        "utf8": "utf-8",
        "cp1252": "latin-1",
        "windows-1252": "latin-1",
        "iso-8859-1": "latin-1",
        "latin1": "latin-1",
    }.get(encoding, encoding)
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
        for name, value in zip(names, row + [""] * (len(names) - len(row)), strict=False):
            columns[name].append(value)
    return columns, delimiter, encoding


def _slash_date_order(values: list[str]) -> str | None:
    """``"%d/%m/%Y"`` or ``"%m/%d/%Y"`` for a sample of slash dates, or None when no value decides.

    >>> _slash_date_order(["03/04/2025", "13/04/2025"]), _slash_date_order(["03/04/2025"])
    ('%d/%m/%Y', None)
    """
    parts = [(int(m.group(1)), int(m.group(2))) for v in values if (m := re.match(SLASH_DATE, v))]
    if not parts:
        return None
    return slash_order(max(first for first, _ in parts), max(second for _, second in parts))


def _date_format(values: list[str]) -> str | None | bool:
    """How DuckDB reads a sample of dates: a ``strptime`` format, None for ISO dates with a time, False: it cannot.

    One style for the whole sample, in the patterns of
    :mod:`~smartacct_helpers.intake.conventions`; dates with a time other
    than ISO, and slash dates whose order no value decides, are left to the
    full reader (False).
    """
    if _all_match(ISO_DAY, values):
        return ISO_FORMAT
    if _all_match(ISO_DATE, values):
        return None  # DuckDB casts ISO timestamps directly
    if _all_match(GERMAN_DAY, values):
        return GERMAN_FORMAT
    if _all_match(SLASH_DATE, values) and (order := _slash_date_order(values)) is not None:
        return order
    return False


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return '"' + str(value).replace('"', '""') + '"'


def _all_match(pattern, values: list[str]) -> bool:
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
        return leave_to_full_reader(
            path, "no lines, an encoding DuckDB does not read, or a header naming a column twice"
        )
    frame, delimiter, encoding = sample
    if not any(frame.values()):
        return leave_to_full_reader(path, "a header without data rows")
    columns = _file_columns(list(frame), table, getattr(params.data.columns, table))
    if columns is None:
        return leave_to_full_reader(path, "a mapped or required column is missing")
    if only is not None:
        columns = {c: v for c, v in columns.items() if c in only}
    de = en = 0
    for canonical, column in columns.items():
        if canonical in NUMBERS:
            d, e = number_styles(frame[column])
            de, en = de + d, en + e
    if options.decimal != "auto":
        decimal = options.decimal
    elif de and en:
        return leave_to_full_reader(
            path, "numbers in both decimal styles"
        )  # the full reader names the rarer one's rows
    else:
        decimal = decimal_mark(de, en, delimiter)
    types = {}
    selects = []
    for canonical, column in columns.items():
        name = _sql_name(column)
        types[column] = "VARCHAR"
        if canonical == "date":
            values = [v.strip() for v in frame[column] if v.strip()]
            fmt = options.date_format if options.date_format != "auto" else _date_format(values)
            if fmt is False:
                return leave_to_full_reader(path, f"the dates of column {column!r} follow no one style DuckDB reads")
            if fmt == ISO_FORMAT and _all_match(ISO_DAY, values):
                types[column] = "DATE"
                value = name
            elif fmt is None:
                value = f"CAST(trim({name}) AS DATE)"
            else:
                value = f"CAST(strptime(trim({name}), {_sql_string(fmt)}) AS DATE)"
        elif canonical in NUMBERS:
            text = [v.strip() for v in frame[column] if v.strip()]
            if not _all_match(PLAIN_NUMBER, text):
                return leave_to_full_reader(
                    path, f"column {column!r} holds thousands separators, currency marks or text"
                )
            types[column] = "DOUBLE"
            value = name
        elif canonical in WORDS:
            value = _lookup_sql(name, WORDS[canonical])
        elif canonical in LOWER_CASE:
            value = f"lower(nullif(trim({name}), ''))"
        else:
            value = name
        selects.append(f"{value} AS {canonical}")
    if table == "orders" and "contribution_margin" not in columns and "cost" in columns:
        selects.append("revenue - cost AS contribution_margin")
    # every column of the header named and typed, the unread ones as text: DuckDB sniffs nothing
    # (a sniff reads thousands of rows each time a statement names the file)
    every = {name or f"unnamed_{i}": types.get(name, "VARCHAR") for i, name in enumerate(frame, 1)}
    type_map = "{" + ", ".join(f"{_sql_string(c)}: {_sql_string(t)}" for c, t in every.items()) + "}"
    reader = (
        f"read_csv({_sql_string(str(path))}, header = true, delim = {_sql_string(delimiter)}, "
        f"quote = '\"', escape = '\"', decimal_separator = {_sql_string(decimal)}, "
        f"encoding = {_sql_string(encoding)}, columns = {type_map}, auto_detect = false)"
    )
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
        return leave_to_full_reader(path, "a mapped or required column is missing")
    if only is not None:
        columns = {c: v for c, v in columns.items() if c in only}
    selects = []
    for canonical, column in columns.items():
        name = _sql_name(column)
        kind = str(schema.field(column).type)
        text = kind.startswith(("string", "large_string"))
        if canonical == "customer_id":
            if not text:
                return leave_to_full_reader(
                    path, "customer ids stored as numbers"
                )  # the full reader drops a trailing .0
            value = name
        elif canonical == "date":
            if kind.startswith("date"):
                value = name
            elif kind.startswith("timestamp") and "tz" not in kind:
                value = f"CAST({name} AS DATE)"
            else:
                return leave_to_full_reader(path, f"the dates of column {column!r} are text or have a time zone")
        elif canonical in NUMBERS:
            if not kind.startswith(("double", "float", "int", "uint", "decimal")):
                return leave_to_full_reader(path, f"column {column!r} holds {kind}, not numbers")
            value = f"CAST({name} AS DOUBLE)"
        elif canonical in WORDS:
            value = _lookup_sql(f"CAST({name} AS VARCHAR)", WORDS[canonical])
        elif canonical in LOWER_CASE:
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
        # the full reader gives each customer the latest values of its attributes on the lines
        return leave_to_full_reader(path, "customer attributes on the invoice lines")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            sql = _parquet_sql(path, params, table, only)
        elif suffix in (".csv", ".txt", ".tsv"):
            sql = _csv_sql(path, params, table, only)
        else:
            return leave_to_full_reader(path, f"a {suffix} file")
    except cannot_read() as exc:  # an unreadable file: the full reader names the problem
        hand_over(str(path), exc)
        return None
    return None if sql is None else con.sql(sql)


def file_orders(con, params: Params):
    """The orders file read by DuckDB itself (see :func:`file_table`)."""
    return file_table(con, params, "orders")


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
