"""From numbers to action: how to introduce small-customer management (docs/method.md section 9).

Tables in, tables and numbers out; the words are in :mod:`.views`.

* :func:`active_or_passive`: grow the small customers through inside sales,
  or serve them cheaply, decided by a stated rule on the develop/small
  split and the rep cover (:mod:`smartacct_helpers.inside_sales.rep_cover`).
* :func:`success_factor_facts`: what the data says about the seven success
  factors of introducing inside sales.
* The pilot: :func:`pilot_sample_size` (a two-sample comparison of means),
  :func:`pilot_effect` (the expected uplift and the spread of the customers'
  yearly revenue change) and :func:`pilot_groups` (a treatment and a
  comparable control group, drawn at random within strata of segment, size
  and region).

Examples
--------
The textbook case: a difference of half a standard deviation, 5 % two-sided
significance, 80 % power: 2 x (1.95996 + 0.84162)^2 / 0.5^2 = 62.8, so 63
customers per group.

>>> pilot_sample_size(0.5, 1.0)
63
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..facts.concepts import group_labels, has_values
from ..facts.cost_to_serve import WINDOW_MONTHS
from ..facts.orders import months_before

#: the proposals of :func:`active_or_passive`
GROW_ALL = "grow"
GROW_DEVELOP = "grow the develop customers"
SERVE_CHEAPLY = "serve cheaply"
#: the two pilot groups, as the customer master's column ``pilot_group`` names them
TREATMENT, CONTROL = "treatment", "control"
#: the strata of the pilot where the data has them
STRATA = ("segment", "size", "region")


@dataclass(frozen=True)
class Proposal:
    """The proposal of :func:`active_or_passive` and the facts it rests on."""

    approach: str
    develop: int
    small: int
    rep_cover_ratio: float
    capacity: int

    @property
    def active(self) -> bool:
        return self.approach != SERVE_CHEAPLY


def active_or_passive(develop: int, small: int, rep_cover_ratio: float | None, capacity: int) -> Proposal | None:
    """Active (grow them through inside sales) or passive (serve them cheaply), by a stated rule.

    * the rep cover is at least 1 (the margin one rep's customers bring today
      pays for the rep): **grow** all customers to manage through inside sales;
    * the rep cover is below 1, but the develop customers fill at least one
      rep (``develop >= capacity``): **grow the develop customers** with a
      smaller team, and serve the rest cheaply;
    * otherwise **serve cheaply**: self-service, a small-order surcharge,
      minimum order values (notebook 06).

    None when there is no customer to manage (no rep cover).

    Examples
    --------
    >>> active_or_passive(1954, 2366, 3.3, 400).approach
    'grow'
    >>> active_or_passive(500, 2000, 0.8, 400).approach, active_or_passive(300, 2000, 0.8, 400).approach
    ('grow the develop customers', 'serve cheaply')
    """
    if rep_cover_ratio is None or develop + small == 0:
        return None
    if rep_cover_ratio >= 1:
        approach = GROW_ALL
    elif develop >= capacity:
        approach = GROW_DEVELOP
    else:
        approach = SERVE_CHEAPLY
    return Proposal(approach, int(develop), int(small), float(rep_cover_ratio), int(capacity))


def _share(mask: pd.Series) -> float | None:
    return float(mask.mean()) if len(mask) else None


def _named(frame: pd.DataFrame, column: str) -> pd.Series:
    """Whether each row names a value in ``column`` (blank and "unknown" are no name)."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    text = frame[column].astype("string").str.strip()
    return (text.notna() & (text != "") & (text.str.lower() != "unknown")).fillna(False).astype(bool)


def success_factor_facts(
    classified: pd.DataFrame, activities: pd.DataFrame | None, reference_date: dt.date
) -> dict[str, float | None]:
    """What the data says about the success factors, over the customers to manage.

    Returns
    -------
    dict
        ``customers`` (to manage); ``both_reps_share``, ``outside_rep_share``,
        ``inside_rep_share`` (shares of them with the rep named in the
        customer master; None without the column); ``crm_share`` (with a
        CRM activity in the window; None without activities);
        ``potential_share`` (with a known potential); ``handoff_share``
        (with activities of both the outside and the inside team in the
        window; None without the activities' column team).

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "to_manage": [True, True], "outside_rep": ["A", None],
    ...                   "inside_rep": ["X", "Y"], "potential": [100.0, None]})
    >>> a = pd.DataFrame({"customer_id": ["1", "1"], "date": pd.to_datetime(["2025-06-01", "2025-07-01"]),
    ...                   "team": ["outside", "inside"]})
    >>> f = success_factor_facts(c, a, dt.date(2025, 12, 31))
    >>> f["both_reps_share"], f["crm_share"], f["potential_share"], f["handoff_share"]
    (0.5, 0.5, 0.5, 0.5)
    """
    managed = classified[classified["to_manage"].astype(bool)]
    ids = managed["customer_id"].astype(str)
    out: dict[str, float | None] = {"customers": len(managed)}
    outside, inside = _named(managed, "outside_rep"), _named(managed, "inside_rep")
    out["outside_rep_share"] = _share(outside) if "outside_rep" in managed else None
    out["inside_rep_share"] = _share(inside) if "inside_rep" in managed else None
    both_known = "outside_rep" in managed and "inside_rep" in managed
    out["both_reps_share"] = _share(outside & inside) if both_known else None
    out["potential_share"] = _share(managed["potential"].notna()) if "potential" in managed else 0.0
    out["crm_share"] = out["handoff_share"] = None
    if activities is not None and len(activities) and len(managed):
        since = pd.Timestamp(months_before(reference_date, WINDOW_MONTHS))
        recent = activities[pd.to_datetime(activities["date"]) > since]
        contacted = set(recent["customer_id"].astype(str))
        out["crm_share"] = float(ids.isin(contacted).mean())
        if has_values(recent, "team"):
            team = recent["team"].astype("string").str.lower()
            by_outside = set(recent.loc[team.eq("outside").fillna(False), "customer_id"].astype(str))
            by_inside = set(recent.loc[team.eq("inside").fillna(False), "customer_id"].astype(str))
            out["handoff_share"] = float((ids.isin(by_outside) & ids.isin(by_inside)).mean())
    return out


# -- the pilot -----------------------------------------------------------------------------------------------------


def _z(alpha: float, power: float) -> float:
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def pilot_sample_size(effect: float, sd: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Customers per group to detect a difference ``effect`` of two means with spread ``sd``.

    The two-sample comparison of means with equal groups and a two-sided
    test: ``n = 2 (z_(1-alpha/2) + z_power)^2 sd^2 / effect^2``, rounded up.

    >>> pilot_sample_size(800, 8_000)  # a tenth of a standard deviation: 1,570 per group
    1570
    """
    if effect <= 0 or sd <= 0:
        raise ValueError("the effect and the standard deviation must be above zero")
    return math.ceil(2 * (_z(alpha, power) * sd / effect) ** 2)


def detectable_effect(n: int, sd: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest difference of means that ``n`` customers per group detect (the inverse of the sample size).

    >>> round(detectable_effect(63, 1.0), 3)
    0.499
    """
    return _z(alpha, power) * sd * math.sqrt(2 / n)


@dataclass(frozen=True)
class PilotEffect:
    """The expected yearly revenue uplift per treated customer and the spread of the yearly revenue change."""

    customers: int
    effect: float | None
    sd: float | None
    outcome: str  # "revenue change" (this year - last year) or "revenue" (this year alone)


def pilot_effect(classified: pd.DataFrame, uplift_on_gap: float) -> PilotEffect:
    """The expected uplift (``uplift_on_gap`` x the mean known gap) and the spread it must show against.

    The outcome the pilot compares is each customer's yearly revenue change
    (the last 12 months minus the 12 before), whose spread is usually far
    smaller than that of the revenue itself; where the data has no earlier
    window, the revenue of the last 12 months.

    >>> c = pd.DataFrame({"customer_id": list("abc"), "to_manage": True, "gap": [10_000.0, 20_000.0, 30_000.0],
    ...                   "revenue_12m": [1_000.0, 2_000.0, 3_000.0], "revenue_12m_1": [900.0, 2_100.0, 2_800.0]})
    >>> e = pilot_effect(c, 0.04)   # 4 % of the mean gap 20,000; changes 100, -100, 200: sd 152.75
    >>> e.effect, round(e.sd, 2), e.outcome
    (800.0, 152.75, 'revenue change')
    """
    managed = classified[classified["to_manage"].astype(bool)]
    gap = managed["gap"].dropna() if "gap" in managed else pd.Series(dtype="float64")
    effect = float(uplift_on_gap * gap.mean()) if len(gap) else None
    if "revenue_12m_1" in managed:
        values, outcome = managed["revenue_12m"] - managed["revenue_12m_1"], "revenue change"
    else:
        values, outcome = managed["revenue_12m"], "revenue"
    sd = float(values.std(ddof=1)) if len(values) > 1 else None
    return PilotEffect(len(managed), effect if effect else None, sd if sd else None, outcome)


def size_bands(revenue: pd.Series) -> pd.Series:
    """The revenue quartile of each customer (1 the smallest), for stratifying; ties by rank order.

    >>> size_bands(pd.Series([10.0, 40.0, 20.0, 30.0])).tolist()
    ['size 1', 'size 4', 'size 2', 'size 3']
    """
    if len(revenue) == 0:
        return pd.Series([], dtype="object", index=revenue.index)
    rank = revenue.rank(method="first")
    band = np.ceil(rank / len(revenue) * 4).astype(int).clip(1, 4)
    return band.map(lambda b: f"size {b}")


def pilot_groups(classified: pd.DataFrame, per_group: int, seed: int = 0) -> pd.DataFrame:
    """A treatment and a control group of customers to manage, alike by segment, size and region.

    The customers are put into strata (segment, revenue quartile, and region
    where the data names one); in each stratum the same share of customers
    is drawn at random, so that the pilot holds about ``2 x per_group``
    customers (all of them where there are fewer), and the drawn ones, stratum
    after stratum, are split alternately into treatment and control from a
    random start. So both groups hold each stratum in the same proportion,
    to one customer, and are equal in size, to one customer.

    Returns
    -------
    DataFrame
        ``customer_id``, ``name`` (where known), ``pilot_group`` (treatment /
        control), ``stratum``, ``segment``, ``region`` (where known),
        ``revenue_12m``; treatment first, then by customer id.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": [str(i) for i in range(8)], "to_manage": True,
    ...                   "segment": ["small"] * 4 + ["develop"] * 4, "revenue_12m": [float(i) for i in range(8)]})
    >>> g = pilot_groups(c, 2)
    >>> g["pilot_group"].value_counts().to_dict()
    {'treatment': 2, 'control': 2}
    >>> sorted(g.groupby("pilot_group")["segment"].apply(lambda s: sorted(s)).tolist())
    [['develop', 'small'], ['develop', 'small']]
    """
    managed = classified[classified["to_manage"].astype(bool)].copy()
    cols = ["customer_id"] + [c for c in ("name", "segment", "region", "revenue_12m") if c in managed]
    out = managed[cols].copy()
    out["customer_id"] = out["customer_id"].astype(str)
    if out.empty:
        return out.assign(pilot_group=pd.Series(dtype="object"), stratum=pd.Series(dtype="object"))
    parts = [out["segment"].astype(str)] if "segment" in out else []
    parts.append(size_bands(out["revenue_12m"]))
    if has_values(out, "region"):
        parts.append(group_labels(out, "region").astype(str))
    out["stratum"] = parts[0].str.cat(parts[1:], sep=" / ") if len(parts) > 1 else parts[0]
    rng = np.random.default_rng(seed)
    out["_draw"] = rng.random(len(out))
    out = out.sort_values(["stratum", "_draw"], kind="stable")
    fraction = min(1.0, 2 * per_group / len(out))
    rank = out.groupby("stratum").cumcount()
    size = out.groupby("stratum")["customer_id"].transform("size")
    keep = rank < np.round(size * fraction)
    chosen = out[keep.to_numpy()].copy()
    position = np.arange(len(chosen)) + int(rng.integers(2))  # one run through the strata, from a random start
    chosen["pilot_group"] = np.where(position % 2 == 0, TREATMENT, CONTROL)
    chosen = chosen.drop(columns="_draw")
    chosen["_order"] = (chosen["pilot_group"] == CONTROL).astype(int)
    chosen = chosen.sort_values(["_order", "customer_id"], kind="stable").drop(columns="_order")
    first = ["customer_id"] + [c for c in ("name",) if c in chosen] + ["pilot_group", "stratum"]
    return chosen[first + [c for c in chosen if c not in first]].reset_index(drop=True)
