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
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .exceptions import ParamsError

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


class ColumnMapping(_Strict):
    """Canonical column name -> column name in the source, per table."""

    orders: dict[str, str] = Field(default_factory=dict)
    customers: dict[str, str] = Field(default_factory=dict)
    activities: dict[str, str] = Field(default_factory=dict)
    market: dict[str, str] = Field(default_factory=dict)


class DataSources(_Strict):
    """Where the client's data lives."""

    orders: str
    customers: str | None = None
    activities: str | None = None
    market: str | None = None
    database: str | None = None
    columns: ColumnMapping = Field(default_factory=ColumnMapping)
    csv: CsvOptions = Field(default_factory=CsvOptions)


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

    @model_validator(mode="after")
    def _capacities_positive(self) -> "Assumptions":
        if any(c <= 0 for c in self.inside_rep_capacity):
            raise ValueError("inside_rep_capacity: every capacity must be a positive number of customers")
        return self


class Params(_Strict):
    """A client's params: who, which data, which assumptions."""

    client: str = "Client"
    currency: str = "EUR"
    reference_date: dt.date | None = None
    data: DataSources
    assumptions: Assumptions = Field(default_factory=Assumptions)
    base_dir: Path = Field(default=Path("."), exclude=True)
    source_file: str | None = Field(default=None, exclude=True)
    set_keys: frozenset[str] = Field(default=frozenset(), exclude=True)

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
    return f"{loc}: {error['msg']}{got_text}"


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


def load_params(path: str | Path, overrides: dict | None = None) -> Params:
    """Read a params file, apply ``overrides`` (a nested mapping) and validate.

    Parameters
    ----------
    path : str or Path
        The YAML params file. Data paths inside are relative to it.
    overrides : dict, optional
        Nested keys that replace the file's values, e.g.
        ``{"assumptions": {"max_sales_cost_ratio": 0.1}}``.

    Returns
    -------
    Params

    Examples
    --------
    >>> p = load_params("data/sample/params.yaml", {"assumptions": {"working_days": 210}})  # doctest: +SKIP
    >>> p.assumptions.working_days  # doctest: +SKIP
    210
    """
    path = Path(path)
    if not path.is_file():
        raise ParamsError(f"params file not found: {path}", str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ParamsError(f"not valid YAML{where}: {getattr(exc, 'problem', exc)}", str(path)) from None
    if isinstance(raw, dict) and "client" not in raw:
        raw["client"] = path.resolve().parent.name or "Client"
    merged = _deep_merge(raw, overrides or {}) if isinstance(raw, dict) else raw
    params = parse_params(merged, path.resolve().parent, str(path))
    params.set_keys = frozenset(_leaf_keys(raw if isinstance(raw, dict) else {}))
    return params


def assumptions_table(params: Params):
    """The assumptions with value, meaning and source, for the report.

    ``source`` says where the number comes from (the practitioner article or
    a smartacct assumption); ``set_in`` says whether the params file set it.

    Returns
    -------
    pandas.DataFrame
        Columns ``assumption, value, meaning, source, set_in``.
    """
    import pandas as pd

    rows = []
    values = params.assumptions.model_dump()
    for name, field in Assumptions.model_fields.items():
        extra = field.json_schema_extra or {}
        value = values[name]
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v:g}" if isinstance(v, (int, float)) else f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = " / ".join(str(v) for v in value)
        rows.append(
            {
                "assumption": name,
                "value": value,
                "meaning": field.description,
                "source": extra.get("source", ASSUMPTION),
                "set_in": "params file"
                if any(k == f"assumptions.{name}" or k.startswith(f"assumptions.{name}.") for k in params.set_keys)
                else "default",
            }
        )
    return pd.DataFrame(rows)
