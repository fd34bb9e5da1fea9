"""A synthetic electrical wholesaler to try the workbook on: Sample Elektro GmbH.

The generator draws a whole supplier from one seed: the customer master, five
calendar years of invoice lines, the CRM activities of the outside and inside
sales teams, and a market estimate per industry. Every draw is vectorised, so
the default size (6,500 customers, about 330,000 invoice lines) takes a few
seconds.

The data is built to make every analysis of the workbook show something:

* about 4,000 electrician shops (1 to 10 employees, mean about 3) that buy a
  small share of what their staff could install, next to other trades,
  industry, facility management, public buyers and resellers;
* a few dozen key accounts, one of which carries roughly 18 % of the revenue
  of the last 12 months, so revenue is concentrated but not a monopoly
  (Herfindahl index about 0.05);
* seasonality (a weak August and Christmas, a strong spring and autumn),
  overall growth, declining customers, lost customers, new customers,
  dormant master records and about 2 % credit notes;
* key accounts buying through the field sales force with thin margins, small
  customers buying online, by phone and partly through distributors and
  retail with fat margins;
* field visits that concentrate on the large customers while many small
  customers have not seen a rep for years;
* discounts on every invoice line and year-end rebates for the key accounts
  and some large customers; a few demanding key accounts with deep
  discounts, high rebates and many visits that earn little or nothing after
  the cost of serving them;
* scorecard assessments (willingness to partner, transparency, growth
  potential) of the key accounts and the largest other customers every six
  months over the last two years; for the key accounts also the seven
  key-account strategies in place and, lately, the supplier's own side of
  the scorecard.

:func:`generate_sample` returns the tables in the canonical column names of
the method; :func:`write_sample` writes them the way real exports look
(a Parquet file with German ERP headers, a semicolon CSV with decimal commas,
plain CSVs) together with a ``params.yaml`` that maps them.

Examples
--------
>>> tables = generate_sample(customers=300, years=2, seed=1)
>>> sorted(tables)
['activities', 'assessments', 'customers', 'market', 'orders']
>>> bool(tables["customers"]["customer_id"].str.len().eq(6).all())
True
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .customers import Customers, customer_ids, customer_master, draw_customers
from .draws import _Calendar, _start_of
from .lines import draw_lines, orders_table
from .shape import _DEMANDING_EXTRA_VISITS, DEFAULT_END
from .tables import _activities, _assessments, _market, _practice_columns

__all__ = ["generate_sample"]


def generate_sample(
    customers: int = 6500,
    years: int = 5,
    seed: int = 42,
    end: dt.date = DEFAULT_END,
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic wholesaler in canonical column names.

    Parameters
    ----------
    customers : int, default 6500
        Number of customers in the master data. Every segment, the key
        accounts and the sales teams scale with it.
    years : int, default 5
        Full years of invoice lines, ending at ``end``.
    seed : int, default 42
        Seed of the random generator; the same seed gives the same frames.
    end : datetime.date, default 2025-12-31
        Last day of the data (the natural reference date).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``customers``: one row per customer (customer_id, name, industry,
        region, employees, outside_rep, inside_rep, main_channel,
        competitor_activity, procurement_power, partner_willingness,
        transparency, growth_potential, distance_km).
        ``orders``: invoice lines (customer_id, date, order_id, revenue,
        contribution_margin, channel, product_group, discount, rebate);
        revenue and margin are after the line discount and before the
        rebate; credit notes have negative revenue, margin, discount and
        rebate.
        ``activities``: CRM entries (customer_id, date, type, rep, team).
        ``market``: estimated annual market volume per segment
        (segment, market_volume).
        ``assessments``: scorecard assessments (customer_id, date,
        partner_willingness, transparency, growth_potential); the latest
        equals the customer master's scores. The key accounts' also say
        which of the seven key-account strategies are in place
        (single_point_of_contact, pricing_incentives, priority_ordering,
        customised_offer, matching_units_of_sale, cross_business_teams,
        integrated_inventory_billing: yes or no) and, in the latest two
        rounds, how the supplier rates its own side
        (supplier_partner_willingness, supplier_transparency,
        supplier_growth_contribution).

    Examples
    --------
    >>> t = generate_sample(customers=400, years=3, seed=7)
    >>> t["orders"]["date"].min() >= pd.Timestamp("2023-01-01")
    True
    >>> set(t["orders"]["customer_id"]) <= set(t["customers"]["customer_id"])
    True
    """
    _check_size(customers, years)
    end = pd.Timestamp(end).date()
    rng = np.random.default_rng(seed)
    prog = np.random.default_rng([seed, 5])  # the small-customer programme's own stream
    extra = np.random.default_rng([seed, 4])  # discounts, rebates and the demanding key accounts
    first = _start_of(end, years)
    epoch = np.datetime64(end, "D")
    span = ((end - first).days + 1) / 365.25  # years of data

    c = draw_customers(customers, span, end, rng, prog, extra)
    lines = draw_lines(c, first, end, rng, prog)
    customer_id = customer_ids(c, rng)
    master, *master_parts = customer_master(c, customer_id, rng, prog)
    orders = orders_table(c, lines, customer_id, epoch)
    activities, assessments = _crm_tables(c, lines, customer_id, master_parts, span, first, end, epoch, rng, extra)
    practice = np.random.default_rng([seed, 6])  # the key-account practice's own stream
    assessments = _practice_columns(assessments, customer_id[c.is_key], practice)
    market = _market(master, orders, end)
    master = master.iloc[np.argsort(customer_id)].reset_index(drop=True)
    return {
        "customers": master,
        "orders": orders,
        "activities": activities,
        "market": market,
        "assessments": assessments,
    }


def _check_size(customers: int, years: int) -> None:
    """Refuse a sample too small to hold every segment (50 customers) or shorter than one year."""
    if customers < 50:
        raise ValueError(f"customers must be at least 50, got {customers}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")


def _crm_tables(c: Customers, lines, customer_id, master_parts, span, first, end, epoch, rng, extra):
    """``(activities, assessments)``: the CRM entries (with the demanding accounts' extra visits) and the scorecards.

    ``master_parts``: the scores, inside reps and inside reps' names of :func:`customer_master`.
    """
    scores, inside_rep, inside_names = master_parts
    activities = _activities(
        n=c.n,
        is_key=c.is_key,
        annual=c.annual,
        start=c.start,
        stop=c.stop,
        kind=c.kind,
        distance=c.distance,
        region=c.region,
        rep_no=c.rep_no,
        reps_per_region=c.reps_per_region,
        outside_rep=c.outside_rep,
        inside_rep=inside_rep,
        inside_names=inside_names,
        customer_id=customer_id,
        span=span,
        epoch=epoch,
        calendar=lines.calendar,
        rng=rng,
    )
    activities = _with_demanding_visits(activities, c, customer_id, first, end, epoch, extra)
    assessments = _assessments(
        is_key=c.is_key,
        annual=c.annual,
        start=c.start,
        stop=c.stop,
        growth=c.growth,
        scores=scores,
        customer_id=customer_id,
        end=end,
        rng=extra,
    )
    return activities, assessments


def _with_demanding_visits(activities, c: Customers, customer_id, first, end, epoch, extra) -> pd.DataFrame:
    """The CRM activities with the many extra visits the demanding key accounts ask for (from the second stream)."""
    x_owner, x_day = _Calendar(first, end, extra).events(
        np.where(c.demanding, _DEMANDING_EXTRA_VISITS, 0.0), c.start, c.stop
    )
    if not len(x_owner):
        return activities
    more = pd.DataFrame(
        {
            "customer_id": customer_id[x_owner],
            "date": (epoch + x_day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "type": "visit",
            "rep": c.outside_rep[x_owner].astype(str),
            "team": "outside",
        }
    )
    activities = pd.concat([activities, more], ignore_index=True)
    return activities.sort_values(["date", "customer_id", "rep"], kind="stable").reset_index(drop=True)
