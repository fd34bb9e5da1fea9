"""Who calls whom: every customer to manage gets exactly one inside rep.

Each customer keeps its outside rep and gets one inside rep. The workloads
are balanced: every rep's number of customers and total potential lie within
a tolerance (default 5 %) of the mean, and a rep's customers come from as few
regions and industries as possible, so that the rep gets to know a market.

How: the customers are lined up by region, industry and potential and cut
into consecutive blocks of equal size (counts differ by at most one, regions
and industries stay together). Then customers are swapped pairwise between
the rep with the most and the rep with the least potential, preferring pairs
from the same region and industry, until every rep's potential lies within
a quarter of the tolerance (or no swap helps any more). Swaps keep the counts unchanged. When one customer alone is
larger than the tolerance allows, the best balance reached is returned and
:func:`workload` shows it.

Examples
--------
Six customers, potentials 100 to 50 (total 450, so 225 per rep is the mean):

>>> c = pd.DataFrame({"customer_id": list("abcdef"), "region": ["N"] * 6, "industry": ["e"] * 6,
...                   "potential": [100.0, 90.0, 80.0, 70.0, 60.0, 50.0]})
>>> load = workload(assign_inside_reps(c, ["Anna", "Ben"]))
>>> load["customers"].tolist(), bool(load["balanced"].all())    # 3 each, both within 225 +/- 11.25
([3, 3], True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import largest_first


def rep_names(count: int, prefix: str = "Inside rep") -> list[str]:
    """Names for ``count`` new inside reps, numbered with leading zeros so that they sort.

    >>> rep_names(3)
    ['Inside rep 1', 'Inside rep 2', 'Inside rep 3']
    """
    width = len(str(count))
    return [f"{prefix} {i:0{width}d}" for i in range(1, count + 1)]


def team_names(count: int, known=()) -> list[str]:
    """Names for a team of ``count`` inside reps: the reps the customer master names first, then new ones
    numbered on in the master's scheme, so that a rep has one name in every file.

    Without names in the master the reps are :func:`rep_names`; names that follow no one scheme go on as
    "Inside rep n".

    >>> team_names(5, ["Innendienst 2", "Innendienst 10", "Innendienst 1"])
    ['Innendienst 1', 'Innendienst 2', 'Innendienst 10', 'Innendienst 11', 'Innendienst 12']
    >>> team_names(2, ["Innendienst 1", "Innendienst 2", "Innendienst 3"]), team_names(3)
    (['Innendienst 1', 'Innendienst 2'], ['Inside rep 1', 'Inside rep 2', 'Inside rep 3'])
    >>> team_names(3, ["Ann", "Ben"])
    ['Ann', 'Ben', 'Inside rep 3']
    """
    import re

    names = sorted({str(n).strip() for n in known if n is not None and str(n).strip() and str(n) != "nan"})
    if not names:
        return rep_names(count)
    parts = [re.fullmatch(r"(.*?)\s*(\d+)", n) for n in names]
    schemes = {m.group(1) for m in parts if m}
    if all(parts) and len(schemes) == 1:
        prefix = schemes.pop()
        numbers = sorted(int(m.group(2)) for m in parts)
        names = [f"{prefix} {i}" for i in numbers]
        more = [f"{prefix} {numbers[-1] + i}" for i in range(1, count - len(names) + 1)]
    else:
        more = [f"Inside rep {len(names) + i}" for i in range(1, count - len(names) + 1)]
    return (names + more)[:count]


def _cut(n: int, k: int) -> np.ndarray:
    """Rep index 0..k-1 for n lined-up customers in k consecutive blocks of near-equal size."""
    return (np.arange(n) * k) // n


def _best_swap(pot, group, owner, over, under, target):
    """Indices (i in over, j in under) whose potentials differ closest to ``target``, same group first."""
    i_idx = np.flatnonzero(owner == over)
    j_idx = np.flatnonzero(owner == under)
    if not len(i_idx) or not len(j_idx):
        return None
    best = None
    for same_group in (True, False):
        if same_group:
            common = np.intersect1d(group[i_idx], group[j_idx])
            if not len(common):
                continue
            ii = i_idx[np.isin(group[i_idx], common)]
            jj = j_idx[np.isin(group[j_idx], common)]
        else:
            ii, jj = i_idx, j_idx
        order = np.argsort(pot[jj], kind="stable")
        pj = pot[jj][order]
        want = pot[ii] - target  # the ideal partner for each i
        pos = np.clip(np.searchsorted(pj, want), 0, len(pj) - 1)
        for cand in (pos, np.clip(pos - 1, 0, len(pj) - 1)):
            delta = pot[ii] - pj[cand]
            err = np.abs(delta - target)
            valid = (delta > 0) & (delta < 2 * target)  # the swap must bring the two closer together
            if not valid.any():
                continue
            k = int(np.argmin(np.where(valid, err, np.inf)))
            if best is None or err[k] < best[0]:
                best = (err[k], int(ii[k]), int(jj[order][cand[k]]))
        # accept a same-group swap when it does at least half of the needed transfer
        if best is not None and same_group and best[0] <= 0.5 * target:
            return best[1], best[2]
    return None if best is None else (best[1], best[2])


def assign_inside_reps(customers: pd.DataFrame, reps, tolerance: float = 0.05, max_swaps: int = 5_000) -> pd.DataFrame:
    """Give every customer exactly one inside rep, balancing count and potential.

    Parameters
    ----------
    customers : DataFrame
        The customers to manage: ``customer_id``, ``potential`` and, where
        known, ``region`` and ``industry`` (other columns are kept).
    reps : list of str or int
        The inside reps' names, or how many reps (named by :func:`rep_names`).
    tolerance : float
        Largest deviation of a rep's potential from the mean (counts differ by
        at most one customer anyway).
    max_swaps : int

    Returns
    -------
    DataFrame
        ``customers`` with a new column ``assigned_inside_rep``; the outside
        rep is left as it is.
    """
    reps = rep_names(reps) if isinstance(reps, (int, np.integer)) else list(reps)
    if not reps:
        raise ValueError("at least one inside rep is needed")
    if len(set(reps)) != len(reps):
        raise ValueError("inside rep names must be unique")
    df = customers.reset_index(drop=True).copy()
    n, k = len(df), len(reps)
    if n == 0:
        return df.assign(assigned_inside_rep=pd.Series(dtype=object))
    region = df["region"].fillna("?").astype(str) if "region" in df else pd.Series("?", index=df.index)
    industry = df["industry"].fillna("?").astype(str) if "industry" in df else pd.Series("?", index=df.index)
    pot = df["potential"].fillna(0.0).to_numpy(dtype="float64")
    # line up: region, industry, then potential alternating high and low so that each block gets a mix
    rank = pd.Series(pot).groupby([region, industry]).rank(method="first", ascending=False).to_numpy()
    zigzag = np.where(rank % 2 == 1, rank, -rank)
    order = np.lexsort((df["customer_id"].astype(str).to_numpy(), zigzag, industry.to_numpy(), region.to_numpy()))
    owner = np.empty(n, dtype=int)
    owner[order] = _cut(n, k)
    group = pd.factorize(region + "\x1f" + industry)[0]
    mean = pot.sum() / k
    limit = tolerance * mean / 4  # aim well inside the tolerance, so that the reps are close to equal
    for _ in range(max_swaps):
        load = np.bincount(owner, weights=pot, minlength=k)
        over, under = int(np.argmax(load)), int(np.argmin(load))
        if load[over] - mean <= limit and mean - load[under] <= limit:
            break
        target = (load[over] - load[under]) / 2
        pair = _best_swap(pot, group, owner, over, under, target)
        if pair is None:
            break
        i, j = pair
        owner[i], owner[j] = under, over
    df["assigned_inside_rep"] = np.asarray(reps, dtype=object)[owner]
    return df


def workload(assigned: pd.DataFrame, tolerance: float = 0.05) -> pd.DataFrame:
    """Per inside rep: customers, potential, their deviation from the mean, regions and industries.

    ``balanced`` is true when both the count and the potential lie within the
    tolerance of the mean.

    >>> a = pd.DataFrame({"assigned_inside_rep": ["x", "x", "y"], "potential": [1.0, 2.0, 3.0],
    ...                   "region": ["N", "N", "S"], "industry": ["e", "e", "e"]})
    >>> workload(a)["customers_deviation"].round(4).tolist()      # 2 and 1 against a mean of 1.5
    [0.3333, -0.3333]
    """
    g = assigned.groupby("assigned_inside_rep")
    out = pd.DataFrame({"customers": g.size(), "potential": g["potential"].sum()})
    if "revenue_12m" in assigned:
        out["revenue_12m"] = g["revenue_12m"].sum()
    out["customers_deviation"] = out["customers"] / out["customers"].mean() - 1
    mean_pot = out["potential"].mean()
    out["potential_deviation"] = out["potential"] / mean_pot - 1 if mean_pot > 0 else 0.0
    for col, plural in (("region", "regions"), ("industry", "industries")):
        if col in assigned:
            out[plural] = g[col].nunique()
            out[f"main_{col}"] = g[col].agg(lambda s: s.mode().iat[0] if s.notna().any() else None)
            out[f"main_{col}_share"] = g[col].agg(
                lambda s: s.value_counts(normalize=True).iat[0] if s.notna().any() else 0.0
            )
    out["balanced"] = (out["customers_deviation"].abs() <= tolerance + 1e-12) & (
        out["potential_deviation"].abs() <= tolerance + 1e-12
    )
    out.index.name = "inside_rep"
    return out


WORKLIST_COLUMNS = [
    "customer_id",
    "name",
    "segment",
    "industry",
    "region",
    "outside_rep",
    "revenue_12m",
    "potential",
    "share_of_wallet",
    "gap",
    "last_contact",
    "last_order",
    "owner",
    "conflict_channels",
]


def worklists(assigned: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One table per inside rep: their customers, largest gap first (equal gaps by customer id)."""
    cols = [c for c in WORKLIST_COLUMNS if c in assigned]
    sort = "gap" if "gap" in assigned else "potential"
    return {
        rep: largest_first(part, sort)[cols].reset_index(drop=True)
        for rep, part in assigned.groupby("assigned_inside_rep", sort=True)
    }
