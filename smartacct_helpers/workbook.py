"""One client's data, read, checked and condensed into customer facts.

A :class:`Workbook` is what every notebook starts from: the params, the
canonical tables, the reference date and the customer facts computed in the
engine. The analyses (segments, potential, costing, ...) are functions of
these facts and the assumptions, so a slider can change an assumption and
recompute in milliseconds without touching the raw data again.

Examples
--------
>>> wb = Workbook.open("data/sample/params.yaml")  # doctest: +SKIP
>>> wb.classify()["segment"].value_counts()  # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import facts
from .exports import atomic_write
from .intake import Tables, load_tables
from .params import Params, load_params
from .potential import customer_potential
from .segments import classify_customers


@dataclass
class Workbook:
    """A client's params, tables and customer facts."""

    params: Params
    tables: Tables
    reference_date: dt.date
    customers: pd.DataFrame
    yearly: pd.DataFrame
    connection: object = field(repr=False, default=None)

    @classmethod
    def open(cls, params: Params | str | Path, overrides: dict | None = None) -> "Workbook":
        """Read the params file and the data it names, and compute the facts.

        Parameters
        ----------
        params : Params or path
            A parsed params object or the path of a params file.
        overrides : dict, optional
            Nested params keys to override (only with a path).

        Raises
        ------
        ParamsError, InputDataError
            With every problem found.
        """
        if not isinstance(params, Params):
            params = load_params(params, overrides)
        tables = load_tables(params)
        return cls.from_tables(params, tables)

    @classmethod
    def from_tables(cls, params: Params, tables: Tables) -> "Workbook":
        """Compute the facts for tables already read."""
        con = facts.connect()
        orders = con.create_table("orders", tables.orders)
        customers = con.create_table("customers", tables.customers)
        activities = None
        if tables.activities is not None and len(tables.activities):
            activities = con.create_table("activities", tables.activities)
        reference = params.reference_date or facts.last_order_date(orders)
        years = max(params.assumptions.trend_years, 2)
        customer_facts = facts.customer_facts(orders, customers, activities, reference, years)
        yearly = facts.yearly_facts(orders).to_pandas().sort_values(["customer_id", "year"]).reset_index(drop=True)
        return cls(params, tables, reference, customer_facts, yearly, con)

    @property
    def assumptions(self):
        return self.params.assumptions

    def with_assumptions(self, **changes) -> "Workbook":
        """A copy with some assumptions changed (the facts are shared, not recomputed).

        >>> wb.with_assumptions(max_sales_cost_ratio=0.1)  # doctest: +SKIP
        """
        params = self.params.model_copy(deep=True)
        for key, value in changes.items():
            if key == "abc":
                params.assumptions.abc = params.assumptions.abc.model_validate(value)
            else:
                setattr(params.assumptions, key, value)
        return Workbook(params, self.tables, self.reference_date, self.customers, self.yearly, self.connection)

    def potential(self) -> pd.DataFrame:
        """Potential, share of wallet and gap per customer (aligned with :attr:`customers`)."""
        a = self.assumptions
        return customer_potential(
            self.customers, self.yearly, self.reference_date, a.potential_per_employee, a.potential_history_years
        )

    def classify(self) -> pd.DataFrame:
        """Every customer with segment, ABC classes, rules, C groups and smart-account flag."""
        return classify_customers(self.customers, self.assumptions, self.reference_date, self.potential())

    def revenue_by_year(self) -> pd.DataFrame:
        """Revenue, margin, customers buying and orders per calendar year."""
        y = self.yearly
        metrics = {"revenue": ("revenue", "sum"), "customers": ("customer_id", "nunique"), "orders": ("orders", "sum")}
        if "contribution_margin" in y:
            metrics["contribution_margin"] = ("contribution_margin", "sum")
        return y.groupby("year").agg(**metrics)


def export_facts(params_file: str | Path, out: str | Path) -> tuple[Path, int]:
    """Write the per-customer-per-year facts to ``out`` (``.parquet`` or ``.csv``).

    The aggregation runs in the engine and the engine writes the file, under
    a temporary name first. Returns the path and the number of rows.
    """
    from .exceptions import ParamsError

    out = Path(out)
    if out.suffix.lower() not in (".parquet", ".csv"):
        raise ParamsError(f"--out must end in .parquet or .csv, got {out.name}")
    params = load_params(params_file)
    wb = Workbook.open(params)
    con = wb.connection
    activities = con.table("activities") if "activities" in con.list_tables() else None
    table = facts.facts_table(con.table("orders"), activities, wb.reference_date)
    atomic_write(out, table.to_parquet if out.suffix.lower() == ".parquet" else table.to_csv)
    return out, int(table.count().execute())
