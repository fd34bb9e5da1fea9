"""The dashboard's building blocks: cards, tables (through the table layer), the sentence of a missing input, numbers in words."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from ..presentation.formatting import Numbers
from ..presentation.sections import Needs
from ..presentation.tables import table


@dataclass(frozen=True)
class Card:
    """One key figure as the dashboard shows it."""

    label: str
    value: str
    note: str = ""
    key: str = ""
    warn: bool = False


def cards_html(cards: list[Card]) -> str:
    """The cards as HTML; each card carries ``data-key`` so a page test can find it."""
    return (
        "<div class='sa-cards'>"
        + "".join(
            f"<div class='sa-card{' sa-warn' if c.warn else ''}' data-key='{html.escape(c.key)}'>"
            f"<div class='label'>{html.escape(c.label)}</div><div class='value'>{html.escape(c.value)}</div>"
            f"<div class='note'>{html.escape(c.note)}</div></div>"
            for c in cards
        )
        + "</div>"
    )


def table_html(frame: pd.DataFrame, fmt: Numbers, key: str = "") -> str:
    """A table of the page through the one table layer of the notebooks and the report.

    :func:`smartacct_helpers.presentation.tables.table` writes the headers
    in words with their units and every value in the client's number
    format; the page is wider than an A4 sheet, so no column is left out.
    ``key`` becomes the table's ``data-key``, by which a page test finds it.

    >>> frame = pd.DataFrame({"name": ["Müller GmbH"], "revenue_12m": [1234.6]})
    >>> "<th" in table_html(frame, Numbers("EUR", "de"), "t") and ">1.235<" in table_html(frame, Numbers("EUR", "de"))
    True
    """
    return table(frame, fmt.currency, fmt.style, fit=False).to_html("sa-table", key or None)


def needs_html(needs: Needs, key: str = "") -> str:
    """The one sentence of what an answer needs."""
    return f"<p class='sa-needs' data-key='{html.escape(key)}'>{html.escape(str(needs))}</p>"


def _row(left: str, right: str) -> str:
    """Two blocks side by side (one below the other on a narrow screen)."""
    if not right:
        return left
    return f"<div class='sa-row'><div class='sa-col'>{left}</div><div class='sa-grow'>{right}</div></div>"


def _q(question: str) -> str:
    return f"<div class='sa-q'>{html.escape(question)}</div>"


def _lead(text: str) -> str:
    return f"<p class='sa-lead'>{text}</p>"


def _b(text: str) -> str:
    return f"<b>{html.escape(text)}</b>"


def signed(value: float, decimals: int = 1, fmt: Numbers | None = None) -> str:
    """A change as a signed percentage: ``+48.1 %``, ``-6.1 %``.

    >>> signed(0.4806), signed(-0.0611), signed(0.0)
    ('+48.1 %', '-6.1 %', '0.0 %')
    """
    text = (fmt or Numbers()).share(value, decimals)
    return f"+{text}" if _known(value) and round(value * 100, decimals) > 0 else text


def _known(value) -> bool:
    """Whether ``value`` is there: not None, NaN or NaT.

    >>> _known(0.0), _known(float("nan")), _known(None), _known(pd.NaT)
    (True, False, False, False)
    """
    return value is not None and not pd.isna(value)


def _people(n: int, one: str, many: str, fmt: Numbers) -> str:
    return f"{fmt.count(n)} {one if n == 1 else many}"
