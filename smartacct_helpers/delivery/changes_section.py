"""The report's section "Since the last report": what changed, in words, tables and one chart of trends.

It reads a :class:`~smartacct_helpers.delivery.since_last_report.SinceLastReport`
and writes HTML for the report; without an earlier report it says that the
comparison starts with the next one.
"""

from __future__ import annotations

import base64
import html
import math

import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..presentation.charts import PALETTE, _figure, _style
from ..presentation.formatting import Numbers
from .since_last_report import HEADLINES, TRENDS, SinceLastReport

#: rows a list of customers shows in the report (the export files hold all)
LISTED = 15

FIRST_TIME = (
    "This section compares each report with the one before it: the key figures, the customers who changed "
    "class or segment, the early warnings and the key accounts. It starts with the next report of this client."
)


def _day(iso: str) -> str:
    day = pd.Timestamp(iso)
    return f"{day.day} {day:%b %Y}"


def _value(value, kind: str, fmt: Numbers) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "money":
        return fmt.money(value, decimals=0)
    if kind == "share":
        return fmt.share(value)
    if kind == "count":
        return fmt.count(value)
    return fmt.number(value, 4)


def _change(value, kind: str, fmt: Numbers) -> str:
    """A change with its sign; a share's change in percentage points; ±0 where it rounds to nothing."""
    if kind == "share":
        text = fmt.number(abs(value) * 100, 1) + " points"
    elif kind == "number":
        text = fmt.number(abs(value), 4)
    else:
        text = _value(abs(value), kind, fmt)
    if not any(ch in "123456789" for ch in text.split(" ")[0]):
        return "±" + text.replace("−", "")  # rounds to nothing: no change at this precision
    return ("+" if value > 0 else "−") + text


def _table(header: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    """A plain table; the columns before ``numeric_from`` hold text (left-aligned), the others numbers."""

    def cell(i: int, value) -> str:
        align = " class='text'" if i < numeric_from else ""
        return f"<td{align}>{html.escape(str(value))}</td>"

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table class='changes'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figures_html(since: SinceLastReport, reference_date: str, fmt: Numbers) -> str:
    rows = []
    for c in since.changes:
        label, kind = HEADLINES[c["figure"]]
        rows.append(
            [label, _value(c["previous"], kind, fmt), _value(c["value"], kind, fmt), _change(c["change"], kind, fmt)]
        )
    header = ["key figure", f"report of {_day(since.previous_reference_date)}", f"this report ({_day(reference_date)})"]
    return _table([*header, "change"], rows)


def _name(row) -> str:
    name = row.get("name")
    return str(name) if isinstance(name, str) and name.strip() else f"customer {row['customer_id']}"


def _classes_html(moves: pd.DataFrame | None, fmt: Numbers) -> str:
    if moves is None:
        return ""
    if moves.empty:
        return "<h3>Customers who changed class or segment</h3><p>None: every customer kept its class and segment.</p>"
    parts = []
    for column, word in (("abc", "ABC class"), ("segment", "segment")):
        if f"{column}_before" in moves:
            changed = moves[moves[column].astype(str) != moves[f"{column}_before"].astype(str)]
            if len(changed):
                pairs = changed.groupby([f"{column}_before", column]).size().sort_values(ascending=False)
                words = ", ".join(f"{a} → {b}: {fmt.count(n)}" for (a, b), n in pairs.head(4).items())
                words += ", ..." if len(pairs) > 4 else ""
                parts.append(f"{fmt.count(len(changed))} changed their {word} ({words})")
    rows = [
        [
            _name(r),
            f"{r.get('abc_before', '–')} → {r.get('abc', '–')}",
            f"{r.get('segment_before', '–')} → {r.get('segment', '–')}",
            _value(r.get("revenue_12m"), "money", fmt),
        ]
        for _, r in moves.head(LISTED).iterrows()
    ]
    listed = f"the {fmt.count(min(LISTED, len(moves)))} largest" if len(moves) > LISTED else "all of them"
    return (
        "<h3>Customers who changed class or segment</h3>"
        f"<p>{html.escape('; '.join(parts))}. Below {listed}; the export customer_segments lists every customer.</p>"
        + _table(["customer", "ABC class", "segment", f"revenue, last 12 months ({fmt.sign})"], rows, 3)
    )


def _warnings_html(warnings: dict[str, pd.DataFrame] | None, fmt: Numbers) -> str:
    if warnings is None:
        return ""
    n = {k: len(v) for k, v in warnings.items()}
    text = (
        f"{fmt.count(n['new'])} new, {fmt.count(n['still open'])} still open from the last report, "
        f"{fmt.count(n['resolved'])} resolved (the customer ordered again)"
    )
    if n["dropped"]:
        text += f", and {fmt.count(n['dropped'])} no longer on the list without a new order"
    out = f"<h3>Early warnings</h3><p>{html.escape(text)}.</p>"
    new = warnings["new"]
    if len(new):
        if "revenue_12m" in new:
            new = new.sort_values("revenue_12m", ascending=False, kind="stable")
        rows = [
            [_name(r), str(r.get("reason", "")), _value(r.get("revenue_12m"), "money", fmt)]
            for _, r in new.head(LISTED).iterrows()
        ]
        out += "<p>The new warnings of the largest customers:</p>" + _table(
            ["customer", "why", f"revenue, last 12 months ({fmt.sign})"], rows, 2
        )
    return out


def _key_accounts_html(moves: pd.DataFrame | None, fmt: Numbers) -> str:
    if moves is None:
        return ""
    if moves.empty:
        return (
            "<h3>Key accounts</h3><p>No key account's share of revenue moved by a point or more, none changed its "
            "scorecard class, and no operating profit moved by a fifth or more.</p>"
        )
    rows = []
    for _, r in moves.iterrows():
        rows.append(
            [
                _name(r),
                f"{_value(r.get('revenue_share_before'), 'share', fmt)} → {_value(r.get('revenue_share'), 'share', fmt)}",
                f"{r.get('class_before', '–')} → {r.get('class', '–')}",
                f"{_value(r.get('operating_profit_12m_before'), 'money', fmt)} → "
                f"{_value(r.get('operating_profit_12m'), 'money', fmt)}",
                r["what_moved"],
            ]
        )
    return (
        "<h3>Key accounts that moved</h3><p>A share of revenue that moved by a point or more, a new scorecard class, "
        "or an operating profit that moved by a fifth or more.</p>"
        + _table(
            [
                "key account",
                "share of revenue",
                "scorecard class",
                f"operating profit a year ({fmt.sign})",
                "what moved",
            ],
            rows,
            1,
        )
    )


def _kpis_html(since: SinceLastReport, targets: dict, fmt: Numbers) -> str:
    table = since.history
    kpis = [k for k in ("churn_rate_12m", "amortisation_month") if k in table and table[k].notna().any()]
    if not kpis:
        return ""
    header = ["report"] + [f"{HEADLINES[k][0]} (target: {_value(targets.get(k), HEADLINES[k][1], fmt)})" for k in kpis]
    rows = [[_day(day)] + [_value(row[k], HEADLINES[k][1], fmt) for k in kpis] for day, row in table.iterrows()]
    return "<h3>The year-one figures against their targets, report by report</h3>" + _table(header, rows, 1)


def trends_chart(history: pd.DataFrame, fmt: Numbers) -> bytes | None:
    """One small chart per :data:`TRENDS` figure over the kept reports (PNG); None below two reports."""
    shown = [k for k in TRENDS if k in history and history[k].notna().sum() >= 2]
    if len(history) < 2 or not shown:
        return None
    rows = math.ceil(len(shown) / 2)
    fig, axes = _figure(9, 2.6 * rows, ncols=2, squeeze=False)
    if rows > 1:  # _figure lays out one row; a second row of trends needs a grid
        fig.clf()
        axes = fig.subplots(rows, 2, squeeze=False)
    days = [pd.Timestamp(d) for d in history.index]
    for ax, key in zip(axes.flat, shown, strict=False):
        label, kind = HEADLINES[key]
        _style(ax)
        ax.plot(days, history[key], marker="o", color=PALETTE["figure"])
        top = float(history[key].max())
        ax.set_ylim(0, top * 1.15 if top > 0 else 1)  # from zero: a small move looks small
        ax.set_title(label, loc="left", fontsize=10, fontweight="bold")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_formatter(lambda v, _, kind=kind: _tick(v, kind, fmt))
        ax.set_xticks(days, [f"{d:%b %Y}" for d in days], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    fig.subplots_adjust(wspace=0.35, hspace=0.6, left=0.1, right=0.97, top=0.9, bottom=0.1)
    return fig._repr_png_()


def trends_alt(history: pd.DataFrame, fmt: Numbers) -> str:
    """The trends chart in words (its alt text): each figure from the first kept report to the last."""
    shown = [k for k in TRENDS if k in history and history[k].notna().sum() >= 2]
    days = [pd.Timestamp(d) for d in history.index]
    moves = []
    for key in shown:
        values = history[key].dropna()
        label, kind = HEADLINES[key]
        moves.append(f"{label} from {_tick(values.iloc[0], kind, fmt)} to {_tick(values.iloc[-1], kind, fmt)}")
    return (
        f"Line chart{'' if len(shown) == 1 else 's'} of {len(shown)} figure{'' if len(shown) == 1 else 's'} over the {len(days)} kept reports from {days[0]:%B %Y} to "
        f"{days[-1]:%B %Y}: " + "; ".join(moves) + "."
    )


def _tick(value: float, kind: str, fmt: Numbers) -> str:
    if kind == "money":
        return fmt.money(value, compact=True)
    return _value(value, kind, fmt)


def changes_html(since: SinceLastReport | None, reference_date: str, targets: dict, fmt: Numbers | None = None) -> str:
    """The section "Since the last report" (``id='since'``), or the sentence that it starts next time."""
    fmt = fmt or Numbers()
    head = "<h2 id='since'>Since the last report</h2>"
    if since is None:
        return head + f"<p>{html.escape(FIRST_TIME)}</p>"
    chart = trends_chart(since.history, fmt)
    picture = (
        f"<img alt='{html.escape(trends_alt(since.history, fmt), quote=True)}' "
        f"src='data:image/png;base64,{base64.b64encode(chart).decode('ascii')}'>"
        if chart
        else ""
    )
    return (
        head
        + f"<p>Compared with the report of {_day(since.previous_reference_date)}.</p>"
        + _figures_html(since, reference_date, fmt)
        + picture
        + _classes_html(since.class_moves, fmt)
        + _warnings_html(since.warnings, fmt)
        + _key_accounts_html(since.key_accounts, fmt)
        + _kpis_html(since, targets, fmt)
    )
