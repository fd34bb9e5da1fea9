"""One client's data, read, checked and condensed into customer facts.

A :class:`Workbook` is what every notebook starts from: the params, the
canonical tables, the reference date and the customer facts computed in the
engine. The analyses (segments, potential, costing, ...) are functions of
these facts and the assumptions, so a slider can change an assumption and
recompute in milliseconds without touching the raw data again.

Examples
--------
>>> from smartacct_helpers.small_customers.analysis import classify
>>> wb = Workbook.open("data/sample/params.yaml")  # doctest: +SKIP
>>> classify(wb)["segment"].value_counts()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..intake.anonymise import anonymise_tables
from ..intake.database import open_source
from ..intake.schema import Tables
from ..intake.tables import load_tables
from ..params import Params, load_params, with_overrides
from .customer_facts import customer_facts, customer_facts_on, yearly_facts
from .database_totals import engine_tables, kept_order_totals_of
from .file_totals import checked_file_activities, checked_file_orders, file_order_totals
from .orders import (
    WINDOW_MONTHS,
    arrow_frame,
    arrow_table,
    as_table,
    connect,
    frame_table,
    kept_order_totals,
    last_order_date,
    months_before,
)

REMEMBERED = 8
#: Names a folder kept by :meth:`Workbook.save_snapshot`; :meth:`Workbook.open` then reads the workbook from there.
SNAPSHOT = "SMARTACCT_WORKBOOK_SNAPSHOT"


def day_before_programme(reference_date: dt.date, programme_start: dt.date | None) -> dt.date:
    """The last day before the programme start: the day the year-one review classifies the customers as they stood.

    Without a programme start the review's follow-up is the 12 months up to
    the reference date, so the day is 12 months before it.

    >>> day_before_programme(dt.date(2025, 12, 31), dt.date(2025, 1, 1))
    datetime.date(2024, 12, 31)
    >>> day_before_programme(dt.date(2025, 12, 31), None)
    datetime.date(2024, 12, 31)
    """
    if programme_start is None:
        return months_before(reference_date, WINDOW_MONTHS)
    return programme_start - dt.timedelta(days=1)


def facts_on_open(params: Params, orders, customers, activities, reference: dt.date) -> tuple:
    """``(facts, earlier)``: the customer facts on the reference date and on :func:`day_before_programme`.

    Both come from one pass over the order totals (and one over the
    activities, :func:`~smartacct_helpers.facts.customer_facts.customer_facts_on`),
    which the year-one review would otherwise make a second time.
    ``earlier`` is ``{day: facts}``, empty where that day is not before
    the reference date.
    """
    years = max(params.assumptions.trend_years, 2)
    before = day_before_programme(reference, params.assumptions.programme_start)
    days = [reference, before] if before < reference else [reference]
    facts = customer_facts_on(orders, customers, activities, days, years)
    return facts.pop(reference), facts


class _Reads:
    """The assumptions, noting the names of those read (see :meth:`Workbook.remembered`).

    Anything other than a plain field (a method such as ``model_dump``)
    counts as reading every assumption.
    """

    def __init__(self, assumptions):
        self._assumptions = assumptions
        self._fields = assumptions._fields if isinstance(assumptions, _Reads) else type(assumptions).model_fields
        self.names: set[str] = set()

    def __getattr__(self, name):
        self.names.update([name] if name in self._fields else self._fields)
        return getattr(self._assumptions, name)


@dataclass
class Workbook:
    """A client's params, tables and customer facts."""

    params: Params
    tables: Tables
    reference_date: dt.date
    customers: pd.DataFrame
    yearly: pd.DataFrame
    connection: object = field(repr=False, default=None)
    #: the engine's tables (order totals, activities) the facts came from, for :meth:`on`
    in_engine: tuple | None = field(repr=False, compare=False, default=None)
    _memo: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    @classmethod
    def open(cls, params: Params | str | Path, overrides: dict | str | None = None) -> Workbook:
        """Read the params file and the data it names, and compute the facts.

        Parameters
        ----------
        params : Params or path
            A parsed params object or the path of a params file.
        overrides : dict or str, optional
            Params keys to change for this run: a nested mapping such as
            ``{"assumptions": {"working_days": 210}}``, or the same as JSON or
            YAML text (what papermill's ``-p overrides '{...}'`` passes); see
            :func:`smartacct_helpers.overrides.read_overrides`.

        Raises
        ------
        ParamsError, InputDataError
            With every problem found; a bad override is an
            :class:`~smartacct_helpers.exceptions.OverrideError` naming its key.
        """
        if isinstance(params, Params):
            params = with_overrides(params, overrides)
        else:
            params = load_params(params, overrides)
        if os.environ.get(SNAPSHOT):
            workbook = cls.from_snapshot(os.environ[SNAPSHOT], params)
            if workbook is not None:
                return workbook
        if params.data.database:
            return cls.from_engine(params)
        if not params.anonymise and params.data.customers:
            workbook = cls.from_files(params)
            if workbook is not None:
                return workbook
        tables = load_tables(params)
        if params.anonymise:
            tables = anonymise_tables(tables, params.client)
        return cls.from_tables(params, tables)

    @classmethod
    def from_files(cls, params: Params) -> Workbook | None:
        """The workbook with the invoice lines read and checked by DuckDB, or None when the full reader is needed.

        The customer master and the other small tables go through the full
        reader, in a thread beside DuckDB, which reads the invoice lines once
        into their order totals (see
        :func:`smartacct_helpers.facts.file_totals.file_order_totals`) and keeps the CRM
        activities; the facts and the analyses of single orders run there.
        ``tables.orders`` and ``tables.activities`` read the files into pandas
        only when asked for. Any finding in them returns None, and the full
        reader then reports it with its row. So does a finding in the small
        tables: the full reader then lists it beside those of the lines.
        """
        from concurrent.futures import ThreadPoolExecutor

        from ..exceptions import InputDataError

        con = connect()
        with ThreadPoolExecutor(1) as pool:  # pandas reads the small tables while DuckDB sums the lines
            small = pool.submit(load_tables, params, lines=False)
            totals = file_order_totals(con, params)
            try:
                tables = small.result()
            except InputDataError:  # the full reader reports every problem of every table together
                return None
        checked = checked_file_orders(con, params, totals, tables.customers)
        if checked is None:
            return None
        totals, reference, yearly = checked
        activities = None
        if params.data.activities:
            activities = checked_file_activities(con, params, tables.customers)
            if activities is None:
                return None
        return cls._computed(params, tables, con, totals, activities, reference, yearly)

    @classmethod
    def from_tables(cls, params: Params, tables: Tables) -> Workbook:
        """Compute the facts for tables already read (their invoice lines summed to order totals in DuckDB)."""
        con = connect()
        totals = kept_order_totals(con, frame_table(con, "orders", tables.orders))
        activities = None
        if tables.activities is not None and len(tables.activities):
            activities = frame_table(con, "activities", tables.activities)
        reference = params.reference_date or last_order_date(totals)
        return cls._computed(params, tables, con, totals, activities, reference)

    @classmethod
    def _computed(cls, params, tables, con, totals, activities, reference, yearly=None) -> Workbook:
        per_customer, earlier = facts_on_open(params, totals, tables.customers, activities, reference)
        if yearly is None:
            yearly = arrow_table(con, yearly_facts(totals).order_by(["customer_id", "year"]))
        yearly = arrow_frame(yearly)  # ordered by DuckDB; days as the full reader's timestamps
        workbook = cls(params, tables, reference, per_customer, yearly, con, (totals, activities))
        workbook._remember_facts_on(earlier)
        return workbook

    @classmethod
    def from_engine(cls, params: Params) -> Workbook:
        """Compute the facts where the data lives (``data.database``); only customer-level rows come back.

        The customer master, market and assessments are read whole; the
        invoice lines stay in the database. There they are summed once into
        their order totals (:func:`smartacct_helpers.facts.orders.order_totals`), a
        temporary table of the session (Ibis' ``cache``; in Spark, a cached
        frame; see :func:`smartacct_helpers.facts.database_totals.kept_order_totals_of`),
        from which the facts are computed and which every analysis of
        single orders queries in place (:attr:`order_totals`).
        ``tables.orders`` reads these totals into pandas only when asked for.
        Anonymised customer ids are aliased in pandas, so then the analyses
        read ``tables.orders``.
        """
        source = open_source(params)
        orders = source.orders if params.anonymise else kept_order_totals_of(source)
        reference = params.reference_date or last_order_date(orders)
        tables = engine_tables(params, source)
        earlier = {}
        if params.anonymise:  # the facts on another day are summed again from the aliased tables (see on)
            years = max(params.assumptions.trend_years, 2)
            per_customer = customer_facts(orders, tables.customers, source.activities, reference, years)
        else:
            per_customer, earlier = facts_on_open(params, orders, tables.customers, source.activities, reference)
        yearly = yearly_facts(orders).to_pandas()
        if params.anonymise:
            from ..intake.anonymise import customer_aliases

            aliases = customer_aliases(tables.customers["customer_id"], params.client)
            tables.aliases = aliases
            for frame in (tables.customers, per_customer, yearly, tables.assessments):
                if frame is not None:
                    frame["customer_id"] = frame["customer_id"].map(aliases).astype(object)
                    if "name" in frame:
                        frame["name"] = "Customer " + frame["customer_id"]
            per_customer = per_customer.sort_values("customer_id", kind="stable").reset_index(drop=True)
        yearly = yearly.sort_values(["customer_id", "year"]).reset_index(drop=True)
        workbook = cls(params, tables, reference, per_customer, yearly, source.connection)
        if not params.anonymise:
            workbook._memo["order_totals"] = orders
            workbook._remember_facts_on(earlier)
        return workbook

    def save_snapshot(self, folder: str | Path) -> Path | None:
        """Keep this workbook in ``folder``, for :meth:`from_snapshot`; None for anonymised tables of a database.

        See :func:`smartacct_helpers.facts.snapshot.save_snapshot`: the order totals and activities in a
        DuckDB file, the rest in a pickle; a workbook on a database keeps only its customer-level tables.
        """
        from .snapshot import save_snapshot

        return save_snapshot(self, folder)

    @classmethod
    def from_snapshot(cls, folder: str | Path, params: Params) -> Workbook | None:
        """The workbook :meth:`save_snapshot` kept in ``folder``; None when it holds none, or one of other params."""
        from .snapshot import open_snapshot

        return open_snapshot(cls, folder, params)

    @property
    def assumptions(self):
        return self.params.assumptions

    def with_assumptions(self, **changes) -> Workbook:
        """A copy with some assumptions changed (the facts are shared, not recomputed).

        >>> wb.with_assumptions(max_sales_cost_ratio=0.1)  # doctest: +SKIP
        """
        params = self.params.model_copy(deep=True)
        for key, value in changes.items():
            if key == "abc":
                params.assumptions.abc = params.assumptions.abc.model_validate(value)
            else:
                setattr(params.assumptions, key, value)
        copy = Workbook(
            params, self.tables, self.reference_date, self.customers, self.yearly, self.connection, self.in_engine
        )
        copy._memo = self._memo
        return copy

    def on(self, day: dt.date) -> Workbook:
        """The workbook as it stood on ``day``: the customer facts recomputed with ``day`` as the reference date.

        The facts are recomputed in the engine that holds the order totals,
        a database included; anonymised tables are summed again in DuckDB.

        >>> classify(wb.on(dt.date(2024, 12, 31)))  # doctest: +SKIP
        """
        params = self.params.model_copy(deep=True)
        params.reference_date = day
        if self.in_engine is None and self._database() is None:
            return Workbook.from_tables(params, self.tables)
        years = max(params.assumptions.trend_years, 2)
        per_customer = self._memo.get(("facts_on", day, years))
        if per_customer is None:
            per_customer = customer_facts(self.order_totals, self.tables.customers, self.activities, day, years)
        else:
            per_customer = per_customer.copy(deep=False)
        copy = Workbook(params, self.tables, day, per_customer, self.yearly, self.connection, self.in_engine)
        copy._memo["order_totals"] = self.order_totals
        return copy

    def _remember_facts_on(self, facts: dict) -> None:
        """Keep customer facts computed on other days (``{day: facts}``) for :meth:`on`."""
        years = max(self.assumptions.trend_years, 2)
        for day, frame in facts.items():
            self._memo[("facts_on", day, years)] = frame

    def _facts_on(self) -> dict:
        """The customer facts on other days this workbook remembers, ``{day: facts}`` (see :meth:`on`)."""
        years = max(self.assumptions.trend_years, 2)
        return {
            key[1]: f
            for key, f in self._memo.items()
            if isinstance(key, tuple) and key[0] == "facts_on" and key[2] == years
        }

    @property
    def order_totals(self):
        """The invoice lines summed per customer, order, day and channel, as an Ibis table in the engine.

        What the analyses of single orders read (see
        :func:`smartacct_helpers.facts.orders.order_totals`): the table the facts
        were computed from, in DuckDB for files, in the database for
        ``data.database``. Tables read by the full reader are summed in
        DuckDB on first use; a workbook opened from a report's snapshot of
        a database has the database sum its lines on first use.
        """
        if self.in_engine is not None:
            return self.in_engine[0]
        if "order_totals" not in self._memo:
            source = self._database()
            if source is None:
                self._memo["order_totals"] = as_table(self.tables.orders)
            else:
                self._memo["order_totals"] = kept_order_totals_of(source)
        return self._memo["order_totals"]

    def line_counts(self) -> dict:
        """The counts over the invoice lines (:func:`~smartacct_helpers.facts.quality.line_counts`), counted once.

        Remembered: no assumption changes them. A report on a database
        keeps them in its snapshot, so that a kernel's data overview sums
        no invoice line.
        """
        if "line_counts" not in self._memo:
            from .quality import line_counts

            self._memo["line_counts"] = line_counts(self.order_totals)
        return self._memo["line_counts"]

    def _database(self):
        """The tables of ``data.database`` where the analyses read them in place; None for files or aliased ids."""
        source = getattr(self.tables, "source", None)  # EngineTables: the tables of data.database
        return None if self.params.anonymise else source

    @property
    def activities(self):
        """The CRM activities where the analyses read them: an Ibis table where they are held, else a frame or None.

        A workbook of files keeps its activities in DuckDB and one on a
        database leaves them there, so an analysis filters or counts them in
        the engine; :attr:`tables.activities <Tables.activities>` would read
        them all into pandas. Anonymised activities of a database are that
        frame (their ids are aliased in pandas).
        """
        if self.in_engine is not None:
            return self.in_engine[1]
        source = self._database()
        return self.tables.activities if source is None else source.activities

    def remembered(self, what: str, compute, assumptions=None):
        """``compute(assumptions)``, computed once per value of the assumptions it reads.

        The analyses keep what they compute from the facts here, under a name
        of their own (``what``): the classification
        (:func:`smartacct_helpers.small_customers.analysis.classify`), the
        potential, the key-account analysis and so on. The copies made by
        :meth:`with_assumptions` share what is remembered, so a slider that
        moves an assumption the classification does not read (the business
        case's, say) reuses the classification. Which assumptions a
        computation reads is noted while it runs; the result is stored under
        their values. The last :data:`REMEMBERED` results of each kind are
        kept. Frames come back as copies (copy-on-write: cheap, and changing
        one leaves the stored result alone).

        Parameters
        ----------
        what : str
            The name the result is remembered under.
        compute : callable
            ``compute(assumptions)``, the assumptions as an object that notes
            which of them are read.
        assumptions : optional
            Default the workbook's. A remembered computation that asks for
            another one passes the assumptions it was given, so that what the
            other reads counts as read by it too.

        Examples
        --------
        >>> wb.remembered("threshold", lambda a: a.max_sales_cost_ratio * 2)  # doctest: +SKIP
        0.16
        """
        assumptions = self.assumptions if assumptions is None else assumptions
        store = self._memo.setdefault(what, OrderedDict())
        for names in {names for names, _ in store}:
            key = (names, tuple(repr(getattr(assumptions, n)) for n in names))
            if key in store:
                store.move_to_end(key)
                return store[key].copy(deep=False)
        reads = _Reads(assumptions)
        result = compute(reads)
        names = tuple(sorted(reads.names))
        store[(names, tuple(repr(getattr(assumptions, n)) for n in names))] = result
        while len(store) > REMEMBERED:
            store.popitem(last=False)
        return result.copy(deep=False)

    def revenue_by_year(self) -> pd.DataFrame:
        """Revenue, margin, customers buying and orders per calendar year."""
        y = self.yearly
        metrics = {"revenue": ("revenue", "sum"), "customers": ("customer_id", "nunique"), "orders": ("orders", "sum")}
        if "contribution_margin" in y:
            metrics["contribution_margin"] = ("contribution_margin", "sum")
        return y.groupby("year").agg(**metrics)
