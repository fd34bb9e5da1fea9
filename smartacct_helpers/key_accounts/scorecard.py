"""The scorecard: willingness to partner, transparency and growth potential into four classes, over time.

Strategic partner, key account, large account or transactional; where the
assessments have dates, how each account moved between them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import looked_up

CLASSES = ["strategic partner", "key account", "large account", "transactional"]
NOT_ASSESSED = "not assessed"


SCORES = ["partner_willingness", "transparency", "growth_potential"]


# --------------------------------------------------------------------------- scorecard
def scorecard_class(
    scores: pd.DataFrame, large, partner_min_score: int = 4, key_account_min_average: float = 3.5
) -> pd.Series:
    """Relationship class from the three scorecard criteria (1 to 5 each).

    * **strategic partner**: every criterion at least ``partner_min_score``;
    * **key account**: the average at least ``key_account_min_average``;
    * **large account**: neither, but large by volume (``large``);
    * **transactional**: the rest;
    * **not assessed**: a criterion is missing.

    >>> s = pd.DataFrame({"partner_willingness": [5, 4, 2, 2, None], "transparency": [4, 3, 2, 2, 3],
    ...                   "growth_potential": [4, 4, 3, 3, 3]})
    >>> scorecard_class(s, [True, True, True, False, True]).tolist()
    ['strategic partner', 'key account', 'large account', 'transactional', 'not assessed']
    """
    values = scores[SCORES].astype("Float64").astype(float)
    large = np.asarray(large, dtype=bool)
    complete = values.notna().all(axis=1).to_numpy()
    partner = (values.min(axis=1) >= partner_min_score).to_numpy()
    key = (values.mean(axis=1) >= key_account_min_average - 1e-12).to_numpy()
    cls = np.select([~complete, partner, key, large], [NOT_ASSESSED, CLASSES[0], CLASSES[1], CLASSES[2]], CLASSES[3])
    return pd.Series(cls, index=scores.index, dtype=object)


def assessments_for(workbook) -> pd.DataFrame | None:
    """The workbook's scorecard assessments (``data.assessments`` in the params), or None."""
    return workbook.tables.assessments


def assessment_history(
    assessments: pd.DataFrame,
    large_ids,
    partner_min_score: int = 4,
    key_account_min_average: float = 3.5,
    freq: str = "Q",
) -> pd.DataFrame:
    """Every assessment with its class and the calendar period (quarter by default) it falls in.

    Where one account has several assessments in a period, the latest counts.
    Assessments that give none of the three scores (only the key-account
    strategies, say) are left out; a score the file lacks is missing.
    """
    df = assessments.copy()
    for col in SCORES:
        if col not in df:
            df[col] = pd.array([pd.NA] * len(df), dtype="Int64")
    df = df[df[SCORES].notna().any(axis=1)]
    df["customer_id"] = df["customer_id"].astype(str)
    df["period"] = pd.to_datetime(df["date"]).dt.to_period(freq)
    df = df.sort_values(["customer_id", "date"], kind="stable").drop_duplicates(["customer_id", "period"], keep="last")
    large = df["customer_id"].isin(set(map(str, large_ids)))
    df["class"] = scorecard_class(df, large, partner_min_score, key_account_min_average).to_numpy()
    return df.reset_index(drop=True)


def scorecard_movement(history: pd.DataFrame) -> pd.DataFrame:
    """Accounts by class at their first assessment (rows) and at their latest (columns)."""
    ordered = history.sort_values(["customer_id", "date"], kind="stable")
    first = ordered.groupby("customer_id")["class"].first()
    last = ordered.groupby("customer_id")["class"].last()
    table = pd.crosstab(first.rename("first assessment"), last.rename("latest assessment"))
    order = [c for c in CLASSES + [NOT_ASSESSED] if c in table.index or c in table.columns]
    return table.reindex(index=order, columns=order, fill_value=0)


def class_changes(history: pd.DataFrame, names: pd.Series | None = None) -> pd.DataFrame:
    """The accounts whose class changed between their first and latest assessment.

    With ``names`` (by customer id), a column ``name`` follows the id.
    """
    ordered = history.sort_values(["customer_id", "date"], kind="stable")
    g = ordered.groupby("customer_id")
    out = pd.DataFrame(
        {
            "first_date": g["date"].first(),
            "first_class": g["class"].first(),
            "latest_date": g["date"].last(),
            "latest_class": g["class"].last(),
        }
    )
    rank = {c: i for i, c in enumerate(CLASSES)}
    out = out[out["first_class"] != out["latest_class"]].copy()
    out["direction"] = np.where(out["latest_class"].map(rank) < out["first_class"].map(rank), "up", "down")
    out = out.reset_index()
    if names is not None and len(names):
        out.insert(1, "name", looked_up(out["customer_id"].astype(str), names).fillna(""))
    return out
