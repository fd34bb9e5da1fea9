"""The assumptions: every number of the method, with its default, its meaning and its source.

The ``assumptions`` key of the params file (:class:`Assumptions`). Each field
carries the source of its default, which the report's assumptions table
shows (docs/method.md section 8):

* :data:`ARTICLE`: one of the few numbers the practitioner articles give
  (4 to 6 visits a year, the 8 % sales-cost ratio, 350 to 450 customers per
  inside rep, the electricians' 9,000 EUR per employee, the best of the last
  5 years, the value analysis per quarter or, where orders are small, per
  month);
* :data:`DEFAULT`: a smartacct default, ours, to be replaced by the
  client's own figure where it is known;
* :data:`CLIENT_INPUT`: a value the client's params file sets (or a run
  sets) to something other than the default;
* :data:`CLIENT_DATA`: a figure taken from the client's data, such as the
  margin rate of the orders or the reference date.

Long because :class:`Assumptions` is a catalogue: one field per number of the
method, each with its default, its meaning and its source, and little code.
Kept in one class, every number a client may change is found in one place.

Examples
--------
>>> Assumptions().max_sales_cost_ratio
0.08
>>> AbcLimits(a=0.7, b=0.9).b
0.9
>>> default_source("abc"), default_source("max_sales_cost_ratio")
('smartacct default', 'article')
>>> default_source("potential_per_employee", "electricians"), default_source("potential_per_employee", "hvac")
('article', 'client input')
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: a number the practitioner articles give (docs/method.md section 8)
ARTICLE = "article"
#: a smartacct default: ours, replaced by the client's figure where it is known
DEFAULT = "smartacct default"
#: the same label under its earlier name
ASSUMPTION = DEFAULT
#: a value the client's params file sets to something other than the default
CLIENT_INPUT = "client input"
#: a figure taken from the client's data
CLIENT_DATA = "client data"
#: every source label there is
SOURCES = (ARTICLE, DEFAULT, CLIENT_INPUT, CLIENT_DATA)

#: the months within which the chance of paying back is reckoned; it is defined here, below every room, so that
#: the description of ``go_min_probability_payback`` can name it, and the reports, the dashboard and the charts
#: take it as :data:`smartacct_helpers.inside_sales.figures.PAYBACK_CHANCE_MONTHS`
PAYBACK_CHANCE_MONTHS = 24


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _source(label: str, meaning: str, **extra) -> dict[str, Any]:
    return {"json_schema_extra": {"source": label, **extra}, "description": meaning}


class AbcLimits(_Strict):
    a: float = Field(0.80, gt=0, lt=1)
    b: float = Field(0.95, gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> AbcLimits:
        if self.a >= self.b:
            raise ValueError(f"abc.a ({self.a}) must be below abc.b ({self.b})")
        return self


class Assumptions(_Strict):
    """Every number of the method, with its default and where it comes from."""

    abc: AbcLimits = Field(
        default_factory=AbcLimits,
        **_source(DEFAULT, "ABC limits on cumulative revenue share (A up to 80 %, B up to 95 %)"),
    )
    outside_rep_annual_cost: float = Field(
        110_000, gt=0, **_source(DEFAULT, "fully loaded annual cost of one outside rep")
    )
    working_days: int = Field(200, gt=0, le=366, **_source(DEFAULT, "working days of an outside rep per year"))
    visits_per_day: float = Field(4, gt=0, **_source(DEFAULT, "customer visits per outside rep and day"))
    visits_per_customer_year: float = Field(
        5, ge=0, **_source(ARTICLE, "visits a customer needs per year to feel looked after (4 to 6)")
    )
    max_sales_cost_ratio: float = Field(
        0.08, gt=0, lt=1, **_source(ARTICLE, "highest acceptable sales cost as a share of revenue")
    )
    inside_rep_capacity: list[int] = Field(
        default_factory=lambda: [350, 400, 450],
        min_length=1,
        **_source(ARTICLE, "customers one inside-sales rep can manage (low / mid / high)"),
    )
    inside_rep_annual_cost: float = Field(
        65_000, gt=0, **_source(DEFAULT, "fully loaded annual cost of one inside-sales rep")
    )
    active_window_months: int = Field(
        24, gt=0, **_source(DEFAULT, "months with an order that make a small customer worth managing")
    )
    potential_per_employee: dict[str, float] = Field(
        default_factory=lambda: {"electricians": 9_000},
        **_source(
            DEFAULT,
            "installable value per employee and year, by industry",
            article={"electricians": 9_000},
        ),
    )
    potential_history_years: int = Field(
        5, gt=0, **_source(ARTICLE, "years of history whose best year estimates the potential")
    )
    develop_max_share_of_wallet: float = Field(
        0.5, gt=0, le=1, **_source(DEFAULT, "share of wallet below which a high-potential customer is 'develop'")
    )
    develop_min_gap: float | None = Field(
        None,
        ge=0,
        **_source(
            DEFAULT,
            "gap to potential a customer needs to count as 'develop' (empty = the yearly management cost per customer)",
        ),
    )
    trend_years: int = Field(
        3,
        ge=2,
        **_source(
            DEFAULT, "years over which the revenue trend of a smart account (and of a 'develop' customer) is measured"
        ),
    )
    order_handling_cost: float = Field(20, ge=0, **_source(DEFAULT, "internal cost of handling one order"))
    margin_rate_if_unknown: float = Field(
        0.25, ge=0, le=1, **_source(DEFAULT, "contribution margin rate used where the data has no margin")
    )
    small_order_value: float = Field(
        150, ge=0, **_source(DEFAULT, "average order value below which orders count as small")
    )
    many_orders_per_year: int = Field(6, ge=1, **_source(DEFAULT, "orders per year from which a customer orders often"))

    # -- the inside-sales business case (docs/method.md sections 2 to 4) --
    outside_rep_cost_parts: dict[str, float] = Field(
        default_factory=lambda: {
            "salary": 65_000,
            "social_charges": 13_500,
            "car": 12_000,
            "travel": 11_500,
            "expenses": 8_000,
        },
        **_source(DEFAULT, "parts of an outside rep's annual cost, scaled to add up to outside_rep_annual_cost"),
    )
    project_manager_annual_cost: float = Field(
        90_000, ge=0, **_source(DEFAULT, "fully loaded annual cost of the inside-sales project manager")
    )
    systems_annual_cost: float = Field(
        25_000, ge=0, **_source(DEFAULT, "CRM, telephony and licences of the inside-sales team per year")
    )
    setup_cost: float = Field(
        40_000, ge=0, **_source(DEFAULT, "one-off cost of starting the team: recruiting, training, CRM set-up")
    )
    ramp_up_months: int = Field(
        6, ge=0, le=24, **_source(DEFAULT, "months until an internal inside-sales team works at full effect")
    )
    revenue_uplift_on_gap: float = Field(
        0.04, ge=0, le=1, **_source(DEFAULT, "share of the managed customers' gap won per year at full effect")
    )
    churn_rate: float = Field(
        0.10,
        ge=0,
        le=1,
        **_source(DEFAULT, "share of the managed customers' revenue lost per year without inside sales"),
    )
    churn_reduction: float = Field(
        0.30, ge=0, le=1, **_source(DEFAULT, "share of that loss the inside-sales team prevents")
    )
    field_time_freed_value: float = Field(
        0.5, ge=0, le=1, **_source(DEFAULT, "share of the freed field-visit cost that turns into margin elsewhere")
    )
    external_cost_per_rep_month: float = Field(
        6_500,
        gt=0,
        **_source(DEFAULT, "price of an external provider per inside-sales rep and month (systems included)"),
    )
    external_ramp_up_months: int = Field(
        3, ge=0, le=24, **_source(DEFAULT, "months until an external provider's team works at full effect")
    )
    scenario_spread: float = Field(
        0.5,
        ge=0,
        lt=1,
        **_source(
            DEFAULT,
            "pessimistic / optimistic: uplift and churn reduction x (1 -/+ spread), ramp-up x (1 +/- spread)",
        ),
    )
    business_case_months: int = Field(
        36, ge=24, le=120, **_source(DEFAULT, "months over which ROI and payback are reckoned")
    )
    monte_carlo_runs: int = Field(
        2_000, ge=100, le=100_000, **_source(DEFAULT, "simulated runs of the uncertain inputs")
    )
    monte_carlo_seed: int = Field(
        42, ge=0, **_source(DEFAULT, "seed of the simulation, so that a rerun gives the same figures")
    )
    channel_conflict_min_share: float = Field(
        0.2,
        ge=0,
        le=1,
        **_source(DEFAULT, "share of revenue through distributor, retail or online shop that flags a channel conflict"),
    )
    channel_partner_owner_share: float = Field(
        0.5,
        gt=0,
        le=1,
        **_source(
            DEFAULT, "share of revenue through a distributor or retailer from which the partner owns the customer"
        ),
    )
    go_min_roi: float = Field(
        0.0,
        **_source(
            DEFAULT, "the report recommends an inside-sales team only when its ROI (base scenario) is above this"
        ),
    )
    go_min_probability_payback: float = Field(
        0.7,
        ge=0,
        le=1,
        **_source(
            DEFAULT,
            f"the report recommends an inside-sales team only when it pays back within {PAYBACK_CHANCE_MONTHS} months "
            "with at least this probability",
        ),
    )
    lever_min_operating_profit_gain: float = Field(
        0.0,
        ge=0,
        **_source(DEFAULT, "the report recommends a lever only when it raises the operating profit by more than this"),
    )
    assignment_tolerance: float = Field(
        0.05,
        gt=0,
        lt=1,
        **_source(DEFAULT, "largest deviation of an inside rep's customers and potential from the mean"),
    )

    # -- key accounts (docs/method.md section 5) --
    key_account_min_share: float = Field(
        0.05,
        gt=0,
        le=1,
        **_source(
            DEFAULT, "share of revenue or of contribution margin from which a customer is a key-account candidate"
        ),
    )
    key_account_top_n: int = Field(
        20,
        ge=0,
        **_source(DEFAULT, "the N largest customers by revenue are key-account candidates too (0 = share rule only)"),
    )
    major_customer_share: float = Field(
        0.10,
        gt=0,
        le=1,
        **_source(
            DEFAULT,
            "share of revenue from which one customer is flagged as a concentration risk (IFRS 8 major-customer rule)",
        ),
    )
    fixed_costs: float | None = Field(
        None,
        ge=0,
        **_source(DEFAULT, "annual fixed costs the contribution margin has to cover (empty = not known)"),
    )
    call_cost: float = Field(8, ge=0, **_source(DEFAULT, "cost of one sales or service call"))
    line_handling_cost: float = Field(
        2, ge=0, **_source(DEFAULT, "cost of picking, packing and invoicing one order line")
    )
    account_value_weight_proximity: float = Field(
        1, ge=0, **_source(DEFAULT, "weight of proximity (short distance) in the account-value score")
    )
    account_value_weight_growth: float = Field(
        1, ge=0, **_source(DEFAULT, "weight of long-term growth potential in the account-value score")
    )
    account_value_weight_ease: float = Field(
        1,
        ge=0,
        **_source(DEFAULT, "weight of ease of service (low cost to serve per revenue) in the account-value score"),
    )
    scorecard_partner_min_score: int = Field(
        4,
        ge=1,
        le=5,
        **_source(
            DEFAULT,
            "a strategic partner scores at least this on willingness to partner, transparency and growth potential",
        ),
    )
    scorecard_key_account_min_average: float = Field(
        3.5,
        ge=1,
        le=5,
        **_source(DEFAULT, "a key account scores at least this on average over the three scorecard criteria"),
    )
    self_service_max_revenue: float = Field(
        1_500,
        ge=0,
        **_source(DEFAULT, "customers buying less than this a year are served through self-service (web shop)"),
    )
    value_analysis_frequency: Literal["quarter", "month"] = Field(
        "quarter",
        **_source(
            ARTICLE, "how often the value analysis follows each key account: quarter, or month where orders are small"
        ),
    )
    exit_barrier_min_years: float = Field(
        3,
        ge=0,
        **_source(DEFAULT, "years as a customer from which the length of a relationship counts as an exit barrier"),
    )
    exit_barrier_min_product_share: float = Field(
        0.5,
        gt=0,
        le=1,
        **_source(
            DEFAULT, "share of the product groups a key account buys from which its range counts as an exit barrier"
        ),
    )

    # -- levers, the year-one review and early warning (docs/method.md sections 6 and 7) --
    price_increase_small: float = Field(
        0.03, ge=-0.5, le=1, **_source(DEFAULT, "price increase for the small-customer segments (small, develop)")
    )
    price_increase_field: float = Field(
        0.01,
        ge=-0.5,
        le=1,
        **_source(DEFAULT, "price increase for the large customers of the field segment (a large-customer lever)"),
    )
    price_elasticity: float = Field(
        -0.8,
        ge=-10,
        le=0,
        **_source(
            DEFAULT,
            "change of the volume the small customers buy per unit change of the price (-0.8: +1 % price, "
            "-0.8 % volume); the large customers' too unless price_elasticity_field is set",
        ),
    )
    price_elasticity_field: float | None = Field(
        None,
        ge=-10,
        le=0,
        **_source(
            DEFAULT,
            "change of the volume the large customers of the field segment buy per unit change of the price "
            "(empty = price_elasticity)",
        ),
    )
    small_order_surcharge: float = Field(
        10,
        ge=0,
        **_source(DEFAULT, "surcharge on an order below surcharge_below_order_value (small-customer segments)"),
    )
    surcharge_below_order_value: float = Field(
        100, ge=0, **_source(DEFAULT, "order value below which the small-order surcharge applies")
    )
    surcharge_consolidation_share: float = Field(
        0.4,
        ge=0,
        le=1,
        **_source(
            DEFAULT,
            "share of the small orders that customers merge into larger ones instead of paying the surcharge",
        ),
    )
    minimum_order_value: float = Field(
        50,
        ge=0,
        **_source(DEFAULT, "order value below which an order is no longer accepted (small-customer segments)"),
    )
    minimum_order_lost_share: float = Field(
        0.2,
        ge=0,
        le=1,
        **_source(DEFAULT, "share of the revenue of refused orders that goes elsewhere instead of into a larger order"),
    )
    online_shift_share: float = Field(
        0.3,
        ge=0,
        le=1,
        **_source(
            DEFAULT, "share of the small customers' orders outside the web shop that move to online self-service"
        ),
    )
    online_order_cost: float = Field(
        5, ge=0, **_source(DEFAULT, "internal cost of handling one online self-service order")
    )
    programme_start: dt.date | None = Field(
        None,
        **_source(DEFAULT, "start of the small-customer programme (empty = 12 months before the reference date)"),
    )
    market_churn_rate: float = Field(
        0.10, ge=0, le=1, **_source(DEFAULT, "customary share of customers lost per year in the market")
    )
    warning_interval_factor: float = Field(
        3.0,
        gt=1,
        **_source(
            DEFAULT, "early warning when the days since the last order exceed this multiple of the usual interval"
        ),
    )
    warning_frequency_drop: float = Field(
        0.6,
        gt=0,
        le=1,
        **_source(
            DEFAULT, "early warning when the orders of the last 12 months fell by this share on the 12 months before"
        ),
    )
    warning_revenue_drop: float = Field(
        0.7,
        gt=0,
        le=1,
        **_source(
            DEFAULT,
            "early warning when the revenue of the last 12 months fell by this share on the 12 months before",
        ),
    )
    warning_growth_listed_last: float = Field(
        0.25,
        gt=0,
        **_source(
            DEFAULT,
            "a warned customer whose revenue of the last 12 months grew by at least this share on the 12 months "
            "before goes to the end of the call list, its growth named in the reason",
        ),
    )
    warning_min_orders: int = Field(
        4, ge=3, **_source(DEFAULT, "order days a customer needs before its usual interval counts")
    )
    worklist_size: int = Field(
        25, ge=1, **_source(DEFAULT, "customers per inside rep on the weekly early-warning call list")
    )

    # -- the introduction plan (docs/method.md section 9) --
    pilot_significance: float = Field(
        0.05, gt=0, lt=0.5, **_source(DEFAULT, "significance of the pilot's comparison (two-sided)")
    )
    pilot_power: float = Field(
        0.8, gt=0.5, lt=1, **_source(DEFAULT, "chance that the pilot detects the expected uplift where it is real")
    )
    pilot_seed: int = Field(
        7, ge=0, **_source(DEFAULT, "seed of the pilot's random draw, so that a rerun gives the same groups")
    )

    @field_validator("inside_rep_capacity")
    @classmethod
    def _capacities_positive(cls, value: list[int]) -> list[int]:
        if any(c <= 0 for c in value):
            raise ValueError("every capacity must be a positive number of customers")
        return value


def _default(name: str):
    """The default value of the assumption ``name``, as the params file writes it."""
    value = Assumptions.model_fields[name].get_default(call_default_factory=True)
    return value.model_dump() if isinstance(value, BaseModel) else value


def default_source(name: str, key: str | None = None) -> str:
    """Where the default of the assumption ``name`` (its entry ``key`` for a table per industry) comes from.

    An entry of a table that has no default (the value per employee of an
    industry other than the article's) can only be the client's.
    """
    extra = Assumptions.model_fields[name].json_schema_extra or {}
    if key is None:
        return extra.get("source", DEFAULT)
    if key in extra.get("article", {}):
        return ARTICLE
    default = _default(name)
    return DEFAULT if isinstance(default, dict) and key in default else CLIENT_INPUT


def value_source(name: str, value, key: str | None = None) -> str:
    """Where the value of the assumption ``name`` (or of its entry ``key``) comes from.

    The source of the default where the value is the default; the client's
    input where the params set anything else.

    >>> value_source("working_days", 200), value_source("working_days", 210)
    ('smartacct default', 'client input')
    >>> value_source("potential_per_employee", 9_000, "electricians")
    'article'
    >>> value_source("potential_per_employee", 12_000, "electricians")
    'client input'
    """
    default = _default(name)
    if key is not None:
        extra = Assumptions.model_fields[name].json_schema_extra or {}
        article = extra.get("article", {})
        if key in article:
            return ARTICLE if value == article[key] else CLIENT_INPUT
        default = default.get(key) if isinstance(default, dict) else None
    if isinstance(value, BaseModel):
        value = value.model_dump()
    return default_source(name, key) if value == default else CLIENT_INPUT
