"""One presentation layer for every table: human headers with units, values in the client's number format.

Every table a client sees (in a notebook, the report or the dashboard) goes
through :func:`table`. It takes a table of the analyses (canonical column
names, raw numbers) and returns a :class:`Table` that shows

* each column under its human header with its unit, from one catalogue
  (:data:`COLUMNS`): ``revenue_12m`` is "Revenue, last 12 months (EUR)",
  ``share_of_wallet`` is "Share of wallet (%)";
* each value in the number format of the client (``en``: 1,234.56; ``de``:
  1.234,56): money without cents unless the column asks for them, shares
  as percentages with one decimal, counts with thousands separators, dates
  in the format's style (``de``: 31.12.2025, ``en``: 2025-12-31), "yes" and
  "no" for flags, "–" for a missing value, and code names in words
  (``plumbers_heating`` is "plumbers, heating", :data:`WORDS`);
* text left-aligned and numbers right-aligned; no row numbers and no
  index-name rows (a meaningful index becomes the first column); nothing
  cut short (long text wraps);
* no more than fits on an A4 page (:func:`too_wide`): a wider table is
  trimmed to the columns that matter for the story, with a sentence saying
  where the full table is (the Excel export named by the section).

The entry point takes the currency and the number format, never a
workbook, so that the notebooks' sections, the report and the dashboard
use the same layer.

Examples
--------
>>> import pandas as pd
>>> t = table(pd.DataFrame({"segment": ["field", "develop"], "revenue_12m": [1234567.8, None],
...                         "share_of_wallet": [0.4567, 0.1]}), "EUR", "de")
>>> t.headers
['Segment', 'Revenue, last 12 months (€)', 'Share of wallet (%)']
>>> t.rows
[['field sales', '1.234.568', '45,7'], ['develop', '–', '10,0']]
>>> header("revenue_12m", "EUR")
'Revenue, last 12 months (EUR)'
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

from .assumptions import assumption_value, assumptions_display, source_words
from .cells import cell, missing, yes_no
from .columns import ASSUMPTIONS, COLUMNS, KINDS, SOURCES, TEXT_KINDS, WORDS, Column, header, words
from .formatting import capitalised, date_text

__all__ = [
    "ASSUMPTIONS",
    "COLUMNS",
    "KINDS",
    "MAX_COLUMNS",
    "PAGE_CHARACTERS",
    "SOURCES",
    "WORDS",
    "Column",
    "LANDSCAPE_CHARACTERS",
    "LANDSCAPE_COLUMNS",
    "Table",
    "assumption_value",
    "assumptions_display",
    "cell",
    "date_text",
    "figures",
    "header",
    "missing",
    "source_words",
    "table",
    "too_wide",
    "words",
    "yes_no",
]


#: a table with more columns than this does not fit an A4 page in portrait
MAX_COLUMNS = 8
#: nor does one whose columns need more characters side by side (:func:`table_width`)
PAGE_CHARACTERS = 110
#: what an A4 page in landscape holds (269 mm between the margins instead of 186 mm): a table wider than a
#: portrait page prints on one in full when it fits these, and is trimmed to them otherwise
LANDSCAPE_COLUMNS = 12
LANDSCAPE_CHARACTERS = 155
#: a value written as a number, possibly with its unit ("1.234,5", "-8,594 EUR", "45.7 %", "31.12.2025", "–")
NUMBER_TEXT = re.compile(r"^(?:[-+−]?[\d.,\s]+(?:\s*(?:%|€|\$|£|EUR|USD|GBP|CHF|[a-z]+))?|–)$")
#: text longer than this wraps in its cell; a column of such text is counted this wide
WRAP_CHARACTERS = 28


# -- the table ------------------------------------------------------------------------------------------------------


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def column_width(head: str, values: list[str], kind: str) -> int:
    """Characters a column needs: its widest value (text wraps at :data:`WRAP_CHARACTERS`), or its header
    over at most three lines, plus two for the padding."""
    head_width = max(_longest_word(head), math.ceil(len(head) / 3))
    widest = max((len(v) for v in values), default=0)
    if kind in TEXT_KINDS:
        widest = min(widest, max(WRAP_CHARACTERS, max((_longest_word(v) for v in values), default=0)))
    return max(head_width, widest) + 2


def table_width(headers: list[str], rows: list[list[str]], kinds: list[str]) -> int:
    """Characters the columns of a table need side by side (:func:`column_width`)."""
    return sum(column_width(h, [r[i] for r in rows], kinds[i]) for i, h in enumerate(headers))


def too_wide(headers: list[str], rows: list[list[str]], kinds: list[str], landscape: bool = False) -> bool:
    """Whether a table does not fit an A4 page in portrait: more than :data:`MAX_COLUMNS` columns, or wider
    than :data:`PAGE_CHARACTERS` (:func:`table_width`); with ``landscape``, whether it does not fit one in
    landscape (:data:`LANDSCAPE_COLUMNS`, :data:`LANDSCAPE_CHARACTERS`).

    >>> too_wide(["Customer"] * 9, [["x"] * 9], ["text"] * 9), too_wide(["Customer"] * 9, [["x"] * 9], ["text"] * 9, True)
    (True, False)
    """
    most, width = (LANDSCAPE_COLUMNS, LANDSCAPE_CHARACTERS) if landscape else (MAX_COLUMNS, PAGE_CHARACTERS)
    return len(headers) > most or table_width(headers, rows, kinds) > width


@dataclass
class Table:
    """A table as a reader sees it; displayed as HTML in notebooks, the report and Voila.

    Attributes
    ----------
    data : DataFrame
        The table as the analysis gave it (index and raw numbers kept).
    headers, rows : list
        The human headers and the written values, row by row, of the columns shown.
    align : list of str
        "left" or "right" per column shown.
    note : str or None
        The sentence on columns left out to fit the page.
    caption : str or None
        A line above the table (what its rows and columns are).
    unknown : list of str
        Columns without an entry in :data:`COLUMNS` (shown with their words; a test keeps this empty).
    left_out : list of str
        The canonical names of the columns left out to fit the page.
    wide : bool
        Too wide for a portrait page: the report prints it on a landscape page (class ``wide``).
    """

    data: object
    headers: list[str]
    rows: list[list[str]]
    align: list[str]
    kinds: list[str]
    note: str | None = None
    caption: str | None = None
    unknown: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    wide: bool = False

    @property
    def frame(self):
        """The written values as a DataFrame under the human headers."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.headers)

    def to_html(self, table_class: str = "smartacct", key: str | None = None) -> str:
        """The table as HTML: classes for the report's style sheet, inline alignment for JupyterLab and Voila.

        Parameters
        ----------
        table_class : str
            The class of the ``<table>`` (the dashboard passes its own, ``"sa-table"``).
        key : str, optional
            A ``data-key`` attribute of the ``<table>``, by which a page or a test finds it.
        """
        esc = html.escape
        wrap = [
            kind in TEXT_KINDS and any(len(r[i]) > WRAP_CHARACTERS for r in self.rows)
            for i, kind in enumerate(self.kinds)
        ]

        def attributes(i: int, tag: str, value: str | None = None) -> str:
            side = self.align[i]
            if self.kinds[i] == "value" and value is not None and not NUMBER_TEXT.match(value):
                side = "left"  # a figure written in words ("no activities file") reads from the left
            css = f"text-align:{side}"
            if side == "right" and tag == "td":
                css += ";white-space:nowrap"
            if wrap[i]:
                css += ";min-width:14em"
            return f" class='{'num' if side == 'right' else 'text'}' style='{css}'"

        head = "".join(f"<th{attributes(i, 'th')}>{esc(h)}</th>" for i, h in enumerate(self.headers))
        body = "".join(
            "<tr>" + "".join(f"<td{attributes(i, 'td', v)}>{esc(v)}</td>" for i, v in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        caption = (
            f"<caption style='caption-side:top;text-align:left'>{esc(self.caption)}</caption>" if self.caption else ""
        )
        note = f"<p class='smartacct-table-note'>{esc(self.note)}</p>" if self.note else ""
        data_key = f" data-key='{esc(key)}'" if key else ""
        wide = " wide" if self.wide else ""
        return (
            f"<div class='smartacct-table{wide}'><table class='{esc(table_class)}'{data_key}>{caption}<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{note}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False) if self.rows else "  ".join(self.headers)
        return text + (f"\n{self.note}" if self.note else "")


def _is_row_number(index) -> bool:
    """Whether an index only numbers the rows: it has no name and holds whole numbers (0, 1, 2, ... or a
    selection of them)."""
    import pandas as pd

    if index.name is not None or isinstance(index, pd.MultiIndex):
        return False
    return isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype)


def _kind_of(values) -> str:
    """The kind of a column the catalogue lacks, from its values."""
    import pandas as pd

    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "yes/no"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_integer_dtype(dtype):
        return "count"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "code"


def table(
    frame,
    currency: str = "EUR",
    style: str = "en",
    *,
    keep: list[str] | None = None,
    export: str | None = None,
    cells: str | None = None,
    caption: str | None = None,
    drop_empty_text: bool = True,
    fit: bool = True,
) -> Table:
    """A table of the analyses as a reader sees it: human headers, values in the number format, fit to a page.

    Long because it is the one way every table reaches a client: half of it is
    the description of its options, the rest one pass from frame to page.

    Parameters
    ----------
    frame : DataFrame or Series
        Columns (and index levels) under their canonical names (:data:`COLUMNS`).
        A named index, or one of labels, becomes the first column(s); an
        index that only numbers the rows is left out.
    currency : str
        The params' currency, shown in the headers of money columns.
    style : str
        The params' number format, ``"en"`` or ``"de"``.
    keep : list of str, optional
        The columns that matter for the story, in order. When the whole table
        does not fit the page, it shows the index columns and these (and, if
        still too wide, as many of them as fit).
    export : str, optional
        The file that holds the full table (``"key_accounts.xlsx"``); the
        sentence under a trimmed table names it.
    cells : str, optional
        A column of the catalogue that gives the kind of every column the
        catalogue lacks: for a cross table whose columns are values
        (``cells="customers"``); their headers are those values in words.
    caption : str, optional
        A line above the table.
    drop_empty_text : bool
        Leave out text columns that hold no value at all (default True).
    fit : bool
        Trim a table too wide for the page (default True).

    Returns
    -------
    Table
        Marked ``wide`` when it does not fit a portrait page: the report prints it on a landscape page,
        in full when it fits one, trimmed as ``keep`` says when it does not (``fit``).
    """
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame(frame.name if frame.name is not None else "value")
    out, labels = _flat(frame)
    if out.columns.name and not caption and cells:
        across, down = (header(n) for n in (str(out.columns.name), *labels[:1]))  # as the headers below write them
        caption = f"Rows: {down}; columns: {across}" if len(labels) == 1 else f"Columns: {across}"
    out.columns = [str(c) for c in out.columns]
    columns, unknown = _columns(out, labels, cells)
    names = list(out.columns)
    if drop_empty_text:
        names = [n for n in names if n in labels or n == "customer_id" or not _empty_text(out[n], columns[n])]
    written = {n: [cell(v, columns[n], style) for v in out[n].tolist()] for n in names}
    if cells:  # a cross table's row labels are values like its column headers, and written like them
        written |= {n: [capitalised(v) for v in written[n]] for n in labels if n in written}

    def build(shown: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
        heads = [columns[n].header(currency, style) for n in shown]
        rows = [list(r) for r in zip(*(written[n] for n in shown), strict=False)] if shown else []
        return heads, rows, [columns[n].kind for n in shown]

    wide = fit and too_wide(*build(names))
    shown = _fitted(names, labels, keep, build) if wide else names
    left_out = [n for n in names if n not in shown]
    heads, rows, kinds = build(shown)
    return Table(
        data=frame,
        headers=heads,
        rows=rows,
        align=[columns[n].align for n in shown],
        kinds=kinds,
        note=_trimmed_note(shown, names, left_out, export, [columns[n].header(currency, style) for n in left_out]),
        caption=caption,
        unknown=unknown,
        left_out=left_out,
        wide=wide,
    )


def _flat(frame):
    """The frame with one level of column names and its index as columns (unless it only numbers the rows):
    (the frame, the names of the index columns). The name of the columns' index is kept."""
    import pandas as pd

    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" ".join(str(p) for p in c if str(p)) for c in out.columns]
    header_of_columns = out.columns.name
    if _is_row_number(out.index):
        out = out.reset_index(drop=True)
        labels: list[str] = []
    else:
        labels = [str(n) if n is not None else "" for n in out.index.names]
        out.index = out.index.set_names(labels)
        out = out.reset_index()
    out.columns.name = header_of_columns
    return out, labels


def _columns(out, labels: list[str], cells: str | None) -> tuple[dict[str, Column], list[str]]:
    """Each column's entry: from the catalogue, from ``cells`` for a cross table's value columns, or guessed
    from its values (then also listed as unknown)."""
    columns, unknown = {}, []
    for name in out.columns:
        column = COLUMNS.get(name)
        if column is None and cells is not None and name not in labels:
            base = COLUMNS[cells]
            column = Column(words(name), base.kind, base.decimals, base.unit if base.kind != "count" else None)
        if column is None:
            unknown.append(name)
            kind = _kind_of(out[name])
            column = Column(words(name), kind, 2 if kind == "number" else 0)
        columns[name] = column
    return columns, unknown


def _empty_text(values, column: Column) -> bool:
    """Whether a text column holds no value at all."""
    return column.kind in TEXT_KINDS and values.map(missing).all()


def _fitted(names: list[str], labels: list[str], keep: list[str] | None, build) -> list[str]:
    """The columns of a table too wide for a portrait page that a landscape page shows: all of them when
    they fit, else the index columns and as many of ``keep`` (or of the columns, in order) as fit."""
    if not too_wide(*build(names), landscape=True):
        return names
    label_cols = [n for n in names if n in labels]
    order = [n for n in (keep or names) if n in names and n not in label_cols]
    chosen = list(label_cols)
    for n in order:
        trial = chosen + [n]
        if too_wide(*build(trial), landscape=True) and len(chosen) > len(label_cols):
            break
        chosen = trial
    return [n for n in names if n in chosen]  # in the table's own order


def _trimmed_note(shown: list[str], names: list[str], left_out: list[str], export: str | None, gone: list[str]):
    """The sentence under a trimmed table: where the full table is, or which columns are left out."""
    if not left_out:
        return None
    if export:
        return (
            f"The table shows {len(shown)} of its {len(names)} columns to fit the page; the full table "
            f"is in the Excel export {export}."
        )
    return f"Left out here to fit the page: {', '.join(gone)}."


def figures(rows: list[tuple[str, str]], first: str = "figure", second: str = "value") -> Table:
    """A two-column table of figures already written for a reader ("customers to manage", "4.320").

    >>> figures([("customers to manage", "4.320")]).rows
    [['customers to manage', '4.320']]
    """
    import pandas as pd

    return table(pd.DataFrame(rows, columns=[first, second]), fit=False)


#: the style sheet of the tables in the report (JupyterLab and Voila take the inline alignment)
CSS = """
.smartacct-table{margin:1em 0} table.smartacct{border-collapse:collapse;font-size:.9em}
table.smartacct caption{color:#555;font-size:.9em;padding-bottom:.3em}
table.smartacct th{vertical-align:bottom;background:#f3f6fa;font-weight:600}
table.smartacct th,table.smartacct td{padding:.3em .6em;border-bottom:1px solid #ddd}
table.smartacct td.text,table.smartacct th.text{text-align:left} table.smartacct td.num,table.smartacct th.num{text-align:right}
table.smartacct td.num{white-space:nowrap} .smartacct-table-note{color:#666;font-size:.85em;margin:.3em 0 0}
"""


def snake_case(text: str) -> bool:
    """Whether ``text`` holds a code name: a word with an underscore that is not part of a file name.

    >>> snake_case("revenue_12m"), snake_case("customer_segments.xlsx"), snake_case("plumbers, heating")
    (True, False, False)
    """
    cleaned = re.sub(r"\S+\.(?:xlsx|csv|json|html|pdf|yaml|parquet)\b", " ", text)
    return bool(re.search(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b", cleaned))
