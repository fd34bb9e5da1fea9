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

import pandas as pd
from IPython.display import Markdown

from ..facts.concepts import has_values
from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.coverage import first_order_date
from ..facts.orders import months_before
from ..inside_sales.business_case import headcount, middle_capacity
from ..levers.analysis import columns_held
from ..presentation.columns import SEGMENTS, words
from ..presentation.formatting import count, date_text, money, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..small_customers.analysis import classify
from .analysis import (
    GROUPS,
    LARGE_CUSTOMER_BUSINESS,
    QUALIFICATION_FIELDS,
    SMALL_CUSTOMER_SEGMENT,
    pilot_sentence,
    pilot_team,
    year_one_review,
)
from .charts import amortisation_chart, group_growth_chart


def _sentence(reason: str) -> str:
    """A reason of the analyses (lower case, no full stop) as a sentence."""
    return f"{reason[0].upper()}{reason[1:]}."


def _customers(n: int, style: str = "en") -> str:
    return f"{count(n, style=style)} customer" if n == 1 else f"{count(n, style=style)} customers"


def _starts(workbook) -> str:
    first = first_order_date(workbook)
    return (
        f"the data starts on {date_text(first, workbook.params.number_format)}" if first else "the data holds no order"
    )


def _review(workbook) -> dict:
    return year_one_review(workbook)


def _year_before_start(workbook, review: dict) -> str:
    """What a part of the review that compares with the year before the start needs, in words."""
    start = review["periods"].start
    return (
        f"the orders of the 12 months before the programme start (from "
        f"{date_text(months_before(start, WINDOW_MONTHS), workbook.params.number_format)}); {_starts(workbook)}"
    )


def _managed_text(workbook) -> str:
    from .analysis import pilot_of

    c = workbook.tables.customers
    if pilot_of(c) is not None:
        return (
            "the pilot's treatment group (column pilot_group of the customer master), compared with its control "
            "group as the other small customers"
        )
    if has_values(c, "inside_rep"):
        return "the customers with an inside rep in the customer master"
    return "the small customers to manage today (nobody has an inside rep in the customer master)"


def _margin_note(workbook) -> list:
    """A sentence where the orders carry no contribution margin (none where they do)."""
    style = workbook.params.number_format
    if "contribution_margin" in columns_held(workbook):
        return []
    rate = share(workbook.assumptions.margin_rate_if_unknown, 0, style=style)
    return [
        Markdown(
            f"*The orders carry no contribution margin: it is taken as {rate} of revenue (the margin rate "
            "of the params file), so it follows revenue.*"
        )
    ]


# -- the year-one review ------------------------------------------------------------------------------------------


def periods_text(workbook, review: dict) -> str:
    """The programme start, the two periods and the size of each group, in one paragraph."""
    style = workbook.params.number_format
    p = review["periods"]
    unset = " (none set: the review covers the 12 months up to the reference date)"
    groups = review["groups"]
    text = (
        f"Programme start **{date_text(p.start, style)}**"
        f"{unset if workbook.assumptions.programme_start is None else ''}; "
        f"baseline {date_text(p.baseline_start, style)} to {date_text(p.baseline_last_day, style)}, follow-up "
        f"{date_text(p.start, style)} to {date_text(p.last_day, style)} ({count(p.days, style=style)} days each). "
        + "; ".join(f"{name}: {_customers(len(ids), style)}" for name, ids in groups.items())
        + f". The managed customers are {_managed_text(workbook)}."
    )
    if LARGE_CUSTOMER_BUSINESS in groups:
        today = int((classify(workbook)["abc"] == "A").sum())
        text += (
            f" The {_customers(len(groups[LARGE_CUSTOMER_BUSINESS]), style)} of the large-customer business are "
            f"the A customers of the year before the programme start; in the last 12 months there are "
            f"{count(today, style=style)} A customers (notebook 01)."
        )
    unknown = [g for g in GROUPS if g not in groups]
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
    style = workbook.params.number_format
    shows = (
        "how completely the customer master describes the managed customers (industry, region, size, reps, "
        "channel, competition and purchasing power)"
    )
    if workbook.tables.customers_from_orders:
        return [Needs(shows, "a customer master (the customers file)")]
    review = _review(workbook)
    if not len(review["groups"]["managed"]):
        return [
            Markdown("There are no managed customers: nobody has an inside rep, and no customer is small and active.")
        ]
    qual = review["qualification"]
    out = [table(qual.rename_axis("field_name"), workbook.params.currency, style, cells="share")]
    absent = [f for f in QUALIFICATION_FIELDS if f not in workbook.tables.customers]
    if absent:
        out.append(
            Markdown(f"Not in the customer master, so empty for everyone: {', '.join(words(f) for f in absent)}.")
        )
    return out


@section("07")
def churn(workbook) -> list:
    """The churn rate of each group before and after the start, against the market-customary rate."""
    style = workbook.params.number_format
    review = _review(workbook)
    if "baseline" in review["limited"]:
        return [
            Needs("the churn of each group before and after the programme start", _year_before_start(workbook, review))
        ]
    rates = review["churn"].rename(columns={"baseline": "churn_baseline", "followup": "churn_followup"})
    out = []
    if "year_before_baseline" in review["limited"]:
        rates = rates.drop(columns="churn_baseline")
        out.append(Markdown(f"The churn of the baseline is unknown: {review['limited']['year_before_baseline']}."))
    return [table(rates, workbook.params.currency, style)] + out


def promoted_text(review: dict, style: str = "en") -> str:
    """How many managed customers moved into a field-sales cluster, by cluster.

    >>> import pandas as pd
    >>> r = {"promoted": pd.DataFrame({"segment": ["field", "develop", "field"]}),
    ...      "groups": {"managed": pd.Index(["1", "2", "3", "4"])}}
    >>> promoted_text(r)
    '**3** of the 4 managed customers moved into a field-sales cluster since the start: field sales: 2, develop: 1.'
    """
    prom, managed = review["promoted"], review["groups"]["managed"]
    if not len(prom):
        return (
            f"None of the {count(len(managed), style=style)} managed customers moved into a field-sales cluster "
            "since the start."
        )
    counts = prom["segment"].value_counts()
    return (
        f"**{count(len(prom), style=style)}** of the {count(len(managed), style=style)} managed customers moved "
        "into a field-sales cluster since the start: "
        + ", ".join(f"{words(k, SEGMENTS)}: {count(v, style=style)}" for k, v in counts.items())
        + "."
    )


@section("07")
def promotions(workbook) -> list:
    """The managed customers now in a field-sales cluster that were not at the start, largest first."""
    style = workbook.params.number_format
    review = _review(workbook)
    if review["promoted"] is None:
        return [
            Needs(
                "the managed customers promoted to a field-sales cluster since the programme start",
                _year_before_start(workbook, review),
            )
        ]
    prom = review["promoted"]
    out = [Markdown(promoted_text(review, style))]
    if len(prom):
        top = prom.sort_values("revenue_12m", ascending=False, kind="stable").head(10).set_index("customer_id")
        out.append(
            table(
                top,
                workbook.params.currency,
                style,
                keep=["name", "industry", "segment_before", "segment", "revenue_12m", "share_of_wallet", "inside_rep"],
            )
        )
    return out


@section("07")
def growth_and_margin(workbook) -> list:
    """Revenue growth and margin rate of each group, baseline against follow-up."""
    style = workbook.params.number_format
    review = _review(workbook)
    perf = review["performance"]
    cur = workbook.params.currency
    if "baseline" in review["limited"]:
        follow = perf[["customers", "revenue_followup", "margin_followup", "margin_rate_followup"]]
        return [
            table(follow, cur, style),
            Markdown(
                f"Only the follow-up is shown. The growth and the margin rate of the baseline need "
                f"{_year_before_start(workbook, review)}."
            ),
            *_margin_note(workbook),
        ]
    return [
        group_growth_chart(perf, style),
        table(
            perf,
            cur,
            style,
            keep=["customers", "revenue_baseline", "revenue_followup", "revenue_growth"]
            + ["margin_rate_baseline", "margin_rate_followup"],
        ),
        *_margin_note(workbook),
    ]


def market_share_text(table: pd.DataFrame, period: str = "followup", style: str = "en") -> str:
    """The market share in the small-customer segment against the overall one, in one sentence.

    >>> t = pd.DataFrame({"share_followup": [0.1, 0.25]}, index=["overall", "small customers (managed)"])
    >>> market_share_text(t)
    'Market share in the small-customer segment: **25.0 %**, above the overall market share of 10.0 %.'
    """
    col = f"share_{period}"
    overall = table.loc["overall", col]
    if SMALL_CUSTOMER_SEGMENT not in table.index:
        return (
            "The market share in the small-customer segment is unknown: no managed customer has a known potential "
            "(what it could buy a year), which measures the segment's market."
        )
    small = table.loc[SMALL_CUSTOMER_SEGMENT, col]
    word = "above" if small > overall else "below" if small < overall else "equal to"
    return (
        f"Market share in the small-customer segment: **{share(small, style=style)}**, {word} the overall market "
        f"share of {share(overall, style=style)}."
    )


SEGMENT_MARKET_NOTE = (
    "The small-customer segment's market is what the managed customers could buy a year: the sum of their "
    "potentials (notebook 03). The industries' rows and the overall row use the market file's volumes."
)


@section("07")
def market_share(workbook) -> list:
    """The market share in the small-customer segment against the overall one, and per industry, before and after."""
    style = workbook.params.number_format
    shows = "the market share in the small-customer segment and overall, before and after the programme start"
    market = workbook.tables.market
    if market is None or not len(market):
        return [Needs(shows, "each segment's annual market volume (the market file)")]
    if not has_values(workbook.tables.customers, "industry"):
        return [
            Needs(
                shows,
                "an industry per customer, to place it in a market segment (column industry of the customer master)",
            )
        ]
    review = _review(workbook)
    market = review["market"]
    cur = workbook.params.currency
    if "baseline" in review["limited"]:
        return [
            Markdown(market_share_text(market, style=style)),
            table(market[["market_volume", "revenue_followup", "share_followup"]], cur, style),
            Markdown(
                f"Only the follow-up is shown. The share before the start needs {_year_before_start(workbook, review)}."
            ),
            Markdown(SEGMENT_MARKET_NOTE),
        ]
    return [
        Markdown(market_share_text(market, style=style)),
        table(market, cur, style),
        Markdown(SEGMENT_MARKET_NOTE),
    ]


def payback_text(review: dict, currency: str, style: str = "en", team: str = "") -> str:
    """Whether and when the inside-sales team paid for itself, in one or two sentences.

    >>> import pandas as pd
    >>> curve = pd.DataFrame({"cumulative_margin": [100.0, 900.0], "cumulative_cost": [500.0, 1000.0]})
    >>> print(payback_text({"team_size": 2, "amortisation": curve, "amortisation_month": None,
    ...                     "groups": {"other small": [1]}}, "EUR"))  # doctest: +NORMALIZE_WHITESPACE
    Team: 2 inside reps. Not paid back within the 2 months observed:
    cumulative extra margin 900 EUR against 1,000 EUR cost.
    """
    curve, month = review["amortisation"], review["amortisation_month"]
    size = review["team_size"]
    text = f"{team} " if team else f"Team: {count(size, style=style)} inside rep{'' if size == 1 else 's'}. "
    if month:
        text += f"The team paid for itself in month **{month}** after the start."
    elif not len(curve):
        text += "No whole month after the programme start is in the data yet."
    else:
        text += (
            f"Not paid back within the {len(curve)} months observed: cumulative extra margin "
            f"{money(curve['cumulative_margin'].iloc[-1], currency, decimals=0, style=style)} against "
            f"{money(curve['cumulative_cost'].iloc[-1], currency, decimals=0, style=style)} cost."
        )
    if not len(review["groups"].get("other small", [])):
        text += (
            " There is no comparison group of other small customers, so the team is credited with all of the "
            "managed group's growth."
        )
    return text


@section("07")
def payback(workbook) -> list:
    """The managed group's cumulative extra margin against the team's cumulative cost, month by month."""
    style = workbook.params.number_format
    review = _review(workbook)
    if review["amortisation"] is None:
        return [
            Needs(
                "the month the inside-sales team paid for itself",
                "the orders of the 12 months before the programme start, to compare each month with the same "
                f"month a year before (from {date_text(months_before(review['periods'].start, WINDOW_MONTHS), style)}); "
                f"{_starts(workbook)}",
            )
        ]
    if not len(review["groups"]["managed"]):
        return [Markdown("There are no managed customers, so there is no extra margin to set against the team's cost.")]
    cur = workbook.params.currency
    return [
        amortisation_chart(review["amortisation"], review["amortisation_month"], cur, style=style),
        Markdown(
            payback_text(
                review,
                cur,
                style=style,
                team=pilot_sentence(pilot_team(workbook), headcount_to_manage(workbook), style),
            )
        ),
        *_margin_note(workbook),
    ]


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with missing text as a dash and dates as days, so that a table shows no "nan" or "None".

    The sections show their tables through :func:`smartacct_helpers.presentation.tables.table`, which
    does this and more; this stays for code that builds its own tables.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%d.%m.%Y").fillna("–")
        elif (
            values.dtype == object
            or isinstance(values.dtype, pd.CategoricalDtype)
            or pd.api.types.is_string_dtype(values)
        ):
            out[column] = values.astype(object).where(values.notna(), "–")
    return out


def headcount_to_manage(workbook) -> int:
    """The inside reps the business case (notebook 04) sizes: the customers to manage at the middle capacity."""
    to_manage = int(classify(workbook)["to_manage"].sum())
    return headcount(to_manage, middle_capacity(workbook.assumptions.inside_rep_capacity))
