"""The customers of the sample supplier, drawn step by step: who they are, how much and how they buy.

:func:`draw_customers` runs the steps in a fixed order, each drawing from
the same random streams in the same sequence, so the same seed gives the
same customers: the segments and key accounts, the sizes and annual
revenues, the lifecycle (new, lost, dormant), the key accounts' shares, the
small-customer programme, the ordering pattern, margins and channels, the
territory, and the commercial terms. :func:`customer_master` turns them
into the customer master with ids, names, scores and inside reps.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .draws import _exp_integral, _scaled
from .shape import (
    _CHANNELS,
    _INSIDE_REPS,
    _KEY_ACCOUNTS,
    _KEY_INDUSTRIES,
    _NEXT_NINE_SHARE,
    _PROGRAMME_SAVED,
    _PROGRAMME_SHARE,
    _REGION_P,
    _REGIONS,
    _REPS_PER_REGION,
    _REST_KEY_SHARE,
    _SALES_THRESHOLD,
    _SEGMENTS,
    _TOP_SHARE,
    _UNQUALIFIED_SHARE,
    PROGRAMME_START,
)
from .tables import _customer_names

#: the Dirichlet weights of the channels (field, inside, online, distributor, retail) per kind of customer
_CHANNEL_ALPHA = {
    "key": [14.0, 2.5, 1.5, 0.05, 0.05],
    "electricians": [1.2, 2.5, 3.0, 0.8, 0.4],
    "plumbers_heating": [0.8, 2.5, 2.5, 1.2, 0.8],
    "hvac": [1.2, 2.5, 2.0, 1.0, 0.3],
    "industry": [2.5, 2.5, 2.0, 0.7, 0.2],
    "facility_management": [2.0, 2.5, 2.0, 0.6, 0.4],
    "public_sector": [1.5, 3.0, 2.0, 0.5, 0.3],
    "retail_resellers": [1.0, 2.0, 1.5, 2.5, 0.2],
}
#: the extra employees on average beyond the smallest size, per trade
_MEAN_EXTRA_EMPLOYEES = {"electricians": 2.0, "plumbers_heating": 3.0, "hvac": 4.5}


@dataclass
class Customers:
    """The drawn customers, one array element per customer (key accounts first).

    Times are in years before the end date: 0 is the end, ``-span`` the
    first day of the data.
    """

    customers: int
    span: float
    industry: np.ndarray
    is_key: np.ndarray
    employees: np.ndarray = None
    annual: np.ndarray = None  # revenue per year at the end date, before the lifecycle
    kind: np.ndarray = None  # existing, new or dormant
    start: np.ndarray = None
    stop: np.ndarray = None
    growth: np.ndarray = None
    lost: np.ndarray = None
    managed: np.ndarray = None  # in the small-customer programme
    t_programme: float = 0.0  # the programme's start
    aov: np.ndarray = None  # average order value
    freq: np.ndarray = None  # orders per year
    cm_rate: np.ndarray = None
    channel_p: np.ndarray = None
    region: np.ndarray = None
    reps_per_region: int = 0
    rep_no: np.ndarray = None
    outside_rep: np.ndarray = None
    distance: np.ndarray = None
    demanding: np.ndarray = None
    discount_rate: np.ndarray = None
    rebate_rate: np.ndarray = None

    @property
    def n(self) -> int:
        return len(self.industry)

    @property
    def n_key(self) -> int:
        return int(self.is_key.sum())


def draw_customers(customers: int, span: float, end, rng, prog, extra) -> Customers:
    """Every step of the customers, in the order that keeps the random streams as they were.

    ``rng`` is the main stream, ``prog`` the programme's and ``extra`` the
    stream of the terms (discounts, rebates, demanding key accounts).
    """
    c = _segments(customers, span)
    _sizes(c, rng)
    _lifecycle(c, rng)
    _key_accounts(c, rng)
    _programme(c, end, prog)
    _scale_key_accounts(c)
    _ordering_pattern(c, rng)
    _margins_and_channels(c, rng)
    _territory(c, rng)
    _terms(c, extra)
    return c


def _segments(customers: int, span: float) -> Customers:
    """The industry of every customer: the key accounts first, the rest in the segments' proportions."""
    n_key = _scaled(_KEY_ACCOUNTS, customers, minimum=3)
    seg_n = {k: v["n"] for k, v in _SEGMENTS.items()}
    raw = np.array(list(seg_n.values()), float) * (customers - n_key) / sum(seg_n.values())
    counts = np.floor(raw).astype(int)
    counts[np.argsort(raw - counts)[::-1][: customers - n_key - counts.sum()]] += 1
    industries = np.repeat(np.array(list(seg_n)), counts)
    key_ind = np.array([_KEY_INDUSTRIES[i % 3] for i in range(n_key)])
    is_key = np.zeros(customers, bool)
    is_key[:n_key] = True
    return Customers(customers=customers, span=span, industry=np.concatenate([key_ind, industries]), is_key=is_key)


def _sizes(c: Customers, rng) -> None:
    """Employees and the annual revenue at the end date: trades by their staff, the others by size and spread."""
    n, is_key = c.n, c.is_key
    employees = np.zeros(n, np.int64)
    annual = np.zeros(n)
    for name, spec in _SEGMENTS.items():
        m = c.industry == name
        m &= ~is_key
        k = int(m.sum())
        lo, hi = spec["emp"]
        if "value_per_employee" in spec:
            mean_extra = _MEAN_EXTRA_EMPLOYEES[name]
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
    employees[is_key] = np.exp(rng.normal(np.log(900), 0.8, c.n_key)).round().astype(np.int64).clip(120, 12000)
    c.employees, c.annual = employees, annual


def _lifecycle(c: Customers, rng) -> None:
    """When a customer starts and stops buying, and how fast it grows; small customers are lost more often."""
    n, span, is_key = c.n, c.span, c.is_key
    kind = rng.choice(["existing", "new", "dormant"], size=n, p=[0.775, 0.19, 0.035])
    kind[is_key] = "existing"
    start = np.full(n, -span)
    new = kind == "new"
    start[new] = -span + (span - 0.08) * rng.random(new.sum()) ** 0.8
    stop = np.zeros(n)
    lost = (kind != "dormant") & (start < -0.6) & ~is_key
    lost &= rng.random(n) < np.where(c.annual < _SALES_THRESHOLD, 0.22, 0.08)
    stop[lost] = start[lost] + 0.25 + (-start[lost] - 0.35) * rng.random(lost.sum())
    stop[lost] = np.minimum(stop[lost], -0.1)
    stop[kind == "dormant"] = start[kind == "dormant"]  # never buy
    growth = rng.normal(0.09, 0.10, n)
    growth[lost] = rng.normal(-0.06, 0.15, lost.sum())
    growth = np.clip(growth, -0.6, 0.6)
    c.kind, c.start, c.stop, c.growth, c.lost = kind, start, stop, growth, lost


def _key_shares(n_key: int) -> np.ndarray:
    """The key accounts' shares of the window revenue: one large, the next nine falling, the rest small."""
    shares = np.empty(n_key)
    shares[0] = _TOP_SHARE
    nxt = 0.75 ** np.arange(min(9, n_key - 1))
    shares[1 : 1 + len(nxt)] = _NEXT_NINE_SHARE * nxt / (0.75 ** np.arange(9)).sum()
    if n_key > 10:
        rest = 0.96 ** np.arange(n_key - 10)
        shares[10:] = _REST_KEY_SHARE * rest / rest.sum()
    return shares


def _key_accounts(c: Customers, rng) -> None:
    """The key accounts' growth and lifetimes: one large account lost, one won, two buying less every year."""
    n_key, span = c.n_key, c.span
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
    c.start[c.is_key], c.stop[c.is_key], c.growth[c.is_key] = key_start, key_stop, key_growth


def _programme(c: Customers, end, prog) -> None:
    """The small-customer programme, drawn from its own stream: who is in it, and the lost ones it saved."""
    t_prog = (pd.Timestamp(PROGRAMME_START) - pd.Timestamp(end)).days / 365.25  # years before the end
    managed = (~c.is_key) & (c.annual < _SALES_THRESHOLD) & (c.kind != "dormant") & (c.start < t_prog)
    managed &= c.stop > t_prog
    managed &= (prog.random(c.n) < _PROGRAMME_SHARE) & (-c.span < t_prog < 0)
    saved = managed & c.lost & (prog.random(c.n) < _PROGRAMME_SAVED)
    c.stop[saved] = 0.0
    c.managed, c.t_programme = managed, t_prog


def _scale_key_accounts(c: Customers) -> None:
    """Scale the key accounts so that they hold their shares of the last 12 months' revenue."""
    is_key, window = c.is_key, 1.0  # the last 12 months, in years before the end
    shares = _key_shares(c.n_key)
    in_window = _exp_integral(np.maximum(c.start, -window), c.stop, c.growth)
    small_window = (c.annual * in_window)[~is_key].sum()
    active_key = in_window[is_key] > 0
    total = small_window / (1 - shares[active_key].sum())
    c.annual[is_key] = shares * total / np.where(active_key, in_window[is_key], 1.0)


def _ordering_pattern(c: Customers, rng) -> None:
    """The average order value and the orders per year: key accounts order often, small customers little."""
    is_key, annual = c.is_key, c.annual
    aov = 650 * (np.maximum(annual, 50) / 4000) ** 0.6 * np.exp(rng.normal(0, 0.4, c.n))
    key_orders_per_year = np.clip(60 * np.sqrt(annual[is_key] / 200_000), 40, 700)
    aov[is_key] = annual[is_key] / key_orders_per_year * np.exp(rng.normal(0, 0.1, c.n_key))
    c.aov, c.freq = aov, annual / aov


def _margins_and_channels(c: Customers, rng) -> None:
    """The margin rate and the channel mix; customers worth more than a few visits a year are served in the field."""
    is_key, n = c.is_key, c.n
    cm_rate = np.clip(rng.normal(0.30, 0.035, n), 0.22, 0.40)
    cm_rate[is_key] = np.clip(rng.normal(0.16, 0.018, c.n_key), 0.12, 0.20)
    cm_rate[c.industry == "retail_resellers"] -= 0.05
    channel_p = np.zeros((n, len(_CHANNELS)))
    for name, alpha in _CHANNEL_ALPHA.items():
        m = is_key if name == "key" else (c.industry == name) & ~is_key
        channel_p[m] = rng.dirichlet(alpha, int(m.sum()))
    big_small = (~is_key) & (c.annual > 25_000)
    channel_p[big_small, 0] += 0.5
    channel_p /= channel_p.sum(axis=1, keepdims=True)
    c.cm_rate, c.channel_p = cm_rate, channel_p


def _territory(c: Customers, rng) -> None:
    """The region, the outside rep and the distance of every customer."""
    n = c.n
    region = rng.choice(_REGIONS, size=n, p=_REGION_P)
    reps_per_region = _scaled(_REPS_PER_REGION, c.customers)
    rep_no = rng.integers(1, reps_per_region + 1, n)
    outside_rep = np.char.add(np.char.add("Außendienst ", region.astype(str)), np.char.add(" ", rep_no.astype(str)))
    distance = np.round(np.clip(np.exp(rng.normal(np.log(32), 0.85, n)), 2, 250), 1)
    c.region, c.reps_per_region, c.rep_no, c.outside_rep, c.distance = (
        region,
        reps_per_region,
        rep_no,
        outside_rep,
        distance,
    )


def _terms(c: Customers, extra) -> None:
    """Discounts, rebates and the demanding key accounts, from a second stream so the rest stays as it was."""
    n, is_key, annual = c.n, c.is_key, c.annual
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
    c.demanding, c.discount_rate, c.rebate_rate = demanding, discount_rate, rebate_rate


def customer_ids(c: Customers, rng) -> np.ndarray:
    """Six-digit customer numbers that grow with the date a customer was opened."""
    n, span, kind = c.n, c.span, c.kind
    opened = np.where(kind == "existing", -span - rng.random(n) * 15, c.start)
    opened = np.where(kind == "dormant", -span * rng.random(n) - rng.random(n) * 10, opened)
    by_open = np.argsort(opened, kind="stable")
    gaps = rng.integers(1, 26, n)
    numbers = 1000 + np.cumsum(gaps)
    if numbers[-1] > 999_999:
        numbers = 1000 + np.arange(n)
    id_num = np.empty(n, np.int64)
    id_num[by_open] = numbers
    return pd.Series(id_num).astype(str).str.zfill(6).to_numpy()


def _scores(c: Customers, rng) -> dict[str, pd.arrays.IntegerArray]:
    """Scorecard scores from 1 to 5 for the key accounts, the larger customers and a quarter of the rest."""
    n, is_key = c.n, c.is_key
    scored = is_key | (c.annual * (c.stop > -1.0) > 2 * _SALES_THRESHOLD) | (rng.random(n) < 0.25)
    base = rng.normal(3.0, 1.0, n)
    scores = {}
    for col, spread in (("partner_willingness", 0.9), ("transparency", 0.9), ("growth_potential", 0.9)):
        s = np.clip(np.round(base + rng.normal(0, spread, n) + 0.4 * is_key), 1, 5).astype(np.int64)
        if col == "growth_potential":
            s = np.clip(np.round(s + 1.5 * np.clip(c.growth, -0.5, 0.5) * 3), 1, 5).astype(np.int64)
        scores[col] = pd.arrays.IntegerArray(s, mask=~scored)
    return scores


def customer_master(
    c: Customers, customer_id: np.ndarray, rng, prog
) -> tuple[pd.DataFrame, dict, np.ndarray, np.ndarray]:
    """The customer master, with the scores, the inside reps and the inside reps' names.

    Returns ``(master, scores, inside_rep, inside_names)``; the master is in
    the order of the drawn customers (the caller sorts it by id).
    """
    n, is_key, n_key, industry = c.n, c.is_key, c.n_key, c.industry
    names = _customer_names(industry, is_key, rng)
    main_channel = _CHANNELS[c.channel_p.argmax(axis=1)]

    competitor = rng.choice(["low", "medium", "high"], n, p=[0.33, 0.45, 0.22])
    competitor[is_key] = rng.choice(["low", "medium", "high"], n_key, p=[0.1, 0.4, 0.5])
    power_p = np.where(
        is_key, 0.8, np.where(np.isin(industry, ["industry", "public_sector", "retail_resellers"]), 0.3, 0.05)
    )
    procurement_power = rng.random(n) < power_p
    scores = _scores(c, rng)

    # inside sales: the programme customers have an inside rep
    n_inside = _scaled(_INSIDE_REPS, c.customers)
    inside_names = np.array([f"Innendienst {i}" for i in range(1, n_inside + 1)])
    inside_rep = np.where(c.managed, inside_names[rng.integers(0, n_inside, n)], None)
    # the inside reps have qualified their customers; for other small customers the competitor is often unknown
    competitor = competitor.astype(object)
    unqualified = (~is_key) & ~c.managed & (c.annual < _SALES_THRESHOLD) & (prog.random(n) < _UNQUALIFIED_SHARE)
    competitor[unqualified] = None

    master = pd.DataFrame(
        {
            "customer_id": customer_id,
            "name": names,
            "industry": industry,
            "region": c.region,
            "employees": c.employees.astype(np.int64),
            "outside_rep": c.outside_rep,
            "inside_rep": inside_rep,
            "main_channel": main_channel,
            "competitor_activity": competitor,
            "procurement_power": procurement_power.astype(bool),
            "partner_willingness": scores["partner_willingness"],
            "transparency": scores["transparency"],
            "growth_potential": scores["growth_potential"],
            "distance_km": c.distance.astype(float),
            **contacts(customer_id, names),
        }
    )
    return master, scores, inside_rep, inside_names


_FIRST_NAMES = [
    "Anna",
    "Andreas",
    "Birgit",
    "Christian",
    "Claudia",
    "Daniel",
    "Eva",
    "Frank",
    "Gabriele",
    "Jan",
    "Julia",
    "Jürgen",
    "Katrin",
    "Klaus",
    "Laura",
    "Markus",
    "Martina",
    "Michael",
    "Monika",
    "Nicole",
    "Peter",
    "Petra",
    "Sabine",
    "Sandra",
    "Stefan",
    "Susanne",
    "Thomas",
    "Ulrike",
    "Wolfgang",
    "Yvonne",
]
_LAST_NAMES = [
    "Becker",
    "Braun",
    "Fischer",
    "Hartmann",
    "Hoffmann",
    "Koch",
    "Krüger",
    "Lange",
    "Meyer",
    "Müller",
    "Neumann",
    "Richter",
    "Schäfer",
    "Schmidt",
    "Schneider",
    "Schröder",
    "Schulz",
    "Schwarz",
    "Wagner",
    "Weber",
    "Werner",
    "Wolf",
    "Zimmermann",
    "Bauer",
    "Klein",
    "Lehmann",
    "Vogel",
    "Jung",
]
_AREA_CODES = ("030", "040", "069", "089", "0201", "0211", "0221", "0341", "0351", "0511", "0611", "0711", "0911")
_LEGAL_FORMS = re.compile(r"\b(GmbH|AG|KG|e\.K\.|OHG|GbR|mbH|Co\.|&|und)(?=\W|$)", re.IGNORECASE)


def _ascii(text: str) -> str:
    """Lower case, umlauts spelled out, only letters, digits and hyphens: how a German name goes into an address."""
    text = text.lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text)).strip("-")


def contacts(customer_id: np.ndarray, names: np.ndarray) -> dict[str, np.ndarray]:
    """A contact person, a phone number and an e-mail address per customer, drawn from its number alone (no draw
    of the generator's random numbers, so the rest of the sample stays as it is).

    >>> out = contacts(np.array(["001021"]), np.array(["Elektro-Service Vogel GmbH & Co. KG"]))
    >>> out["email"][0].endswith("@elektro-service-vogel.de"), out["phone"][0].startswith("+49 ")
    (True, True)
    """
    person, phone, email = [], [], []
    for cid, name in zip(customer_id, names, strict=True):
        h = zlib.crc32(str(cid).encode())
        first, last = _FIRST_NAMES[h % len(_FIRST_NAMES)], _LAST_NAMES[(h // 31) % len(_LAST_NAMES)]
        area = _AREA_CODES[(h // 997) % len(_AREA_CODES)]
        person.append(f"{first} {last}")
        phone.append(f"+49 {area[1:]} {(h // 7) % 9_000_000 + 1_000_000}")
        domain = _ascii(_LEGAL_FORMS.sub(" ", str(name))) or "kunde"
        email.append(f"{_ascii(first)[0]}.{_ascii(last)}@{domain}.de")
    return {"contact_person": np.array(person), "phone": np.array(phone), "email": np.array(email)}
