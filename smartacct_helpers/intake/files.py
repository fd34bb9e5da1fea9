"""Reading a file as it is: CSV, Excel or Parquet into text per column, with the row a person sees.

The first step of :func:`smartacct_helpers.intake.tables.load_tables`:
:func:`read_raw` reads a file whole, detects what a CSV file does not say
(encoding, delimiter) and keeps, for each record, the line of the file or
the row of the Excel sheet (the header as row 1), so that every problem
found later names it. Nothing is converted here; input files are only ever
read.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import Problem
from .conventions import detect_delimiter, detect_encoding


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
        return (
            "holds NUL bytes: it is no text file, or UTF-16 without a byte-order mark; export it as CSV in "
            "UTF-8 or set data.csv.encoding (for example utf-16)"
        )
    return None


def _read_csv(path: Path, name: str, options, problems: list[Problem]) -> _Raw | None:
    """A CSV file as text columns: decoded, split by its delimiter, blank lines left out; None after a problem."""
    text = _csv_text(path, name, options, problems)
    if text is None:
        return None
    found = _csv_delimiter(text, name, options, problems)
    if found is None:
        return None
    delimiter, header = found
    try:
        written = next(csv.reader([header], delimiter=delimiter))
    except (csv.Error, StopIteration):
        written = header.split(delimiter)
    frame = _csv_frame(text, name, delimiter, len(written), problems)
    if frame is None:
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = _csv_line_numbers(text, len(frame))
    blank = frame.apply(lambda s: s.str.strip().eq("")).all(axis=1) if len(frame.columns) else None
    if blank is not None and blank.any():
        keep = ~blank.to_numpy()
        frame, rows = frame[keep].reset_index(drop=True), rows[keep]
    return _Raw(frame, rows, "csv", delimiter, header=[c.strip() for c in written])


def _csv_text(path: Path, name: str, options, problems: list[Problem]) -> str | None:
    """The file's text in its encoding (detected, or ``data.csv.encoding``); None for an empty or binary file."""
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
        problems.append(
            Problem(
                name,
                f"cannot be read as {encoding} ({exc.__class__.__name__}); "
                "set data.csv.encoding (for example cp1252 or utf-8)",
                row=line,
            )
        )
        return None
    text = text.lstrip("\ufeff")
    if not text.strip():
        problems.append(Problem(name, "the file is empty; expected a header line and data rows", row=1))
        return None
    return text


def _csv_delimiter(text: str, name: str, options, problems: list[Problem]) -> tuple[str, str] | None:
    """``(delimiter, header line)``; None when the delimiter set in the params is not the header's."""
    header = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]  # pandas ends a line at any of these
    delimiter = detect_delimiter(header) if options.delimiter == "auto" else options.delimiter.replace("\\t", "\t")
    if options.delimiter != "auto":
        unquoted = re.sub(r'"[^"]*"', "", header)
        seen = detect_delimiter(header)
        if delimiter not in unquoted and seen in unquoted:
            problems.append(
                Problem(
                    name,
                    f"the header line holds no {delimiter!r} (data.csv.delimiter) but is "
                    f"separated by {seen!r}; set data.csv.delimiter to {seen!r} or to auto",
                    row=1,
                )
            )
            return None
    return delimiter, header


def _csv_frame(text: str, name: str, delimiter: str, width: int, problems: list[Problem]) -> pd.DataFrame | None:
    """The records as text, read by pandas; rows longer than the header's ``width`` fields only where the extra
    fields are empty (a trailing delimiter). None after a problem: a quote never closed, a row that cannot be
    split, values beyond the header.
    """
    usecols = None
    for _attempt in ("as is", "header's columns only"):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                # index_col=False: a row longer than the header must never turn its first fields into an index
                frame = pd.read_csv(
                    io.StringIO(text),
                    sep=delimiter,
                    dtype=str,
                    keep_default_na=False,
                    na_values=[],
                    skip_blank_lines=False,
                    quoting=csv.QUOTE_MINIMAL,
                    engine="c",
                    index_col=False,
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
                problems.append(
                    Problem(
                        name,
                        'a quote (") opened in this row is never closed; check the quotes',
                        row=int(match.group(1)) + 1 if match else None,
                    )
                )
                return None
            else:
                match = re.search(r"line (\d+)", str(exc))
                row = int(match.group(1)) if match else None
                what = f"expected {expected.group(1)} fields" if expected else "cannot be split into fields"
                problems.append(
                    Problem(
                        name,
                        f"{what} separated by {delimiter!r} like the header; check the delimiter and quotes",
                        row=row,
                    )
                )
                return None
        if usecols is not None or not any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            break
        # some rows are longer than the header: fine where the extra fields are empty (a trailing delimiter)
        long_rows = _overlong_rows(text, delimiter, width)
        for row in long_rows[:20]:
            problems.append(
                Problem(
                    name,
                    f"has more fields than the {width} of the header; a value "
                    f"holds {delimiter!r} without quotes, or the columns are shifted",
                    row=row,
                )
            )
        if len(long_rows) > 20:
            problems.append(Problem(name, f"{len(long_rows) - 20:,} more rows have more fields than the header"))
        if long_rows:
            return None
        usecols = list(range(width))
    return frame


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


def _read_xlsx(
    path: Path,
    name: str,
    problems: list[Problem],
    sheet: str | None = None,
    required: list[set[str]] | None = None,
    table: str | None = None,
) -> _Raw | None:
    """One sheet of an Excel workbook as text, with the Excel row numbers.

    The header is the first row that holds every required column (``required``:
    per column, the lower-case names it may have), looked for in the first
    rows, so a title above the table is skipped (with a warning). Merged cells
    in the data are recorded; the caller reports those in the columns it reads.
    """
    setting = f"data.sheets.{table}" if table else "data.sheets"
    found = _sheet_cells(path, name, problems, sheet, setting)
    if found is None:
        return None
    cells, chosen, merged, others = found
    first = next((i for i, r in enumerate(cells) if any(_filled(v) for v in r)), None)
    if first is None:
        problems.append(Problem(name, f"sheet {chosen!r} is empty; expected a header row and data rows", row=1))
        return None
    head = _header_row(cells, first, required)
    width = max((len(r) for r in cells[head:]), default=0)
    header = [str(v).strip() if _filled(v) else "" for v in cells[head]] + [""] * (width - len(cells[head]))
    columns = _unique_names(header)
    body = [r + [None] * (width - len(r)) for r in cells[head + 1 :]]
    frame = pd.DataFrame(body, columns=columns, dtype=object) if body else pd.DataFrame(columns=columns, dtype=object)
    rows = np.arange(len(frame)) + head + 2
    frame = frame.apply(_excel_text) if len(frame) else frame
    keep = ~frame.isna().all(axis=1).to_numpy() if len(frame) else np.zeros(0, dtype=bool)
    raw = _Raw(
        frame[keep].reset_index(drop=True),
        rows[keep],
        "xlsx",
        header=header,
        sheet=chosen,
        other_sheets=others,
        merged=merged,
        header_row=head + 1,
    )
    if head > first:
        title = next(str(v).strip() for v in cells[first] if _filled(v))
        problems.append(
            Problem(
                name,
                f"the header is in row {head + 1}; the rows above it (starting with {title!r}) are skipped",
                row=head + 1,
                severity="warning",
            )
        )
    if others and sheet is None:
        problems.append(
            Problem(
                name,
                f"the workbook has {len(others) + 1} sheets with data; the first, "
                f"{chosen!r}, is read and {', '.join(repr(t) for t in others)} ignored; "
                f"choose another with {setting}",
                severity="warning",
            )
        )
    return raw


def _sheet_cells(path: Path, name: str, problems: list[Problem], sheet: str | None, setting: str):
    """``(cells, sheet, merged ranges, other sheets with data)`` of the chosen sheet; None after a problem."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _damaged_workbook() as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(
            Problem(
                name,
                f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc}); "
                "open it in Excel and save it again as .xlsx",
            )
        )
        return None
    try:
        sheets = [ws.title for ws in book.worksheets]
        if not sheets:
            problems.append(Problem(name, "the workbook has no worksheet"))
            return None
        chosen = sheet if sheet is not None else sheets[0]
        if chosen not in sheets:
            problems.append(
                Problem(
                    name,
                    f"{setting} names sheet {chosen!r}, which the workbook does not have; "
                    f"its sheets are: {', '.join(repr(t) for t in sheets)}",
                )
            )
            return None
        ws = book[chosen]
        ws.reset_dimensions()
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        merged = _merged_ranges(ws)
        others = [t for t in sheets if t != chosen and _has_data(book[t])]
    finally:
        book.close()
    return cells, chosen, merged, others


def _header_row(cells: list[list], first: int, required: list[set[str]] | None) -> int:
    """The first of the 30 rows from ``first`` that holds every required column; ``first`` when none does."""
    if required:
        for i in range(first, min(len(cells), first + 30)):
            names = {str(v).strip().lower() for v in cells[i] if _filled(v)}
            if all(names & options for options in required):
                return i
    return first


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


def _damaged_workbook() -> tuple[type[Exception], ...]:
    """What openpyxl raises for a damaged workbook: no zip file, a missing part, XML it cannot parse or use.

    ``InvalidFileException`` and ``BadZipFile`` for a file that is no
    workbook, ``KeyError`` for a part the zip file lacks, ``SyntaxError``
    (lxml's and ElementTree's parse errors are such) for broken XML,
    ``ValueError`` and ``TypeError`` for values its descriptors refuse,
    ``EOFError`` and ``OSError`` for a file cut short.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    return (InvalidFileException, zipfile.BadZipFile, KeyError, SyntaxError, ValueError, TypeError, EOFError, OSError)


def _has_data(ws) -> bool:
    try:
        ws.reset_dimensions()
        return any(_filled(v) for r in ws.iter_rows(max_row=20, values_only=True) for v in r)
    except _damaged_workbook():  # a sheet that cannot be read holds nothing we use
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
    except (AttributeError, KeyError, OSError, zipfile.BadZipFile):  # no access to the sheet's XML: nothing to report
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
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        columns = [c for c in schema.names if wanted is None or c in wanted]
        frame = pd.read_parquet(path, columns=columns)
    except (pa.ArrowException, OSError, ValueError) as exc:  # ArrowInvalid for a file that is no Parquet
        problems.append(Problem(name, f"cannot be read as a Parquet file: {exc}"))
        return None
    return _Raw(frame, np.arange(len(frame)) + 1, "parquet")


def read_raw(
    path: Path,
    name: str,
    options,
    problems: list[Problem],
    wanted: list[str] | None = None,
    sheet: str | None = None,
    required: list[set[str]] | None = None,
    table: str | None = None,
) -> _Raw | None:
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
