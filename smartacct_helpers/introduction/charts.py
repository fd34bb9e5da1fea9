"""The chart of notebook 08: how large the pilot has to be for the uplift it should show."""

from __future__ import annotations

import numpy as np

from ..presentation.charts import PALETTE, Chart, _fast_layout, _figure, _money_axis, _style
from ..presentation.formatting import count, money
from .analysis import pilot_sample_size


def pilot_size_chart(
    effect: float,
    sd: float,
    available_per_group: int,
    alpha: float,
    power: float,
    currency: str = "EUR",
    style: str = "en",
) -> Chart:
    """Customers per group needed against the uplift per customer, with the expected uplift and the customers there are.

    The curve runs from a quarter to four times the expected uplift; the
    dashed line is how many customers each group can hold.
    """
    fig, ax = _figure(8, 3.4)
    uplifts = np.linspace(effect / 4, effect * 4, 60)
    needed = [pilot_sample_size(u, sd, alpha, power) for u in uplifts]
    ax.plot(uplifts, needed, color=PALETTE["estimate"], linewidth=2, label="customers per group needed")
    ax.axhline(available_per_group, color=PALETTE["reference"], linestyle="--", linewidth=1.2)
    ax.text(
        uplifts[-1],
        available_per_group,
        f"customers per group there are: {count(available_per_group, style=style)}",
        ha="right",
        va="bottom",
        fontsize=9,
        color=PALETTE["reference"],
    )
    n = pilot_sample_size(effect, sd, alpha, power)
    ax.scatter([effect], [n], color=PALETTE["develop"], zorder=3)
    ax.annotate(
        f"expected uplift {money(effect, currency, decimals=0, style=style)}: {count(n, style=style)} per group",
        (effect, n),
        textcoords="offset points",
        xytext=(8, 8),
        fontsize=9,
    )
    ax.set_yscale("log")
    ax.set_xlabel("uplift of yearly revenue per customer")
    ax.set_ylabel("customers per group")
    _money_axis(ax.xaxis, currency, style)
    _style(ax, "How large the pilot has to be")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    _fast_layout(fig)
    return fig.describe(
        f"How large the pilot has to be: customers per group needed for each uplift of yearly revenue per customer; "
        f"at the expected uplift of {money(effect, currency, decimals=0, style=style)} "
        f"{count(n, style=style)} per group, against {count(available_per_group, style=style)} per group there are."
    )
