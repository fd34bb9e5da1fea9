"""smartacct: small customers, field visits, inside sales and key accounts, from ERP and CRM exports.

The package reads as the pipeline, each step importing only the ones before it:

* ``intake``: read the client's exports or database tables, map their columns, check every value;
* ``facts``: the order-level table and the customer facts, computed where the data lives, in a
  :class:`Workbook`;
* one room per question, named like the notebooks: ``data_overview`` (00), ``small_customers`` (01),
  ``field_visits`` (02), ``potential`` (03), ``inside_sales`` (04), ``key_accounts`` (05), ``levers`` (06),
  ``review`` and ``early_warning`` (07); each holds its analysis, its charts and the sections a notebook shows;
* ``presentation``: numbers as a reader expects them, the chart base, the sliders, the sections;
* ``delivery``: the report, the key figures, the client's files, the dashboard and the command line.

``params``, ``assumptions``, ``overrides``, ``exceptions`` and ``arrow`` sit below them all.
"""

from .exceptions import InputDataError, ParamsError, Problem, ReportError, SmartacctError
from .params import Params, load_params

__version__ = "0.1.0"

__all__ = [
    "InputDataError",
    "ParamsError",
    "Params",
    "Problem",
    "ReportError",
    "SmartacctError",
    "Workbook",
    "load_params",
]


def __getattr__(name: str):
    """:class:`Workbook` on first use, so that importing the package reads no pandas and starts no engine."""
    if name == "Workbook":
        from .facts.workbook import Workbook

        return Workbook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
