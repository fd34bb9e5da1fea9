"""The invoice lines of the sample supplier: orders on open days, lines, product groups, credit notes, numbers.

:func:`draw_lines` draws the orders of every customer over the calendar,
splits them into lines with a product group and a margin, adds credit
notes, and numbers the documents in date order; :func:`orders_table` puts
them into the canonical orders table with discounts and rebates. Each step
draws from the random streams in the same sequence as before, so the same
seed gives the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .customers import Customers
from .draws import _Calendar, _next_open_day, _pick
from .shape import _CHANNELS, _DEMANDING_MARGIN_CUT, _PG_MARGIN_OFFSET, _PG_MIX, _PRODUCT_GROUPS, _PROGRAMME_UPLIFT

#: the share of orders with 1 to 6 lines, for small customers and for key accounts
_LINES_SMALL = np.array([0.66, 0.20, 0.07, 0.04, 0.02, 0.01])
_LINES_KEY = np.array([0.10, 0.14, 0.18, 0.20, 0.20, 0.18])
#: the share of lines that a credit note takes back in part
_CREDIT_SHARE = 0.0205


@dataclass
class Lines:
    """Invoice lines and credit notes, one element per line, before sorting: owner, day, amounts, document."""

    owner: np.ndarray  # the customer's position
    day: np.ndarray  # days before the end (<= 0)
    revenue: np.ndarray
    margin: np.ndarray
    channel: np.ndarray  # position in _CHANNELS
    product_group: np.ndarray  # position in _PRODUCT_GROUPS
    doc_no: np.ndarray  # document number, in date order
    calendar: _Calendar


@dataclass
class _Orders:
    owner: np.ndarray
    day: np.ndarray
    n_lines: np.ndarray
    value: np.ndarray
    channel: np.ndarray


def draw_lines(c: Customers, first, end, rng, prog) -> Lines:
    """The orders, their lines, the credit notes and the document numbers, in the order of the draws."""
    calendar = _Calendar(first, end, rng)
    orders = _orders(c, calendar, first, end, rng, prog)
    line_order = np.repeat(np.arange(len(orders.owner)), orders.n_lines)
    revenue = _line_revenues(orders, line_order, rng)
    line_owner = orders.owner[line_order]
    pg, rate = _product_groups_and_rates(c, line_owner, rng)
    margin = np.round(revenue * rate, 2)
    line_day = orders.day[line_order]
    line_channel = orders.channel[line_order]
    src, c_day, c_rev, c_margin = _credit_notes(revenue, rate, line_day, calendar, rng)
    doc_no = _document_numbers(line_order, len(orders.owner), orders.day, c_day, rng)
    return Lines(
        owner=np.concatenate([line_owner, line_owner[src]]),
        day=np.concatenate([line_day, c_day]),
        revenue=np.concatenate([revenue, c_rev]),
        margin=np.concatenate([margin, c_margin]),
        channel=np.concatenate([line_channel, line_channel[src]]),
        product_group=np.concatenate([pg, pg[src]]),
        doc_no=doc_no,
        calendar=calendar,
    )


def _orders(c: Customers, calendar: _Calendar, first, end, rng, prog) -> _Orders:
    """The orders: days from the calendar (the programme customers order more often from its start), lines, value."""
    owner, day = calendar.events(c.freq, c.start, c.stop, c.growth)
    if c.managed.any():
        u_owner, u_day = _Calendar(first, end, prog).events(
            np.where(c.managed, c.freq * _PROGRAMME_UPLIFT, 0.0), np.maximum(c.start, c.t_programme), c.stop, c.growth
        )
        owner, day = np.concatenate([owner, u_owner]), np.concatenate([day, u_day])
    n_orders = len(owner)
    key_o = c.is_key[owner]
    n_lines = np.where(
        key_o,
        rng.choice(np.arange(1, 7), n_orders, p=_LINES_KEY),
        rng.choice(np.arange(1, 7), n_orders, p=_LINES_SMALL),
    )
    sigma = np.where(key_o, 0.8, 1.1)  # mean-preserving spread of the order values
    value = c.aov[owner] * np.exp(rng.normal(0, 1, n_orders) * sigma - sigma**2 / 2)
    channel = _pick(c.channel_p, owner, rng)
    return _Orders(owner=owner, day=day, n_lines=n_lines, value=value, channel=channel)


def _line_revenues(orders: _Orders, line_order: np.ndarray, rng) -> np.ndarray:
    """Each order's value split over its lines by gamma-distributed shares; at least 1.00 a line."""
    share = rng.gamma(1.5, 1.0, len(line_order))
    starts = np.concatenate([[0], np.cumsum(orders.n_lines)[:-1]])
    share = share / np.add.reduceat(share, starts)[line_order]
    return np.maximum(np.round(orders.value[line_order] * share, 2), 1.0)


def _product_groups_and_rates(c: Customers, line_owner: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """The product group of each line (by the industry's mix) and its margin rate; demanding accounts earn less."""
    pg_names = list(_PG_MIX)
    pg_matrix = np.array([_PG_MIX[k] for k in pg_names], float)
    pg_matrix /= pg_matrix.sum(axis=1, keepdims=True)
    ind_code = pd.Categorical(c.industry, categories=pg_names).codes
    pg = _pick(pg_matrix, ind_code[line_owner], rng)
    rate = c.cm_rate[line_owner] + _PG_MARGIN_OFFSET[pg] + rng.normal(0, 0.03, len(pg))
    rate = rate - np.where(c.demanding[line_owner], _DEMANDING_MARGIN_CUT, 0.0)
    return pg, np.clip(rate, 0.02, 0.6)


def _credit_notes(revenue, rate, line_day, calendar: _Calendar, rng):
    """Credit notes: part of an earlier line comes back a few days later, on an open day before the end.

    Returns ``(source lines, days, revenues, margins)`` of the credit notes.
    """
    n_credit = int(round(_CREDIT_SHARE * len(revenue)))
    src = rng.choice(len(revenue), n_credit, replace=False)
    c_day = line_day[src] + rng.integers(3, 46, n_credit)
    ok = c_day <= 0
    c_day = _next_open_day(c_day, calendar.weights)
    src, c_day = src[ok], c_day[ok]
    c_frac = rng.uniform(0.15, 1.0, len(src))
    c_rev = -np.round(revenue[src] * c_frac, 2)
    c_margin = np.round(c_rev * rate[src], 2)
    return src, c_day, c_rev, c_margin


def _document_numbers(line_order, n_orders: int, order_day, credit_day, rng) -> np.ndarray:
    """Document numbers of the lines and credit notes: invoices and credit notes numbered in date order."""
    doc = np.concatenate([line_order, n_orders + np.arange(len(credit_day))])
    doc_day = np.concatenate([order_day, credit_day])
    doc_rank = np.empty(len(doc_day), np.int64)
    doc_rank[np.lexsort((rng.random(len(doc_day)), doc_day))] = np.arange(len(doc_day))
    return doc_rank[doc]


def orders_table(c: Customers, lines: Lines, customer_id: np.ndarray, epoch) -> pd.DataFrame:
    """The orders table in document order, with the line discount and the line's share of the year-end rebate.

    Revenue is the invoiced amount after the line discount; the rebate is
    the share of the year-end bonus that falls on the line.
    """
    order_sort = np.lexsort((np.arange(len(lines.doc_no)), lines.doc_no))
    dates = (epoch + lines.day.astype("timedelta64[D]")).astype("datetime64[ns]")
    orders = pd.DataFrame(
        {
            "customer_id": customer_id[lines.owner][order_sort],
            "date": dates[order_sort],
            "order_id": np.char.add("A", (1_000_001 + lines.doc_no[order_sort]).astype(str)),
            "revenue": lines.revenue[order_sort],
            "contribution_margin": lines.margin[order_sort],
            "channel": _CHANNELS[lines.channel[order_sort]],
            "product_group": _PRODUCT_GROUPS[lines.product_group[order_sort]],
        }
    )
    owner_sorted = lines.owner[order_sort]
    d = c.discount_rate[owner_sorted]
    orders["discount"] = np.round(orders["revenue"].to_numpy() * d / (1 - d), 2)
    orders["rebate"] = np.round(orders["revenue"].to_numpy() * c.rebate_rate[owner_sorted], 2)
    return orders
