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

from .columns import ASSUMPTIONS, COLUMNS, KINDS, SOURCES, TEXT_KINDS, WORDS, Column, header, words
from .formatting import MISSING, count, date_text, number

__all__ = [
    "ASSUMPTIONS",
    "COLUMNS",
    "KINDS",
    "MAX_COLUMNS",
    "PAGE_CHARACTERS",
    "SOURCES",
    "WORDS",
    "Column",
    "Table",
    "assumptions_display",
    "cell",
    "date_text",
    "figures",
    "header",
    "table",
    "too_wide",
    "words",
]


#: a table with more columns than this does not fit an A4 page in portrait
MAX_COLUMNS = 8
#: nor does one whose columns need more characters side by side (:func:`table_width`)
PAGE_CHARACTERS = 110
#: a value written as a number, possibly with its unit ("1.234,5", "-8,594 EUR", "45.7 %", "31.12.2025", "–")
NUMBER_TEXT = re.compile(r"^(?:[-+−]?[\d.,\s]+(?:\s*(?:%|€|\$|£|EUR|USD|GBP|CHF|[a-z]+))?|–)$")
#: text longer than this wraps in its cell; a column of such text is counted this wide
WRAP_CHARACTERS = 28


# -- values ---------------------------------------------------------------------------------------------------------


def missing(value) -> bool:
    """Whether a value is missing: None, NaN, NaT, pandas' NA or blank text.

    >>> [missing(v) for v in (None, float("nan"), "", " x", 0)]
    [True, True, True, False, False]
    """
    import pandas as pd

    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def yes_no(value) -> str:
    """A flag as "yes" or "no" (a missing flag as "–")."""
    if missing(value):
        return MISSING
    if isinstance(value, str):
        return "yes" if value.strip().lower() in ("true", "yes", "1", "ja", "y") else "no"
    return "yes" if bool(value) else "no"


def cell(value, column: Column, style: str = "en") -> str:
    """One value written as its column's kind says, in the number format ``style``.

    >>> cell(0.1234, COLUMNS["share_of_wallet"], "de"), cell(27.700000001, COLUMNS["distance_km"])
    ('12,3', '27.7')
    >>> cell(True, COLUMNS["smart_account"]), cell(float("nan"), COLUMNS["revenue_12m"])
    ('yes', '–')
    """
    kind = column.kind
    if kind == "yes/no":
        return yes_no(value)
    if missing(value):
        return MISSING
    if kind == "date":
        return date_text(value, style)
    if kind == "code":
        return words(value, column.values)
    if kind == "id":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if kind in ("text", "value"):
        return str(value)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(value):
        return MISSING
    if kind == "money":
        return number(value, column.decimals, style)
    if kind == "share":
        return number(value * 100, 1, style)
    if kind == "count":
        return count(round(value), style=style)
    return number(value, column.decimals, style)


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


def too_wide(headers: list[str], rows: list[list[str]], kinds: list[str]) -> bool:
    """Whether a table does not fit an A4 page: more than :data:`MAX_COLUMNS` columns, or wider than
    :data:`PAGE_CHARACTERS` (:func:`table_width`)."""
    return len(headers) > MAX_COLUMNS or table_width(headers, rows, kinds) > PAGE_CHARACTERS


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
        return (
            f"<div class='smartacct-table'><table class='{esc(table_class)}'{data_key}>{caption}<thead><tr>{head}</tr></thead>"
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
    """
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame(frame.name if frame.name is not None else "value")
    data = frame
    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" ".join(str(p) for p in c if str(p)) for c in out.columns]
    header_of_columns = out.columns.name
    if _is_row_number(out.index):
        out = out.reset_index(drop=True)
        labels: list[str] = []
    else:
        names = [n if n is not None else "" for n in out.index.names]
        labels = [str(n) for n in names]
        out.index = out.index.set_names(labels)
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    if header_of_columns and not caption and cells:
        name = str(header_of_columns)
        caption = f"Columns: {COLUMNS[name].words if name in COLUMNS else words(name)}"

    columns, unknown = {}, []
    for name in out.columns:
        column = COLUMNS.get(name)
        if column is None and cells is not None and name not in labels:
            base = COLUMNS[cells]
            column = Column(words(name), base.kind, base.decimals, base.unit if base.kind != "count" else None)
        if column is None:
            unknown.append(name)
            column = Column(words(name), _kind_of(out[name]), 2 if _kind_of(out[name]) == "number" else 0)
        columns[name] = column

    names = list(out.columns)
    if drop_empty_text:
        names = [
            n
            for n in names
            if n in labels or columns[n].kind not in TEXT_KINDS or not out[n].map(missing).all() or n == "customer_id"
        ]
    written = {n: [cell(v, columns[n], style) for v in out[n].tolist()] for n in names}
    if labels and all(columns[n].kind in TEXT_KINDS for n in labels):
        pass  # labels stay as they are: left-aligned words

    def build(shown: list[str]):
        heads = [columns[n].header(currency, style) for n in shown]
        rows = [list(r) for r in zip(*(written[n] for n in shown), strict=False)] if shown else []
        kinds = [columns[n].kind for n in shown]
        return heads, rows, kinds

    shown = names
    note = None
    left_out: list[str] = []
    heads, rows, kinds = build(shown)
    if fit and too_wide(heads, rows, kinds):
        label_cols = [n for n in names if n in labels]
        order = label_cols + [n for n in (keep or names) if n in names and n not in label_cols]
        chosen = list(label_cols)
        for n in order[len(label_cols) :]:
            trial = chosen + [n]
            if too_wide(*build(trial)) and len(chosen) > len(label_cols):
                break
            chosen = trial
        shown = [n for n in names if n in chosen]  # in the table's own order
        left_out = [n for n in names if n not in chosen]
        heads, rows, kinds = build(shown)
        if left_out:
            if export:
                note = (
                    f"The table shows {len(shown)} of its {len(names)} columns to fit the page; the full table "
                    f"is in the Excel export {export}."
                )
            else:
                gone = ", ".join(columns[n].header(currency, style) for n in left_out)
                note = f"Left out here to fit the page: {gone}."
    return Table(
        data=data,
        headers=heads,
        rows=rows,
        align=[columns[n].align for n in shown],
        kinds=kinds,
        note=note,
        caption=caption,
        unknown=unknown,
        left_out=left_out,
    )


def figures(rows: list[tuple[str, str]], first: str = "figure", second: str = "value") -> Table:
    """A two-column table of figures already written for a reader ("customers to manage", "4.320").

    >>> figures([("customers to manage", "4.320")]).rows
    [['customers to manage', '4.320']]
    """
    import pandas as pd

    return table(pd.DataFrame(rows, columns=[first, second]), fit=False)


# -- the assumptions ------------------------------------------------------------------------------------------------


def _amount(value, decimals: int, currency: str, style: str) -> str:
    from .formatting import money

    if missing(value):
        return MISSING
    places = decimals if not float(value).is_integer() else 0
    return money(value, currency, style=style, decimals=places)


def assumption_value(name: str, value, currency: str = "EUR", style: str = "en") -> str:
    """An assumption's value in words and the number format: money with its currency, shares in %.

    >>> assumption_value("outside_rep_annual_cost", 110000.0, "EUR", "de")
    '110.000 €'
    >>> assumption_value("abc", {"a": 0.8, "b": 0.95})
    'A up to 80.0 %, B up to 95.0 %'
    >>> assumption_value("fixed_costs", None)
    '–'
    """
    from .formatting import share

    _label, kind, decimals, unit = ASSUMPTIONS.get(name, (words(name), "value", 0, None))
    if kind == "abc" and isinstance(value, dict):
        return f"A up to {share(value.get('a'), style=style)}, B up to {share(value.get('b'), style=style)}"
    if (not value) if isinstance(value, (dict, list)) else missing(value):
        return MISSING
    suffix = f" {unit}" if unit else ""
    if kind == "money per":
        return "; ".join(f"{words(k)}: {_amount(v, decimals, currency, style)}" for k, v in value.items())
    if kind == "counts":
        return " / ".join(count(v, style=style) for v in value) + suffix
    if kind == "money":
        return _amount(value, decimals, currency, style)
    if kind == "share":
        return share(value, style=style)
    if kind == "count":
        return count(value, style=style) + suffix
    if kind == "number":
        places = 0 if float(value).is_integer() else decimals
        return number(value, places, style) + suffix
    if kind == "date":
        return date_text(value, style)
    if isinstance(value, dict):
        return "; ".join(f"{words(k)}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    return str(value)


def source_words(source: str, set_in: str) -> str:
    """Where an assumption's value comes from, in words: client input when the params file set it.

    >>> source_words("practitioner article", "default"), source_words("smartacct assumption", "params file")
    ('article', 'client input')
    """
    if set_in == "this run" or source == "this run":
        return "this run"
    if set_in == "params file":
        return "client input"
    return SOURCES.get(source, source)


def assumptions_display(params) -> Table:
    """The report's assumptions table: each assumption in words, its value, and where it comes from.

    The value is written in the params' number format with its currency or
    unit; the source is "article", "smartacct default", "client input" (the
    params file set it), "client data" or "this run" (``smartacct report
    --set``).
    """
    import pandas as pd

    from ..params import assumptions_table

    raw = params.assumptions.model_dump()
    listed = assumptions_table(params)
    currency, style = params.currency, params.number_format
    rows = []
    for record in listed.to_dict("records"):
        name = record["assumption"]
        label = ASSUMPTIONS.get(name, (record.get("meaning") or words(name),))[0]
        rows.append(
            {
                "assumption": label[:1].upper() + label[1:],
                "assumption_value": assumption_value(name, raw.get(name), currency, style),
                "source": source_words(record["source"], record["set_in"]),
            }
        )
    return table(pd.DataFrame(rows, columns=["assumption", "assumption_value", "source"]), currency, style, fit=False)


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
