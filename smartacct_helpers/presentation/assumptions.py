"""The report's assumptions table: each assumption of the params in words, its value and its source.

The value is written in the params' number format with its currency or unit
(:func:`assumption_value`); the source says where it comes from in the
reader's words (:func:`source_words`): "article", "smartacct default",
"client input", "client data" or "this run".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cells import missing
from .columns import ASSUMPTIONS, SOURCES, words
from .formatting import MISSING, capitalised, count, date_text, money, number, share

if TYPE_CHECKING:
    from .tables import Table

__all__ = ["assumption_value", "assumptions_display", "source_words"]


def _amount(value, decimals: int, currency: str, style: str) -> str:
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
    >>> assumption_value("a_new_setting", 1234.5, "EUR", "de"), assumption_value("go_min_probability_payback", 0.7, "EUR", "de")
    ('1.234,50', '70,0 %')
    """
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
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):  # an assumption the catalogue does not know yet: still the client's format
        return number(value, 0 if float(value).is_integer() else 2, style) + suffix
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
    from .tables import table

    raw = params.assumptions.model_dump()
    listed = assumptions_table(params)
    currency, style = params.currency, params.number_format
    rows = []
    for record in listed.to_dict("records"):
        name = record["assumption"]
        setting, _, key = name.partition(".")
        if key:  # a row of its own per key of a setting (each industry's value per employee): that key's amount
            words_of_setting, _kind, decimals, _unit = ASSUMPTIONS.get(setting, (words(setting), "value", 0, None))
            label = f"{words_of_setting}: {words(key)}"
            value = _amount((raw.get(setting) or {}).get(key), decimals, currency, style)
        else:
            label = ASSUMPTIONS.get(name, (record.get("meaning") or words(name),))[0]
            value = assumption_value(name, raw.get(name), currency, style)
        rows.append(
            {
                "assumption": capitalised(label),
                "assumption_value": value,
                "source": source_words(record["source"], record["set_in"]),
            }
        )
    return table(pd.DataFrame(rows, columns=["assumption", "assumption_value", "source"]), currency, style, fit=False)
