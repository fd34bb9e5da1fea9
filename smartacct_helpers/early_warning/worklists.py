"""Today's warnings and this week's call lists: the flagged customers, highest risk first, per inside rep.

Scored on the reference date (:mod:`smartacct_helpers.early_warning.rhythm`),
with the BG/NBD probability that each is still buying beside the risk score.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..facts.coverage import first_order_date
from .rhythm import _alive, _bgnbd_of, _with_reasons, buying_rhythm, flag_customers, year_before_held

WORKLIST_COLUMNS = ["customer_id", "name", "industry", "region", "outside_rep", "risk_score", "probability_alive", "reason",
                    "last_order", "usual_interval_days", "days_since_last_order", "revenue_12m", "revenue_prev_12m"]


def flags_today(workbook) -> pd.DataFrame:
    """:func:`flag_customers` on the reference date, from the buying rhythm the workbook remembers.

    The rules on fewer orders and less revenue count where the data holds
    the 12 months before the last 12 (:func:`year_before_held`).
    """
    held = year_before_held(first_order_date(workbook), workbook.reference_date)
    return flag_customers(buying_rhythm(workbook), workbook.assumptions, held)


def scores_today(workbook) -> pd.DataFrame:
    """:func:`risk_scores` on the reference date, from the buying rhythm the workbook remembers.

    The notebook's table, its slider and the worklists then read the
    invoice lines once between them.
    """
    return _with_reasons(flags_today(workbook), workbook.params.currency)


def warnings_today(workbook, with_bgnbd: bool = True) -> pd.DataFrame:
    """The flagged customers on the reference date with their master data.

    With ``with_bgnbd`` the BG/NBD ``probability_alive`` is added and the
    customers are sorted by it, lowest first (it ranked better than the
    rhythm score in the backtest on the sample); else by the risk score.
    Remembered by the workbook (per value of the assumptions), so that the
    notebook's call lists and their file fit the model once.
    """
    def compute(a):
        a.model_dump()   # scores, master data and fit: remembered per value of every assumption
        return _warnings_today(workbook, with_bgnbd)

    return workbook.remembered(f"warnings_today {with_bgnbd}", compute, workbook.assumptions)


def _warnings_today(workbook, with_bgnbd: bool) -> pd.DataFrame:
    day = workbook.reference_date
    r = buying_rhythm(workbook)
    s = scores_today(workbook)
    s = s[s["flagged"]]
    if with_bgnbd and len(s):
        inputs = _bgnbd_of(r, day)
        s = s.assign(probability_alive=_alive(inputs).reindex(s.index).round(3))
        s = s.sort_values(["probability_alive", "risk_score"], ascending=[True, False], kind="stable")
    s = s.reset_index()
    master = workbook.tables.customers
    keep = [c for c in ["customer_id", "name", "industry", "region", "outside_rep", "inside_rep"] if c in master]
    return s.merge(master[keep], on="customer_id", how="left")


def todays_worklists(workbook) -> dict[str, pd.DataFrame]:
    """This week's call lists: :func:`worklists` of :func:`warnings_today` at the params' ``worklist_size``."""
    return worklists(warnings_today(workbook), workbook.assumptions.worklist_size)


def export_worklists(workbook, out_dir: str | Path) -> tuple[Path, dict[str, pd.DataFrame]]:
    """Write this week's call lists (:func:`todays_worklists`) into ``out_dir``; the file and the lists."""
    lists = todays_worklists(workbook)
    return write_worklists(lists, out_dir), lists


def worklists(warnings: pd.DataFrame, size: int = 25) -> dict[str, pd.DataFrame]:
    """The first ``size`` flagged customers per inside rep, in the order given; without one on ``unassigned``.

    >>> w = pd.DataFrame({"customer_id": ["1", "2", "3"], "inside_rep": ["Ann", None, "Ann"],
    ...                   "risk_score": [70.0, 40.0, 50.0], "reason": ["a", "b", "c"]})
    >>> {k: v["customer_id"].tolist() for k, v in worklists(w, 5).items()}
    {'Ann': ['1', '3'], 'unassigned': ['2']}
    """
    rep = warnings["inside_rep"] if "inside_rep" in warnings else pd.Series(None, index=warnings.index, dtype=object)
    rep = rep.astype(object).where(rep.notna(), "unassigned")
    cols = [c for c in WORKLIST_COLUMNS if c in warnings]
    out = {}
    for name in sorted(set(rep) - {"unassigned"}) + (["unassigned"] if (rep == "unassigned").any() else []):
        part = warnings[rep == name]
        out[str(name)] = part[cols].head(size).reset_index(drop=True)
    return out


def write_worklists(lists: dict[str, pd.DataFrame], out_dir: str | Path, name: str = "early_warning_worklist") -> Path:
    """Write this week's call lists (:func:`worklists`), one sheet per inside rep, as ``name.xlsx`` into ``out_dir``.

    Without a flagged customer the file holds an empty sheet ``unassigned``.
    """
    from ..delivery.exports import write_xlsx

    if not lists:
        lists = {"unassigned": pd.DataFrame(columns=WORKLIST_COLUMNS)}
    return write_xlsx(lists, Path(out_dir) / f"{name}.xlsx")


def early_warning_count(workbook) -> int:
    """Customers who bought in the 12 months up to the reference date and carry a warning flag on it."""
    return int(flags_today(workbook)["flagged"].sum())
