"""The canonical tables and columns of the method, and the words an export may use.

This is what the file reader (:mod:`smartacct_helpers.intake`) and the
engines (:mod:`smartacct_helpers.engines`) share. It needs no pandas, so that
``smartacct facts`` over Parquet or a database never imports it.

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

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .exceptions import Problem

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: canonical columns per table: (required, optional)
SCHEMA: dict[str, tuple[list[str], list[str]]] = {
    "orders": (
        ["customer_id", "date", "revenue"],
        ["order_id", "contribution_margin", "cost", "channel", "product_group", "discount", "rebate", "quantity",
         "unit_price"],
    ),
    "customers": (
        ["customer_id"],
        [
            "name", "industry", "region", "employees", "outside_rep", "inside_rep", "main_channel",
            "competitor_activity", "procurement_power", "partner_willingness", "transparency",
            "growth_potential", "distance_km",
        ],
    ),
    "activities": (["customer_id", "date", "type"], ["rep", "team"]),
    "market": (["segment", "market_volume"], []),
    "assessments": (["customer_id", "date"], ["partner_willingness", "transparency", "growth_potential"]),
}

#: the customer attributes an export may carry on every invoice line (mapped under ``data.columns.orders``)
LINE_ATTRIBUTES = SCHEMA["customers"][1]
MONEY = {"revenue", "contribution_margin", "cost", "discount", "rebate", "market_volume", "unit_price"}
NUMBERS = MONEY | {"quantity", "employees", "distance_km", "partner_willingness", "transparency", "growth_potential"}
DATES = {"date"}
SCORES = {"partner_willingness", "transparency", "growth_potential"}
ABSURD_AMOUNT = 1e12

#: German and English words an export may use, mapped to the method's words
ACTIVITY_TYPES = {
    "visit": "visit", "besuch": "visit", "kundenbesuch": "visit",
    "call": "call", "anruf": "call", "telefonat": "call", "phone": "call",
    "email": "email", "e-mail": "email", "mail": "email",
    "meeting": "meeting", "termin": "meeting",
}
TEAMS = {"outside": "outside", "aussendienst": "outside", "außendienst": "outside", "field": "outside",
         "inside": "inside", "innendienst": "inside"}
CHANNELS = {"field", "inside", "online", "distributor", "retail"}
COMPETITOR_LEVELS = {"low": "low", "niedrig": "low", "gering": "low", "medium": "medium", "mittel": "medium",
                     "high": "high", "hoch": "high"}
#: a number written as text by a tool that stored an id as a float: ``17850.0`` is the id ``17850``
NUMBER_ID = r"^(-?\d+)\.0+$"
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
    unattributed = property(lambda self: self._lazy("unattributed"),
                            lambda self, value: self._set("unattributed", value))


def isin(values, known):
    """``values.isin(known)`` as a boolean array, looked up by Arrow.

    pandas' ``isin`` turns every string into a Python object first, which
    at 100,000 customers takes a good part of a second; Arrow reads them
    where they lie.

    >>> isin(["7", "9", None], ["7", "8"]).tolist()
    [True, False, False]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.is_in(pa.array(values, from_pandas=True), value_set=pa.array(known, from_pandas=True))
    except (pa.ArrowException, TypeError):  # values of mixed types: pandas compares them one by one
        import pandas as pd

        return pd.Series(values).isin(list(known)).to_numpy()
    return found.to_numpy(zero_copy_only=False)


def positions(values, index) -> np.ndarray:
    """The position of each of ``values`` in ``index``, -1 where absent: ``index.get_indexer(values)``.

    Looked up by Arrow, like :func:`isin`, which reads the strings where they
    lie; pandas turns each one into a Python object first. Keys of mixed
    types go to pandas, which compares them one by one. A value found twice
    in ``index`` gives its first position.

    >>> positions(["8", "x", "7"], ["7", "8"]).tolist()
    [1, -1, 0]
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.index_in(pa.array(values, from_pandas=True), value_set=pa.array(index, from_pandas=True))
    except (pa.ArrowException, TypeError):
        return pd.Index(index).get_indexer(pd.Index(values))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.intp)


def looked_up(keys, values):
    """``keys.map(values)``: the value under each key (the index of ``values``), missing where there is none.

    Found by :func:`positions`: pandas turns 600,000 customer ids into
    Python objects to hash them, which takes a few times as long. A key
    found twice in the index takes its first value.

    >>> import pandas as pd
    >>> looked_up(pd.Series(["7", "9", "7"]), pd.Series(["small", "field"], index=["7", "8"])).tolist()
    ['small', nan, 'small']
    """
    import pandas as pd
    import pyarrow as pa

    at = positions(keys, values.index)
    found = pa.array(values, from_pandas=True).take(pa.array(at, mask=at < 0)).to_pandas()
    if isinstance(keys, pd.Series):
        found.index = keys.index
    return found


def labelled(codes, texts, index=None):
    """A text column holding ``texts[code]`` for each integer code, as a pandas ``str`` Series built by Arrow.

    For a label per customer (a segment, an ABC class): pandas turns a NumPy
    array of text into its string column one value at a time, about 18 ms
    for 100,000 customers; Arrow writes the same column from the codes in
    about 2 ms.

    >>> labelled([1, 0, 1], ["field", "small"]).tolist()
    ['small', 'field', 'small']
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    codes = pa.array(np.asarray(codes, dtype=np.int32))
    text = pa.DictionaryArray.from_arrays(codes, pa.array(list(texts), type=pa.string())).dictionary_decode()
    return pd.Series(pd.array(text, dtype="str"), index=index)


def largest_first(df, column: str):
    """``df`` sorted by ``column`` to the cent, largest first; equal amounts by customer id.

    A list for a client comes out the same from the same data: sums of many
    amounts differ in their last bits with the order the engine added them
    in, which must not reorder two customers of equal profit.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["9", "3", "5"], "gap": [10.0, 10.0 + 1e-9, 12.5]})
    >>> largest_first(df, "gap")["customer_id"].tolist()
    ['5', '3', '9']
    """
    key = df[column].round(2)
    order = df.assign(_key=key).sort_values(["_key", "customer_id"], ascending=[False, True], kind="stable").index
    return df.loc[order]


# --- the conventions of an export: number and date styles, encoding, delimiter ---------------------

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
ENGLISH_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")
# "1.234" and "1,234" read either way; they do not decide the style
AMBIGUOUS_NUMBER = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})$")
CURRENCY_MARKS = re.compile(r"(€|EUR|USD|\$|CHF|£|\s|\u00a0)", re.IGNORECASE)
SLASH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"
#: a slash date with an optional time of day (``12/1/2010 8:26``, ``12/1/2010 08:26:00 PM``): day, month or
#: month, day; year; hour, minute, second, AM/PM
SLASH_DATE_TIME = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$"


def detect_encoding(raw: bytes) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the bytes decode as such, else ``cp1252``.

    >>> detect_encoding("Müller".encode("cp1252"))
    'cp1252'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_delimiter(header: str) -> str:
    """The delimiter that splits the header line into the most fields (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def match_columns(columns: list[str], table: str, mapping: dict[str, str], name: str, problems: list[Problem],
                  where: str = "file", hint: str = "") -> dict[str, str]:
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
            attributes = (f"; or a customer attribute repeated on each line: {', '.join(LINE_ATTRIBUTES)}"
                          if table == "orders" else "")
            problems.append(Problem(name, f"data.columns.{table} maps '{canonical}', which is no column of the "
                                          f"{table} table (known: {', '.join(sorted(known))}{attributes})"))
        elif source in columns:
            found[canonical] = source
        elif source.lower() in by_lower:
            found[canonical] = by_lower[source.lower()]
        else:
            problems.append(Problem(name, f"data.columns.{table}.{canonical} names column '{source}', which the "
                                          f"{where} does not have; its columns are: {listed}", column=source))
    for canonical in required + optional:
        if canonical not in found and canonical not in mapping and canonical in by_lower:
            found[canonical] = by_lower[canonical]
    priced = table == "orders" and {"quantity", "unit_price"} <= set(found) | set(mapping)
    for canonical in required:
        if canonical not in found and canonical not in mapping and not (canonical == "revenue" and priced):
            also = (", or map quantity and unit_price (revenue = quantity x unit price)"
                    if table == "orders" and canonical == "revenue" else "")
            problems.append(Problem(name, f"required column '{canonical}' is missing; name it so or map it in "
                                          f"data.columns.{table}.{canonical}{also} (the {where} has: {listed}){hint}",
                                    column=canonical))
    return found
