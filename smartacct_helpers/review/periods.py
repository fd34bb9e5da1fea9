"""The periods of the year-one review, and the sums of the invoice lines over them, read in one pass.

A baseline before the programme start and a follow-up after it, of the same
length (:func:`review_periods`). :func:`line_sums` sums each customer's
revenue, margin and purchases over the date ranges the whole review reads,
in one aggregation in the engine; every figure of the review then reads
these sums (:class:`LineSums`). A line without a contribution margin earns
its revenue x ``margin_rate_if_unknown``, as everywhere in the workbook
(:func:`smartacct_helpers.facts.cost_to_serve.line_margin`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

import ibis
import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..arrow import positions
from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.orders import as_table, money_sum, months_before


@dataclass(frozen=True)
class Periods:
    """Baseline ``[baseline_start, start)`` and follow-up ``[start, end)`` (end exclusive)."""

    baseline_start: dt.date
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Length of each period in days."""
        return (self.end - self.start).days

    @property
    def baseline_last_day(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the follow-up."""
        return self.end - dt.timedelta(days=1)


def review_periods(reference_date: dt.date, programme_start: dt.date | None = None) -> Periods:
    """Baseline and follow-up of equal length around the programme start.

    The follow-up runs 12 months from the start, but not past the reference
    date; the baseline is as long (here 365 days) and ends the day before the start. Without
    a start, the follow-up is the 12 months up to the reference date.

    >>> review_periods(dt.date(2025, 12, 31))
    Periods(baseline_start=datetime.date(2024, 1, 2), start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 1))
    >>> p = review_periods(dt.date(2025, 12, 31), dt.date(2025, 7, 1))
    >>> p.baseline_start, p.days
    (datetime.date(2024, 12, 29), 184)
    """
    start = programme_start or months_before(reference_date, WINDOW_MONTHS) + dt.timedelta(days=1)
    end = min(months_before(start, -WINDOW_MONTHS), reference_date + dt.timedelta(days=1))
    if end <= start:
        raise ValueError(f"programme_start {start} must lie before the reference date {reference_date}")
    return Periods(start - (end - start), start, end)


Range = tuple[dt.date, dt.date]


class LineSums:
    """Revenue, contribution margin and purchases per customer, summed by the engine over date buckets.

    Made by :func:`line_sums` from one aggregation of the invoice lines: the
    engine sums each customer's lines per bucket between consecutive
    ``edges`` (from one edge's midnight up to, not including, the next
    one's: whole days), and only those few rows per customer come back.
    Any range ``(start, end)`` whose ends are among the edges is then
    summed here. The methods answer for every customer asked for: zero,
    or no purchase, for those without lines.
    """

    def __init__(
        self,
        customers: pd.Index,
        edges,
        revenue: np.ndarray,
        margin: np.ndarray | None,
        bought: np.ndarray,
        without_margin: np.ndarray | None = None,
    ):
        self.customers = customers
        self.edges = list(edges)
        self._matrices = {"revenue": revenue, "margin": margin, "bought": bought, "without_margin": without_margin}
        self._reduced: dict[tuple, np.ndarray] = {}
        self._rows: dict[int, tuple] = {}

    @property
    def has_margin(self) -> bool:
        """Whether the lines carry a contribution margin; without one the margin is revenue x the rate."""
        return self._matrices["margin"] is not None

    def covers(self, span: Range) -> bool:
        """Whether ``span`` starts and ends on the edges, so that its sums can be told (an empty one always)."""
        return span[0] >= span[1] or (span[0] in self.edges and span[1] in self.edges)

    def revenue(self, span: Range, ids=None) -> pd.Series:
        """Revenue per customer in ``span``: for ``ids`` in their order, or for every customer with lines."""
        return self._per_customer("revenue", span, ids, 0.0)

    def margin(self, span: Range, rate: float, ids=None) -> pd.Series:
        """Contribution margin per customer in ``span``; revenue x ``rate`` for the lines that carry none."""
        if not self.has_margin:
            return self.revenue(span, ids) * rate
        margin = self._per_customer("margin", span, ids, 0.0)
        if self._matrices["without_margin"] is None:
            return margin
        return margin + self._per_customer("without_margin", span, ids, 0.0) * rate

    def bought(self, span: Range, ids=None) -> pd.Series:
        """Whether each customer had a line with revenue above zero in ``span`` (a credit note is no purchase)."""
        return self._per_customer("bought", span, ids, False)

    def _per_customer(self, kind: str, span: Range, ids, fill) -> pd.Series:
        values = self._over(kind, span)
        if ids is None:
            return pd.Series(values, index=self.customers)
        index, rows = self._positions(ids)
        found = rows >= 0
        out = np.full(len(index), fill, dtype=values.dtype)
        out[found] = values[rows[found]]
        return pd.Series(out, index=index)

    def _over(self, kind: str, span: Range) -> np.ndarray:
        """Each customer's sum (or purchase) over the buckets of ``span``; remembered, as the groups ask again."""
        if (kind, span) not in self._reduced:
            if not self.covers(span):
                raise KeyError(f"the lines were not summed from {span[0]} to {span[1]}; pass that range to line_sums")
            matrix = self._matrices[kind]
            if span[0] >= span[1]:
                columns = slice(0, 0)
            else:
                columns = slice(self.edges.index(span[0]), self.edges.index(span[1]))
            values = matrix[:, columns].any(axis=1) if kind == "bought" else matrix[:, columns].sum(axis=1)
            self._reduced[(kind, span)] = values
        return self._reduced[(kind, span)]

    def _positions(self, ids) -> tuple[pd.Index, np.ndarray]:
        """``ids`` as an index and each one's row (-1: no lines); remembered for the groups asked for again."""
        key = id(ids)
        if key in self._rows and self._rows[key][0] is ids:
            return self._rows[key][1:]
        index = pd.Index(ids)
        rows = positions(index, self.customers)
        if len(self._rows) >= 16:
            self._rows.clear()
        self._rows[key] = (ids, index, rows)  # the ids are kept, so that their id() is not reused meanwhile
        return index, rows


def _at(date, day: dt.date):
    """``day`` at midnight as a literal of the type of the ``date`` column."""
    if date.type().is_date():
        return ibis.literal(day, type="date")
    return ibis.literal(dt.datetime.combine(day, dt.time()), type="timestamp")


def _bucket(date, edges: list[dt.date]):
    """The number of the bucket ``[edges[k], edges[k + 1])`` each line falls in, by halving the edges.

    Halving compares each line with about log2(buckets) edges, not with all
    of them as a chain of ``CASE WHEN`` would.
    """

    def among(lo: int, hi: int):  # the bucket among lo .. hi - 1
        if hi - lo == 1:
            return ibis.literal(lo, type="int16")
        mid = (lo + hi) // 2
        return ibis.ifelse(date < _at(date, edges[mid]), among(lo, mid), among(mid, hi))

    return among(0, len(edges) - 1)


def line_sums(orders, spans) -> LineSums:
    """Revenue, contribution margin and purchases per customer over date ranges, summed in the engine.

    Parameters
    ----------
    orders : ibis.Table or DataFrame
        Invoice lines (``customer_id, date, revenue`` and optionally
        ``contribution_margin``); a frame is read in place by DuckDB.
    spans : iterable of (start, end) date pairs
        The ranges ``start <= date < end`` (at midnight: whole days) the
        review asks about; their ends are the buckets' edges.

    One aggregation of the lines per customer and bucket answers every
    range; what comes back is a few rows per customer. Sums skip missing
    values and are zero where nothing is left, as pandas' are.

    >>> o = pd.DataFrame({"customer_id": ["1", "1", "2"], "revenue": [10.0, -4.0, 5.0],
    ...                   "date": pd.to_datetime(["2025-01-31 18:00", "2025-02-01 00:00", "2025-02-01 09:00"])})
    >>> jan, feb = (dt.date(2025, 1, 1), dt.date(2025, 2, 1)), (dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    >>> s = line_sums(o, [jan, feb])
    >>> s.revenue(jan, ["1", "2", "3"]).tolist(), s.revenue((jan[0], feb[1]), ["1", "2"]).tolist()
    ([10.0, 0.0, 0.0], [6.0, 5.0])
    >>> s.bought(feb, ["1", "2"]).tolist()
    [False, True]
    """
    t = as_table(orders)
    has_margin = "contribution_margin" in t.columns
    edges = sorted({day for span in spans for day in span})
    nb = max(len(edges) - 1, 0)  # no bucket without a range of some length: nothing to ask the engine
    rows = None
    if nb:
        t = t.filter(t.customer_id.notnull() & (t.date >= _at(t.date, edges[0])) & (t.date < _at(t.date, edges[-1])))
        sums = {"revenue": money_sum(t.revenue.cast("float64")), "top": t.top.cast("float64").max()}
        if has_margin:
            sums["margin"] = money_sum(t.contribution_margin.cast("float64"))
            sums["without_margin"] = money_sum(t.revenue_without_margin.cast("float64"))
        rows = t.group_by([t.customer_id, _bucket(t.date, edges).name("bucket")]).aggregate(**sums).to_pyarrow()
    if rows is None or not rows.num_rows:
        customers, codes, buckets = pd.Index([], name="customer_id"), np.zeros(0, int), np.zeros(0, int)
    else:
        encoded = pc.dictionary_encode(rows["customer_id"].combine_chunks())
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        customers = pd.Index(encoded.dictionary.to_pandas(), name="customer_id")
        buckets = rows["bucket"].to_numpy().astype(np.intp)

    def matrix(name, dtype):  # customers x buckets, zero (or False) where a customer has no lines
        m = np.zeros((len(customers), nb), dtype=dtype)
        if len(codes):
            values = pc.greater(rows["top"], 0) if name == "bought" else rows[name]
            m[codes, buckets] = pc.fill_null(values, m.dtype.type(0)).to_numpy(zero_copy_only=False)
        return m

    margin = matrix("margin", "float64") if has_margin else None
    without = matrix("without_margin", "float64") if has_margin else None
    return LineSums(customers, edges, matrix("revenue", "float64"), margin, matrix("bought", bool), without)


def _sums(orders, spans) -> LineSums:
    """``orders`` itself when it is a :class:`LineSums` already, else the sums of its lines over ``spans``."""
    return orders if isinstance(orders, LineSums) else line_sums(orders, spans)


def _unique(ids) -> pd.Index:
    """``ids`` as an index without repeats: the same object where it is one already (the sums remember it)."""
    return ids if isinstance(ids, pd.Index) and ids.is_unique else pd.Index(ids).unique()


def _year_before(start: dt.date) -> Range:
    return (months_before(start, WINDOW_MONTHS), start)


def _review_spans(periods: Periods, months: int, reference_date: dt.date | None = None) -> list[Range]:
    """The ranges the whole review reads, for one :func:`line_sums` (``reference_date``: those of the figures too)."""
    p = periods
    spans = [_year_before(p.baseline_start), (p.baseline_start, p.start), _year_before(p.start), (p.start, p.end)]
    if reference_date is not None:
        start, end = _figure_period(reference_date)
        spans += [_year_before(start), (start, end)]
    return spans + _month_spans(p.start, months) + _month_spans(months_before(p.start, WINDOW_MONTHS), months)


def _figure_period(reference_date: dt.date) -> Range:
    """The last 12 months up to the reference date, as ``[start, end)``."""
    return months_before(reference_date, WINDOW_MONTHS) + dt.timedelta(days=1), reference_date + dt.timedelta(days=1)


def _month_spans(start: dt.date, months: int) -> list[Range]:
    edges = [months_before(start, -k) for k in range(months + 1)]
    return list(pairwise(edges))


def _review_months(periods: Periods) -> int:
    """The whole months from the start that fit into the follow-up."""
    months = 0
    while months_before(periods.start, -(months + 1)) <= periods.end:
        months += 1
    return months
