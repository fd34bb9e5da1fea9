"""Reading a client's exports into the canonical tables of the method.

ERP and CRM exports come as CSV (German or English conventions), Excel or
Parquet, with the supplier's own column names. :func:`load_tables` reads the
files the params name (:mod:`~smartacct_helpers.intake.files`), maps their
columns onto the canonical names and converts every value
(:mod:`~smartacct_helpers.intake.convert`, by the rules of
:mod:`~smartacct_helpers.intake.parsing`), and checks it
(:mod:`~smartacct_helpers.intake.checks`). It collects **every** problem it
finds, each naming the file, the row as a person sees it (the line of a CSV
file, the row of an Excel sheet with the header as row 1, the record of a
Parquet file) and the column as it is called in the file, and raises them
together as one :class:`~smartacct_helpers.exceptions.InputDataError`.
Input files are only ever read.

Tables in a database (``data.database``) are mapped where they lie
(:mod:`smartacct_helpers.intake.database`); their invoice lines are summed
there (:func:`smartacct_helpers.facts.database_totals.engine_tables`).

Examples
--------
>>> latest_values(pd.DataFrame({"customer_id": ["7", "7"], "date": pd.to_datetime(["2024-01-05", "2025-02-01"]),
...                             "region": ["North", "South"]}), ["region"])["region"].to_dict()
{'7': 'South'}
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import InputDataError, ParamsError, Problem
from ..params import Params
from .checks import (
    _check_customers,
    _check_merged,
    _late_orders,
    _leave_out_unknown,
    _source_name,
    _unknown,
    _without_empty_columns,
)
from .convert import _convert, _map_columns
from .files import read_raw
from .schema import ACTIVITY_TYPES, CHANNELS, LINE_ATTRIBUTES, SCHEMA, LazyTables, Tables

#: how a reader fails on a file beyond the problems it names itself: the file system (``OSError``), a value or
#: a line the parsers reject (``ValueError``, pandas' ``ParserError`` among them, ``csv.Error``), a file nested
#: too deep (``RecursionError``) or too large (``MemoryError``) for the reader
READER_FAILURES = (OSError, ValueError, csv.Error, RecursionError, MemoryError)
#: how converting the values fails beyond the problems it names itself: a value of a kind or size nobody foresaw
VALUE_FAILURES = (ValueError, TypeError, ArithmeticError, RecursionError)


def _source_path(params: Params, table: str) -> tuple[str | None, Path | None]:
    value = getattr(params.data, table)
    if value is None:
        return None, None
    path = params.path(value)
    if path.is_dir():
        raise ParamsError(f"data.{table}: {path} is a folder; name the file in it", params.source_file)
    if not path.is_file():
        relative = not Path(value).expanduser().is_absolute()
        where = f" (a relative path is read from the params file's folder, {params.base_dir})" if relative else ""
        raise ParamsError(f"data.{table}: file not found: {path}{where}", params.source_file)
    return value, path


def read_table(
    params: Params, table: str, problems: list[Problem]
) -> tuple[pd.DataFrame | None, np.ndarray | None, str | None]:
    """Read one canonical table; returns the frame, the source row numbers and the file name."""
    name, path = _source_path(params, table)
    if path is None:
        return None, None, None
    mapping = getattr(params.data.columns, table)
    required, optional = SCHEMA[table]
    wanted = None
    if path.suffix.lower() in (".parquet", ".pq"):
        wanted = list(mapping.values()) + required + optional
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
            wanted += [c for c in names if c.lower() in set(required + optional)]
        except (pa.ArrowException, OSError):  # no Parquet file: read_raw reports it with the reason
            pass
    before = len(problems)
    header_of = list(required)
    if table == "orders" and "revenue" not in mapping and {"quantity", "unit_price"} <= set(mapping):
        header_of = [c if c != "revenue" else "unit_price" for c in required]  # priced lines have no revenue
    names_of = [{c.lower()} | ({mapping[c].lower()} if c in mapping else set()) for c in header_of]
    sheet = (getattr(params.data, "sheets", None) or {}).get(table)
    try:
        raw = read_raw(path, str(name), params.data.csv, problems, wanted, sheet=sheet, required=names_of, table=table)
    except READER_FAILURES as exc:  # a reader failing in a way nobody foresaw is still a problem of this file
        problems.append(Problem(str(name), f"cannot be read ({type(exc).__name__}: {exc})"))
        return None, None, str(name)
    if raw is None:
        return None, None, str(name)
    if raw.frame.empty:
        problems.append(
            Problem(
                str(name), "has a header but no data rows", row=raw.header_row + 1 if raw.kind != "parquet" else None
            )
        )
        return None, None, str(name)
    columns = _map_columns(raw, table, mapping, str(name), problems)
    _check_merged(raw, columns, str(name), problems)
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None, None, str(name)
    try:
        frame = _convert(raw, table, columns, params.data.csv, str(name), problems, params.data.missing_customer_id)
    except VALUE_FAILURES as exc:  # never a traceback for a value nobody foresaw
        problems.append(Problem(str(name), f"cannot be converted ({type(exc).__name__}: {exc})"))
        return None, None, str(name)
    if table == "orders" and "contribution_margin" not in frame and "cost" in frame:
        frame["contribution_margin"] = frame["revenue"] - frame["cost"]
    if "cost" in frame:
        frame = frame.drop(columns="cost")
    frame = _without_empty_columns(frame, table, columns, str(name), problems)
    frame.attrs["sources"] = dict(columns)
    return frame, raw.rows, str(name)


class FileTables(LazyTables):
    """:class:`Tables` whose invoice lines and CRM activities the full reader reads on first use.

    For a workbook whose lines and activities DuckDB read and checked
    (:meth:`smartacct_helpers.facts.workbook.Workbook.from_files`): the analyses
    read them there, and ``orders`` or ``activities`` is a frame only when
    something asks for it.
    """

    def __init__(self, params: Params, **tables):
        self._params = params
        super().__init__(**tables)

    def _read(self, table: str) -> pd.DataFrame | None:
        if table == "unattributed":  # DuckDB read the lines only where every one has a customer id
            return None
        if not getattr(self._params.data, table):
            return None
        problems: list[Problem] = []
        frame, _, _ = read_table(self._params, table, problems)
        if any(p.severity == "error" for p in problems):
            raise InputDataError([p for p in problems if p.severity == "error"])
        if frame is not None:
            frame.attrs.pop("sources", None)
        return frame


def load_tables(params: Params, lines: bool = True) -> Tables:
    """Read, map, convert and check every table the params name.

    Every table is read and checked, and every problem of every table is
    raised together: a bad customer master and bad invoice lines are
    reported in one run. The checks across tables (invoice lines of
    customers missing from the master) run where both tables were read
    without errors.

    Invoice lines without a customer id are left out and summed per day
    into ``unattributed`` (``data.missing_customer_id: exclude``, the
    default), or each is a problem (``refuse``). Customer attributes mapped
    on the invoice lines (:data:`~smartacct_helpers.intake.schema.LINE_ATTRIBUTES`)
    become the customers' attributes: each customer takes its latest value
    (see :func:`latest_values`); a customer master's own value wins.

    With ``lines=False`` the invoice lines and the CRM activities are left
    to the caller, who has read and checked them elsewhere; they are read
    on first use (see :class:`FileTables`). A customer master is then
    required.

    The tables of ``data.database`` are mapped where they lie and their
    invoice lines summed there: see
    :func:`smartacct_helpers.facts.database_totals.engine_tables`.

    Raises
    ------
    ParamsError
        A named file is missing.
    InputDataError
        With every problem found in the data.
    ValueError
        For params with ``data.database``: their tables are no files.
    """
    if params.data.database:
        raise ValueError(
            "load_tables reads files; the tables of data.database are read by "
            "smartacct_helpers.facts.database_totals.engine_tables"
        )
    problems: list[Problem] = []
    files, frames, rows = _read_every_table(params, lines, problems)
    warnings = [p for p in problems if p.severity != "error"]
    problems = [p for p in problems if p.severity == "error"]
    orders, unattributed, line_values = _checked_orders(params, frames["orders"], rows, problems, warnings)
    customers_from_orders = params.data.customers is None
    customers = _checked_customers(params, frames["customers"], orders, line_values, rows, problems, warnings)
    known = customers["customer_id"] if customers is not None else None
    activities = _checked_activities(params, frames["activities"], rows["activities"], known, warnings)
    assessments = frames["assessments"]
    if assessments is not None and known is not None:
        assessments = _leave_out_unknown(
            assessments, rows["assessments"], known, params.data.assessments, "assessments", warnings
        )
    _warn_unknown_channels(params, orders, warnings)
    if problems:
        raise InputDataError(problems)
    for frame in (orders, customers, activities, frames["market"], assessments):
        if frame is not None:
            frame.attrs.pop("sources", None)
    if not lines:
        return FileTables(
            params,
            customers=customers,
            market=frames["market"],
            assessments=assessments,
            files=files,
            customers_from_orders=False,
            warnings=warnings,
        )
    return Tables(
        orders=orders,
        customers=customers,
        activities=activities,
        market=frames["market"],
        assessments=assessments,
        files=files,
        customers_from_orders=customers_from_orders,
        warnings=warnings,
        unattributed=unattributed,
    )


def _read_every_table(params: Params, lines: bool, problems: list[Problem]) -> tuple[dict, dict, dict]:
    """``(files, frames, rows)``: each table read (None for one with errors, or lines left to the caller)."""
    files: dict[str, str] = {}
    frames: dict[str, pd.DataFrame | None] = {}
    rows: dict[str, np.ndarray | None] = {}
    for table in ("orders", "customers", "activities", "market", "assessments"):
        if table in ("orders", "activities") and not lines:
            if getattr(params.data, table):
                files[table] = str(params.path(getattr(params.data, table)))
            frames[table] = rows[table] = None
            continue
        before = len(problems)
        frame, row_numbers, name = read_table(params, table, problems)
        if any(p.severity == "error" for p in problems[before:]):
            frame = row_numbers = None  # its checks below would only repeat what is wrong with it
        frames[table], rows[table] = frame, row_numbers
        if name:
            files[table] = str(params.path(getattr(params.data, table)))
    return files, frames, rows


def _checked_orders(params: Params, orders, rows: dict, problems: list[Problem], warnings: list[Problem]):
    """``(orders, unattributed, line_values)``: late lines, lines without a customer id, attributes on the lines.

    ``rows["orders"]`` follows the lines that are kept.
    """
    if orders is None:
        return None, None, None
    source, line_values = orders, None
    found, keep = _late_orders(orders, rows["orders"], params)
    if found is not None and found.severity == "error":
        problems.append(found)
    elif found is not None:
        warnings.append(found)
        orders, rows["orders"] = orders[keep].reset_index(drop=True), rows["orders"][keep]
    orders, rows["orders"], unattributed = _split_unattributed(orders, rows["orders"])
    if unattributed is not None and orders.empty:
        problems.append(
            Problem(
                params.data.orders,
                "no invoice line has a customer id; map the column that holds it in data.columns.orders.customer_id",
                column=_source_name(source, "customer_id"),
            )
        )
        orders = None
    attributes = [c for c in LINE_ATTRIBUTES if orders is not None and c in orders]
    if attributes:
        line_values = latest_values(orders, attributes)
        orders = orders.drop(columns=attributes)
    return orders, unattributed, line_values


def _checked_customers(params: Params, customers, orders, line_values, rows, problems, warnings):
    """The customers: the master, checked (or the ids of the lines), with the attributes from the lines."""
    customers_from_orders = params.data.customers is None
    if customers_from_orders and orders is not None:
        customers = pd.DataFrame({"customer_id": sorted(pd.unique(orders["customer_id"]))}, dtype=object)
    if customers is not None and line_values is not None:
        customers = with_line_values(customers, line_values)
    if customers is None or customers_from_orders:
        return customers
    if "employees" in customers and customers["employees"].isna().any():
        gaps = customers["employees"].isna().to_numpy()
        warnings.append(
            Problem(
                params.data.customers,
                f"{int(gaps.sum()):,} of {len(customers):,} customer "
                "rows have no employee count (the first in this row); their potential comes "
                "from their best year instead of the industry value per employee",
                row=int(rows["customers"][np.flatnonzero(gaps)[0]]),
                column=_source_name(customers, "employees"),
                severity="warning",
            )
        )
    customers = _check_customers(customers, rows["customers"], params.data.customers, problems, warnings)
    if orders is not None:
        found = _unknown(orders, rows["orders"], customers["customer_id"], params.data.orders, "invoice lines")
        if found:
            problems.append(found)
    return customers


def _checked_activities(params: Params, activities, rows, known, warnings: list[Problem]):
    """The CRM activities of known customers; a warning for types other than visit, call, email and meeting."""
    if activities is None:
        return None
    if known is not None:
        activities = _leave_out_unknown(activities, rows, known, params.data.activities, "activities", warnings)
    odd = ~activities["type"].isin(set(ACTIVITY_TYPES.values()))
    if odd.any():
        kinds = ", ".join(repr(t) for t in pd.unique(activities.loc[odd, "type"])[:5])
        warnings.append(
            Problem(
                params.data.activities,
                f"{int(odd.sum()):,} activities of unknown type ({kinds}); only visit, call, email and meeting count",
                column="type",
                severity="warning",
            )
        )
    return activities


def _warn_unknown_channels(params: Params, orders, warnings: list[Problem]) -> None:
    """A warning for invoice lines whose channel is none of field, inside, online, distributor and retail."""
    if orders is None or "channel" not in orders:
        return
    odd = orders["channel"].notna() & ~orders["channel"].isin(CHANNELS)
    if odd.any():
        kinds = ", ".join(repr(t) for t in pd.unique(orders.loc[odd, "channel"])[:5])
        warnings.append(
            Problem(
                params.data.orders,
                f"{int(odd.sum()):,} invoice lines with an unknown "
                f"channel ({kinds}); expected field, inside, online, distributor or retail",
                column="channel",
                severity="warning",
            )
        )


def _split_unattributed(orders: pd.DataFrame, rows: np.ndarray):
    """The invoice lines with a customer id, their rows, and those without one summed per day (None: there are none)."""
    missing = orders["customer_id"].isna().to_numpy()
    if not missing.any():
        return orders, rows, None
    return orders[~missing].reset_index(drop=True), rows[~missing], unattributed_by_day(orders[missing])


def unattributed_by_day(lines: pd.DataFrame) -> pd.DataFrame:
    """Invoice lines (without a customer id) summed per day: ``date``, ``lines``, ``revenue``.

    The revenue is summed to the millionth, as the engines sum money
    (:func:`smartacct_helpers.facts.orders.money_sum`).

    >>> lines = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-05"]),
    ...                       "revenue": [0.1, 0.2, -3.0]})
    >>> unattributed_by_day(lines)[["lines", "revenue"]].values.tolist()
    [[2.0, 0.3], [1.0, -3.0]]
    """
    days = pd.DataFrame(
        {
            "date": lines["date"].dt.normalize().to_numpy(),
            "lines": 1,
            "revenue": lines["revenue"].to_numpy(dtype="float64"),
        }
    )
    out = days.groupby("date", sort=True).agg(lines=("lines", "sum"), revenue=("revenue", "sum")).reset_index()
    return pd.DataFrame(
        {
            "date": out["date"].astype("datetime64[ns]"),
            "lines": out["lines"].astype("int64"),
            "revenue": to_the_millionth(out["revenue"].to_numpy()),
        }
    )


def to_the_millionth(values) -> np.ndarray:
    """Sums of money rounded to the millionth, as the engines round them (:func:`~.facts.orders.to_the_millionth`).

    >>> to_the_millionth([0.1 + 0.2, -5.7e-14]).tolist()
    [0.3, 0.0]
    """
    values = np.asarray(values, dtype="float64")
    return np.floor(values * 1e6 + 0.5) / 1e6 + 0.0


def latest_values(orders: pd.DataFrame, attributes: list[str]) -> pd.DataFrame:
    """Each customer's latest value of each attribute on its invoice lines, indexed by customer id.

    The value of the customer's latest line that has one: a line without
    a value does not override an earlier one. Lines of that same day that
    disagree give the greatest value (the last in alphabetical order), so
    that the answer does not depend on the order of the lines.

    >>> o = pd.DataFrame({"customer_id": ["7", "7", "7", "9"],
    ...                   "date": pd.to_datetime(["2024-01-05", "2025-02-01", "2025-03-01", "2025-01-01"]),
    ...                   "region": ["North", "South", None, None]})
    >>> latest_values(o, ["region"])["region"].to_dict()
    {'7': 'South', '9': nan}
    """
    ids = pd.Index(sorted(pd.unique(orders["customer_id"])), name="customer_id")
    out = {}
    for column in attributes:
        given = orders[column].notna().to_numpy()
        lines = pd.DataFrame(
            {
                "customer_id": orders["customer_id"].to_numpy()[given],
                "date": orders["date"].to_numpy()[given],
                "value": orders[column][given].array,
            }
        )
        latest = lines.groupby("customer_id")["date"].transform("max")
        values = lines[(lines["date"] == latest).to_numpy()].groupby("customer_id")["value"].max()
        out[column] = values.reindex(ids)
    return pd.DataFrame(out, index=ids)


def with_line_values(customers: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """``customers`` with the attributes taken from the invoice lines (:func:`latest_values`).

    A customer master's own value wins where it has one; its gaps and the
    columns it lacks are filled from the lines.

    >>> master = pd.DataFrame({"customer_id": ["7", "9"], "region": ["West", None]})
    >>> lines = pd.DataFrame({"region": ["South", "North"], "industry": ["retail", "trade"]},
    ...                      index=pd.Index(["7", "9"], name="customer_id"))
    >>> with_line_values(master, lines).values.tolist()
    [['7', 'West', 'retail'], ['9', 'North', 'trade']]
    """
    customers = customers.copy()
    ids = customers["customer_id"]
    for column in values.columns:
        from_lines = pd.Series(values[column].reindex(ids).array, index=customers.index)
        if column in customers:
            customers[column] = customers[column].where(customers[column].notna(), from_lines)
        else:
            customers[column] = from_lines
    return customers
