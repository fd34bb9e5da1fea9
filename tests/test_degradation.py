"""The degradation matrix: every section of every notebook, and the key figures, on every input a client may have.

From the small generated supplier, each optional file is left out and each
optional column dropped or emptied in turn; the history is cut to 13 and 12
months; hypothesis draws a few combinations. Every section must return what
to show (or the sentence of what it needs) and never raise; the key figures
must be plain JSON without NaN.
"""

import json
import math

import matplotlib
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.io.formats.style import Styler

from smartacct_helpers.intake.schema import SCHEMA
from smartacct_helpers.presentation.sections import Needs
from smartacct_helpers.presentation.tables import Table
from tests.degradation import OPTIONAL_TABLES, import_all_sections, random_variant, variants

matplotlib.use("Agg")

pytestmark = pytest.mark.matrix


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The canonical tables of a small supplier with five years of history."""
    from smartacct_helpers.intake.tables import load_tables
    from smartacct_helpers.params import load_params
    from smartacct_helpers.sample.write import write_sample

    folder = tmp_path_factory.mktemp("matrix")
    write_sample(folder, customers=300, years=5, seed=11)
    params = load_params(folder / "params.yaml")
    return params, load_tables(params)


def _run_everything(params, tables) -> list[str]:
    """Every registered section and the key figures on one input; the failures, as text."""
    import matplotlib.pyplot as plt

    from smartacct_helpers.delivery.dashboard import dashboard_page, open_every_tab
    from smartacct_helpers.delivery.summary import key_figures
    from smartacct_helpers.facts.workbook import Workbook

    wb = Workbook.from_tables(params, tables)
    failures = []
    for notebook, functions in sorted(import_all_sections().items()):
        for function in functions:
            name = f"{notebook} {function.__module__}.{function.__name__}"
            try:
                items = function(wb)
            except Exception as exc:  # the matrix reports every failing section, not only the first
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            if not isinstance(items, list) or not items:
                failures.append(f"{name}: returned {type(items).__name__} {items!r:.60}, expected a non-empty list")
            elif any(isinstance(i, Needs) for i in items) and len(items) > 1:
                failures.append(f"{name}: shows a table or chart beside the sentence of what it needs")
            else:  # every table through the one presentation layer, with words for each of its columns
                for item in items:
                    if isinstance(item, (pd.DataFrame, pd.Series, Styler)):
                        failures.append(f"{name}: shows a raw {type(item).__name__}, not a presentation table")
                    elif isinstance(item, Table) and item.unknown:
                        failures.append(f"{name}: columns without words in the catalogue: {item.unknown}")
            plt.close("all")
    try:
        page = open_every_tab(dashboard_page(wb))
        problems = [c.value for c in _widgets(page) if "class='sa-problem'" in str(getattr(c, "value", ""))]
        assert not problems, problems[0][:300]
    except Exception as exc:  # noqa: BLE001 - reported with the variant's name
        failures.append(f"dashboard: {type(exc).__name__}: {exc}")
    plt.close("all")
    try:
        figures = key_figures(wb)
        text = json.dumps(figures, allow_nan=False, default=str)
        assert "NaN" not in text
    except Exception as exc:  # noqa: BLE001 - reported with the variant's name
        failures.append(f"key figures: {type(exc).__name__}: {exc}")
    return failures


#: columns the intake turns into others (cost into the margin, quantity x unit price into the revenue)
READ_INTO_OTHERS = {"cost", "quantity", "unit_price"}


def _widgets(widget):
    """``widget`` and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def _names(base_params=None):
    # the names only, without building the tables (for the parametrisation)
    names = ["full", "orders only"] + [f"no {t} file" for t in OPTIONAL_TABLES]
    for table in ("orders", "customers"):
        for column in SCHEMA[table][1]:
            if column not in READ_INTO_OTHERS:
                names += [f"{table} without {column}", f"{table} with empty {column}"]
    names += [
        "master without industry and employees",
        "master with empty industry and employees",
        "assessments with scores only",
        "assessments with empty strategies and supplier scores",
        "assessments with strategies only",
        "13 months of history",
        "12 months of history",
    ]
    return names


@pytest.mark.parametrize("name", _names())
def test_every_section_runs_on(base, name):
    params, tables = base
    built = variants(params, tables)
    if name not in built:
        pytest.skip(f"the sample has no such column: {name}")
    failures = _run_everything(*built[name])
    assert not failures, "\n".join(failures)


def test_the_registry_holds_every_notebook():
    sections = import_all_sections()
    assert {f"{n:02d}" for n in range(9)} <= set(sections), sorted(sections)


OPTIONAL_COLUMNS = [("orders", c) for c in SCHEMA["orders"][1]] + [("customers", c) for c in SCHEMA["customers"][1]]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drop_tables=st.lists(st.sampled_from(OPTIONAL_TABLES), unique=True, max_size=3),
    drop_columns=st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True, max_size=6),
    empty_columns=st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True, max_size=6),
)
def test_every_section_runs_on_random_combinations(base, drop_tables, drop_columns, empty_columns):
    params, tables = random_variant(*base, drop_tables, drop_columns, empty_columns)
    failures = _run_everything(params, tables)
    assert not failures, "\n".join(failures)


def test_nan_free_json_check_is_strict():
    # the check above relies on json refusing NaN
    with pytest.raises(ValueError):
        json.dumps({"x": math.nan}, allow_nan=False)
