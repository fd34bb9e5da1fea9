"""Early warning of customer loss from each customer's own buying rhythm (METHOD.md section 6).

A customer is scored on the day ``as_of`` with the orders up to that day
only. Three signals, each a flag with a reason in words:

* **overdue**: the days since the last order exceed ``warning_interval_factor``
  times the customer's usual interval (the median of its last gaps between
  order days; it needs ``warning_min_orders`` order days) and at least
  two weeks;
* **fewer orders**: the order days of the last 12 months fell by at least
  ``warning_frequency_drop`` on the 12 months before (from at least 3);
* **less revenue**: the revenue of the last 12 months fell by at least
  ``warning_revenue_drop`` on the 12 months before.

The risk score (0 to 100) ranks the customers: up to 50 points for being
overdue (0 at the usual interval, 50 at twice the flag limit), up to 25 for
the fall in orders and up to 25 for the fall in revenue. Only customers who
bought in the 12 months up to ``as_of`` are scored; the others have already
stopped.

The :func:`backtest` proves the signal instead of asserting it: score the
customers at an earlier date, then count who actually stopped buying (no
order in the following 6 or 12 months), against the base rate of all
scored customers.

A second, probabilistic score is at hand for comparison: the BG/NBD model's
probability that a customer is still "alive" (Fader, Hardie and Lee 2005),
fitted with NumPy alone (:func:`fit_bgnbd`, :func:`probability_alive`).

Examples
--------
A customer ordering every 10 days whose last order was 35 days ago is
overdue at a factor of 2 (35 > 20); the overdue part of the score is
(3.5 - 1) / (2 x 2 - 1) x 50 = 41.67:

>>> round(float(overdue_points(35 / 10, 2.0)), 2)
41.67
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .facts import months_before
from .formatting import money

#: the fewest days since the last order that count as overdue, however short the rhythm
MIN_OVERDUE_DAYS = 14
#: the gaps between order days that make the usual interval (the latest ones)
RHYTHM_GAPS = 12
#: order days in the 12 months before from which a fall in orders counts
MIN_ORDERS_BEFORE = 3
HORIZONS = (6, 12)


def overdue_points(ratio, factor: float):
    """Points (0 to 50) for being overdue: 0 at the usual interval, 50 at twice the flag limit.

    >>> overdue_points([1.0, 4.0, 9.0], 2.0).tolist()
    [0.0, 50.0, 50.0]
    """
    return np.clip((np.asarray(ratio, dtype="float64") - 1) / (2 * factor - 1), 0, 1) * 50


def _customer_codes(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One integer per invoice line for its customer, numbered in the order of the sorted ids, and the ids."""
    codes, ids = pd.factorize(orders["customer_id"], sort=True)
    return codes, np.asarray(ids, dtype=object)


def _order_days(orders: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The days each customer bought on (revenue above zero) up to ``as_of``, sorted by customer and day."""
    codes, ids = _customer_codes(orders)
    date = orders["date"].to_numpy()
    keep = (date < np.datetime64(pd.Timestamp(as_of) + pd.Timedelta(days=1))) & (orders["revenue"].to_numpy() > 0)
    keep &= codes >= 0
    if not keep.any():
        return pd.DataFrame({"customer_id": pd.Series(dtype=object), "day": pd.Series(dtype="datetime64[ns]")})
    # one integer per customer and day (customers in id order, then days), made unique and sorted at once
    days = date[keep].astype("datetime64[D]").astype("int64")
    first, span = days.min(), days.max() - days.min() + 1
    pairs = np.unique(codes[keep].astype("int64") * span + (days - first))
    return pd.DataFrame({
        "customer_id": ids[pairs // span],
        "day": (pairs % span + first).astype("datetime64[D]").astype("datetime64[ns]"),
    })


def rhythm(orders: pd.DataFrame, as_of: dt.date, min_orders: int = 4) -> pd.DataFrame:
    """Each customer's buying rhythm on ``as_of`` (orders up to that day only).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``first_order``, ``last_order``,
        ``order_days`` (all history), ``usual_interval_days`` (median of the
        last gaps between order days; NaN below ``min_orders`` order days),
        ``days_since_last_order``, ``overdue_ratio``, ``orders_12m`` and
        ``orders_prev_12m`` (order days), ``revenue_12m`` and
        ``revenue_prev_12m`` (credit notes included).
    """
    ref = pd.Timestamp(as_of)
    start = pd.Timestamp(months_before(as_of, 12))
    before = pd.Timestamp(months_before(as_of, 24))
    d = _order_days(orders, as_of)
    gaps = d.groupby("customer_id")["day"].diff().dt.days
    d["gap"] = gaps
    recent = d.dropna(subset=["gap"]).groupby("customer_id").tail(RHYTHM_GAPS)
    out = d.groupby("customer_id").agg(first_order=("day", "min"), last_order=("day", "max"), order_days=("day", "size"))
    out["usual_interval_days"] = recent.groupby("customer_id")["gap"].median()
    out.loc[out["order_days"] < min_orders, "usual_interval_days"] = np.nan
    out["days_since_last_order"] = (ref - out["last_order"]).dt.days
    out["overdue_ratio"] = out["days_since_last_order"] / out["usual_interval_days"]
    out["orders_12m"] = d[d["day"] > start].groupby("customer_id").size()
    out["orders_prev_12m"] = d[(d["day"] > before) & (d["day"] <= start)].groupby("customer_id").size()
    codes, ids = _customer_codes(orders)
    date, revenue = orders["date"].to_numpy(), np.nan_to_num(orders["revenue"].to_numpy(dtype="float64"))
    day_after = {k: np.datetime64(v + pd.Timedelta(days=1)) for k, v in (("ref", ref), ("start", start), ("before", before))}
    for column, lo, hi in (("revenue_12m", "start", "ref"), ("revenue_prev_12m", "before", "start")):
        inside = (date >= day_after[lo]) & (date < day_after[hi]) & (codes >= 0)  # lo < day <= hi
        sums = np.bincount(codes[inside], weights=revenue[inside], minlength=len(ids))
        out[column] = pd.Series(sums, index=pd.Index(ids, name="customer_id"))
    for c in ("orders_12m", "orders_prev_12m"):
        out[c] = out[c].fillna(0).astype("int64")
    for c in ("revenue_12m", "revenue_prev_12m"):
        out[c] = out[c].fillna(0.0)
    return out


def risk_scores(orders: pd.DataFrame, as_of: dt.date, assumptions, currency: str = "EUR") -> pd.DataFrame:
    """Risk score, flags and the reason in words for every customer who bought in the 12 months up to ``as_of``.

    Returns
    -------
    DataFrame
        :func:`rhythm` columns plus ``overdue``, ``fewer_orders``,
        ``less_revenue`` (flags), ``flagged`` (any flag), ``risk_score``
        (0-100) and ``reason``; sorted by the score, highest first.

    Examples
    --------
    Customer 1 orders every 10 days until 40 days before the scoring day:

    >>> from smartacct_helpers.params import Assumptions
    >>> days = pd.date_range("2025-01-01", periods=20, freq="10D")
    >>> o = pd.DataFrame({"customer_id": "1", "date": days, "revenue": 100.0})
    >>> as_of = (days[-1] + pd.Timedelta(days=40)).date()
    >>> r = risk_scores(o, as_of, Assumptions())
    >>> bool(r.loc["1", "overdue"]), r.loc["1", "reason"]
    (True, 'no order for 40 days, usually one every 10 days')
    """
    a = assumptions
    r = rhythm(orders, as_of, a.warning_min_orders)
    r = r[r["orders_12m"] > 0].copy()
    ratio = r["overdue_ratio"]
    r["overdue"] = (ratio > a.warning_interval_factor) & (r["days_since_last_order"] >= MIN_OVERDUE_DAYS)
    prev_n = r["orders_prev_12m"]
    freq_change = (r["orders_12m"] - prev_n) / prev_n.where(prev_n > 0)
    r["fewer_orders"] = (prev_n >= MIN_ORDERS_BEFORE) & (freq_change <= -a.warning_frequency_drop)
    prev_rev = r["revenue_prev_12m"]
    rev_change = (r["revenue_12m"] - prev_rev) / prev_rev.where(prev_rev > 0)
    r["less_revenue"] = (prev_rev > 0) & (rev_change <= -a.warning_revenue_drop)
    r["flagged"] = r["overdue"] | r["fewer_orders"] | r["less_revenue"]
    r["risk_score"] = (
        pd.Series(overdue_points(ratio.fillna(0.0), a.warning_interval_factor), index=r.index)
        + (-freq_change).clip(0, 1).fillna(0.0) * 25
        + (-rev_change).clip(0, 1).fillna(0.0) * 25
    ).round(1)

    def reason(row) -> str:
        parts = []
        if row.overdue:
            parts.append(f"no order for {row.days_since_last_order:.0f} days, usually one every "
                         f"{row.usual_interval_days:.0f} days")
        if row.fewer_orders:
            parts.append(f"order days down from {row.orders_prev_12m} to {row.orders_12m} on the year before")
        if row.less_revenue:
            drop = 1 - row.revenue_12m / row.revenue_prev_12m
            parts.append(f"revenue down {drop:.0%} on the year before ({money(row.revenue_prev_12m, currency, decimals=0)}"
                         f" -> {money(row.revenue_12m, currency, decimals=0)})")
        return "; ".join(parts)

    r["reason"] = [reason(row) for row in r.itertuples()] if len(r) else []
    return r.sort_values(["risk_score", "days_since_last_order"], ascending=[False, False], kind="stable")


# -- the probabilistic alternative: BG/NBD "probability alive" ----------------------------------------------------

_lgamma = np.frompyfunc(math.lgamma, 1, 1)


def _lg(x: np.ndarray) -> np.ndarray:
    return _lgamma(np.asarray(x, dtype="float64")).astype("float64")


def bgnbd_inputs(orders: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Repeat order days ``x``, time of the last one ``t_x`` and age ``T`` in weeks, per customer."""
    d = _order_days(orders, as_of)
    g = d.groupby("customer_id")["day"].agg(["min", "max", "size"])
    ref = pd.Timestamp(as_of)
    return pd.DataFrame({
        "x": (g["size"] - 1).astype("float64"),
        "t_x": (g["max"] - g["min"]).dt.days / 7.0,
        "T": (ref - g["min"]).dt.days / 7.0,
    })


def _bgnbd_loglik(log_params, x, t_x, T, lg_terms):
    r, alpha, a, b = np.exp(log_params)
    ux, inv = lg_terms
    a1 = _lg(r + ux)[inv] - math.lgamma(r) + r * math.log(alpha)
    a2 = math.lgamma(a + b) + _lg(b + ux)[inv] - math.lgamma(b) - _lg(a + b + ux)[inv]
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, math.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


def _nelder_mead(f, x0, steps=0.5, iterations=600, tol=1e-8):
    n = len(x0)
    simplex = [np.asarray(x0, dtype="float64")]
    for i in range(n):
        p = simplex[0].copy()
        p[i] += steps
        simplex.append(p)
    values = [f(p) for p in simplex]
    for _ in range(iterations):
        order = np.argsort(values)
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        if abs(values[-1] - values[0]) <= tol * (abs(values[0]) + 1e-12):
            break
        centroid = np.mean(simplex[:-1], axis=0)
        reflected = centroid + (centroid - simplex[-1])
        fr = f(reflected)
        if fr < values[0]:
            expanded = centroid + 2 * (centroid - simplex[-1])
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = centroid + 0.5 * (simplex[-1] - centroid)
            fc = f(contracted)
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:
                simplex = [simplex[0]] + [simplex[0] + 0.5 * (p - simplex[0]) for p in simplex[1:]]
                values = [values[0]] + [f(p) for p in simplex[1:]]
    best = int(np.argmin(values))
    return simplex[best]


def fit_bgnbd(inputs: pd.DataFrame) -> dict[str, float]:
    """Fit the BG/NBD model by maximum likelihood (Nelder-Mead on the log parameters).

    Returns ``{"r", "alpha", "a", "b"}``: the gamma distribution of the
    purchase rates (shape ``r``, rate ``alpha`` per week) and the beta
    distribution of the drop-out probability after each purchase (``a``, ``b``).
    """
    x = inputs["x"].to_numpy(dtype="float64")
    t_x = inputs["t_x"].to_numpy(dtype="float64")
    T = inputs["T"].to_numpy(dtype="float64")
    terms = np.unique(x, return_inverse=True)

    def f(p):
        if np.any(np.abs(p) > 12):
            return np.inf
        value = -_bgnbd_loglik(p, x, t_x, T, terms)
        return value if np.isfinite(value) else np.inf

    best = _nelder_mead(f, np.log([1.0, 10.0, 1.0, 3.0]))
    best = _nelder_mead(f, best, steps=0.1)
    r, alpha, a, b = np.exp(best)
    return {"r": float(r), "alpha": float(alpha), "a": float(a), "b": float(b)}


def probability_alive(inputs: pd.DataFrame, params: dict[str, float]) -> pd.Series:
    """BG/NBD probability that each customer is still buying.

    ``1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))``;
    for x = 2, t_x = 10, T = 20 and r = 1, alpha = 10, a = b = 1:
    1 / (1 + 1/2 x 1.5^3) = 1 / 2.6875 = 0.3721.

    >>> probability_alive(pd.DataFrame({"x": [0.0, 2.0], "t_x": [0.0, 10.0], "T": [20.0, 20.0]}),
    ...                   {"r": 1.0, "alpha": 10.0, "a": 1.0, "b": 1.0}).round(4).tolist()
    [1.0, 0.3721]
    """
    x, t_x, T = (inputs[c].to_numpy(dtype="float64") for c in ("x", "t_x", "T"))
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    with np.errstate(divide="ignore", over="ignore"):
        odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-12) * np.exp((r + x) * np.log((alpha + T) / (alpha + t_x))), 0.0)
    return pd.Series(1.0 / (1.0 + odds), index=inputs.index)


# -- the backtest ---------------------------------------------------------------------------------------------------

def stopped_buying(orders: pd.DataFrame, customers, as_of: dt.date, months: int) -> pd.Series:
    """True for each customer with no order (positive revenue) in the ``months`` after ``as_of``."""
    start = pd.Timestamp(as_of)
    end = pd.Timestamp(months_before(as_of, -months))
    day = orders["date"].dt.normalize()
    bought = set(orders.loc[(day > start) & (day <= end) & (orders["revenue"] > 0), "customer_id"])
    ids = pd.Index(customers)
    return pd.Series(~ids.isin(bought), index=ids)


def _metrics(stopped: pd.Series, ranking: pd.Series, flagged: pd.Series, top: int) -> dict:
    base = float(stopped.mean()) if len(stopped) else np.nan
    n_flag = int(flagged.sum())
    hit = int((flagged & stopped).sum())
    precision = hit / n_flag if n_flag else np.nan
    topk = ranking.sort_values(ascending=False, kind="stable").index[:top]
    top_precision = float(stopped.loc[topk].mean()) if len(topk) else np.nan
    n_stop = int(stopped.sum())
    return {
        "customers": int(len(stopped)), "stopped": n_stop, "base_rate": base,
        "flagged": n_flag, "flagged_stopped": hit, "precision": precision,
        "lift": precision / base if base else np.nan, "recall": hit / n_stop if n_stop else np.nan,
        "top_precision": top_precision, "top_lift": top_precision / base if base else np.nan,
    }


def backtest(orders: pd.DataFrame, as_of: dt.date, assumptions, horizons=HORIZONS, top: int = 100,
             with_bgnbd: bool = True, data_end: dt.date | None = None) -> pd.DataFrame:
    """Score on ``as_of`` with the data up to it, then count who stopped buying in the months after.

    For each horizon: ``base_rate`` (share of all scored customers that
    stopped), the flagged customers and how many of them stopped
    (``precision``; ``lift`` = precision / base rate; ``recall`` = share of
    the stopped that were flagged) and the ``top`` highest scores
    (``top_precision``, ``top_lift``). With ``with_bgnbd`` the same for the
    BG/NBD model, flagging as many customers as the rhythm score does (the
    lowest probabilities alive), so the two compare like for like.
    A horizon that runs past ``data_end`` (default: the last order date) is left out.

    Returns
    -------
    DataFrame
        One row per (``model``, ``months``).
    """
    end = pd.Timestamp(data_end) if data_end is not None else orders["date"].max().normalize()
    scores = risk_scores(orders, as_of, assumptions)
    rows = []
    bg = None
    if with_bgnbd and len(scores):
        inputs = bgnbd_inputs(orders, as_of)
        alive = probability_alive(inputs, fit_bgnbd(inputs)).reindex(scores.index)
        bg = 1 - alive
    for months in horizons:
        if pd.Timestamp(months_before(as_of, -months)) > end:
            continue
        stopped = stopped_buying(orders, scores.index, as_of, months)
        rows.append({"model": "buying rhythm", "months": months,
                     **_metrics(stopped, scores["risk_score"], scores["flagged"], top)})
        if bg is not None:
            k = int(scores["flagged"].sum())
            flag_bg = pd.Series(False, index=scores.index)
            flag_bg.loc[bg.sort_values(ascending=False, kind="stable").index[:k]] = True
            rows.append({"model": "BG/NBD probability alive", "months": months, **_metrics(stopped, bg, flag_bg, top)})
    return pd.DataFrame(rows).set_index(["model", "months"]) if rows else pd.DataFrame()


def backtest_date(reference_date: dt.date, months: int = 12) -> dt.date:
    """The scoring day of the backtest: ``months`` before the reference date, so the outcome is known."""
    return months_before(reference_date, months)


# -- the worklist -----------------------------------------------------------------------------------------------------

WORKLIST_COLUMNS = ["customer_id", "name", "industry", "region", "outside_rep", "risk_score", "probability_alive", "reason",
                    "last_order", "usual_interval_days", "days_since_last_order", "revenue_12m", "revenue_prev_12m"]


def warnings_today(workbook, with_bgnbd: bool = True) -> pd.DataFrame:
    """The flagged customers on the reference date with their master data.

    With ``with_bgnbd`` the BG/NBD ``probability_alive`` is added and the
    customers are sorted by it, lowest first (it ranked better than the
    rhythm score in the backtest on the sample); else by the risk score.
    """
    orders = workbook.tables.orders
    s = risk_scores(orders, workbook.reference_date, workbook.assumptions, workbook.params.currency)
    s = s[s["flagged"]]
    if with_bgnbd and len(s):
        inputs = bgnbd_inputs(orders, workbook.reference_date)
        s = s.assign(probability_alive=probability_alive(inputs, fit_bgnbd(inputs)).reindex(s.index).round(3))
        s = s.sort_values(["probability_alive", "risk_score"], ascending=[True, False], kind="stable")
    s = s.reset_index()
    master = workbook.tables.customers
    keep = [c for c in ["customer_id", "name", "industry", "region", "outside_rep", "inside_rep"] if c in master]
    return s.merge(master[keep], on="customer_id", how="left")


def worklists(warnings: pd.DataFrame, size: int = 25) -> dict[str, pd.DataFrame]:
    """The first ``size`` flagged customers per inside rep, in the order given; without one on ``unassigned``.

    >>> w = pd.DataFrame({"customer_id": ["1", "2", "3"], "inside_rep": ["Ann", None, "Ann"],
    ...                   "risk_score": [70.0, 40.0, 50.0], "reason": ["a", "b", "c"]})
    >>> {k: v["customer_id"].tolist() for k, v in worklists(w, 5).items()}
    {'Ann': ['1', '3'], 'unassigned': ['2']}
    """
    rep = warnings["inside_rep"] if "inside_rep" in warnings else pd.Series(None, index=warnings.index, dtype=object)
    rep = rep.astype(object).where(rep.notna(), "unassigned")
    cols = [c for c in WORKLIST_COLUMNS if c in warnings]
    out = {}
    for name in sorted(set(rep) - {"unassigned"}) + (["unassigned"] if (rep == "unassigned").any() else []):
        part = warnings[rep == name]
        out[str(name)] = part[cols].head(size).reset_index(drop=True)
    return out


def write_worklists(workbook, out_dir: str | Path, name: str = "early_warning_worklist") -> Path:
    """Write this week's call lists, one sheet per inside rep, as ``name.xlsx`` into ``out_dir``."""
    from .exports import write_xlsx

    lists = worklists(warnings_today(workbook), workbook.assumptions.worklist_size)
    if not lists:
        lists = {"unassigned": pd.DataFrame(columns=WORKLIST_COLUMNS)}
    return write_xlsx(lists, Path(out_dir) / f"{name}.xlsx")


def early_warning_count(workbook) -> int:
    """Customers who bought in the 12 months up to the reference date and carry a warning flag on it."""
    scores = risk_scores(workbook.tables.orders, workbook.reference_date, workbook.assumptions)
    return int(scores["flagged"].sum())


def early_warning_figures(workbook, backtest_table: pd.DataFrame | None = None) -> dict:
    """The summary.json figures of the early warning.

    * ``early_warning_count``: customers who bought in the 12 months up to
      the reference date and carry at least one warning flag on it.
    * ``early_warning_lift_12m``: in the backtest scored 12 months before
      the reference date, the share of flagged customers with no order in
      the following 12 months over that share among all scored customers
      (None where the history is too short).
    """
    bt = backtest_table
    if bt is None:
        bt = backtest(workbook.tables.orders, backtest_date(workbook.reference_date), workbook.assumptions,
                      horizons=(12,), with_bgnbd=False, data_end=workbook.reference_date)
    key = ("buying rhythm", 12)
    lift = float(bt.loc[key, "lift"]) if len(bt) and key in bt.index else None
    return {"early_warning_count": early_warning_count(workbook),
            "early_warning_lift_12m": None if lift is None or not np.isfinite(lift) else lift}
