"""The manager dashboard: five questions, each answered on its own tab, no code.

``notebooks/dashboard.ipynb`` calls :func:`dashboard`, and Voila serves that
notebook as a web page (``smartacct dashboard``, see
:mod:`smartacct_helpers.delivery.dashboard_server`). The page's title is the
client's name; its five tabs answer what a sales manager asks:

1. **What do the small customers cost today?** The cost of a field visit and
   of looking after one customer for a year, the sales threshold, the
   customers to manage and what serving them in the field costs a year,
   with the customers per revenue band. Controls: visits a customer needs
   a year, the highest sales cost ratio.
2. **Does inside sales pay?** Reps needed, cost, return, payback and the
   chance of paying back, for an own team and an external provider.
   Controls: customers per inside rep, share of the untapped potential won
   a year.
3. **Which key accounts are at risk?** A named list with share, trend,
   scorecard class, the warning signs and what losing each costs.
4. **Whom do we call this week?** The early-warning call lists, named,
   with the reason; a choice of rep.
5. **Did it work?** The year-one review's key figures when a programme
   start is set.

**One truth on the screen.** Each tab's cards, chart and table are one
piece of HTML written in one step from one set of numbers, so they never
disagree, not even while a control moves; every number goes through
:mod:`smartacct_helpers.presentation.formatting` (the params' ``number_format``). The
numbers come from :mod:`smartacct_helpers.delivery.dashboard_answers`, the charts
from :mod:`smartacct_helpers.delivery.dashboard_charts`.

Whatever goes wrong, a viewer sees a short message saying what to fix,
never a traceback; an answer whose input the data lacks says in one
sentence what it needs.

Examples
--------
>>> page = dashboard("data/sample/params.yaml")  # doctest: +SKIP
>>> page  # in a notebook or under Voila  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..inside_sales import business_case as bc
from ..inside_sales.figures import NO_CUSTOMERS
from . import dashboard_answers as answers
from . import dashboard_charts as charts
from .dashboard_server import (  # noqa: F401
    ANSWERS_FILE,
    DASHBOARD_NOTEBOOK,
    PARAMS_VARIABLE,
    REPORTS_VARIABLE,
    SAMPLE_PARAMS,
    STAMPS_FILE,
    file_stamps,
)
from ..exceptions import SmartacctError
from ..presentation.formatting import Numbers
from ..presentation.sections import Needs
from ..small_customers.analysis import classify

#: the five tabs, in order: (key, title)
TABS = (
    ("small", "What small customers cost"),
    ("inside", "Does inside sales pay?"),
    ("key", "Key accounts at risk"),
    ("calls", "Whom to call this week"),
    ("review", "Did it work?"),
)

CSS = """
<style>
.sa-page{max-width:1280px;color:#222}
.sa-title{font-size:1.7em;font-weight:600;color:#1f4e79;margin:.1em 0 0}
.sa-sub{color:#555;margin:.2em 0 .9em}
.sa-q{font-size:1.3em;font-weight:600;color:#1f4e79;margin:.3em 0 .3em}
.sa-lead{font-size:1.05em;max-width:1000px;margin:0 0 .9em;line-height:1.45}
.sa-cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 12px}
.sa-card{box-sizing:border-box;flex:1 1 160px;max-width:250px;padding:9px 13px;border-left:4px solid #1f4e79;background:#f3f6fa;
  border-radius:2px}
.sa-card .label{font-size:.85em;color:#444;line-height:1.25}
.sa-card .value{font-size:1.45em;font-weight:600;color:#1f4e79;margin:.15em 0}
.sa-card .note{font-size:.8em;color:#555;line-height:1.3}
.sa-card.sa-warn{border-left-color:#c0392b}
.sa-card.sa-warn .value{color:#c0392b}
.sa-h{font-weight:600;margin:.8em 0 .3em;color:#333;line-height:1.35}
.sa-legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:.88em;color:#333;margin:.2em 0 .3em}
.sa-legend-item{display:inline-flex;align-items:flex-start;gap:6px;max-width:100%}
.sa-swatch{display:inline-block;width:14px;min-width:14px;height:12px;margin-top:.2em;border-radius:2px}
.sa-note{font-size:.9em;color:#555;max-width:1000px;margin:.5em 0;line-height:1.4}
.sa-table{border-collapse:collapse;font-size:.92em;margin:.3em 0 .6em}
.sa-table th{text-align:left;font-weight:600;border-bottom:2px solid #1f4e79;padding:5px 9px;vertical-align:bottom;
  line-height:1.3}
.sa-table td{border-bottom:1px solid #e3e3e3;padding:5px 9px;vertical-align:top;line-height:1.35;
  white-space:nowrap}
.sa-table td.num,.sa-table th.num{text-align:right}
.sa-table td.why,.sa-table td.wrap{white-space:normal;min-width:220px;max-width:460px}
.sa-row{display:flex;flex-wrap:wrap;gap:12px 36px;align-items:flex-start}
.sa-row>.sa-col{flex:0 1 auto;min-width:0}
.sa-row>.sa-grow{flex:1 1 520px;max-width:760px}
.sa-needs{font-style:italic;color:#444;background:#f7f7f7;border-left:4px solid #999;padding:10px 14px;
  max-width:1000px}
.sa-controls{display:flex;flex-wrap:wrap;gap:6px 30px;padding:8px 12px;margin:4px 0 12px;
  border:1px solid #dde3ea;background:#fafbfd}
.sa-control-label{font-size:.92em;color:#333}
.sa-problem{border-left:4px solid #c0392b;background:#fdf2f0;padding:12px 16px;max-width:900px}
.sa-problem h3{color:#c0392b;margin-top:0}
.sa-tabs .lm-TabBar-tab,.sa-tabs .p-TabBar-tab{flex:0 0 auto !important;max-width:none !important;
  min-width:0 !important;padding:0 14px !important;font-size:1.02em}
.sa-tabs .lm-TabBar-tabLabel,.sa-tabs .p-TabBar-tabLabel{overflow:visible !important;text-overflow:clip !important}
.sa-tabs .lm-TabBar-tab.lm-mod-current,.sa-tabs .p-TabBar-tab.p-mod-current{font-weight:600}
</style>
"""


# -- pieces of HTML --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One key figure as the dashboard shows it."""

    label: str
    value: str
    note: str = ""
    key: str = ""
    warn: bool = False


def cards_html(cards: list[Card]) -> str:
    """The cards as HTML; each card carries ``data-key`` so a page test can find it."""
    return (
        "<div class='sa-cards'>"
        + "".join(
            f"<div class='sa-card{' sa-warn' if c.warn else ''}' data-key='{html.escape(c.key)}'>"
            f"<div class='label'>{html.escape(c.label)}</div><div class='value'>{html.escape(c.value)}</div>"
            f"<div class='note'>{html.escape(c.note)}</div></div>"
            for c in cards
        )
        + "</div>"
    )


def table_html(
    header: list[tuple[str, bool]], rows: list[list[str]], key: str = "", classes: tuple[str, ...] = ()
) -> str:
    """A table of texts already formatted; ``header`` holds ``(title, is_number)`` per column."""
    head = "".join(f"<th class='{'num' if num else ''}'>{html.escape(t)}</th>" for t, num in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='{'num' if num else (classes[i] if i < len(classes) else '')}'>{html.escape(v)}</td>"
            for i, (v, (_, num)) in enumerate(zip(row, header))
        )
        + "</tr>"
        for row in rows
    )
    return f"<table class='sa-table' data-key='{html.escape(key)}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def needs_html(needs: Needs, key: str = "") -> str:
    """The one sentence of what an answer needs."""
    return f"<p class='sa-needs' data-key='{html.escape(key)}'>{html.escape(str(needs))}</p>"


def _row(left: str, right: str) -> str:
    """Two blocks side by side (one below the other on a narrow screen)."""
    if not right:
        return left
    return f"<div class='sa-row'><div class='sa-col'>{left}</div><div class='sa-grow'>{right}</div></div>"


def _q(question: str) -> str:
    return f"<div class='sa-q'>{html.escape(question)}</div>"


def _lead(text: str) -> str:
    return f"<p class='sa-lead'>{text}</p>"


def _b(text: str) -> str:
    return f"<b>{html.escape(text)}</b>"


def _day(day) -> str:
    """A day as a manager reads it: ``1 Jan 2025``."""
    return f"{day.day} {day:%b %Y}"


def signed(value: float, decimals: int = 1, fmt: Numbers | None = None) -> str:
    """A change as a signed percentage: ``+48.1 %``, ``-6.1 %``.

    >>> signed(0.4806), signed(-0.0611), signed(0.0)
    ('+48.1 %', '-6.1 %', '0.0 %')
    """
    text = (fmt or Numbers()).share(value, decimals)
    return f"+{text}" if _known(value) and round(value * 100, decimals) > 0 else text


def _known(value) -> bool:
    """Whether ``value`` is there: not None, NaN or NaT.

    >>> _known(0.0), _known(float("nan")), _known(None), _known(pd.NaT)
    (True, False, False, False)
    """
    return value is not None and not pd.isna(value)


def _people(n: int, one: str, many: str, fmt: Numbers) -> str:
    return f"{fmt.count(n)} {one if n == 1 else many}"


# -- 1. small customers ----------------------------------------------------------------------------------------


def small_customers_html(costs: answers.SmallCustomerCosts, assumptions, fmt: Numbers) -> str:
    """The first tab: what the small customers cost today, cards and chart from the same numbers."""
    a = assumptions
    threshold = fmt.money(costs.threshold, decimals=0)
    field = fmt.money(costs.field_cost, decimals=0)
    ratio = fmt.share(a.max_sales_cost_ratio)
    months = a.active_window_months
    if costs.to_manage:
        lead = f"Serving the {_b(fmt.count(costs.to_manage))} customers to manage in the field would cost {_b(field)} a year"
        if costs.revenue_to_manage > 0:
            lead += (
                f", {_b(fmt.share(costs.field_cost_share, 0))} of the "
                f"{html.escape(fmt.money(costs.revenue_to_manage, decimals=0))} they bought in the last "
                "12 months"
            )
        lead += (
            f". Field visits pay only for a customer buying at least {_b(threshold)} a year, where they cost at "
            f"most {html.escape(ratio)} of its revenue."
        )
    else:
        lead = (
            f"No customer is to manage: none buys less than {_b(threshold)} a year and ordered in the last "
            f"{months} months."
        )
    cards = [
        Card(
            "one field visit costs",
            fmt.money(costs.visit_cost),
            f"{fmt.money(a.outside_rep_annual_cost, decimals=0)} a year for an outside rep, "
            f"{fmt.count(a.working_days)} days x {a.visits_per_day:g} visits",
            "visit_cost",
        ),
        Card(
            "looking after one customer in the field",
            fmt.money(costs.management_cost),
            f"a year, at {a.visits_per_customer_year:g} visits",
            "management_cost",
        ),
        Card("sales threshold", threshold, f"below it, visits cost more than {ratio} of revenue", "threshold"),
        Card(
            "customers to manage",
            fmt.count(costs.to_manage),
            f"below the threshold, ordered in the last {months} months",
            "to_manage",
        ),
        Card(
            "serving them in the field",
            field,
            "a year: customers to manage x the cost of looking after one",
            "field_cost",
            warn=costs.field_cost_share > a.max_sales_cost_ratio,
        ),
    ]
    groups = [
        (
            charts.COLORS["to_manage"],
            (
                f"customers to manage (below the threshold, ordered in the last {months} "
                f"months): {fmt.count(costs.to_manage)}"
            ),
        ),
        (
            charts.COLORS["below_inactive"],
            (f"below the threshold, no order in the last {months} months: {fmt.count(costs.below_inactive)}"),
        ),
        (charts.COLORS["above"], f"at or above the threshold: {fmt.count(costs.above)}"),
    ]
    chart = (
        f"<div class='sa-h'>The {fmt.count(costs.customers)} customers by what they bought in the last 12 months"
        f"</div>{charts.legend(groups)}"
        f"{charts.bands_chart(costs.bands, costs.threshold, threshold, fmt)}"
    )
    if costs.visits_made is None:
        visits = (
            "The data holds no CRM activities (the activities file), so the field visits they get today are not known."
        )
    else:
        visits = (
            f"In the last 12 months the customers to manage got {fmt.count(costs.visits_made)} field visits, "
            f"{fmt.money(costs.visits_made * costs.visit_cost, decimals=0)} at the cost of a visit."
        )
    return (
        _q("What do the small customers cost today?")
        + _lead(lead)
        + cards_html(cards)
        + chart
        + f"<p class='sa-note'>{html.escape(visits)}</p>"
    )


# -- 2. inside sales -------------------------------------------------------------------------------------------


def _payback(case: bc.BusinessCase, horizon: int) -> str:
    return f"month {case.payback_months}" if case.payback_months else f"not within {horizon} months"


def inside_sales_html(case: answers.InsideSalesCase, fmt: Numbers) -> str:
    """The second tab: does inside sales pay, own team against external provider."""
    own, ext, horizon = case.own, case.external, case.horizon
    if case.customers == 0:
        return _q("Does inside sales pay?") + needs_html(
            Needs(
                "what an inside-sales team for the small customers costs and returns",
                "customers to manage, and " + NO_CUSTOMERS,
            ),
            "inside",
        )
    reps = _people(own.headcount, "inside rep", "inside reps", fmt)
    cost = fmt.money(own.cost["total"], decimals=0)
    cards = [
        Card(
            "inside reps needed",
            fmt.count(own.headcount),
            f"for {fmt.count(case.customers)} customers to manage, {fmt.count(case.capacity)} per rep",
            "headcount",
        ),
        Card("cost a year, own team", cost, "reps, project manager and systems", "cost"),
    ]
    rows = [
        ["inside reps", fmt.count(own.headcount), fmt.count(ext.headcount)],
        ["cost a year", cost, fmt.money(ext.cost["total"], decimals=0)],
        ["one-off set-up", fmt.money(own.setup_cost, decimals=0), fmt.money(ext.setup_cost, decimals=0)],
        [
            f"cost over {horizon} months",
            fmt.money(own.total_cost, decimals=0),
            fmt.money(ext.total_cost, decimals=0),
        ],
    ]
    if case.limits is None:
        lead = (
            f"An own team of {_b(reps)} for the {fmt.count(case.customers)} customers to manage costs {_b(cost)} a "
            f"year and returns {_b(fmt.share(own.roi, 0))} over {horizon} months; it pays back in "
            f"{_b(_payback(own, horizon))}. The chance that it pays back within {horizon} months: "
            f"{_b(fmt.share(case.chance_own, 0))}."
        )
        cards += [
            Card(
                f"return over {horizon} months",
                fmt.share(own.roi, 0),
                "extra margin minus cost, over the cost",
                "roi",
                warn=own.roi < 0,
            ),
            Card("pays back in", _payback(own, horizon), "the month the extra margin has covered the cost", "payback"),
            Card(
                "chance of paying back",
                fmt.share(case.chance_own, 0),
                f"within {horizon} months, in {fmt.count(case.runs)} simulated outcomes",
                "chance",
            ),
        ]
        rows += [
            [
                f"extra margin over {horizon} months",
                fmt.money(own.total_benefit, decimals=0),
                fmt.money(ext.total_benefit, decimals=0),
            ],
            [f"return over {horizon} months", fmt.share(own.roi, 0), fmt.share(ext.roi, 0)],
            ["pays back in", _payback(own, horizon), _payback(ext, horizon)],
            [
                f"chance of paying back within {horizon} months",
                fmt.share(case.chance_own, 0),
                fmt.share(case.chance_external, 0),
            ],
        ]
        curves = {"own team": own.cash["cumulative"].tolist(), "external provider": ext.cash["cumulative"].tolist()}
        colors = {"own team": charts.COLORS["own"], "external provider": charts.COLORS["external"]}
        chart = (
            f"<div class='sa-h'>Cash over {horizon} months: extra margin minus cost, added up month by month</div>"
            + charts.legend(
                [
                    (colors["own team"], f"own team: pays back in {_payback(own, horizon)}"),
                    (colors["external provider"], f"external provider: pays back in {_payback(ext, horizon)}"),
                ]
            )
            + charts.line_chart(
                curves,
                colors,
                fmt,
                marks={"own team": own.payback_months, "external provider": ext.payback_months},
            )
        )
        needs = ""
    else:
        lead = f"An own team of {_b(reps)} for the {fmt.count(case.customers)} customers to manage costs {_b(cost)} a year."
        chart = ""
        needs = needs_html(
            Needs(
                "the return, the payback and the chance of paying back",
                "the untapped potential of the customers to manage, and " + case.limits,
            ),
            "inside",
        )
    table = table_html([("", False), ("own team", True), ("external provider", True)], rows, "providers")
    note = ""
    if case.limits is None:
        note = (
            "<p class='sa-note'>The extra margin comes from three sources: part of the untapped potential won "
            "each year (what the customers to manage could buy, less what they buy today), fewer of them lost, "
            "and the field time freed. The return and payback are for the middle case; the chance of paying "
            "back counts the simulated outcomes that pay back, each with its own share of the potential won, "
            "customers kept and months until the team is up to speed.</p>"
        )
    if case.margin_assumed and case.limits is None:
        note += (
            "<p class='sa-note'>The orders carry no contribution margin, so the extra margin takes the margin "
            "rate of the params file.</p>"
        )
    return (
        _q("Does inside sales pay?")
        + _lead(lead)
        + cards_html(cards)
        + needs
        + _row(f"<div class='sa-h'>Own team or external provider</div>{table}", chart)
        + note
    )


# -- 3. key accounts -------------------------------------------------------------------------------------------


def _trend(value: float, fmt: Numbers) -> str:
    if not _known(value):
        return "unknown"
    return f"{signed(value, 0, fmt)} a year"


def key_accounts_html(answer, fmt: Numbers) -> str:
    """The third tab: the key accounts at risk, named, largest loss first."""
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
        rows = [
            [
                r["name"],
                fmt.share(r["revenue_share"]),
                _trend(r["trend"], fmt),
                r["class"],
                "; ".join(r["reasons"]),
                f"{fmt.money(r['margin_lost'], decimals=0)} ({fmt.share(r['margin_lost_share'])} of all margin)",
            ]
            for r in risk.to_dict("records")
        ]
        out += table_html(
            [
                ("key account", False),
                ("share of revenue", True),
                ("revenue trend", True),
                ("scorecard class", False),
                ("why at risk", False),
                ("if lost: margin a year", True),
            ],
            rows,
            "at_risk_table",
            classes=("", "", "", "", "why"),
        )
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


def _call_rows(frame: pd.DataFrame, rep_name, fmt: Numbers) -> list[list[str]]:
    """The rows of a call list; ``rep_name(row)`` names the row's rep."""
    rows = []
    for r in frame.itertuples(index=False):
        last = getattr(r, "last_order", None)
        rows.append(
            [
                _name(r),
                rep_name(r),
                r.reason,
                _day(last) if _known(last) else "–",
                fmt.money(getattr(r, "revenue_12m", float("nan")), decimals=0),
                fmt.share(getattr(r, "probability_alive", float("nan")), 0),
            ]
        )
    return rows


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
    header = [
        ("customer", False),
        (who, False),
        ("why", False),
        ("last order", False),
        ("revenue, last 12 months", True),
        ("chance still buying", True),
    ]
    if rep == ALL_REPS:
        shown = on_lists
        overview = [
            [
                rep_name(name),
                fmt.count(len(frame)),
                fmt.money(float(frame["revenue_12m"].sum()) if "revenue_12m" in frame else float("nan"), decimals=0),
                _name(next(frame.itertuples(index=False))) if len(frame) else "–",
            ]
            for name, frame in calls.lists.items()
        ]
        rows = _call_rows(most_urgent(calls), lambda r: rep_name(r.rep), fmt)
        tables = table_html(header, rows, "calls_table", classes=("", "", "why"))
        if len(calls.lists) > 1:
            tables = (
                f"<div class='sa-h'>This week's list of each {who}</div>"
                + table_html(
                    [(who, False), ("calls", True), ("their revenue, last 12 months", True), ("first call", False)],
                    overview,
                    "lists_table",
                )
                + f"<div class='sa-h'>The {fmt.count(len(rows))} most urgent calls of all lists</div>"
                + tables
            )
        label = f"every {who}"
    else:
        frame = calls.lists.get(rep, pd.DataFrame())
        rows = _call_rows(frame, lambda r: rep_name(rep), fmt)
        shown = len(rows)
        tables = table_html(header, rows, "calls_table", classes=("", "", "why"))
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
    """The fifth tab: the year-one review's key figures."""
    question = _q("Did it work?")
    if isinstance(answer, Needs):
        return question + needs_html(answer, "review")
    growth = answer.growth
    if not answer.managed:
        return question + _lead(
            "There are no managed customers: nobody has an inside rep, and no customer is small and active."
        )
    lead = (
        f"Since the programme started on {_b(_day(answer.start))}, the {fmt.count(answer.managed)} managed customers' "
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
            f"<div class='sa-h'>Added up month by month since {_day(answer.start)}: the managed customers' extra "
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
    growth_rows = [[GROUP_WORDS.get(g, g), signed(v, fmt=fmt)] for g, v in growth.items() if _known(v)]
    table = "<div class='sa-h'>Revenue change since the start, by group</div>" + table_html(
        [("group", False), ("revenue change", True)], growth_rows, "growth_table"
    )
    out += _row(table, chart)
    if answer.margin_assumed:
        out += (
            "<p class='sa-note'>The orders carry no contribution margin, so the margin takes the margin rate of "
            "the params file.</p>"
        )
    return out


# -- the page --------------------------------------------------------------------------------------------------


def problem_html(exc: BaseException) -> str:
    """A message for a viewer: what went wrong and what to fix, without a traceback."""
    if isinstance(exc, SmartacctError):
        lines = str(exc).splitlines()
        head, details = lines[0], lines[1:]
        fix = (
            "Correct the params file or the data file named below, then reload this page. "
            "<code>smartacct validate --params FILE</code> lists every problem."
        )
    else:
        head, details = f"The dashboard could not be computed ({type(exc).__name__}).", [str(exc)]
        fix = (
            "Run <code>smartacct validate --params FILE</code> to check the data; if it finds nothing, "
            "the log of <code>smartacct dashboard</code> holds the details."
        )
    items = "".join(f"<li>{html.escape(d.strip())}</li>" for d in details[:20] if d.strip())
    return (
        f"{CSS}<div class='sa-problem'><h3>{html.escape(head)}</h3><p>{fix}</p>"
        f"{'<ul>' + items + '</ul>' if items else ''}</div>"
    )


def dashboard(params_file: str | Path | None = None) -> w.Widget:
    """The whole dashboard as one widget, or a friendly message when the data cannot be read.

    Parameters
    ----------
    params_file : path, optional
        The client's params file; the sample by default.
    """
    try:
        workbook = open_workbook(params_file or SAMPLE_PARAMS)
        return dashboard_page(workbook, kept_answers(workbook), reports=os.environ.get(REPORTS_VARIABLE))
    except Exception as exc:  # a viewer must never see a traceback
        return w.HTML(problem_html(exc))


def open_workbook(params_file):
    """The workbook of ``params_file``: from the dashboard's snapshot while its data files are unchanged.

    ``smartacct dashboard`` reads the data once when it starts and keeps it
    in a snapshot (:meth:`Workbook.save_snapshot`) that each viewer's kernel
    opens in a fraction of the time. When a data file changed since, the
    files are read again, so a viewer never sees data older than the files.
    """
    from ..facts.workbook import SNAPSHOT, Workbook
    from ..params import load_params

    folder = os.environ.get(SNAPSHOT)
    if folder:
        stamps = Path(folder) / STAMPS_FILE
        try:
            recorded = json.loads(stamps.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = None
        if recorded != file_stamps(load_params(params_file)):
            os.environ.pop(SNAPSHOT, None)  # changed or gone: this kernel reads the files
    return Workbook.open(params_file)


def kept_answers(workbook) -> dict | None:
    """The answers ``smartacct dashboard`` computed once for this workbook's data and params, or None.

    Only while the kernel opened the dashboard's snapshot (its files
    unchanged, see :func:`open_workbook`) and with the same params.
    """
    import pickle

    from ..facts.workbook import SNAPSHOT

    folder = os.environ.get(SNAPSHOT)
    if not folder or not (Path(folder) / ANSWERS_FILE).is_file():
        return None
    with open(Path(folder) / ANSWERS_FILE, "rb") as file:
        kept = pickle.load(file)
    return kept["answers"] if kept.get("params") == workbook.params else None


#: the range and step of each assumption a control moves, as the notebooks' sliders have them
#: (:data:`smartacct_helpers.widgets.SLIDERS`, which a test compares; not imported: it brings matplotlib)
SLIDER_RANGES = {
    "max_sales_cost_ratio": (0.04, 0.12, 0.005),
    "visits_per_customer_year": (2, 8, 1),
    "revenue_uplift_on_gap": (0.0, 0.15, 0.005),
}


def _slider(workbook, name: str, css_class: str) -> w.Widget:
    """A slider for one assumption whose range holds the params' value; its readout is the label above it."""
    low, high, step = SLIDER_RANGES[name]
    value = getattr(workbook.assumptions, name)
    low, high = min(low, value), max(high, value)
    layout = w.Layout(width="360px")
    if isinstance(step, int):
        s = w.IntSlider(
            value=int(value),
            min=int(low),
            max=int(high),
            step=step,
            readout=False,
            continuous_update=False,
            layout=layout,
        )
    else:
        s = w.FloatSlider(
            value=float(value), min=low, max=high, step=step, readout=False, continuous_update=False, layout=layout
        )
    s.add_class(css_class)
    return s


class _Control:
    """A control with its label, which shows its current value in the dashboard's number format."""

    def __init__(self, widget: w.Widget, label, css_class: str):
        self.widget, self._label = widget, label
        self.text = w.HTML()
        self.text.add_class("sa-control-label")
        self.box = w.VBox([self.text, widget], layout=w.Layout(margin="0"))
        self.box.add_class(css_class + "-box")
        self.refresh()

    @property
    def value(self):
        return self.widget.value

    def refresh(self) -> None:
        self.text.value = f"<span class='sa-control-label'>{html.escape(self._label(self.widget.value))}</span>"

    def show(self, visible: bool) -> None:
        self.box.layout.display = None if visible else "none"


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
        f"{_day(pd.Timestamp(latest['reference_date']))}</div>"
        f"<img class='sa-trends' alt='{alt}' style='max-width:100%' "
        f"src='data:image/png;base64,{picture}'>"
    )


def dashboard_page(base, fixed: dict | None = None, reports: str | Path | None = None) -> w.Widget:
    """The dashboard of an open workbook (what :func:`dashboard` shows once the data is read).

    Works on every input a client may have: an answer whose input is
    missing says what it needs. The three answers without controls (key
    accounts, calls, year-one review) are computed once, or taken from
    ``fixed`` (:func:`~smartacct_helpers.delivery.dashboard_answers.fixed_answers`
    of the same workbook); a control recomputes the first two tabs, and
    writes each tab's cards and chart in one step.
    """
    fixed = fixed or answers.fixed_answers(base)
    a = base.assumptions
    cur = base.params.currency
    fmt = Numbers.of(base.params)
    caps = list(a.inside_rep_capacity)
    middle = bc.middle_capacity(caps)
    visits = _Control(
        _slider(base, "visits_per_customer_year", "sa-visits"),
        lambda v: f"Field visits a customer needs a year: {v}",
        "sa-visits",
    )
    ratio = _Control(
        _slider(base, "max_sales_cost_ratio", "sa-ratio"),
        lambda v: f"Highest sales cost, as a share of a customer's revenue: {fmt.share(v)}",
        "sa-ratio",
    )
    capacity_slider = w.IntSlider(
        value=middle,
        min=min(300, min(caps)),
        max=max(500, max(caps)),
        step=10,
        readout=False,
        continuous_update=False,
        layout=w.Layout(width="360px"),
    )
    capacity_slider.add_class("sa-capacity")
    capacity = _Control(
        capacity_slider, lambda v: f"Customers one inside rep looks after: {fmt.count(v)}", "sa-capacity"
    )
    uplift = _Control(
        _slider(base, "revenue_uplift_on_gap", "sa-uplift"),
        lambda v: f"Share of the untapped potential won each year: {fmt.share(v)}",
        "sa-uplift",
    )
    bodies = {key: w.HTML() for key, _ in TABS}
    for key, body in bodies.items():
        body.add_class(f"sa-body-{key}")
        body.layout = w.Layout(width="100%")
    message = w.HTML()

    def update(*_):
        for control in (visits, ratio, capacity, uplift):
            control.refresh()
        try:
            variant = base.with_assumptions(
                max_sales_cost_ratio=ratio.value,
                visits_per_customer_year=visits.value,
                revenue_uplift_on_gap=uplift.value,
            )
            classified = classify(variant)
            costs = answers.small_customer_costs(classified, variant.assumptions, with_bands=True)
            case = answers.inside_sales_case(variant, classified, capacity.value)
            small = small_customers_html(costs, variant.assumptions, fmt)
            inside = inside_sales_html(case, fmt)
        except (SmartacctError, ValueError, ArithmeticError) as exc:  # a bad combination must not break the page
            message.value = problem_html(exc)
            return
        bodies["small"].value = small
        bodies["inside"].value = inside
        capacity.show(case.customers > 0)
        uplift.show(case.customers > 0 and case.limits is None)
        message.value = ""

    for control in (visits, ratio, capacity, uplift):
        control.widget.observe(update, names="value")
    update()

    bodies["key"].value = key_accounts_html(fixed["key"], fmt)
    calls = fixed["calls"]
    options = rep_options(calls, fmt)
    reps = w.Dropdown(options=options, value=ALL_REPS, layout=w.Layout(width="360px"))
    reps.add_class("sa-rep")
    rep_word = REP_WORDS.get(calls.rep_column or "", "rep")
    rep_control = _Control(reps, lambda v: f"The calls of which {rep_word}?", "sa-rep")

    shown_calls: dict[str, str] = {}  # the lists do not change while the page is open: each is written once

    def show_calls(*_):
        if reps.value not in shown_calls:
            shown_calls[reps.value] = calls_html(calls, reps.value, fmt)
        bodies["calls"].value = shown_calls[reps.value]

    reps.observe(show_calls, names="value")
    show_calls()
    rep_control.show(calls.rep_column is not None and len(calls.lists) > 0)
    bodies["review"].value = review_html(fixed["review"], fmt) + trends_html(reports, base.params, fmt)

    def panel(*controls) -> w.Widget:
        box = w.HBox([c.box for c in controls], layout=w.Layout(flex_flow="row wrap"))
        box.add_class("sa-controls")
        return box

    pages = {
        "small": w.VBox([panel(visits, ratio), bodies["small"]]),
        "inside": w.VBox([panel(capacity, uplift), bodies["inside"]]),
        "key": w.VBox([bodies["key"]]),
        "calls": w.VBox([panel(rep_control), bodies["calls"]]),
        "review": w.VBox([bodies["review"]]),
    }
    tabs = w.Tab(children=[pages[key] for key, _ in TABS])
    tabs.titles = tuple(title for _, title in TABS)
    tabs.add_class("sa-tabs")
    customers = len(base.customers)
    revenue = float(base.customers["revenue_12m"].sum()) if "revenue_12m" in base.customers else float("nan")
    title = w.HTML(
        f"{CSS}<div class='sa-title'>{html.escape(base.params.client)}</div>"
        f"<div class='sa-sub'>Data up to {_day(base.reference_date)} &middot; {fmt.count(customers)} customers, "
        f"{html.escape(fmt.money(revenue, decimals=0))} revenue in the last 12 months &middot; amounts in "
        f"{html.escape(cur)}</div>"
    )
    page = w.VBox([title, message, tabs])
    page.add_class("sa-page")
    return page
