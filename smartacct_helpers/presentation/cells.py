"""One value of a table written for a reader: its column's kind, in the client's number format.

:func:`cell` writes money without cents unless the column asks for them, shares as percentages with one
decimal, counts with thousands separators, dates in the format's style, "yes" and "no" for flags, "–" for a
missing value and code names in words (:data:`~smartacct_helpers.presentation.columns.WORDS`).
:mod:`smartacct_helpers.presentation.tables` builds its tables from these cells.
"""

from __future__ import annotations

import math

from .columns import COLUMNS, Column, words  # noqa: F401  (COLUMNS: the examples use it)
from .formatting import MISSING, count, date_text, number

__all__ = ["cell", "missing", "yes_no"]


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
