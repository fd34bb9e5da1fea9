"""Reading a client's exports into the canonical tables of the method.

ERP and CRM exports come as CSV (German or English conventions), Excel or
Parquet, with the supplier's own column names. :func:`load_tables` reads the
files the params name, maps their columns onto the canonical names, converts
every value and checks it. It collects **every** problem it finds, each
naming the file, the row as a person sees it (the line of a CSV file, the row
of an Excel sheet with the header as row 1, the record of a Parquet file) and
the column as it is called in the file, and raises them together as one
:class:`~smartacct_helpers.exceptions.InputDataError`. Input files are only
ever read.

CSV conventions are detected once per file, not per value:

* the delimiter (``;``, ``,``, tab or ``|``) from the header line;
* the encoding: UTF-8 with or without byte-order mark, else Windows-1252;
* the decimal style (``1.234,56`` or ``1,234.56``) from the values that can
  only be read one way; a column that mixes both is an error;
* the date style: ISO (``2025-12-31``, with or without time), German
  (``31.12.2025``), or ``dd/mm/yyyy`` vs ``mm/dd/yyyy`` decided from a value
  whose day is above 12 (a file where no value decides is an error asking for
  ``data.csv.date_format``).

Examples
--------
>>> parse_number_text(pd.Series(["1.234,56", "-12,5", ""]), ",").tolist()
[1234.56, -12.5, nan]
>>> detect_delimiter("Kundennummer;Datum;Umsatz")
';'
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .exceptions import InputDataError, ParamsError, Problem
from .params import Params

#: canonical columns per table: (required, optional)
SCHEMA: dict[str, tuple[list[str], list[str]]] = {
    "orders": (
        ["customer_id", "date", "revenue"],
        ["order_id", "contribution_margin", "cost", "channel", "product_group", "discount", "rebate", "quantity"],
    ),
    "customers": (
        ["customer_id"],
        [
            "name", "industry", "region", "employees", "outside_rep", "inside_rep", "main_channel",
            "competitor_activity", "procurement_power", "partner_willingness", "transparency",
            "growth_potential", "distance_km",
        ],
    ),
    "activities": (["customer_id", "date", "type"], ["rep", "team"]),
    "market": (["segment", "market_volume"], []),
}

MONEY = {"revenue", "contribution_margin", "cost", "discount", "rebate", "market_volume"}
NUMBERS = MONEY | {"quantity", "employees", "distance_km", "partner_willingness", "transparency", "growth_potential"}
DATES = {"date"}
SCORES = {"partner_willingness", "transparency", "growth_potential"}
ABSURD_AMOUNT = 1e12

#: German and English words an export may use, mapped to the method's words
ACTIVITY_TYPES = {
    "visit": "visit", "besuch": "visit", "kundenbesuch": "visit",
    "call": "call", "anruf": "call", "telefonat": "call", "phone": "call",
    "email": "email", "e-mail": "email", "mail": "email",
    "meeting": "meeting", "termin": "meeting",
}
TEAMS = {"outside": "outside", "aussendienst": "outside", "außendienst": "outside", "field": "outside",
         "inside": "inside", "innendienst": "inside"}
CHANNELS = {"field", "inside", "online", "distributor", "retail"}
COMPETITOR_LEVELS = {"low": "low", "niedrig": "low", "gering": "low", "medium": "medium", "mittel": "medium",
                     "high": "high", "hoch": "high"}
TRUE_WORDS = {"true", "yes", "ja", "1", "wahr", "x", "y", "j"}
FALSE_WORDS = {"false", "no", "nein", "0", "falsch", "n", ""}

_DE_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
_EN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")
# "1.234" and "1,234" read either way; they do not decide the style
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})$")
_CURRENCY = re.compile(r"(€|EUR|USD|\$|CHF|£|\s|\u00a0)", re.IGNORECASE)


@dataclass
class Tables:
    """The canonical tables of one client, read and checked.

    Attributes
    ----------
    orders, customers : DataFrame
        Always present; without a customers file the customers are the
        distinct customer ids of the orders.
    activities, market : DataFrame or None
    files : dict
        Table name -> the file it was read from.
    customers_from_orders : bool
    warnings : list of Problem
        Findings that do not stop the run (shown by ``validate`` and in the
        data-quality table).
    """

    orders: pd.DataFrame
    customers: pd.DataFrame
    activities: pd.DataFrame | None = None
    market: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    customers_from_orders: bool = False
    warnings: list[Problem] = field(default_factory=list)


# --- raw reading ---------------------------------------------------------------


def detect_encoding(raw: bytes) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the bytes decode as such, else ``cp1252``.

    >>> detect_encoding("Müller".encode("cp1252"))
    'cp1252'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_delimiter(header: str) -> str:
    """The delimiter that splits the header line into the most fields (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@dataclass
class _Raw:
    frame: pd.DataFrame  # text columns (object) for CSV/Excel, typed for Parquet
    rows: np.ndarray  # the row number a person sees, per record
    kind: str  # csv / xlsx / parquet
    delimiter: str | None = None


def _read_csv(path: Path, name: str, options, problems: list[Problem]) -> _Raw | None:
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
        return None
    encoding = detect_encoding(raw) if options.encoding == "auto" else options.encoding
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = raw[: getattr(exc, "start", 0)].count(b"\n") + 1
        problems.append(Problem(name, f"cannot be read as {encoding} ({exc.__class__.__name__}); "
                                      "set data.csv.encoding (for example cp1252 or utf-8)", row=line))
        return None
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0].rstrip("\r")
    delimiter = detect_delimiter(header) if options.delimiter == "auto" else options.delimiter.replace("\\t", "\t")
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[],
            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, engine="c",
        )
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
        return None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        expected = re.search(r"Expected (\d+) fields", str(exc))
        what = f"expected {expected.group(1)} fields" if expected else "cannot be split into fields"
        problems.append(Problem(name, f"{what} separated by {delimiter!r} like the header; "
                                      "check the delimiter and quotes", row=row))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame)) + 2
    blank = frame.apply(lambda s: s.str.strip().eq("")).all(axis=1) if len(frame.columns) else None
    if blank is not None and blank.any():
        keep = ~blank.to_numpy()
        frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    return _Raw(frame, rows, "csv", delimiter)


def _read_xlsx(path: Path, name: str, problems: list[Problem]) -> _Raw | None:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem(name, f"cannot be read as an Excel workbook: {exc}"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame)) + 2
    frame = frame.apply(_excel_text)
    keep = ~frame.isna().all(axis=1).to_numpy()
    return _Raw(frame[keep].reset_index(drop=True), rows[keep], "xlsx")


def _excel_text(col: pd.Series) -> pd.Series:
    """Excel cells as text the parsers below read (numbers with a point, dates ISO)."""

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return np.nan
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return str(v)

    return col.map(one).astype(object)


def _read_parquet(path: Path, name: str, wanted: list[str] | None, problems: list[Problem]) -> _Raw | None:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        columns = [c for c in schema.names if wanted is None or c in wanted]
        frame = pd.read_parquet(path, columns=columns)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        problems.append(Problem(name, f"cannot be read as a Parquet file: {exc}"))
        return None
    return _Raw(frame, np.arange(len(frame)) + 1, "parquet")


def read_raw(path: Path, name: str, options, problems: list[Problem], wanted: list[str] | None = None) -> _Raw | None:
    """Read one file as it is, by its extension; problems go to ``problems``."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, name, options, problems)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, problems)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, name, wanted, problems)
    problems.append(Problem(name, f"unknown file type '{suffix}'; expected .csv, .xlsx or .parquet"))
    return None


# --- value parsing -----------------------------------------------------------------


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip()


def parse_number_text(series: pd.Series, decimal: str) -> pd.Series:
    """Text to float with the given decimal mark (``,`` or ``.``); empty -> NaN, junk -> NaN."""
    text = _text(series).str.replace(_CURRENCY, "", regex=True)
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    return pd.to_numeric(text.replace("", pd.NA), errors="coerce").astype("float64")


def decimal_evidence(series: pd.Series) -> tuple[int, int]:
    """How many values can only be German-style, and how many only English-style."""
    text = _text(series).dropna().str.replace(_CURRENCY, "", regex=True)
    text = text[~text.str.fullmatch(_AMBIGUOUS.pattern)]
    return int(text.str.fullmatch(_DE_NUMBER.pattern).sum()), int(text.str.fullmatch(_EN_NUMBER.pattern).sum())


_ISO = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
_GERMAN = r"^\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$"
_SLASH = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"


def slash_date_order(text: pd.Series) -> str | None:
    """``"%d/%m/%Y"`` or ``"%m/%d/%Y"`` for a column of slash dates, or None when no value decides."""
    parts = text.str.extract(_SLASH).dropna().astype(int)
    if parts.empty:
        return None
    if (parts[0] > 12).any():
        return "%d/%m/%Y"
    if (parts[1] > 12).any():
        return "%m/%d/%Y"
    return None


def parse_date_text(series: pd.Series, date_format: str = "auto") -> tuple[pd.Series, str | None]:
    """Text to dates; returns the dates (NaT where unreadable) and a problem text for undecidable slash dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        return out.astype("datetime64[ns]").dt.normalize(), None
    text = _text(series)
    if date_format != "auto":
        return pd.to_datetime(text, format=date_format, errors="coerce").dt.normalize(), None
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    iso = text.str.match(_ISO).fillna(False).astype(bool)
    if iso.any():
        out[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce").dt.normalize()
    german = text.str.match(_GERMAN).fillna(False).astype(bool)
    if german.any():
        out[german] = pd.to_datetime(text[german].str.slice(0, 10).str.strip(), format="%d.%m.%Y",
                                     errors="coerce")
    slash = text.str.match(_SLASH).fillna(False).astype(bool)
    note = None
    if slash.any():
        order = slash_date_order(text[slash])
        if order is None:
            note = ("every date like 01/02/2025 reads both as day/month and month/day; set "
                    "data.csv.date_format to \"%d/%m/%Y\" or \"%m/%d/%Y\"")
        else:
            out[slash] = pd.to_datetime(text[slash], format=order, errors="coerce")
    return out, note


# --- mapping and conversion --------------------------------------------------------


def _map_columns(raw: _Raw, table: str, mapping: dict[str, str], name: str, problems: list[Problem]) -> dict[str, str]:
    """canonical -> source column for the columns the file has; problems for missing ones."""
    required, optional = SCHEMA[table]
    known = set(required) | set(optional)
    by_lower = {c.lower(): c for c in raw.frame.columns}
    found: dict[str, str] = {}
    for canonical, source in mapping.items():
        if canonical not in known:
            problems.append(Problem(name, f"data.columns.{table} maps '{canonical}', which is no column of the "
                                          f"{table} table (known: {', '.join(sorted(known))})"))
        elif source in raw.frame.columns:
            found[canonical] = source
        elif source.lower() in by_lower:
            found[canonical] = by_lower[source.lower()]
        else:
            problems.append(Problem(name, f"data.columns.{table}.{canonical} names column '{source}', which the "
                                          f"file does not have; its columns are: {', '.join(raw.frame.columns)}",
                                    column=source))
    for canonical in required + optional:
        if canonical not in found and canonical not in mapping and canonical in by_lower:
            found[canonical] = by_lower[canonical]
    for canonical in required:
        if canonical not in found and canonical not in mapping:
            problems.append(Problem(name, f"required column '{canonical}' is missing; name it so or map it in "
                                          f"data.columns.{table}.{canonical} (the file has: "
                                          f"{', '.join(raw.frame.columns)})", column=canonical))
    return found


def _decimal_for(raw: _Raw, columns: dict[str, str], setting: str, name: str, problems: list[Problem]) -> str:
    """The decimal mark of a file, decided once from the values that can only be read one way."""
    if setting != "auto":
        return setting
    if raw.kind != "csv":
        return "."
    de = en = 0
    for canonical, source in columns.items():
        col = raw.frame[source]
        if canonical in NUMBERS and not pd.api.types.is_numeric_dtype(col):
            d, e = decimal_evidence(col)
            if d and e:
                problems.append(Problem(name, f"mixes decimal styles: {d} value(s) like 1.234,56 and {e} like "
                                              "1,234.56; use one style or set data.csv.decimal", column=source))
            de, en = de + d, en + e
    if de or en:
        return "," if de >= en else "."
    return "," if raw.delimiter == ";" else "."


def _bad_rows(problems, name, raw, mask, source, message_for) -> None:
    idx = np.flatnonzero(np.asarray(mask))
    values = raw.frame[source].to_numpy()
    for i in idx:
        problems.append(Problem(name, message_for(values[i]), row=int(raw.rows[i]), column=source))


def _convert(raw: _Raw, table: str, columns: dict[str, str], options, name: str,
             problems: list[Problem]) -> pd.DataFrame:
    decimal = _decimal_for(raw, columns, options.decimal, name, problems)
    out = {}
    for canonical, source in columns.items():
        col = raw.frame[source]
        present = col.notna() & (_text(col).fillna("") != "") if not pd.api.types.is_numeric_dtype(col) else col.notna()
        if canonical == "customer_id" or (table == "market" and canonical == "segment"):
            values = _ids(col)
            missing = values.isna()
            if missing.any():
                _bad_rows(problems, name, raw, missing, source, lambda v: "is empty; every row needs a customer id"
                          if canonical == "customer_id" else "is empty; every row needs a segment")
            out[canonical] = values
        elif canonical in DATES:
            values, note = parse_date_text(col, options.date_format)
            if note:
                problems.append(Problem(name, note, column=source))
            bad = values.isna() & present
            if not note:
                expected = (f"a date as {options.date_format}" if options.date_format != "auto"
                            else "a date like 31.12.2025 or 2025-12-31")
                _bad_rows(problems, name, raw, bad, source, lambda v, e=expected: f"expected {e}, found {v!r}")
            empty = ~present
            _bad_rows(problems, name, raw, empty, source, lambda v: "is empty; expected a date")
            out[canonical] = values
        elif canonical in NUMBERS:
            if pd.api.types.is_bool_dtype(col) or not (pd.api.types.is_numeric_dtype(col) or col.dtype == object
                                                       or pd.api.types.is_string_dtype(col)):
                problems.append(Problem(name, f"has type {col.dtype}; expected numbers", column=source))
                continue
            values = col.astype("float64") if pd.api.types.is_numeric_dtype(col) else parse_number_text(col, decimal)
            bad = values.isna() & present
            example = "1234.56 or 1.234,56" if canonical in MONEY else "a number"
            _bad_rows(problems, name, raw, bad, source, lambda v, e=example: f"expected a number like {e}, found {v!r}")
            if canonical in MONEY:
                absurd = values.abs() >= ABSURD_AMOUNT
                _bad_rows(problems, name, raw, absurd, source,
                          lambda v: f"amount {v!r} is implausibly large (1e12 or more); check the decimal style")
            if canonical == "revenue":
                _bad_rows(problems, name, raw, ~present, source, lambda v: "is empty; expected an amount")
            if canonical in ("employees", "distance_km"):
                _bad_rows(problems, name, raw, values < 0, source,
                          lambda v: f"expected zero or more, found {v!r}")
            if canonical in SCORES:
                _bad_rows(problems, name, raw, values.notna() & ~values.isin([1, 2, 3, 4, 5]), source,
                          lambda v: f"expected a score from 1 to 5, found {v!r}")
            if canonical == "employees" or canonical in SCORES:
                values = values.where(values.isna() | (values == values.round())).round().astype("Int64")
            out[canonical] = values
        elif canonical == "procurement_power":
            out[canonical] = _booleans(col, raw, name, source, problems)
        else:
            text = _text(col).replace("", pd.NA).astype(object).where(lambda s: s.notna(), None)
            if canonical in ("type", "team", "competitor_activity", "channel"):
                lookup = {"type": ACTIVITY_TYPES, "team": TEAMS, "competitor_activity": COMPETITOR_LEVELS}.get(canonical)
                lower = text.str.lower()
                text = lower.map(lambda v: lookup.get(v, v) if lookup and isinstance(v, str) else v)
            out[canonical] = text
    return pd.DataFrame(out)


def _ids(col: pd.Series) -> pd.Series:
    """Customer ids as text; whole numbers from typed files lose a trailing ``.0``."""
    if pd.api.types.is_float_dtype(col):
        text = col.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    else:
        text = col.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    text = text.astype(object).str.strip()
    return text.where(text.fillna("") != "", None).astype(object)


def _booleans(col, raw, name, source, problems) -> pd.Series:
    if pd.api.types.is_bool_dtype(col):
        return col.astype("boolean")
    text = _text(col).str.lower().fillna("")
    out = pd.Series(pd.NA, index=col.index, dtype="boolean")
    out[text.isin(TRUE_WORDS)] = True
    out[text.isin(FALSE_WORDS - {""})] = False
    bad = ~text.isin(TRUE_WORDS | FALSE_WORDS)
    _bad_rows(problems, name, raw, bad, source, lambda v: f"expected true or false (ja/nein, 1/0), found {v!r}")
    return out


# --- the tables ----------------------------------------------------------------------


def _source_path(params: Params, table: str) -> tuple[str | None, Path | None]:
    value = getattr(params.data, table)
    if value is None:
        return None, None
    path = params.path(value)
    if not path.is_file():
        raise ParamsError(f"data.{table}: file not found: {path}", params.source_file)
    return value, path


def read_table(params: Params, table: str, problems: list[Problem]) -> tuple[pd.DataFrame | None, np.ndarray | None, str | None]:
    """Read one canonical table; returns the frame, the source row numbers and the file name."""
    name, path = _source_path(params, table)
    if path is None:
        return None, None, None
    mapping = getattr(params.data.columns, table)
    required, optional = SCHEMA[table]
    wanted = None
    if path.suffix.lower() in (".parquet", ".pq"):
        wanted = list(mapping.values()) + required + optional
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
            wanted += [c for c in names if c.lower() in set(required + optional)]
        except Exception:  # reported by read_raw
            pass
    before = len(problems)
    raw = read_raw(path, str(name), params.data.csv, problems, wanted)
    if raw is None:
        return None, None, str(name)
    if raw.frame.empty:
        problems.append(Problem(str(name), "has a header but no data rows", row=2 if raw.kind != "parquet" else None))
        return None, None, str(name)
    columns = _map_columns(raw, table, mapping, str(name), problems)
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None, None, str(name)
    frame = _convert(raw, table, columns, params.data.csv, str(name), problems)
    if table == "orders" and "contribution_margin" not in frame and "cost" in frame:
        frame["contribution_margin"] = frame["revenue"] - frame["cost"]
    if "cost" in frame:
        frame = frame.drop(columns="cost")
    return frame, raw.rows, str(name)


def _check_customers(customers: pd.DataFrame, rows: np.ndarray, name: str, problems: list[Problem],
                     warnings: list[Problem]) -> pd.DataFrame:
    """Duplicate ids: identical rows are a warning (one kept), conflicting rows an error."""
    dup = customers["customer_id"].duplicated(keep=False) & customers["customer_id"].notna()
    if not dup.any():
        return customers
    groups = customers[dup].groupby("customer_id", sort=True)
    for cid, group in groups:
        lines = ", ".join(str(r) for r in rows[group.index.to_numpy()][:5])
        if len(group.drop_duplicates()) > 1:
            differs = [c for c in group.columns if group[c].astype(str).nunique() > 1]
            problems.append(Problem(name, f"customer id {cid!r} appears in rows {lines} with different "
                                          f"{', '.join(differs)}; each customer must appear once",
                                    row=int(rows[group.index[1]]), column="customer_id"))
        else:
            warnings.append(Problem(name, f"customer id {cid!r} appears in rows {lines} with identical values; "
                                          "kept once", row=int(rows[group.index[1]]), column="customer_id",
                                    severity="warning"))
    return customers.drop_duplicates("customer_id", keep="first").reset_index(drop=True)


def _unknown(frame: pd.DataFrame, rows: np.ndarray, known: pd.Series, name: str, what: str) -> Problem | None:
    unknown = ~frame["customer_id"].isin(known) & frame["customer_id"].notna()
    if not unknown.any():
        return None
    ids = pd.unique(frame.loc[unknown, "customer_id"])
    first = int(rows[np.flatnonzero(unknown.to_numpy())[0]])
    examples = ", ".join(repr(i) for i in ids[:5])
    return Problem(name, f"{int(unknown.sum()):,} {what} of {len(ids):,} customer id(s) that are not in the "
                         f"customers file, for example {examples}", row=first, column="customer_id")


def load_tables(params: Params) -> Tables:
    """Read, map, convert and check every table the params name.

    Raises
    ------
    ParamsError
        A named file is missing.
    InputDataError
        With every problem found in the data.
    """
    if params.data.database:
        raise ParamsError("data.database: reading from a database is not available in this version; "
                          "export the tables to Parquet or CSV", params.source_file)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    files: dict[str, str] = {}
    frames: dict[str, pd.DataFrame | None] = {}
    rows: dict[str, np.ndarray | None] = {}
    for table in ("orders", "customers", "activities", "market"):
        frame, row_numbers, name = read_table(params, table, problems)
        frames[table], rows[table] = frame, row_numbers
        if name:
            files[table] = str(params.path(getattr(params.data, table)))
    if problems:
        raise InputDataError(problems)

    orders = frames["orders"]
    customers = frames["customers"]
    customers_from_orders = customers is None
    if customers is None:
        customers = pd.DataFrame({"customer_id": sorted(pd.unique(orders["customer_id"]))}, dtype=object)
    else:
        customers = _check_customers(customers, rows["customers"], params.data.customers, problems, warnings)
        found = _unknown(orders, rows["orders"], customers["customer_id"], params.data.orders, "invoice lines")
        if found:
            problems.append(found)
    activities = frames["activities"]
    if activities is not None:
        found = _unknown(activities, rows["activities"], customers["customer_id"], params.data.activities,
                         "activities")
        if found:
            warnings.append(Problem(found.file, found.message + "; they are left out of the analysis",
                                    row=found.row, column=found.column, severity="warning"))
            activities = activities[activities["customer_id"].isin(customers["customer_id"])].reset_index(drop=True)
        odd = ~activities["type"].isin(set(ACTIVITY_TYPES.values()))
        if odd.any():
            kinds = ", ".join(repr(t) for t in pd.unique(activities.loc[odd, "type"])[:5])
            warnings.append(Problem(params.data.activities, f"{int(odd.sum()):,} activities of unknown type "
                                    f"({kinds}); only visit, call, email and meeting count", column="type",
                                    severity="warning"))
    if "channel" in orders:
        odd = orders["channel"].notna() & ~orders["channel"].isin(CHANNELS)
        if odd.any():
            kinds = ", ".join(repr(t) for t in pd.unique(orders.loc[odd, "channel"])[:5])
            warnings.append(Problem(params.data.orders, f"{int(odd.sum()):,} invoice lines with an unknown "
                                    f"channel ({kinds}); expected field, inside, online, distributor or retail",
                                    column="channel", severity="warning"))
    if problems:
        raise InputDataError(problems)
    return Tables(
        orders=orders,
        customers=customers,
        activities=activities,
        market=frames["market"],
        files=files,
        customers_from_orders=customers_from_orders,
        warnings=warnings,
    )
