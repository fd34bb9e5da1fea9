"""Tables a client can act on (CSV and XLSX files) and the facts of ``smartacct facts``, written atomically.

Each file is written under a temporary name in the target folder and renamed
into place when complete, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def readable_mode(directory: bool = False) -> int:
    """The permissions a new file (or folder) gets under the current umask.

    Temporary files start private (0600); a finished output gets the mode the
    user would expect from a plain ``open``.
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def atomic_write(path: str | Path, write) -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then rename it into place.

    A reader never sees half a file, and a failed write leaves the old file
    (if any) untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, readable_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with a byte-order mark, so that spreadsheet programs show umlauts."""
    return atomic_write(path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))


#: the rows of an Excel sheet, its header included; a longer table goes on into sheets ``name (2)``, ...
EXCEL_ROWS = 1_048_576
#: the most characters an Excel cell holds; a longer text is cut there (the CSV file holds it whole)
EXCEL_TEXT = 32_767


def write_xlsx(
    sheets: dict[str, pd.DataFrame] | pd.DataFrame, path: str | Path, currency: str | None = None, style: str = "en"
) -> Path:
    """An Excel workbook with one sheet per entry: a bold, frozen header row with a filter, columns sized to fit,
    printed landscape on pages one page wide with the header row on each, page numbers in the footer.

    With ``currency`` the workbook is written for the client (:func:`for_client`): headers in words with
    their units, ``yes``/``no`` for true/false, and each column of the column catalogue in its number format
    (money in ``currency``, shares as ``12.3%``, counts with thousands separators, days in ``style``'s
    order); without it, the headers are the column names and the values as they are.

    Numbers stay numbers, true/false stay Excel's booleans, days are dates
    (with the time where a column has one), infinity is the text ``inf``,
    a missing value is an empty cell, and a text longer than a cell holds
    is cut at :data:`EXCEL_TEXT` characters. Sheet names are made ones Excel
    takes (see :func:`sheet_names`). A table longer than a sheet holds
    (:data:`EXCEL_ROWS`, the header included) goes on in sheets named
    ``name (2)``, ``name (3)``, ..., each with the header: no row is left out.

    Tables of typed columns are written by rustpy-xlsxwriter, which reads
    them through Arrow in compiled code: 100,000 customers of 49 columns in
    about 3 s, an eighth of the time writing cell by cell from Python takes
    (``benchmarks/bench_exports.py``). A column of mixed values (text beside numbers or dates, each
    kept as what it is) sends the workbook to XlsxWriter, cell by cell.

    >>> import pandas as pd, openpyxl, tempfile
    >>> path = write_xlsx({"lists": pd.DataFrame({"customer_id": ["7"], "revenue": [12.5]})},
    ...                   Path(tempfile.mkdtemp()) / "x.xlsx")
    >>> [list(row) for row in openpyxl.load_workbook(path)["lists"].values]
    [['customer_id', 'revenue'], ['7', 12.5]]
    >>> sheet = openpyxl.load_workbook(write_xlsx({"lists": pd.DataFrame({"revenue_12m": [1234.5], "overdue": [True]})},
    ...     Path(tempfile.mkdtemp()) / "x.xlsx", "EUR", "de"))["lists"]
    >>> [c.value for c in sheet[1]], [c.value for c in sheet[2]], sheet["A2"].number_format
    (['Revenue, last 12 months (€)', 'Overdue'], [1234.5, 'yes'], '#,##0 "€"')
    """
    import pandas as pd

    if isinstance(sheets, pd.DataFrame):
        sheets = {"customers": sheets}
    formats: dict[str, str] = {}
    if currency is not None:
        sheets = {name: for_client(df, currency, style) for name, df in sheets.items()}
        formats = {header: fmt for df in sheets.values() for header, fmt in df.attrs.get("number_formats", {}).items()}
    date_format = DATE_FORMATS.get(style, DATE_FORMATS["en"]) if currency is not None else "yyyy-mm-dd"
    names, frames = [], []
    for name, df in sheets.items():
        per_sheet = EXCEL_ROWS - 1
        parts = [df.iloc[i : i + per_sheet] for i in range(0, len(df), per_sheet)] if len(df) > per_sheet else [df]
        names += [name] * len(parts)
        frames += parts
    typed = [_typed(df) for df in frames]
    if all(df is not None for df in typed):
        return atomic_write(
            path, lambda tmp: _write_typed(dict(zip(sheet_names(names), typed, strict=True)), tmp, formats, date_format)
        )

    def write(tmp):
        import xlsxwriter

        book = xlsxwriter.Workbook(
            tmp, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        try:
            for name, df in zip(sheet_names(names), frames, strict=True):
                _write_sheet(book, name, df, formats, date_format)
        finally:
            book.close()

    return atomic_write(path, write)


def _typed(df: pd.DataFrame) -> pd.DataFrame | None:
    """``df`` with one type per column, as rustpy-xlsxwriter takes it; None for a column of mixed values.

    Numbers, booleans, points in time and text pass; a time zone is
    dropped, the wall time kept. Any other column (Python objects,
    categories, periods) takes the one type of its values: text (a period
    as ``2025Q1``), numbers (a decimal too), true/false or points in time, with missing values
    (``None``, ``NaN``, ``pd.NA``, ``NaT``) as empty cells; a column with no
    value at all is an empty text column. A column of mixed values sends the
    table to XlsxWriter. Text is cut at :data:`EXCEL_TEXT` characters.

    >>> import pandas as pd
    >>> t = _typed(pd.DataFrame({"industry": pd.Series([pd.NA, None], dtype=object),
    ...                          "discount": pd.Series([1.5, pd.NA], dtype=object)}))
    >>> [str(t[c].dtype) for c in t]
    ['string', 'float64']
    """
    import pandas as pd

    out = {}
    for name, column in df.items():
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_localize(None)
        elif not (isinstance(column.dtype, pd.StringDtype) or column.dtype.kind in "iufbM"):
            column = _one_type(column.astype(object))
            if column is None:
                return None
        if pd.api.types.is_string_dtype(column) and bool(column.str.len().gt(EXCEL_TEXT).fillna(False).any()):
            column = column.str.slice(0, EXCEL_TEXT)
        out[name] = column
    return pd.DataFrame(out, index=df.index) if out else df


#: what :func:`pandas.api.types.infer_dtype` says of a column -> the type it is written as
_KINDS = {
    "string": "string",
    "empty": "string",
    "floating": "float64",
    "integer": "float64",
    "mixed-integer-float": "float64",
    "decimal": "float64",
    "boolean": "boolean",
    "datetime": "datetime64[ns]",
    "datetime64": "datetime64[ns]",
    "date": "datetime64[ns]",
    "period": "text",
    "interval": "text",
}


def _one_type(column: pd.Series) -> pd.Series | None:
    """A column of Python objects as the one type its values share (see :func:`_typed`); None when they differ."""
    import numpy as np
    import pandas as pd

    kind = _KINDS.get(pd.api.types.infer_dtype(column, skipna=True))
    if kind is None:
        return None
    present = column.notna()
    if kind == "string":
        return column.where(present, None).astype("string")
    if kind == "text":  # periods and intervals as they read: 2025Q1
        return column.map(str).where(present, None).astype("string")
    if kind == "float64":
        return pd.Series(np.where(present, column, np.nan).astype("float64"), index=column.index, name=column.name)
    if kind == "boolean":
        return column.where(present, None).astype("boolean")
    days = pd.to_datetime(column.where(present, None), errors="coerce")
    if isinstance(days.dtype, pd.DatetimeTZDtype):
        days = days.dt.tz_localize(None)
    return days if days.notna().sum() == present.sum() else None


def _write_typed(
    sheets: dict[str, pd.DataFrame], tmp: str, number_formats: dict[str, str] | None = None, date_format="yyyy-mm-dd"
) -> None:
    """The sheets of :func:`write_xlsx` written by rustpy-xlsxwriter (typed columns only, see :func:`_typed`)."""
    import rustpy_xlsxwriter as rx

    number_formats = number_formats or {}
    made: dict[str, rx.Format] = {}

    def fmt(code: str):
        if code not in made:
            made[code] = rx.Format().set_num_format(code)
        return made[code]

    formats = {
        name: {
            c: fmt(
                f"{date_format} hh:mm:ss"
                if df[c].dtype.kind == "M"
                else number_formats.get(c) or _default_format(df[c])
            )
            for c in df.columns
            if (df[c].dtype.kind == "M" and _has_time(df[c]))
            or (c in number_formats and df[c].dtype.kind != "M")
            or (df[c].dtype.kind in "iuf" and df[c].dtype.kind != "b")
        }
        for name, df in sheets.items()
    }
    rx.write_worksheets(
        list(sheets.items()),
        tmp,
        freeze_panes={"general": {"row": 1, "col": 0}},
        datetime_format=date_format,
        inf_value="inf",
        header_format={name: rx.Format().set_bold().set_text_wrap().set_align("top") for name in sheets},
        autofilter={name: True for name in sheets},
        page_setup={name: dict(PAGE_SETUP) for name in sheets},
        column_formats={name: f for name, f in formats.items() if f},
        column_widths={name: [_width(df[c]) for c in df.columns] for name, df in sheets.items()},
    )


#: how every sheet prints: landscape, one page wide and as long as it takes, the header row on each page
PAGE_SETUP = {"landscape": True, "fit_to_pages": (1, 0), "repeat_rows": 0, "footer": "&CPage &P of &N"}
#: the day as each number format writes it
DATE_FORMATS = {"en": "yyyy-mm-dd", "de": "dd.mm.yyyy"}


def _default_format(column: pd.Series) -> str:
    """The number format of a number column the catalogue does not know: thousands, and two decimals where the
    values have them."""
    values = column.dropna()
    whole = column.dtype.kind in "iu" or bool(len(values) == 0 or (values == values.round()).all())
    return "#,##0" if whole else "#,##0.00"


def number_format(kind: str, decimals: int = 0, currency: str = "EUR", style: str = "en") -> str | None:
    """Excel's number format for a column of the catalogue's ``kind`` (None: a text, or Excel's own).

    Excel shows the separators of the reader's own settings; the currency follows the table headers
    (the symbol in ``de``, the code in ``en``).

    >>> number_format("money", 0, "EUR", "de"), number_format("share"), number_format("count"), number_format("text")
    ('#,##0 "€"', '0.0%', '#,##0', None)
    >>> number_format("money", 2, "USD"), number_format("number", 1)
    ('#,##0.00 "USD"', '#,##0.0')
    """
    from ..presentation.formatting import SYMBOLS

    places = "." + "0" * decimals if decimals else ""
    if kind == "money":
        unit = SYMBOLS.get(currency, currency) if style == "de" else currency
        return f'#,##0{places} "{unit}"'
    if kind == "share":
        return "0.0%"
    if kind in ("count", "number"):
        return f"#,##0{places}"
    return None


def for_client(df: pd.DataFrame, currency: str = "EUR", style: str = "en") -> pd.DataFrame:
    """``df`` as the client's Excel file shows it: headers in words with their units (the column catalogue),
    code names in words, ``yes``/``no`` for true/false; its ``attrs["number_formats"]`` maps each header to
    its number format.

    >>> import pandas as pd
    >>> out = for_client(pd.DataFrame({"customer_id": ["7"], "industry": ["plumbers_heating"],
    ...                                "share_of_wallet": [0.25], "overdue": [False]}), "EUR", "de")
    >>> list(out.columns), [str(v) for v in out.iloc[0]], out.attrs["number_formats"]
    (['Customer number', 'Industry', 'Share of wallet (%)', 'Overdue'], ['7', 'plumbers, heating', '0.25', 'no'], {'Share of wallet (%)': '0.0%'})
    """
    import pandas as pd

    from ..presentation.columns import COLUMNS, header, words

    out, formats, seen = {}, {}, set()
    for name, column in df.items():
        head = header(str(name), currency, style)
        while head in seen:  # two columns of the same words keep apart
            head += " "
        seen.add(head)
        known = COLUMNS.get(str(name))
        if column.dtype.kind == "b" or str(column.dtype) == "boolean" or (known is not None and known.kind == "yes/no"):
            present = column.notna()
            column = (
                column.map(lambda v: "yes" if bool(v) else "no", na_action="ignore")
                .where(present, None)
                .astype("string")
            )
        elif known is not None and known.kind == "code" and not pd.api.types.is_numeric_dtype(column):
            present = column.notna()
            column = column.map(lambda v, known=known: words(v, known.values)).where(present, None).astype("string")
        elif known is not None and pd.api.types.is_numeric_dtype(column):
            code = number_format(known.kind, known.decimals, currency, style)
            if code:
                formats[head] = code
        out[head] = column
    result = pd.DataFrame(out, index=df.index)
    result.attrs["number_formats"] = formats
    return result


def _has_time(column: pd.Series) -> bool:
    """Whether a column of points in time has a time of day other than midnight."""
    present = column.dropna()
    return bool((present != present.dt.normalize()).any())


def _width(column: pd.Series) -> int:
    """The width of a column: its header or its longest value among the first 200, plus 2, within 8 to 50."""
    sample = column.head(200).astype(str).str.len().fillna(0)  # a missing value stays missing as text
    width = max(len(str(column.name)), int(sample.max()) if len(sample) else 0)
    return min(max(width + 2, 8), 50)


def sheet_names(names) -> list[str]:
    """``names`` as Excel sheet names: ``[]:*?/\\`` as ``-``, at most 31 characters, none twice.

    Excel compares sheet names without case; a repeat gets `` (2)``,
    `` (3)``, ... within the 31 characters. A name left empty is ``sheet``.

    >>> sheet_names(["Nord/Ost", "Innendienst Süd-West und Bayern 1", "innendienst süd-west und bayern 2", ""])
    ['Nord-Ost', 'Innendienst Süd-West und Bayern', 'innendienst süd-west und ba (2)', 'sheet']
    """
    import re

    out, seen = [], set()
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("'")[:31] or "sheet"
        name, k = base, 1
        while name.lower() in seen:
            k += 1
            suffix = f" ({k})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
        seen.add(name.lower())
        out.append(name)
    return out


def _write_sheet(
    book, name: str, df: pd.DataFrame, number_formats: dict[str, str] | None = None, date_format="yyyy-mm-dd"
) -> None:
    """One sheet of :func:`write_xlsx` by XlsxWriter: the header, then each row, a writer per column chosen once."""
    import pandas as pd

    ws = book.add_worksheet(name)
    ws.freeze_panes(1, 0)
    ws.write_row(
        0, 0, [str(c) for c in df.columns], book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    )
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_footer(PAGE_SETUP["footer"])
    columns = [_cells(book, ws, df[c], date_format) for c in df.columns]
    for i, col in enumerate(df.columns):
        code = (number_formats or {}).get(col)
        if code is None and df[col].dtype.kind in "iuf":
            code = _default_format(df[col])
        if code is None and df[col].dtype == object:  # numbers among other values
            numbers = [v for v in df[col] if isinstance(v, (int, float)) and not isinstance(v, bool)]
            code = _default_format(pd.Series(numbers, dtype="float64")) if numbers else None
        ws.set_column(i, i, _width(df[col]), book.add_format({"num_format": code}) if code else None)
    for r in range(len(df)):
        for j, (cell, values) in enumerate(columns):
            value = values[r]
            if value is not None:
                cell(r + 1, j, value)


def _cells(book, ws, column: pd.Series, date_format: str = "yyyy-mm-dd"):
    """How to write one column: a worksheet method for its type and its values as Python objects (None: empty)."""
    import datetime as dt
    import math

    import numpy as np
    import pandas as pd

    kind = column.dtype.kind
    present = column.notna().to_numpy()
    if kind == "M":  # days, or points in time where the column has a time of day
        days = column.dt.tz_localize(None) if getattr(column.dt, "tz", None) else column
        style = book.add_format({"num_format": f"{date_format} hh:mm:ss" if _has_time(days) else date_format})
        values = [v if ok else None for v, ok in zip(days.dt.to_pydatetime(), present, strict=True)]
        return (lambda r, c, v: ws.write_datetime(r, c, v, style)), values
    if kind in "iuf":
        numbers = column.to_numpy(dtype="float64", na_value=np.nan)
        if np.isfinite(numbers[present]).all():
            return ws.write_number, [v if ok else None for v, ok in zip(numbers.tolist(), present, strict=True)]
    values = column.astype(object).where(present, None).tolist()
    if kind == "b":
        return ws.write_boolean, values
    if pd.api.types.is_string_dtype(column):
        return ws.write_string, values
    day = book.add_format({"num_format": date_format})

    def cell(r, c, v):  # a column of mixed values: each as what it is
        if isinstance(v, (bool, np.bool_)):
            ws.write_boolean(r, c, bool(v))
        elif isinstance(v, (int, float, np.integer, np.floating)) and math.isfinite(v):
            ws.write_number(r, c, float(v))
        elif isinstance(v, (int, float, np.integer, np.floating)) and not math.isnan(v):
            ws.write_string(r, c, "inf" if v > 0 else "-inf")
        elif isinstance(v, dt.datetime | dt.date):
            ws.write_datetime(r, c, v, day)
        elif not isinstance(v, (float, np.floating)):
            ws.write_string(r, c, str(v))

    return cell, values


def export_table(
    df: pd.DataFrame, out_dir: str | Path, name: str, currency: str | None = None, style: str = "en"
) -> list[Path]:
    """Write ``name.csv`` and ``name.xlsx`` into ``out_dir``; returns both paths.

    With ``currency`` the Excel file is the client's (see :func:`write_xlsx`), its sheet named in words
    ("customer_segments" is "Customer segments"); the CSV file keeps the column names for further work.
    """
    out = Path(out_dir)
    sheet = name if currency is None else sheet_title(name)
    return [write_csv(df, out / f"{name}.csv"), write_xlsx({sheet: df}, out / f"{name}.xlsx", currency, style)]


def sheet_title(name: str) -> str:
    """A file's name as the title of its sheet: words, first letter capitalised.

    >>> sheet_title("customer_segments"), sheet_title("overview")
    ('Customer segments', 'Overview')
    """
    from ..presentation.formatting import capitalised

    return capitalised(name.replace("_", " ").strip())


def export_facts(params_file: str | Path, out: str | Path) -> tuple[Path, int]:
    """Write the per-customer-per-year facts to ``out`` (``.parquet`` or ``.csv``).

    The aggregation runs in the engine; only the customer-year rows come
    back, and they are written under a temporary name first. Returns the
    path and the number of rows.

    Where the data lives decides the route: with ``data.database`` the
    database aggregates its own tables; a Parquet file or a CSV file with
    plain numbers and dates is read by DuckDB directly, with the checks of
    the full reader that concern every invoice line run in DuckDB too. Only
    when a file needs the full reader (Excel, thousands separators, mixed
    styles, or a check that finds a problem) are the invoice lines read into
    pandas first, so that every problem is reported with its row and column.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from ..exceptions import ParamsError
    from ..facts.export import facts_export
    from ..params import load_params

    out = Path(out)
    if out.suffix.lower() not in (".parquet", ".csv"):
        raise ParamsError(f"--out must end in .parquet or .csv, got {out.name}")
    params = load_params(params_file)
    result = facts_export(params)
    if out.suffix.lower() == ".parquet":
        # a dictionary for the ids alone: encoding every number column as one took twice the time of the write
        atomic_write(out, lambda tmp: pq.write_table(result, tmp, use_dictionary=["customer_id"]))
    else:
        atomic_write(out, lambda tmp: pacsv.write_csv(result, tmp))
    return out, result.num_rows
