"""The conventions of an export that both readers share: number and date styles, encoding, delimiter.

German and English number styles, currency marks, slash dates, ids that a
tool wrote as floats (``17850.0``), and how the encoding and the delimiter
of a CSV file are detected. The full reader
(:mod:`smartacct_helpers.intake.parsing`) and DuckDB's reader of files
(:mod:`smartacct_helpers.intake.duckdb_files`) use them alike; nothing here
needs pandas, so that ``smartacct facts`` over plain files never imports it.

Examples
--------
>>> detect_delimiter("Kundennummer;Datum;Umsatz")
';'
>>> bool(GERMAN_NUMBER.fullmatch("1.234,56")), bool(ENGLISH_NUMBER.fullmatch("1.234,56"))
(True, False)
"""

from __future__ import annotations

import re

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
ENGLISH_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")
# "1.234" and "1,234" read either way; they do not decide the style
AMBIGUOUS_NUMBER = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})$")
CURRENCY_MARKS = re.compile(r"(€|EUR|USD|\$|CHF|£|\s|\u00a0)", re.IGNORECASE)
SLASH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"
#: a slash date with an optional time of day (``12/1/2010 8:26``, ``12/1/2010 08:26:00 PM``): day, month or
#: month, day; year; hour, minute, second, AM/PM
SLASH_DATE_TIME = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$"
#: a number written as text by a tool that stored an id as a float: ``17850.0`` is the id ``17850``
NUMBER_ID = r"^(-?\d+)\.0+$"


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
