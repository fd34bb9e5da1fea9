"""The column catalogue: every column a client sees, with its header in words, its kind and its unit.

One place for the words of the tables (:mod:`smartacct_helpers.presentation.tables` writes the tables with
them; the Excel exports take their headers from here too): a canonical column name maps to a
:class:`Column` (``revenue_12m`` is "Revenue, last 12 months (EUR)"), a code name of the data or the
analyses to words (:data:`WORDS`: ``plumbers_heating`` is "plumbers, heating"), and every assumption
of the params to its words and the kind of its value (:data:`ASSUMPTIONS`).

The module is long because it is a catalogue: one entry per column, code name and assumption a client
may see, and little code. Kept in one file, a new column's words are found and added in one place, and a
test can check that every column the report shows has its entry here.

Examples
--------
>>> header("revenue_12m", "EUR"), header("revenue_12m", "EUR", "de"), header("share_of_wallet")
('Revenue, last 12 months (EUR)', 'Revenue, last 12 months (€)', 'Share of wallet (%)')
>>> COLUMNS["customer_id"].align, COLUMNS["revenue_12m"].align
('left', 'right')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assumptions import PAYBACK_CHANCE_MONTHS
from .formatting import SYMBOLS, capitalised

#: the kinds of column; each decides how a value is written and where it is aligned
KINDS = ("money", "share", "count", "number", "date", "text", "code", "id", "yes/no", "value")
#: kinds written as words and aligned left; the others are aligned right
TEXT_KINDS = ("text", "code", "id")


@dataclass(frozen=True)
class Column:
    """What a column shows: its header in words, its kind, its decimals and unit.

    Parameters
    ----------
    words : str
        The header without its unit, lower case ("revenue, last 12 months").
    kind : str
        One of :data:`KINDS`.
    decimals : int
        Places after the decimal point of a ``money`` or ``number`` value
        (shares always show one).
    unit : str, optional
        The unit of a ``count`` or ``number`` ("km", "days"); money takes the
        currency and shares "%".
    """

    words: str
    kind: str = "number"
    decimals: int = 0
    unit: str | None = None
    values: dict[str, str] | None = field(default=None, compare=False)

    def header(self, currency: str = "EUR", style: str = "en") -> str:
        """The header with its unit, first letter capitalised: "Revenue, last 12 months (EUR)"."""
        if self.kind == "money":
            unit = SYMBOLS.get(currency, currency) if style == "de" else currency
        elif self.kind == "share":
            unit = "%"
        else:
            unit = self.unit
        return capitalised(f"{self.words} ({unit})" if unit else self.words)

    @property
    def align(self) -> str:
        """``"left"`` for words and yes/no, ``"right"`` for numbers and dates (a ``value`` cell by its own value)."""
        return "left" if self.kind in TEXT_KINDS or self.kind == "yes/no" else "right"


def _c(words, kind="number", decimals=0, unit=None) -> Column:
    return Column(words, kind, decimals, unit)


def _money(words, decimals=0) -> Column:
    return Column(words, "money", decimals)


def _share(words) -> Column:
    return Column(words, "share", 1)


def _count(words, unit=None) -> Column:
    return Column(words, "count", 0, unit)


def _yes(words) -> Column:
    return Column(words, "yes/no")


def _date(words) -> Column:
    return Column(words, "date")


def _text(words) -> Column:
    return Column(words, "text")


def _code(words, values: dict[str, str] | None = None) -> Column:
    return Column(words, "code", values=values)


SEGMENTS = {"field": "field sales", "all": "all customers"}
CHANNELS = {"field": "field sales", "inside": "inside sales", "online": "web shop", "retail": "retailer"}


#: canonical column name -> what it shows; every column of every table a client sees has an entry
COLUMNS: dict[str, Column] = {
    # -- a customer and its master data --
    "customer_id": Column("customer number", "id"),
    "name": _text("customer"),
    "industry": _code("industry"),
    "region": _code("region"),
    "employees": _count("employees"),
    "outside_rep": _text("outside rep"),
    "inside_rep": _text("inside rep"),
    "assigned_inside_rep": _text("inside rep"),
    "main_channel": _code("main channel", CHANNELS),
    "channel": _code("channel", CHANNELS),
    "competitor_activity": _code("competitor activity"),
    "procurement_power": _yes("procurement power"),
    "partner_willingness": _c("willingness to partner", unit="score 1-5"),
    "transparency": _c("transparency", unit="score 1-5"),
    "growth_potential": _c("growth potential", unit="score 1-5"),
    "distance_km": _c("distance", decimals=1, unit="km"),
    "contact_person": _text("contact person"),
    "phone": _text("phone"),
    "email": _text("e-mail"),
    # -- what a customer bought, and when --
    "revenue_12m": _money("revenue, last 12 months"),
    "revenue_12m_1": _money("revenue, 13 to 24 months ago"),
    "revenue_12m_2": _money("revenue, 25 to 36 months ago"),
    "revenue_prev_12m": _money("revenue, 13 to 24 months ago"),
    "contribution_margin_12m": _money("contribution margin, last 12 months"),
    "orders_12m": _count("orders, last 12 months"),
    "orders_prev_12m": _count("orders, 13 to 24 months ago"),
    "lines_12m": _count("order lines, last 12 months"),
    "first_order": _date("first order"),
    "last_order": _date("last order"),
    "last_field_visit": _date("last field visit"),
    "last_contact": _date("last contact"),
    "visits_12m": _count("field visits, last 12 months"),
    "calls_12m": _count("calls, last 12 months"),
    "order_days": _count("days with an order"),
    "revenue_trend": _money("revenue trend per year"),
    # -- classes, segments and groups --
    "abc": _text("ABC class"),
    "abc_margin": _text("ABC class by margin"),
    "segment": _code("segment", SEGMENTS),
    "segment_before": _code("segment at the start", SEGMENTS),
    "no_field_visit_12m": _yes("no field visit in 12 months"),
    "below_threshold": _yes("below the sales threshold"),
    "no_purchase_or_below_threshold": _yes("no purchase or below the threshold"),
    "active": _yes("ordered in the active window"),
    "to_manage": _yes("to manage"),
    "many_small_orders": _yes("many small orders, low potential"),
    "high_potential_low_share": _yes("high potential, low share of wallet"),
    "visits_not_paying": _yes("field visits do not pay"),
    "little_competition": _yes("little competitor activity"),
    "no_procurement_power": _yes("no procurement power"),
    "smart_account": _yes("smart account"),
    "group": _code("group"),
    "next_step": _text("next step"),
    # -- the potential --
    "potential": _money("sales potential"),
    "potential_industry": _money("potential by the industry method"),
    "potential_history": _money("potential by the historic peak"),
    "potential_method": _code("potential estimated by", {"industry": "industry method", "history": "historic peak"}),
    "share_of_wallet": _share("share of wallet"),
    "median_share_of_wallet": _share("median share of wallet"),
    "gap": _money("gap to the potential"),
    "margin_rate": _share("contribution margin rate"),
    "margin_potential": _money("margin in the potential"),
    "margin_gap": _money("margin in the gap"),
    "customers_with_potential": _count("customers with a known potential"),
    "value per employee": _money("value per employee and year"),
    "median employees": _c("median employees"),
    "ratio": _c("industry method / historic peak", decimals=1, unit="times"),
    # -- cost to serve and operating profit --
    "cost_to_serve_12m": _money("cost to serve, last 12 months"),
    "service_cost_12m": _money("cost to serve, last 12 months"),
    "operating_profit_12m": _money("operating profit, last 12 months"),
    "profit_after_cost_to_serve_12m": _money("profit after the cost to serve, last 12 months"),
    "discount_12m": _money("discounts, last 12 months"),
    "rebate_12m": _money("rebates, last 12 months"),
    "margin_after_rebate_12m": _money("margin after rebates, last 12 months"),
    # -- field visits --
    "part": _text("part of the cost"),
    "annual_cost": _money("per year"),
    "per_visit": _money("per visit", 2),
    "cost_share": _share("share of the annual cost"),
    "visits_per_year": _count("visits a year"),
    "visit_cost": _money("cost of one visit", 2),
    "management_cost": _money("management cost per customer and year", 2),
    "sales_threshold": _money("sales threshold", 2),
    "visit_cost_distance": _money("visit cost with the distance", 2),
    "management_cost_distance": _money("management cost with the distance", 2),
    "sales_threshold_distance": _money("sales threshold with the distance", 2),
    "below_threshold_distance": _yes("below its own threshold"),
    "below": _count("customers below the threshold"),
    "revenue_below": _money("their revenue, last 12 months"),
    "share_below": _share("share of the class below the threshold"),
    # -- counts and shares of a group --
    "customers": _count("customers"),
    "share": _share("share"),
    "revenue_share": _share("share of revenue"),
    "margin_share": _share("share of contribution margin"),
    "year": Column("year", "id"),
    "finding": _text("finding"),
    "count": _count("how many"),
    "consequence": _text("what follows"),
    "figure": _text("figure"),
    "value": Column("value", "value"),
    "reading": _text("how to read it"),
    "step": _text("step"),
    "": _text("what"),
    # -- the introduction plan --
    "success factor": _text("success factor"),
    "what the data says": _text("what the data says"),
    "status": _text("status"),
    "year-one result": _text("year-one result"),
    "target": _text("target"),
    "internal team": _text("internal team"),
    "service provider": _text("service provider"),
    "stratum": _text("stratum"),
    "treatment group": _count("treatment group"),
    "control group": _count("control group"),
    "pilot_group": _text("pilot group"),
    # -- inside sales --
    "customers per rep": _count("customers per rep"),
    "inside reps": _count("inside reps"),
    "scenario": _code("scenario"),
    "provider": _code("team", {"internal": "internal team", "external": "external provider"}),
    "capacity": _count("customers per rep"),
    "headcount": _count("inside reps"),
    "yearly_cost": _money("cost per year"),
    "yearly_benefit": _money("benefit per year"),
    "total_cost": _money("cost over the horizon"),
    "total_benefit": _money("benefit over the horizon"),
    "roi": _share("return on investment"),
    "payback_months": _count("payback", "month"),
    "break_even_uplift": _share("break-even uplift on the gap"),
    "owner": _code("owner"),
    "flagged": _count("customers flagged"),
    "customers flagged": _count("customers flagged"),
    "conflict": _yes("channel conflict"),
    "conflict_channels": _code("other channels", CHANNELS),
    "field": _share("share through field sales"),
    "inside": _share("share through inside sales"),
    "online": _share("share through the web shop"),
    "distributor": _share("share through distributors"),
    "retail": _share("share through retailers"),
    "other_channels_share": _share("share through other channels"),
    "partner_share": _share("share through partners"),
    "customers_deviation": _share("customers, deviation from the mean"),
    "potential_deviation": _share("potential, deviation from the mean"),
    "regions": _count("regions"),
    "main_region": _code("main region"),
    "main_region_share": _share("customers in the main region"),
    "industries": _count("industries"),
    "main_industry": _code("main industry"),
    "main_industry_share": _share("customers in the main industry"),
    "balanced": _yes("balanced"),
    # -- key accounts --
    "revenue_rank": _count("rank by revenue"),
    "key_account_reason": _code("candidate by"),
    "key_account": _yes("key account"),
    "class": _code("relationship class"),
    "assessed_on": _date("assessed on"),
    "proximity_score": _c("proximity", decimals=2, unit="0-1"),
    "growth_score": _c("growth", decimals=2, unit="0-1"),
    "ease_score": _c("ease of service", decimals=2, unit="0-1"),
    "account_value_score": _c("account value", unit="score 0-100"),
    "treatment": _code("treatment"),
    "growth": _share("revenue trend per year"),
    "period": _text("period"),
    "revenue": _money("revenue"),
    "discount": _money("discounts"),
    "rebate": _money("rebates"),
    "contribution_margin": _money("contribution margin"),
    "orders": _count("orders"),
    "lines": _count("order lines"),
    "visits": _count("field visits"),
    "calls": _count("calls"),
    "cost_to_serve": _money("cost to serve"),
    "operating_profit": _money("operating profit"),
    "k": _count("largest accounts lost"),
    "accounts_lost": _text("accounts lost"),
    "customers_lost": _count("customers lost"),
    "revenue_lost": _money("revenue lost"),
    "revenue_lost_share": _share("share of revenue lost"),
    "revenue_remaining": _money("revenue remaining"),
    "margin_lost": _money("contribution margin lost"),
    "margin_lost_share": _share("share of margin lost"),
    "margin_remaining": _money("contribution margin remaining"),
    "fixed_costs": _money("fixed costs"),
    "result_before": _money("result before the loss"),
    "result_after": _money("result after the loss"),
    "fixed_costs_not_covered": _money("fixed costs no longer covered"),
    "replacements_needed": _count("smart accounts to replace the margin"),
    "first_date": _date("first assessment"),
    "first_class": _code("class at the first assessment"),
    "latest_date": _date("latest assessment"),
    "latest_class": _code("class at the latest assessment"),
    "direction": _code("direction"),
    "first assessment": _code("class at the first assessment"),
    "latest assessment": _code("class at the latest assessment"),
    # -- levers --
    "lever": _code(
        "lever",
        {
            "base": "today",
            "price": "price increase",
            "surcharge": "small-order surcharge",
            "minimum": "minimum order value",
            "online": "online self-service",
            "combined": "all levers together",
        },
    ),
    "what_if": _text("what if"),
    "revenue_delta": _money("change in revenue"),
    "contribution_margin_delta": _money("change in contribution margin"),
    "cost_to_serve_delta": _money("change in cost to serve"),
    "operating_profit_delta": _money("change in operating profit"),
    "years": _count("within", "years"),
    "c_customers": _count("C customers followed"),
    "to_a": _count("became A"),
    "to_b_or_a": _count("became B or A"),
    "to_a_rate": _share("became A"),
    "to_b_or_a_rate": _share("became B or A"),
    "by revenue": _text("ABC class by revenue"),
    "CRM rule": _text("CRM rule"),
    "ERP rule": _text("ERP rule"),
    "by margin": _text("ABC class by margin"),
    # -- the year-one review --
    "field_name": _code("master-data field"),
    "managed": _share("managed customers"),
    "other small": _share("other small customers"),
    "key accounts": _share("key accounts"),
    "A customers": _share("A customers"),
    "churn_baseline": _share("churn before the start"),
    "churn_followup": _share("churn since the start"),
    "market_customary": _share("churn customary in the market"),
    "revenue_baseline": _money("revenue before the start"),
    "revenue_followup": _money("revenue since the start"),
    "revenue_growth": _share("revenue growth"),
    "margin_baseline": _money("margin before the start"),
    "margin_followup": _money("margin since the start"),
    "margin_rate_baseline": _share("margin rate before the start"),
    "margin_rate_followup": _share("margin rate since the start"),
    "market_volume": _money("market volume per year"),
    "share_baseline": _share("market share before the start"),
    "share_followup": _share("market share since the start"),
    # -- early warning --
    "risk_score": _c("risk", unit="score 0-100"),
    "probability_alive": _share("probability of still buying"),
    "reason": _text("reason"),
    "usual_interval_days": _c("usual interval", unit="days"),
    "days_since_last_order": _count("since the last order", "days"),
    "overdue_ratio": _c("overdue", decimals=1, unit="times the usual interval"),
    "overdue": _yes("overdue"),
    "fewer_orders": _yes("fewer orders"),
    "less_revenue": _yes("less revenue"),
    "model": _code("model"),
    "months": _count("horizon", "months"),
    "stopped": _count("stopped buying"),
    "base_rate": _share("stopped, of all"),
    "flagged_stopped": _count("flagged and stopped"),
    "precision": _share("flagged who stopped"),
    "lift": _c("lift", decimals=2, unit="times"),
    # -- the key-account practice --
    "strategy": _text("strategy"),
    "accounts_with": _count("key accounts with it"),
    "accounts_without": _count("key accounts without it"),
    "accounts_not_rated": _count("key accounts not rated"),
    "strategies_in_place": _count("strategies in place", unit="of 7"),
    "strategies_missing": _text("strategies not in place"),
    "single_point_of_contact": _yes("single point of contact"),
    "pricing_incentives": _yes("pricing incentives"),
    "priority_ordering": _yes("priority ordering"),
    "customised_offer": _yes("customised offer"),
    "matching_units_of_sale": _yes("matching units of sale"),
    "cross_business_teams": _yes("cross-business teams"),
    "integrated_inventory_billing": _yes("integrated inventory and billing"),
    "years_as_customer": _c("customer for", decimals=1, unit="years"),
    "since_data_start": _yes("customer since the data's first month"),
    "product_groups_bought": _count("product groups bought"),
    "product_groups_total": _count("product groups sold"),
    "product_group_share": _share("share of the product groups bought"),
    "long_relationship": _yes("long relationship"),
    "broad_range": _yes("broad range bought"),
    "exit_barriers": _count("exit barriers", unit="of 5"),
    "exit_barriers_known": _count("exit barriers judged", unit="of 5"),
    "window_end": _date("12 months up to"),
    "key_account_discount_rate": _share("discount, key accounts"),
    "other_discount_rate": _share("discount, other customers"),
    "key_account_rebate_rate": _share("rebates, key accounts"),
    "other_rebate_rate": _share("rebates, other customers"),
    "supplier_partner_willingness": _c("our willingness to partner", unit="score 1-5"),
    "supplier_transparency": _c("our transparency", unit="score 1-5"),
    "supplier_growth_contribution": _c("our part in their growth", unit="score 1-5"),
    "customer_side": _c("their side", decimals=1, unit="average 1-5"),
    "supplier_side": _c("our side", decimals=1, unit="average 1-5"),
    "side_gap": _c("our side minus theirs", decimals=1, unit="points"),
    "lagging_side": _text("side that lags"),
    "recall": _share("stopped who were flagged"),
    "top_precision": _share("stopped among the riskiest"),
    "top_lift": _c("lift among the riskiest", decimals=2, unit="times"),
    # -- the manager dashboard --
    "own_team": Column("own team", "value"),
    "external_provider": Column("external provider", "value"),
    "reasons": _text("why at risk"),
    "first_call": _text("first call"),
    # -- the assumptions --
    "assumption": _text("assumption"),
    "assumption_value": _text("value"),
    "source": _text("source"),
}

#: code names of the analyses and the data -> words (a value not listed shows with its underscores as spaces)
WORDS: dict[str, str] = {
    # industries of the sample
    "plumbers_heating": "plumbers, heating",
    "hvac": "heating, ventilation, air conditioning",
    "facility_management": "facility management",
    "public_sector": "public sector",
    "retail_resellers": "retail, resellers",
    "installer_groups": "installer groups",
    # the year-one review's groups and periods
    "followup": "since the start",
    "baseline": "before the start",
    "managed": "managed customers",
    "other small": "other small customers",
    # columns of the customer master, where a sentence or a table names one
    "outside_rep": "outside rep",
    "inside_rep": "inside rep",
    "main_channel": "main channel",
    "competitor_activity": "competitor activity",
    "procurement_power": "procurement power",
    "partner_willingness": "willingness to partner",
    "growth_potential": "growth potential",
    "distance_km": "distance",
}


def words(value, values: dict[str, str] | None = None) -> str:
    """A code name in words: ``values`` (a column's own words), :data:`WORDS`, else its underscores as spaces.

    A list written as "online, distributor" is translated item by item.

    >>> words("plumbers_heating"), words("retail_partner"), words("Süd")
    ('plumbers, heating', 'retail partner', 'Süd')
    >>> words("online, distributor", CHANNELS)
    'web shop, distributor'
    """
    text = str(value)
    table_ = {**WORDS, **(values or {})}
    if text in table_:
        return table_[text]
    if ", " in text:
        return ", ".join(table_.get(part, part.replace("_", " ")) for part in text.split(", "))
    return text.replace("_", " ")


def header(name: str, currency: str = "EUR", style: str = "en") -> str:
    """The human header of a column, with its unit (the column's words where the catalogue lacks it).

    >>> header("share_of_wallet")
    'Share of wallet (%)'
    """
    column = COLUMNS.get(name)
    if column is None:
        return capitalised(words(name))
    return column.header(currency, style)


#: assumption -> (its words, the kind of its value, decimals, unit)
ASSUMPTIONS: dict[str, tuple[str, str, int, str | None]] = {
    "abc": ("ABC limits on the cumulative share of revenue", "abc", 0, None),
    "outside_rep_annual_cost": ("annual cost of one outside rep, fully loaded", "money", 0, None),
    "working_days": ("working days of an outside rep per year", "count", 0, "days"),
    "visits_per_day": ("customer visits per outside rep and day", "number", 1, "visits"),
    "visits_per_customer_year": ("visits a customer needs per year to feel looked after", "number", 1, "visits"),
    "max_sales_cost_ratio": ("highest acceptable sales cost, as a share of revenue", "share", 1, None),
    "inside_rep_capacity": ("customers one inside rep can manage (low / middle / high)", "counts", 0, "customers"),
    "inside_rep_annual_cost": ("annual cost of one inside rep, fully loaded", "money", 0, None),
    "active_window_months": ("months with an order that make a small customer worth managing", "count", 0, "months"),
    "potential_per_employee": ("installable value per employee and year, by industry", "money per", 0, None),
    "potential_history_years": ("years of history whose best year estimates the potential", "count", 0, "years"),
    "develop_max_share_of_wallet": (
        "share of wallet below which a customer with a high potential is to develop",
        "share",
        1,
        None,
    ),
    "develop_min_gap": (
        "gap to potential a customer needs to be to develop (empty: the yearly management cost)",
        "money",
        0,
        None,
    ),
    "pilot_significance": ("significance of the pilot's comparison (two-sided)", "share", 1, None),
    "pilot_power": ("chance that the pilot detects the expected uplift where it is real", "share", 0, None),
    "pilot_seed": ("seed of the pilot's random draw", "count", 0, None),
    "trend_years": ("years over which the revenue trend of a smart account is measured", "count", 0, "years"),
    "order_handling_cost": ("internal cost of handling one order", "money", 2, None),
    "margin_rate_if_unknown": ("contribution margin rate where the data has no margin", "share", 1, None),
    "small_order_value": ("average order value below which orders count as small", "money", 2, None),
    "many_orders_per_year": ("orders per year from which a customer orders often", "count", 0, "orders"),
    "outside_rep_cost_parts": ("parts of an outside rep's annual cost", "money per", 0, None),
    "project_manager_annual_cost": ("annual cost of the inside-sales project manager", "money", 0, None),
    "systems_annual_cost": ("CRM, telephony and licences of the inside-sales team per year", "money", 0, None),
    "setup_cost": ("one-off cost of starting the team: recruiting, training, CRM set-up", "money", 0, None),
    "ramp_up_months": ("months until an internal team works at full effect", "count", 0, "months"),
    "revenue_uplift_on_gap": ("share of the managed customers' gap won per year at full effect", "share", 1, None),
    "churn_rate": ("share of the managed customers' revenue lost per year without inside sales", "share", 1, None),
    "churn_reduction": ("share of that loss the inside-sales team prevents", "share", 1, None),
    "field_time_freed_value": (
        "share of the freed field-visit cost that turns into margin elsewhere",
        "share",
        1,
        None,
    ),
    "external_cost_per_rep_month": ("price of an external provider per inside rep and month", "money", 0, None),
    "external_ramp_up_months": ("months until an external provider's team works at full effect", "count", 0, "months"),
    "scenario_spread": ("how far the pessimistic and optimistic scenarios lie from the base case", "share", 1, None),
    "business_case_months": ("months over which the return and the payback are reckoned", "count", 0, "months"),
    "monte_carlo_runs": ("simulated runs of the uncertain inputs", "count", 0, "runs"),
    "monte_carlo_seed": ("starting number of the simulation, so that a rerun gives the same figures", "id", 0, None),
    "channel_conflict_min_share": (
        "share of revenue through a distributor, a retailer or the web shop that flags a channel conflict",
        "share",
        1,
        None,
    ),
    "channel_partner_owner_share": (
        "share of revenue through a distributor or retailer from which the partner owns the customer",
        "share",
        1,
        None,
    ),
    "assignment_tolerance": (
        "largest deviation of an inside rep's customers and potential from the mean",
        "share",
        1,
        None,
    ),
    "key_account_min_share": (
        "share of revenue or contribution margin from which a customer is a key-account candidate",
        "share",
        1,
        None,
    ),
    "key_account_top_n": (
        "the largest customers by revenue that are key-account candidates too",
        "count",
        0,
        "customers",
    ),
    "major_customer_share": ("share of revenue from which one customer is a concentration risk", "share", 1, None),
    "fixed_costs": ("annual fixed costs the contribution margin has to cover", "money", 0, None),
    "call_cost": ("cost of one sales or service call", "money", 2, None),
    "line_handling_cost": ("cost of picking, packing and invoicing one order line", "money", 2, None),
    "account_value_weight_proximity": ("weight of proximity in the account-value score", "number", 1, None),
    "account_value_weight_growth": ("weight of growth potential in the account-value score", "number", 1, None),
    "account_value_weight_ease": ("weight of ease of service in the account-value score", "number", 1, None),
    "scorecard_partner_min_score": (
        "score a strategic partner reaches on every scorecard criterion",
        "number",
        1,
        "of 5",
    ),
    "scorecard_key_account_min_average": (
        "average score a key account reaches over the scorecard criteria",
        "number",
        1,
        "of 5",
    ),
    "self_service_max_revenue": (
        "yearly revenue below which a customer is served through the web shop",
        "money",
        0,
        None,
    ),
    "value_analysis_frequency": ("how often the value analysis follows each key account", "value", 0, None),
    "exit_barrier_min_years": (
        "years as a customer from which a relationship counts as an exit barrier",
        "number",
        1,
        "years",
    ),
    "exit_barrier_min_product_share": (
        "share of the product groups bought from which the range counts as an exit barrier",
        "share",
        1,
        None,
    ),
    "price_increase_small": ("price increase for the small-customer segments", "share", 1, None),
    "price_increase_field": ("price increase for the field segment", "share", 1, None),
    "price_elasticity": ("change of the volume bought per change of the price", "number", 1, None),
    "price_elasticity_field": (
        "change of the volume the large customers of the field segment buy per change of the price (empty: as the small customers)",
        "number",
        1,
        None,
    ),
    "small_order_surcharge": ("surcharge on a small order", "money", 2, None),
    "surcharge_below_order_value": ("order value below which the small-order surcharge applies", "money", 2, None),
    "surcharge_consolidation_share": (
        "share of the small orders merged into larger ones instead of paying the surcharge",
        "share",
        1,
        None,
    ),
    "minimum_order_value": ("order value below which an order is no longer accepted", "money", 2, None),
    "minimum_order_lost_share": ("share of the revenue of refused orders that goes elsewhere", "share", 1, None),
    "online_shift_share": ("share of the small customers' orders that move to the web shop", "share", 1, None),
    "online_order_cost": ("internal cost of handling one web-shop order", "money", 2, None),
    "programme_start": ("start of the small-customer programme", "date", 0, None),
    "market_churn_rate": ("customary share of customers lost per year in the market", "share", 1, None),
    "warning_interval_factor": (
        "early warning when the days since the last order exceed the usual interval this many times",
        "number",
        1,
        "times",
    ),
    "warning_frequency_drop": ("early warning when the orders fell by this share on the year before", "share", 1, None),
    "warning_revenue_drop": ("early warning when the revenue fell by this share on the year before", "share", 1, None),
    "warning_min_orders": ("days with an order a customer needs before its usual interval counts", "count", 0, "days"),
    "worklist_size": ("customers per inside rep on the weekly call list", "count", 0, "customers"),
    "warning_growth_listed_last": (
        "a warned customer whose revenue grew by at least this share on the year before goes to the end of the "
        "call list, its growth named in the reason",
        "share",
        1,
        None,
    ),
    "go_min_roi": (
        "the report recommends an inside-sales team only when its ROI (base scenario) is above this",
        "share",
        1,
        None,
    ),
    "go_min_probability_payback": (
        f"the report recommends an inside-sales team only when it pays back within {PAYBACK_CHANCE_MONTHS} months "
        "with at least this probability",
        "share",
        1,
        None,
    ),
    "lever_min_operating_profit_gain": (
        "the report recommends a lever only when it raises the operating profit by more than this",
        "money",
        0,
        None,
    ),
}

#: the source labels of the params -> the words the report shows
SOURCES = {
    "practitioner article": "article",
    "article": "article",
    "smartacct assumption": "smartacct default",
    "smartacct default": "smartacct default",
    "client data": "client data",
    "client input": "client input",
    "this run": "this run",
}
