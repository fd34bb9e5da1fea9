"""Writing the sample the way real exports look, with a ``params.yaml`` that maps them.

A Parquet file with German ERP headers (:data:`ORDER_COLUMNS`), a semicolon
CSV with decimal commas (:data:`CUSTOMER_COLUMNS`), plain CSVs, each written
atomically.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..delivery.exports import atomic_write
from .generate import generate_sample
from .shape import _FIXED_COST_SHARE, CLIENT, DEFAULT_END, POTENTIAL_PER_EMPLOYEE

#: canonical order column -> column name in the ERP export
ORDER_COLUMNS = {
    "customer_id": "Kundennummer",
    "date": "Rechnungsdatum",
    "order_id": "Belegnummer",
    "revenue": "Umsatz",
    "contribution_margin": "Deckungsbeitrag",
    "channel": "Vertriebsweg",
    "product_group": "Warengruppe",
    "discount": "Rabatt",
    "rebate": "Bonus",
}

#: canonical customer column -> column name in the CRM export
CUSTOMER_COLUMNS = {
    "customer_id": "Kundennummer",
    "name": "Name",
    "industry": "Branche",
    "region": "Region",
    "employees": "Mitarbeiter",
    "outside_rep": "Aussendienst",
    "inside_rep": "Innendienst",
    "main_channel": "Hauptkanal",
    "competitor_activity": "Wettbewerb",
    "procurement_power": "Einkaufsmacht",
    "partner_willingness": "Partnerschaft",
    "transparency": "Transparenz",
    "growth_potential": "Wachstum",
    "distance_km": "Entfernung_km",
    "contact_person": "Ansprechpartner",
    "phone": "Telefon",
    "email": "E-Mail",
}


def _params_yaml(names: dict[str, str], fixed_costs: float) -> str:
    order_map = "\n".join(f"      {k}: {v}" for k, v in ORDER_COLUMNS.items())
    customer_map = "\n".join(f"      {k}: {v}" for k, v in CUSTOMER_COLUMNS.items())
    potential = "\n".join(f"    {k}: {v}" for k, v in POTENTIAL_PER_EMPLOYEE.items())
    return f"""\
# Params of the synthetic example wholesaler "{CLIENT}".
# The files beside this one look like real exports: the ERP invoice lines as
# Parquet with German headers, the customer master as a semicolon CSV with
# decimal commas, the CRM activities, the market estimate and the scorecard
# assessments of the key accounts as plain CSV.

client: {CLIENT}
currency: EUR
number_format: de             # 1.234,56 € and 31.12.2025, as a German client writes them
reference_date: null          # null = the last invoice date in the data

data:
  orders: {names["orders"]}        # ERP invoice lines (credit notes are negative)
  customers: {names["customers"]}      # customer master from the CRM
  activities: {names["activities"]}    # visits, calls, emails, meetings
  market: {names["market"]}            # estimated market volume per segment
  assessments: {names["assessments"]}  # scorecard assessments of the key accounts
  columns:                    # canonical name: column in the export
    orders:
{order_map}
    customers:
{customer_map}
  csv: {{delimiter: auto, decimal: auto, date_format: auto, encoding: auto}}

assumptions:
  abc: {{a: 0.80, b: 0.95}}      # cumulative revenue share limits of A and B
  outside_rep_annual_cost: 110000   # salary, social charges, car, travel, expenses
  working_days: 200
  visits_per_day: 4
  visits_per_customer_year: 5       # a customer needs 4 to 6 visits to feel looked after
  max_sales_cost_ratio: 0.08        # sales cost should stay below 8 % of revenue
  inside_rep_capacity: [350, 400, 450]   # customers per inside rep: low / mid / high
  inside_rep_annual_cost: 65000
  active_window_months: 24          # an order in this span makes a small customer worth managing
  programme_start: 2025-01-01       # the inside-sales team took over its small customers on this day
  potential_per_employee:           # installable value per employee and year (EUR)
{potential}
  fixed_costs: {fixed_costs:.0f}            # staff, warehouse, rent, IT: what the contribution margin must cover
"""


def write_sample(
    out_dir: str | os.PathLike,
    customers: int = 6500,
    years: int = 5,
    seed: int = 42,
    end: dt.date = DEFAULT_END,
) -> dict[str, Path]:
    """Generate the sample and write it as ERP/CRM exports plus ``params.yaml``.

    Each file is first written under a temporary name in ``out_dir`` and then
    moved into place, so a reader never sees half a file.

    Parameters
    ----------
    out_dir : str or path-like
        Target folder; created if missing. Existing sample files are replaced.
    customers, years, seed, end
        As in :func:`generate_sample`.

    Returns
    -------
    dict of str to pathlib.Path
        Paths of ``orders`` (Parquet), ``customers``, ``activities``,
        ``market``, ``assessments`` (CSV) and ``params`` (YAML). The
        scorecard assessments (``customer_id, date, partner_willingness,
        transparency, growth_potential``) are written in canonical names.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_sample(folder, customers=200, years=2)
    ...     sorted(p.name for p in paths.values())
    ['activities.csv', 'assessments.csv', 'customers.csv', 'market.csv', 'orders.parquet', 'params.yaml']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate_sample(customers=customers, years=years, seed=seed, end=end)
    names = {
        "orders": "orders.parquet",
        "customers": "customers.csv",
        "activities": "activities.csv",
        "market": "market.csv",
        "assessments": "assessments.csv",
    }
    paths = {k: out / v for k, v in names.items()}

    orders = tables["orders"]
    _write_orders(orders, paths["orders"])

    cust = tables["customers"].copy()
    cust["procurement_power"] = np.where(cust["procurement_power"], "true", "false")
    cust = cust.rename(columns=CUSTOMER_COLUMNS)
    atomic_write(
        paths["customers"],
        lambda tmp: cust.to_csv(tmp, sep=";", decimal=",", index=False, encoding="utf-8-sig"),
    )

    acts = tables["activities"].copy()
    acts["date"] = acts["date"].dt.strftime("%Y-%m-%d")
    atomic_write(paths["activities"], lambda tmp: acts.to_csv(tmp, index=False, encoding="utf-8"))

    market = tables["market"]
    atomic_write(
        paths["market"],
        lambda tmp: market.to_csv(tmp, index=False, encoding="utf-8", float_format="%.0f"),
    )

    _write_assessments(tables["assessments"], paths["assessments"])

    window = orders["date"] > pd.Timestamp(end) - pd.DateOffset(years=1)
    fixed_costs = round(float(orders.loc[window, "contribution_margin"].sum()) * _FIXED_COST_SHARE, -5)
    text = _params_yaml(names, fixed_costs)
    paths["params"] = out / "params.yaml"
    atomic_write(paths["params"], lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return paths


def _write_assessments(assessments: pd.DataFrame, path: Path) -> None:
    """The scorecard assessments as a CRM exports them: ISO dates, the strategies as yes, no or empty."""
    assessments = assessments.copy()
    assessments["date"] = assessments["date"].dt.strftime("%Y-%m-%d")
    for column in assessments.columns:
        if pd.api.types.is_bool_dtype(assessments[column]):
            assessments[column] = assessments[column].map({True: "yes", False: "no"}).astype(object)
    atomic_write(path, lambda tmp: assessments.to_csv(tmp, index=False, encoding="utf-8"))


def _write_orders(orders: pd.DataFrame, path: Path) -> None:
    """The invoice lines as a Parquet file with the German ERP headers (:data:`ORDER_COLUMNS`), dates as dates."""
    table = pa.table(
        {
            ORDER_COLUMNS["customer_id"]: pa.array(orders["customer_id"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["date"]: pa.array(orders["date"].dt.date.to_numpy(), pa.date32()),
            ORDER_COLUMNS["order_id"]: pa.array(orders["order_id"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["revenue"]: pa.array(orders["revenue"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["contribution_margin"]: pa.array(orders["contribution_margin"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["channel"]: pa.array(orders["channel"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["product_group"]: pa.array(orders["product_group"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["discount"]: pa.array(orders["discount"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["rebate"]: pa.array(orders["rebate"].to_numpy(float), pa.float64()),
        }
    )
    atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
