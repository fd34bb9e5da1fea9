"""What notebook 07 shows: the year-one review and the early warning of customer loss.

Each section takes a workbook and returns a list of displayable objects
(:mod:`smartacct_helpers.presentation.sections`). The review, the warnings of today and
the backtest are remembered by the workbook, so the sections share them.

A short history is said where the figure would stand: a section whose
figures all compare with a year the data does not hold says what it needs
(:class:`~smartacct_helpers.presentation.sections.Needs`); one that can show part of its
table shows that part and one sentence on the rest.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from . import early_warning as ew, tracking, tracking_charts
from .facts.concepts import has_values
from .facts.coverage import first_order_date
from .facts.orders import months_before
from .levers.analysis import columns_held
from .presentation.blocks import headline
from .presentation.formatting import money, share, styled
from .presentation.sections import Needs, section

_PERFORMANCE_MONEY = ["revenue_baseline", "revenue_followup", "margin_baseline", "margin_followup"]
_PERFORMANCE_SHARES = ["revenue_growth", "margin_rate_baseline", "margin_rate_followup"]


def _sentence(reason: str) -> str:
    """A reason of the analyses (lower case, no full stop) as a sentence."""
    return f"{reason[0].upper()}{reason[1:]}."


def _customers(n: int) -> str:
    return f"{n:,} customer" if n == 1 else f"{n:,} customers"


def _starts(workbook) -> str:
    first = first_order_date(workbook)
    return f"the data starts on {first:%d.%m.%Y}" if first else "the data holds no order"


def _review(workbook) -> dict:
    return tracking.year_one_review(workbook)


def _year_before_start(workbook, review: dict) -> str:
    """What a part of the review that compares with the year before the start needs, in words."""
    start = review["periods"].start
    return (f"the orders of the 12 months before the programme start (from {months_before(start, 12):%d.%m.%Y}); "
            f"{_starts(workbook)}")


def _managed_text(workbook) -> str:
    c = workbook.tables.customers
    if has_values(c, "inside_rep"):
        return "the customers with an inside rep in the customer master"
    return "the small customers to manage today (nobody has an inside rep in the customer master)"


def _margin_note(workbook) -> list:
    """A sentence where the orders carry no contribution margin (none where they do)."""
    if "contribution_margin" in columns_held(workbook):
        return []
    rate = share(workbook.assumptions.margin_rate_if_unknown, 0)
    return [Markdown(f"*The orders carry no contribution margin: it is taken as {rate} of revenue (the margin rate "
                     "of the params file), so it follows revenue.*")]


# -- the year-one review ------------------------------------------------------------------------------------------

def periods_text(workbook, review: dict) -> str:
    """The programme start, the two periods and the size of each group, in one paragraph."""
    p = review["periods"]
    unset = " (none set: the review covers the 12 months up to the reference date)"
    groups = review["groups"]
    text = (f"Programme start **{p.start:%d.%m.%Y}**{unset if workbook.assumptions.programme_start is None else ''}; "
            f"baseline {p.baseline_start:%d.%m.%Y} to {p.baseline_last_day:%d.%m.%Y}, follow-up "
            f"{p.start:%d.%m.%Y} to {p.last_day:%d.%m.%Y} ({p.days} days each). "
            + "; ".join(f"{name}: {_customers(len(ids))}" for name, ids in groups.items())
            + f". The managed customers are {_managed_text(workbook)}.")
    unknown = [g for g in tracking.GROUPS if g not in groups]
    if unknown:
        text += f" Not known from this data: {' and '.join(unknown)}."
    for reason in review["limited"].values():
        text += f" {_sentence(reason)}"
    return text


@section("07")
def periods_and_groups(workbook) -> list:
    """The programme start, baseline and follow-up, and the customers in each group."""
    return [Markdown(periods_text(workbook, _review(workbook)))]


@section("07")
def data_qualification(workbook) -> list:
    """The share of the managed (and other small) customers whose master data is filled in, field by field."""
    shows = ("how completely the customer master describes the managed customers (industry, region, size, reps, "
             "channel, competition and purchasing power)")
    if workbook.tables.customers_from_orders:
        return [Needs(shows, "a customer master (the customers file)")]
    review = _review(workbook)
    if not len(review["groups"]["managed"]):
        return [Markdown("There are no managed customers: nobody has an inside rep, and no customer is small and "
                         "active.")]
    qual = review["qualification"]
    out = [styled(qual, workbook.params.currency, share_cols=list(qual.columns))]
    absent = [f for f in tracking.QUALIFICATION_FIELDS if f not in workbook.tables.customers]
    if absent:
        out.append(Markdown(f"Not in the customer master, so empty for everyone: {', '.join(absent)}."))
    return out


@section("07")
def churn(workbook) -> list:
    """The churn rate of each group before and after the start, against the market-customary rate."""
    review = _review(workbook)
    if "baseline" in review["limited"]:
        return [Needs("the churn of each group before and after the programme start",
                      _year_before_start(workbook, review))]
    table = review["churn"]
    out = []
    if "year_before_baseline" in review["limited"]:
        table = table.drop(columns="baseline")
        out.append(Markdown(f"The churn of the baseline is unknown: {review['limited']['year_before_baseline']}."))
    return [styled(table, workbook.params.currency, share_cols=["baseline", "followup", "market_customary"])] + out


def promoted_text(review: dict) -> str:
    """How many managed customers moved into a field-sales cluster, by cluster.

    >>> import pandas as pd
    >>> r = {"promoted": pd.DataFrame({"segment": ["field", "develop", "field"]}),
    ...      "groups": {"managed": pd.Index(["1", "2", "3", "4"])}}
    >>> promoted_text(r)
    '**3** of the 4 managed customers moved into a field-sales cluster since the start: field: 2, develop: 1.'
    """
    prom, managed = review["promoted"], review["groups"]["managed"]
    if not len(prom):
        return f"None of the {len(managed):,} managed customers moved into a field-sales cluster since the start."
    counts = prom["segment"].value_counts()
    return (f"**{len(prom):,}** of the {len(managed):,} managed customers moved into a field-sales cluster since "
            "the start: " + ", ".join(f"{k}: {v:,}" for k, v in counts.items()) + ".")


@section("07")
def promotions(workbook) -> list:
    """The managed customers now in a field-sales cluster that were not at the start, largest first."""
    review = _review(workbook)
    if review["promoted"] is None:
        return [Needs("the managed customers promoted to a field-sales cluster since the programme start",
                      _year_before_start(workbook, review))]
    prom = review["promoted"]
    out = [Markdown(promoted_text(review))]
    if len(prom):
        top = prom.sort_values("revenue_12m", ascending=False, kind="stable").head(10).set_index("customer_id")
        out.append(styled(readable(top), workbook.params.currency, money_cols=["revenue_12m", "potential"],
                          share_cols=["share_of_wallet"]))
    return out


@section("07")
def growth_and_margin(workbook) -> list:
    """Revenue growth and margin rate of each group, baseline against follow-up."""
    review = _review(workbook)
    perf = review["performance"]
    cur = workbook.params.currency
    if "baseline" in review["limited"]:
        follow = perf[["customers", "revenue_followup", "margin_followup", "margin_rate_followup"]]
        return [styled(follow, cur, money_cols=_PERFORMANCE_MONEY, share_cols=_PERFORMANCE_SHARES,
                       count_cols=["customers"]),
                Markdown(f"Only the follow-up is shown. The growth and the margin rate of the baseline need "
                         f"{_year_before_start(workbook, review)}."), *_margin_note(workbook)]
    return [tracking_charts.group_growth_chart(perf),
            styled(perf, cur, money_cols=_PERFORMANCE_MONEY, share_cols=_PERFORMANCE_SHARES,
                   count_cols=["customers"]), *_margin_note(workbook)]


@section("07")
def market_share(workbook) -> list:
    """The market share per segment (the customers' industry) before and after the start."""
    shows = "the market share per segment before and after the programme start"
    market = workbook.tables.market
    if market is None or not len(market):
        return [Needs(shows, "each segment's annual market volume (the market file)")]
    if not has_values(workbook.tables.customers, "industry"):
        return [Needs(shows, "an industry per customer, to place it in a market segment (column industry of the "
                             "customer master)")]
    review = _review(workbook)
    table = review["market"]
    cur = workbook.params.currency
    money_cols, share_cols = ["market_volume", "revenue_baseline", "revenue_followup"], ["share_baseline",
                                                                                         "share_followup"]
    if "baseline" in review["limited"]:
        return [styled(table[["market_volume", "revenue_followup", "share_followup"]], cur, money_cols=money_cols,
                       share_cols=share_cols),
                Markdown(f"Only the follow-up is shown. The share before the start needs "
                         f"{_year_before_start(workbook, review)}.")]
    return [styled(table, cur, money_cols=money_cols, share_cols=share_cols)]


def payback_text(review: dict, currency: str) -> str:
    """Whether and when the inside-sales team paid for itself, in one or two sentences.

    >>> import pandas as pd
    >>> curve = pd.DataFrame({"cumulative_margin": [100.0, 900.0], "cumulative_cost": [500.0, 1000.0]})
    >>> print(payback_text({"team_size": 2, "amortisation": curve, "amortisation_month": None,
    ...                     "groups": {"other small": [1]}}, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    Team: 2 inside rep(s). Not paid back within the 2 months observed:
    cumulative extra margin 900 EUR against 1,000 EUR cost.
    """
    curve, month = review["amortisation"], review["amortisation_month"]
    text = f"Team: {review['team_size']} inside rep(s). "
    if month:
        text += f"The team paid for itself in month **{month}** after the start."
    elif not len(curve):
        text += "No whole month after the programme start is in the data yet."
    else:
        text += (f"Not paid back within the {len(curve)} months observed: cumulative extra margin "
                 f"{money(curve['cumulative_margin'].iloc[-1], currency, decimals=0)} against "
                 f"{money(curve['cumulative_cost'].iloc[-1], currency, decimals=0)} cost.")
    if not len(review["groups"].get("other small", [])):
        text += (" There is no comparison group of other small customers, so the team is credited with all of the "
                 "managed group's growth.")
    return text


@section("07")
def payback(workbook) -> list:
    """The managed group's cumulative extra margin against the team's cumulative cost, month by month."""
    review = _review(workbook)
    if review["amortisation"] is None:
        return [Needs("the month the inside-sales team paid for itself",
                      "the orders of the 12 months before the programme start, to compare each month with the same "
                      f"month a year before (from {months_before(review['periods'].start, 12):%d.%m.%Y}); "
                      f"{_starts(workbook)}")]
    if not len(review["groups"]["managed"]):
        return [Markdown("There are no managed customers, so there is no extra margin to set against the team's "
                         "cost.")]
    cur = workbook.params.currency
    return [tracking_charts.amortisation_chart(review["amortisation"], review["amortisation_month"], cur),
            Markdown(payback_text(review, cur)), *_margin_note(workbook)]


# -- early warning ------------------------------------------------------------------------------------------------

def _rules_note(workbook) -> list:
    reason = ew.rules_limit(first_order_date(workbook), workbook.reference_date)
    return [Markdown(f"*{_sentence(reason)}*")] if reason else []


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with missing text as a dash and dates as days, so that a table shows no "nan" or "None"."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%d.%m.%Y").fillna("–")
        elif (values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype)
              or pd.api.types.is_string_dtype(values)):
            out[column] = values.astype(object).where(values.notna(), "–")
    return out


def flagged_text(workbook, scores: pd.DataFrame) -> str:
    """How many customers carry a warning today, and their revenue."""
    flagged = scores[scores["flagged"]]
    revenue = money(flagged["revenue_12m"].sum(), workbook.params.currency, decimals=0)
    return (f"On {workbook.reference_date:%d.%m.%Y}, **{len(flagged):,}** of {_customers(len(scores))} who bought in "
            f"the last 12 months carry a warning ({revenue} revenue in the last 12 months).")


@section("07")
def flagged_customers(workbook) -> list:
    """How many customers carry a warning today, and the ten at the highest risk with the reason."""
    scores = ew.scores_today(workbook)
    if not len(scores):
        return [Markdown("No customer bought in the last 12 months, so nobody can be scored.")]
    flagged = scores[scores["flagged"]]
    out = [Markdown(flagged_text(workbook, scores)), *_rules_note(workbook)]
    if len(flagged):
        out.append(styled(flagged.head(10)[["risk_score", "reason", "revenue_12m"]], workbook.params.currency,
                          money_cols=["revenue_12m"], decimals={"risk_score": 0}))
    return out


@section("07")
def backtest(workbook) -> list:
    """The backtest: who of the customers scored a year ago stopped buying, flagged or not."""
    as_of = ew.backtest_date(workbook.reference_date)
    limits = ew.backtest_limits(as_of, ew.HORIZONS, first_order_date(workbook), workbook.reference_date)
    if "early_warning_backtest" in limits:
        since = months_before(as_of, 12) + dt.timedelta(days=1)
        return [Needs("how well the warning foresaw who stopped buying (a backtest)",
                      f"the orders of the 12 months before its scoring day {as_of:%d.%m.%Y} (from "
                      f"{since:%d.%m.%Y}); {_starts(workbook)}")]
    bt = ew.backtest_of(workbook)
    notes = [Markdown(f"*{_sentence(reason)}; that horizon is left out.*") for key, reason in limits.items()
             if key.endswith("m")]
    if "early_warning_backtest_rules" in limits:
        notes.append(Markdown(f"*{_sentence(limits['early_warning_backtest_rules'])}*"))
    if not len(bt):
        return [Markdown(f"No horizon of the backtest scored on {as_of:%d.%m.%Y} lies within the data."), *notes]
    return [Markdown(f"Scored on {as_of:%d.%m.%Y} with the data up to that day."),
            tracking_charts.backtest_chart(bt),
            styled(bt, workbook.params.currency, share_cols=["base_rate", "precision", "recall", "top_precision"],
                   count_cols=["customers", "stopped", "flagged", "flagged_stopped"],
                   decimals={"lift": 2, "top_lift": 2}),
            *notes]


@section("07")
def early_warning_view(workbook) -> list:
    """How many customers the warning rules flag on the reference date, by signal (notebook 07's sliders)."""
    s = ew.flags_today(workbook)  # the rhythm is remembered: a slider only scores
    n = len(s)
    flagged = int(s["flagged"].sum())
    held = ew.year_before_held(first_order_date(workbook), workbook.reference_date)

    def by_rule(column: str) -> str:
        return f"{int(s[column].sum()):,}" if held else "unknown"

    return [
        headline([
            ("customers scored", f"{n:,}"),
            ("flagged", f"{flagged:,} ({share(flagged / n if n else float('nan'))})"),
            ("overdue", f"{int(s['overdue'].sum()):,}"),
            ("fewer orders", by_rule("fewer_orders")),
            ("less revenue", by_rule("less_revenue")),
        ]),
        HTML("<p>Revenue of the flagged customers in the last 12 months: "
             f"{money(s.loc[s['flagged'], 'revenue_12m'].sum(), workbook.params.currency, decimals=0)}.</p>"),
    ]


def call_lists_text(workbook, lists: dict) -> str:
    """How many customers each inside rep's call list holds."""
    if not lists:
        return "No customer carries a warning today: the call lists are empty."
    text = "This week's call lists: " + ", ".join(f"{rep}: {_customers(len(part))}" for rep, part in lists.items())
    text += "."
    if not has_values(workbook.tables.customers, "inside_rep"):
        text += " Nobody has an inside rep in the customer master, so every list is *unassigned*."
    return text


@section("07")
def call_lists(workbook) -> list:
    """The call lists per inside rep: their sizes and the first customers of the first list."""
    lists = ew.todays_worklists(workbook)
    out = [Markdown(call_lists_text(workbook, lists))]
    first = next(iter(lists.values()), None)
    if first is not None and len(first):
        out.append(styled(readable(first.head(5).set_index("customer_id")), workbook.params.currency,
                          money_cols=["revenue_12m", "revenue_prev_12m"],
                          decimals={"risk_score": 0, "probability_alive": 2, "usual_interval_days": 0,
                                    "days_since_last_order": 0}))
    return out


def write_call_lists(workbook, out_dir: str | Path) -> list:
    """Write this week's call lists (one sheet per inside rep) into ``out_dir``; what to show of it."""
    path, lists = ew.export_worklists(workbook, out_dir)
    counts = ", ".join(f"{rep}: {_customers(len(part))}" for rep, part in lists.items())
    return [Markdown(f"Written: `{path.name}` with {counts}." if counts
                     else f"Written: `{path.name}` (no customer carries a warning today).")]
