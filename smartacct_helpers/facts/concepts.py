"""One function per concept that more than one notebook shows.

Where two notebooks show the same concept, both call the function here, so
the same customers give the same number everywhere.

Revenue of a group of customers
    The sum of their window revenue, where a customer whose credit notes
    exceed its invoices in the window (negative window revenue) counts with
    zero: it bought nothing, net. The same rule gives the ABC shares, the
    concentration figures, the revenue below the sales threshold (notebook
    02, :func:`smartacct_helpers.field_visits.analysis.below_threshold_revenue`) and the
    business case. The company's total
    ``revenue_12m`` in ``summary.json`` is different on purpose: it is the
    sum of every invoice line in the window, credit notes included.

A value the data does not give
    A customer without an industry (region, rep, ...) is in the group
    :data:`UNKNOWN` (:func:`group_labels`), and a column that is present but
    holds no value counts as missing (:func:`has_values`): a section then
    says what it needs instead of showing an empty table.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"revenue_12m": [5_000.0, -300.0, 0.0, 1_200.0]})
>>> group_revenue(df)          # 5,000 + 0 + 0 + 1,200
6200.0
>>> group_revenue(df, df["revenue_12m"] < 2_000)   # the customers below 2,000: -300 counts as 0
1200.0
>>> df = pd.DataFrame({"industry": [None, None], "region": ["north", None]})
>>> has_values(df, "industry"), has_values(df, "region"), has_values(df, "employees")
(False, True, False)
>>> group_labels(df, "industry").tolist()
['unknown', 'unknown']
"""

from __future__ import annotations

import numpy as np


def group_revenue(customers, rows=None) -> float:
    """The revenue of a group of customers (see the module): their window revenue, negative ones as zero.

    Parameters
    ----------
    customers : DataFrame
        With ``revenue_12m``.
    rows : boolean array-like, optional
        The customers of the group (default: all).
    """
    values = customers["revenue_12m"].to_numpy(dtype="float64", na_value=0.0)
    if rows is not None:
        values = values[np.asarray(rows, dtype=bool)]
    return float(values.clip(min=0.0).sum())


#: the group of customers whose attribute (industry, region, ...) the data does not give
UNKNOWN = "unknown"


def has_values(frame, *columns: str) -> bool:
    """Whether ``frame`` has every one of ``columns`` with at least one value that is not missing.

    A text column holding only :data:`UNKNOWN` or blanks counts as empty.
    """
    for column in columns:
        if frame is None or column not in frame:
            return False
        values = frame[column]
        if values.dtype == object or str(values.dtype) in ("string", "str"):
            text = values.dropna().astype(str).str.strip()
            if not (text.ne("") & text.ne(UNKNOWN)).any():
                return False
        elif not values.notna().any():
            return False
    return True


def group_labels(frame, column: str):
    """``frame[column]`` as group labels: a missing value (or a missing column) is the group :data:`UNKNOWN`."""
    import pandas as pd

    if column not in frame:
        return pd.Series(UNKNOWN, index=frame.index, dtype=object, name=column)
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    text = values.astype(object).where(values.notna(), None)
    blank = text.map(lambda v: v is None or (isinstance(v, str) and not v.strip()))
    return text.where(~blank, UNKNOWN).rename(column)


#: The report's concepts: (term, what it means, the one function that computes it, its key in summary.json or
#: None). Every section, card and chart that shows a concept calls that function; where a section shows a part
#: of it, it says which part ("Of the 4,320 customers to manage, 4,030 go to inside sales").
GLOSSARY = (
    (
        "A / B / C / D customers",
        "A: the largest customers, who together bring the first 80 % of the revenue of the last 12 months; B: the "
        "next 15 %; C: the rest with revenue; D: no revenue in the last 12 months (limits in the params). The year-one review compares with "
        "the A customers of the year before the programme start, the large-customer business.",
        "small_customers.analysis.abc_columns",
        "abc_counts",
    ),
    (
        "Sales threshold",
        "The yearly revenue from which looking after a customer in the field pays: the field management cost per "
        "customer and year over the highest acceptable sales cost ratio.",
        "field_visits.analysis.field_economics",
        "sales_threshold",
    ),
    (
        "Customers below the threshold",
        "Customers whose revenue of the last 12 months is below the sales threshold, those without any included.",
        "small_customers.analysis.classify (below_threshold)",
        "customers_below_threshold",
    ),
    (
        "Customers to manage",
        "Of the customers below the threshold, those with an order in the active window: the small customers and "
        "those with potential to develop. The inside-sales team is sized for them.",
        "small_customers.analysis.classify (to_manage)",
        "customers_to_manage",
    ),
    (
        "Lapsed customers",
        "Customers below the threshold without an order in the active window; they go to self-service.",
        "small_customers.analysis.classify (segment)",
        None,
    ),
    (
        "Self-service",
        "The lapsed customers, and the customers to manage who buy less than the self-service limit a year.",
        "key_accounts.portfolio.treatment",
        None,
    ),
    (
        "Key accounts",
        "Customers with at least 5 % of the revenue or of the contribution margin of the last 12 months, and the "
        "20 largest by revenue (limits in the params). Not the same as the A customers: key does not mean large.",
        "key_accounts.candidates.account_shares",
        "key_accounts",
    ),
    (
        "Key-account programme",
        "The key accounts the scorecard places as strategic partners or key accounts, and those not yet assessed.",
        "key_accounts.portfolio.programme_accounts",
        None,
    ),
    (
        "Cost to serve",
        "What serving a customer cost in the last 12 months: field visits at the visit cost, calls, orders and order "
        "lines at their handling costs, rebates, and an account team where the master gives one.",
        "facts.cost_to_serve.cost_to_serve_of",
        None,
    ),
    (
        "Operating profit",
        "A customer's contribution margin of the last 12 months minus its cost to serve; the same figure in every "
        "section.",
        "facts.cost_to_serve.cost_to_serve_of",
        None,
    ),
    (
        "Customers losing money",
        "Customers whose operating profit is below zero.",
        "key_accounts.analysis.key_account_figures",
        "customers_loss_making",
    ),
    (
        "Pilot team",
        "The inside reps the customer master names, at work since the programme start; the year-one review judges "
        "them. The business case sizes the full team.",
        "review.analysis.pilot_team",
        None,
    ),
    (
        "Churn",
        "Share of the managed customers who bought in the 12 months before the last 12 months and nothing since.",
        "review.analysis.churn_rate",
        "churn_rate_12m",
    ),
    (
        "Early warning",
        "A customer whose orders fall off: no order for much longer than its usual rhythm, fewer order days or "
        "falling revenue against the year before.",
        "early_warning.worklists.warnings_today",
        "early_warning_count",
    ),
)
