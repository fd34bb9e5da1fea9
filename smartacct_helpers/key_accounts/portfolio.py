"""The portfolio map: every customer by value and potential, with the treatment it should get.

Key-account programme, field sales, inside sales or self-service
(:data:`TREATMENTS`), from the scorecard classes of the candidates and the
customers' segments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrow import looked_up
from .analysis import KeyAccountAnalysis, analysis_of
from .scorecard import CLASSES, NOT_ASSESSED

TREATMENTS = ["key-account programme", "field sales", "inside sales", "self-service"]


def treatment(classified: pd.DataFrame, programme_ids, self_service_max_revenue: float) -> pd.Series:
    """The treatment each customer should get.

    * **key-account programme**: ``programme_ids``;
    * **field sales**: revenue at or above the sales threshold (segment
      ``field``);
    * **self-service**: lapsed customers and small customers buying less than
      ``self_service_max_revenue`` a year;
    * **inside sales**: the other customers below the threshold (the small
      customers and the potential customers to develop).
    """
    programme = classified["customer_id"].astype(str).isin(set(map(str, programme_ids)))
    segment = classified["segment"]
    tiny = (segment == "small") & (classified["revenue_12m"] < self_service_max_revenue)
    out = np.select(
        [programme, segment.eq("field"), segment.eq("lapsed") | tiny],
        [TREATMENTS[0], TREATMENTS[1], TREATMENTS[3]],
        TREATMENTS[2],
    )
    return pd.Series(out, index=classified.index, dtype=object)


def programme_accounts(key_accounts: pd.DataFrame) -> list[str]:
    """The candidates the key-account programme should take: strategic partners, key accounts and the not assessed."""
    keep = key_accounts["class"].isin([CLASSES[0], CLASSES[1], NOT_ASSESSED])
    return key_accounts.loc[keep, "customer_id"].astype(str).tolist()


def portfolio_map(workbook, analysis: KeyAccountAnalysis | None = None) -> pd.DataFrame:
    """Every customer by current value and potential, with its treatment.

    Returns
    -------
    DataFrame
        ``customer_id, name, revenue_12m, potential`` (at least the revenue;
        missing where the customer's potential is unknown),
        ``growth`` (revenue trend per year as a share of the revenue),
        ``operating_profit_12m``, ``segment``, ``key_account``, ``class``
        (the scorecard class of the candidates, empty for the others) and
        ``treatment``.
    """
    analysis = analysis or analysis_of(workbook)
    df = analysis.classified
    out = pd.DataFrame({"customer_id": df["customer_id"].astype(str)})
    if "name" in df:
        out["name"] = df["name"]
    out["revenue_12m"] = df["revenue_12m"].astype(float)
    potential = df["potential"].astype(float) if "potential" in df else pd.Series(np.nan, index=df.index)
    out["potential"] = np.maximum(potential, out["revenue_12m"].clip(lower=0))  # unknown stays unknown
    revenue = out["revenue_12m"]
    out["growth"] = (df["revenue_trend"] / revenue.where(revenue > 0)) if "revenue_trend" in df else np.nan
    out["operating_profit_12m"] = analysis.profitability["operating_profit_12m"]
    out["segment"] = df["segment"]
    out["key_account"] = analysis.accounts["key_account"].to_numpy()
    out["class"] = looked_up(out["customer_id"], analysis.key_accounts.set_index("customer_id")["class"]).fillna("")
    out["treatment"] = treatment(
        df, programme_accounts(analysis.key_accounts), workbook.assumptions.self_service_max_revenue
    ).to_numpy()
    return out


def treatment_summary(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue, share of revenue and operating profit per treatment, in a fixed order."""
    g = portfolio.groupby("treatment").agg(
        customers=("customer_id", "size"),
        revenue_12m=("revenue_12m", "sum"),
        operating_profit_12m=("operating_profit_12m", "sum"),
    )
    g = g.reindex(TREATMENTS).fillna(0)
    total = portfolio["revenue_12m"].clip(lower=0).sum()
    g["revenue_share"] = g["revenue_12m"].clip(lower=0) / total if total > 0 else 0.0
    g["customers"] = g["customers"].astype(int)
    return g


def treatment_subsets(portfolio: pd.DataFrame) -> dict[str, int]:
    """How the treatments relate to the report's other counts: which subset of which concept each is.

    ``key_accounts`` (the candidates) of which ``programme`` in the
    key-account programme; ``to_manage`` (segments small and develop) of
    which ``inside_sales`` stay with inside sales and ``small_self_service``
    buy too little and go to self-service, which also takes the ``lapsed``.

    >>> p = pd.DataFrame({"segment": ["field", "field", "small", "small", "develop", "lapsed"],
    ...                   "key_account": [True, True, False, False, False, False],
    ...                   "treatment": ["key-account programme", "field sales", "inside sales", "self-service",
    ...                                 "inside sales", "self-service"]})
    >>> treatment_subsets(p)
    {'key_accounts': 2, 'programme': 1, 'to_manage': 3, 'inside_sales': 2, 'small_self_service': 1, 'lapsed': 1}
    """
    segment, treated = portfolio["segment"], portfolio["treatment"]
    to_manage = segment.isin(["small", "develop"])
    return {
        "key_accounts": int(portfolio["key_account"].astype(bool).sum()),
        "programme": int((treated == TREATMENTS[0]).sum()),
        "to_manage": int(to_manage.sum()),
        "inside_sales": int((to_manage & (treated == TREATMENTS[2])).sum()),
        "small_self_service": int((to_manage & (treated == TREATMENTS[3])).sum()),
        "lapsed": int((segment == "lapsed").sum()),
    }


def map_coverage(portfolio: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per treatment, the customers the portfolio map can place and all of them: ``{treatment: (shown, total)}``.

    The map's scales are logarithmic, so it places only customers with revenue and a potential above zero
    (the lapsed customers, for one, have no revenue).

    >>> p = pd.DataFrame({"treatment": ["self-service", "self-service", "field sales"],
    ...                   "revenue_12m": [0.0, 300.0, 9_000.0], "potential": [5_000.0, 4_000.0, None]})
    >>> map_coverage(p)
    {'field sales': (0, 1), 'self-service': (1, 2)}
    """
    shown = (portfolio["revenue_12m"] > 0) & (portfolio["potential"] > 0)
    return {
        str(t): (int(shown[portfolio["treatment"] == t].sum()), int((portfolio["treatment"] == t).sum()))
        for t in sorted(portfolio["treatment"].unique())
    }


def map_coverage_text(coverage: dict[str, tuple[int, int]], count=str, table: str = "the table") -> str:
    """One sentence on which customers the portfolio map leaves out ("" when it shows all of them).

    >>> map_coverage_text({"inside sales": (3748, 4030), "self-service": (241, 1247), "field sales": (10, 10)})
    'The map places only customers with revenue and a known potential above zero (its scales are logarithmic): \
of the inside sales customers 3748 of 4030, of the self-service customers 241 of 1247; the counts per treatment \
are in the table.'
    """
    parts = [f"of the {t} customers {count(s)} of {count(n)}" for t, (s, n) in coverage.items() if s < n]
    if not parts:
        return ""
    return (
        "The map places only customers with revenue and a known potential above zero (its scales are "
        f"logarithmic): {', '.join(parts)}; the counts per treatment are in {table}."
    )
