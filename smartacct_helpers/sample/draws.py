"""The random draws and the calendar the generator uses: sizes, days of the year, times between orders."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .shape import _REFERENCE_SIZE


def _scaled(n_ref: int, customers: int, minimum: int = 1) -> int:
    return max(minimum, int(round(n_ref * customers / _REFERENCE_SIZE)))


def _start_of(end: dt.date, years: int) -> dt.date:
    """The first day of ``years`` full years ending at ``end``."""
    return (pd.Timestamp(end) - pd.DateOffset(years=years) + pd.Timedelta(days=1)).date()


def _day_weights(first: dt.date, last: dt.date) -> np.ndarray:
    """How busy each day is: workdays, weak August and Christmas, strong spring and autumn."""
    days = pd.date_range(first, last, freq="D")
    month_factor = np.array([0.85, 0.95, 1.12, 1.12, 1.08, 1.0, 0.95, 0.66, 1.1, 1.16, 1.12, 0.9])
    w = month_factor[days.month - 1]
    w = np.where(days.day_of_week == 5, w * 0.04, w)
    w = np.where(days.day_of_week == 6, 0.0, w)
    christmas = ((days.month == 12) & (days.day >= 22)) | ((days.month == 1) & (days.day <= 6))
    w = np.where(christmas, w * 0.3, w)
    month_day = days.month * 100 + days.day
    holiday = np.isin(month_day, [101, 501, 1003, 1224, 1225, 1226])
    w = np.where(holiday, 0.0, w)
    return w / w.max()


def _exp_integral(lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Integral of exp(g t) from lo to hi (zero where hi <= lo), t in years."""
    lo = np.asarray(lo, float)
    hi = np.maximum(np.asarray(hi, float), lo)
    g = np.asarray(g, float)
    small = np.abs(g) < 1e-9
    safe_g = np.where(small, 1.0, g)
    out = (np.exp(safe_g * hi) - np.exp(safe_g * lo)) / safe_g
    return np.where(small, hi - lo, out)


def _draw_times(lo: np.ndarray, hi: np.ndarray, g: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One time per row in [lo, hi] (years) with density proportional to exp(g t)."""
    u = rng.random(len(lo))
    small = np.abs(g) < 1e-9
    safe_g = np.where(small, 1.0, g)
    a = np.exp(safe_g * lo)
    b = np.exp(safe_g * hi)
    t = np.log(a + u * (b - a)) / safe_g
    return np.where(small, lo + u * (hi - lo), t)


def _pick(prob_rows: np.ndarray, row_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each event, a category index drawn from the probability row of its owner."""
    cum = np.cumsum(prob_rows, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(row_index))
    return (u[:, None] > cum[row_index]).sum(axis=1)


def _next_open_day(days: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Move each day (days before the end, <= 0) forward to the next day the business is open.

    Days that would pass the end move back to the last open day instead.
    """
    n_days = len(weights)
    days = np.clip(days, -(n_days - 1), 0)
    for _ in range(7):  # never more than a long weekend plus a holiday
        closed = weights[days + n_days - 1] <= 0
        if not closed.any():
            break
        days = np.where(closed, np.minimum(days + 1, 0), days)
    last_open = np.flatnonzero(weights > 0)[-1] - (n_days - 1)
    closed = weights[days + n_days - 1] <= 0
    return np.where(closed, last_open, days)


class _Calendar:
    """Draws events (orders, visits, calls) on the supplier's business days."""

    def __init__(self, first: dt.date, last: dt.date, rng: np.random.Generator):
        self.weights = _day_weights(first, last)
        self.n_days = len(self.weights)
        self.span = self.n_days / 365.25
        self.rng = rng

    def events(self, rate_per_year, lo, hi, g=None):
        """Poisson events per owner at ``rate_per_year`` over [lo, hi] (years before the end).

        The rate follows exp(g t) over time and the day weights within the
        year; dividing by the mean weight keeps the yearly rate.
        Returns the owner index and the day (days before the end, <= 0) of
        each event, in no particular order.
        """
        rate = np.asarray(rate_per_year, float)
        g = np.zeros_like(rate) if g is None else np.asarray(g, float)
        lo = np.maximum(np.asarray(lo, float), -self.span)
        hi = np.minimum(np.asarray(hi, float), 0.0)
        # draw candidates at the peak rate, keep each with its day's weight
        expected = rate / self.weights.mean() * _exp_integral(lo, hi, g)
        counts = self.rng.poisson(np.maximum(expected, 0))
        owner = np.repeat(np.arange(len(counts)), counts)
        t = _draw_times(lo[owner], hi[owner], g[owner], self.rng)
        day = np.clip(np.floor(t * 365.25).astype(np.int64), -(self.n_days - 1), 0)
        keep = self.rng.random(len(day)) < self.weights[day + self.n_days - 1]
        return owner[keep], day[keep]
