"""The inside-sales team of the review: its size, the pilot team, and the month it has paid for itself."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..arrow import isin
from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.orders import months_before
from ..inside_sales.business_case import headcount, middle_capacity, yearly_cost
from .groups import group_performance
from .periods import (
    Periods,
    _month_spans,
    _review_months,
    _review_spans,
    _sums,
    _unique,
)


def monthly_margin(orders, ids, start: dt.date, months: int, margin_rate_if_unknown: float = 0.25) -> pd.Series:
    """Contribution margin of ``ids`` per month for ``months`` months from ``start`` (month 1 = the first).

    A month runs from the day ``start`` falls on to the day before the same
    day a month later (whole days). ``orders``: the invoice lines (Ibis
    table or DataFrame) or their :class:`LineSums` with the margin of
    those months.
    """
    spans = _month_spans(start, months)
    s = _sums(orders, spans)
    ids = _unique(ids)
    values = [float(s.margin(span, margin_rate_if_unknown, ids).sum()) for span in spans]
    return pd.Series(values, index=pd.RangeIndex(1, months + 1, name="month"))


def amortisation(
    orders, groups: dict[str, pd.Index], periods: Periods, assumptions, team_size: int | None = None
) -> pd.DataFrame:
    """Cumulative incremental contribution margin of the managed group against the team's cost, by month.

    Incremental margin in month ``m`` after the start: the managed group's
    margin in that month minus its margin in the same month a year before,
    grown by the comparison group's margin growth over the whole review
    (``other small`` follow-up / baseline; 1 without such a group), so that
    what would have happened anyway is not credited to the team. The cost:
    the running cost of the team per year (:func:`business_case.yearly_cost`
    for ``team_size`` inside reps) spread over the months, and the set-up
    cost in month 1.

    Returns
    -------
    DataFrame
        Indexed by month (1 = the programme's first): ``month_start``,
        ``margin``, ``margin_year_before``, ``incremental_margin``, ``cost``,
        ``cumulative_margin``, ``cumulative_cost``, ``cumulative_net``.

    ``orders``: the invoice lines (Ibis table or DataFrame) or their
    :class:`LineSums` with the margins of the review (see :func:`line_sums`).
    """
    months = _review_months(periods)
    sums = _sums(orders, _review_spans(periods, months))  # one scan for the comparison group and both years of months
    rate = assumptions.margin_rate_if_unknown
    managed = groups["managed"]
    other = groups.get("other small", pd.Index([]))
    factor = 1.0
    if len(other):
        perf = group_performance(sums, {"other small": other}, periods, rate)
        mb, mf = perf.loc["other small", ["margin_baseline", "margin_followup"]]
        if mb > 0:
            factor = float(mf / mb)
    now = monthly_margin(sums, managed, periods.start, months, rate)
    before = monthly_margin(sums, managed, months_before(periods.start, WINDOW_MONTHS), months, rate)
    size = (
        team_size
        if team_size is not None
        else headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))
    )
    monthly_cost = yearly_cost(size, assumptions)["total"] / 12
    cost = np.full(months, monthly_cost)
    if months:
        cost[0] += assumptions.setup_cost
    out = pd.DataFrame(
        {
            "month_start": [months_before(periods.start, -(k - 1)) for k in now.index],
            "margin": now.to_numpy(),
            "margin_year_before": before.to_numpy(),
        },
        index=now.index,
    )
    out["incremental_margin"] = out["margin"] - factor * out["margin_year_before"]
    out["cost"] = cost
    out["cumulative_margin"] = out["incremental_margin"].cumsum()
    out["cumulative_cost"] = out["cost"].cumsum()
    out["cumulative_net"] = out["cumulative_margin"] - out["cumulative_cost"]
    return out


def team_size(customers: pd.DataFrame, managed, assumptions) -> int:
    """The inside reps named for the managed customers; where none are named, the headcount at mid capacity."""
    if "inside_rep" in customers:
        reps = customers.loc[isin(customers["customer_id"], managed), "inside_rep"].dropna().nunique()
        if reps:
            return int(reps)
    return headcount(len(managed), middle_capacity(assumptions.inside_rep_capacity))


def pilot_team(workbook) -> dict | None:
    """The inside-sales team already at work: the inside reps the customer master names, and since when.

    Returns ``{"reps": int, "start": date or None}`` (``start`` is the
    params' ``programme_start``), or None when the master names no inside
    rep: then there is no team yet, and the business case (notebook 04)
    sizes the whole team.
    """
    customers = workbook.tables.customers
    if customers is None or "inside_rep" not in customers:
        return None
    reps = customers["inside_rep"].dropna().astype(str).str.strip()
    reps = reps[reps.ne("")].nunique()
    if not reps:
        return None
    return {"reps": int(reps), "start": workbook.assumptions.programme_start}


def pilot_sentence(pilot: dict | None, rollout: int | None, style: str = "en", case: str = " (notebook 04)") -> str:
    """The pilot team and the full rollout of the business case, in one sentence ("" without a pilot).

    >>> import datetime as dt
    >>> pilot_sentence({"reps": 3, "start": dt.date(2025, 1, 1)}, 11, "de")
    'The pilot team of 3 inside reps has worked since 01.01.2025; the full rollout in the business case (notebook 04) needs 11.'
    >>> pilot_sentence(None, 11)
    ''
    """
    if not pilot:
        return ""
    since = pilot["start"].strftime("%d.%m.%Y" if style == "de" else "%Y-%m-%d") if pilot.get("start") else None
    text = f"The pilot team of {pilot['reps']} inside rep{'' if pilot['reps'] == 1 else 's'} "
    text += f"has worked since {since}" if since else "is at work"
    if rollout:
        text += f"; the full rollout in the business case{case} needs {rollout}"
    return text + "."
