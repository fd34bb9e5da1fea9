"""What changed since the last report of the same client, read from the reports the folder keeps.

A monthly report answers the manager's first question, "what is new?", in
one section near its front. Everything comes from the kept reports'
``summary.json`` and export files; no old data is read again:

* :func:`figure_changes`: the headline figures side by side with the last
  report's, with the change (``summary.json``'s ``changes`` block);
* :func:`class_moves`: customers whose ABC class or segment changed
  (``exports/customer_segments.csv``);
* :func:`warning_moves`: early warnings that are new, still open, or
  resolved because the customer ordered again (``exports/early_warnings.csv``);
* :func:`key_account_moves`: key accounts whose share of revenue, scorecard
  class or operating profit moved beyond :data:`SHARE_MOVE` / :data:`PROFIT_MOVE`
  (``exports/key_accounts.csv``);
* :func:`history`: every kept report's headline figures, for the trends and
  the year-one KPIs against their targets.

Examples
--------
>>> before = {"customers_to_manage": 4320, "hhi": 0.0495, "client": "X"}
>>> now = {"customers_to_manage": 4301, "hhi": None, "client": "X"}
>>> figure_changes(before, now)[0]
{'figure': 'customers_to_manage', 'previous': 4320, 'value': 4301, 'change': -19}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: the figures compared with the last report: summary.json key -> what a reader calls it, and its kind
HEADLINES: dict[str, tuple[str, str]] = {
    "customers_total": ("customers", "count"),
    "revenue_12m": ("revenue, last 12 months", "money"),
    "customers_to_manage": ("customers to manage", "count"),
    "revenue_to_manage_12m": ("revenue of the customers to manage, last 12 months", "money"),
    "sales_threshold": ("sales threshold a year", "money"),
    "key_accounts": ("key accounts", "count"),
    "key_account_revenue_share": ("key accounts' share of revenue", "share"),
    "hhi": ("how concentrated revenue is (Herfindahl index, 0 to 1)", "number"),
    "early_warning_count": ("customers with an early warning", "count"),
    "churn_rate_12m": ("managed customers lost, last 12 months", "share"),
    "amortisation_month": ("month the inside-sales team paid for itself", "count"),
}

#: the headline figures drawn over every kept report
TRENDS = ("customers_to_manage", "revenue_to_manage_12m", "churn_rate_12m", "hhi")

#: a key account's share of revenue moved by at least this much (1 percentage point)
SHARE_MOVE = 0.01
#: a key account's operating profit moved by at least this share of its earlier value
PROFIT_MOVE = 0.20

SEGMENTS_FILE = "customer_segments.csv"
WARNINGS_FILE = "early_warnings.csv"
KEY_ACCOUNTS_FILE = "key_accounts.csv"

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class SinceLastReport:
    """What changed between the last kept report and this one (None where an input is missing)."""

    previous_reference_date: str
    changes: list[dict]
    class_moves: pd.DataFrame | None = None
    warnings: dict[str, pd.DataFrame] | None = None
    key_accounts: pd.DataFrame | None = None
    history: pd.DataFrame = field(default_factory=pd.DataFrame)


def kept_reports(client_dir: Path, before: str | None = None) -> list[Path]:
    """The client's dated report folders holding a ``summary.json``, oldest first (only those before ``before``)."""
    if not client_dir.is_dir():
        return []
    folders = sorted(p for p in client_dir.iterdir() if p.is_dir() and _DATED.fullmatch(p.name))
    return [p for p in folders if (p / "summary.json").is_file() and (before is None or p.name < before)]


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def figure_changes(previous: dict, current: dict) -> list[dict]:
    """The :data:`HEADLINES` held by both reports as numbers: figure, previous value, value and change.

    A figure missing or null in either report is left out; the change of a
    count is a whole number.
    """
    out = []
    for key in HEADLINES:
        before, now = previous.get(key), current.get(key)
        if _number(before) and _number(now):
            change = now - before
            out.append({"figure": key, "previous": before, "value": now, "change": round(change, 6)})
    return out


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / "exports" / name
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype={"customer_id": str}, encoding="utf-8-sig")


def class_moves(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Customers in both reports whose ABC class or segment changed, the largest (revenue now) first.

    >>> before = pd.DataFrame({"customer_id": ["1", "2", "3"], "abc": ["A", "C", "B"], "segment": ["field"] * 3})
    >>> now = pd.DataFrame({"customer_id": ["1", "2", "3"], "abc": ["B", "C", "B"], "segment": ["field", "develop", "field"],
    ...                     "revenue_12m": [900.0, 50.0, 400.0]})
    >>> class_moves(before, now)[["customer_id", "abc_before", "abc", "segment_before", "segment"]].values.tolist()
    [['1', 'A', 'B', 'field', 'field'], ['2', 'C', 'C', 'field', 'develop']]
    """
    keep = [c for c in ("abc", "segment") if c in previous and c in current]
    both = current.merge(previous[["customer_id", *keep]], on="customer_id", how="inner", suffixes=("", "_before"))
    moved = pd.Series(False, index=both.index)
    for column in keep:
        moved |= both[column].astype(str) != both[f"{column}_before"].astype(str)
    both = both[moved]
    if "revenue_12m" in both:
        both = both.sort_values("revenue_12m", ascending=False, kind="stable")
    return both.reset_index(drop=True)


def warning_moves(previous: pd.DataFrame, current: pd.DataFrame, last_orders: pd.Series | None, since: str):
    """Early warnings that are new, still open, or resolved since the last report.

    A warning of the last report that is gone today is *resolved* when the
    customer ordered after the last report's reference date ``since``
    (``last_orders``: customer id -> day of the last order); else it left
    the list for another reason (the customer no longer counts as buying)
    and is *dropped*.
    """
    before, now = set(previous["customer_id"]), set(current["customer_id"])
    gone = previous[~previous["customer_id"].isin(now)]
    if last_orders is not None:
        ordered = gone["customer_id"].map(last_orders).astype(str) > since
    else:
        ordered = pd.Series(False, index=gone.index)
    return {
        "new": current[~current["customer_id"].isin(before)].reset_index(drop=True),
        "still open": current[current["customer_id"].isin(before)].reset_index(drop=True),
        "resolved": gone[ordered.to_numpy()].reset_index(drop=True),
        "dropped": gone[~ordered.to_numpy()].reset_index(drop=True),
    }


def key_account_moves(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Key accounts of both reports whose share, scorecard class or operating profit moved beyond the thresholds.

    The share counts when it moved by :data:`SHARE_MOVE` or more, the
    operating profit when it moved by :data:`PROFIT_MOVE` of its earlier
    value or more. The column ``what_moved`` says which, in words.
    """
    columns = [c for c in ("revenue_share", "class", "operating_profit_12m") if c in previous and c in current]
    both = current.merge(previous[["customer_id", *columns]], on="customer_id", how="inner", suffixes=("", "_before"))
    reasons = pd.Series("", index=both.index)
    if "revenue_share" in columns:
        moved = (both["revenue_share"] - both["revenue_share_before"]).abs() >= SHARE_MOVE - 1e-12
        reasons[moved] += "share of revenue; "
    if "class" in columns:
        moved = both["class"].astype(str) != both["class_before"].astype(str)
        reasons[moved] += "scorecard class; "
    if "operating_profit_12m" in columns:
        base = both["operating_profit_12m_before"].abs()
        moved = (both["operating_profit_12m"] - both["operating_profit_12m_before"]).abs() >= PROFIT_MOVE * base
        reasons[moved & (base > 0)] += "operating profit; "
    both["what_moved"] = reasons.str.rstrip("; ")
    both = both[both["what_moved"] != ""]
    if "revenue_share" in both:
        both = both.sort_values("revenue_share", ascending=False, kind="stable")
    return both.reset_index(drop=True)


def history(folders: list[Path], current: dict) -> pd.DataFrame:
    """One row per kept report and this one (reference date as index), one column per headline figure."""
    rows = [_summary(folder) for folder in folders] + [current]
    table = pd.DataFrame(
        [{key: row.get(key) if _number(row.get(key)) else None for key in HEADLINES} for row in rows],
        index=pd.Index([row["reference_date"] for row in rows], name="reference_date"),
    )
    return table[~table.index.duplicated(keep="last")].astype(float)


#: the columns of ``exports/early_warnings.csv``, where the data has them
WARNING_COLUMNS = ["customer_id", "name", "reason", "revenue_12m", "last_order", "days_since_last_order"]


def early_warnings(workbook) -> pd.DataFrame:
    """Every customer with an early warning on the reference date, with the reason (``exports/early_warnings.csv``).

    The report keeps the whole list (the call lists hold only the most
    urgent per rep), so that the next report can tell new warnings from
    open and resolved ones.
    """
    from ..early_warning.worklists import warnings_today

    warned = warnings_today(workbook, with_bgnbd=False)
    return warned[[c for c in WARNING_COLUMNS if c in warned]]


def previous_report(client_dir: Path, reference_date: str) -> Path | None:
    """The newest kept report before ``reference_date`` (None when there is none)."""
    earlier = kept_reports(client_dir, before=reference_date)
    return earlier[-1] if earlier else None


def since_last_report(client_dir: Path, figures: dict, exports: Path | None = None) -> SinceLastReport | None:
    """What changed since the newest kept report before this one; None when there is none.

    Parameters
    ----------
    client_dir : path
        The client's reports folder (``OUT/<client-slug>``).
    figures : dict
        This report's key figures (summary.json).
    exports : path, optional
        This report's export folder; without it only the figures are compared.
    """
    folders = kept_reports(client_dir, before=figures["reference_date"])
    if not folders:
        return None
    last = folders[-1]
    previous = _summary(last)
    result = SinceLastReport(
        previous_reference_date=previous["reference_date"],
        changes=figure_changes(previous, figures),
        history=history(folders, figures),
    )
    if exports is None:
        return result
    now = exports.parent
    segments = (_read(last, SEGMENTS_FILE), _read(now, SEGMENTS_FILE))
    if all(s is not None for s in segments):
        result.class_moves = class_moves(*segments)
    warned = (_read(last, WARNINGS_FILE), _read(now, WARNINGS_FILE))
    if all(w is not None for w in warned):
        current_segments = segments[1]
        last_orders = (
            current_segments.set_index("customer_id")["last_order"]
            if current_segments is not None and "last_order" in current_segments
            else None
        )
        result.warnings = warning_moves(*warned, last_orders, previous["reference_date"])
    accounts = (_read(last, KEY_ACCOUNTS_FILE), _read(now, KEY_ACCOUNTS_FILE))
    if all(a is not None for a in accounts):
        result.key_accounts = key_account_moves(*accounts)
    return result
