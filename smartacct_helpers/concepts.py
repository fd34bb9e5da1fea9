"""One function per concept that more than one notebook shows.

Where two notebooks show the same concept, both call the function here, so
the same customers give the same number everywhere.

Revenue of a group of customers
    The sum of their window revenue, where a customer whose credit notes
    exceed its invoices in the window (negative window revenue) counts with
    zero: it bought nothing, net. The same rule gives the ABC shares, the
    concentration figures, the revenue below the sales threshold (notebook
    02, :func:`smartacct_helpers.costing.below_threshold_revenue`) and the
    business case. The company's total
    ``revenue_12m`` in ``summary.json`` is different on purpose: it is the
    sum of every invoice line in the window, credit notes included.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"revenue_12m": [5_000.0, -300.0, 0.0, 1_200.0]})
>>> group_revenue(df)          # 5,000 + 0 + 0 + 1,200
6200.0
>>> group_revenue(df, df["revenue_12m"] < 2_000)   # the customers below 2,000: -300 counts as 0
1200.0
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
