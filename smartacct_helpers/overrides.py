"""Values set for one run: a notebook's ``overrides`` and ``smartacct report --set KEY=VALUE``.

Both become a nested mapping of params keys (:func:`read_overrides`,
:func:`parse_settings`) that :func:`smartacct_helpers.params.load_params`
lays over the params file; a problem is named as set for this run.

Examples
--------
>>> read_overrides({"assumptions.working_days": 210})
{'assumptions': {'working_days': 210}}
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping

import yaml

from .exceptions import OverrideError


def _deep_merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


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
                    None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


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
                problems.append(_for_this_run(key, f"conflicts with {'.'.join(parts[: depth + 1])}, set to one value"))
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
                raise OverrideError(
                    [
                        _for_this_run(
                            "overrides",
                            f"neither JSON nor YAML ({problem}); write "
                            'them as {"assumptions": {"working_days": 210}}',
                        )
                    ]
                ) from None
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise OverrideError(
            [
                _for_this_run(
                    "overrides",
                    "expected a mapping of params keys such as "
                    f'{{"assumptions": {{"working_days": 210}}}}, got {overrides!r}',
                )
            ]
        )
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
            problems.append(
                _for_this_run(repr(setting), "expected KEY=VALUE, such as assumptions.max_sales_cost_ratio=0.10")
            )
            continue
        if not _KEY.fullmatch(key):
            problems.append(
                _for_this_run(repr(key), "not a params key; keys are names joined by dots, such as assumptions.abc.a")
            )
            continue
        try:
            value = yaml.safe_load(text)
        except ValueError as exc:  # YAML reads 2025-02-30 as a date and fails on it
            problems.append(_for_this_run(key, f"{text.strip()!r} is no date ({exc}); write it as yyyy-mm-dd"))
            continue
        except yaml.YAMLError as exc:
            problems.append(
                _for_this_run(
                    key,
                    f"the value {text!r} cannot be read "
                    f"({getattr(exc, 'problem', None) or exc}); quote text that "
                    "holds ': ' or starts with [ or {",
                )
            )
            continue
        if isinstance(value, dict):
            problems.append(
                _for_this_run(
                    key,
                    f"one value or a list is expected, got {text!r}; set each key "
                    f"under it on its own ({key}.NAME=VALUE), or quote text that "
                    "holds ': '",
                )
            )
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
