"""How many inside-sales reps the small customers need (METHOD.md section 4).

Examples
--------
>>> headcount(1200, 400)
3
>>> headcount(1201, 400)
4
>>> headcount_by_capacity(4000, [350, 400, 450])
{'350': 12, '400': 10, '450': 9}
"""
from __future__ import annotations

import math


def headcount(customers_to_manage: int, customers_per_rep: int) -> int:
    """Reps needed so that nobody manages more than ``customers_per_rep`` customers."""
    if customers_per_rep <= 0:
        raise ValueError("customers_per_rep must be positive")
    return math.ceil(customers_to_manage / customers_per_rep)


def headcount_by_capacity(customers_to_manage: int, capacities) -> dict[str, int]:
    """Headcount for each capacity, keyed by the capacity as text (as in summary.json)."""
    return {str(c): headcount(customers_to_manage, c) for c in capacities}
