"""The sections of notebook 08, the introduction plan: from the numbers to a decision and a pilot.

Each section returns what to show or, where the data lacks its inputs, one
sentence of what it would show and what provides it
(:class:`~smartacct_helpers.presentation.sections.Needs`):

* the proposal (grow the small customers or serve them cheaply) needs
  customers to manage;
* the success factors always show, each saying what the data tells and
  what it would need to tell more;
* internal team or service provider needs customers to manage;
* the pilot needs customers to manage, their potential (for the expected
  uplift) and at least two of them; the list of its customers is written
  as an export (:func:`write_pilot_groups`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from ..inside_sales.business_case import scenario_table
from ..inside_sales.rep_cover import rep_cover
from ..inside_sales.views import POTENTIAL_NEEDS, _without_customers, business_case_of, conflicts_of, has_channels
from ..presentation.formatting import count, money, plain, share
from ..presentation.sections import Needs, section
from ..presentation.tables import table
from ..small_customers.analysis import classify
from . import analysis as intro
from .charts import pilot_size_chart

#: the file name of the pilot's customer list in the export folder
PILOT_FILE = "pilot_groups.csv"


def _style(workbook):
    return workbook.params.number_format, workbook.params.currency


def _counts(workbook) -> tuple[int, int]:
    df = classify(workbook)
    managed = df[df["to_manage"].astype(bool)]
    return int(managed["segment"].eq("develop").sum()), int(managed["segment"].eq("small").sum())


# -- 1. active or passive --------------------------------------------------------------------------------------------


@section("08")
def proposal_section(workbook) -> list:
    """Grow the small customers through inside sales, or serve them cheaply: the proposal and its rule."""
    style, cur = _style(workbook)
    develop, small = _counts(workbook)
    cover = rep_cover(workbook)
    proposal = intro.active_or_passive(develop, small, cover.ratio, cover.capacity)
    if proposal is None:
        return [_without_customers(workbook, "whether to grow the small customers or to serve them cheaply")]
    ratio = plain(cover.ratio, style=style, decimals=2)
    facts = (
        f"{count(develop, style=style)} of the customers to manage are *develop* customers (a material gap, revenue not "
        f"falling) and {count(small, style=style)} are *small*; the rep cover is {ratio} (one rep's "
        f"{count(cover.capacity, style=style)} customers bring {money(cover.margin_per_rep, cur, decimals=0, style=style)} "
        f"of margin a year against the rep's {money(cover.rep_cost, cur, decimals=0, style=style)})."
    )
    if proposal.approach == intro.GROW_ALL:
        decision = (
            "**Proposal: active management, grow them.** The margin the customers bring today already pays for "
            "the inside reps, so every customer to manage gets an inside rep who sells actively; the develop "
            "customers come first in each rep's week."
        )
    elif proposal.approach == intro.GROW_DEVELOP:
        decision = (
            "**Proposal: active for the develop customers, passive for the rest.** Today's margin does not pay for "
            "a rep across all customers to manage, but the develop customers fill at least one rep: a smaller team "
            "grows them, and the small customers move to self-service, surcharges and minimum orders (notebook 06)."
        )
    else:
        decision = (
            "**Proposal: passive management, serve them cheaply.** Today's margin does not pay for an inside rep and "
            "the develop customers would not fill one: self-service, a small-order surcharge and minimum order "
            "values (notebook 06) keep these customers at a lower cost to serve."
        )
    rule = (
        "The rule: with a rep cover of 1 or more, grow all customers to manage; below 1, grow only the develop "
        "customers where they fill at least one rep; otherwise serve them cheaply. Active can also mean the "
        "opposite choice, to part with customers who cost more than they bring; the levers of notebook 06 show "
        "what that would save."
    )
    return [Markdown(f"{facts}\n\n{decision}\n\n{rule}")]


# -- 2. the seven success factors -----------------------------------------------------------------------------------


def _pct(value, style) -> str:
    return "unknown" if value is None else share(value, style=style)


def success_factor_table(workbook) -> pd.DataFrame:
    """The seven success factors with what the data says and what follows (columns factor, the data, status)."""
    style, cur = _style(workbook)
    a = workbook.assumptions
    df = classify(workbook)
    facts = intro.success_factor_facts(df, workbook.tables.activities, workbook.reference_date)
    case = business_case_of(workbook)
    cover = rep_cover(workbook)
    rows = []

    both = facts["both_reps_share"]
    if both is None:
        said = "the customer master names no outside rep and inside rep per customer"
        status = "to set up"
    else:
        said = (
            f"{_pct(both, style)} of the customers to manage have both an outside and an inside rep named "
            f"(outside rep: {_pct(facts['outside_rep_share'], style)}, inside rep: {_pct(facts['inside_rep_share'], style)})"
        )
        status = "in place" if both >= 0.95 else "to set up"
    rows.append(("1. the outside sales force is on board", said, status))

    crm = facts["crm_share"]
    if crm is None:
        said, status = "the data holds no CRM activities (the activities file)", "to set up"
    else:
        said = f"{_pct(crm, style)} of the customers to manage have a CRM activity in the last 12 months"
        status = "in place" if crm >= 0.8 else "to improve"
    rows.append(("2. transparency at all times", said, status))

    if case.inputs.customers == 0:
        said, status = "no customer is to manage, so there is no business case", "not applicable"
    elif not case.inputs.gap_known:
        said, status = f"the ROI needs {POTENTIAL_NEEDS}", "to complete"
    else:
        said = (
            f"ROI over {a.business_case_months} months {share(case.base.roi, style=style)}; rep cover "
            f"{plain(cover.ratio, style=style, decimals=2)} (notebook 04)"
        )
        status = "done" if case.base.roi > 0 else "does not pay as assumed"
    rows.append(("3. the ROI before the start", said, status))

    pot = facts["potential_share"]
    said = f"{_pct(pot, style)} of the customers to manage have a potential estimate (industry or historic peak)"
    rows.append(("4. the potential estimated correctly", said, "done" if (pot or 0) >= 0.8 else "to improve"))

    if not has_channels(workbook):
        said, status = "the orders name no sales channel (column channel), so conflicts cannot be seen", "to check"
    elif facts["customers"] == 0:
        said, status = "no customer is to manage", "not applicable"
    else:
        flagged = int(conflicts_of(workbook)["conflict"].astype(bool).sum())
        said = f"{count(flagged, style=style)} of the customers to manage also buy through other channels (notebook 04)"
        status = "to agree" if flagged else "none seen"
    rows.append(("5. channel conflicts considered", said, status))

    hand = facts["handoff_share"]
    if hand is None:
        said = "the CRM activities do not name the team (column team: outside / inside), so hand-offs cannot be seen"
        status = "to set up"
    else:
        said = f"{_pct(hand, style)} of the customers to manage had contact from both teams in the last 12 months"
        status = "in place" if hand >= 0.5 else "to define"
    rows.append(("6. processes and hand-offs defined", said, status))

    pm = money(a.project_manager_annual_cost, cur, decimals=0, style=style)
    said = (
        f"the business case budgets {pm} a year for a project manager; the targets are the year-one results of "
        f"notebook 07 (below)"
    )
    rows.append(("7. a project manager with targets", said, "budgeted" if a.project_manager_annual_cost else "missing"))
    return pd.DataFrame(rows, columns=["success factor", "what the data says", "status"]).set_index("success factor")


def year_one_targets(workbook) -> pd.DataFrame:
    """The project manager's targets: the six year-one results of notebook 07 with their target values."""
    style, _ = _style(workbook)
    a = workbook.assumptions
    case = business_case_of(workbook)
    pay = case.base.payback_months if case.inputs.customers else None
    rows = [
        ("data of the managed customers qualified", "complete data for every managed customer"),
        ("churn of the segment", f"down to the market's customary rate of {share(a.market_churn_rate, style=style)}"),
        ("customers promoted to field-sales clusters", "named and handed to the outside force"),
        ("revenue growth and margin rate", "above those of the A customers (large-customer business)"),
        ("market share in the small-customer segment", "above the overall market share"),
        (
            "the team has paid for itself",
            f"by month {pay}, as the business case expects" if pay else "within the business case's horizon",
        ),
    ]
    return pd.DataFrame(rows, columns=["year-one result", "target"]).set_index("year-one result")


@section("08")
def success_factors_section(workbook) -> list:
    """The seven success factors of introducing inside sales, each with what the data says."""
    style, cur = _style(workbook)
    return [
        table(success_factor_table(workbook), cur, style),
        Markdown("**The project manager's targets for the first year** (measured in notebook 07):"),
        table(year_one_targets(workbook), cur, style),
    ]


# -- 3. internal team or service provider ---------------------------------------------------------------------------

#: the points beyond cost, in the workbook's words
INTERNAL_POINTS = [
    "the outside force tends to use inside reps as office staff: their role has to be protected",
    "a project manager who works on it full time and knows inside sales is needed in any case",
    "the CRM must carry the sales processes and the reporting before the start",
    "the outside reps must see the inside team as support, or they will work against it",
]
EXTERNAL_POINTS = [
    "an experienced provider reaches full speed sooner and knows the usual mistakes",
    "it recruits and selects people with a talent for selling, and pays for their training",
    "its people work on the programme alone, and it keeps the CRM entries current every day",
]


@section("08")
def internal_external_section(workbook) -> list:
    """Internal team or service provider: the numbers of notebook 04 beside the points beyond cost."""
    style, cur = _style(workbook)
    case = business_case_of(workbook)
    if case.inputs.customers == 0:
        return [_without_customers(workbook, "an internal team against a service provider")]
    a = workbook.assumptions
    t = scenario_table(case.inputs, a, [case.capacity])
    t = t[t["scenario"] == "base"].set_index("provider")
    rows = {}
    for provider, label in (("internal", "internal team"), ("external", "service provider")):
        r = t.loc[provider]
        ramp = a.ramp_up_months if provider == "internal" else a.external_ramp_up_months
        rows[label] = {
            "inside reps": count(int(r["headcount"]), style=style),
            "cost a year": money(r["yearly_cost"], cur, decimals=0, style=style),
            "ramp-up": f"{ramp} months",
            "ROI": share(r["roi"], style=style) if case.inputs.gap_known else "unknown",
            "payback": "unknown"
            if not case.inputs.gap_known
            else ("not within the horizon" if pd.isna(r["payback_months"]) else f"month {int(r['payback_months'])}"),
        }
    numbers = pd.DataFrame(rows).rename_axis("figure")
    points = (
        "**Internal team: what to plan for**\n\n"
        + "\n".join(f"* {p}" for p in INTERNAL_POINTS)
        + "\n\n**Service provider: what speaks for it**\n\n"
        + "\n".join(f"* {p}" for p in EXTERNAL_POINTS)
    )
    items = [table(numbers, cur, style), Markdown(points)]
    if not case.inputs.gap_known:
        items.insert(1, Markdown(f"ROI and payback need {POTENTIAL_NEEDS}."))
    return items


# -- 4. the pilot ---------------------------------------------------------------------------------------------------


def pilot_plan(workbook) -> dict:
    """The pilot's inputs and size: effect, spread, customers per group, and the groups (remembered)."""

    def compute(a):
        df = classify(workbook, a)
        effect = intro.pilot_effect(df, a.revenue_uplift_on_gap)
        out = {"effect": effect, "per_group": None, "detectable": None, "groups": None}
        if effect.effect is None or effect.sd is None or effect.customers < 2:
            return _Plan(out)
        per_group = intro.pilot_sample_size(effect.effect, effect.sd, a.pilot_significance, a.pilot_power)
        groups = intro.pilot_groups(df, per_group, a.pilot_seed)
        held = int(min((groups["pilot_group"] == g).sum() for g in (intro.TREATMENT, intro.CONTROL)))
        out |= {
            "per_group": per_group,
            "groups": groups,
            "held": held,
            "detectable": intro.detectable_effect(max(held, 1), effect.sd, a.pilot_significance, a.pilot_power),
        }
        return _Plan(out)

    return workbook.remembered("pilot_plan", compute, workbook.assumptions)


class _Plan(dict):
    def copy(self, deep: bool = False) -> _Plan:
        return _Plan(self)


def _pilot_needs(workbook, plan) -> list | None:
    e = plan["effect"]
    shows = "a pilot: a treatment and a comparable control group, sized to show the expected uplift within a year"
    if e.customers == 0:
        return [_without_customers(workbook, shows)]
    if e.effect is None:
        return [Needs(shows, POTENTIAL_NEEDS)]
    if e.sd is None or e.customers < 2:
        return [Needs(shows, "at least two customers to manage whose revenue differs")]
    return None


@section("08")
def pilot_design_section(workbook) -> list:
    """The pilot: expected uplift, spread, customers per group at the stated significance and power."""
    style, cur = _style(workbook)
    plan = pilot_plan(workbook)
    missing = _pilot_needs(workbook, plan)
    if missing:
        return missing
    a = workbook.assumptions
    e, n, held = plan["effect"], plan["per_group"], plan["held"]
    outcome = (
        "the change of each customer's yearly revenue (the pilot year against the year before)"
        if e.outcome == "revenue change"
        else "each customer's yearly revenue"
    )
    text = (
        f"**Expected uplift**: {share(a.revenue_uplift_on_gap, style=style)} of the average gap to potential, "
        f"{money(e.effect, cur, decimals=0, style=style)} of revenue per customer in the pilot year. It has to show "
        f"against the spread of {outcome} among the customers to manage: a standard deviation of "
        f"{money(e.sd, cur, decimals=0, style=style)}.\n\n"
        f"**Size**: to detect that uplift with a two-sided test at {share(a.pilot_significance, style=style)} "
        f"significance and {share(a.pilot_power, style=style)} power, each group needs "
        f"**{count(n, style=style)} customers** (2 x (z of {share(1 - a.pilot_significance / 2, style=style)} + "
        f"z of {share(a.pilot_power, style=style)})² x spread² / uplift²)."
    )
    if held < n:
        text += (
            f" There are only {count(e.customers, style=style)} customers to manage, so the pilot takes all of them, "
            f"{count(held, style=style)} per group; that detects an uplift of "
            f"{money(plan['detectable'], cur, decimals=0, style=style)} or more per customer, not less."
        )
    text += (
        "\n\n**Design**: the customers are drawn at random within strata of segment, size (revenue quartile) and "
        "region, and split alternately, so both groups look alike. The treatment group gets an inside rep from the "
        "start; the control group is served as before. After a year, notebook 07 compares the two groups "
        "(each customer's group is entered in the customer master, and the pilot's start in the params)."
    )
    chart = pilot_size_chart(
        e.effect, e.sd, max(held, 1), a.pilot_significance, a.pilot_power, currency=cur, style=style
    )
    return [Markdown(text), chart]


#: the assumptions notebook 08 offers as sliders (their ranges are in :data:`~.presentation.widgets.SLIDERS`)
PILOT_SLIDERS = ["revenue_uplift_on_gap", "pilot_significance", "pilot_power"]


@section("08")
def pilot_groups_section(workbook) -> list:
    """How alike the two pilot groups are: customers and revenue per stratum and group."""
    style, cur = _style(workbook)
    plan = pilot_plan(workbook)
    missing = _pilot_needs(workbook, plan)
    if missing:
        return missing
    g = plan["groups"]
    summary = g.pivot_table(
        index="stratum", columns="pilot_group", values="customer_id", aggfunc="size", fill_value=0
    ).reindex(columns=[intro.TREATMENT, intro.CONTROL], fill_value=0)
    revenue = g.groupby("pilot_group")["revenue_12m"].mean().reindex([intro.TREATMENT, intro.CONTROL])
    text = (
        f"Treatment {count(int(summary[intro.TREATMENT].sum()), style=style)} customers, control "
        f"{count(int(summary[intro.CONTROL].sum()), style=style)}; their average revenue in the last 12 months: "
        f"{money(revenue[intro.TREATMENT], cur, decimals=0, style=style)} and "
        f"{money(revenue[intro.CONTROL], cur, decimals=0, style=style)}."
    )
    summary.columns = ["treatment group", "control group"]
    return [Markdown(text), table(summary.rename_axis("stratum"), cur, style, cells="customers")]


def write_pilot_groups(workbook, export_dir: str | Path) -> list:
    """Write the pilot's customers (treatment and control) as a CSV file; say what was written."""
    plan = pilot_plan(workbook)
    if _pilot_needs(workbook, plan):
        return [Markdown("Nothing to write: the data cannot size a pilot.")]
    path = Path(export_dir) / PILOT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    plan["groups"].to_csv(tmp, index=False)
    tmp.replace(path)
    return [Markdown(f"Written: `{path.name}` (the pilot's customers with their group and stratum).")]
