"""The params file: one YAML file per client, parsed into one typed object.

Every key has a default, so a file holding only ``data: {orders: PATH}``
works. Unknown keys and wrong types are errors that name the key. Paths are
relative to the params file. Every assumption carries a source label, shown
in the report's assumptions table.

Examples
--------
>>> p = Params.model_validate({"data": {"orders": "orders.csv"}})
>>> p.assumptions.max_sales_cost_ratio
0.08
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .exceptions import OverrideError, ParamsError

ARTICLE = "practitioner article"
ASSUMPTION = "smartacct assumption"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _source(label: str, meaning: str) -> dict[str, Any]:
    return {"json_schema_extra": {"source": label}, "description": meaning}


class CsvOptions(_Strict):
    """How to read CSV exports; ``auto`` detects from the file."""

    delimiter: str = "auto"
    decimal: Literal["auto", ",", "."] = "auto"
    date_format: str = "auto"
    encoding: str = "auto"

    # -- checks of the settings above --
    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if value not in ("auto", "\\t") and len(value) != 1:
            raise ValueError("expected auto or one character such as ';' or ',' (\\t for tab)")
        return value

    @field_validator("date_format")
    @classmethod
    def _strftime_codes(cls, value: str) -> str:
        if value != "auto" and "%" not in value:
            raise ValueError("expected auto or a format with codes such as \"%d.%m.%Y\"")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        import codecs

        if value != "auto":
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError("unknown encoding; use auto, utf-8 or cp1252") from None
        return value


class ColumnMapping(_Strict):
    """Canonical column name -> column name in the source, per table."""

    orders: dict[str, str] = Field(default_factory=dict)
    customers: dict[str, str] = Field(default_factory=dict)
    activities: dict[str, str] = Field(default_factory=dict)
    market: dict[str, str] = Field(default_factory=dict)
    assessments: dict[str, str] = Field(default_factory=dict)


class DataSources(_Strict):
    """Where the client's data lives."""

    orders: str
    customers: str | None = None
    activities: str | None = None
    market: str | None = None
    assessments: str | None = None
    database: str | None = None
    columns: ColumnMapping = Field(default_factory=ColumnMapping)
    csv: CsvOptions = Field(default_factory=CsvOptions)
    missing_customer_id: Literal["exclude", "refuse"] = Field(
        "exclude", description="invoice lines without a customer id (counter and guest sales): exclude leaves them "
                               "out of every customer figure and reports them; refuse stops with an error")

    # -- Excel: the sheet to read per table (default: the first sheet) --
    sheets: dict[Literal["orders", "customers", "activities", "market", "assessments"], str] = Field(
        default_factory=dict, description="sheet name per table for Excel files, e.g. {orders: Umsätze}"
    )


class AbcLimits(_Strict):
    a: float = Field(0.80, gt=0, lt=1)
    b: float = Field(0.95, gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> "AbcLimits":
        if self.a >= self.b:
            raise ValueError(f"abc.a ({self.a}) must be below abc.b ({self.b})")
        return self


class Assumptions(_Strict):
    """Every number of the method, with its default and where it comes from."""

    abc: AbcLimits = Field(
        default_factory=AbcLimits,
        **_source(ARTICLE, "ABC limits on cumulative revenue share (A up to 80 %, B up to 95 %)"),
    )
    outside_rep_annual_cost: float = Field(
        110_000, gt=0, **_source(ASSUMPTION, "fully loaded annual cost of one outside rep")
    )
    working_days: int = Field(200, gt=0, le=366, **_source(ASSUMPTION, "working days of an outside rep per year"))
    visits_per_day: float = Field(4, gt=0, **_source(ASSUMPTION, "customer visits per outside rep and day"))
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
        65_000, gt=0, **_source(ASSUMPTION, "fully loaded annual cost of one inside-sales rep")
    )
    active_window_months: int = Field(
        24, gt=0, **_source(ASSUMPTION, "months with an order that make a small customer worth managing")
    )
    potential_per_employee: dict[str, float] = Field(
        default_factory=lambda: {"electricians": 9_000},
        **_source(ARTICLE, "installable value per employee and year, by industry"),
    )
    potential_history_years: int = Field(
        5, gt=0, **_source(ARTICLE, "years of history whose best year estimates the potential")
    )
    develop_max_share_of_wallet: float = Field(
        0.5, gt=0, le=1, **_source(ASSUMPTION, "share of wallet below which a high-potential customer is 'develop'")
    )
    trend_years: int = Field(
        3, ge=2, **_source(ASSUMPTION, "years over which the revenue trend of a smart account is measured")
    )
    order_handling_cost: float = Field(
        20, ge=0, **_source(ASSUMPTION, "internal cost of handling one order")
    )
    margin_rate_if_unknown: float = Field(
        0.25, ge=0, le=1, **_source(ASSUMPTION, "contribution margin rate used where the data has no margin")
    )
    small_order_value: float = Field(
        150, ge=0, **_source(ASSUMPTION, "average order value below which orders count as small")
    )
    many_orders_per_year: int = Field(
        6, ge=1, **_source(ASSUMPTION, "orders per year from which a customer orders often")
    )

    # -- the inside-sales business case (METHOD.md sections 2 to 4) --
    outside_rep_cost_parts: dict[str, float] = Field(
        default_factory=lambda: {
            "salary": 65_000, "social_charges": 13_500, "car": 12_000, "travel": 11_500, "expenses": 8_000,
        },
        **_source(ASSUMPTION, "parts of an outside rep's annual cost, scaled to add up to outside_rep_annual_cost"),
    )
    project_manager_annual_cost: float = Field(
        90_000, ge=0, **_source(ASSUMPTION, "fully loaded annual cost of the inside-sales project manager")
    )
    systems_annual_cost: float = Field(
        25_000, ge=0, **_source(ASSUMPTION, "CRM, telephony and licences of the inside-sales team per year")
    )
    setup_cost: float = Field(
        40_000, ge=0, **_source(ASSUMPTION, "one-off cost of starting the team: recruiting, training, CRM set-up")
    )
    ramp_up_months: int = Field(
        6, ge=0, le=24, **_source(ASSUMPTION, "months until an internal inside-sales team works at full effect")
    )
    revenue_uplift_on_gap: float = Field(
        0.04, ge=0, le=1, **_source(ASSUMPTION, "share of the managed customers' gap won per year at full effect")
    )
    churn_rate: float = Field(
        0.10, ge=0, le=1, **_source(ASSUMPTION, "share of the managed customers' revenue lost per year without inside sales")
    )
    churn_reduction: float = Field(
        0.30, ge=0, le=1, **_source(ASSUMPTION, "share of that loss the inside-sales team prevents")
    )
    field_time_freed_value: float = Field(
        0.5, ge=0, le=1, **_source(ASSUMPTION, "share of the freed field-visit cost that turns into margin elsewhere")
    )
    external_cost_per_rep_month: float = Field(
        6_500, gt=0, **_source(ASSUMPTION, "price of an external provider per inside-sales rep and month (systems included)")
    )
    external_ramp_up_months: int = Field(
        3, ge=0, le=24, **_source(ASSUMPTION, "months until an external provider's team works at full effect")
    )
    scenario_spread: float = Field(
        0.5, ge=0, lt=1, **_source(ASSUMPTION, "pessimistic / optimistic: uplift and churn reduction x (1 -/+ spread), ramp-up x (1 +/- spread)")
    )
    business_case_months: int = Field(
        36, ge=24, le=120, **_source(ASSUMPTION, "months over which ROI and payback are reckoned")
    )
    monte_carlo_runs: int = Field(
        2_000, ge=100, le=100_000, **_source(ASSUMPTION, "simulated runs of the uncertain inputs")
    )
    monte_carlo_seed: int = Field(
        42, ge=0, **_source(ASSUMPTION, "seed of the simulation, so that a rerun gives the same figures")
    )
    channel_conflict_min_share: float = Field(
        0.2, ge=0, le=1, **_source(ASSUMPTION, "share of revenue through distributor, retail or online shop that flags a channel conflict")
    )
    channel_partner_owner_share: float = Field(
        0.5, gt=0, le=1, **_source(ASSUMPTION, "share of revenue through a distributor or retailer from which the partner owns the customer")
    )
    assignment_tolerance: float = Field(
        0.05, gt=0, lt=1, **_source(ASSUMPTION, "largest deviation of an inside rep's customers and potential from the mean")
    )

    # -- key accounts (METHOD.md section 5) --
    key_account_min_share: float = Field(
        0.05, gt=0, le=1,
        **_source(ASSUMPTION, "share of revenue or of contribution margin from which a customer is a key-account candidate"),
    )
    key_account_top_n: int = Field(
        20, ge=0, **_source(ASSUMPTION, "the N largest customers by revenue are key-account candidates too (0 = share rule only)")
    )
    major_customer_share: float = Field(
        0.10, gt=0, le=1,
        **_source(ASSUMPTION, "share of revenue from which one customer is flagged as a concentration risk (IFRS 8 major-customer rule)"),
    )
    fixed_costs: float | None = Field(
        None, ge=0,
        **_source(ASSUMPTION, "annual fixed costs the contribution margin has to cover (empty = not known)"),
    )
    call_cost: float = Field(
        8, ge=0, **_source(ASSUMPTION, "cost of one sales or service call")
    )
    line_handling_cost: float = Field(
        2, ge=0, **_source(ASSUMPTION, "cost of picking, packing and invoicing one order line")
    )
    account_value_weight_proximity: float = Field(
        1, ge=0, **_source(ASSUMPTION, "weight of proximity (short distance) in the account-value score")
    )
    account_value_weight_growth: float = Field(
        1, ge=0, **_source(ASSUMPTION, "weight of long-term growth potential in the account-value score")
    )
    account_value_weight_ease: float = Field(
        1, ge=0, **_source(ASSUMPTION, "weight of ease of service (low cost to serve per revenue) in the account-value score")
    )
    scorecard_partner_min_score: int = Field(
        4, ge=1, le=5,
        **_source(ASSUMPTION, "a strategic partner scores at least this on willingness to partner, transparency and growth potential"),
    )
    scorecard_key_account_min_average: float = Field(
        3.5, ge=1, le=5,
        **_source(ASSUMPTION, "a key account scores at least this on average over the three scorecard criteria"),
    )
    self_service_max_revenue: float = Field(
        1_500, ge=0,
        **_source(ASSUMPTION, "customers buying less than this a year are served through self-service (web shop)"),
    )

    # -- levers, the year-one review and early warning (METHOD.md sections 6 and 7) --
    price_increase_small: float = Field(
        0.03, ge=-0.5, le=1, **_source(ASSUMPTION, "price increase for the small-customer segments (small, develop)")
    )
    price_increase_field: float = Field(
        0.01, ge=-0.5, le=1, **_source(ASSUMPTION, "price increase for the field segment (large customers, key accounts)")
    )
    price_elasticity: float = Field(
        -0.8, ge=-10, le=0, **_source(ASSUMPTION, "change of the volume bought per unit change of the price (-0.8: +1 % price, -0.8 % volume)")
    )
    small_order_surcharge: float = Field(
        10, ge=0, **_source(ASSUMPTION, "surcharge on an order below surcharge_below_order_value (small-customer segments)")
    )
    surcharge_below_order_value: float = Field(
        100, ge=0, **_source(ASSUMPTION, "order value below which the small-order surcharge applies")
    )
    surcharge_consolidation_share: float = Field(
        0.4, ge=0, le=1, **_source(ASSUMPTION, "share of the small orders that customers merge into larger ones instead of paying the surcharge")
    )
    minimum_order_value: float = Field(
        50, ge=0, **_source(ASSUMPTION, "order value below which an order is no longer accepted (small-customer segments)")
    )
    minimum_order_lost_share: float = Field(
        0.2, ge=0, le=1, **_source(ASSUMPTION, "share of the revenue of refused orders that goes elsewhere instead of into a larger order")
    )
    online_shift_share: float = Field(
        0.3, ge=0, le=1, **_source(ASSUMPTION, "share of the small customers' orders outside the web shop that move to online self-service")
    )
    online_order_cost: float = Field(
        5, ge=0, **_source(ASSUMPTION, "internal cost of handling one online self-service order")
    )
    programme_start: dt.date | None = Field(
        None, **_source(ASSUMPTION, "start of the small-customer programme (empty = 12 months before the reference date)")
    )
    market_churn_rate: float = Field(
        0.10, ge=0, le=1, **_source(ASSUMPTION, "customary share of customers lost per year in the market")
    )
    warning_interval_factor: float = Field(
        3.0, gt=1, **_source(ASSUMPTION, "early warning when the days since the last order exceed this multiple of the usual interval")
    )
    warning_frequency_drop: float = Field(
        0.6, gt=0, le=1, **_source(ASSUMPTION, "early warning when the orders of the last 12 months fell by this share on the 12 months before")
    )
    warning_revenue_drop: float = Field(
        0.7, gt=0, le=1, **_source(ASSUMPTION, "early warning when the revenue of the last 12 months fell by this share on the 12 months before")
    )
    warning_min_orders: int = Field(
        4, ge=3, **_source(ASSUMPTION, "order days a customer needs before its usual interval counts")
    )
    worklist_size: int = Field(
        25, ge=1, **_source(ASSUMPTION, "customers per inside rep on the weekly early-warning call list")
    )

    @field_validator("inside_rep_capacity")
    @classmethod
    def _capacities_positive(cls, value: list[int]) -> list[int]:
        if any(c <= 0 for c in value):
            raise ValueError("every capacity must be a positive number of customers")
        return value


class Params(_Strict):
    """A client's params: who, which data, which assumptions."""

    client: str = "Client"
    currency: str = "EUR"
    reference_date: dt.date | None = None
    number_format: Literal["en", "de"] = Field(
        "en", description="how numbers are written: en = 1,234.56 EUR, de = 1.234,56 €"
    )
    anonymise: bool = Field(
        False, description="replace customer names and ids by aliases in every chart, table, export and report"
    )
    keep_reports: int = Field(12, ge=1, description="dated reports kept per client; older ones are removed")
    data: DataSources
    assumptions: Assumptions = Field(default_factory=Assumptions)
    base_dir: Path = Field(default=Path("."), exclude=True)
    source_file: str | None = Field(default=None, exclude=True)
    set_keys: frozenset[str] = Field(default=frozenset(), exclude=True)
    _run_keys: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def run_keys(self) -> frozenset[str]:
        """The keys set for this run (``smartacct report --set``, a notebook's ``overrides``), dotted."""
        return self._run_keys

    def path(self, name: str | None) -> Path | None:
        """Resolve a data path (relative to the params file)."""
        if name is None:
            return None
        p = Path(name).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def client_slug(self) -> str:
        """The client's name as a folder name (``Sample Elektro GmbH`` -> ``sample-elektro-gmbh``)."""
        import re
        import unicodedata

        text = unicodedata.normalize("NFKD", self.client).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
        return slug or "client"


def _deep_merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _leaf_keys(d: dict, prefix: str = "") -> set[str]:
    keys = set()
    for k, v in d.items():
        name = f"{prefix}{k}"
        keys.add(name)
        if isinstance(v, dict):
            keys |= _leaf_keys(v, name + ".")
    return keys


def _describe(error: dict) -> str:
    loc = ".".join(str(x) for x in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{loc}: unknown key"
    if error["type"] == "missing":
        return f"{loc}: required key is missing"
    got = error.get("input")
    got_text = "" if isinstance(got, dict) else f", got {got!r}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}{got_text}"


def parse_params(raw: dict, base_dir: Path | str = ".", source_file: str | None = None) -> Params:
    """Validate a params mapping into :class:`Params`.

    Raises
    ------
    ParamsError
        Naming every bad key.
    """
    if not isinstance(raw, dict):
        raise ParamsError("the params file must hold a mapping of keys to values", source_file)
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError([_describe(e) for e in exc.errors()], source_file) from None
    params.base_dir = Path(base_dir)
    params.source_file = source_file
    params.set_keys = frozenset(_leaf_keys(raw))
    return params


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe YAML loader (plain data only), refusing a key given twice in one mapping.

    Plain YAML keeps the last of two equal keys and drops the first without a
    word; a second ``assumptions:`` block would silently replace the first.
    """

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _impossible_dates(text: str, exc: ValueError) -> list[str]:
    """Name the keys whose values look like dates but do not exist (``2025-02-30``)."""
    found = []

    def walk(value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{key}.{i}")
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
            try:
                dt.date(*(int(x) for x in value.strip().split("-")))
            except ValueError as err:
                found.append(f"{key}: {value.strip()!r} is no date ({err}); write it as yyyy-mm-dd")

    try:
        walk(yaml.load(text, Loader=yaml.BaseLoader), "")  # every value as plain text, nothing constructed
    except yaml.YAMLError:
        pass
    return found or [f"cannot be read: {exc}"]


#: Keys of :class:`Params` that hold where it was read from, not what the client set.
_BOOKKEEPING = ("base_dir", "source_file", "set_keys", "run_keys")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[^.=\s][^.=]*)*")
THIS_RUN = "this run"


def _for_this_run(key: str, problem: str) -> str:
    """One problem of a value set for this run, naming its key: ``assumptions.x (set for this run): unknown key``."""
    return f"{key} (set for {THIS_RUN}): {problem}"


def _unique_pairs(pairs: list) -> dict:
    """A JSON object's pairs as a dict, refusing a key given twice (JSON otherwise keeps the last)."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise OverrideError([_for_this_run(key, "given twice")])
        out[key] = value
    return out


def _nested(flat: dict, problems: list[str]) -> dict:
    """Dotted keys at the top of ``flat`` spread into nested mappings (``{"a.b": 1}`` -> ``{"a": {"b": 1}}``)."""
    out: dict = {}
    for key, value in copy.deepcopy(flat).items():  # a copy: the caller's mappings stay as they are
        parts = key.split(".") if isinstance(key, str) else [key]
        here = out
        for depth, part in enumerate(parts[:-1]):
            here = here.setdefault(part, {})
            if not isinstance(here, dict):
                problems.append(_for_this_run(key, f"conflicts with {'.'.join(parts[:depth + 1])}, set to one value"))
                break
        else:
            last = parts[-1]
            if isinstance(here.get(last), dict) and isinstance(value, dict):
                here[last] = _deep_merge(here[last], value)
            elif last in here:
                problems.append(_for_this_run(key, "conflicts with a value set for the keys under it"))
            else:
                here[last] = value
    return out


def read_overrides(overrides: dict | str | None) -> dict:
    """Overrides as a nested mapping of params keys.

    Accepts what a notebook's ``overrides`` parameter may hold: a mapping,
    or its text as JSON or YAML (papermill's ``-p overrides '{...}'`` passes a
    string). Keys at the top may be dotted: ``{"assumptions.working_days": 210}``
    is ``{"assumptions": {"working_days": 210}}``.

    Raises
    ------
    OverrideError
        When the text is neither JSON nor YAML, or holds no mapping.

    Examples
    --------
    >>> read_overrides('{"assumptions": {"working_days": 210}}')
    {'assumptions': {'working_days': 210}}
    >>> read_overrides("assumptions.abc.a: 0.75")
    {'assumptions': {'abc': {'a': 0.75}}}
    >>> read_overrides(None)
    {}
    """
    if overrides is None:
        return {}
    if isinstance(overrides, (bytes, str)):
        text = overrides.decode("utf-8") if isinstance(overrides, bytes) else overrides
        if not text.strip():
            return {}
        try:
            overrides = json.loads(text, object_pairs_hook=_unique_pairs)
        except ValueError:
            try:
                overrides = yaml.load(text, Loader=_UniqueKeyLoader)
            except (yaml.YAMLError, ValueError) as exc:
                problem = getattr(exc, "problem", None) or exc
                raise OverrideError([_for_this_run("overrides", f"neither JSON nor YAML ({problem}); write "
                                                   'them as {"assumptions": {"working_days": 210}}')]) from None
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise OverrideError([_for_this_run("overrides", 'expected a mapping of params keys such as '
                                           f'{{"assumptions": {{"working_days": 210}}}}, got {overrides!r}')])
    problems: list[str] = []
    nested = _nested(dict(overrides), problems)
    problems += [_for_this_run(key, "unknown key") for key in nested if key in _BOOKKEEPING]
    if problems:
        raise OverrideError(problems)
    return nested


def parse_settings(settings: list[str]) -> dict:
    """``KEY=VALUE`` texts (``smartacct report --set``) as overrides with dotted keys.

    Each value is read as YAML: a number, a date, ``true``/``false``, text,
    an empty value (null) or a list such as ``[300, 400, 500]``.

    Raises
    ------
    OverrideError
        Naming the key of each setting that cannot be read.

    Examples
    --------
    >>> parse_settings(["assumptions.max_sales_cost_ratio=0.10", "assumptions.inside_rep_capacity=[300, 400]"])
    {'assumptions.max_sales_cost_ratio': 0.1, 'assumptions.inside_rep_capacity': [300, 400]}
    """
    out, problems = {}, []
    for setting in settings:
        key, equals, text = setting.partition("=")
        key = key.strip()
        if not equals or not key:
            problems.append(_for_this_run(repr(setting), "expected KEY=VALUE, such as "
                                          "assumptions.max_sales_cost_ratio=0.10"))
            continue
        if not _KEY.fullmatch(key):
            problems.append(_for_this_run(repr(key), "not a params key; keys are names joined by dots, such as "
                                          "assumptions.abc.a"))
            continue
        try:
            value = yaml.safe_load(text)
        except ValueError as exc:  # YAML reads 2025-02-30 as a date and fails on it
            problems.append(_for_this_run(key, f"{text.strip()!r} is no date ({exc}); write it as yyyy-mm-dd"))
            continue
        except yaml.YAMLError as exc:
            problems.append(_for_this_run(key, f"the value {text!r} cannot be read "
                                               f"({getattr(exc, 'problem', None) or exc}); quote text that "
                                               "holds ': ' or starts with [ or {"))
            continue
        if isinstance(value, dict):
            problems.append(_for_this_run(key, f"one value or a list is expected, got {text!r}; set each key "
                                               f"under it on its own ({key}.NAME=VALUE), or quote text that "
                                               "holds ': '"))
            continue
        if key in out:
            problems.append(_for_this_run(key, f"set twice ({out[key]!r} and {value!r})"))
            continue
        out[key] = value
    if problems:
        raise OverrideError(problems)
    return out


def _ends(d: dict, prefix: str = "") -> set[str]:
    """The dotted keys of the values in a nested mapping (not of the mappings holding them)."""
    keys = set()
    for k, v in d.items():
        if isinstance(v, dict) and v:
            keys |= _ends(v, f"{prefix}{k}.")
        else:
            keys.add(f"{prefix}{k}")
    return keys


def _touches(loc: str, keys: frozenset[str]) -> bool:
    """Whether the params key ``loc`` is one of ``keys``, lies under one, or holds one."""
    return bool(loc) and any(k == loc or k.startswith(loc + ".") or loc.startswith(k + ".") for k in keys)


def _validated(merged, overrides: dict, source_file: str | None) -> Params:
    """:class:`Params` from a merged mapping; a problem caused by an override is named as set for this run."""
    run_keys = frozenset(_ends(overrides))
    if not isinstance(merged, dict):
        raise ParamsError("the params file must hold a mapping of keys to values", source_file)
    try:
        return Params.model_validate(merged)
    except ValidationError as exc:
        from_file, from_run = [], []
        for error in exc.errors():
            loc = ".".join(str(x) for x in error["loc"])
            if _touches(loc, run_keys):
                from_run.append(_for_this_run(loc, _describe(error).removeprefix(f"{loc}: ")))
            else:
                from_file.append(_describe(error))
        if from_file:
            raise ParamsError(from_file + from_run, source_file) from None
        raise OverrideError(from_run) from None


def with_overrides(params: Params, overrides: dict | str | None) -> Params:
    """``params`` with ``overrides`` applied (see :func:`read_overrides`), validated again.

    Raises
    ------
    OverrideError
        Naming each key set to a value it cannot take.
    """
    overrides = read_overrides(overrides)
    if not overrides:
        return params
    run_keys = frozenset(_leaf_keys(overrides))
    merged = _deep_merge(params.model_dump(exclude_unset=False), overrides)
    out = _validated(merged, overrides, params.source_file)
    out.base_dir, out.source_file, out.set_keys = params.base_dir, params.source_file, params.set_keys
    out._run_keys = params.run_keys | run_keys
    return out


def load_params(path: str | Path, overrides: dict | str | None = None) -> Params:
    """Read a params file, apply ``overrides`` and validate.

    Parameters
    ----------
    path : str or Path
        The YAML params file. Data paths inside are relative to it.
    overrides : dict or str, optional
        Keys that replace the file's values for this run: a nested mapping
        such as ``{"assumptions": {"max_sales_cost_ratio": 0.1}}``, the same
        as JSON or YAML text, or dotted keys ``{"assumptions.working_days": 210}``
        (see :func:`read_overrides`). The report's assumptions table shows
        them with the source "this run".

    Returns
    -------
    Params

    Raises
    ------
    ParamsError
        Naming every bad key; :class:`OverrideError` (one line per key) when
        only overridden keys are bad.

    Examples
    --------
    >>> p = load_params("data/sample/params.yaml", {"assumptions": {"working_days": 210}})  # doctest: +SKIP
    >>> p.assumptions.working_days  # doctest: +SKIP
    210
    >>> load_params("data/sample/params.yaml", '{"assumptions": {"working_days": 210}}').run_keys  # doctest: +SKIP
    frozenset({'assumptions', 'assumptions.working_days'})
    """
    overrides = read_overrides(overrides)
    path = Path(path)
    if not path.is_file():
        raise ParamsError(f"params file not found: {path}", str(path))
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParamsError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} in line {line}); save the params file "
                          "as UTF-8", str(path)) from None
    except OSError as exc:
        raise ParamsError(f"cannot be read: {exc.strerror or exc}", str(path)) from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader) or {}
    except ValueError as exc:  # YAML reads 2025-31-12 as a date and fails on it
        raise ParamsError(_impossible_dates(text, exc), str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ParamsError(f"not valid YAML{where}: {getattr(exc, 'problem', exc)}", str(path)) from None
    if isinstance(raw, dict) and "client" not in raw:
        raw["client"] = path.resolve().parent.name or "Client"
    run_keys = frozenset(_leaf_keys(overrides))
    merged = _deep_merge(raw, overrides) if isinstance(raw, dict) else raw
    params = _validated(merged, overrides, str(path))
    params.base_dir = path.resolve().parent
    params.source_file = str(path)
    params.set_keys = frozenset(_leaf_keys(raw if isinstance(raw, dict) else {}))
    params._run_keys = run_keys
    return params


def assumptions_table(params: Params):
    """The assumptions with value, meaning and source, for the report.

    ``source`` says where the number comes from (the practitioner article or
    a smartacct assumption, or "this run" for a value overridden for one run
    with ``smartacct report --set`` or a notebook's ``overrides``);
    ``set_in`` says what set it: "this run", "params file" or "default".

    Returns
    -------
    pandas.DataFrame
        Columns ``assumption, value, meaning, source, set_in``.
    """
    import pandas as pd

    rows = []
    values = params.assumptions.model_dump()
    def among(keys, name):
        return any(k == f"assumptions.{name}" or k.startswith(f"assumptions.{name}.") for k in keys)

    for name, field in Assumptions.model_fields.items():
        extra = field.json_schema_extra or {}
        value = values[name]
        this_run = among(params.run_keys, name)
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v:g}" if isinstance(v, (int, float)) else f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = " / ".join(str(v) for v in value)
        rows.append(
            {
                "assumption": name,
                "value": value,
                "meaning": field.description,
                "source": THIS_RUN if this_run else extra.get("source", ASSUMPTION),
                "set_in": THIS_RUN if this_run else "params file" if among(params.set_keys, name) else "default",
            }
        )
    return pd.DataFrame(rows)
