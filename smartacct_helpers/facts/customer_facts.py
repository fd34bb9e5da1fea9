"""The customer facts: what each customer bought, per year and in the window.

Everything here is an Ibis expression, so the aggregation runs inside the
engine (DuckDB by default; PostgreSQL or Spark with the same code) and only
customer-level rows come back to Python.

The window is the 12 months up to the reference date: ``reference_date - 12
months < date <= reference_date``.

Money is summed to the millionth (:func:`money_sum`): the traces that
binary floats leave in a sum are rounded off, so a sum is the same on every
engine, from every input format and in any order of the lines, and credit
notes that cancel their invoices leave exactly 0.

Examples
--------
>>> import ibis, pandas as pd
>>> orders = ibis.memtable(pd.DataFrame({
...     "customer_id": ["7", "7", "9"],
...     "date": pd.to_datetime(["2024-03-01", "2025-05-01", "2025-06-01"]),
...     "revenue": [100.0, 250.0, -20.0]}))
>>> yearly_facts(orders).order_by(["customer_id", "year"]).to_pandas()["revenue"].tolist()
[100.0, 250.0, -20.0]
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ibis

from .cost_to_serve import field_visit
from .orders import WINDOW_MONTHS, line_count, money_sum, months_before, order_count, to_the_millionth

if TYPE_CHECKING:  # pandas is imported where a frame comes back, so that the facts of a file need none
    import pandas as pd


def _orders_count(orders):
    """Distinct orders: by order id where the data has one, else by day."""
    if "order_id" in orders.columns:
        return order_count(orders)
    return orders.date.nunique()


def yearly_facts(orders):
    """Per customer and calendar year: revenue, margin, orders, lines, first and last order.

    Parameters
    ----------
    orders : ibis.Table
        Canonical invoice lines (``customer_id, date, revenue`` and
        optionally ``contribution_margin, order_id``) or their
        :func:`order_totals`.

    Returns
    -------
    ibis.Table
        ``customer_id, year, revenue, contribution_margin (if present),
        orders, lines, first_order, last_order``.
    """
    return orders.group_by(["customer_id", orders.date.year().name("year")]).aggregate(**_year_metrics(orders))


def checked_yearly_facts(totals):
    """:func:`yearly_facts` of order totals made with their checks (``order_totals(lines, money)``).

    Lines without a date make a row without a ``year``; ``without_revenue``
    counts the lines without revenue and ``implausible`` those with an
    amount of 1e12 or more.
    """
    return totals.group_by(["customer_id", totals.date.year().name("year")]).aggregate(
        **_year_metrics(totals), without_revenue=totals.without_revenue.sum(), implausible=totals.implausible.sum()
    )


def _year_metrics(orders) -> dict:
    """Revenue, margin (where present), orders, lines, first and last order of a group of invoice lines."""
    metrics = {"revenue": money_sum(orders.revenue)}
    if "contribution_margin" in orders.columns:
        metrics["contribution_margin"] = money_sum(orders.contribution_margin)
    return metrics | {
        "orders": _orders_count(orders),
        "lines": line_count(orders),
        "first_order": orders.date.min(),
        "last_order": orders.date.max(),
    }


def window_facts(orders, reference_date: dt.date, years: int = 1):
    """Per customer: revenue, margin, orders and lines in the last 12-month windows.

    Window 0 is the 12 months up to the reference date, window 1 the 12
    months before that, and so on up to ``years - 1``. Columns of window 0
    are ``revenue_12m``, ``contribution_margin_12m``, ``orders_12m`` and
    ``lines_12m``; earlier windows add ``revenue_12m_1``, ``revenue_12m_2``, ...
    Also ``first_order`` and ``last_order`` over all history up to the
    reference date.
    """
    upto = orders.filter(orders.date.cast("date") <= ibis.literal(reference_date, type="date"))
    return upto.group_by("customer_id").aggregate(**_window_metrics(upto, reference_date, years, held=False))


def _window_metrics(upto, reference_date: dt.date, years: int, held: bool = True, suffix: str = "") -> dict:
    """The metrics of :func:`window_facts` on ``reference_date``, their names ending in ``suffix``.

    ``upto`` holds the lines up to that day or later ones too (``held``:
    the lines after it are then left out of each metric), so one
    aggregation can give the facts on several days.
    """
    ref = ibis.literal(reference_date, type="date")
    day = upto.date.cast("date")
    starts = [ibis.literal(months_before(reference_date, WINDOW_MONTHS * (k + 1)), type="date") for k in range(years)]
    ends = [ref] + starts[:-1]
    in_window = [(day > s) & (day <= e) for s, e in zip(starts, ends, strict=True)]
    has_margin = "contribution_margin" in upto.columns

    metrics = {"revenue_12m": money_sum(upto.revenue, where=in_window[0])}
    if has_margin:
        metrics["contribution_margin_12m"] = money_sum(upto.contribution_margin, where=in_window[0])
    if "order_id" in upto.columns:
        metrics["orders_12m"] = order_count(upto, where=in_window[0])
    else:
        metrics["orders_12m"] = day.nunique(where=in_window[0])
    metrics["lines_12m"] = line_count(upto, in_window[0])
    for k in range(1, years):
        metrics[f"revenue_12m_{k}"] = money_sum(upto.revenue, where=in_window[k])
    up_to_ref = (day <= ref) if held else None
    metrics["first_order"] = day.min(where=up_to_ref)
    metrics["last_order"] = day.max(where=up_to_ref)
    return {name + suffix: metric for name, metric in metrics.items()}


def _window_bounds(reference_date: dt.date):
    """The reference date and the day 12 months before it, as date literals."""
    start = months_before(reference_date, WINDOW_MONTHS)
    return ibis.literal(reference_date, type="date"), ibis.literal(start, type="date")


def contact_facts(activities, reference_date: dt.date, refs=None):
    """Per customer: last field visit, visits and calls in the window, last contact.

    A field visit is an activity of type ``visit`` (or ``meeting``) that is
    not marked as the inside team's
    (:func:`~smartacct_helpers.facts.cost_to_serve.field_visit`). With ``refs`` (a one-row table of
    ``ref`` and ``start``, see :func:`facts_table`) the window comes from
    there and ``reference_date`` is not used.
    """
    if refs is None:
        ref, start = _window_bounds(reference_date)
    else:
        activities = activities.cross_join(refs)
        ref, start = activities.ref, activities.start
    acts = activities.filter(activities.date.cast("date") <= ref)
    if refs is not None:
        ref, start = acts.ref, acts.start
    day = acts.date.cast("date")
    field = field_visit(acts)
    in_window = (day > start) & (day <= ref)
    return acts.group_by("customer_id").aggregate(
        last_field_visit=day.max(where=field),
        visits_12m=acts.count(where=field & in_window),
        calls_12m=acts.count(where=(acts.type == "call") & in_window),
        last_contact=day.max(),
    )


def customer_facts(orders, customers, activities, reference_date: dt.date, years: int = 1) -> pd.DataFrame:
    """One row per customer: the customer master with the window facts and contacts.

    The facts are computed in the engine and only their customer-level rows
    come back, to be joined to the master in pandas (whose columns keep
    their types). Customers without orders or contacts get zeros (revenue,
    counts) and missing dates.

    Parameters
    ----------
    orders : ibis.Table
        Invoice lines or their :func:`order_totals`.
    customers : DataFrame or ibis.Table
        The customer master.
    activities : ibis.Table or None
    reference_date : datetime.date
    years : int
        How many 12-month windows back to report revenue for.

    Returns
    -------
    pandas.DataFrame
        Indexed by nothing; ``customer_id`` first, then the customer
        attributes, window facts and contact facts.
    """
    return customer_facts_on(orders, customers, activities, [reference_date], years)[reference_date]


def customer_facts_on(orders, customers, activities, days, years: int = 1) -> dict:
    """:func:`customer_facts` on each day of ``days``, from one aggregation of the orders (and one of the activities).

    Each day's facts are those :func:`customer_facts` gives with that day
    as the reference date; the engine reads the order totals once for all
    of them (each metric leaves out the lines after its day), so the facts
    on a second day cost a few more sums instead of a second pass.

    Returns
    -------
    dict
        ``{day: DataFrame}``, one frame of customer facts per day.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["7", "7"], "revenue": [100.0, 50.0],
    ...                        "date": pd.to_datetime(["2024-06-01", "2025-06-01"])})
    >>> facts = customer_facts_on(orders, pd.DataFrame({"customer_id": ["7"]}), None,
    ...                           [dt.date(2025, 12, 31), dt.date(2024, 12, 31)])
    >>> [float(f["revenue_12m"].iloc[0]) for f in facts.values()]
    [50.0, 100.0]
    """
    from .orders import as_table

    if isinstance(customers, ibis.Table):
        customers = customers.to_pandas()
    customers = customers.astype({"customer_id": "str"})  # the same ids, whichever reader or engine gave them
    days = list(dict.fromkeys(days))
    if len(days) == 1:
        windows = {days[0]: window_facts(orders, days[0], years).to_pyarrow()}
        contacts = {days[0]: contact_facts(activities, days[0]).to_pyarrow()} if activities is not None else None
    else:
        orders = as_table(orders)
        upto = orders.filter(orders.date.cast("date") <= ibis.literal(max(days), type="date"))
        metrics = {}
        for k, day in enumerate(days):
            metrics |= _window_metrics(upto, day, years, suffix=f"__{k}")
        windows = _per_day(upto.group_by("customer_id").aggregate(**metrics).to_pyarrow(), days)
        contacts = None
        if activities is not None:
            contacts = _per_day(_contacts_on(_activities_table(activities), days).to_pyarrow(), days)
    out = {}
    for day in days:
        df = _attached(customers, windows[day])
        if contacts is not None:
            df = _attached(df, contacts[day])
        out[day] = _fill_missing(df)
    return out


def _activities_table(activities):
    """The CRM activities as an Ibis table: a frame is read in place by DuckDB, a table stays where it is."""
    if isinstance(activities, ibis.Table):
        return activities
    from .orders import connect, frame_table

    return frame_table(connect(), "activities", activities)


def _contacts_on(activities, days):
    """:func:`contact_facts` on each day of ``days`` (the columns of the ``k``-th ending in ``__k``), in one pass."""
    acts = activities.filter(activities.date.cast("date") <= ibis.literal(max(days), type="date"))
    day = acts.date.cast("date")
    field = field_visit(acts)
    metrics = {}
    for k, on in enumerate(days):
        ref, start = _window_bounds(on)
        held = day <= ref
        in_window = (day > start) & held
        metrics |= {
            f"last_field_visit__{k}": day.max(where=field & held),
            f"visits_12m__{k}": acts.count(where=field & in_window),
            f"calls_12m__{k}": acts.count(where=(acts.type == "call") & in_window),
            f"last_contact__{k}": day.max(where=held),
        }
    return acts.group_by("customer_id").aggregate(**metrics)


def _per_day(table, days) -> dict:
    """The Arrow table of several days' facts (columns ending in ``__k``) split into one table per day, names without it."""
    out = {}
    for k, day in enumerate(days):
        end = f"__{k}"
        columns = [c for c in table.column_names if c.endswith(end)]
        out[day] = table.select(["customer_id", *columns]).rename_columns(
            ["customer_id", *(c[: -len(end)] for c in columns)]
        )
    return out


def _attached(df: pd.DataFrame, facts) -> pd.DataFrame:
    """``df`` with the columns of ``facts`` (an Arrow table, a row per customer) beside each customer's row.

    A left join on ``customer_id``, found by Arrow (:func:`~smartacct_helpers.arrow.positions`):
    a pandas merge hashes 100,000 customer ids as Python objects, a few times
    slower. Customers without a row get missing values.
    """
    import pandas as pd
    import pyarrow as pa

    from ..arrow import positions
    from .orders import arrow_frame

    at = positions(df["customer_id"], facts.column("customer_id"))
    extra = arrow_frame(facts.drop_columns(["customer_id"]).take(pa.array(at, mask=at < 0)))
    extra.index = df.index
    return pd.concat([df, extra], axis=1)


def _fill_missing(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    zero_cols = [c for c in df.columns if c.startswith(("revenue_12m", "contribution_margin_12m"))]
    count_cols = [c for c in ("orders_12m", "lines_12m", "visits_12m", "calls_12m") if c in df.columns]
    df[zero_cols] = df[zero_cols].fillna(0.0).astype("float64")
    for c in count_cols:
        df[c] = df[c].fillna(0).astype("int64")
    for c in ("first_order", "last_order", "last_field_visit", "last_contact"):
        if c in df.columns:
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df.sort_values("customer_id", kind="stable").reset_index(drop=True)


def _day_sums(lines, checks: bool):
    """Invoice lines without an order id summed per customer and day: there an order is a customer's day.

    The orders of a year are then the rows of the day sums, which are
    cheaper to count than the distinct days of the lines (a quarter of the
    facts' statement at 10 million lines); every other metric of
    :func:`_year_metrics` adds up the same over them. ``lines`` counts the
    lines of each day and, with ``checks``, ``lines_with_revenue`` those with
    a revenue. The window's start, where the statement finds it itself,
    stays a column.
    """
    sums = {"revenue": lines.revenue.sum(), "lines": lines.count()}
    if "contribution_margin" in lines.columns:
        sums["contribution_margin"] = lines.contribution_margin.sum()
    if checks:
        sums["lines_with_revenue"] = lines.revenue.count()
    return lines.group_by([c for c in ("customer_id", "date", "start") if c in lines.columns]).aggregate(**sums)


def facts_table(orders, activities, reference_date: dt.date | None, checks: bool = False):
    """The exported facts: one row per customer and year, with the customer's window facts.

    Columns: the yearly facts (``customer_id, year, revenue, contribution_margin,
    orders, lines, first_order, last_order``), then ``revenue_12m`` and, where
    activities exist, ``last_field_visit`` and ``visits_12m``.

    The invoice lines are read once: each customer-year also sums its part of
    the window, and ``revenue_12m`` is the sum of those parts over the
    customer's years (missing when the customer bought nothing in the window).
    Without a ``reference_date`` the last order date is found in the same
    statement: the lines read are kept for both uses (DuckDB materialises
    them once), which spares a CSV file a second parse.
    With ``checks``, a column ``lines_with_revenue`` counts the lines per
    customer and year that have a revenue (``lines`` counts them all), and
    lines without a date are kept, in a row whose ``year`` is missing.
    """
    orders = orders.select(
        *[c for c in ("customer_id", "date", "order_id", "revenue", "contribution_margin") if c in orders.columns]
    )
    refs = None
    if reference_date is None:
        refs = orders.aggregate(ref=orders.date.cast("date").max())
        refs = refs.mutate(start=(refs.ref - ibis.interval(months=WINDOW_MONTHS)).cast("date"))
        orders = orders.cross_join(refs)
        ref = orders.ref
    else:
        ref, start = _window_bounds(reference_date)
    keep = orders.date.cast("date") <= ref
    if checks:
        keep = keep | orders.date.isnull()
    upto = orders.filter(keep)
    by_day = "order_id" not in upto.columns and "lines" not in upto.columns
    if by_day:
        upto = _day_sums(upto, checks)
    if refs is not None:
        start = upto.start
    day = upto.date.cast("date")
    metrics = _year_metrics(upto)
    if by_day:
        metrics["orders"] = upto.date.count()  # each day sum is an order; one without a date is none
    metrics |= {
        "first_order": metrics["first_order"].cast("timestamp"),
        "last_order": metrics["last_order"].cast("timestamp"),
        "window_part": upto.revenue.sum(where=day > start),
    }
    if checks:
        metrics["lines_with_revenue"] = upto.lines_with_revenue.sum() if by_day else upto.revenue.count()
    yearly = upto.group_by(["customer_id", upto.date.year().name("year")]).aggregate(**metrics)
    table = yearly.mutate(revenue_12m=to_the_millionth(yearly.window_part.sum().over(group_by=yearly.customer_id)))
    table = table.drop("window_part")
    if activities is not None:
        contacts = contact_facts(activities, reference_date, refs)
        table = table.left_join(contacts.select("customer_id", "last_field_visit", "visits_12m"), "customer_id")
        table = table.drop("customer_id_right")
        table = table.mutate(visits_12m=table.visits_12m.fill_null(0))
    return table.order_by(["customer_id", "year"])
