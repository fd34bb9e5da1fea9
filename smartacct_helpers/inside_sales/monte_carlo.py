"""The business case under uncertainty: a seeded Monte Carlo over uplift, churn reduction and ramp-up.

Each run draws the three from triangular distributions around the base
scenario (docs/method.md section 4) and reckons the case again; the result holds
every run's ROI and payback month, so that a reader sees the chance of
paying back within a year or two, not only the base case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .business_case import CaseInputs, headcount, middle_capacity, ramp_factor, yearly_cost


@dataclass(frozen=True)
class MonteCarlo:
    """The simulated runs: one ROI and one payback month (NaN: not within the horizon) per run."""

    roi: np.ndarray
    payback_months: np.ndarray
    uplift: np.ndarray
    churn_reduction: np.ndarray
    ramp_up_months: np.ndarray

    def probability_payback(self, months: int) -> float:
        """Share of runs that pay back within ``months``."""
        return float(np.mean(np.nan_to_num(self.payback_months, nan=np.inf) <= months))

    def summary(self) -> pd.Series:
        """Mean, 5 %, 50 % and 95 % ROI, share with ROI below zero, P(payback in 12 / 24 months)."""
        q = np.quantile(self.roi, [0.05, 0.5, 0.95])
        return pd.Series(
            {
                "runs": len(self.roi),
                "roi_mean": float(self.roi.mean()),
                "roi_p05": q[0],
                "roi_median": q[1],
                "roi_p95": q[2],
                "probability_loss": float(np.mean(self.roi < 0)),
                "probability_payback_12m": self.probability_payback(12),
                "probability_payback_24m": self.probability_payback(24),
            }
        )


def _triangular(rng, base: float, spread: float, runs: int, upper: float | None = None) -> np.ndarray:
    low, high = base * (1 - spread), base * (1 + spread)
    if upper is not None:
        high = min(high, upper)
    if high - low <= 1e-12:
        return np.full(runs, base, dtype="float64")
    return rng.triangular(low, min(max(base, low), high), high, runs)


def monte_carlo(
    inputs: CaseInputs,
    assumptions,
    capacity: int | None = None,
    provider: str = "internal",
    runs: int | None = None,
    seed: int | None = None,
) -> MonteCarlo:
    """Simulate the uncertain inputs and collect ROI and payback month per run.

    Uplift, churn reduction and ramp-up each follow a triangular distribution
    from the pessimistic to the optimistic value with the base value as the
    most likely one (see :func:`scenario_values`); cost is fixed. The same
    seed gives the same runs.

    Examples
    --------
    >>> from smartacct_helpers.params import Assumptions
    >>> i = CaseInputs(1000, 2_000_000.0, 10_000_000.0, 0.3, 400.0, 137.5)
    >>> a, b = monte_carlo(i, Assumptions(), runs=200), monte_carlo(i, Assumptions(), runs=200)
    >>> bool((a.roi == b.roi).all())
    True
    """
    a = assumptions
    runs = a.monte_carlo_runs if runs is None else runs
    rng = np.random.default_rng(a.monte_carlo_seed if seed is None else seed)
    capacity = middle_capacity(a.inside_rep_capacity) if capacity is None else int(capacity)
    s = a.scenario_spread
    uplift = _triangular(rng, a.revenue_uplift_on_gap, s, runs)
    reduction = _triangular(rng, a.churn_reduction, s, runs, upper=1.0)
    base_ramp = a.ramp_up_months if provider == "internal" else a.external_ramp_up_months
    ramp = _triangular(rng, float(base_ramp), s, runs)
    cost = yearly_cost(headcount(inputs.customers, capacity), a, provider)["total"]
    setup = a.setup_cost if provider == "internal" else 0.0
    months = a.business_case_months
    benefit = (
        uplift * inputs.gap * inputs.margin_rate
        + inputs.revenue * a.churn_rate * reduction * inputs.margin_rate
        + inputs.field_visits * inputs.visit_cost * a.field_time_freed_value
    )
    monthly = benefit[:, None] / 12 * ramp_factor(months, ramp)
    costs = np.full(months, cost / 12)
    costs[0] += setup
    cumulative = np.cumsum(monthly - costs, axis=1)
    total_cost = costs.sum()
    rois = (monthly.sum(axis=1) - total_cost) / total_cost if total_cost > 0 else np.full(runs, np.nan)
    reached = cumulative >= -1e-9
    first = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1.0, np.nan)
    return MonteCarlo(rois, first, uplift, reduction, ramp)
