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
  months over the last two years.

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

from .draws import _Calendar, _exp_integral, _next_open_day, _pick, _scaled, _start_of
from .shape import (
    _CHANNELS,
    _DEMANDING_EXTRA_VISITS,
    _DEMANDING_MARGIN_CUT,
    _INSIDE_REPS,
    _KEY_ACCOUNTS,
    _KEY_INDUSTRIES,
    _NEXT_NINE_SHARE,
    _PG_MARGIN_OFFSET,
    _PG_MIX,
    _PRODUCT_GROUPS,
    _PROGRAMME_SAVED,
    _PROGRAMME_SHARE,
    _PROGRAMME_UPLIFT,
    _REGION_P,
    _REGIONS,
    _REPS_PER_REGION,
    _REST_KEY_SHARE,
    _SALES_THRESHOLD,
    _SEGMENTS,
    _TOP_SHARE,
    _UNQUALIFIED_SHARE,
    DEFAULT_END,
    PROGRAMME_START,
)
from .tables import _activities, _assessments, _customer_names, _market

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
        equals the customer master's scores.

    Examples
    --------
    >>> t = generate_sample(customers=400, years=3, seed=7)
    >>> t["orders"]["date"].min() >= pd.Timestamp("2023-01-01")
    True
    >>> set(t["orders"]["customer_id"]) <= set(t["customers"]["customer_id"])
    True
    """
    if customers < 50:
        raise ValueError(f"customers must be at least 50, got {customers}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    end = pd.Timestamp(end).date()
    rng = np.random.default_rng(seed)
    first = _start_of(end, years)
    epoch = np.datetime64(end, "D")
    n_days = (end - first).days + 1
    span = n_days / 365.25  # years of data
    window = 1.0  # the last 12 months, in years before the end

    # ---------------------------------------------------------------- customers
    n_key = _scaled(_KEY_ACCOUNTS, customers, minimum=3)
    seg_n = {k: v["n"] for k, v in _SEGMENTS.items()}
    raw = np.array(list(seg_n.values()), float) * (customers - n_key) / sum(seg_n.values())
    counts = np.floor(raw).astype(int)
    counts[np.argsort(raw - counts)[::-1][: customers - n_key - counts.sum()]] += 1
    industries = np.repeat(np.array(list(seg_n)), counts)
    key_ind = np.array([_KEY_INDUSTRIES[i % 3] for i in range(n_key)])
    industry = np.concatenate([key_ind, industries])
    is_key = np.zeros(customers, bool)
    is_key[:n_key] = True
    n = customers

    employees = np.zeros(n, np.int64)
    annual = np.zeros(n)  # revenue per year at the end date, before lifecycle
    for name, spec in _SEGMENTS.items():
        m = industry == name
        m &= ~is_key
        k = int(m.sum())
        lo, hi = spec["emp"]
        if "value_per_employee" in spec:
            mean_extra = {"electricians": 2.0, "plumbers_heating": 3.0, "hvac": 4.5}[name]
            emp = lo + rng.negative_binomial(2, 2 / (2 + mean_extra), k)
            emp = np.minimum(emp, hi)
            sow = rng.beta(*spec["sow"], k)
            annual[m] = emp * spec["value_per_employee"] * sow
        else:
            emp = np.exp(rng.normal(np.log(lo * 4), 1.0, k)).round().astype(np.int64)
            emp = np.clip(emp, lo, hi)
            size_effect = (emp / (lo * 4)) ** 0.25
            annual[m] = spec["median"] * size_effect * np.exp(rng.normal(0, spec["spread"], k))
        employees[m] = emp
    employees[is_key] = np.exp(rng.normal(np.log(900), 0.8, n_key)).round().astype(np.int64).clip(120, 12000)

    # lifecycle: when a customer starts and stops buying (years before the end,
    # so 0 is the end date and -span the first day)
    kind = rng.choice(["existing", "new", "dormant"], size=n, p=[0.775, 0.19, 0.035])
    kind[is_key] = "existing"
    start = np.full(n, -span)
    new = kind == "new"
    start[new] = -span + (span - 0.08) * rng.random(new.sum()) ** 0.8
    stop = np.zeros(n)
    # small customers are lost more often than larger ones
    lost = (kind != "dormant") & (start < -0.6) & ~is_key
    lost &= rng.random(n) < np.where(annual < _SALES_THRESHOLD, 0.22, 0.08)
    stop[lost] = start[lost] + 0.25 + (-start[lost] - 0.35) * rng.random(lost.sum())
    stop[lost] = np.minimum(stop[lost], -0.1)
    stop[kind == "dormant"] = start[kind == "dormant"]  # never buy
    growth = rng.normal(0.09, 0.10, n)
    growth[lost] = rng.normal(-0.06, 0.15, lost.sum())
    growth = np.clip(growth, -0.6, 0.6)

    # key accounts: revenue shares of the window, one lost, one new
    shares = np.empty(n_key)
    shares[0] = _TOP_SHARE
    nxt = 0.75 ** np.arange(min(9, n_key - 1))
    shares[1 : 1 + len(nxt)] = _NEXT_NINE_SHARE * nxt / (0.75 ** np.arange(9)).sum()
    if n_key > 10:
        rest = 0.96 ** np.arange(n_key - 10)
        shares[10:] = _REST_KEY_SHARE * rest / rest.sum()
    key_growth = rng.normal(0.05, 0.07, n_key)
    key_growth[0] = 0.06
    key_start = np.full(n_key, -span)
    key_stop = np.zeros(n_key)
    if n_key >= 8 and span > 2:
        key_stop[6] = -1.0 - 0.4 * rng.random()  # a large account lost in the last two years
        key_growth[6] = -0.15
    if n_key >= 15 and span > 3:
        key_start[13] = -min(2.6, span - 0.5)  # won about two and a half years ago
        key_growth[13] = 0.25
    if n_key >= 20:
        key_growth[[3, 17]] = [-0.12, -0.2]  # two key accounts buying less every year
    start[is_key], stop[is_key], growth[is_key] = key_start, key_stop, key_growth

    # the small-customer programme, drawn from its own random stream
    prog = np.random.default_rng([seed, 5])
    t_prog = (pd.Timestamp(PROGRAMME_START) - pd.Timestamp(end)).days / 365.25  # years before the end
    managed = (~is_key) & (annual < _SALES_THRESHOLD) & (kind != "dormant") & (start < t_prog) & (stop > t_prog)
    managed &= (prog.random(n) < _PROGRAMME_SHARE) & (-span < t_prog < 0)
    saved = managed & lost & (prog.random(n) < _PROGRAMME_SAVED)
    stop[saved] = 0.0

    # scale the key accounts so they hold their share of the window revenue
    in_window = _exp_integral(np.maximum(start, -window), stop, growth)
    small_window = (annual * in_window)[~is_key].sum()
    active_key = in_window[is_key] > 0
    total = small_window / (1 - shares[active_key].sum())
    key_annual = shares * total / np.where(active_key, in_window[is_key], 1.0)
    annual[is_key] = key_annual

    # ordering pattern: average order value and orders per year
    aov = 650 * (np.maximum(annual, 50) / 4000) ** 0.6 * np.exp(rng.normal(0, 0.4, n))
    key_orders_per_year = np.clip(60 * np.sqrt(annual[is_key] / 200_000), 40, 700)
    aov[is_key] = annual[is_key] / key_orders_per_year * np.exp(rng.normal(0, 0.1, n_key))
    freq = annual / aov

    # margin rate, channel mix
    cm_rate = np.clip(rng.normal(0.30, 0.035, n), 0.22, 0.40)
    cm_rate[is_key] = np.clip(rng.normal(0.16, 0.018, n_key), 0.12, 0.20)
    cm_rate[industry == "retail_resellers"] -= 0.05
    channel_alpha = {
        "key": [14.0, 2.5, 1.5, 0.05, 0.05],
        "electricians": [1.2, 2.5, 3.0, 0.8, 0.4],
        "plumbers_heating": [0.8, 2.5, 2.5, 1.2, 0.8],
        "hvac": [1.2, 2.5, 2.0, 1.0, 0.3],
        "industry": [2.5, 2.5, 2.0, 0.7, 0.2],
        "facility_management": [2.0, 2.5, 2.0, 0.6, 0.4],
        "public_sector": [1.5, 3.0, 2.0, 0.5, 0.3],
        "retail_resellers": [1.0, 2.0, 1.5, 2.5, 0.2],
    }
    channel_p = np.zeros((n, len(_CHANNELS)))
    for name, alpha in channel_alpha.items():
        m = is_key if name == "key" else (industry == name) & ~is_key
        channel_p[m] = rng.dirichlet(alpha, int(m.sum()))
    # customers worth more than a few visits a year are served in the field
    big_small = (~is_key) & (annual > 25_000)
    channel_p[big_small, 0] += 0.5
    channel_p /= channel_p.sum(axis=1, keepdims=True)

    region = rng.choice(_REGIONS, size=n, p=_REGION_P)
    reps_per_region = _scaled(_REPS_PER_REGION, customers)
    rep_no = rng.integers(1, reps_per_region + 1, n)
    outside_rep = np.char.add(np.char.add("Außendienst ", region.astype(str)), np.char.add(" ", rep_no.astype(str)))
    distance = np.round(np.clip(np.exp(rng.normal(np.log(32), 0.85, n)), 2, 250), 1)

    # discounts, rebates and the demanding key accounts come from a second
    # stream, so the rest of the supplier stays as it was
    extra = np.random.default_rng([seed, 4])
    demanding = is_key & (np.arange(n) % 4 == 0) & (np.arange(n) >= 4)
    discount_rate = np.where(
        is_key,
        extra.uniform(0.10, 0.22, n),
        np.clip(extra.beta(1.2, 12, n) * (1 + (annual > 25_000)), 0, 0.25),
    )
    rebate_rate = np.where(
        demanding,
        extra.uniform(0.065, 0.08, n),
        np.where(
            is_key,
            extra.uniform(0.02, 0.04, n),
            np.where((annual >= 50_000) & (extra.random(n) < 0.5), extra.uniform(0.005, 0.02, n), 0.0),
        ),
    )

    # ------------------------------------------------------------------ orders
    calendar = _Calendar(first, end, rng)
    owner, day = calendar.events(freq, start, stop, growth)  # day: days before the end (<= 0)
    # the programme customers order more often from its start
    if managed.any():
        u_owner, u_day = _Calendar(first, end, prog).events(
            np.where(managed, freq * _PROGRAMME_UPLIFT, 0.0), np.maximum(start, t_prog), stop, growth
        )
        owner, day = np.concatenate([owner, u_owner]), np.concatenate([day, u_day])

    n_orders = len(owner)
    key_o = is_key[owner]
    lines_small = np.array([0.66, 0.20, 0.07, 0.04, 0.02, 0.01])
    lines_key = np.array([0.10, 0.14, 0.18, 0.20, 0.20, 0.18])
    n_lines = np.where(
        key_o,
        rng.choice(np.arange(1, 7), n_orders, p=lines_key),
        rng.choice(np.arange(1, 7), n_orders, p=lines_small),
    )
    sigma = np.where(key_o, 0.8, 1.1)  # mean-preserving spread of the order values
    order_value = aov[owner] * np.exp(rng.normal(0, 1, n_orders) * sigma - sigma**2 / 2)
    channel_o = _pick(channel_p, owner, rng)

    line_order = np.repeat(np.arange(n_orders), n_lines)
    share = rng.gamma(1.5, 1.0, len(line_order))
    starts = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    share = share / np.add.reduceat(share, starts)[line_order]
    revenue = np.maximum(np.round(order_value[line_order] * share, 2), 1.0)
    line_owner = owner[line_order]

    pg_names = list(_PG_MIX)
    pg_matrix = np.array([_PG_MIX[k] for k in pg_names], float)
    pg_matrix /= pg_matrix.sum(axis=1, keepdims=True)
    ind_code = pd.Categorical(industry, categories=pg_names).codes
    pg = _pick(pg_matrix, ind_code[line_owner], rng)
    rate = cm_rate[line_owner] + _PG_MARGIN_OFFSET[pg] + rng.normal(0, 0.03, len(pg))
    # demanding key accounts: deep discounts leave a thin margin
    rate = rate - np.where(demanding[line_owner], _DEMANDING_MARGIN_CUT, 0.0)
    rate = np.clip(rate, 0.02, 0.6)
    margin = np.round(revenue * rate, 2)
    line_day = day[line_order]
    line_channel = channel_o[line_order]

    # credit notes: part of an earlier line comes back a few days later
    n_credit = int(round(0.0205 * len(revenue)))
    src = rng.choice(len(revenue), n_credit, replace=False)
    c_day = line_day[src] + rng.integers(3, 46, n_credit)
    ok = c_day <= 0
    c_day = _next_open_day(c_day, calendar.weights)
    src, c_day = src[ok], c_day[ok]
    c_frac = rng.uniform(0.15, 1.0, len(src))
    c_rev = -np.round(revenue[src] * c_frac, 2)
    c_margin = np.round(c_rev * rate[src], 2)

    all_owner = np.concatenate([line_owner, line_owner[src]])
    all_day = np.concatenate([line_day, c_day])
    all_rev = np.concatenate([revenue, c_rev])
    all_margin = np.concatenate([margin, c_margin])
    all_channel = np.concatenate([line_channel, line_channel[src]])
    all_pg = np.concatenate([pg, pg[src]])
    # document numbers: invoices and credit notes numbered in date order
    doc = np.concatenate([line_order, n_orders + np.arange(len(src))])
    doc_day = np.concatenate([day, c_day])
    doc_rank = np.empty(len(doc_day), np.int64)
    doc_rank[np.lexsort((rng.random(len(doc_day)), doc_day))] = np.arange(len(doc_day))
    doc_no = doc_rank[doc]
    order_sort = np.lexsort((np.arange(len(doc_no)), doc_no))

    # ----------------------------------------------------- ids and the tables
    # customer numbers grow with the date a customer was opened
    opened = np.where(kind == "existing", -span - rng.random(n) * 15, start)
    opened = np.where(kind == "dormant", -span * rng.random(n) - rng.random(n) * 10, opened)
    by_open = np.argsort(opened, kind="stable")
    gaps = rng.integers(1, 26, n)
    numbers = 1000 + np.cumsum(gaps)
    if numbers[-1] > 999_999:
        numbers = 1000 + np.arange(n)
    id_num = np.empty(n, np.int64)
    id_num[by_open] = numbers
    customer_id = pd.Series(id_num).astype(str).str.zfill(6).to_numpy()

    names = _customer_names(industry, is_key, rng)
    main_channel = _CHANNELS[channel_p.argmax(axis=1)]

    competitor = rng.choice(["low", "medium", "high"], n, p=[0.33, 0.45, 0.22])
    competitor[is_key] = rng.choice(["low", "medium", "high"], n_key, p=[0.1, 0.4, 0.5])
    power_p = np.where(
        is_key, 0.8, np.where(np.isin(industry, ["industry", "public_sector", "retail_resellers"]), 0.3, 0.05)
    )
    procurement_power = rng.random(n) < power_p

    sales_threshold = _SALES_THRESHOLD
    scored = is_key | (annual * (stop > -window) > 2 * sales_threshold) | (rng.random(n) < 0.25)
    base = rng.normal(3.0, 1.0, n)
    scores = {}
    for col, spread in (("partner_willingness", 0.9), ("transparency", 0.9), ("growth_potential", 0.9)):
        s = np.clip(np.round(base + rng.normal(0, spread, n) + 0.4 * is_key), 1, 5).astype(np.int64)
        if col == "growth_potential":
            s = np.clip(np.round(s + 1.5 * np.clip(growth, -0.5, 0.5) * 3), 1, 5).astype(np.int64)
        scores[col] = pd.arrays.IntegerArray(s, mask=~scored)

    # inside sales: the programme customers have an inside rep
    n_inside = _scaled(_INSIDE_REPS, customers)
    inside_names = np.array([f"Innendienst {i}" for i in range(1, n_inside + 1)])
    inside_rep = np.where(managed, inside_names[rng.integers(0, n_inside, n)], None)
    # the inside reps have qualified their customers; for other small customers the competitor situation is often unknown
    competitor = competitor.astype(object)
    competitor[(~is_key) & ~managed & (annual < sales_threshold) & (prog.random(n) < _UNQUALIFIED_SHARE)] = None

    cust = pd.DataFrame(
        {
            "customer_id": customer_id,
            "name": names,
            "industry": industry,
            "region": region,
            "employees": employees.astype(np.int64),
            "outside_rep": outside_rep,
            "inside_rep": inside_rep,
            "main_channel": main_channel,
            "competitor_activity": competitor,
            "procurement_power": procurement_power.astype(bool),
            "partner_willingness": scores["partner_willingness"],
            "transparency": scores["transparency"],
            "growth_potential": scores["growth_potential"],
            "distance_km": distance.astype(float),
        }
    )

    dates = (epoch + all_day.astype("timedelta64[D]")).astype("datetime64[ns]")
    orders = pd.DataFrame(
        {
            "customer_id": customer_id[all_owner][order_sort],
            "date": dates[order_sort],
            "order_id": np.char.add("A", (1_000_001 + doc_no[order_sort]).astype(str)),
            "revenue": all_rev[order_sort],
            "contribution_margin": all_margin[order_sort],
            "channel": _CHANNELS[all_channel[order_sort]],
            "product_group": _PRODUCT_GROUPS[all_pg[order_sort]],
        }
    )
    # revenue is the invoiced amount after the line discount; the rebate is
    # the share of the year-end bonus that falls on the line
    owner_sorted = all_owner[order_sort]
    d = discount_rate[owner_sorted]
    orders["discount"] = np.round(orders["revenue"].to_numpy() * d / (1 - d), 2)
    orders["rebate"] = np.round(orders["revenue"].to_numpy() * rebate_rate[owner_sorted], 2)

    activities = _activities(
        n=n,
        is_key=is_key,
        annual=annual,
        start=start,
        stop=stop,
        kind=kind,
        distance=distance,
        region=region,
        rep_no=rep_no,
        reps_per_region=reps_per_region,
        outside_rep=outside_rep,
        inside_rep=inside_rep,
        inside_names=inside_names,
        customer_id=customer_id,
        span=span,
        epoch=epoch,
        calendar=calendar,
        rng=rng,
    )

    # demanding key accounts also ask for far more visits
    extra_calendar = _Calendar(first, end, extra)
    x_owner, x_day = extra_calendar.events(np.where(demanding, _DEMANDING_EXTRA_VISITS, 0.0), start, stop)
    if len(x_owner):
        more = pd.DataFrame(
            {
                "customer_id": customer_id[x_owner],
                "date": (epoch + x_day.astype("timedelta64[D]")).astype("datetime64[ns]"),
                "type": "visit",
                "rep": outside_rep[x_owner].astype(str),
                "team": "outside",
            }
        )
        activities = pd.concat([activities, more], ignore_index=True)
        activities = activities.sort_values(["date", "customer_id", "rep"], kind="stable").reset_index(drop=True)

    assessments = _assessments(
        is_key=is_key,
        annual=annual,
        start=start,
        stop=stop,
        growth=growth,
        scores=scores,
        customer_id=customer_id,
        end=end,
        rng=extra,
    )

    market = _market(cust, orders, end)

    order = np.argsort(customer_id)
    cust = cust.iloc[order].reset_index(drop=True)
    return {"customers": cust, "orders": orders, "activities": activities, "market": market, "assessments": assessments}
