"""The canonical tables and columns of the method, and the words an export may use.

What the file reader (:mod:`smartacct_helpers.intake.tables`), DuckDB's
reader of files (:mod:`smartacct_helpers.intake.duckdb_files`) and the
database reader (:mod:`smartacct_helpers.intake.database`) share: the
schema, the words, the :class:`Tables` they fill and :func:`match_columns`.
It needs no pandas, so that ``smartacct facts`` over Parquet or a database
never imports it.

Examples
--------
>>> problems = []
>>> match_columns(["Kundennummer", "Datum", "Umsatz"], "orders",
...               {"customer_id": "Kundennummer", "date": "Datum", "revenue": "Umsatz"}, "orders.csv", problems)
{'customer_id': 'Kundennummer', 'date': 'Datum', 'revenue': 'Umsatz'}
>>> problems
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..exceptions import Problem

if TYPE_CHECKING:
    import pandas as pd

#: scores from 1 to 5: the scorecard's three criteria, then the supplier's own side of each
SCORE_COLUMNS = [
    "partner_willingness",
    "transparency",
    "growth_potential",
    "supplier_partner_willingness",
    "supplier_transparency",
    "supplier_growth_contribution",
]
#: canonical columns per table: (required, optional)
SCHEMA: dict[str, tuple[list[str], list[str]]] = {
    "orders": (
        ["customer_id", "date", "revenue"],
        [
            "order_id",
            "contribution_margin",
            "cost",
            "channel",
            "product_group",
            "discount",
            "rebate",
            "quantity",
            "unit_price",
        ],
    ),
    "customers": (
        ["customer_id"],
        [
            "name",
            "industry",
            "region",
            "employees",
            "outside_rep",
            "inside_rep",
            "main_channel",
            "competitor_activity",
            "procurement_power",
            "partner_willingness",
            "transparency",
            "growth_potential",
            "distance_km",
            "account_team_annual_cost",
            # whom the inside reps call: carried into the worklists where the master has them
            "contact_person",
            "phone",
            "email",
            "pilot_group",
        ],
    ),
    "activities": (["customer_id", "date", "type"], ["rep", "team"]),
    "market": (["segment", "market_volume"], []),
    "assessments": (
        ["customer_id", "date"],
        [
            # the scorecard's three criteria, then the supplier's own side (rated by itself or by the customer)
            *SCORE_COLUMNS,
            # the seven key-account strategies in place for the account (yes/no each)
            "single_point_of_contact",
            "pricing_incentives",
            "priority_ordering",
            "customised_offer",
            "matching_units_of_sale",
            "cross_business_teams",
            "integrated_inventory_billing",
        ],
    ),
}

#: the customer attributes an export may carry on every invoice line (mapped under ``data.columns.orders``)
LINE_ATTRIBUTES = SCHEMA["customers"][1]
MONEY = {
    "revenue",
    "contribution_margin",
    "cost",
    "discount",
    "rebate",
    "market_volume",
    "unit_price",
    "account_team_annual_cost",
}
SCORES = set(SCORE_COLUMNS)
NUMBERS = MONEY | {"quantity", "employees", "distance_km"} | SCORES
DATES = {"date"}
#: the seven key-account strategies of an assessment, each yes or no
STRATEGIES = (
    "single_point_of_contact",
    "pricing_incentives",
    "priority_ordering",
    "customised_offer",
    "matching_units_of_sale",
    "cross_business_teams",
    "integrated_inventory_billing",
)
#: columns of yes or no (true/false, ja/nein, 1/0, x)
YES_NO = {"procurement_power", *STRATEGIES}
ABSURD_AMOUNT = 1e12

#: German and English words an export may use, mapped to the method's words
ACTIVITY_TYPES = {
    "visit": "visit",
    "besuch": "visit",
    "kundenbesuch": "visit",
    "call": "call",
    "anruf": "call",
    "telefonat": "call",
    "phone": "call",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "meeting": "meeting",
    "termin": "meeting",
}
TEAMS = {
    "outside": "outside",
    "aussendienst": "outside",
    "außendienst": "outside",
    "field": "outside",
    "inside": "inside",
    "innendienst": "inside",
}
CHANNELS = {"field", "inside", "online", "distributor", "retail"}
COMPETITOR_LEVELS = {
    "low": "low",
    "niedrig": "low",
    "gering": "low",
    "medium": "medium",
    "mittel": "medium",
    "high": "high",
    "hoch": "high",
}


#: the tolerance of :func:`cents` in hundredths: a sum within it of half a cent rounds away from zero
HALF_CENT = 0.5 + 1e-7
TRUE_WORDS = {"true", "yes", "ja", "1", "wahr", "x", "y", "j"}
FALSE_WORDS = {"false", "no", "nein", "0", "falsch", "n", ""}


@dataclass
class Tables:
    """The canonical tables of one client, read and checked.

    Attributes
    ----------
    orders, customers : DataFrame
        Always present; without a customers file the customers are the
        distinct customer ids of the orders.
    activities, market, assessments : DataFrame or None
    files : dict
        Table name -> the file it was read from.
    unattributed : DataFrame or None
        The invoice lines without a customer id, left out of every customer
        figure (``data.missing_customer_id: exclude``), summed per day:
        ``date``, ``lines``, ``revenue``. None or empty when there are none.
    customers_from_orders : bool
    warnings : list of Problem
        Findings that do not stop the run (shown by ``validate`` and in the
        data-quality table).
    """

    orders: pd.DataFrame
    customers: pd.DataFrame
    activities: pd.DataFrame | None = None
    market: pd.DataFrame | None = None
    assessments: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    customers_from_orders: bool = False
    warnings: list[Problem] = field(default_factory=list)
    unattributed: pd.DataFrame | None = None


class LazyTables(Tables):
    """:class:`Tables` whose invoice lines and CRM activities are read on first use.

    Subclasses say how, in ``_read(table)`` (``"orders"``, ``"activities"``
    or ``"unattributed"``; None where there is no such table). Setting any
    of them replaces what would be read.
    """

    def __init__(self, **tables):
        self._read_already: dict[str, object] = {}
        super().__init__(orders=None, activities=None, **tables)

    def _read(self, table: str):
        raise NotImplementedError

    def _lazy(self, table: str):
        if table not in self._read_already:
            self._read_already[table] = self._read(table)
        return self._read_already[table]

    def __getstate__(self):  # a pickled copy reads its lines again on first use instead of carrying them
        return {**self.__dict__, "_read_already": {}}

    def is_read(self, table: str) -> bool:
        """Whether ``table`` (``"orders"`` or ``"activities"``) was read or set."""
        return table in self._read_already

    def _set(self, table: str, value) -> None:
        if value is not None:
            self._read_already[table] = value

    orders = property(lambda self: self._lazy("orders"), lambda self, value: self._set("orders", value))
    activities = property(lambda self: self._lazy("activities"), lambda self, value: self._set("activities", value))
    unattributed = property(
        lambda self: self._lazy("unattributed"), lambda self, value: self._set("unattributed", value)
    )


def match_columns(
    columns: list[str],
    table: str,
    mapping: dict[str, str],
    name: str,
    problems: list[Problem],
    where: str = "file",
    hint: str = "",
) -> dict[str, str]:
    """canonical -> source column, for a file's or a database table's ``columns``.

    A column is found under the name ``mapping`` gives it, or under its
    canonical name in any case. A mapping to a column that is not there, and
    a required column that is missing, each become a problem naming the
    ``data.columns`` key to set; ``hint`` is added to the latter.

    The invoice lines may also map the customer attributes an export
    repeats on every line (:data:`LINE_ATTRIBUTES`; only where mapped, never
    found by name), and may take their revenue from ``quantity`` and
    ``unit_price`` instead of a revenue column.

    >>> problems = []
    >>> match_columns(["Kunde", "Datum", "Menge", "Preis", "Branche"], "orders",
    ...               {"customer_id": "Kunde", "date": "Datum", "quantity": "Menge", "unit_price": "Preis",
    ...                "industry": "Branche"}, "orders.csv", problems)["industry"], problems
    ('Branche', [])
    """
    required, optional = SCHEMA[table]
    known = set(required) | set(optional)
    mappable = known | (set(LINE_ATTRIBUTES) if table == "orders" else set())
    by_lower = {c.lower(): c for c in columns}
    listed = ", ".join(columns)
    found: dict[str, str] = {}
    for canonical, source in mapping.items():
        if canonical not in mappable:
            attributes = (
                f"; or a customer attribute repeated on each line: {', '.join(LINE_ATTRIBUTES)}"
                if table == "orders"
                else ""
            )
            problems.append(
                Problem(
                    name,
                    f"data.columns.{table} maps '{canonical}', which is no column of the "
                    f"{table} table (known: {', '.join(sorted(known))}{attributes})",
                )
            )
        elif source in columns:
            found[canonical] = source
        elif source.lower() in by_lower:
            found[canonical] = by_lower[source.lower()]
        else:
            problems.append(
                Problem(
                    name,
                    f"data.columns.{table}.{canonical} names column '{source}', which the "
                    f"{where} does not have; its columns are: {listed}",
                    column=source,
                )
            )
    for canonical in required + optional:
        if canonical not in found and canonical not in mapping and canonical in by_lower:
            found[canonical] = by_lower[canonical]
    priced = table == "orders" and {"quantity", "unit_price"} <= set(found) | set(mapping)
    for canonical in required:
        if canonical not in found and canonical not in mapping and not (canonical == "revenue" and priced):
            also = (
                ", or map quantity and unit_price (revenue = quantity x unit price)"
                if table == "orders" and canonical == "revenue"
                else ""
            )
            problems.append(
                Problem(
                    name,
                    f"required column '{canonical}' is missing; name it so or map it in "
                    f"data.columns.{table}.{canonical}{also} (the {where} has: {listed}){hint}",
                    column=canonical,
                )
            )
    return found
