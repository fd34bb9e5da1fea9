"""Aliases for customers, so that real client data can be shown in a room.

With ``anonymise: true`` in the params, every customer id becomes an alias
like ``C-00042`` and every customer name ``Customer C-00042``, in all tables
right after they are read: every chart, table, export, worklist and report
built from them shows only aliases. The same customer gets the same alias in
every notebook and every run on the same data, because the aliases are
numbered in an order that depends only on the data (a keyed hash of the ids,
keyed by all ids together); without the data, an alias says nothing about
the real id.

Examples
--------
>>> import pandas as pd
>>> ids = pd.Series(["001003", "001011", "001028"])
>>> alias = customer_aliases(ids, "Sample")
>>> sorted(alias.values)
['C-00001', 'C-00002', 'C-00003']
>>> customer_aliases(ids, "Sample").equals(alias)
True
"""

from __future__ import annotations

import dataclasses
import hashlib

import pandas as pd

TABLES_WITH_CUSTOMERS = ("orders", "customers", "activities", "assessments")


def customer_aliases(ids: pd.Series, client: str) -> pd.Series:
    """Real id -> alias ``C-00001`` ... for the distinct ``ids``, stable for the same data."""
    distinct = sorted(pd.unique(ids.dropna().astype(str)))
    key = hashlib.sha256(("\x1f".join([client, *distinct])).encode("utf-8")).digest()
    order = sorted(distinct, key=lambda i: hashlib.blake2b(i.encode("utf-8"), key=key[:32], digest_size=16).digest())
    width = max(5, len(str(len(order))))
    return pd.Series({real: f"C-{n:0{width}d}" for n, real in enumerate(order, start=1)}, dtype=object)


def anonymise_tables(tables, client: str):
    """A copy of ``tables`` (:class:`smartacct_helpers.intake.schema.Tables`) with customer ids and names replaced."""
    aliases = customer_aliases(tables.customers["customer_id"], client)
    changed = {}
    for name in TABLES_WITH_CUSTOMERS:
        frame = getattr(tables, name, None)
        if frame is None:
            continue
        frame = frame.copy()
        frame["customer_id"] = frame["customer_id"].map(aliases).astype(object)
        if "name" in frame:
            frame["name"] = "Customer " + frame["customer_id"]
        changed[name] = frame
    warnings = [dataclasses.replace(w, message=_scrub(w.message, aliases)) for w in tables.warnings]
    return dataclasses.replace(tables, warnings=warnings, **changed)


def _scrub(text: str, aliases: pd.Series) -> str:
    for real, alias in aliases.items():
        if real in text:
            text = text.replace(repr(real), repr(alias)).replace(real, alias)
    return text
