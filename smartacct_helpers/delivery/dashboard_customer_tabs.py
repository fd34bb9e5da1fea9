"""The dashboard's last three tabs: the key accounts at risk, whom to call this week, and whether it worked."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

from ..presentation.formatting import Numbers
from ..presentation.sections import Needs
from . import dashboard_answers as answers
from . import dashboard_charts as charts
from .dashboard_blocks import Card, _b, _known, _lead, _q, _row, cards_html, needs_html, signed, table_html

# -- 3. key accounts -------------------------------------------------------------------------------------------


def key_accounts_html(answer, fmt: Numbers) -> str:
    """The third tab: the key accounts at risk, named, largest loss first.

    Long on purpose: one tab's HTML, written top to bottom in the order the tab shows it.
    """
    question = _q("Which key accounts are at risk?")
    if isinstance(answer, Needs):
        return question + needs_html(answer, "key")
    risk, conc = answer.at_risk, answer.concentration
    n = len(risk)
    share_at_risk = float(risk["revenue_share"].sum()) if n else 0.0
    lost = answer.loss_all
    hhi = conc["hhi"]
    words = answers.concentration_words(hhi)
    equal = conc.get("equivalent_customers")
    conc_note = words + (
        f": revenue is spread as if over {fmt.count(round(equal))} customers of equal size" if _known(equal) else ""
    )
    if n:
        lead = (
            f"{_b(fmt.count(n))} of the {fmt.count(answer.key_accounts)} key accounts show a warning sign; they bring "
            f"{_b(fmt.share(share_at_risk))} of revenue. Losing all of them would cost {_b(fmt.money(lost['margin_lost'], decimals=0))} "
            "of contribution margin a year"
        )
        uncovered = lost.get("fixed_costs_not_covered")
        lead += (
            f", and the remaining margin would no longer cover the fixed costs by "
            f"{_b(fmt.money(uncovered, decimals=0))}."
            if _known(uncovered) and uncovered > 0
            else "."
        )
    else:
        lead = f"None of the {fmt.count(answer.key_accounts)} key accounts shows a warning sign today."
    cards = [
        Card(
            "key accounts",
            fmt.count(answer.key_accounts),
            f"{fmt.share(answer.key_account_share)} of revenue",
            "key_accounts",
        ),
        Card("at risk", fmt.count(n), f"{fmt.share(share_at_risk)} of revenue", "at_risk", warn=n > 0),
        Card(
            "margin at stake",
            fmt.money(lost["margin_lost"], decimals=0),
            "a year, if every key account at risk were lost",
            "margin_at_stake",
        ),
        Card(
            "largest customer",
            fmt.share(conc["top1_share"]),
            f"of revenue; the ten largest {fmt.share(conc['top10_share'])}",
            "top1",
        ),
        Card("how concentrated", fmt.number(hhi, 3), conc_note, "concentration"),
    ]
    out = question + _lead(lead) + cards_html(cards)
    if n:
        shown = risk.assign(reasons=risk["reasons"].map("; ".join)).rename(columns={"trend": "growth"})
        columns = ["name", "revenue_share", "growth", "class", "reasons", "margin_lost", "margin_lost_share"]
        out += table_html(shown[columns], fmt, "at_risk_table")
    notes = [
        (
            "A key account is at risk when its buying rhythm broke off (the early warning), its revenue falls by "
            f"{fmt.share(answers.FALLING_TREND, 0)} a year or more, or the customer master records high competitor "
            "activity."
        )
    ]
    if not answer.trend_known:
        notes.append("The data does not reach back far enough for a revenue trend, so no trend counts.")
    if not answer.competition_known:
        notes.append(
            "The customer master gives no competitor activity (column competitor_activity), so that sign is "
            "not checked."
        )
    if not answer.margin_known:
        notes.append("The orders carry no contribution margin, so the margin takes the margin rate of the params file.")
    return out + "".join(f"<p class='sa-note'>{html.escape(t)}</p>" for t in notes)


# -- 4. calls --------------------------------------------------------------------------------------------------

ALL_REPS = "everyone"

REP_WORDS = {"inside_rep": "inside rep", "outside_rep": "outside rep"}


def rep_options(calls: answers.Calls, fmt: Numbers | None = None) -> list[tuple[str, str]]:
    """The choices of the rep filter: ``(label, value)``, everyone first."""
    fmt = fmt or Numbers()
    total = sum(len(v) for v in calls.lists.values())
    who = REP_WORDS.get(calls.rep_column or "", "rep")
    out = [(f"every {who} ({fmt.count(total)})", ALL_REPS)]
    for rep, frame in calls.lists.items():
        name = f"no {who} named" if rep == answers.UNASSIGNED else rep
        out.append((f"{name} ({fmt.count(len(frame))})", rep))
    return out


def _call_frame(frame: pd.DataFrame, rep_column: str | None, rep_name) -> pd.DataFrame:
    """A call list as the page shows it: customer, rep, reason, last order, revenue, chance still buying.

    ``rep_name(row)`` names the row's rep in ``rep_column`` (``inside_rep`` or ``outside_rep``; None: the
    data names no rep, and the column is left out).
    """
    rows = [
        {
            "name": _name(r),
            rep_column or "rep": rep_name(r),
            "reason": r.reason,
            "last_order": getattr(r, "last_order", None),
            "revenue_12m": getattr(r, "revenue_12m", float("nan")),
            "probability_alive": getattr(r, "probability_alive", float("nan")),
        }
        for r in frame.itertuples(index=False)
    ]
    columns = ["name", rep_column or "rep", "reason", "last_order", "revenue_12m", "probability_alive"]
    out = pd.DataFrame(rows, columns=columns)
    return out if rep_column else out.drop(columns="rep")


def most_urgent(calls: answers.Calls) -> pd.DataFrame:
    """The most urgent calls of all lists together (as many as one list holds), with the list's rep in ``rep``.

    The lists' own order: the lowest chance of still buying first, then the
    highest risk score.
    """
    frames = [frame.assign(rep=rep) for rep, frame in calls.lists.items() if len(frame)]
    if not frames:
        return pd.DataFrame(columns=["rep"])
    every = pd.concat(frames, ignore_index=True)
    keys = [c for c in ("probability_alive", "risk_score") if c in every]
    if keys:
        every = every.sort_values(keys, ascending=[True, False][: len(keys)], kind="stable")
    return every.head(calls.size)


def calls_html(calls: answers.Calls, rep: str, fmt: Numbers) -> str:
    """The fourth tab for one rep's list, or for every list (a line per rep and the most urgent calls of all)."""
    question = _q("Whom do we call this week?")
    if not calls.warned:
        return question + _lead("No customer who bought in the last 12 months shows a warning today.")
    on_lists = sum(len(v) for v in calls.lists.values())
    who = REP_WORDS.get(calls.rep_column or "", "rep")

    def rep_name(name: str) -> str:
        return f"no {who} named" if name == answers.UNASSIGNED else name

    lead = (
        f"{_b(fmt.count(calls.warned))} customers who bought in the last 12 months show a warning today: they "
        "stopped ordering at their usual rhythm, or order less than the year before. This week's lists hold the "
        f"{fmt.count(calls.size)} most urgent per {who}, those least likely to still be buying first."
    )
    rep_column = calls.rep_column
    if rep == ALL_REPS:
        shown = on_lists
        overview = pd.DataFrame(
            [
                {
                    rep_column or "inside_rep": rep_name(name),
                    "calls": len(frame),
                    "revenue_12m": float(frame["revenue_12m"].sum()) if "revenue_12m" in frame else float("nan"),
                    "first_call": _name(next(frame.itertuples(index=False))) if len(frame) else None,
                }
                for name, frame in calls.lists.items()
            ],
            columns=[rep_column or "inside_rep", "calls", "revenue_12m", "first_call"],
        )
        listed = most_urgent(calls)
        rows = _call_frame(listed, rep_column, lambda r: rep_name(r.rep))
        tables = table_html(rows, fmt, "calls_table")
        if len(calls.lists) > 1:
            tables = (
                f"<div class='sa-h'>This week's list of each {who}</div>"
                + table_html(overview, fmt, "lists_table")
                + f"<div class='sa-h'>The {fmt.count(len(rows))} most urgent calls of all lists</div>"
                + tables
            )
        label = f"every {who}"
    else:
        frame = calls.lists.get(rep, pd.DataFrame())
        listed = frame
        rows = _call_frame(frame, rep_column, lambda r: rep_name(rep))
        shown = len(rows)
        tables = table_html(rows, fmt, "calls_table")
        label = rep_name(rep)
    cards = [
        Card("customers with a warning", fmt.count(calls.warned), "bought in the last 12 months", "warned", warn=True),
        Card("on this week's lists", fmt.count(on_lists), f"at most {fmt.count(calls.size)} per {who}", "on_lists"),
        Card("calls on this list", fmt.count(shown), label, "calls"),
    ]
    notes = [
        (
            "The chance still buying comes from each customer's own pattern of orders: how often it bought, and "
            "how long ago it last did."
        )
    ]
    from ..early_warning.worklists import chance_note

    near_zero = chance_note(listed, fmt)
    if near_zero:
        notes.append(near_zero)
    if calls.rep_column is None:
        notes.append(
            "The customer master names no inside or outside rep (columns inside_rep and outside_rep), so there "
            "is one list for everyone."
        )
    if calls.rules_limit:
        notes.append(calls.rules_limit[0].upper() + calls.rules_limit[1:] + "; only a broken rhythm warns.")
    return (
        question
        + _lead(lead)
        + cards_html(cards)
        + tables
        + "".join(f"<p class='sa-note'>{html.escape(t)}</p>" for t in notes)
    )


def _name(row) -> str:
    name = getattr(row, "name", None)
    return name if isinstance(name, str) and name.strip() else str(row.customer_id)


# -- 5. did it work? -------------------------------------------------------------------------------------------

#: the review's groups as the table names them
GROUP_WORDS = {
    "managed": "managed customers",
    "other small": "other small customers",
    "all customers": "all customers",
}


def review_html(answer, fmt: Numbers) -> str:
    """The fifth tab: the year-one review's key figures.

    Long on purpose: one tab's HTML, written top to bottom in the order the tab shows it.
    """
    question = _q("Did it work?")
    if isinstance(answer, Needs):
        return question + needs_html(answer, "review")
    growth = answer.growth
    if not answer.managed:
        return question + _lead(
            "There are no managed customers: nobody has an inside rep, and no customer is small and active."
        )
    lead = (
        f"Since the programme started on {_b(fmt.date(answer.start))}, the {fmt.count(answer.managed)} managed customers' "
        f"revenue changed by {_b(signed(growth['managed'], fmt=fmt))}"
    )
    if _known(growth.get("other small")):
        lead += f", against {_b(signed(growth['other small'], fmt=fmt))} for the other small customers"
    lead += f". Customers lost: {_b(fmt.share(answer.churn_since))} (the market loses {fmt.share(answer.churn_market, 0)} a year). "
    if answer.paid_back_month:
        lead += f"The team of {fmt.count(answer.team_size)} inside reps paid for itself in {_b(f'month {answer.paid_back_month}')}."
    else:
        lead += (
            f"The team of {fmt.count(answer.team_size)} inside reps has not yet paid for itself in the "
            f"{fmt.count(answer.months_observed)} months observed."
        )
    cards = [
        Card(
            "managed customers",
            fmt.count(answer.managed),
            f"team of {fmt.count(answer.team_size)} inside reps",
            "managed",
        ),
        Card(
            "revenue change",
            signed(growth["managed"], fmt=fmt),
            "managed customers; other small customers " + signed(growth["other small"], fmt=fmt)
            if _known(growth.get("other small"))
            else "managed customers",
            "growth",
        ),
        Card(
            "customers lost",
            fmt.share(answer.churn_since),
            f"since the start; {fmt.share(answer.churn_before)} the year before, market {fmt.share(answer.churn_market, 0)}",
            "churn",
            warn=answer.churn_since > answer.churn_market,
        ),
        Card(
            "margin rate",
            fmt.share(answer.margin_rate_since),
            f"managed customers; {fmt.share(answer.margin_rate_before)} the year before",
            "margin_rate",
        ),
        Card(
            "promoted to field sales",
            "–" if answer.promoted is None else fmt.count(answer.promoted),
            "managed customers now worth field visits",
            "promoted",
        ),
        Card(
            "paid for itself",
            f"month {answer.paid_back_month}" if answer.paid_back_month else "not yet",
            f"after the start; {fmt.count(answer.months_observed)} months observed",
            "paid_back",
        ),
    ]
    out = question + _lead(lead) + cards_html(cards)
    amort = answer.amortisation
    chart = ""
    if amort is not None and len(amort):
        colors = {
            "extra margin of the managed customers": charts.COLORS["margin"],
            "cost of the team": charts.COLORS["cost"],
        }
        curves = {
            "extra margin of the managed customers": amort["cumulative_margin"].tolist(),
            "cost of the team": amort["cumulative_cost"].tolist(),
        }
        chart = (
            f"<div class='sa-h'>Added up month by month since {fmt.date(answer.start)}: the managed customers' extra "
            "margin against the cost of the team</div>"
            + charts.legend([(c, label) for label, c in colors.items()])
            + charts.line_chart(
                curves,
                colors,
                fmt,
                "month since the start",
                marks={"extra margin of the managed customers": answer.paid_back_month},
            )
        )
    growth_rows = pd.DataFrame(
        [{"group": GROUP_WORDS.get(g, g), "revenue_growth": v} for g, v in growth.items() if _known(v)],
        columns=["group", "revenue_growth"],
    )
    table = "<div class='sa-h'>Revenue change since the start, by group</div>" + table_html(
        growth_rows, fmt, "growth_table"
    )
    out += _row(table, chart)
    if answer.margin_assumed:
        out += (
            "<p class='sa-note'>The orders carry no contribution margin, so the margin takes the margin rate of "
            "the params file.</p>"
        )
    return out


def trends_html(reports: str | Path | None, params, fmt: Numbers) -> str:
    """The trends of the client's kept reports in ``reports`` (``smartacct report --out``), or nothing.

    Shown below the year-one review when the folder keeps two reports or
    more of this client; read from their ``summary.json`` files only.
    """
    if not reports:
        return ""
    from .changes_section import trends_alt, trends_chart
    from .since_last_report import history, kept_reports

    folders = kept_reports(Path(reports) / params.client_slug)
    if len(folders) < 2:
        return ""
    latest = json.loads((folders[-1] / "summary.json").read_text(encoding="utf-8"))
    kept = history(folders[:-1], latest)
    chart = trends_chart(kept, fmt)
    if chart is None:
        return ""
    alt = html.escape(trends_alt(kept, fmt), quote=True)
    picture = base64.b64encode(chart).decode("ascii")
    return (
        f"<div class='sa-h'>The trends over the {fmt.count(len(folders))} kept reports, the last of "
        f"{fmt.date(latest['reference_date'])}</div>"
        f"<img class='sa-trends' alt='{alt}' style='max-width:100%' "
        f"src='data:image/png;base64,{picture}'>"
    )
