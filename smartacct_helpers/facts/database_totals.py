"""The invoice lines of a database summed to order totals there, and the pandas view of them.

With ``data.database`` the lines stay in the database
(:mod:`smartacct_helpers.intake.database` maps them where they lie): they
are summed once into their order totals, kept for the session
(:func:`kept_order_totals_of`), from which the facts and the analyses of
single orders are computed in place. :class:`EngineTables` reads the
customer-level tables whole and the orders, as order totals, only when an
analysis asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..intake.database import EngineSource, _to_pandas, describe_url, open_source, small_table
from ..intake.schema import LazyTables
from ..params import Params
from .orders import frame, line_count, money_sum, order_totals

if TYPE_CHECKING:
    import pandas as pd


def kept_order_totals_of(source: EngineSource):
    """The invoice lines of ``source`` summed to their order totals and kept in the database for the session.

    Ibis' ``cache``: a temporary table on PostgreSQL, a cached frame on
    Spark. PostgreSQL then gathers the table's statistics (``ANALYZE``,
    about 0.3 s at 10 million lines), without which its planner guesses the
    size of every grouping of the totals: the key figures take about a
    tenth less time with them.

    Every line is summed, those without a customer id too (their totals
    have no customer id): the table is kept as ``source.kept``, from which
    :func:`unattributed_of` counts them without reading the lines
    again. Returned are the totals with a customer id, what the analyses
    read.
    """
    totals = order_totals(source.lines).cache()
    if source.engine == "postgres":
        source.connection.raw_sql(f'ANALYZE "{totals.get_name()}"').close()
    source.kept = totals
    return totals.filter(totals.customer_id.notnull())


def unattributed_of(source: EngineSource) -> pd.DataFrame:
    """The invoice lines without a customer id summed per day, as a DataFrame (``date``, ``lines``, ``revenue``).

    From the order totals where the engine keeps them (their rows
    without a customer id, see :func:`kept_order_totals_of`), else from the
    lines of ``source``.
    """
    t = source.kept if source.kept is not None else source.lines
    t = t.filter(t.customer_id.isnull())
    day = t.date.cast("date").cast("timestamp").name("date")
    df = frame(t.group_by(day).aggregate(lines=line_count(t), revenue=money_sum(t.revenue)).order_by("date"))
    df["lines"] = df["lines"].astype("int64")
    return df.reset_index(drop=True)


class EngineTables(LazyTables):
    """:class:`~smartacct_helpers.intake.schema.Tables` for data in a database.

    ``customers``, ``market`` and ``assessments`` are read whole (one row per
    customer, segment or assessment). ``orders`` and ``activities`` stay in
    the engine until an analysis asks for them; then ``orders`` comes back as
    one row per order (see :func:`smartacct_helpers.facts.orders.order_totals`),
    never as invoice lines, and ``activities`` as they are. ``unattributed``
    (the lines without a customer id, per day) is counted on first use
    (:func:`unattributed_of`), or given.
    """

    def __init__(
        self, source: EngineSource, customers: pd.DataFrame, market, assessments, files, aliases=None, unattributed=None
    ):
        self.source = source
        self.aliases = aliases
        super().__init__(
            customers=customers,
            market=market,
            assessments=assessments,
            files=files,
            customers_from_orders=source.customers_from_orders,
            warnings=[],
            unattributed=unattributed,
        )

    def _alias(self, df: pd.DataFrame) -> pd.DataFrame:
        if self.aliases is not None and "customer_id" in df:
            df["customer_id"] = df["customer_id"].map(self.aliases).astype(object)
        return df

    def _read(self, table: str) -> pd.DataFrame | None:
        if table == "orders":
            df = self._alias(_to_pandas(order_totals(self.source.orders)))
            return df.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)
        if table == "unattributed":
            return unattributed_of(self.source)
        return None if self.source.activities is None else self._alias(_to_pandas(self.source.activities))


def engine_tables(params: Params, source: EngineSource | None = None, aliases=None) -> EngineTables:
    """The tables of ``data.database`` as :class:`EngineTables` (invoice lines stay in the database)."""
    source = open_source(params) if source is None else source
    customers = small_table(source.customers).sort_values("customer_id", kind="stable").reset_index(drop=True)
    files = {t: f"{describe_url(params.data.database)} table {n}" for t, n in source.names.items()}
    return EngineTables(source, customers, small_table(source.market), small_table(source.assessments), files, aliases)
