"""What notebook 06 shows: the levers, realism about growth and the smart accounts.

The levers on small customers (price, surcharge, minimum order, online
shift on the segments small and develop) answer what makes them pay; the
price rise on large customers (the field segment) is shown apart, so that
its gain is not taken for one of theirs.

Each section takes a workbook and returns a list of displayable objects
(:mod:`smartacct_helpers.presentation.sections`); the lever table, its orders and the ABC
history are remembered by the workbook, so the sections and the sliders
read the invoice lines once. The slider ranges of the assumptions are in
:data:`smartacct_helpers.presentation.widgets.SLIDERS`.

Without an input a section says what it would show and what provides it:
the online shift needs the orders' channel, the ABC transitions two whole
12-month windows of orders, the smart accounts a revenue trend over
``trend_years`` windows.
"""

from __future__ import annotations

import datetime as dt

from IPython.display import Markdown

from ..facts.coverage import first_order_date, trend_available
from ..facts.orders import WINDOW_MONTHS, months_before
from ..presentation.formatting import count, date_text, money, plain, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..small_customers.analysis import classify
from .analysis import (
    LARGE_CUSTOMER_LEVERS,
    available_levers,
    columns_held,
    lever_summary,
    lever_table,
    smart_account_list,
)
from .charts import lever_chart, transition_heatmap
from .orders import window_order_table
from .transitions import TRANSITION_NEEDS, growth_realism

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_NO_CHANNEL = (
    "*Online self-service is left out: it needs the sales channel of each order (column channel of the "
    "orders), to tell which orders went through the web shop already.*"
)


def _starts(workbook) -> str:
    first = first_order_date(workbook)
    return (
        f"the data starts on {date_text(first, workbook.params.number_format)}" if first else "the data holds no order"
    )


def data_notes(workbook) -> list[str]:
    """Sentences on what the levers reckon with where an order column is missing (none where all are there)."""
    style = workbook.params.number_format
    held = columns_held(workbook)
    a = workbook.assumptions
    notes = []
    if "order_id" not in held:
        notes.append("The orders carry no order number: an order is a customer's day with a purchase.")
    if "contribution_margin" not in held:
        notes.append(
            "The orders carry no contribution margin: it is taken as "
            f"{share(a.margin_rate_if_unknown, 0, style=style)} of revenue (the margin rate of the params "
            "file)."
        )
    return notes


def _without_orders(workbook) -> Needs | None:
    """The sentence of what the levers need where the last 12 months hold no order."""
    if len(window_order_table(workbook)):
        return None
    style = workbook.params.number_format
    start = months_before(workbook.reference_date, WINDOW_MONTHS)
    return Needs(
        "what each lever does to the orders of the last 12 months",
        f"orders after {date_text(start, style)} up to the reference date {date_text(workbook.reference_date, style)}",
    )


@section("06")
def starting_point(workbook) -> list:
    """Revenue, contribution margin, orders, cost to serve and operating profit per segment today."""
    style = workbook.params.number_format
    missing = _without_orders(workbook)
    if missing:
        return [missing]
    base = lever_table(workbook).loc["base"]
    notes = [Markdown(" ".join(data_notes(workbook)))] if data_notes(workbook) else []
    return notes + [
        table(
            base[["revenue", "contribution_margin", "orders", "cost_to_serve", "operating_profit"]],
            workbook.params.currency,
            style,
        )
    ]


def assumptions_text(workbook) -> str:
    """The lever assumptions of the params file in one paragraph."""
    style = workbook.params.number_format
    a = workbook.assumptions
    cur = workbook.params.currency
    field = a.price_elasticity if a.price_elasticity_field is None else a.price_elasticity_field
    text = (
        f"Assumptions on small customers: price +{share(a.price_increase_small, style=style)} at a price "
        f"elasticity of {plain(a.price_elasticity, style)}; "
        f"surcharge {money(a.small_order_surcharge, cur, style=style)} below "
        f"{money(a.surcharge_below_order_value, cur, decimals=0, style=style)} with "
        f"{share(a.surcharge_consolidation_share, style=style)} of those orders merged; minimum order "
        f"{money(a.minimum_order_value, cur, decimals=0, style=style)} with "
        f"{share(a.minimum_order_lost_share, style=style)} of the refused revenue lost"
    )
    if "online" in available_levers(workbook):
        text += (
            f"; {share(a.online_shift_share, style=style)} of the orders outside the shop move online at "
            f"{money(a.online_order_cost, cur, style=style)} instead of "
            f"{money(a.order_handling_cost, cur, style=style)} per order"
        )
    return (
        text + f". On large customers (the field segment): price +{share(a.price_increase_field, style=style)} "
        f"at a price elasticity of {field:g}."
    )


LARGE_TEXT = (
    "**On large customers, shown apart.** A price rise on the field segment is a lever on the large-customer "
    "business, not an answer to what makes small customers pay; its gain is not counted among theirs."
)


def _small_and_large(summary):
    """The rows of :func:`lever_summary` on small customers, and those on large customers with both together."""
    large = [*LARGE_CUSTOMER_LEVERS, "small_and_large"]
    return summary.drop(index=["base", *large]), summary.loc[large]


@section("06")
def each_lever(workbook) -> list:
    """The assumptions and what each lever alone, and all together, change: small and large customers apart."""
    style = workbook.params.number_format
    missing = _without_orders(workbook)
    if missing:
        return [missing]
    small, large = _small_and_large(lever_summary(lever_table(workbook)))
    cols = ["revenue_delta", "contribution_margin_delta", "cost_to_serve_delta", "operating_profit_delta"]
    cur = workbook.params.currency
    out = [Markdown(assumptions_text(workbook))]
    if "online" not in available_levers(workbook):
        out.append(Markdown(_NO_CHANNEL))
    return out + [
        Markdown("**Levers on small customers** (the segments small and develop)."),
        table(small.set_index("what_if")[cols], cur, style),
        Markdown(LARGE_TEXT),
        table(large.set_index("what_if")[cols], cur, style),
    ]


@section("06")
def all_levers(workbook) -> list:
    """Operating profit per segment before and after the levers on small customers, and that what-if per segment."""
    style = workbook.params.number_format
    missing = _without_orders(workbook)
    if missing:
        return [missing]
    levers = lever_table(workbook)
    cols = [
        "revenue",
        "revenue_delta",
        "contribution_margin_delta",
        "cost_to_serve_delta",
        "operating_profit",
        "operating_profit_delta",
    ]
    return [
        lever_chart(levers, workbook.params.currency, style=style),
        table(levers.loc["combined"][cols], workbook.params.currency, style),
    ]


#: the sliders above notebook 06's "each lever on its own": every lever's assumption
LEVER_SLIDERS = [
    "price_increase_small",
    "price_increase_field",
    "price_elasticity",
    "small_order_surcharge",
    "surcharge_below_order_value",
    "surcharge_consolidation_share",
    "minimum_order_value",
    "minimum_order_lost_share",
    "online_shift_share",
    "online_order_cost",
]


def growth_text(growth: dict, style: str = "en") -> str:
    """What the upgrade rates mean for today's C customers, or why the three-year rate is unknown.

    >>> import pandas as pd
    >>> rates = pd.DataFrame({"to_a_rate": [0.02, 0.05], "to_b_or_a_rate": [0.1, 0.2]}, index=[1, 3])
    >>> print(growth_text({"rates": rates, "c_customers_today": 200, "expected_new_a_3y": 10.0,
    ...                    "expected_small_3y": 190.0, "limited": {}}))
    Of the C customers of a year, **5.0 %** were A customers within three years (20.0 % reached B or A). With 200 C customers today, about **10** of them can be expected among the A customers within three years; the other 190 will stay small and must pay their way as small customers.
    """
    rates = growth["rates"]
    reason = growth["limited"].get("c_to_a_rate_3y")
    if reason:
        return f"{reason[0].upper()}{reason[1:]}, so the three-year rate cannot be measured yet."
    r3 = rates["to_a_rate"].get(3)
    if r3 is None or r3 != r3:
        return (
            "No customer was C in a 12-month window with three later ones in the data, so the three-year rate "
            "cannot be measured."
        )
    return (
        f"Of the C customers of a year, **{share(r3, style=style)}** were A customers within three years "
        f"({share(rates.loc[3, 'to_b_or_a_rate'], style=style)} reached B or A). With "
        f"{count(growth['c_customers_today'], style=style)} C customers today, about "
        f"**{count(growth['expected_new_a_3y'], style=style)}** of them can be expected among the A customers within "
        f"three years; the other {count(growth['expected_small_3y'], style=style)} will stay small and must pay "
        "their way as small customers."
    )


@section("06")
def growth(workbook) -> list:
    """The ABC transition matrix, the upgrade rates of C customers, and what they mean for today's."""
    style = workbook.params.number_format
    g = growth_realism(workbook)
    if "abc_transitions" in g["limited"]:
        since = months_before(workbook.reference_date, WINDOW_MONTHS * TRANSITION_NEEDS["abc_transitions"])
        return [
            Needs(
                "how often a C customer became a B or A customer a year later",
                f"two whole 12-month windows of orders, to compare each customer's ABC class with the one a "
                f"year later (from {date_text(since + dt.timedelta(days=1), style)}); {_starts(workbook)}",
            )
        ]
    rates = g["rates"][g["rates"]["c_customers"] > 0]  # a horizon without a C customer to follow: no row of dashes
    out = [transition_heatmap(g["matrix"], g["counts"], style)]
    if len(rates):
        out.append(table(rates, workbook.params.currency, style))
    return out + [Markdown(growth_text(g, style=style))]


def _trend_needs(workbook) -> Needs | None:
    years = workbook.assumptions.trend_years
    if trend_available(workbook, years):
        return None
    since = months_before(workbook.reference_date, WINDOW_MONTHS * years)
    return Needs(
        "the smart accounts: small customers whose revenue has grown and whose operating profit (margin "
        "after the cost to serve) is above zero",
        f"{_WORDS.get(years, years)} whole 12-month windows of orders to see the revenue grow (from "
        f"{date_text(since + dt.timedelta(days=1), workbook.params.number_format)}); {_starts(workbook)}",
    )


@section("06")
def smart_accounts(workbook) -> list:
    """How many smart accounts, their next steps, and the 15 most profitable."""
    style = workbook.params.number_format
    missing = _trend_needs(workbook)
    if missing:
        return [missing]
    smart = smart_account_list(classify(workbook), workbook.assumptions)
    if not len(smart):
        return [
            Markdown(
                "**No smart accounts** today: no small customer has both a growing revenue and an operating "
                "profit above zero after the cost to serve it."
            )
        ]
    steps = smart["next_step"].value_counts()
    text = (
        f"**{count(len(smart), style=style)} smart account{'' if len(smart) == 1 else 's'}**; next steps: "
        + ", ".join(f"{step}: {count(n, style=style)}" for step, n in steps.items())
        + "."
    )
    return [
        Markdown(text),
        table(
            smart.head(15).set_index("customer_id"),
            workbook.params.currency,
            style,
            keep=["name", "segment", "revenue_12m", "revenue_trend", "operating_profit_12m", "next_step"],
            export="smart_accounts.xlsx",
        ),
    ]
