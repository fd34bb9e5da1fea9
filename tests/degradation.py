"""The inputs a client may have, made from one generated supplier: the degradation matrix.

Each variant is the small sample with one optional file left out, one
optional column dropped or emptied, or the history cut short. The tests run
every section of every notebook (:data:`smartacct_helpers.presentation.sections.SECTIONS`)
and the key figures on each, in-process and without files.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pkgutil

import numpy as np
import pandas as pd

from smartacct_helpers.intake.schema import SCHEMA, Tables

#: the optional tables of the params' data section
OPTIONAL_TABLES = ("customers", "activities", "market", "assessments")


def import_all_sections() -> dict:
    """Import every module of the package and its subpackages, so that every section has registered itself; the registry."""
    import smartacct_helpers
    from smartacct_helpers.presentation.sections import SECTIONS

    for module in pkgutil.walk_packages(smartacct_helpers.__path__, "smartacct_helpers."):
        if module.name.rsplit(".", 1)[-1] not in ("__main__",):
            importlib.import_module(module.name)
    return SECTIONS


def _params_without(params, tables: tuple[str, ...]):
    out = params.model_copy(deep=True)
    for table in tables:
        setattr(out.data, table, None)
    return out


def _tables(base: Tables, **changes) -> Tables:
    fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(Tables)}
    fields = {k: (v.copy() if isinstance(v, pd.DataFrame) else copy.copy(v)) for k, v in fields.items()}
    fields.update(changes)
    return Tables(**fields)


def customers_from(orders: pd.DataFrame) -> pd.DataFrame:
    """The customers of a data set without a master: the distinct ids of its orders."""
    return pd.DataFrame({"customer_id": sorted(pd.unique(orders["customer_id"]))}, dtype=object)


def emptied(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``column`` present but holding no value (as an export with an empty column reads)."""
    out = frame.copy()
    out[column] = pd.Series(np.nan, index=out.index, dtype="float64" if out[column].dtype.kind in "fiu" else object)
    if out[column].dtype == object:
        out[column] = out[column].astype(object)
    return out


def variants(params, base: Tables) -> dict[str, tuple]:
    """``name -> (params, tables)`` for every input of the matrix."""
    out: dict[str, tuple] = {"full": (params, base)}
    orders = base.orders
    minimal = orders[["customer_id", "date", "revenue"]].copy()
    out["orders only"] = (
        _params_without(params, OPTIONAL_TABLES),
        _tables(
            base,
            orders=minimal,
            customers=customers_from(minimal),
            activities=None,
            market=None,
            assessments=None,
            customers_from_orders=True,
        ),
    )
    for table in OPTIONAL_TABLES:
        if table == "customers":
            changes = {"customers": customers_from(orders), "customers_from_orders": True}
        else:
            changes = {table: None}
        out[f"no {table} file"] = (_params_without(params, (table,)), _tables(base, **changes))
    for column in SCHEMA["orders"][1]:
        if column in orders:
            out[f"orders without {column}"] = (params, _tables(base, orders=orders.drop(columns=column)))
            out[f"orders with empty {column}"] = (params, _tables(base, orders=emptied(orders, column)))
    for column in SCHEMA["customers"][1]:
        if column in base.customers:
            out[f"customers without {column}"] = (params, _tables(base, customers=base.customers.drop(columns=column)))
            out[f"customers with empty {column}"] = (params, _tables(base, customers=emptied(base.customers, column)))
    out["master without industry and employees"] = (
        params,
        _tables(base, customers=base.customers.drop(columns=["industry", "employees"])),
    )
    out["master with empty industry and employees"] = (
        params,
        _tables(base, customers=emptied(emptied(base.customers, "industry"), "employees")),
    )
    if base.assessments is not None:  # the key-account practice's columns of the assessments
        a = base.assessments
        practice = [c for c in SCHEMA["assessments"][1][3:] if c in a]
        out["assessments with scores only"] = (params, _tables(base, assessments=a.drop(columns=practice)))
        empty = a
        for column in practice:
            empty = emptied(empty, column)
        out["assessments with empty strategies and supplier scores"] = (params, _tables(base, assessments=empty))
        scores = [c for c in SCHEMA["assessments"][1][:3] if c in a]
        out["assessments with strategies only"] = (params, _tables(base, assessments=a.drop(columns=scores)))
    for months in (13, 12):
        out[f"{months} months of history"] = _short_history(params, base, months)
    return out


def _short_history(params, base: Tables, months: int) -> tuple:
    """The last ``months`` months of orders and activities; the programme start left to its default."""
    end = base.orders["date"].max()
    start = (end - pd.DateOffset(months=months)).normalize() + pd.Timedelta(days=1)
    orders = base.orders[base.orders["date"] >= start].reset_index(drop=True)
    activities = base.activities
    if activities is not None:
        activities = activities[activities["date"] >= start].reset_index(drop=True)
    short = params.model_copy(deep=True)
    short.assumptions.programme_start = None
    return short, _tables(base, orders=orders, activities=activities)


def random_variant(
    params,
    base: Tables,
    drop_tables: list[str],
    drop_columns: list[tuple[str, str]],
    empty_columns: list[tuple[str, str]],
) -> tuple:
    """A variant with several tables and columns gone or empty at once (for hypothesis)."""
    p, t = params, _tables(base)
    for table, column in drop_columns:
        frame = getattr(t, table)
        if frame is not None and column in frame:
            setattr(t, table, frame.drop(columns=column))
    for table, column in empty_columns:
        frame = getattr(t, table)
        if frame is not None and column in frame:
            setattr(t, table, emptied(frame, column))
    for table in drop_tables:
        if table == "customers":
            t.customers, t.customers_from_orders = customers_from(t.orders), True
        else:
            setattr(t, table, None)
        p = _params_without(p, (table,))
    return p, t
