"""Mapping a file's columns onto the canonical names and converting every value, each problem with its row.

:func:`_convert` turns the text of a raw table (:mod:`smartacct_helpers.intake.files`)
into typed canonical columns: ids as text, money and numbers in the file's
decimal style (:mod:`smartacct_helpers.intake.parsing`), dates, yes/no
words. A value that cannot be read is a problem naming the file, row and
column; a revenue may come from quantity x unit price, to the cent
(:func:`cents`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import Problem
from .conventions import (
    AMBIGUOUS_NUMBER,
    ENGLISH_NUMBER,
    GERMAN_NUMBER,
    LOWER_CASE,
    NUMBER_ID,
    SLASH_DATE_TIME,
    WORDS,
    decimal_mark,
    detect_delimiter,
)
from .files import _Raw
from .parsing import _distinct, _spread, _text, _without_marks, decimal_evidence, parse_date_text, parse_number_text
from .schema import (
    ABSURD_AMOUNT,
    DATES,
    FALSE_WORDS,
    HALF_CENT,
    MONEY,
    NUMBERS,
    SCORES,
    TRUE_WORDS,
    YES_NO,
    match_columns,
)


def _map_columns(raw: _Raw, table: str, mapping: dict[str, str], name: str, problems: list[Problem]) -> dict[str, str]:
    """canonical -> source column for the columns the file has; problems for missing or doubled ones."""
    found = match_columns(list(raw.frame.columns), table, mapping, name, problems, hint=_layout_hint(raw, table))
    counts: dict[str, int] = {}
    for written in raw.header:
        counts[written.lower()] = counts.get(written.lower(), 0) + 1
    for canonical, source in found.items():
        if counts.get(source.lower(), 0) > 1:
            problems.append(
                Problem(
                    name,
                    f"the header holds column '{source}' {counts[source.lower()]} times; "
                    f"rename all but one so that it is clear which holds the {canonical}",
                    row=1 if raw.kind == "csv" else None,
                    column=source,
                )
            )
    return found


def _layout_hint(raw: _Raw, table: str) -> str:
    """Why the columns may not have been found: a wrong delimiter or another sheet."""
    if raw.kind == "csv" and len(raw.frame.columns) == 1:
        only = raw.frame.columns[0]
        seen = detect_delimiter(only)
        if seen in only:
            return (
                f"; the header was read as a single column, so the file is probably separated by {seen!r}, "
                f"not {raw.delimiter!r}: set data.csv.delimiter to {seen!r} or to auto"
            )
        return "; the header was read as a single column: check the delimiter (data.csv.delimiter)"
    if raw.kind == "xlsx" and raw.other_sheets:
        return (
            f"; sheet {raw.sheet!r} was read, the workbook also has "
            f"{', '.join(repr(t) for t in raw.other_sheets)}: choose one with data.sheets.{table}"
        )
    return ""


def _decimal_for(
    raw: _Raw, columns: dict[str, str], setting: str, name: str, problems: list[Problem]
) -> dict[str, str]:
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
            problems.append(
                Problem(
                    name,
                    f"mixes decimal styles: {d} value(s) like 1.234,56 and {e} like "
                    f"1,234.56 (the first of the rarer style in row {first}); use one style "
                    "or set data.csv.decimal",
                    row=first,
                    column=source,
                )
            )
        per_column[canonical] = decimal_mark(d, e)
        de, en = de + d, en + e
    if raw.kind == "xlsx":
        return {c: per_column.get(c, ".") for c in columns}
    mark = decimal_mark(de, en, raw.delimiter)
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
        problems.append(
            Problem(name, f"and {len(idx) - ROWS_NAMED:,} more rows like these, the last in row {last}", column=source)
        )


def _convert(
    raw: _Raw,
    table: str,
    columns: dict[str, str],
    options,
    name: str,
    problems: list[Problem],
    missing_ids: str = "refuse",
) -> pd.DataFrame:
    """The canonical columns of ``raw``, converted; every bad value a problem naming its row and column.

    ``missing_ids``: ``exclude`` lets invoice lines without a customer id
    through (they are counted and left out later), ``refuse`` makes each of
    them a problem.
    """
    decimals = _decimal_for(raw, columns, options.decimal, name, problems)
    out = {}
    for canonical, source in columns.items():
        col = raw.frame[source]
        where = _Where(raw, name, source, problems)
        if canonical == "customer_id" or (table == "market" and canonical == "segment"):
            values = _id_column(col, canonical, table, missing_ids, where)
        elif canonical in DATES:
            values = _date_column(col, options.date_format, where)
        elif canonical in NUMBERS:
            values = _number_column(col, canonical, decimals[canonical], where)
        elif canonical in YES_NO:
            values = _booleans(col, raw, name, source, problems)
        else:
            values = _text_column(col, canonical)
        if values is not None:  # None: a column of the wrong type, reported
            out[canonical] = values
    if table == "orders" and "revenue" not in columns and {"quantity", "unit_price"} <= set(columns):
        out["revenue"] = _priced_revenue(raw, out, columns, name, problems)
    return pd.DataFrame(out)


class _Where:
    """The file, the column and the problems of one column being converted; :meth:`bad` names bad rows."""

    def __init__(self, raw: _Raw, name: str, source: str, problems: list[Problem]):
        self.raw, self.name, self.source, self.problems = raw, name, source, problems

    def bad(self, mask, message_for) -> None:
        _bad_rows(self.problems, self.name, self.raw, mask, self.source, message_for)

    def problem(self, message: str, row: int | None = None) -> None:
        self.problems.append(Problem(self.name, message, row=row, column=self.source))


def _id_column(col: pd.Series, canonical: str, table: str, missing_ids: str, where: _Where) -> pd.Series:
    """Customer ids (or the market's segments) as text; an empty one is a problem unless lines may lack it."""
    values = _ids(col)
    missing = values.isna()
    if table == "orders" and missing_ids == "exclude":
        return values  # lines without a customer id: counted and left out by load_tables
    if missing.any():
        why = "is empty; every row needs a segment"
        if canonical == "customer_id":
            why = "is empty; every row needs a customer id"
            if table == "orders":
                why += " (data.missing_customer_id: exclude leaves such lines out and counts them)"
        where.bad(missing, lambda v, w=why: w)
    return values


def _date_column(col: pd.Series, date_format: str, where: _Where) -> pd.Series | None:
    """Dates in the file's style; an unreadable or empty date is a problem, as are slash dates no value decides."""
    raw = where.raw
    if raw.kind == "parquet" and (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
        where.problem(f"has type {col.dtype}; expected dates (a date or timestamp column, or text like 2025-12-31)")
        return None
    values, note = parse_date_text(col, date_format)
    if note:
        slash = _text(col).str.match(SLASH_DATE_TIME).fillna(False).to_numpy(dtype=bool)
        where.problem(note, row=int(raw.rows[np.flatnonzero(slash)[0]]) if slash.any() else None)
    present = _present(col)
    if not note:
        expected = f"a date as {date_format}" if date_format != "auto" else "a date like 31.12.2025 or 2025-12-31"
        where.bad(values.isna() & present, lambda v, e=expected: f"expected {e}, found {v!r}")
    where.bad(~present, lambda v: "is empty; expected a date")
    return values


def _number_column(col: pd.Series, canonical: str, decimal: str, where: _Where) -> pd.Series | None:
    """Numbers in the file's decimal style, with the checks of amounts, counts and scores."""
    if pd.api.types.is_bool_dtype(col) or not (
        pd.api.types.is_numeric_dtype(col) or col.dtype == object or pd.api.types.is_string_dtype(col)
    ):
        where.problem(f"has type {col.dtype}; expected numbers")
        return None
    values = col.astype("float64") if pd.api.types.is_numeric_dtype(col) else parse_number_text(col, decimal)
    present = _present(col)
    example = "1234.56 or 1.234,56" if canonical in MONEY else "a number"
    where.bad(values.isna() & present, lambda v, e=example: f"expected a number like {e}, found {v!r}")
    if canonical in MONEY:
        where.bad(
            values.abs() >= ABSURD_AMOUNT,
            lambda v: f"amount {v!r} is implausibly large (1e12 or more); check the decimal style",
        )
    if canonical == "revenue":
        where.bad(~present, lambda v: "is empty; expected an amount")
    if canonical in ("employees", "distance_km", "account_team_annual_cost"):
        where.bad(values < 0, lambda v: f"expected zero or more, found {v!r}")
    if canonical == "employees":
        where.bad(
            (values >= 0) & (values != values.round()),
            lambda v: f"expected a whole number of employees, found {v!r}",
        )
    if canonical in SCORES:
        where.bad(
            values.notna() & ~values.isin([1, 2, 3, 4, 5]),
            lambda v: f"expected a score from 1 to 5, found {v!r}",
        )
    if canonical == "employees" or canonical in SCORES:
        values = values.where(values.isna() | (values == values.round())).round().astype("Int64")
    return values


def _text_column(col: pd.Series, canonical: str) -> pd.Series:
    """Text, stripped, empty as missing; the columns of :data:`LOWER_CASE` in lower case with their words mapped."""
    text = _text(col)
    text = text.mask(text == "")
    if canonical in LOWER_CASE:
        lookup = WORDS.get(canonical)
        text = text.str.lower()
        if lookup:
            codes, values = _distinct(text)
            text = _spread(codes, values.map(lambda v, words=lookup: words.get(v, v)), text.index)
    return text


def cents(values) -> np.ndarray:
    """Amounts rounded to the cent, half a cent away from zero; the same arithmetic as the engines' sums.

    A tolerance of a millionth of a cent (:data:`~smartacct_helpers.intake.schema.HALF_CENT`)
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
        _bad_rows(
            problems,
            name,
            raw,
            values.isna() & ~_present(raw.frame[columns[canonical]]),
            columns[canonical],
            lambda v, w=what: f"is empty; expected {w} (the revenue is quantity x unit price)",
        )
    revenue = pd.Series(
        cents(quantity.to_numpy(dtype="float64", na_value=np.nan) * price.to_numpy(dtype="float64", na_value=np.nan)),
        index=quantity.index,
    )
    _bad_rows(
        problems,
        name,
        raw,
        revenue.abs() >= ABSURD_AMOUNT,
        columns["unit_price"],
        lambda v: f"unit price {v!r} times the quantity is implausibly large (1e12 or more); check the decimal style",
    )
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
