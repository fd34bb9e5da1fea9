"""The tables drawn beside the invoice lines: customer names, CRM activities, scorecard assessments, the market."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .shape import (
    _ASSESSMENT_ROUNDS,
    _KEY_NAMES,
    _KEY_SUFFIX,
    _MARKET_SHARE,
    _NAME_PATTERNS,
    _SALES_THRESHOLD,
    _SURNAMES,
    POTENTIAL_PER_EMPLOYEE,
    PROGRAMME_START,
)


def _assessments(*, is_key, annual, start, stop, growth, scores, customer_id, end, rng) -> pd.DataFrame:
    """Scorecard assessments of the key accounts and the largest other customers, every six months.

    The latest assessment equals the scores in the customer master; going
    back in time the scores drift by a point now and then. Accounts whose
    revenue falls were rated higher before, fast growers lower.
    """
    others = np.flatnonzero(~is_key & (stop >= 0))
    n_big = min(len(others), max(1, int(round(is_key.sum() / 4))))
    big = others[np.argsort(-annual[others], kind="stable")[:n_big]]
    assessed = np.concatenate([np.flatnonzero(is_key), big])
    names = ("partner_willingness", "transparency", "growth_potential")
    current = np.column_stack([scores[c].to_numpy(dtype="int64", na_value=3) for c in names])[assessed]
    g = growth[assessed]
    rows = []
    values = current.copy()
    for k in range(_ASSESSMENT_ROUNDS):  # k = 0 is the latest round
        when = pd.Timestamp(end) - pd.DateOffset(months=6 * k)
        jitter = rng.integers(0, 21, len(assessed))
        t = (when - pd.Timestamp(end)).days / 365.25
        alive = (start[assessed] <= t - 0.25) & (stop[assessed] >= t - 0.05)
        if k > 0:
            # one round earlier: a falling account was rated higher, a growing one lower
            drift = rng.choice([-1, 0, 1], size=values.shape, p=[0.15, 0.7, 0.15])
            trend = np.where(g < -0.05, 1, np.where(g > 0.15, -1, 0))
            drift[:, [0, 2]] += trend[:, None] * (rng.random((len(assessed), 2)) < 0.6)
            values = np.clip(values + drift, 1, 5)
        for j in np.flatnonzero(alive):
            rows.append((customer_id[assessed[j]], when - pd.Timedelta(days=int(jitter[j])), *values[j]))
    out = pd.DataFrame(rows, columns=["customer_id", "date", *names])
    for c in names:
        out[c] = out[c].astype(np.int64)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)


#: how often a key account has each of the seven key-account strategies in the latest round (the
#: pricing incentives are the norm; integrated inventory and billing is rare)
_STRATEGY_SHARE = {
    "single_point_of_contact": 0.75,
    "pricing_incentives": 0.95,
    "priority_ordering": 0.45,
    "customised_offer": 0.35,
    "matching_units_of_sale": 0.55,
    "cross_business_teams": 0.25,
    "integrated_inventory_billing": 0.2,
}
#: the supplier rates its own side of the scorecard in the latest rounds only
_SELF_RATED_ROUNDS = 2


def _practice_columns(assessments: pd.DataFrame, key_ids, rng: np.random.Generator) -> pd.DataFrame:
    """The assessments with the seven strategies and the supplier's own scores for the key accounts.

    Each key account has the strategies in place with the chances of
    :data:`_STRATEGY_SHARE`, more of them the more willing it is to
    partner; going back in time the programme had fewer of them. Only the
    latest :data:`_SELF_RATED_ROUNDS` rounds rate the supplier's own side:
    close to the customer's, a point or two below it for some accounts.
    Other customers' assessments leave both empty. Drawn from a stream of
    their own, so the other tables stay as they are.
    """
    out = assessments.copy()
    key = out["customer_id"].isin(set(key_ids)).to_numpy()
    order = out.groupby("customer_id")["date"].rank(ascending=False, method="first").to_numpy() - 1  # 0 = latest
    ids = out["customer_id"].to_numpy()
    accounts = np.unique(ids[key])
    lean = {a: rng.random() for a in accounts}  # how far along each account's programme is
    drift = {a: rng.random(len(_STRATEGY_SHARE)) for a in accounts}
    partner = out["partner_willingness"].to_numpy(dtype=float)
    for j, (column, share) in enumerate(_STRATEGY_SHARE.items()):
        values = pd.array([pd.NA] * len(out), dtype="boolean")
        for i in np.flatnonzero(key):
            chance = share * (0.6 + 0.2 * (partner[i] - 1) / 4 + 0.4 * lean[ids[i]]) - 0.12 * order[i]
            values[i] = bool(drift[ids[i]][j] < chance)
        out[column] = values
    gaps = {a: rng.choice([-2, -1, 0, 0, 0, 1], size=3) for a in accounts}
    rated = key & (order < _SELF_RATED_ROUNDS)
    for j, (supplier, customer) in enumerate(
        (
            ("supplier_partner_willingness", "partner_willingness"),
            ("supplier_transparency", "transparency"),
            ("supplier_growth_contribution", "growth_potential"),
        )
    ):
        own = out[customer].to_numpy(dtype=float) + np.array([gaps[a][j] if a in gaps else 0 for a in ids])
        values = pd.array(np.clip(own, 1, 5).round(), dtype="Int64")
        values[~rated] = pd.NA
        out[supplier] = values
    return out


def _customer_names(industry: np.ndarray, is_key: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(industry)
    names = np.empty(n, dtype=object)
    surname = _SURNAMES[rng.integers(0, len(_SURNAMES), n)]
    for ind, (prefixes, suffixes) in _NAME_PATTERNS.items():
        m = np.flatnonzero((industry == ind) & ~is_key)
        if not len(m):
            continue
        pre = np.array(prefixes)[rng.integers(0, len(prefixes), len(m))]
        suf = np.array(suffixes)[rng.integers(0, len(suffixes), len(m))]
        if ind == "public_sector":
            places = np.char.add(
                surname[m].astype(str),
                np.array(["hausen", "dorf", "feld", "heim", "stadt"])[rng.integers(0, 5, len(m))],
            )
            names[m] = np.char.add(np.char.add(pre, " "), places)
        else:
            names[m] = np.char.add(np.char.add(np.char.add(pre, " "), surname[m].astype(str)), suf)
    keys = np.flatnonzero(is_key)
    stems = _KEY_NAMES[np.arange(len(keys)) % len(_KEY_NAMES)]
    for j, i in enumerate(keys):
        suffixes = _KEY_SUFFIX[industry[i]]
        extra = "" if j < len(_KEY_NAMES) else f" {j // len(_KEY_NAMES) + 1}"
        names[i] = f"{stems[j]}{extra} {suffixes[j % len(suffixes)]}"
    return names.astype(str)


def _activities(
    *,
    n,
    is_key,
    annual,
    start,
    stop,
    kind,
    distance,
    region,
    rep_no,
    reps_per_region,
    outside_rep,
    inside_rep,
    inside_names,
    customer_id,
    span,
    epoch,
    calendar,
    rng,
) -> pd.DataFrame:
    """CRM entries: field visits, meetings, calls and emails."""
    lo_all = np.full(n, -span)
    v_owner, v_day, v_rep = _field_visits(
        n=n,
        is_key=is_key,
        annual=annual,
        start=start,
        stop=stop,
        distance=distance,
        region=region,
        rep_no=rep_no,
        reps_per_region=reps_per_region,
        outside_rep=outside_rep,
        span=span,
        calendar=calendar,
        rng=rng,
    )

    # meetings: account reviews with key accounts and the largest customers
    meet_rate = np.where(is_key, rng.uniform(2, 4, n), np.where(annual >= 50_000, 0.5, 0.0))
    m_owner, m_day = calendar.events(meet_rate, lo_all, stop)

    # calls by the inside team: the pilot group often, everyone else for service
    pilot = pd.notna(inside_rep)
    pilot_from = (np.datetime64(PROGRAMME_START, "D") - epoch).astype(int) / 365.25
    call_rate = np.where(is_key, 4.0, np.where(rng.random(n) < 0.5, 0.4, 0.0))
    c_owner, c_day = calendar.events(call_rate, start, stop + 0.2)
    p_owner, p_day = calendar.events(np.where(pilot, 9.0, 0.0), np.full(n, pilot_from), stop)
    n_inside = len(inside_names)
    c_rep = inside_names[rng.integers(0, n_inside, len(c_owner))]
    p_rep = inside_rep[p_owner].astype(str) if len(p_owner) else np.array([], dtype=str)

    # emails: outside reps write to their key accounts, the inside team to everyone
    e_out_owner, e_out_day = calendar.events(np.where(is_key, 6.0, 0.0), lo_all, stop)
    e_in_owner, e_in_day = calendar.events(np.where(kind == "dormant", 0.05, 0.3), lo_all, stop + 0.3)
    e_in_rep = inside_names[rng.integers(0, n_inside, len(e_in_owner))]

    parts = [
        (v_owner, v_day, "visit", v_rep, "outside"),
        (m_owner, m_day, "meeting", outside_rep[m_owner], "outside"),
        (c_owner, c_day, "call", c_rep, "inside"),
        (p_owner, p_day, "call", p_rep, "inside"),
        (e_out_owner, e_out_day, "email", outside_rep[e_out_owner], "outside"),
        (e_in_owner, e_in_day, "email", e_in_rep, "inside"),
    ]
    return _activity_table(parts, customer_id, epoch)


def _activity_table(parts, customer_id, epoch) -> pd.DataFrame:
    """The CRM entries of ``parts`` (owner, day, type, rep, team each) in one table, by day, customer and rep."""
    owner = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    typ = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    rep = np.concatenate([np.asarray(p[3], dtype=object) for p in parts])
    team = np.concatenate([np.full(len(p[0]), p[4]) for p in parts])

    order = np.lexsort((rep.astype(str), customer_id[owner], day))
    dates = (epoch + day[order].astype("timedelta64[D]")).astype("datetime64[ns]")
    return pd.DataFrame(
        {
            "customer_id": customer_id[owner][order],
            "date": dates,
            "type": typ[order],
            "rep": rep[order].astype(str),
            "team": team[order],
        }
    )


def _field_visits(
    *, n, is_key, annual, start, stop, distance, region, rep_no, reps_per_region, outside_rep, span, calendar, rng
):
    """Field visits ``(owner, day, rep)``: key accounts often, the larger small customers now and then, most small
    customers rarely or not at all (and often not for years); now and then a colleague of the region stands in."""
    threshold = _SALES_THRESHOLD

    visit_rate = np.where(
        is_key,
        rng.uniform(10, 20, n),
        np.select(
            [annual >= 50_000, annual >= 20_000, annual >= threshold],
            [rng.uniform(6, 12, n), rng.uniform(4, 8, n), rng.uniform(2, 5, n)],
            default=np.where(rng.random(n) < 0.45, rng.uniform(0.5, 2.5, n), 0.0),
        ),
    )
    visit_rate = np.where(distance > 120, visit_rate * 0.5, visit_rate)
    v_lo = np.maximum(start - 0.15, -span)
    v_hi = np.minimum(stop + 0.1, 0.0)
    drifted = (~is_key) & (annual < 20_000) & (rng.random(n) < 0.5)
    v_hi = np.where(drifted, v_lo + (v_hi - v_lo) * rng.random(n) * 0.7, v_hi)
    v_owner, v_day = calendar.events(visit_rate, v_lo, v_hi)
    # now and then a colleague from the same region stands in
    colleague = rng.random(len(v_owner)) < 0.08
    other_no = (rep_no[v_owner] + rng.integers(1, max(reps_per_region, 2), len(v_owner)) - 1) % reps_per_region + 1
    v_rep = np.where(
        colleague & (reps_per_region > 1),
        np.char.add(np.char.add("Außendienst ", region[v_owner].astype(str)), np.char.add(" ", other_no.astype(str))),
        outside_rep[v_owner],
    )
    return v_owner, v_day, v_rep


def _market(cust: pd.DataFrame, orders: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """Estimated yearly market volume per segment in the sales region.

    Electricians: the installable value of all shops in the region (the
    supplier's shops are about four fifths of them). Other segments: the
    supplier's revenue of the last 12 months divided by an estimated share.
    """
    window_start = pd.Timestamp(end) - pd.DateOffset(years=1)
    recent = orders[orders["date"] > window_start]
    by_customer = recent.groupby("customer_id")["revenue"].sum()
    revenue = cust.set_index("customer_id")["industry"].to_frame().join(by_customer).fillna({"revenue": 0})
    revenue = revenue.groupby("industry")["revenue"].sum()
    rows = []
    for segment in sorted(cust["industry"].unique()):
        if segment == "electricians":
            elec = cust[cust["industry"] == "electricians"]
            volume = elec["employees"].sum() * POTENTIAL_PER_EMPLOYEE["electricians"] / 0.8
        else:
            volume = revenue.get(segment, 0.0) / _MARKET_SHARE.get(segment, 0.2)
        rows.append({"segment": segment, "market_volume": float(max(round(volume, -5), 100_000.0))})
    return pd.DataFrame(rows)
