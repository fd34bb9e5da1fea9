"""How much the customers could buy (docs/method.md section 3).

Two ways to estimate a customer's potential:

* industry method, for homogeneous trades: employees x the installable value
  per employee and year of the customer's industry;
* historic peak, for everybody else: the best calendar-year revenue of the
  last years.

The potential is never below what the customer bought in the window. Share of
wallet is the window revenue over the potential (0 to 1); the gap is what is
left.

A historic peak needs at least two complete calendar years of orders before
the reference date (:func:`smartacct_helpers.facts.coverage.peak_years`). With a
shorter history, a customer without an industry value and a head count has
no potential: its potential, share of wallet and gap are unknown (missing),
never the window revenue passed off as a potential. Sums of the potential
run over the customers whose potential is known.

Examples
--------
The article's electricians (the one value per employee an article gives):
3 employees x 9,000 EUR each.

>>> industry_potential(3, 9_000)
27000
>>> 4_000 * industry_potential(3, 9_000)
108000000
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..arrow import labelled, looked_up
from ..assumptions import value_source
from ..facts.concepts import group_labels


def industry_potential(employees, value_per_employee):
    """Employees x installable value per employee (scalars or arrays)."""
    return employees * value_per_employee


def historic_peak(yearly: pd.DataFrame, reference_date: dt.date, years: int = 5) -> pd.Series:
    """Highest calendar-year revenue per customer in the ``years`` up to the reference date.

    Parameters
    ----------
    yearly : DataFrame
        ``customer_id, year, revenue`` (from :func:`smartacct_helpers.facts.customer_facts.yearly_facts`).
    reference_date : date
    years : int
        Calendar years ``reference_date.year - years + 1`` to ``reference_date.year``.

    Examples
    --------
    >>> y = pd.DataFrame({"customer_id": ["1", "1", "1"], "year": [2019, 2022, 2025],
    ...                   "revenue": [900.0, 400.0, 300.0]})
    >>> historic_peak(y, dt.date(2025, 12, 31), 5).tolist()   # 2019 lies outside 2021-2025
    [400.0]
    """
    first = reference_date.year - years + 1
    recent = yearly[(yearly["year"] >= first) & (yearly["year"] <= reference_date.year)]
    return recent.groupby("customer_id")["revenue"].max().clip(lower=0).rename("potential_history")


def peak_known(yearly: pd.DataFrame, reference_date: dt.date) -> bool:
    """Whether the orders behind ``yearly`` hold a historic peak: two complete calendar years before the reference date.

    The rule of :func:`smartacct_helpers.facts.coverage.peak_years`, read from the
    customers' first orders (column ``first_order`` of the yearly facts).
    Yearly revenue without that column is taken as complete.

    >>> y = pd.DataFrame({"customer_id": ["1"], "year": [2011], "revenue": [5.0],
    ...                   "first_order": pd.to_datetime(["2010-12-01"])})
    >>> peak_known(y, dt.date(2011, 12, 9))            # 13 months: no complete calendar year
    False
    >>> peak_known(y.assign(first_order=pd.to_datetime(["2009-01-05"])), dt.date(2011, 12, 9))   # 2009 and 2010
    True
    """
    from ..facts.coverage import PEAK_MIN_YEARS, complete_years

    if "first_order" not in yearly:
        return True
    first = yearly["first_order"].min() if len(yearly) else None
    if first is None or pd.isna(first):
        return False
    first = first.date() if hasattr(first, "date") else first
    return len(complete_years(first, reference_date)) >= PEAK_MIN_YEARS


METHODS = ["history", "industry", "unknown"]


def customer_potential(
    customers: pd.DataFrame,
    yearly: pd.DataFrame,
    reference_date: dt.date,
    per_employee: dict[str, float],
    history_years: int = 5,
    peak_available: bool | None = None,
) -> pd.DataFrame:
    """Potential, method, share of wallet and gap per customer.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_id, revenue_12m`` and, where
        known, ``industry`` and ``employees``.
    yearly : DataFrame
        ``customer_id, year, revenue`` (and ``first_order``, see :func:`peak_known`).
    reference_date : date
    per_employee : dict
        Industry -> installable value per employee and year.
    history_years : int
    peak_available : bool, optional
        Whether the data holds a historic peak; by default :func:`peak_known`.

    Returns
    -------
    DataFrame
        Indexed like ``customers`` with ``potential_industry``,
        ``potential_history``, ``potential``, ``potential_method``
        (``industry``, ``history``, or ``unknown`` when the customer has no
        industry value and the data no historic peak), ``share_of_wallet``
        and ``gap``. Without a historic peak, ``potential_history`` is
        missing; so are ``potential``, ``share_of_wallet`` and ``gap`` of a
        customer whose method is ``unknown``.

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["1", "2"], "revenue_12m": [5_000.0, 2_000.0],
    ...                   "industry": ["electricians", "industry"], "employees": [3, 50]})
    >>> y = pd.DataFrame({"customer_id": ["1", "2"], "year": [2025, 2024], "revenue": [5_000.0, 8_000.0]})
    >>> out = customer_potential(c, y, dt.date(2025, 12, 31), {"electricians": 9_000})
    >>> out["potential"].tolist(), out["share_of_wallet"].round(4).tolist()
    ([27000.0, 8000.0], [0.1852, 0.25])

    Without a historic peak the second customer's potential is unknown:

    >>> out = customer_potential(c, y, dt.date(2025, 12, 31), {"electricians": 9_000}, peak_available=False)
    >>> out["potential_method"].tolist(), out["potential"].tolist()
    (['industry', 'unknown'], [27000.0, nan])
    """
    if peak_available is None:
        peak_available = peak_known(yearly, reference_date)
    window = customers["revenue_12m"].astype("float64")
    bought = window.clip(lower=0)
    by_industry = _industry_potential_of(customers, per_employee)
    if peak_available:
        peak = looked_up(customers["customer_id"], historic_peak(yearly, reference_date, history_years))
        peak = peak.astype("float64").fillna(0.0)  # a customer that bought nothing in those years: a peak of 0
    else:
        peak = pd.Series(np.nan, index=customers.index, dtype="float64")
    use_industry = by_industry.notna()
    raw = by_industry.where(use_industry, peak)
    known = raw.notna()
    potential = np.maximum(raw, bought)  # missing where raw is
    share = (bought / potential.where(potential > 0)).clip(upper=1.0).fillna(0.0).where(known)
    method = np.where(use_industry, 1, np.where(known, 0, 2))
    return pd.DataFrame(
        {
            "potential_industry": by_industry,
            "potential_history": peak,
            "potential": potential,
            "potential_method": labelled(method, METHODS, customers.index),
            "share_of_wallet": share,
            "gap": (potential - bought).clip(lower=0),
        },
        index=customers.index,
    )


def _industry_potential_of(customers: pd.DataFrame, per_employee: dict[str, float]) -> pd.Series:
    """Each customer's potential from its industry and employees (missing where either is unknown)."""
    industry_value = np.nan
    if "industry" in customers and "employees" in customers:
        value = looked_up(customers["industry"], pd.Series(per_employee, dtype="float64")).astype("float64")
        employees = pd.to_numeric(customers["employees"], errors="coerce").astype("float64")
        industry_value = industry_potential(employees, value)
    return pd.Series(industry_value, index=customers.index, dtype="float64")


def potential_of(workbook, assumptions=None) -> pd.DataFrame:
    """Potential, share of wallet and gap per customer (aligned with ``workbook.customers``), remembered.

    :func:`customer_potential` of the workbook's facts, computed once per
    value of the assumptions it reads
    (:meth:`~smartacct_helpers.facts.workbook.Workbook.remembered`).
    """
    return workbook.remembered(
        "potential",
        lambda a: customer_potential(
            workbook.customers,
            workbook.yearly,
            workbook.reference_date,
            a.potential_per_employee,
            a.potential_history_years,
        ),
        assumptions,
    )


def known_total(values: pd.Series) -> float | None:
    """The sum of the known values (a potential, a gap); None when none is known.

    >>> known_total(pd.Series([1_000.0, np.nan, 500.0])), known_total(pd.Series([np.nan]))
    (1500.0, None)
    """
    known = values.dropna()
    return float(known.sum()) if len(known) else None


def unknown_potential_reason(workbook, classified: pd.DataFrame | None = None) -> str | None:
    """Why some customers have no potential, in the client's words; None when every potential is known.

    >>> unknown_potential_reason(wb)  # doctest: +SKIP
    'a historic peak needs at least two complete calendar years of orders before the reference date, and the orders span 13 months (from 2010-12-01); 4,338 of 4,372 customers have no industry and employee count for the industry method, so their potential is unknown'
    """
    from ..facts.coverage import PEAK_MIN_YEARS, data_coverage
    from ..small_customers.analysis import classify  # which reads the potential: imported here, not above

    df = classify(workbook) if classified is None else classified
    unknown = int(df["potential"].isna().sum())
    if not unknown:
        return None
    span = data_coverage(workbook)
    held = (
        f"the orders span {span['months']:,} months (from {span['first_date']})"
        if span["first_date"]
        else "the data holds no orders"
    )
    return (
        f"a historic peak needs at least {PEAK_MIN_YEARS} complete calendar years of orders before the reference "
        f"date, and {held}; {unknown:,} of {len(df):,} customers have no industry and employee count for the "
        f"industry method, so their potential is unknown"
    )


def potential_figures(workbook, classified: pd.DataFrame | None = None) -> dict:
    """``potential_total`` for ``summary.json``: the sum of the known potentials (None when none is known).

    When some potential is unknown, the reason is under the key
    ``"_limited"`` (:data:`smartacct_helpers.delivery.summary.LIMITED`).
    """
    from ..facts.coverage import LIMITED
    from ..small_customers.analysis import classify  # which reads the potential: imported here, not above

    df = classify(workbook) if classified is None else classified
    reason = unknown_potential_reason(workbook, df)
    return {"potential_total": known_total(df["potential"]), LIMITED: {"potential_total": reason} if reason else {}}


# -- potential by group, both methods side by side, contribution-margin potential ---------------------------------


def industry_example(employees: float, value_per_employee: float, customers: int) -> pd.DataFrame:
    """The industry method step by step, as in the article's example of the electricians.

    >>> t = industry_example(3, 9_000, 4_000)
    >>> t["value"].tolist()
    [3.0, 9000.0, 27000.0, 4000.0, 108000000.0]
    """
    per_customer = industry_potential(employees, value_per_employee)
    return pd.DataFrame(
        {
            "step": [
                "employees per customer",
                "installable value per employee and year",
                "potential per customer",
                "customers",
                "potential of the group",
            ],
            "value": [
                float(employees),
                float(value_per_employee),
                float(per_customer),
                float(customers),
                float(per_customer * customers),
            ],
        }
    ).set_index("step")


def industry_method_table(classified: pd.DataFrame, per_employee: dict[str, float]) -> pd.DataFrame:
    """Per industry of the params' values per employee: the value, and the customers the industry method covers.

    Returns
    -------
    DataFrame
        Indexed by industry (in the params' order): ``value per employee``,
        ``source`` (where the value comes from: the article for the
        electricians' 9,000, the client's input for any other value, see
        :func:`smartacct_helpers.assumptions.value_source`), ``customers``
        (whose potential comes from the industry method), ``median
        employees`` (missing without such customers) and ``potential``
        (their sum).

    Examples
    --------
    >>> df = pd.DataFrame({"industry": ["e", "e", "p", "x"], "employees": [2, 4, 10, 7],
    ...                    "potential_method": ["industry", "industry", "history", "history"],
    ...                    "potential": [18_000.0, 36_000.0, 900.0, 500.0]})
    >>> industry_method_table(df, {"e": 9_000, "p": 5_000}).drop(columns="source").to_dict("list")
    {'value per employee': [9000.0, 5000.0], 'customers': [2, 0], 'median employees': [3.0, nan], 'potential': [54000.0, 0.0]}
    >>> industry_method_table(df, {"electricians": 9_000, "p": 5_000})["source"].tolist()
    ['article', 'client input']
    """
    values = pd.Series(per_employee, name="value per employee", dtype="float64").to_frame()
    values.index.name = "industry"
    values["source"] = [value_source("potential_per_employee", v, k) for k, v in per_employee.items()]
    by_industry = classified[classified["potential_method"] == "industry"]
    groups = by_industry.groupby(group_labels(by_industry, "industry"))
    values["customers"] = groups.size().reindex(values.index).fillna(0).astype(int)
    employees = pd.to_numeric(by_industry["employees"], errors="coerce") if "employees" in by_industry else None
    values["median employees"] = (
        employees.groupby(group_labels(by_industry, "industry")).median().reindex(values.index).astype("float64")
        if employees is not None
        else np.nan
    )
    values["potential"] = groups["potential"].sum().reindex(values.index).fillna(0.0).astype("float64")
    return values


def potential_by_method(classified: pd.DataFrame) -> pd.DataFrame:
    """Customers, window revenue, potential and gap per method (industry, history, unknown).

    The potential and gap of the customers whose method is ``unknown`` are
    missing, not zero.

    >>> df = pd.DataFrame({"potential_method": ["industry", "history", "unknown"], "customer_id": ["1", "2", "3"],
    ...                    "revenue_12m": [1_000.0, 2_000.0, 300.0], "potential": [9_000.0, 2_500.0, np.nan],
    ...                    "gap": [8_000.0, 500.0, np.nan]})
    >>> potential_by_method(df)["potential"].tolist()
    [9000.0, 2500.0, nan]
    """
    groups = classified[["revenue_12m", "potential", "gap"]].groupby(classified["potential_method"], observed=True)
    out = groups.sum(min_count=1)
    out.insert(0, "customers", groups.size())
    order = [m for m in ("industry", "history", "unknown") if m in out.index]
    return out.reindex(order + [m for m in out.index if m not in order])


def methods_side_by_side(classified: pd.DataFrame) -> pd.DataFrame:
    """Per industry, for customers where both methods give a figure: the two potentials compared.

    Returns
    -------
    DataFrame
        Indexed by industry: ``customers``, ``potential_industry``,
        ``potential_history`` (sums) and ``ratio`` (industry over history).
        Empty without customers that have both (no industry values, or no
        historic peak).

    Examples
    --------
    >>> df = pd.DataFrame({"industry": ["e", "e", "x"], "potential_industry": [27_000.0, 18_000.0, np.nan],
    ...                    "potential_history": [9_000.0, 6_000.0, 5_000.0]})
    >>> methods_side_by_side(df)["ratio"].tolist()      # 45,000 / 15,000
    [3.0]
    """
    both = classified[classified["potential_industry"].notna() & (classified["potential_history"] > 0)]
    out = both.groupby(group_labels(both, "industry")).agg(
        customers=("potential_industry", "size"),
        potential_industry=("potential_industry", "sum"),
        potential_history=("potential_history", "sum"),
    )
    out["ratio"] = out["potential_industry"] / out["potential_history"]
    return out.sort_values("potential_industry", ascending=False)


def margin_rate(df: pd.DataFrame, fallback: float) -> float:
    """Contribution margin over revenue of a group of customers (``fallback`` without margins).

    >>> margin_rate(pd.DataFrame({"revenue_12m": [100.0, 300.0], "contribution_margin_12m": [40.0, 60.0]}), 0.25)
    0.25
    """
    if "contribution_margin_12m" not in df:
        return fallback
    revenue = df["revenue_12m"].sum()
    return float(df["contribution_margin_12m"].sum() / revenue) if revenue > 0 else fallback


def _group_keys(classified: pd.DataFrame, by: str) -> pd.Series:
    """The groups of ``by``: a customer attribute with its missing values in the group "unknown"."""
    if by in classified and classified[by].dtype != object and not classified[by].isna().any():
        return classified[by]  # a label the analysis gave every customer (segment, ABC class)
    return group_labels(classified, by)


def potential_by(classified: pd.DataFrame, by: str, fallback_margin_rate: float = 0.25) -> pd.DataFrame:
    """Revenue, potential, gap, share of wallet and contribution-margin potential per group.

    ``share_of_wallet`` is the window revenue of the group's customers whose
    potential is known over their potential, ``median_share_of_wallet`` the
    median of the customers' own shares; ``margin_rate`` is the group's
    contribution margin over its revenue and ``margin_potential`` =
    potential x that rate (``margin_gap`` likewise). Customers without a
    known potential count in ``customers`` and ``revenue_12m`` only; where
    some have none, ``customers_with_potential`` says how many have one,
    and a group without any has a missing potential. A customer without a
    value of ``by`` (an industry, say) is in the group "unknown".

    Examples
    --------
    >>> df = pd.DataFrame({"segment": ["s", "s"], "revenue_12m": [1_000.0, 3_000.0],
    ...                    "contribution_margin_12m": [400.0, 800.0], "potential": [10_000.0, 6_000.0],
    ...                    "gap": [9_000.0, 3_000.0], "share_of_wallet": [0.1, 0.5]})
    >>> t = potential_by(df, "segment")
    >>> t.loc["s", ["share_of_wallet", "margin_rate", "margin_potential"]].tolist()  # 4k / 16k, 1.2k / 4k, 16k x .3
    [0.25, 0.3, 4800.0]
    """
    keys = _group_keys(classified, by)
    has_margin = "contribution_margin_12m" in classified
    known = classified["potential"].notna()
    values = classified[["revenue_12m", "potential", "gap"] + (["contribution_margin_12m"] if has_margin else [])]
    values = values.assign(known_revenue=classified["revenue_12m"].clip(lower=0).where(known), known=known)
    groups = values.groupby(keys, observed=True)
    sums = groups.sum(min_count=1)
    if has_margin:
        revenue = sums["revenue_12m"]
        rate = (sums["contribution_margin_12m"] / revenue.where(revenue > 0)).fillna(fallback_margin_rate)
    else:
        rate = pd.Series(fallback_margin_rate, index=sums.index, dtype="float64")
    potential = sums["potential"]
    out = pd.DataFrame(
        {
            "customers": groups.size(),
            "revenue_12m": sums["revenue_12m"],
            "potential": potential,
            "gap": sums["gap"],
            "share_of_wallet": (sums["known_revenue"] / potential.where(potential > 0))
            .fillna(0.0)
            .where(potential.notna()),
            "median_share_of_wallet": classified["share_of_wallet"].groupby(keys, observed=True).median(),
            "margin_rate": rate,
            "margin_potential": potential * rate,
            "margin_gap": sums["gap"] * rate,
        }
    )
    if not known.all():
        out.insert(1, "customers_with_potential", groups["known"].sum().astype(int))
    out.index.name = by
    return out.sort_values("potential", ascending=False, kind="stable")


def develop_vs_small(classified: pd.DataFrame, fallback_margin_rate: float = 0.25) -> pd.DataFrame:
    """The "develop" cluster (high potential, low share of wallet) next to the truly small customers."""
    part = classified[classified["segment"].isin(["develop", "small"])]
    return potential_by(part, "segment", fallback_margin_rate).reindex(["develop", "small"]).dropna(how="all")
