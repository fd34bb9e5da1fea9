"""What a notebook section shows, and what it says when its inputs are missing.

Every section of a notebook is one function of the package that takes the
workbook and returns what to display (tables, charts, text). The notebook
cell only shows it, so every rule behind a section can be tested without a
notebook, and the same function serves the report, the workshop and the
dashboard.

A client's export may lack a column or a file, or hold a column that is
present but empty. A section whose inputs are missing returns a
:class:`Needs` instead of a table or chart: one sentence saying what the
section would show and which column or file provides it. It never raises
and never shows an empty or invented chart.

Sections register themselves per notebook with :func:`section`, so that a
test can run every section of every notebook on every input a client may
have (:data:`SECTIONS`). What counts as missing (:func:`has_values`) and the
group of customers whose attribute is unknown (:func:`group_labels`) are
concepts of the data (:mod:`smartacct_helpers.facts.concepts`), offered here too.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"industry": [None, None], "region": ["north", None]})
>>> has_values(df, "industry"), has_values(df, "region"), has_values(df, "employees")
(False, True, False)
>>> group_labels(df, "industry").tolist()
['unknown', 'unknown']
>>> print(Needs("the potential per industry", "an industry per customer (column industry of the customer master)"))
This section would show the potential per industry; it needs an industry per customer (column industry of the customer master).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..facts.concepts import UNKNOWN, group_labels, has_values

__all__ = ["SECTIONS", "UNKNOWN", "Needs", "group_labels", "has_values", "section", "show"]

#: notebook (its number, "00" to "08") -> its section functions in the order they are shown
SECTIONS: dict[str, list[Callable]] = defaultdict(list)


@dataclass(frozen=True)
class Needs:
    """A section without its inputs: what it would show, and what provides it.

    Displayed as one sentence in a notebook, the report and the dashboard.
    """

    shows: str
    needs: str

    def __str__(self) -> str:
        return f"This section would show {self.shows}; it needs {self.needs}."

    def _repr_markdown_(self) -> str:
        return f"*{self}*"

    def _repr_html_(self) -> str:
        import html

        return f"<p class='smartacct-needs'><em>{html.escape(str(self))}</em></p>"


def section(notebook: str) -> Callable:
    """Register a section function under its notebook (``"03"``); it is returned unchanged.

    A section function takes the workbook (and nothing else that has no
    default) and returns a list of things to display, or a list holding one
    :class:`Needs`.
    """

    def register(function: Callable) -> Callable:
        SECTIONS[notebook].append(function)
        return function

    return register


def show(items) -> None:
    """Display each of ``items`` (what a section function returns) in a notebook."""
    from IPython.display import display

    for item in items:
        display(item)
