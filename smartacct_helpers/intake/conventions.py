"""The conventions of an export that both readers share: number and date styles, words, encoding, delimiter.

Each rule is written here once, as data and small functions that decide:
German and English number styles (:data:`GERMAN_NUMBER`, :data:`ENGLISH_NUMBER`,
:func:`number_styles`, :func:`decimal_mark`), currency marks
(:data:`CURRENCY_MARKS`, and the same marks for Arrow's regular expressions),
date styles (:data:`ISO_DATE`, :data:`GERMAN_DATE`, :data:`SLASH_DATE_TIME`
and their formats, :func:`slash_order`), ids that a tool wrote as floats
(``17850.0``), the words of the activity types, teams and competitor levels,
and how the encoding and the delimiter of a CSV file are detected.

The full reader (:mod:`smartacct_helpers.intake.parsing`,
:mod:`smartacct_helpers.intake.convert`) applies them to pandas columns;
DuckDB's reader of files (:mod:`smartacct_helpers.intake.duckdb_files`)
applies them to a sample of the file and builds its SQL from the same
formats and words. Nothing here needs pandas, so that ``smartacct facts``
over plain files never imports it.

Examples
--------
>>> detect_delimiter("Kundennummer;Datum;Umsatz")
';'
>>> bool(GERMAN_NUMBER.fullmatch("1.234,56")), bool(ENGLISH_NUMBER.fullmatch("1.234,56"))
(True, False)
>>> number_styles(["1.234,56", "12,5", "1,234", "7", ""])
(2, 0)
>>> decimal_mark(2, 0, ","), decimal_mark(0, 0, ";")
(',', ',')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .schema import ACTIVITY_TYPES, COMPETITOR_LEVELS, TEAMS

# -- numbers ----------------------------------------------------------------------------------------------------------

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
ENGLISH_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")
#: "1.234" and "1,234" read either way; they do not decide the style
AMBIGUOUS_NUMBER = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})$")
#: a number without thousands separators or currency marks, with either decimal mark: what DuckDB reads itself
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")

#: the currency marks an amount may carry; they and white space are dropped before the number is read
CURRENCY_WORDS = ("€", "EUR", "USD", "$", "CHF", "£")
_CURRENCIES = "|".join(re.escape(word) for word in CURRENCY_WORDS)
CURRENCY_MARKS = re.compile(rf"({_CURRENCIES}|\s|\u00a0)", re.IGNORECASE)
#: :data:`CURRENCY_MARKS` for Arrow's regular expressions (RE2), which replace in place. The class matches
#: exactly what Python's ``\s`` does (Unicode white space); no-break space U+00A0 is among it.
CURRENCY_MARKS_RE2 = rf"(?i)({_CURRENCIES}|[\s\pZ\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}])"

#: a number written as text by a tool that stored an id as a float: ``17850.0`` is the id ``17850``
NUMBER_ID = r"^(-?\d+)\.0+$"


def number_styles(values: Iterable[str]) -> tuple[int, int]:
    """How many values can only be German-style numbers (``1.234,56``), and how many only English-style.

    Currency marks and white space are dropped first; ``1.234`` and ``1,234``
    read either way and count for neither.

    >>> number_styles(["1.234,56 €", "12,5", "1,234", "7", "1,234.50"])
    (2, 1)
    """
    german = english = 0
    for value in values:
        value = CURRENCY_MARKS.sub("", value)
        if AMBIGUOUS_NUMBER.fullmatch(value):
            continue
        german += bool(GERMAN_NUMBER.fullmatch(value))
        english += bool(ENGLISH_NUMBER.fullmatch(value))
    return german, english


def decimal_mark(german: int, english: int, delimiter: str | None = None) -> str:
    """The decimal mark of a file from its evidence: ``","`` or ``"."``.

    ``german`` and ``english`` count the values that can only be read one
    way (:func:`number_styles`); the larger count wins, a tie goes to the
    comma. Without any evidence a semicolon-separated file (the German
    spreadsheet habit) reads with a comma, any other with a point. A file
    that has both kinds is a mix; each reader decides what to do with it
    before asking.

    >>> decimal_mark(3, 1), decimal_mark(0, 2), decimal_mark(0, 0, ";"), decimal_mark(0, 0, ",")
    (',', '.', ',', '.')
    """
    if german or english:
        return "," if german >= english else "."
    return "," if delimiter == ";" else "."


# -- dates ------------------------------------------------------------------------------------------------------------

#: ISO dates, with or without a time of day (``2025-12-31``, ``2025-1-5 8:26``, ``2025-12-31T08:26:00.5``)
ISO_DATE = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
#: an ISO day written in full (``2025-12-31``): DuckDB reads such a column as dates while it reads the file
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
#: German dates, with or without a time of day (``31.12.2025``, ``1.2.2025 08:30``)
GERMAN_DATE = r"^\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$"
#: a German date without a time
GERMAN_DAY = r"^\d{1,2}\.\d{1,2}\.\d{4}$"
#: a slash date without a time: day, month or month, day; year
SLASH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"
#: a slash date with an optional time of day (``12/1/2010 8:26``, ``12/1/2010 08:26:00 PM``): day, month or
#: month, day; year; hour, minute, second, AM/PM
SLASH_DATE_TIME = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$"

ISO_FORMAT = "%Y-%m-%d"
GERMAN_FORMAT = "%d.%m.%Y"
DAY_FIRST = "%d/%m/%Y"
MONTH_FIRST = "%m/%d/%Y"


def slash_order(largest_first: int | None, largest_second: int | None) -> str | None:
    """The order of day and month in slash dates, from the largest first and the largest second part.

    A first part above 12 can only be a day (:data:`DAY_FIRST`); else a
    second part above 12 can only be a day (:data:`MONTH_FIRST`); else no
    value decides (None), and the reader asks for ``data.csv.date_format``.

    >>> slash_order(13, 4), slash_order(12, 31), slash_order(3, 4), slash_order(None, None)
    ('%d/%m/%Y', '%m/%d/%Y', None, None)
    """
    if largest_first is not None and largest_first > 12:
        return DAY_FIRST
    if largest_second is not None and largest_second > 12:
        return MONTH_FIRST
    return None


# -- words ------------------------------------------------------------------------------------------------------------

#: the words a text column may use for one value, per column: lower-case word -> the canonical value
WORDS = {"type": ACTIVITY_TYPES, "team": TEAMS, "competitor_activity": COMPETITOR_LEVELS}
#: text columns read in lower case (with :data:`WORDS` mapped to their canonical values)
LOWER_CASE = ("type", "team", "competitor_activity", "channel", "main_channel")


# -- files ------------------------------------------------------------------------------------------------------------


def detect_encoding(raw: bytes) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the bytes decode as such, else ``cp1252``.

    >>> detect_encoding("Müller".encode("cp1252"))
    'cp1252'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
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
