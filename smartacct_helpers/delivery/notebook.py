"""What every notebook's setup cell needs, in one import and one call.

Each notebook starts with the same two lines (its number the only difference)::

    from smartacct_helpers.delivery.notebook import *  # setup, section, show, display, client_exports
    wb, views = setup("01", params_file, overrides)

:func:`setup` reads the client's data into a :class:`~smartacct_helpers.facts.workbook.Workbook`
and hands back the notebook's sections (the ``views`` module of its question);
:func:`~smartacct_helpers.presentation.widgets.section` shows a section with
the sliders that redraw it in a workshop, and alone in the report.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from IPython.display import display

from ..early_warning import views as early_warning
from ..facts.workbook import Workbook
from ..presentation.sections import show
from ..presentation.widgets import section
from . import client_exports

#: each notebook (its number) and the question whose sections it shows
NOTEBOOK_VIEWS = {
    "00": "data_overview",
    "01": "small_customers",
    "02": "field_visits",
    "03": "potential",
    "04": "inside_sales",
    "05": "key_accounts",
    "06": "levers",
    "07": "review",
    "08": "introduction",
}


def setup(notebook: str, params_file, overrides: dict | str | None = None) -> tuple[Workbook, ModuleType]:
    """The client's workbook and the sections of ``notebook`` ("00" to "08").

    Parameters
    ----------
    notebook : str
        The notebook's number, as its file name starts.
    params_file : str or Path
        The client's params file.
    overrides : dict or str, optional
        Params keys to change for this run (a dict, or its JSON as papermill's ``-p`` passes it).

    Returns
    -------
    (Workbook, module)
        The workbook and the module of the notebook's section functions.

    Examples
    --------
    >>> wb, views = setup("01", "data/sample/params.yaml")  # doctest: +SKIP
    >>> section(wb, views.abc_analysis, views.ABC_SLIDERS, interactive=False)  # doctest: +SKIP
    """
    if notebook not in NOTEBOOK_VIEWS:
        raise ValueError(f"no notebook {notebook!r}: the notebooks are {', '.join(NOTEBOOK_VIEWS)}")
    views = importlib.import_module(f"smartacct_helpers.{NOTEBOOK_VIEWS[notebook]}.views")
    return Workbook.open(params_file, overrides), views


__all__ = ["client_exports", "display", "early_warning", "section", "setup", "show"]
