"""The report's recommendation: each decision follows from the figures by a stated rule.

Three decisions, each returned as data (:class:`Decision`: what to do, the
rule, the figures it rests on, and what is missing where the data cannot
carry it); the report writes them in words.

Inside sales (:func:`inside_sales_decision`)
    *Go* when the business case's ROI (base scenario) is above
    ``go_min_roi`` and the probability of paying back within
    :data:`~smartacct_helpers.inside_sales.figures.PAYBACK_CHANCE_MONTHS`
    (24) months is at least ``go_min_probability_payback``; *no go* otherwise. The headcount
    is the business case's at the middle capacity; the team is *external*
    when an external provider's ROI is higher than the internal team's
    (it starts faster, without set-up), *internal* otherwise.
Key accounts (:func:`key_account_actions`)
    Every key account whose operating profit after the cost to serve is
    below zero is a *value destroyer*: renegotiate its terms. Every key
    account on the early-warning list is *at risk*: call it first.
Levers (:func:`levers_to_pull`)
    Pull each lever that raises the operating profit by more than
    ``lever_min_operating_profit_gain``, the largest gain first.

Examples
--------
>>> from smartacct_helpers.assumptions import Assumptions
>>> figures = {"customers_to_manage": 4000, "roi": 0.8, "probability_payback_24m": 0.9,
...            "payback_months": 14, "inside_sales_headcount": {"350": 12, "400": 10, "450": 9}}
>>> d = inside_sales_decision(figures, Assumptions())
>>> d.verdict, d.values["headcount"], d.values["provider"]
('go', 10, 'internal')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..inside_sales.figures import PAYBACK_CHANCE_MONTHS

#: the verdicts of a decision
GO, NO_GO, OPEN, ACT, NOTHING = "go", "no go", "open", "act", "nothing to do"


@dataclass(frozen=True)
class Decision:
    """One decision of the recommendation.

    Attributes
    ----------
    topic : str
        ``"inside sales"``, ``"key accounts"`` or ``"levers"``.
    verdict : str
        :data:`GO`, :data:`NO_GO`, :data:`ACT`, :data:`NOTHING`, or
        :data:`OPEN` when the data cannot support a decision.
    values : dict
        The figures and thresholds the rule read, and what it chose.
    missing : str or None
        Why the data cannot support a decision (the verdict is then :data:`OPEN`).
    """

    topic: str
    verdict: str
    values: dict = field(default_factory=dict)
    missing: str | None = None


def _limited(figures: dict, key: str) -> str | None:
    return ((figures.get("data_coverage") or {}).get("limited") or {}).get(key)


def _middle(headcounts: dict) -> int | None:
    """The headcount at the middle capacity: of 350 / 400 / 450 customers per rep, the one at 400."""
    if not headcounts:
        return None
    capacities = sorted(headcounts, key=lambda c: int(c))
    return int(headcounts[capacities[len(capacities) // 2]])


def inside_sales_decision(figures: dict, assumptions, external: dict | None = None) -> Decision:
    """Go or no go for an inside-sales team, with its headcount and provider (see the module).

    Parameters
    ----------
    figures : dict
        The key figures (``summary.json``): ``customers_to_manage``,
        ``roi``, ``probability_payback_24m``, ``payback_months``,
        ``inside_sales_headcount`` and ``data_coverage``.
    assumptions : Assumptions
        ``go_min_roi`` and ``go_min_probability_payback``.
    external : dict, optional
        ``roi`` and ``payback_months`` of the same case with an external
        provider; without it the team is internal.

    Examples
    --------
    >>> from smartacct_helpers.assumptions import Assumptions
    >>> f = {"customers_to_manage": 900, "roi": 0.2, "probability_payback_24m": 0.55,
    ...      "payback_months": 22, "inside_sales_headcount": {"400": 3}}
    >>> inside_sales_decision(f, Assumptions()).verdict      # 55 % < 70 %
    'no go'
    >>> inside_sales_decision(f | {"roi": None, "data_coverage": {"limited": {"roi": "no potential"}}},
    ...                       Assumptions()).missing
    'no potential'
    """
    a = assumptions
    values = {
        "min_roi": a.go_min_roi,
        "min_probability": a.go_min_probability_payback,
        "customers": int(figures.get("customers_to_manage") or 0),
        "roi": figures.get("roi"),
        "probability": figures.get("probability_payback_24m"),
        # the months the probability of paying back is reckoned within, for the rule in words
        "payback_chance_months": PAYBACK_CHANCE_MONTHS,
        "payback_months": figures.get("payback_months"),
        "headcount": _middle(figures.get("inside_sales_headcount") or {}),
    }
    if not values["customers"]:
        return Decision("inside sales", OPEN, values, "no customer is to manage")
    if values["roi"] is None or values["probability"] is None:
        why = _limited(figures, "roi") or _limited(figures, "probability_payback_24m") or "the business case is missing"
        return Decision("inside sales", OPEN, values, why)
    go = values["roi"] > a.go_min_roi and values["probability"] >= a.go_min_probability_payback
    external_roi = None if external is None else external.get("roi")
    provider = "external" if external_roi is not None and external_roi > values["roi"] else "internal"
    values |= {"provider": provider, "external_roi": external_roi}
    return Decision("inside sales", GO if go else NO_GO, values)


def key_account_actions(accounts) -> Decision:
    """The key accounts to act on: value destroyers and those at risk (see the module).

    Parameters
    ----------
    accounts : iterable of dict
        One per key account: ``name``, ``operating_profit_12m`` (None when
        unknown) and ``at_risk`` (on the early-warning list).

    Examples
    --------
    >>> d = key_account_actions([{"name": "Alpha", "operating_profit_12m": -5.0, "at_risk": False},
    ...                          {"name": "Beta", "operating_profit_12m": 80.0, "at_risk": True},
    ...                          {"name": "Gamma", "operating_profit_12m": 30.0, "at_risk": False}])
    >>> d.verdict, d.values["value_destroyers"], d.values["at_risk"]
    ('act', ['Alpha'], ['Beta'])
    """
    accounts = list(accounts)
    if not accounts:
        return Decision("key accounts", OPEN, {}, "no customer has revenue in the last 12 months")
    losing = sorted(
        (a for a in accounts if a.get("operating_profit_12m") is not None and a["operating_profit_12m"] < 0),
        key=lambda a: a["operating_profit_12m"],
    )
    values = {
        "key_accounts": len(accounts),
        "value_destroyers": [a["name"] for a in losing],
        "at_risk": [a["name"] for a in accounts if a.get("at_risk")],
    }
    act = values["value_destroyers"] or values["at_risk"]
    return Decision("key accounts", ACT if act else NOTHING, values)


def levers_to_pull(levers: dict, assumptions) -> Decision:
    """The levers whose gain in operating profit is above the threshold, largest first (see the module).

    Parameters
    ----------
    levers : dict
        Lever (in words) to its change of the operating profit over the
        last 12 months; None when the data cannot reckon it.
    assumptions : Assumptions
        ``lever_min_operating_profit_gain``.

    Examples
    --------
    >>> from smartacct_helpers.assumptions import Assumptions
    >>> d = levers_to_pull({"surcharge": 40_000.0, "price": 90_000.0, "minimum order": -3_000.0}, Assumptions())
    >>> d.verdict, d.values["pull"], d.values["leave"]
    ('act', ['price', 'surcharge'], ['minimum order'])
    """
    known = {k: v for k, v in levers.items() if v is not None}
    if not known:
        return Decision("levers", OPEN, {}, "no lever can be reckoned on this data")
    floor = assumptions.lever_min_operating_profit_gain
    ranked = sorted(known.items(), key=lambda kv: -kv[1])
    values = {
        "min_gain": floor,
        "gains": dict(ranked),
        "pull": [k for k, v in ranked if v > floor],
        "leave": [k for k, v in ranked if v <= floor],
    }
    return Decision("levers", ACT if values["pull"] else NOTHING, values)
