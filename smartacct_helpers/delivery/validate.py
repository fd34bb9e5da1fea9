"""``smartacct validate``: read and check everything, change nothing, say what was found.

Files go through the full reader (:func:`smartacct_helpers.intake.tables.load_tables`);
the tables of ``data.database`` are mapped in the database and their invoice
lines summed there (:func:`smartacct_helpers.facts.database_totals.engine_tables`).
"""

from __future__ import annotations

from pathlib import Path

from ..facts.database_totals import engine_tables
from ..intake.tables import load_tables
from ..params import load_params


def validate(params_file: str | Path) -> str:
    """Read the params and the data they name; return a readable summary.

    Raises
    ------
    ParamsError, InputDataError
        With every problem found (the command line exits with code 2).
    """
    params = load_params(params_file)
    tables = engine_tables(params) if params.data.database else load_tables(params)
    orders = tables.orders
    lines = [f"Params: {params_file} (client: {params.client}, currency: {params.currency})"]
    for name, path in tables.files.items():
        frame = getattr(tables, name, None)
        rows = 0 if frame is None else len(frame)
        lines.append(f"  {name:<11} {rows:>10,} rows  from {path}")
    if tables.customers_from_orders:
        lines.append(f"  customers   {len(tables.customers):>10,} taken from the orders (no customers file)")
    gone = tables.unattributed
    if gone is not None and len(gone):
        lines.append(
            f"Invoice lines without a customer id: {int(gone['lines'].sum()):,}, revenue "
            f"{gone['revenue'].sum():,.2f} {params.currency}; left out of every customer figure "
            "(data.missing_customer_id: exclude)"
        )
    if len(orders):
        lines.append(
            f"Orders from {orders['date'].min():%Y-%m-%d} to {orders['date'].max():%Y-%m-%d}; "
            f"revenue {orders['revenue'].sum():,.2f} {params.currency}; "
            f"credit notes: {(orders['revenue'] < 0).sum():,} lines"
        )
    reference = params.reference_date or (orders["date"].max().date() if len(orders) else None)
    lines.append(f"Reference date: {reference}" + ("" if params.reference_date else " (the last order date)"))
    if tables.warnings:
        lines.append(f"{len(tables.warnings)} warning(s):")
        lines += [f"  {w}" for w in tables.warnings]
    else:
        lines.append("No problems found.")
    return "\n".join(lines)
