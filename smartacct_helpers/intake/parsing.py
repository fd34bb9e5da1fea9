"""Reading the values of an export: numbers and dates in the file's styles, into floats and timestamps.

The conventions themselves are in :mod:`smartacct_helpers.intake.conventions`.
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
>>> import pandas as pd
>>> parse_number_text(pd.Series(["1.234,56", "-12,5", ""]), ",").tolist()
[1234.56, -12.5, nan]
>>> slash_date_order(pd.Series(["03/04/2025", "13/04/2025"]))
'%d/%m/%Y'
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .conventions import (
    AMBIGUOUS_NUMBER,
    CURRENCY_MARKS,
    CURRENCY_MARKS_RE2,
    DAY_FIRST,
    ENGLISH_NUMBER,
    GERMAN_DATE,
    GERMAN_FORMAT,
    GERMAN_NUMBER,
    ISO_DATE,
    MONTH_FIRST,
    SLASH_DATE_TIME,
    slash_order,
)


def _text(series: pd.Series) -> pd.Series:
    """The values as stripped text (missing stays missing)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.str.strip()
    return series.astype("string").str.strip()


def _without_marks(text: pd.Series) -> pd.Series:
    """Text (a string series) without currency marks and white space."""
    arrow = getattr(text.dtype, "storage", None) == "pyarrow"
    return text.str.replace(CURRENCY_MARKS_RE2 if arrow else CURRENCY_MARKS, "", regex=True)


def _distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, values)``: each distinct value of ``series`` once, and per row the position of its value (-1: missing).

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


def slash_date_order(text: pd.Series) -> str | None:
    """``"%d/%m/%Y"`` or ``"%m/%d/%Y"`` for a column of slash dates (times allowed), or None when no value decides.

    >>> slash_date_order(pd.Series(["12/1/2010 8:26", "12/13/2010 17:05"]))
    '%m/%d/%Y'
    """
    parts = text.str.extract(SLASH_DATE_TIME)[[0, 1]].dropna().astype(int)
    if parts.empty:
        return None
    return slash_order(int(parts[0].max()), int(parts[1].max()))


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
    day, month = (first, second) if order == DAY_FIRST else (second, first)
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
    iso = text.str.match(ISO_DATE).fillna(False).astype(bool)
    if iso.any():
        out[iso] = _as_days(pd.to_datetime(text[iso], format="ISO8601", errors="coerce"))
    german = text.str.match(GERMAN_DATE).fillna(False).astype(bool)
    if german.any():
        out[german] = _as_days(
            pd.to_datetime(text[german].str.slice(0, 10).str.strip(), format=GERMAN_FORMAT, errors="coerce")
        )
    slash = text.str.match(SLASH_DATE_TIME).fillna(False).astype(bool)
    note = None
    if slash.any():
        order = slash_date_order(text[slash])
        if order is None:
            example = str(text[slash].iloc[0])
            note = (
                f"every date like {example!r} reads both as month/day and day/month (no date in the file has "
                f"a first or second part above 12); set data.csv.date_format to "
                f'"{date_format_like(example, MONTH_FIRST)}" for month first or '
                f'"{date_format_like(example, DAY_FIRST)}" for day first'
            )
        else:
            out[slash] = _slash_days(text[slash], order)
    return out, note
