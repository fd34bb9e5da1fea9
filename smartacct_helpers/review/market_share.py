"""The market share in the small-customer segment against the overall market share, before and after the start."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import looked_up
from .periods import (
    Periods,
    _sums,
    _unique,
)

#: the row of :func:`market_shares` for the managed customers' own segment
SMALL_CUSTOMER_SEGMENT = "small customers (managed)"


def market_shares(
    orders,
    customers: pd.DataFrame,
    market: pd.DataFrame | None,
    periods: Periods,
    managed=None,
    potential: pd.Series | None = None,
) -> pd.DataFrame | None:
    """Market share per segment (customer industry), overall, and in the small-customer segment, before and after.

    Revenue of each period is scaled to a year (x 365 / days) and divided by
    the segment's annual ``market_volume``; the row ``overall`` divides the
    revenue of all segments in the market table by the total market volume.
    The row :data:`SMALL_CUSTOMER_SEGMENT` is the managed customers' own
    segment (``managed``, with ``potential`` per customer id): its market is
    what those customers could buy a year, the sum of their potentials
    (docs/method.md section 3), and its revenue theirs; customers without a
    known potential are left out of both. The sixth question compares this
    share with the overall one. None without a market table.
    ``orders``: the invoice lines (Ibis table or DataFrame) or their
    :class:`LineSums` with the revenue of both periods.

    >>> import datetime as dt
    >>> p = Periods(dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1))   # a follow-up of 365 days
    >>> o = pd.DataFrame({"customer_id": ["1", "2", "1"], "revenue": [100.0, 900.0, 200.0],
    ...                   "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2024-03-01"])})
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "industry": ["x", "x"]})
    >>> m = pd.DataFrame({"segment": ["x"], "market_volume": [10_000.0]})
    >>> # overall 1,000 / 10,000; the managed customer 1: 100 of a potential of 400
    >>> t = market_shares(o, c, m, p, ["1"], pd.Series({"1": 400.0, "2": 5_000.0}))
    >>> float(t.loc["overall", "share_followup"]), float(t.loc["small customers (managed)", "share_followup"])
    (0.1, 0.25)
    """
    if market is None or not len(market) or "industry" not in customers:
        return None
    vol = market.groupby("segment")["market_volume"].sum()
    industry = customers.set_index("customer_id")["industry"]
    scale = 365.0 / periods.days
    spans = {"baseline": (periods.baseline_start, periods.start), "followup": (periods.start, periods.end)}
    s = _sums(orders, spans.values())
    rows = {}
    for label, span in spans.items():
        per_customer = s.revenue(span)
        segment = looked_up(per_customer.index, industry).to_numpy()  # customers not in the master: no segment
        rev = per_customer.groupby(segment).sum().reindex(vol.index).fillna(0.0)
        rows[f"revenue_{label}"] = rev * scale
    out = pd.DataFrame(rows)
    out.insert(0, "market_volume", vol)
    out.loc["overall"] = out.sum()
    if managed is not None and potential is not None:
        known = potential.reindex(_unique(pd.Index(managed).astype(str))).dropna()
        known = known[known > 0]
        if len(known):
            out.loc[SMALL_CUSTOMER_SEGMENT] = [
                float(known.sum()),
                *(float(s.revenue(span, known.index).sum()) * scale for span in spans.values()),
            ]
    out["share_baseline"] = out["revenue_baseline"] / out["market_volume"]
    out["share_followup"] = out["revenue_followup"] / out["market_volume"]
    out.index.name = "segment"
    return out


def _market_share_figures(market: pd.DataFrame | None) -> dict:
    """The follow-up's market share in the small-customer segment and overall, None where unknown."""

    def share(row: str):
        if market is None or row not in market.index:
            return None
        value = float(market.loc[row, "share_followup"])
        return value if np.isfinite(value) else None

    return {
        "market_share_small_customers": share(SMALL_CUSTOMER_SEGMENT),
        "market_share_overall": share("overall"),
    }
