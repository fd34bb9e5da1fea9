"""The files each notebook writes for the client: its tables as CSV and Excel, and the sentence naming them.

Writing is delivery's: the analyses return tables and the views show them;
these functions choose the columns a client works with (the export
schemas), write the files atomically (:mod:`smartacct_helpers.delivery.exports`)
and say what was written. Each notebook's last cell calls one of them with
the notebook's ``export_dir``:

* 01 :func:`export_customer_segments`, 02 :func:`export_field_visit_economics`,
  03 :func:`export_customer_potential`;
* 04 :func:`write_inside_sales_exports` (the reps' worklists and the channel
  conflicts), 05 :func:`write_key_account_exports`;
* 06 :func:`export_lever_tables`, 07 :func:`write_call_lists`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from ..early_warning.worklists import WORKLIST_COLUMNS, todays_worklists
from ..facts.concepts import has_values
from ..field_visits.analysis import customers_by_distance
from ..inside_sales.assignment import worklists as rep_worklists
from ..inside_sales.assignment import workload
from ..inside_sales.views import _reps, assigned_of, business_case_of, conflicts_of, has_channels
from ..key_accounts.analysis import analysis_of, worst_case
from ..key_accounts.practice import BINDING_STRATEGIES, BOTH_SIDES_COLUMNS
from ..key_accounts.views import barriers_of, checklist_of, mutual_of, portfolio_of, value_analysis_of
from ..levers.analysis import lever_table, smart_account_list
from ..levers.views import _trend_needs, _without_orders
from ..presentation.blocks import written
from ..review.views import _customers
from ..small_customers.analysis import C_GROUPS, classify
from .exports import export_table as _export_table
from .exports import sheet_title, write_csv, write_xlsx


def _money_of(workbook) -> tuple[str, str]:
    """The client's currency and number format: what its Excel files are written in."""
    return workbook.params.currency, workbook.params.number_format


#: the master's columns that say whom to call; a worklist carries those the master fills
CONTACT_COLUMNS = ["contact_person", "phone", "email"]


def with_contacts(frame: pd.DataFrame, master: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with the customer master's contact person, phone and e-mail after the customer's name, where the
    master has them (a column the master leaves empty is left out).

    >>> master = pd.DataFrame({"customer_id": ["1", "2"], "phone": ["+49 30 1234567", None], "email": [None, None]})
    >>> with_contacts(pd.DataFrame({"customer_id": ["2", "1"], "name": ["B", "A"], "risk": [9, 5]}), master).to_dict("list")
    {'customer_id': ['2', '1'], 'name': ['B', 'A'], 'phone': [None, '+49 30 1234567'], 'risk': [9, 5]}
    """
    if master is None or "customer_id" not in frame or "customer_id" not in master:
        return frame
    have = [c for c in CONTACT_COLUMNS if c in master and c not in frame and has_values(master, c)]
    if not have:
        return frame
    contacts = master[["customer_id", *have]].drop_duplicates("customer_id")
    contacts = contacts.set_index(contacts["customer_id"].astype(str))[have]
    found = contacts.reindex(frame["customer_id"].astype(str).to_numpy())
    after = list(frame.columns).index("name") + 1 if "name" in frame else 1
    out = frame.iloc[:, :after].copy()
    for column in have:
        values = found[column].to_numpy(dtype=object)
        out[column] = pd.Series([None if pd.isna(v) else v for v in values], index=out.index, dtype=object)
    for column in frame.columns[after:]:
        out[column] = frame[column]
    return out


def _natural(name: str) -> list:
    """A name's sort key with its numbers as numbers.

    >>> sorted(["Innendienst 10", "Innendienst 2", "Ann"], key=_natural)
    ['Ann', 'Innendienst 2', 'Innendienst 10']
    """
    import re

    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(name))]


def export_table(df: pd.DataFrame, export_dir, name: str, workbook) -> list[Path]:
    """``name.csv`` and the client's ``name.xlsx`` (headers in words, the client's currency and number formats)."""
    return _export_table(df, export_dir, name, *_money_of(workbook))


#: the columns of notebook 01's customer list, where the data has them
SEGMENT_EXPORT_COLUMNS = [
    "customer_id",
    "name",
    "industry",
    "region",
    "outside_rep",
    "revenue_12m",
    "contribution_margin_12m",
    "orders_12m",
    "last_order",
    "last_field_visit",
    "visits_12m",
    "abc",
    "abc_margin",
    "segment",
    "potential",
    "potential_method",
    "share_of_wallet",
    "gap",
    *C_GROUPS,
    "cost_to_serve_12m",
    "operating_profit_12m",
    "revenue_trend",
    "smart_account",
]


def export_customer_segments(workbook, export_dir) -> list:
    """Write every customer with its classes, segment, potential, groups and flags (``customer_segments``)."""
    df = classify(workbook)
    return written(
        export_table(df[[c for c in SEGMENT_EXPORT_COLUMNS if c in df]], export_dir, "customer_segments", workbook)
    )


#: the columns of notebook 02's customer list, where the data has them
FIELD_VISIT_EXPORT_COLUMNS = [
    "customer_id",
    "name",
    "industry",
    "region",
    "outside_rep",
    "abc",
    "revenue_12m",
    "visits_12m",
    "distance_km",
    "visit_cost_distance",
    "sales_threshold_distance",
    "below_threshold",
    "below_threshold_distance",
]


def export_field_visit_economics(workbook, export_dir) -> list:
    """Write every customer with revenue, visits, distance and its own visit cost and threshold."""
    df = classify(workbook)
    by_distance = customers_by_distance(df, workbook.assumptions)
    columns = [c for c in FIELD_VISIT_EXPORT_COLUMNS if c in by_distance]
    if not has_values(df, "distance_km"):  # without distances every customer has the flat cost: no columns of it
        columns = [c for c in columns if not c.endswith("_distance")]
    return written(export_table(by_distance[columns], export_dir, "field_visit_economics", workbook))


#: the columns of notebook 03's customer list, where the data has them
POTENTIAL_EXPORT_COLUMNS = [
    "customer_id",
    "name",
    "industry",
    "region",
    "employees",
    "segment",
    "revenue_12m",
    "contribution_margin_12m",
    "potential_industry",
    "potential_history",
    "potential",
    "potential_method",
    "share_of_wallet",
    "gap",
]


def export_customer_potential(workbook, export_dir) -> list:
    """Write every customer with both potential estimates, the method used, share of wallet and gap."""
    df = classify(workbook)
    return written(
        export_table(df[[c for c in POTENTIAL_EXPORT_COLUMNS if c in df]], export_dir, "customer_potential", workbook)
    )


#: the file names of notebook 04's exports
WORKLISTS_FILE = "inside_sales_worklists.xlsx"
CONFLICTS_NAME = "channel_conflicts"


def write_inside_sales_exports(workbook, export_dir: str | Path) -> list:
    """Write the worklists (an overview and one sheet per inside rep) and the channel conflicts; say what was written.

    The channel conflicts are written where the orders give channels;
    nothing is written without customers to manage.
    """
    style = workbook.params.number_format
    case = business_case_of(workbook)
    if case.inputs.customers == 0:
        return [Markdown("Nothing to write: no customer is to manage.")]
    a = workbook.assumptions
    assigned = assigned_of(workbook)
    paths = [
        write_assignment_worklists(
            assigned,
            Path(export_dir) / WORKLISTS_FILE,
            a.assignment_tolerance,
            *_money_of(workbook),
            workbook.tables.customers,
        )
    ]
    if has_channels(workbook):
        paths += export_table(conflicts_of(workbook), export_dir, CONFLICTS_NAME, workbook)
    reps = assigned["assigned_inside_rep"].nunique()
    return [
        Markdown(
            "Written: "
            + ", ".join(f"`{p.name}`" for p in paths)
            + " (the worklists hold an overview sheet and one sheet per inside rep: "
            f"{_reps(reps, style=style)})."
        )
    ]


def write_assignment_worklists(
    assigned: pd.DataFrame,
    path: str | Path,
    tolerance: float = 0.05,
    currency: str | None = None,
    style: str = "en",
    master: pd.DataFrame | None = None,
) -> Path:
    """An Excel file with an ``overview`` sheet and one sheet per inside rep (atomically written); with
    ``currency``, the client's (see :func:`~smartacct_helpers.delivery.exports.write_xlsx`); with the customer
    ``master``, each customer's contact (:func:`with_contacts`)."""
    sheets = {"overview": workload(assigned, tolerance).reset_index()}
    lists = rep_worklists(assigned)
    for rep in sorted(lists, key=_natural):  # Innendienst 2 before Innendienst 10
        sheets[rep] = with_contacts(lists[rep], master)
    return write_xlsx(sheets, path, currency, style)


#: the key-account practice's tables: the file each is written to -> its sheet in ``key_accounts.xlsx``
PRACTICE_SHEETS = {
    "key_account_strategies": "Strategies",
    "key_account_exit_barriers": "Exit barriers",
    "key_account_scorecard_both_sides": "Scorecard from both sides",
}


def key_account_practice_tables(workbook, analysis) -> dict[str, pd.DataFrame]:
    """The key-account practice's tables for the client, each only where its inputs exist.

    * ``key_account_strategies``: the seven strategies per key account, where
      the assessments rate any of them;
    * ``key_account_exit_barriers``: the five exit barriers per key account,
      where more than the relationship's length can be judged (the orders give
      product groups, or the assessments rate the strategies);
    * ``key_account_scorecard_both_sides``: both sides of the scorecard, where
      the assessments rate the supplier's own side.

    Returns
    -------
    dict
        File name (:data:`PRACTICE_SHEETS`) -> table, in that order; empty
        for orders alone.
    """
    tables = {}
    checklist = checklist_of(workbook, analysis)
    if checklist is not None:
        tables["key_account_strategies"] = checklist
    barriers = barriers_of(workbook, analysis)
    if barriers[["broad_range", *BINDING_STRATEGIES]].notna().any().any():
        tables["key_account_exit_barriers"] = barriers
    mutual = mutual_of(workbook, analysis)
    if not mutual.empty:
        tables["key_account_scorecard_both_sides"] = mutual[BOTH_SIDES_COLUMNS]
    return tables


def write_key_account_exports(workbook, export_dir: str | Path, freq: str | None = None) -> list:
    """Write the key accounts, their practice, their value analysis, the worst case and the portfolio map; say
    what was written.

    The value analysis per quarter or month as ``freq`` (``"Q"`` or ``"M"``) or, without it, the params'
    ``value_analysis_frequency`` say.

    The tables of the key accounts are written where there are candidates;
    the portfolio map always. ``key_accounts.xlsx`` holds the key accounts
    and, where their inputs exist (:func:`key_account_practice_tables`), the
    seven strategies, the exit barriers and the scorecard from both sides as
    further sheets; each of these is a CSV file too.
    """
    an = analysis_of(workbook)
    paths, sheets = [], []
    if not an.key_accounts.empty:
        value = value_analysis_of(workbook, freq)
        practice = key_account_practice_tables(workbook, an)
        book = {sheet_title("key_accounts"): an.key_accounts}
        book.update({PRACTICE_SHEETS[name]: df for name, df in practice.items()})
        out = Path(export_dir)
        paths += [write_csv(an.key_accounts, out / "key_accounts.csv")]
        paths += [write_xlsx(book, out / "key_accounts.xlsx", *_money_of(workbook))]
        paths += [write_csv(df, out / f"{name}.csv") for name, df in practice.items()]
        sheets = list(book) if practice else []
        paths += export_table(
            value.assign(period=value["period"].astype(str)), export_dir, "key_account_value_analysis", workbook
        )
        paths += export_table(worst_case(workbook, an).reset_index(), export_dir, "key_account_worst_case", workbook)
    paths += export_table(portfolio_of(workbook), export_dir, "portfolio_map", workbook)
    text = "Written: " + ", ".join(f"`{p.name}`" for p in paths)
    if sheets:
        text += f" (`key_accounts.xlsx` holds the sheets {', '.join(sheets[:-1])} and {sheets[-1]})"
    return [Markdown(text + ("." if sheets else ""))]


def export_lever_tables(workbook, out_dir: str | Path) -> list:
    """Write the smart accounts and the lever what-ifs (CSV and Excel) into ``out_dir``; what to show of it.

    The smart accounts only where the data shows growth (see :func:`smart_accounts`).
    """
    paths = []
    if _trend_needs(workbook) is None:
        paths += export_table(
            smart_account_list(classify(workbook), workbook.assumptions), out_dir, "smart_accounts", workbook
        )
    if _without_orders(workbook) is None:
        paths += export_table(lever_table(workbook).reset_index(), out_dir, "lever_what_ifs", workbook)
    if not paths:
        return [Markdown("Nothing to write: the data holds no smart accounts and no orders of the last 12 months.")]
    return [Markdown("Written: " + ", ".join(f"`{p.name}`" for p in paths))]


def write_call_lists(workbook, out_dir: str | Path) -> list:
    """Write this week's call lists (one sheet per inside rep) into ``out_dir``; what to show of it."""
    path, lists = export_worklists(workbook, out_dir)
    counts = ", ".join(f"{rep}: {_customers(len(part))}" for rep, part in lists.items())
    return [
        Markdown(
            f"Written: `{path.name}` with {counts}."
            if counts
            else f"Written: `{path.name}` (no customer carries a warning today)."
        )
    ]


def export_worklists(workbook, out_dir: str | Path) -> tuple[Path, dict[str, pd.DataFrame]]:
    """Write this week's call lists (:func:`todays_worklists`) into ``out_dir``; the file and the lists."""
    master = workbook.tables.customers
    lists = {rep: with_contacts(part, master) for rep, part in todays_worklists(workbook).items()}
    return write_worklists(
        lists, out_dir, currency=workbook.params.currency, style=workbook.params.number_format
    ), lists


def write_worklists(
    lists: dict[str, pd.DataFrame],
    out_dir: str | Path,
    name: str = "early_warning_worklist",
    currency: str | None = None,
    style: str = "en",
) -> Path:
    """Write this week's call lists, one sheet per inside rep, as ``name.xlsx`` into ``out_dir``; with
    ``currency``, the client's (see :func:`~smartacct_helpers.delivery.exports.write_xlsx`).

    The lists are :func:`~smartacct_helpers.early_warning.worklists.worklists`.

    Without a flagged customer the file holds an empty sheet ``unassigned``.
    """
    if not lists:
        lists = {"unassigned": pd.DataFrame(columns=WORKLIST_COLUMNS)}
    return write_xlsx(lists, Path(out_dir) / f"{name}.xlsx", currency, style)
