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

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, PrivateAttr, ValidationError, field_validator

from .assumptions import Assumptions, _Strict, value_source
from .exceptions import OverrideError, ParamsError
from .overrides import THIS_RUN, _deep_merge, _ends, _for_this_run, _touches, _UniqueKeyLoader, read_overrides


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
            raise ValueError('expected auto or a format with codes such as "%d.%m.%Y"')
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
        "exclude",
        description="invoice lines without a customer id (counter and guest sales): exclude leaves them "
        "out of every customer figure and reports them; refuse stops with an error",
    )

    # -- Excel: the sheet to read per table (default: the first sheet) --
    sheets: dict[Literal["orders", "customers", "activities", "market", "assessments"], str] = Field(
        default_factory=dict, description="sheet name per table for Excel files, e.g. {orders: Umsätze}"
    )


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

    with contextlib.suppress(yaml.YAMLError):
        walk(yaml.load(text, Loader=yaml.BaseLoader), "")  # every value as plain text, nothing constructed
    return found or [f"cannot be read: {exc}"]


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
        raise ParamsError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} in line {line}); save the params file as UTF-8", str(path)
        ) from None
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

    ``source`` says where the number comes from (docs/method.md section 8):
    ``article`` for the few numbers the practitioner articles give,
    ``smartacct default`` for ours, ``client input`` for a value the params
    file sets to anything other than the default, and ``this run`` for a
    value set for one run (``smartacct report --set`` or a notebook's
    ``overrides``). ``set_in`` says what set it: "this run", "params file"
    or "default". The values per employee of ``potential_per_employee`` get
    a row per industry (``potential_per_employee.electricians``), each with
    its own source: the electricians' 9,000 EUR from the article, every
    other industry's from the client. An empty value reads "empty".

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

    def shown(value):
        if value is None:
            return "empty"
        if isinstance(value, dict):
            return ", ".join(f"{k}: {v:g}" if isinstance(v, (int, float)) else f"{k}: {v}" for k, v in value.items())
        if isinstance(value, list):
            return " / ".join(str(v) for v in value)
        return value

    for name, field in Assumptions.model_fields.items():
        value = values[name]
        this_run = among(params.run_keys, name)
        set_in = THIS_RUN if this_run else "params file" if among(params.set_keys, name) else "default"
        if name == "potential_per_employee":  # one row per industry, each with its own source
            for industry, per_employee in value.items():
                key = f"{name}.{industry}"
                rows.append(
                    {
                        "assumption": key,
                        "value": shown(per_employee),
                        "meaning": f"{field.description}: {industry.replace('_', ' ')}",
                        "source": THIS_RUN
                        if among(params.run_keys, key)
                        else value_source(name, per_employee, industry),
                        "set_in": set_in,
                    }
                )
            continue
        rows.append(
            {
                "assumption": name,
                "value": shown(value),
                "meaning": field.description,
                "source": THIS_RUN if this_run else value_source(name, value),
                "set_in": set_in,
            }
        )
    return pd.DataFrame(rows)
