"""The checks of the tables once read: columns without values, merged cells, duplicate customers, late orders.

Each check adds the problems it finds (errors, or warnings for what is
left out of the analysis) to the list :func:`smartacct_helpers.intake.tables.load_tables`
collects, naming file, row and column.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..arrow import isin
from ..exceptions import Problem
from ..params import Params
from .files import _Raw, _unique_names
from .schema import SCHEMA


def _without_empty_columns(
    frame: pd.DataFrame, table: str, columns: dict[str, str], name: str, problems: list[Problem]
) -> pd.DataFrame:
    """``frame`` without its optional columns that hold no value at all, each named in a warning.

    An export often carries a column it never fills (a margin, an order
    number, an industry). Read as it is, an empty margin would make every
    margin zero; without it, the analysis works as on data that has no such
    column, and says what it would need.
    """
    required = set(SCHEMA[table][0])
    empty = [
        c for c in frame.columns if c not in required and c != "revenue" and len(frame) and not frame[c].notna().any()
    ]
    for canonical in empty:
        source = columns.get(canonical, canonical)
        problems.append(
            Problem(
                name,
                f"column '{source}' ({canonical}) holds no value in any row; the analysis runs as on data without it",
                column=source,
                severity="warning",
            )
        )
    return frame.drop(columns=empty) if empty else frame


def _check_merged(raw: _Raw, columns: dict[str, str], name: str, problems: list[Problem]) -> None:
    """Merged cells in the data rows of the columns read: only their first row holds the value."""
    if not raw.merged:
        return
    used = {source for source in columns.values()}
    names = _unique_names(raw.header)
    for ref, first_row, last_row, first_col, last_col in raw.merged:
        if last_row <= raw.header_row:
            continue
        hit = [names[c - 1] for c in range(first_col, last_col + 1) if c - 1 < len(names) and names[c - 1] in used]
        if hit:
            row = max(first_row, raw.header_row + 1)
            problems.append(
                Problem(
                    name,
                    f"cells {ref} are merged, so only their first cell holds a value; "
                    "unmerge them and fill in every row",
                    row=row,
                    column=hit[0],
                )
            )


def _check_customers(
    customers: pd.DataFrame, rows: np.ndarray, name: str, problems: list[Problem], warnings: list[Problem]
) -> pd.DataFrame:
    """Duplicate ids: identical rows are a warning (one kept), conflicting rows an error."""
    dup = customers["customer_id"].duplicated(keep=False) & customers["customer_id"].notna()
    if not dup.any():
        return customers
    groups = customers[dup].groupby("customer_id", sort=True)
    for cid, group in groups:
        lines = ", ".join(str(r) for r in rows[group.index.to_numpy()][:5])
        if len(group.drop_duplicates()) > 1:
            differs = [c for c in group.columns if group[c].astype(str).nunique() > 1]
            problems.append(
                Problem(
                    name,
                    f"customer id {cid!r} appears in rows {lines} with different "
                    f"{', '.join(differs)}; each customer must appear once",
                    row=int(rows[group.index[1]]),
                    column="customer_id",
                )
            )
        else:
            warnings.append(
                Problem(
                    name,
                    f"customer id {cid!r} appears in rows {lines} with identical values; kept once",
                    row=int(rows[group.index[1]]),
                    column="customer_id",
                    severity="warning",
                )
            )
    return customers.drop_duplicates("customer_id", keep="first").reset_index(drop=True)


def _unknown(frame: pd.DataFrame, rows: np.ndarray, known: pd.Series, name: str, what: str) -> Problem | None:
    unknown = ~isin(frame["customer_id"], known) & frame["customer_id"].notna().to_numpy()
    if not unknown.any():
        return None
    ids = pd.unique(frame.loc[unknown, "customer_id"])
    first = int(rows[np.flatnonzero(unknown)[0]])
    examples = ", ".join(repr(i) for i in ids[:5])
    return Problem(
        name,
        f"{int(unknown.sum()):,} {what} of {len(ids):,} customer id(s) that are not in the "
        f"customers file, for example {examples}",
        row=first,
        column="customer_id",
    )


def _late_orders(orders: pd.DataFrame, rows: np.ndarray, params: Params) -> tuple[Problem | None, np.ndarray]:
    """Invoice lines dated after the reference date the params set, or after today.

    Returns the finding and which lines to keep. With an explicit
    ``reference_date`` the analysis is as of that day: later lines (a newer
    export, an earlier date replayed, invoices dated ahead) are left out with
    a warning that counts them. Without one, the reference date is the last
    invoice date, so a line dated after today (a typo such as 2205) would move
    the whole analysis: that is an error, and setting ``reference_date``
    leaves such lines out instead.
    """
    explicit = params.reference_date is not None
    limit = pd.Timestamp(params.reference_date if explicit else dt.date.today())
    late = (orders["date"] > limit).to_numpy()
    if not late.any():
        return None, ~late
    first = int(rows[np.flatnonzero(late)[0]])
    latest = orders.loc[late, "date"].max()
    count = f"{int(late.sum()):,} invoice line(s) dated"
    column = _source_name(orders, "date")
    if explicit:
        return Problem(
            params.data.orders,
            f"{count} after the reference date {params.reference_date} (params key "
            f"reference_date), the first in this row, the latest {latest:%Y-%m-%d}; "
            "they are left out of the analysis",
            row=first,
            column=column,
            severity="warning",
        ), ~late
    return Problem(
        params.data.orders,
        f"{count} in the future (after today), the first in this row, the latest "
        f"{latest:%Y-%m-%d}; correct the dates, or set reference_date to leave "
        "later lines out",
        row=first,
        column=column,
    ), ~late


def _source_name(frame: pd.DataFrame, canonical: str) -> str:
    """The name a canonical column has in the file it was read from."""
    return frame.attrs.get("sources", {}).get(canonical, canonical)


def _leave_out_unknown(
    frame: pd.DataFrame, rows: np.ndarray, known: pd.Series, name: str, what: str, warnings: list[Problem]
) -> pd.DataFrame:
    """Rows of customers missing from the master: reported as a warning and left out."""
    found = _unknown(frame, rows, known, name, what)
    if not found:
        return frame
    warnings.append(
        Problem(
            found.file,
            found.message + "; they are left out of the analysis",
            row=found.row,
            column=found.column,
            severity="warning",
        )
    )
    return frame[isin(frame["customer_id"], known)].reset_index(drop=True)
