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
  (``31.12.2025``), or ``dd/mm/yyyy`` vs ``mm/dd/yyyy`` (with or without a
  time, ``12/1/2010 8:26``) decided from a value whose first or second part
  is above 12 (a file where no value decides is an error asking for
  ``data.csv.date_format``, with an example from the file and the format to
  put there).

Examples
--------
>>> parse_number_text(pd.Series(["1.234,56", "-12,5", ""]), ",").tolist()
[1234.56, -12.5, nan]
>>> detect_delimiter("Kundennummer;Datum;Umsatz")
';'
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .columns import (  # the names the intake has always offered
    ABSURD_AMOUNT,
    ACTIVITY_TYPES,
    AMBIGUOUS_NUMBER,
    CHANNELS,
    COMPETITOR_LEVELS,
    CURRENCY_MARKS,
    DATES,
    ENGLISH_NUMBER,
    FALSE_WORDS,
    GERMAN_NUMBER,
    HALF_CENT,
    LINE_ATTRIBUTES,
    MONEY,
    NUMBER_ID,
    NUMBERS,
    SCHEMA,
    SCORES,
    SLASH_DATE,
    SLASH_DATE_TIME,
    TEAMS,
    TRUE_WORDS,
    LazyTables,
    Tables,
    detect_delimiter,
    detect_encoding,
    isin,
    match_columns,
)
from .exceptions import InputDataError, ParamsError, Problem
from .params import Params

# --- raw reading ---------------------------------------------------------------


@dataclass
class _Raw:
    frame: pd.DataFrame  # text columns (object) for CSV/Excel, typed for Parquet
    rows: np.ndarray  # the row number a person sees, per record
    kind: str  # csv / xlsx / parquet
    delimiter: str | None = None
    header: list[str] = field(default_factory=list)  # the column names as written, duplicates included
    sheet: str | None = None  # the Excel sheet read
    other_sheets: list[str] = field(default_factory=list)  # the workbook's other sheets holding data
    merged: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # ref, rows and columns (1-based)
    header_row: int = 1  # the row holding the column names (Excel: may be below a title)


def _not_text(raw: bytes) -> str | None:
    """What a file given as CSV really is, when its first bytes show it is no text file."""
    if raw.startswith(b"PK\x03\x04"):
        return "is an Excel workbook or another zip archive, not a CSV file; save it as .xlsx or export it as CSV"
    if raw.startswith(b"PAR1"):
        return "is a Parquet file, not a CSV file; name it .parquet"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "is an old Excel (.xls) workbook, not a CSV file; save it as .xlsx or export it as CSV"
    if b"\x00" in raw[:4096]:
        return ("holds NUL bytes: it is no text file, or UTF-16 without a byte-order mark; export it as CSV in "
                "UTF-8 or set data.csv.encoding (for example utf-16)")
    return None


def _read_csv(path: Path, name: str, options, problems: list[Problem]) -> _Raw | None:
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
        return None
    if options.encoding == "auto" or not options.encoding.lower().startswith("utf-16"):
        what = _not_text(raw) if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) else None
        if what:
            problems.append(Problem(name, what, row=1))
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
    if not text.strip():
        problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
        return None
    header = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]  # pandas ends a line at any of these
    delimiter = detect_delimiter(header) if options.delimiter == "auto" else options.delimiter.replace("\\t", "\t")
    if options.delimiter != "auto":
        unquoted = re.sub(r'"[^"]*"', "", header)
        seen = detect_delimiter(header)
        if delimiter not in unquoted and seen in unquoted:
            problems.append(Problem(name, f"the header line holds no {delimiter!r} (data.csv.delimiter) but is "
                                          f"separated by {seen!r}; set data.csv.delimiter to {seen!r} or to auto",
                                    row=1))
            return None
    try:
        written = next(csv.reader([header], delimiter=delimiter))
    except (csv.Error, StopIteration):
        written = header.split(delimiter)
    usecols = None
    for attempt in ("as is", "header's columns only"):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                # index_col=False: a row longer than the header must never turn its first fields into an index
                frame = pd.read_csv(
                    io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[],
                    skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, engine="c", index_col=False,
                    usecols=usecols,
                )
        except pd.errors.EmptyDataError:
            problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
            return None
        except pd.errors.ParserError as exc:
            expected = re.search(r"Expected (\d+) fields", str(exc))
            if expected and usecols is None:
                caught = [warnings.WarningMessage("longer rows", pd.errors.ParserWarning, "", 0)]
                frame = None
            elif "EOF inside string" in str(exc):
                match = re.search(r"starting at row (\d+)", str(exc))  # counted from 0 at the header
                problems.append(Problem(name, "a quote (\") opened in this row is never closed; check the quotes",
                                        row=int(match.group(1)) + 1 if match else None))
                return None
            else:
                match = re.search(r"line (\d+)", str(exc))
                row = int(match.group(1)) if match else None
                what = f"expected {expected.group(1)} fields" if expected else "cannot be split into fields"
                problems.append(Problem(name, f"{what} separated by {delimiter!r} like the header; "
                                              "check the delimiter and quotes", row=row))
                return None
        if usecols is not None or not any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            break
        # some rows are longer than the header: fine where the extra fields are empty (a trailing delimiter)
        long_rows = _overlong_rows(text, delimiter, len(written))
        for row in long_rows[:20]:
            problems.append(Problem(name, f"has more fields than the {len(written)} of the header; a value "
                                          f"holds {delimiter!r} without quotes, or the columns are shifted",
                                    row=row))
        if len(long_rows) > 20:
            problems.append(Problem(name, f"{len(long_rows) - 20:,} more rows have more fields than the header"))
        if long_rows:
            return None
        usecols = list(range(len(written)))
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = _csv_line_numbers(text, len(frame))
    blank = frame.apply(lambda s: s.str.strip().eq("")).all(axis=1) if len(frame.columns) else None
    if blank is not None and blank.any():
        keep = ~blank.to_numpy()
        frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    return _Raw(frame, rows, "csv", delimiter, header=[c.strip() for c in written])


def _overlong_rows(text: str, delimiter: str, width: int) -> list[int]:
    """The lines whose record has values beyond the header's ``width`` fields (empty trailing fields are fine)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found, start = [], 1
    try:
        for number, record in enumerate(reader):
            if number and len(record) > width and any(v.strip() for v in record[width:]):
                found.append(start)
            start = reader.line_num + 1
    except csv.Error:  # a record the csv module cannot split: report the line it stopped at
        found.append(start)
    return found


def _csv_line_numbers(text: str, records: int) -> np.ndarray:
    """The line on which each record starts: the header is line 1; quoted line breaks are counted."""
    simple = np.arange(records) + 2
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines == records + 1 or '"' not in text:
        return simple
    starts, line, inside = [], 1, False
    at_start = True
    for ch in text:
        if at_start:
            starts.append(line)
            at_start = False
        if ch == '"':
            inside = not inside
        elif ch == "\n":
            line += 1
            if not inside:
                at_start = True
    numbers = np.asarray(starts[1:], dtype=int)  # the first start is the header
    if len(numbers) < records:
        return simple
    return numbers[:records]


def _read_xlsx(path: Path, name: str, problems: list[Problem], sheet: str | None = None,
               required: list[set[str]] | None = None, table: str | None = None) -> _Raw | None:
    """One sheet of an Excel workbook as text, with the Excel row numbers.

    The header is the first row that holds every required column (``required``:
    per column, the lower-case names it may have), looked for in the first
    rows, so a title above the table is skipped (with a warning). Merged cells
    in the data are recorded; the caller reports those in the columns it reads.
    """
    import openpyxl

    setting = f"data.sheets.{table}" if table else "data.sheets"
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem(name, f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc}); "
                                      "open it in Excel and save it again as .xlsx"))
        return None
    try:
        sheets = [ws.title for ws in book.worksheets]
        if not sheets:
            problems.append(Problem(name, "the workbook has no worksheet"))
            return None
        chosen = sheet if sheet is not None else sheets[0]
        if chosen not in sheets:
            problems.append(Problem(name, f"{setting} names sheet {chosen!r}, which the workbook does not have; "
                                          f"its sheets are: {', '.join(repr(t) for t in sheets)}"))
            return None
        ws = book[chosen]
        ws.reset_dimensions()
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        merged = _merged_ranges(ws)
        others = [t for t in sheets if t != chosen and _has_data(book[t])]
    finally:
        book.close()
    first = next((i for i, r in enumerate(cells) if any(_filled(v) for v in r)), None)
    if first is None:
        problems.append(Problem(name, f"sheet {chosen!r} is empty; expected a header row and data rows", row=1))
        return None
    head = first
    if required:
        for i in range(first, min(len(cells), first + 30)):
            names = {str(v).strip().lower() for v in cells[i] if _filled(v)}
            if all(names & options for options in required):
                head = i
                break
    width = max((len(r) for r in cells[head:]), default=0)
    header = [str(v).strip() if _filled(v) else "" for v in cells[head]] + [""] * (width - len(cells[head]))
    columns = _unique_names(header)
    body = [r + [None] * (width - len(r)) for r in cells[head + 1:]]
    frame = pd.DataFrame(body, columns=columns, dtype=object) if body else pd.DataFrame(columns=columns, dtype=object)
    rows = np.arange(len(frame)) + head + 2
    frame = frame.apply(_excel_text) if len(frame) else frame
    keep = ~frame.isna().all(axis=1).to_numpy() if len(frame) else np.zeros(0, dtype=bool)
    raw = _Raw(frame[keep].reset_index(drop=True), rows[keep], "xlsx", header=header, sheet=chosen,
               other_sheets=others, merged=merged, header_row=head + 1)
    if head > first:
        title = next(str(v).strip() for v in cells[first] if _filled(v))
        problems.append(Problem(name, f"the header is in row {head + 1}; the rows above it (starting with "
                                      f"{title!r}) are skipped", row=head + 1, severity="warning"))
    if others and sheet is None:
        problems.append(Problem(name, f"the workbook has {len(others) + 1} sheets with data; the first, "
                                      f"{chosen!r}, is read and {', '.join(repr(t) for t in others)} ignored; "
                                      f"choose another with {setting}", severity="warning"))
    return raw


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _unique_names(header: list[str]) -> list[str]:
    """Column names for a frame: blanks become ``Unnamed: N``, repeats get ``.1``, ``.2`` (like pandas)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        name = name or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _has_data(ws) -> bool:
    try:
        ws.reset_dimensions()
        return any(_filled(v) for r in ws.iter_rows(max_row=20, values_only=True) for v in r)
    except Exception:  # a sheet that cannot be read holds nothing we use
        return False


def _merged_ranges(ws) -> list[tuple[str, int, int, int, int]]:
    """The merged ranges of a read-only sheet: (ref, first row, last row, first column, last column)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        source = ws._get_source()
        try:
            xml = source.read()
        finally:
            source.close()
    except Exception:  # no access to the sheet's XML: nothing to report
        return []
    out = []
    for ref in re.findall(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
        text = ref.decode()
        min_col, min_row, max_col, max_row = range_boundaries(text)
        out.append((text, min_row, max_row, min_col, max_col))
    return out


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


def read_raw(path: Path, name: str, options, problems: list[Problem], wanted: list[str] | None = None,
             sheet: str | None = None, required: list[set[str]] | None = None,
             table: str | None = None) -> _Raw | None:
    """Read one file as it is, by its extension; problems (and warnings) go to ``problems``.

    ``sheet``, ``required`` and ``table`` matter for Excel only: the sheet to
    read (default: the first), the lower-case names each required column may
    have (to find the header row) and the table (for the params key in messages).
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, name, options, problems)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, problems, sheet, required, table)
    if suffix == ".xls":
        problems.append(Problem(name, "old Excel (.xls) workbooks cannot be read; save it as .xlsx"))
        return None
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, name, wanted, problems)
    problems.append(Problem(name, f"unknown file type '{suffix}'; expected .csv, .xlsx or .parquet"))
    return None


# --- value parsing -----------------------------------------------------------------


def _text(series: pd.Series) -> pd.Series:
    """The values as stripped text (missing stays missing)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.str.strip()
    return series.astype("string").str.strip()


#: :data:`CURRENCY_MARKS` for Arrow's regular expressions (RE2), which replace in place: a compiled
#: pattern with flags sends pandas through Python strings one at a time. The class matches exactly
#: what Python's ``\s`` does (Unicode white space); no-break space U+00A0 is among it.
_CURRENCY_MARKS = r"(?i)(€|EUR|USD|\$|CHF|£|[\s\pZ\x{0b}\x{1c}-\x{1f}\x{85}])"


def _without_marks(text: pd.Series) -> pd.Series:
    """Text (a string series) without currency marks and white space."""
    arrow = getattr(text.dtype, "storage", None) == "pyarrow"
    return text.str.replace(_CURRENCY_MARKS if arrow else CURRENCY_MARKS, "", regex=True)


def _distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, values)``: each distinct value of ``series`` once, and for each row the position of its value (-1: missing).

    Exports repeat their values (a region, a distance, a score, a day), so
    text is parsed per distinct value and spread back over the rows.
    """
    codes, values = pd.factorize(series)
    return codes, pd.Series(values, dtype=series.dtype)


def _spread(codes: np.ndarray, values: pd.Series, index: pd.Index) -> pd.Series:
    """The values of :func:`_distinct` back on their rows: ``values[codes]``, missing where a code is -1."""
    rows = values.iloc[np.where(codes >= 0, codes, 0)] if len(values) else values.reindex(range(len(codes)))
    return rows.set_axis(index).where(codes >= 0)


def parse_number_text(series: pd.Series, decimal: str) -> pd.Series:
    """Text to float with the given decimal mark (``,`` or ``.``); empty -> NaN, junk -> NaN."""
    codes, values = _distinct(series)
    text = _without_marks(_text(values))
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text.replace("", pd.NA), errors="coerce").astype("float64")
    return _spread(codes, numbers, series.index)


def decimal_evidence(series: pd.Series) -> tuple[int, int]:
    """How many values can only be German-style, and how many only English-style."""
    codes, values = _distinct(series)
    rows = np.bincount(codes[codes >= 0], minlength=len(values))
    text = _without_marks(_text(values))
    plain = ~text.str.fullmatch(AMBIGUOUS_NUMBER.pattern).fillna(True).to_numpy(dtype=bool)
    german = text.str.fullmatch(GERMAN_NUMBER.pattern).fillna(False).to_numpy(dtype=bool) & plain
    english = text.str.fullmatch(ENGLISH_NUMBER.pattern).fillna(False).to_numpy(dtype=bool) & plain
    return int(rows[german].sum()), int(rows[english].sum())


_ISO = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
_GERMAN = r"^\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$"


def slash_date_order(text: pd.Series) -> str | None:
    """``"%d/%m/%Y"`` or ``"%m/%d/%Y"`` for a column of slash dates (times allowed), or None when no value decides.

    >>> slash_date_order(pd.Series(["12/1/2010 8:26", "12/13/2010 17:05"]))
    '%m/%d/%Y'
    """
    parts = text.str.extract(SLASH_DATE_TIME)[[0, 1]].dropna().astype(int)
    if parts.empty:
        return None
    if (parts[0] > 12).any():
        return "%d/%m/%Y"
    if (parts[1] > 12).any():
        return "%m/%d/%Y"
    return None


def date_format_like(example: str, order: str) -> str:
    """The ``data.csv.date_format`` that reads ``example`` with the day and month in ``order``.

    >>> date_format_like("01/02/2025 8:26", "%m/%d/%Y"), date_format_like("01/02/2025 08:26:00 PM", "%d/%m/%Y")
    ('%m/%d/%Y %H:%M', '%d/%m/%Y %I:%M:%S %p')
    """
    match = re.match(SLASH_DATE_TIME, example.strip())
    if match is None or match.group(4) is None:
        return order
    hours = "%I" if match.group(7) else "%H"
    time = f"{hours}:%M" + (":%S" if match.group(6) else "") + (" %p" if match.group(7) else "")
    return order + example.strip()[len(match.group(1)) + len(match.group(2)) + len(match.group(3)) + 2] + time


def _slash_days(text: pd.Series, order: str) -> pd.Series:
    """Slash dates (times allowed, and ignored but for their range) as days, day and month in ``order``."""
    parts = text.str.extract(SLASH_DATE_TIME)
    first, second, year = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1, 2))
    day, month = (first, second) if order == "%d/%m/%Y" else (second, first)
    days = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    hour, minute, second_ = (pd.to_numeric(parts[i], errors="coerce") for i in (3, 4, 5))
    limit = np.where(parts[6].notna(), 12, 23)
    bad_time = (hour > limit) | (parts[6].notna() & (hour < 1)) | (minute > 59) | (second_ > 59)
    return _as_days(days.where(~bad_time.to_numpy()))


_EARLIEST, _LATEST = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")


def _as_days(values: pd.Series) -> pd.Series:
    """Dates at midnight as ``datetime64[ns]``; a date the type cannot hold (year 1 or 9999) becomes NaT."""
    values = pd.to_datetime(values, errors="coerce")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    inside = values.notna() & (values >= _EARLIEST) & (values <= _LATEST)
    return values.where(inside).astype("datetime64[ns]").dt.normalize()


def parse_date_text(series: pd.Series, date_format: str = "auto") -> tuple[pd.Series, str | None]:
    """Text to dates; returns the dates (NaT where unreadable) and a problem text for undecidable slash dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return _as_days(series), None
    first = series.dropna().head(1)
    if len(first) and isinstance(first.iloc[0], (dt.date, pd.Timestamp)):  # typed dates (Parquet date32)
        return _as_days(series), None
    codes, values = _distinct(series)
    days, note = _date_values(_text(values), date_format)
    return _spread(codes, days, series.index), note


def _date_values(text: pd.Series, date_format: str) -> tuple[pd.Series, str | None]:
    """:func:`parse_date_text` of stripped text."""
    if date_format != "auto":
        days = pd.to_datetime(text, format=date_format, errors="coerce")
        day_part = date_format.split(" ")[0]
        if day_part != date_format and days.isna().any():  # a format with a time also reads a date without one
            days = days.fillna(pd.to_datetime(text.where(days.isna()), format=day_part, errors="coerce"))
        return _as_days(days), None
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    iso = text.str.match(_ISO).fillna(False).astype(bool)
    if iso.any():
        out[iso] = _as_days(pd.to_datetime(text[iso], format="ISO8601", errors="coerce"))
    german = text.str.match(_GERMAN).fillna(False).astype(bool)
    if german.any():
        out[german] = _as_days(pd.to_datetime(text[german].str.slice(0, 10).str.strip(), format="%d.%m.%Y",
                                              errors="coerce"))
    slash = text.str.match(SLASH_DATE_TIME).fillna(False).astype(bool)
    note = None
    if slash.any():
        order = slash_date_order(text[slash])
        if order is None:
            example = str(text[slash].iloc[0])
            note = (f"every date like {example!r} reads both as month/day and day/month (no date in the file has "
                    f"a first or second part above 12); set data.csv.date_format to "
                    f"\"{date_format_like(example, '%m/%d/%Y')}\" for month first or "
                    f"\"{date_format_like(example, '%d/%m/%Y')}\" for day first")
        else:
            out[slash] = _slash_days(text[slash], order)
    return out, note


# --- mapping and conversion --------------------------------------------------------


def _map_columns(raw: _Raw, table: str, mapping: dict[str, str], name: str, problems: list[Problem]) -> dict[str, str]:
    """canonical -> source column for the columns the file has; problems for missing or doubled ones."""
    found = match_columns(list(raw.frame.columns), table, mapping, name, problems, hint=_layout_hint(raw, table))
    counts: dict[str, int] = {}
    for written in raw.header:
        counts[written.lower()] = counts.get(written.lower(), 0) + 1
    for canonical, source in found.items():
        if counts.get(source.lower(), 0) > 1:
            problems.append(Problem(name, f"the header holds column '{source}' {counts[source.lower()]} times; "
                                          f"rename all but one so that it is clear which holds the {canonical}",
                                    row=1 if raw.kind == "csv" else None, column=source))
    return found


def _layout_hint(raw: _Raw, table: str) -> str:
    """Why the columns may not have been found: a wrong delimiter or another sheet."""
    if raw.kind == "csv" and len(raw.frame.columns) == 1:
        only = raw.frame.columns[0]
        seen = detect_delimiter(only)
        if seen in only:
            return (f"; the header was read as a single column, so the file is probably separated by {seen!r}, "
                    f"not {raw.delimiter!r}: set data.csv.delimiter to {seen!r} or to auto")
        return "; the header was read as a single column: check the delimiter (data.csv.delimiter)"
    if raw.kind == "xlsx" and raw.other_sheets:
        return (f"; sheet {raw.sheet!r} was read, the workbook also has "
                f"{', '.join(repr(t) for t in raw.other_sheets)}: choose one with data.sheets.{table}")
    return ""


def _decimal_for(raw: _Raw, columns: dict[str, str], setting: str, name: str,
                 problems: list[Problem]) -> dict[str, str]:
    """The decimal mark per number column (canonical name -> ``,`` or ``.``).

    A CSV file is decided once, from the values that can only be read one
    way; in an Excel sheet numbers are numbers, so only a column of numbers
    stored as text in German style is read with a decimal comma. A column
    mixing both styles is a problem naming the first row of the rarer style.
    """
    numeric = [c for c in columns if c in NUMBERS and not pd.api.types.is_numeric_dtype(raw.frame[columns[c]])]
    if setting != "auto":
        return {c: setting for c in columns}
    if raw.kind == "parquet":
        return {c: "." for c in columns}
    de = en = 0
    per_column = {}
    for canonical in numeric:
        source = columns[canonical]
        col = raw.frame[source]
        d, e = decimal_evidence(col)
        if d and e:
            text = _without_marks(_text(col).fillna(""))
            rarer = GERMAN_NUMBER if d < e else ENGLISH_NUMBER
            hits = text.str.fullmatch(rarer.pattern) & ~text.str.fullmatch(AMBIGUOUS_NUMBER.pattern)
            first = int(raw.rows[np.flatnonzero(hits.to_numpy())[0]])
            problems.append(Problem(name, f"mixes decimal styles: {d} value(s) like 1.234,56 and {e} like "
                                          f"1,234.56 (the first of the rarer style in row {first}); use one style "
                                          "or set data.csv.decimal", row=first, column=source))
        per_column[canonical] = "," if d > e else "."
        de, en = de + d, en + e
    if raw.kind == "xlsx":
        return {c: per_column.get(c, ".") for c in columns}
    if de or en:
        mark = "," if de >= en else "."
    else:
        mark = "," if raw.delimiter == ";" else "."
    return {c: mark for c in columns}


#: rows named one by one per column and kind of problem; the rest are counted in one line
ROWS_NAMED = 20


def _bad_rows(problems, name, raw, mask, source, message_for) -> None:
    idx = np.flatnonzero(np.asarray(mask))
    values = raw.frame[source].to_numpy()
    for i in idx[:ROWS_NAMED]:
        problems.append(Problem(name, message_for(values[i]), row=int(raw.rows[i]), column=source))
    if len(idx) > ROWS_NAMED:
        last = int(raw.rows[idx[-1]])
        problems.append(Problem(name, f"and {len(idx) - ROWS_NAMED:,} more rows like these, the last in row "
                                      f"{last}", column=source))


def _convert(raw: _Raw, table: str, columns: dict[str, str], options, name: str,
             problems: list[Problem], missing_ids: str = "refuse") -> pd.DataFrame:
    """The canonical columns of ``raw``, converted; every bad value a problem naming its row and column.

    ``missing_ids``: ``exclude`` lets invoice lines without a customer id
    through (they are counted and left out later), ``refuse`` makes each of
    them a problem.
    """
    decimals = _decimal_for(raw, columns, options.decimal, name, problems)
    out = {}
    for canonical, source in columns.items():
        col = raw.frame[source]
        present = _present(col)
        if canonical == "customer_id" or (table == "market" and canonical == "segment"):
            values = _ids(col)
            missing = values.isna()
            if table == "orders" and missing_ids == "exclude":
                pass  # lines without a customer id: counted and left out by load_tables
            elif missing.any():
                why = "is empty; every row needs a segment"
                if canonical == "customer_id":
                    why = "is empty; every row needs a customer id"
                    if table == "orders":
                        why += " (data.missing_customer_id: exclude leaves such lines out and counts them)"
                _bad_rows(problems, name, raw, missing, source, lambda v, w=why: w)
            out[canonical] = values
        elif canonical in DATES:
            if raw.kind == "parquet" and (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
                problems.append(Problem(name, f"has type {col.dtype}; expected dates (a date or timestamp "
                                              "column, or text like 2025-12-31)", column=source))
                continue
            values, note = parse_date_text(col, options.date_format)
            if note:
                slash = _text(col).str.match(SLASH_DATE_TIME).fillna(False).to_numpy(dtype=bool)
                first = int(raw.rows[np.flatnonzero(slash)[0]]) if slash.any() else None
                problems.append(Problem(name, note, row=first, column=source))
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
            values = (col.astype("float64") if pd.api.types.is_numeric_dtype(col)
                      else parse_number_text(col, decimals[canonical]))
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
            if canonical == "employees":
                _bad_rows(problems, name, raw, (values >= 0) & (values != values.round()), source,
                          lambda v: f"expected a whole number of employees, found {v!r}")
            if canonical in SCORES:
                _bad_rows(problems, name, raw, values.notna() & ~values.isin([1, 2, 3, 4, 5]), source,
                          lambda v: f"expected a score from 1 to 5, found {v!r}")
            if canonical == "employees" or canonical in SCORES:
                values = values.where(values.isna() | (values == values.round())).round().astype("Int64")
            out[canonical] = values
        elif canonical == "procurement_power":
            out[canonical] = _booleans(col, raw, name, source, problems)
        else:
            text = _text(col)
            text = text.mask(text == "")
            if canonical in ("type", "team", "competitor_activity", "channel"):
                lookup = {"type": ACTIVITY_TYPES, "team": TEAMS, "competitor_activity": COMPETITOR_LEVELS}.get(canonical)
                text = text.str.lower()
                if lookup:
                    codes, values = _distinct(text)
                    text = _spread(codes, values.map(lambda v: lookup.get(v, v)), text.index)
            out[canonical] = text
    if table == "orders" and "revenue" not in columns and {"quantity", "unit_price"} <= set(columns):
        out["revenue"] = _priced_revenue(raw, out, columns, name, problems)
    return pd.DataFrame(out)


def cents(values) -> np.ndarray:
    """Amounts rounded to the cent, half a cent away from zero; the same arithmetic as the engines' sums.

    A tolerance of a millionth of a cent (:data:`~smartacct_helpers.columns.HALF_CENT`)
    takes ``1.005``, which a float holds as 1.00499999..., as the half
    cent it was written as.

    >>> cents([1.005, -1.005, 2.675, 0.004, -0.004]).tolist()
    [1.01, -1.01, 2.68, 0.0, 0.0]
    """
    values = np.asarray(values, dtype="float64")
    hundredths = np.floor(np.abs(values) * 100 + HALF_CENT)
    return np.where(values < 0, -hundredths, hundredths) / 100 + 0.0  # + 0.0: no -0.0


def _priced_revenue(raw: _Raw, out: dict, columns: dict[str, str], name: str, problems: list[Problem]) -> pd.Series:
    """Revenue = quantity x unit price, to the cent, for lines without a revenue column.

    A line without its quantity or unit price is a problem naming the
    column; so is a product of 1e12 or more.
    """
    quantity, price = out.get("quantity"), out.get("unit_price")
    if quantity is None or price is None:  # a column of the wrong type, already reported
        return pd.Series(np.nan, index=raw.frame.index)
    for canonical, values in (("quantity", quantity), ("unit_price", price)):
        what = "a quantity" if canonical == "quantity" else "a unit price"
        _bad_rows(problems, name, raw, values.isna() & ~_present(raw.frame[columns[canonical]]), columns[canonical],
                  lambda v, w=what: f"is empty; expected {w} (the revenue is quantity x unit price)")
    revenue = pd.Series(cents(quantity.to_numpy(dtype="float64", na_value=np.nan)
                              * price.to_numpy(dtype="float64", na_value=np.nan)), index=quantity.index)
    _bad_rows(problems, name, raw, revenue.abs() >= ABSURD_AMOUNT, columns["unit_price"],
              lambda v: f"unit price {v!r} times the quantity is implausibly large (1e12 or more); check the "
                        "decimal style")
    return revenue


def _present(col: pd.Series) -> pd.Series:
    """Where a value is given: not missing, and for text not blank."""
    first = col.dropna().head(1)
    if isinstance(col.dtype, pd.StringDtype) or (len(first) and isinstance(first.iloc[0], str)):
        return col.notna() & (_text(col).fillna("") != "")
    return col.notna()


def _ids(col: pd.Series) -> pd.Series:
    """Customer ids as text; whole numbers stored as floats lose their trailing ``.0``.

    A float column (Parquet, Excel) and text written from one (``17850.0``
    in a CSV file) give the id ``17850``, as its text form elsewhere does.

    >>> _ids(pd.Series(["17850.0", " 00042 ", "A.0", ""])).tolist()
    ['17850', '00042', 'A.0', nan]
    """
    if pd.api.types.is_float_dtype(col):
        text = col.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
        text = text.astype("string")
    elif pd.api.types.is_integer_dtype(col):
        text = col.astype("string")
    else:
        text = _text(col)
    text = text.str.strip()
    text = text.mask(text == "")
    codes, values = _distinct(text)
    if len(values) and values.str.contains(".", regex=False).any():
        text = _spread(codes, values.str.replace(NUMBER_ID, r"\1", regex=True), text.index)
    return text


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
    if path.is_dir():
        raise ParamsError(f"data.{table}: {path} is a folder; name the file in it", params.source_file)
    if not path.is_file():
        relative = not Path(value).expanduser().is_absolute()
        where = f" (a relative path is read from the params file's folder, {params.base_dir})" if relative else ""
        raise ParamsError(f"data.{table}: file not found: {path}{where}", params.source_file)
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
    header_of = list(required)
    if table == "orders" and "revenue" not in mapping and {"quantity", "unit_price"} <= set(mapping):
        header_of = [c if c != "revenue" else "unit_price" for c in required]  # priced lines have no revenue
    names_of = [{c.lower()} | ({mapping[c].lower()} if c in mapping else set()) for c in header_of]
    sheet = (getattr(params.data, "sheets", None) or {}).get(table)
    try:
        raw = read_raw(path, str(name), params.data.csv, problems, wanted, sheet=sheet, required=names_of,
                       table=table)
    except Exception as exc:  # a reader failing in a way nobody foresaw is still a problem of this file
        problems.append(Problem(str(name), f"cannot be read ({type(exc).__name__}: {exc})"))
        return None, None, str(name)
    if raw is None:
        return None, None, str(name)
    if raw.frame.empty:
        problems.append(Problem(str(name), "has a header but no data rows",
                                row=raw.header_row + 1 if raw.kind != "parquet" else None))
        return None, None, str(name)
    columns = _map_columns(raw, table, mapping, str(name), problems)
    _check_merged(raw, columns, str(name), problems)
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None, None, str(name)
    try:
        frame = _convert(raw, table, columns, params.data.csv, str(name), problems, params.data.missing_customer_id)
    except Exception as exc:  # never a traceback for a value nobody foresaw
        problems.append(Problem(str(name), f"cannot be converted ({type(exc).__name__}: {exc})"))
        return None, None, str(name)
    if table == "orders" and "contribution_margin" not in frame and "cost" in frame:
        frame["contribution_margin"] = frame["revenue"] - frame["cost"]
    if "cost" in frame:
        frame = frame.drop(columns="cost")
    frame = _without_empty_columns(frame, table, columns, str(name), problems)
    frame.attrs["sources"] = dict(columns)
    return frame, raw.rows, str(name)


def _without_empty_columns(frame: pd.DataFrame, table: str, columns: dict[str, str], name: str,
                           problems: list[Problem]) -> pd.DataFrame:
    """``frame`` without its optional columns that hold no value at all, each named in a warning.

    An export often carries a column it never fills (a margin, an order
    number, an industry). Read as it is, an empty margin would make every
    margin zero; without it, the analysis works as on data that has no such
    column, and says what it would need.
    """
    required = set(SCHEMA[table][0])
    empty = [c for c in frame.columns if c not in required and c != "revenue" and len(frame)
             and not frame[c].notna().any()]
    for canonical in empty:
        source = columns.get(canonical, canonical)
        problems.append(Problem(name, f"column '{source}' ({canonical}) holds no value in any row; the analysis "
                                      "runs as on data without it", column=source, severity="warning"))
    return frame.drop(columns=empty) if empty else frame


def _check_merged(raw: _Raw, columns: dict[str, str], name: str, problems: list[Problem]) -> None:
    """Merged cells in the data rows of the columns read: only their first row holds the value."""
    if not raw.merged:
        return
    used = {source for source in columns.values()}
    names = _unique_names(raw.header)
    for ref, first_row, last_row, first_col, last_col in raw.merged:
        if last_row <= raw.header_row:
            continue
        hit = [names[c - 1] for c in range(first_col, last_col + 1) if c - 1 < len(names) and names[c - 1] in used]
        if hit:
            row = max(first_row, raw.header_row + 1)
            problems.append(Problem(name, f"cells {ref} are merged, so only their first cell holds a value; "
                                          "unmerge them and fill in every row", row=row, column=hit[0]))


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
    unknown = ~isin(frame["customer_id"], known) & frame["customer_id"].notna().to_numpy()
    if not unknown.any():
        return None
    ids = pd.unique(frame.loc[unknown, "customer_id"])
    first = int(rows[np.flatnonzero(unknown)[0]])
    examples = ", ".join(repr(i) for i in ids[:5])
    return Problem(name, f"{int(unknown.sum()):,} {what} of {len(ids):,} customer id(s) that are not in the "
                         f"customers file, for example {examples}", row=first, column="customer_id")


def _late_orders(orders: pd.DataFrame, rows: np.ndarray, params: Params) -> tuple[Problem | None, np.ndarray]:
    """Invoice lines dated after the reference date the params set, or after today.

    Returns the finding and which lines to keep. With an explicit
    ``reference_date`` the analysis is as of that day: later lines (a newer
    export, an earlier date replayed, invoices dated ahead) are left out with
    a warning that counts them. Without one, the reference date is the last
    invoice date, so a line dated after today (a typo such as 2205) would move
    the whole analysis: that is an error, and setting ``reference_date``
    leaves such lines out instead.
    """
    explicit = params.reference_date is not None
    limit = pd.Timestamp(params.reference_date if explicit else dt.date.today())
    late = (orders["date"] > limit).to_numpy()
    if not late.any():
        return None, ~late
    first = int(rows[np.flatnonzero(late)[0]])
    latest = orders.loc[late, "date"].max()
    count = f"{int(late.sum()):,} invoice line(s) dated"
    column = _source_name(orders, "date")
    if explicit:
        return Problem(params.data.orders, f"{count} after the reference date {params.reference_date} (params key "
                                           f"reference_date), the first in this row, the latest {latest:%Y-%m-%d}; "
                                           "they are left out of the analysis", row=first, column=column,
                       severity="warning"), ~late
    return Problem(params.data.orders, f"{count} in the future (after today), the first in this row, the latest "
                                       f"{latest:%Y-%m-%d}; correct the dates, or set reference_date to leave "
                                       "later lines out", row=first, column=column), ~late


def _source_name(frame: pd.DataFrame, canonical: str) -> str:
    """The name a canonical column has in the file it was read from."""
    return frame.attrs.get("sources", {}).get(canonical, canonical)


def _leave_out_unknown(frame: pd.DataFrame, rows: np.ndarray, known: pd.Series, name: str, what: str,
                       warnings: list[Problem]) -> pd.DataFrame:
    """Rows of customers missing from the master: reported as a warning and left out."""
    found = _unknown(frame, rows, known, name, what)
    if not found:
        return frame
    warnings.append(Problem(found.file, found.message + "; they are left out of the analysis",
                            row=found.row, column=found.column, severity="warning"))
    return frame[isin(frame["customer_id"], known)].reset_index(drop=True)


class FileTables(LazyTables):
    """:class:`Tables` whose invoice lines and CRM activities the full reader reads on first use.

    For a workbook whose lines and activities DuckDB read and checked
    (:meth:`smartacct_helpers.workbook.Workbook.from_files`): the analyses
    read them there, and ``orders`` or ``activities`` is a frame only when
    something asks for it.
    """

    def __init__(self, params: Params, **tables):
        self._params = params
        super().__init__(**tables)

    def _read(self, table: str) -> pd.DataFrame | None:
        if table == "unattributed":  # DuckDB read the lines only where every one has a customer id
            return None
        if not getattr(self._params.data, table):
            return None
        problems: list[Problem] = []
        frame, _, _ = read_table(self._params, table, problems)
        if any(p.severity == "error" for p in problems):
            raise InputDataError([p for p in problems if p.severity == "error"])
        if frame is not None:
            frame.attrs.pop("sources", None)
        return frame


def load_tables(params: Params, lines: bool = True) -> Tables:
    """Read, map, convert and check every table the params name.

    Every table is read and checked, and every problem of every table is
    raised together: a bad customer master and bad invoice lines are
    reported in one run. The checks across tables (invoice lines of
    customers missing from the master) run where both tables were read
    without errors.

    Invoice lines without a customer id are left out and summed per day
    into ``unattributed`` (``data.missing_customer_id: exclude``, the
    default), or each is a problem (``refuse``). Customer attributes mapped
    on the invoice lines (:data:`~smartacct_helpers.columns.LINE_ATTRIBUTES`)
    become the customers' attributes: each customer takes its latest value
    (see :func:`latest_values`); a customer master's own value wins.

    With ``lines=False`` the invoice lines and the CRM activities are left
    to the caller, who has read and checked them elsewhere; they are read
    on first use (see :class:`FileTables`). A customer master is then
    required.

    Raises
    ------
    ParamsError
        A named file is missing.
    InputDataError
        With every problem found in the data.
    """
    if params.data.database:  # tables in a database: mapped there, invoice lines read only when asked for
        from .engines import engine_tables

        return engine_tables(params)
    problems: list[Problem] = []
    files: dict[str, str] = {}
    frames: dict[str, pd.DataFrame | None] = {}
    rows: dict[str, np.ndarray | None] = {}
    for table in ("orders", "customers", "activities", "market", "assessments"):
        if table in ("orders", "activities") and not lines:
            if getattr(params.data, table):
                files[table] = str(params.path(getattr(params.data, table)))
            frames[table] = rows[table] = None
            continue
        before = len(problems)
        frame, row_numbers, name = read_table(params, table, problems)
        if any(p.severity == "error" for p in problems[before:]):
            frame = row_numbers = None  # its checks below would only repeat what is wrong with it
        frames[table], rows[table] = frame, row_numbers
        if name:
            files[table] = str(params.path(getattr(params.data, table)))
    warnings = [p for p in problems if p.severity != "error"]
    problems = [p for p in problems if p.severity == "error"]

    orders, unattributed, line_values = frames["orders"], None, None
    if orders is not None:
        found, keep = _late_orders(orders, rows["orders"], params)
        if found is not None and found.severity == "error":
            problems.append(found)
        elif found is not None:
            warnings.append(found)
            orders, rows["orders"] = orders[keep].reset_index(drop=True), rows["orders"][keep]
        orders, rows["orders"], unattributed = _split_unattributed(orders, rows["orders"])
        if unattributed is not None and orders.empty:
            problems.append(Problem(params.data.orders, "no invoice line has a customer id; map the column that "
                                                        "holds it in data.columns.orders.customer_id",
                                    column=_source_name(frames["orders"], "customer_id")))
            orders = None
        attributes = [c for c in LINE_ATTRIBUTES if orders is not None and c in orders]
        if attributes:
            line_values = latest_values(orders, attributes)
            orders = orders.drop(columns=attributes)
    customers = frames["customers"]
    customers_from_orders = params.data.customers is None
    if customers_from_orders and orders is not None:
        customers = pd.DataFrame({"customer_id": sorted(pd.unique(orders["customer_id"]))}, dtype=object)
    if customers is not None and line_values is not None:
        customers = with_line_values(customers, line_values)
    if customers is not None and not customers_from_orders:
        if "employees" in customers and customers["employees"].isna().any():
            gaps = customers["employees"].isna().to_numpy()
            warnings.append(Problem(params.data.customers, f"{int(gaps.sum()):,} of {len(customers):,} customer "
                                    "rows have no employee count (the first in this row); their potential comes "
                                    "from their best year instead of the industry value per employee",
                                    row=int(rows["customers"][np.flatnonzero(gaps)[0]]),
                                    column=_source_name(customers, "employees"), severity="warning"))
        customers = _check_customers(customers, rows["customers"], params.data.customers, problems, warnings)
        found = _unknown(orders, rows["orders"], customers["customer_id"], params.data.orders,
                         "invoice lines") if orders is not None else None
        if found:
            problems.append(found)
    known = customers["customer_id"] if customers is not None else None
    activities = frames["activities"]
    if activities is not None:
        if known is not None:
            activities = _leave_out_unknown(activities, rows["activities"], known, params.data.activities,
                                            "activities", warnings)
        odd = ~activities["type"].isin(set(ACTIVITY_TYPES.values()))
        if odd.any():
            kinds = ", ".join(repr(t) for t in pd.unique(activities.loc[odd, "type"])[:5])
            warnings.append(Problem(params.data.activities, f"{int(odd.sum()):,} activities of unknown type "
                                    f"({kinds}); only visit, call, email and meeting count", column="type",
                                    severity="warning"))
    assessments = frames["assessments"]
    if assessments is not None and known is not None:
        assessments = _leave_out_unknown(assessments, rows["assessments"], known, params.data.assessments,
                                         "assessments", warnings)
    if orders is not None and "channel" in orders:
        odd = orders["channel"].notna() & ~orders["channel"].isin(CHANNELS)
        if odd.any():
            kinds = ", ".join(repr(t) for t in pd.unique(orders.loc[odd, "channel"])[:5])
            warnings.append(Problem(params.data.orders, f"{int(odd.sum()):,} invoice lines with an unknown "
                                    f"channel ({kinds}); expected field, inside, online, distributor or retail",
                                    column="channel", severity="warning"))
    if problems:
        raise InputDataError(problems)
    for frame in (orders, customers, activities, frames["market"], assessments):
        if frame is not None:
            frame.attrs.pop("sources", None)
    if not lines:
        return FileTables(params, customers=customers, market=frames["market"],
                          assessments=assessments, files=files, customers_from_orders=False, warnings=warnings)
    return Tables(
        orders=orders,
        customers=customers,
        activities=activities,
        market=frames["market"],
        assessments=assessments,
        files=files,
        customers_from_orders=customers_from_orders,
        warnings=warnings,
        unattributed=unattributed,
    )


def _split_unattributed(orders: pd.DataFrame, rows: np.ndarray):
    """The invoice lines with a customer id, their rows, and those without one summed per day (None: there are none)."""
    missing = orders["customer_id"].isna().to_numpy()
    if not missing.any():
        return orders, rows, None
    return orders[~missing].reset_index(drop=True), rows[~missing], unattributed_by_day(orders[missing])


def unattributed_by_day(lines: pd.DataFrame) -> pd.DataFrame:
    """Invoice lines (without a customer id) summed per day: ``date``, ``lines``, ``revenue``.

    The revenue is summed to the millionth, as the engines sum money
    (:func:`smartacct_helpers.facts.money_sum`).

    >>> lines = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-05"]),
    ...                       "revenue": [0.1, 0.2, -3.0]})
    >>> unattributed_by_day(lines)[["lines", "revenue"]].values.tolist()
    [[2.0, 0.3], [1.0, -3.0]]
    """
    days = pd.DataFrame({"date": lines["date"].dt.normalize().to_numpy(), "lines": 1,
                         "revenue": lines["revenue"].to_numpy(dtype="float64")})
    out = days.groupby("date", sort=True).agg(lines=("lines", "sum"), revenue=("revenue", "sum")).reset_index()
    return pd.DataFrame({"date": out["date"].astype("datetime64[ns]"), "lines": out["lines"].astype("int64"),
                         "revenue": to_the_millionth(out["revenue"].to_numpy())})


def to_the_millionth(values) -> np.ndarray:
    """Sums of money rounded to the millionth, as the engines round them (:func:`smartacct_helpers.facts.to_the_millionth`).

    >>> to_the_millionth([0.1 + 0.2, -5.7e-14]).tolist()
    [0.3, 0.0]
    """
    values = np.asarray(values, dtype="float64")
    return np.floor(values * 1e6 + 0.5) / 1e6 + 0.0


def latest_values(orders: pd.DataFrame, attributes: list[str]) -> pd.DataFrame:
    """Each customer's latest value of each attribute on its invoice lines, indexed by customer id.

    The value of the customer's latest line that has one: a line without
    a value does not override an earlier one. Lines of that same day that
    disagree give the greatest value (the last in alphabetical order), so
    that the answer does not depend on the order of the lines.

    >>> o = pd.DataFrame({"customer_id": ["7", "7", "7", "9"],
    ...                   "date": pd.to_datetime(["2024-01-05", "2025-02-01", "2025-03-01", "2025-01-01"]),
    ...                   "region": ["North", "South", None, None]})
    >>> latest_values(o, ["region"])["region"].to_dict()
    {'7': 'South', '9': nan}
    """
    ids = pd.Index(sorted(pd.unique(orders["customer_id"])), name="customer_id")
    out = {}
    for column in attributes:
        given = orders[column].notna().to_numpy()
        lines = pd.DataFrame({"customer_id": orders["customer_id"].to_numpy()[given],
                              "date": orders["date"].to_numpy()[given], "value": orders[column][given].array})
        latest = lines.groupby("customer_id")["date"].transform("max")
        values = lines[(lines["date"] == latest).to_numpy()].groupby("customer_id")["value"].max()
        out[column] = values.reindex(ids)
    return pd.DataFrame(out, index=ids)


def with_line_values(customers: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """``customers`` with the attributes taken from the invoice lines (:func:`latest_values`).

    A customer master's own value wins where it has one; its gaps and the
    columns it lacks are filled from the lines.

    >>> master = pd.DataFrame({"customer_id": ["7", "9"], "region": ["West", None]})
    >>> lines = pd.DataFrame({"region": ["South", "North"], "industry": ["retail", "trade"]},
    ...                      index=pd.Index(["7", "9"], name="customer_id"))
    >>> with_line_values(master, lines).values.tolist()
    [['7', 'West', 'retail'], ['9', 'North', 'trade']]
    """
    customers = customers.copy()
    ids = customers["customer_id"]
    for column in values.columns:
        from_lines = pd.Series(values[column].reindex(ids).array, index=customers.index)
        if column in customers:
            customers[column] = customers[column].where(customers[column].notna(), from_lines)
        else:
            customers[column] = from_lines
    return customers
