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
