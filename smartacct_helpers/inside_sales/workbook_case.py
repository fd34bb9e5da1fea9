"""The business case, the channel conflicts and the assignment of a workbook, each computed once.

What the sections of notebook 04 (:mod:`smartacct_helpers.inside_sales.views`),
the client exports and notebook 08 share: each is remembered by the workbook
under the values of the assumptions it reads, so that sections do not
recompute each other's work and a slider recomputes only what it changes.
Also the sentences a section says when the data lacks the customers to manage
or their potential.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..facts.concepts import group_labels
from ..field_visits.analysis import field_economics
from ..presentation.formatting import count, money
from ..presentation.sections import Needs
from ..small_customers.analysis import classify
from . import assignment, channels
from .business_case import (
    BusinessCase,
    CaseInputs,
    business_case,
    case_inputs,
    margin_in_data,
    middle_capacity,
    workbook_margin,
)

#: what provides the potential the uplift on the gap rests on
POTENTIAL_NEEDS = (
    "a potential per customer to manage: an industry and an employee count per customer (columns "
    "industry and employees of the customer master), or two complete calendar years of orders"
)
CHANNEL_NEEDS = (
    "a sales channel per invoice line (column channel of the orders: field, inside, online, distributor or retail)"
)


@dataclass(frozen=True)
class Case:
    """The business case of one set of assumptions: the customers, the inputs, the middle capacity, the base case."""

    classified: pd.DataFrame
    inputs: CaseInputs
    capacity: int
    base: BusinessCase

    def copy(self, deep: bool = False) -> Case:  # what the workbook's memory hands out; nothing here is changed
        return self


def _compute_case(workbook, a) -> Case:
    df = classify(workbook, a)
    inputs = case_inputs(df, a, margin_in_data(workbook), workbook_margin(workbook, df, a))
    capacity = middle_capacity(a.inside_rep_capacity)
    return Case(df, inputs, capacity, business_case(inputs, a, capacity))


def business_case_of(workbook, assumptions=None) -> Case:
    """The base case (internal team, middle capacity) of the workbook's assumptions, computed once.

    ``assumptions`` are those of a computation that is itself remembered
    (so that the ones read here count as read there).
    """
    return workbook.remembered(
        "inside_sales_case",
        lambda a: _compute_case(workbook, a),
        workbook.assumptions if assumptions is None else assumptions,
    )


def channel_revenue_of(workbook) -> pd.DataFrame:
    """Window revenue per customer and channel (:func:`~.channels.channel_revenue`), summed once."""
    return workbook.remembered(
        "channel_revenue",
        lambda a: channels.channel_revenue(workbook.order_totals, workbook.reference_date),
        workbook.assumptions,
    )


def has_channels(workbook) -> bool:
    """Whether the orders give a sales channel for any window revenue."""
    return channels.known_channels(channel_revenue_of(workbook))


def conflicts_of(workbook, assumptions=None) -> pd.DataFrame:
    """The customers to manage with their channel shares, conflict flag and owner, computed once."""

    def compute(a) -> pd.DataFrame:
        df = classify(workbook, a)
        return channels.channel_conflicts(
            None,
            df,
            workbook.reference_date,
            a.channel_conflict_min_share,
            a.channel_partner_owner_share,
            revenue=channel_revenue_of(workbook),
        )

    return workbook.remembered(
        "channel_conflicts", compute, workbook.assumptions if assumptions is None else assumptions
    )


def assigned_of(workbook) -> pd.DataFrame:
    """The customers to manage, each with its inside rep (:func:`~.assignment.assign_inside_reps`).

    As many reps as the base case needs, the reps the master names first and new ones numbered on in the
    same scheme (:func:`~.assignment.team_names`); the
    region and industry of a customer without one are "unknown"; the
    channel owner and conflict channels come along where the orders give
    channels. Empty without customers to manage.
    """

    def compute(a) -> pd.DataFrame:
        case = business_case_of(workbook, a)
        df = case.classified
        managed = df[df["to_manage"].astype(bool)]
        managed = managed.assign(**{c: group_labels(managed, c) for c in ("region", "industry") if c in managed})
        if has_channels(workbook):
            conflicts = conflicts_of(workbook, a)[["customer_id", "owner", "conflict_channels"]]
            managed = managed.merge(conflicts, on="customer_id", how="left")
        if managed.empty:
            return managed.assign(assigned_inside_rep=pd.Series(dtype=object))
        master = workbook.tables.customers
        known = master["inside_rep"].dropna().unique() if master is not None and "inside_rep" in master else ()
        reps = assignment.team_names(max(case.base.headcount, 1), known)  # the master's reps keep their names
        return assignment.assign_inside_reps(managed, reps, a.assignment_tolerance)

    return workbook.remembered("inside_rep_assignment", compute, workbook.assumptions)


# -- what a section says without its inputs ----------------------------------------------------------------------


def _without_customers(workbook, shows: str) -> Needs:
    style = workbook.params.number_format
    a = workbook.assumptions
    threshold = money(field_economics(a).sales_threshold, workbook.params.currency, style=style)
    return Needs(
        shows,
        f"customers to manage (below the sales threshold of {threshold} with an order in the last "
        f"{a.active_window_months} months), and the data has none",
    )


def _needs(workbook, case: Case, shows: str, potential: bool = True) -> list | None:
    """``[Needs]`` when the case lacks customers to manage (or, with ``potential``, their potential); else None."""
    if case.inputs.customers == 0:
        return [_without_customers(workbook, shows)]
    if potential and not case.inputs.gap_known:
        return [Needs(shows, POTENTIAL_NEEDS)]
    return None


def _reps(n: int, style: str = "en") -> str:
    return f"{count(n, style=style)} rep" if n == 1 else f"{count(n, style=style)} reps"
