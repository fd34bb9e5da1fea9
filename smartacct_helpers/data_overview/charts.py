"""The chart of notebook 00: revenue and contribution margin per calendar year."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..presentation.charts import PALETTE, _figure, _money_axis, _style
from ..presentation.formatting import money


def revenue_by_year_chart(by_year: pd.DataFrame, currency: str = "EUR", style: str = "en") -> Figure:
    """Revenue (and contribution margin where present) per calendar year as bars."""
    fig, ax = _figure(8, 3.6)
    years = by_year.index.astype(str)
    ax.bar(years, by_year["revenue"], color=PALETTE["figure"], label="revenue")
    if "contribution_margin" in by_year:
        ax.bar(years, by_year["contribution_margin"], color=PALETTE["margin"], width=0.45, label="contribution margin")
    ax.legend(frameon=False, loc="upper left")
    _money_axis(ax.yaxis, currency, style=style)
    _style(ax, "Revenue per year")
    fig.tight_layout()
    words = "; ".join(
        f"{year}: {money(v, currency, compact=True, style=style)}"
        for year, v in zip(years, by_year["revenue"], strict=False)
    )
    return fig.describe(
        f"Revenue per calendar year as bars{' with the contribution margin' if 'contribution_margin' in by_year else ''}: {words}."
    )
