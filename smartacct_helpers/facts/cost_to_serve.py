"""The cost to serve a customer and its operating profit: one definition for the whole workbook.

Every table, chart, export and key figure that shows what serving a customer
costs, or what is left of its margin after that, reads it from here
(docs/method.md section 0):

    cost to serve    = field visits x visit cost + calls x call_cost
                       + orders x order_handling_cost + order lines x line_handling_cost
                       + rebates + the customer's account team (where the customer master gives it)
    operating profit = contribution margin - cost to serve

over the window, the 12 months up to the reference date (:data:`WINDOW_MONTHS`).

* A **field visit** is a CRM activity of type visit or meeting that is not
  the inside team's (:data:`FIELD_VISIT_TYPES`, :func:`field_visit`).
* The **visit cost** is the outside rep's fully loaded annual cost over the
  visits a rep makes in a year (:func:`visit_cost`).
* **Rebates** are paid after the invoice, so they are not off the
  contribution margin of the orders; they count as a cost of serving the
  customer. Discounts on the invoice line are already off the revenue.
* The **account team** is the yearly cost of the people dedicated to one
  customer (a key-account manager and the staff supporting the account), the
  optional column ``account_team_annual_cost`` of the customer master; a
  year is the window, so it counts once.
* **The margin where the data has none** (:func:`line_margin`,
  :func:`customer_margin`): a line without a contribution margin earns its
  revenue x ``margin_rate_if_unknown``; without a margin column every line does.

Examples
--------
A customer with 10,000 contribution margin, 4 visits at 137.50, 10 calls at 8,
20 orders at 20, 50 lines at 2 and 500 rebates: cost to serve
550 + 80 + 400 + 100 + 500 = 1,630, operating profit 10,000 - 1,630 = 8,370.

>>> rates = ServiceRates(visit=137.5, call=8, order=20, line=2)
>>> float(cost_to_serve(4, 10, 20, 50, rates, rebates=500))
1630.0
>>> import pandas as pd
>>> c = pd.DataFrame({"customer_id": ["k"], "revenue_12m": [40_000.0], "contribution_margin_12m": [10_000.0],
...                   "visits_12m": [4], "calls_12m": [10], "orders_12m": [20], "lines_12m": [50]})
>>> sums = pd.DataFrame({"rebate": [500.0]}, index=pd.Index(["k"], name="customer_id"))
>>> cost_to_serve_table(c, rates, sums, 0.25)[["cost_to_serve_12m", "operating_profit_12m"]].values.tolist()
[[1630.0, 8370.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..arrow import positions
from .orders import WINDOW_MONTHS, as_table, frame, moments, money_sum, months_before

if TYPE_CHECKING:
    import pandas as pd


#: the activity types that are a visit at the customer, when the outside force makes them
FIELD_VISIT_TYPES = ("visit", "meeting")
#: the team whose visits and meetings are no field visits
INSIDE_TEAM = "inside"
#: the customer master's column with the yearly cost of a customer's own account team
ACCOUNT_TEAM = "account_team_annual_cost"
#: the parts the cost to serve adds up, as columns of :func:`cost_to_serve_table`
COST_PARTS = ["cost_visits", "cost_calls", "cost_orders", "cost_lines", "rebate_12m", "account_team_cost_12m"]
#: the window sums the cost to serve reads from the order totals (those the orders have)
WINDOW_SUMS = ("discount", "rebate", "revenue_without_margin")


@dataclass(frozen=True)
class ServiceRates:
    """What one field visit, call, order and order line cost."""

    visit: float
    call: float
    order: float
    line: float


def visit_cost(outside_rep_annual_cost: float, working_days: float, visits_per_day: float) -> float:
    """Cost of one field visit: the rep's fully loaded annual cost over the visits per year.

    >>> visit_cost(110_000, 200, 4)
    137.5
    """
    visits = working_days * visits_per_day
    if visits <= 0:
        raise ValueError("working_days x visits_per_day must be positive")
    return outside_rep_annual_cost / visits


def service_rates(assumptions) -> ServiceRates:
    """The rates from the params: the visit cost and the handling costs of a call, an order and a line.

    >>> from smartacct_helpers.params import Assumptions
    >>> service_rates(Assumptions())
    ServiceRates(visit=137.5, call=8.0, order=20.0, line=2.0)
    """
    a = assumptions
    return ServiceRates(
        float(visit_cost(a.outside_rep_annual_cost, a.working_days, a.visits_per_day)),
        float(a.call_cost),
        float(a.order_handling_cost),
        float(a.line_handling_cost),
    )


def field_visit(activities):
    """Which CRM activities (an Ibis table) are field visits: a visit or meeting not marked as the inside team's."""
    field = activities.type.isin(list(FIELD_VISIT_TYPES))
    if "team" in activities.columns:
        field = field & (activities.team.isnull() | (activities.team != INSIDE_TEAM))
    return field


def is_field_visit(activities: pd.DataFrame) -> pd.Series:
    """:func:`field_visit` for activities held in pandas.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"type": ["visit", "meeting", "call", "visit"], "team": ["outside", None, None, "inside"]})
    >>> is_field_visit(a).tolist()
    [True, True, False, False]
    """
    field = activities["type"].isin(FIELD_VISIT_TYPES)
    if "team" in activities:
        field &= activities["team"].isna() | (activities["team"] != INSIDE_TEAM)
    return field


def line_margin(orders, margin_rate_if_unknown: float):
    """The contribution margin of each invoice line or order total (an Ibis table), the rate where it has none.

    A line without a margin earns ``revenue x margin_rate_if_unknown``; order
    totals carry the revenue of such lines as ``revenue_without_margin``
    (:func:`~smartacct_helpers.facts.orders.as_table`). Without a margin
    column every line earns the rate.

    >>> import pandas as pd
    >>> o = as_table(pd.DataFrame({"customer_id": ["7", "7"], "revenue": [100.0, 40.0],
    ...                            "contribution_margin": [30.0, None]}))
    >>> o.aggregate(margin=line_margin(o, 0.25).sum()).to_pyarrow().to_pylist()   # 30 + 40 x 0.25
    [{'margin': 40.0}]
    """
    if "contribution_margin" not in orders.columns:
        return orders.revenue * margin_rate_if_unknown
    if "revenue_without_margin" in orders.columns:
        without = orders.revenue_without_margin.fill_null(0.0)
    else:
        without = orders.contribution_margin.isnull().ifelse(orders.revenue, 0.0)
    return orders.contribution_margin.fill_null(0.0) + without * margin_rate_if_unknown


def customer_margin(customers: pd.DataFrame, margin_rate_if_unknown: float, sums: pd.DataFrame | None = None):
    """Each customer's contribution margin over the window, the rate where the data has none.

    ``contribution_margin_12m`` plus the window revenue of the lines without
    a margin (``revenue_without_margin`` of ``sums``, see :func:`window_sums`)
    times ``margin_rate_if_unknown``; without a margin column, ``revenue_12m``
    times the rate. Aligned with ``customers``.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "revenue_12m": [1_000.0, 400.0],
    ...                   "contribution_margin_12m": [300.0, 0.0]})
    >>> sums = pd.DataFrame({"revenue_without_margin": [400.0]}, index=pd.Index(["b"], name="customer_id"))
    >>> customer_margin(c, 0.25, sums).tolist()     # b's lines carry no margin: 400 x 0.25
    [300.0, 100.0]
    >>> customer_margin(c.drop(columns="contribution_margin_12m"), 0.25).tolist()
    [250.0, 100.0]
    """
    import pandas as pd

    revenue = customers["revenue_12m"].astype("float64")
    if "contribution_margin_12m" not in customers:
        return revenue * margin_rate_if_unknown
    margin = customers["contribution_margin_12m"].astype("float64").fillna(0.0)
    if sums is None or "revenue_without_margin" not in sums:
        return margin
    without = _looked_up(customers["customer_id"], sums, "revenue_without_margin")
    return margin + pd.Series(without, index=customers.index) * margin_rate_if_unknown


def _looked_up(ids: pd.Series, sums: pd.DataFrame | None, column: str) -> np.ndarray:
    """``sums[column]`` for each id (``sums`` indexed by customer id); zero where there is none."""
    if sums is None or column not in sums:
        return np.zeros(len(ids))
    at = positions(ids.astype(str), sums.index)  # each customer's row of the sums, -1 without one
    found = np.append(sums[column].to_numpy(dtype="float64", na_value=np.nan), np.nan)[at]
    return np.where(np.isnan(found), 0.0, found)


def cost_to_serve(visits, calls, orders, lines, rates: ServiceRates, rebates=0.0, account_team=0.0):
    """Visits x visit cost + calls x call cost + orders x order cost + lines x line cost + rebates + account team."""
    return (
        visits * rates.visit + calls * rates.call + orders * rates.order + lines * rates.line + rebates + account_team
    )


def cost_to_serve_table(
    customers: pd.DataFrame, rates: ServiceRates, sums: pd.DataFrame | None = None, margin_rate_if_unknown: float = 0.25
) -> pd.DataFrame:
    """Per customer over the window: the margin, the parts of the cost to serve, the cost and the operating profit.

    Parameters
    ----------
    customers : DataFrame
        The customer facts: ``customer_id, revenue_12m``, where the data
        has them ``contribution_margin_12m``, ``visits_12m, calls_12m,
        orders_12m, lines_12m`` (a missing count is zero) and
        ``account_team_annual_cost`` (missing: no team of its own).
    rates : ServiceRates
    sums : DataFrame, optional
        ``discount``, ``rebate`` and ``revenue_without_margin`` per customer
        id over the same window (:func:`window_sums`); missing ones count 0.
    margin_rate_if_unknown : float

    Returns
    -------
    DataFrame
        Aligned with ``customers``: ``customer_id``, ``name`` (where known),
        ``revenue_12m``, ``discount_12m`` (already off the revenue, shown for
        information), ``contribution_margin_12m`` (:func:`customer_margin`),
        the four counts, the parts :data:`COST_PARTS` (``cost_visits,
        cost_calls, cost_orders, cost_lines, rebate_12m,
        account_team_cost_12m``), ``cost_to_serve_12m`` (their sum) and
        ``operating_profit_12m``.
    """
    import pandas as pd

    df = pd.DataFrame({"customer_id": customers["customer_id"].astype(str).to_numpy()}, index=customers.index)
    if "name" in customers:
        df["name"] = customers["name"]
    df["revenue_12m"] = customers["revenue_12m"].astype("float64")
    df["discount_12m"] = _looked_up(df["customer_id"], sums, "discount")
    df["contribution_margin_12m"] = customer_margin(customers, margin_rate_if_unknown, sums)
    for col in ("visits_12m", "calls_12m", "orders_12m", "lines_12m"):
        df[col] = customers[col].fillna(0).astype("int64") if col in customers else 0
    df["cost_visits"] = df["visits_12m"] * rates.visit
    df["cost_calls"] = df["calls_12m"] * rates.call
    df["cost_orders"] = df["orders_12m"] * rates.order
    df["cost_lines"] = df["lines_12m"] * rates.line
    df["rebate_12m"] = _looked_up(df["customer_id"], sums, "rebate")
    team = customers[ACCOUNT_TEAM] if ACCOUNT_TEAM in customers else pd.Series(0.0, index=customers.index)
    df["account_team_cost_12m"] = pd.to_numeric(team, errors="coerce").astype("float64").fillna(0.0)
    df["cost_to_serve_12m"] = cost_to_serve(
        df["visits_12m"],
        df["calls_12m"],
        df["orders_12m"],
        df["lines_12m"],
        rates,
        df["rebate_12m"],
        df["account_team_cost_12m"],
    )
    df["operating_profit_12m"] = df["contribution_margin_12m"] - df["cost_to_serve_12m"]
    return df


def _between(orders, start, end):
    """``start < date <= end`` for the invoice lines ``orders`` (an Ibis table); bounds are points in time."""
    import pandas as pd

    moment = moments(orders.date)
    return (moment > pd.Timestamp(start).to_pydatetime()) & (moment <= pd.Timestamp(end).to_pydatetime())


def window_sums(orders, reference_date, columns=WINDOW_SUMS, months: int = WINDOW_MONTHS) -> pd.DataFrame:
    """Per customer: the sums of ``columns`` over the ``months`` up to the reference date.

    Lines with ``reference_date - months < date <= reference_date`` count;
    the sums run in the engine. Columns the orders do not have are left
    out (``revenue_without_margin`` is there where the orders have a margin
    column, see :func:`~smartacct_helpers.facts.orders.as_table`).

    Parameters
    ----------
    orders : DataFrame or ibis.Table
        Invoice lines (``customer_id, date`` and the ``columns``) or their totals.
    reference_date : date
    columns : iterable of str
    months : int

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (the customers with a line in the
        window, by id), one column per summed column.

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"customer_id": ["k", "k", "m"], "rebate": [5.0, 7.0, 3.0],
    ...                   "date": pd.to_datetime(["2024-12-31", "2025-12-31", "2025-01-01"])})
    >>> window_sums(o, "2025-12-31")["rebate"].to_dict()   # 31.12.2024 is outside
    {'k': 7.0, 'm': 3.0}
    """
    import pandas as pd

    ref = pd.Timestamp(reference_date)
    start = pd.Timestamp(months_before(ref.date(), months))
    orders = as_table(orders)
    cols = [c for c in columns if c in orders.columns]
    if not cols:
        return pd.DataFrame(index=pd.Index([], name="customer_id"))
    window = orders.filter(_between(orders, start, ref))
    sums = frame(window.group_by("customer_id").aggregate(**{c: money_sum(window[c]) for c in cols}))
    return sums.set_index("customer_id").sort_index().fillna(0.0)


def window_sums_of(workbook) -> pd.DataFrame:
    """Discounts, rebates and the revenue without a margin per customer over the window, remembered by the workbook.

    :func:`window_sums` of the workbook's order totals, summed once in the
    engine: no assumption changes them.
    """
    return workbook.remembered("window_sums", lambda a: window_sums(workbook.order_totals, workbook.reference_date))


def cost_to_serve_of(workbook, assumptions=None) -> pd.DataFrame:
    """:func:`cost_to_serve_table` of the workbook's customers, remembered per value of the assumptions it reads.

    ``assumptions``: default the workbook's; a remembered computation that
    asks for it passes the assumptions it was given.
    """

    def compute(a):
        return cost_to_serve_table(
            workbook.customers, service_rates(a), window_sums_of(workbook), a.margin_rate_if_unknown
        )

    return workbook.remembered("cost_to_serve", compute, assumptions)
