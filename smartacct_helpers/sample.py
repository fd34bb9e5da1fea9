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
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .delivery.exports import atomic_write

__all__ = ["generate_sample", "write_sample", "ORDER_COLUMNS", "CUSTOMER_COLUMNS"]

CLIENT = "Sample Elektro GmbH"
DEFAULT_END = dt.date(2025, 12, 31)

#: canonical order column -> column name in the ERP export
ORDER_COLUMNS = {
    "customer_id": "Kundennummer",
    "date": "Rechnungsdatum",
    "order_id": "Belegnummer",
    "revenue": "Umsatz",
    "contribution_margin": "Deckungsbeitrag",
    "channel": "Vertriebsweg",
    "product_group": "Warengruppe",
    "discount": "Rabatt",
    "rebate": "Bonus",
}

#: canonical customer column -> column name in the CRM export
CUSTOMER_COLUMNS = {
    "customer_id": "Kundennummer",
    "name": "Name",
    "industry": "Branche",
    "region": "Region",
    "employees": "Mitarbeiter",
    "outside_rep": "Aussendienst",
    "inside_rep": "Innendienst",
    "main_channel": "Hauptkanal",
    "competitor_activity": "Wettbewerb",
    "procurement_power": "Einkaufsmacht",
    "partner_willingness": "Partnerschaft",
    "transparency": "Transparenz",
    "growth_potential": "Wachstum",
    "distance_km": "Entfernung_km",
}

# --------------------------------------------------------------------------
# The shape of the supplier. Counts are for 6,500 customers and scale with
# the requested size.
# --------------------------------------------------------------------------
_REFERENCE_SIZE = 6500
_KEY_ACCOUNTS = 40
_REGIONS = ["Nord", "Süd", "West", "Ost", "Mitte"]
_REGION_P = [0.22, 0.24, 0.22, 0.14, 0.18]
_REPS_PER_REGION = 4
_INSIDE_REPS = 3
_CHANNELS = np.array(["field", "inside", "online", "distributor", "retail"])

# Per industry: n customers at the reference size and the employee range.
# Trades with ``value_per_employee`` buy employees x value x share of wallet
# (the share drawn from a beta distribution with parameters ``sow``); the
# other industries buy a log-normal annual revenue with the given median and
# spread, a little more for larger firms.
_SEGMENTS = {
    "electricians": dict(n=4000, emp=(1, 10), value_per_employee=9000, sow=(1.45, 5.8)),
    "plumbers_heating": dict(n=900, emp=(1, 15), value_per_employee=4500, sow=(1.1, 5.5)),
    "hvac": dict(n=450, emp=(2, 25), value_per_employee=6000, sow=(1.1, 5.5)),
    "industry": dict(n=500, emp=(10, 1200), median=6500, spread=1.25),
    "facility_management": dict(n=250, emp=(5, 600), median=5500, spread=1.15),
    "public_sector": dict(n=200, emp=(10, 2500), median=5500, spread=1.0),
    "retail_resellers": dict(n=160, emp=(2, 60), median=9000, spread=1.1),
}
_KEY_INDUSTRIES = ["industry", "facility_management", "installer_groups"]

# the method's sales threshold with its default assumptions (8,593.75 EUR a year)
_SALES_THRESHOLD = 110_000 / (200 * 4) * 5 / 0.08

# demanding key accounts (every fourth from the fifth largest): a margin cut
# by deep discounts, a high rebate and many extra visits a year
_DEMANDING_MARGIN_CUT = 0.09
_DEMANDING_EXTRA_VISITS = 25.0
# scorecard assessments every six months, the latest at the end date
_ASSESSMENT_ROUNDS = 4
# the small-customer programme: from PROGRAMME_START an inside rep manages a share of the active small
# customers; they order more often from then on, and most of the losses that would have followed do not happen
PROGRAMME_START = dt.date(2025, 1, 1)
_PROGRAMME_SHARE = 0.24
_PROGRAMME_UPLIFT = 0.40
_PROGRAMME_SAVED = 0.6
# the share of the other small customers whose competitor situation nobody has recorded
_UNQUALIFIED_SHARE = 0.35
# the sample's fixed costs: this share of the contribution margin of the last 12 months
_FIXED_COST_SHARE = 0.86

# installable value per employee and year for the homogeneous trades
POTENTIAL_PER_EMPLOYEE = {"electricians": 9000, "plumbers_heating": 4500, "hvac": 6000}

# share of the window revenue of the key accounts, largest first: the top
# account about 18 %, the top ten together about 45 %, all key accounts about 55 %
_TOP_SHARE = 0.185
_NEXT_NINE_SHARE = 0.28
_REST_KEY_SHARE = 0.075

# the supplier's estimated market share per segment (to derive the market volume)
_MARKET_SHARE = {
    "plumbers_heating": 0.09,
    "hvac": 0.12,
    "industry": 0.31,
    "facility_management": 0.34,
    "installer_groups": 0.38,
    "public_sector": 0.21,
    "retail_resellers": 0.26,
}

_PRODUCT_GROUPS = np.array(
    [
        "Kabel und Leitungen",
        "Installationsmaterial",
        "Schalter und Steckdosen",
        "Verteiler und Schutztechnik",
        "Beleuchtung",
        "Gebäudeautomation",
        "Photovoltaik und Speicher",
        "Heizung und Klima",
        "Werkzeug und Messtechnik",
        "Industrielle Steuerungstechnik",
    ]
)
# margin rate offset of each product group against the customer's rate
_PG_MARGIN_OFFSET = np.array([-0.06, 0.02, 0.05, -0.01, 0.04, 0.01, -0.04, 0.0, 0.03, -0.02])
# product group mix per buyer type (rows sum to 1 after normalising)
_PG_MIX = {
    "electricians": [22, 20, 14, 12, 12, 4, 7, 2, 6, 1],
    "plumbers_heating": [12, 14, 6, 5, 4, 3, 4, 42, 9, 1],
    "hvac": [15, 12, 4, 8, 3, 10, 5, 35, 5, 3],
    "industry": [22, 10, 3, 14, 10, 6, 3, 2, 8, 22],
    "facility_management": [14, 14, 10, 10, 24, 12, 3, 6, 5, 2],
    "public_sector": [12, 12, 10, 8, 30, 10, 8, 4, 4, 2],
    "retail_resellers": [10, 18, 24, 4, 28, 3, 2, 1, 10, 0],
    "installer_groups": [30, 18, 10, 16, 10, 6, 6, 2, 2, 0],
}

_SURNAMES = np.array(
    """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch
    Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann
    Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König
    Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel
    Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster
    Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß
    Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel
    Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer""".split()
)
_NAME_PATTERNS = {
    "electricians": (["Elektro", "Elektrotechnik", "Elektro-Service", "Elektroinstallation"],
                     ["", " GmbH", " e.K.", " & Sohn", " GmbH & Co. KG"]),
    "plumbers_heating": (["Sanitär", "Haustechnik", "Heizungsbau", "Bad & Heizung"],
                         ["", " GmbH", " e.K.", " & Söhne"]),
    "hvac": (["Klimatechnik", "Lüftungsbau", "Kältetechnik", "TGA"], [" GmbH", " GmbH & Co. KG", " e.K."]),
    "industry": (["Maschinenbau", "Metallwerk", "Kunststofftechnik", "Antriebstechnik", "Präzisionsteile"],
                 [" GmbH", " AG", " GmbH & Co. KG"]),
    "facility_management": (["Gebäudeservice", "Facility Services", "Objektmanagement", "Hausverwaltung"],
                            [" GmbH", " GmbH & Co. KG"]),
    "public_sector": (["Stadtwerke", "Gemeinde", "Kreisverwaltung", "Schulverband", "Klinikum"], [""]),
    "retail_resellers": (["Baumarkt", "Fachhandel", "Leuchtenhaus", "Elektrofachmarkt"], [" GmbH", " KG", " e.K."]),
}
_KEY_NAMES = np.array(
    """Rheinwerk Nordstahl Kraftwerk-Süd Alpenland Hansewerk Elbtal Mainkraft Weserland Donautal
    Harzmetall Ostseewerk Moselhütte Saarland Isarwerk Lahntal Ruhrkontor Spreewerk Neckarwerk
    Taunus Eifel Schwarzwald Allgäu Bodensee Emsland Vogtland Altmühl Frankenwerk Odenwald Sauerland
    Westerwald Hunsrück Rhön Fichtel Lausitz Uckermark Havelland Mecklenburg Pfalzwerk Kinzig
    Wetterau""".split()
)
_KEY_SUFFIX = {
    "industry": ["Industrie AG", "Werke GmbH", "Automotive GmbH", "Chemie AG"],
    "facility_management": ["Facility Services SE", "Immobilienservice GmbH", "Gebäudemanagement AG"],
    "installer_groups": ["Elektrotechnik Gruppe", "Montagegruppe GmbH", "Installationsgruppe AG"],
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _scaled(n_ref: int, customers: int, minimum: int = 1) -> int:
    return max(minimum, int(round(n_ref * customers / _REFERENCE_SIZE)))


def _start_of(end: dt.date, years: int) -> dt.date:
    """The first day of ``years`` full years ending at ``end``."""
    return (pd.Timestamp(end) - pd.DateOffset(years=years) + pd.Timedelta(days=1)).date()


def _day_weights(first: dt.date, last: dt.date) -> np.ndarray:
    """How busy each day is: workdays, weak August and Christmas, strong spring and autumn."""
    days = pd.date_range(first, last, freq="D")
    month_factor = np.array([0.85, 0.95, 1.12, 1.12, 1.08, 1.0, 0.95, 0.66, 1.1, 1.16, 1.12, 0.9])
    w = month_factor[days.month - 1]
    w = np.where(days.day_of_week == 5, w * 0.04, w)
    w = np.where(days.day_of_week == 6, 0.0, w)
    christmas = ((days.month == 12) & (days.day >= 22)) | ((days.month == 1) & (days.day <= 6))
    w = np.where(christmas, w * 0.3, w)
    month_day = days.month * 100 + days.day
    holiday = np.isin(month_day, [101, 501, 1003, 1224, 1225, 1226])
    w = np.where(holiday, 0.0, w)
    return w / w.max()


def _exp_integral(lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Integral of exp(g t) from lo to hi (zero where hi <= lo), t in years."""
    lo = np.asarray(lo, float)
    hi = np.maximum(np.asarray(hi, float), lo)
    g = np.asarray(g, float)
    small = np.abs(g) < 1e-9
    safe_g = np.where(small, 1.0, g)
    out = (np.exp(safe_g * hi) - np.exp(safe_g * lo)) / safe_g
    return np.where(small, hi - lo, out)


def _draw_times(lo: np.ndarray, hi: np.ndarray, g: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One time per row in [lo, hi] (years) with density proportional to exp(g t)."""
    u = rng.random(len(lo))
    small = np.abs(g) < 1e-9
    safe_g = np.where(small, 1.0, g)
    a = np.exp(safe_g * lo)
    b = np.exp(safe_g * hi)
    t = np.log(a + u * (b - a)) / safe_g
    return np.where(small, lo + u * (hi - lo), t)


def _pick(prob_rows: np.ndarray, row_index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each event, a category index drawn from the probability row of its owner."""
    cum = np.cumsum(prob_rows, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(row_index))
    return (u[:, None] > cum[row_index]).sum(axis=1)


def _next_open_day(days: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Move each day (days before the end, <= 0) forward to the next day the business is open.

    Days that would pass the end move back to the last open day instead.
    """
    n_days = len(weights)
    days = np.clip(days, -(n_days - 1), 0)
    for _ in range(7):  # never more than a long weekend plus a holiday
        closed = weights[days + n_days - 1] <= 0
        if not closed.any():
            break
        days = np.where(closed, np.minimum(days + 1, 0), days)
    last_open = np.flatnonzero(weights > 0)[-1] - (n_days - 1)
    closed = weights[days + n_days - 1] <= 0
    return np.where(closed, last_open, days)


class _Calendar:
    """Draws events (orders, visits, calls) on the supplier's business days."""

    def __init__(self, first: dt.date, last: dt.date, rng: np.random.Generator):
        self.weights = _day_weights(first, last)
        self.n_days = len(self.weights)
        self.span = self.n_days / 365.25
        self.rng = rng

    def events(self, rate_per_year, lo, hi, g=None):
        """Poisson events per owner at ``rate_per_year`` over [lo, hi] (years before the end).

        The rate follows exp(g t) over time and the day weights within the
        year; dividing by the mean weight keeps the yearly rate.
        Returns the owner index and the day (days before the end, <= 0) of
        each event, in no particular order.
        """
        rate = np.asarray(rate_per_year, float)
        g = np.zeros_like(rate) if g is None else np.asarray(g, float)
        lo = np.maximum(np.asarray(lo, float), -self.span)
        hi = np.minimum(np.asarray(hi, float), 0.0)
        # draw candidates at the peak rate, keep each with its day's weight
        expected = rate / self.weights.mean() * _exp_integral(lo, hi, g)
        counts = self.rng.poisson(np.maximum(expected, 0))
        owner = np.repeat(np.arange(len(counts)), counts)
        t = _draw_times(lo[owner], hi[owner], g[owner], self.rng)
        day = np.clip(np.floor(t * 365.25).astype(np.int64), -(self.n_days - 1), 0)
        keep = self.rng.random(len(day)) < self.weights[day + self.n_days - 1]
        return owner[keep], day[keep]


# --------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------
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
        np.where(is_key, extra.uniform(0.02, 0.04, n),
                 np.where((annual >= 50_000) & (extra.random(n) < 0.5), extra.uniform(0.005, 0.02, n), 0.0)),
    )

    # ------------------------------------------------------------------ orders
    calendar = _Calendar(first, end, rng)
    owner, day = calendar.events(freq, start, stop, growth)  # day: days before the end (<= 0)
    # the programme customers order more often from its start
    if managed.any():
        u_owner, u_day = _Calendar(first, end, prog).events(
            np.where(managed, freq * _PROGRAMME_UPLIFT, 0.0), np.maximum(start, t_prog), stop, growth)
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
    power_p = np.where(is_key, 0.8, np.where(np.isin(industry, ["industry", "public_sector", "retail_resellers"]), 0.3, 0.05))
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
        n=n, is_key=is_key, annual=annual, start=start, stop=stop, kind=kind, distance=distance,
        region=region, rep_no=rep_no, reps_per_region=reps_per_region, outside_rep=outside_rep,
        inside_rep=inside_rep, inside_names=inside_names, customer_id=customer_id, span=span,
        epoch=epoch, calendar=calendar, rng=rng,
    )

    # demanding key accounts also ask for far more visits
    extra_calendar = _Calendar(first, end, extra)
    x_owner, x_day = extra_calendar.events(np.where(demanding, _DEMANDING_EXTRA_VISITS, 0.0), start, stop)
    if len(x_owner):
        more = pd.DataFrame({
            "customer_id": customer_id[x_owner],
            "date": (epoch + x_day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "type": "visit",
            "rep": outside_rep[x_owner].astype(str),
            "team": "outside",
        })
        activities = pd.concat([activities, more], ignore_index=True)
        activities = activities.sort_values(["date", "customer_id", "rep"], kind="stable").reset_index(drop=True)

    assessments = _assessments(
        is_key=is_key, annual=annual, start=start, stop=stop, growth=growth, scores=scores,
        customer_id=customer_id, end=end, rng=extra,
    )

    market = _market(cust, orders, end)

    order = np.argsort(customer_id)
    cust = cust.iloc[order].reset_index(drop=True)
    return {"customers": cust, "orders": orders, "activities": activities, "market": market,
            "assessments": assessments}


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
            places = np.char.add(surname[m].astype(str), np.array(["hausen", "dorf", "feld", "heim", "stadt"])[
                rng.integers(0, 5, len(m))])
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


def _activities(*, n, is_key, annual, start, stop, kind, distance, region, rep_no, reps_per_region,
                outside_rep, inside_rep, inside_names, customer_id, span, epoch, calendar, rng) -> pd.DataFrame:
    """CRM entries: field visits, meetings, calls and emails."""
    threshold = _SALES_THRESHOLD
    lo_all = np.full(n, -span)

    # field visits: key accounts often, the larger small customers now and then,
    # most small customers rarely or not at all (and often not for years)
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


# --------------------------------------------------------------------------
# writing the export files
# --------------------------------------------------------------------------
def _params_yaml(names: dict[str, str], fixed_costs: float) -> str:
    order_map = "\n".join(f"      {k}: {v}" for k, v in ORDER_COLUMNS.items())
    customer_map = "\n".join(f"      {k}: {v}" for k, v in CUSTOMER_COLUMNS.items())
    potential = "\n".join(f"    {k}: {v}" for k, v in POTENTIAL_PER_EMPLOYEE.items())
    return f"""\
# Params of the synthetic example wholesaler "{CLIENT}".
# The files beside this one look like real exports: the ERP invoice lines as
# Parquet with German headers, the customer master as a semicolon CSV with
# decimal commas, the CRM activities, the market estimate and the scorecard
# assessments of the key accounts as plain CSV.

client: {CLIENT}
currency: EUR
reference_date: null          # null = the last invoice date in the data

data:
  orders: {names['orders']}        # ERP invoice lines (credit notes are negative)
  customers: {names['customers']}      # customer master from the CRM
  activities: {names['activities']}    # visits, calls, emails, meetings
  market: {names['market']}            # estimated market volume per segment
  assessments: {names['assessments']}  # scorecard assessments of the key accounts
  columns:                    # canonical name: column in the export
    orders:
{order_map}
    customers:
{customer_map}
  csv: {{delimiter: auto, decimal: auto, date_format: auto, encoding: auto}}

assumptions:
  abc: {{a: 0.80, b: 0.95}}      # cumulative revenue share limits of A and B
  outside_rep_annual_cost: 110000   # salary, social charges, car, travel, expenses
  working_days: 200
  visits_per_day: 4
  visits_per_customer_year: 5       # a customer needs 4 to 6 visits to feel looked after
  max_sales_cost_ratio: 0.08        # sales cost should stay below 8 % of revenue
  inside_rep_capacity: [350, 400, 450]   # customers per inside rep: low / mid / high
  inside_rep_annual_cost: 65000
  active_window_months: 24          # an order in this span makes a small customer worth managing
  programme_start: 2025-01-01       # the inside-sales team took over its small customers on this day
  potential_per_employee:           # installable value per employee and year (EUR)
{potential}
  fixed_costs: {fixed_costs:.0f}            # staff, warehouse, rent, IT: what the contribution margin must cover
"""


def write_sample(
    out_dir: str | os.PathLike,
    customers: int = 6500,
    years: int = 5,
    seed: int = 42,
    end: dt.date = DEFAULT_END,
) -> dict[str, Path]:
    """Generate the sample and write it as ERP/CRM exports plus ``params.yaml``.

    Each file is first written under a temporary name in ``out_dir`` and then
    moved into place, so a reader never sees half a file.

    Parameters
    ----------
    out_dir : str or path-like
        Target folder; created if missing. Existing sample files are replaced.
    customers, years, seed, end
        As in :func:`generate_sample`.

    Returns
    -------
    dict of str to pathlib.Path
        Paths of ``orders`` (Parquet), ``customers``, ``activities``,
        ``market``, ``assessments`` (CSV) and ``params`` (YAML). The
        scorecard assessments (``customer_id, date, partner_willingness,
        transparency, growth_potential``) are written in canonical names.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_sample(folder, customers=200, years=2)
    ...     sorted(p.name for p in paths.values())
    ['activities.csv', 'assessments.csv', 'customers.csv', 'market.csv', 'orders.parquet', 'params.yaml']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate_sample(customers=customers, years=years, seed=seed, end=end)
    names = {
        "orders": "orders.parquet",
        "customers": "customers.csv",
        "activities": "activities.csv",
        "market": "market.csv",
        "assessments": "assessments.csv",
    }
    paths = {k: out / v for k, v in names.items()}

    orders = tables["orders"]
    table = pa.table(
        {
            ORDER_COLUMNS["customer_id"]: pa.array(orders["customer_id"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["date"]: pa.array(orders["date"].dt.date.to_numpy(), pa.date32()),
            ORDER_COLUMNS["order_id"]: pa.array(orders["order_id"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["revenue"]: pa.array(orders["revenue"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["contribution_margin"]: pa.array(orders["contribution_margin"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["channel"]: pa.array(orders["channel"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["product_group"]: pa.array(orders["product_group"].to_numpy(str), pa.string()),
            ORDER_COLUMNS["discount"]: pa.array(orders["discount"].to_numpy(float), pa.float64()),
            ORDER_COLUMNS["rebate"]: pa.array(orders["rebate"].to_numpy(float), pa.float64()),
        }
    )
    atomic_write(paths["orders"], lambda tmp: pq.write_table(table, tmp, compression="zstd"))

    cust = tables["customers"].copy()
    cust["procurement_power"] = np.where(cust["procurement_power"], "true", "false")
    cust = cust.rename(columns=CUSTOMER_COLUMNS)
    atomic_write(
        paths["customers"],
        lambda tmp: cust.to_csv(tmp, sep=";", decimal=",", index=False, encoding="utf-8-sig"),
    )

    acts = tables["activities"].copy()
    acts["date"] = acts["date"].dt.strftime("%Y-%m-%d")
    atomic_write(paths["activities"], lambda tmp: acts.to_csv(tmp, index=False, encoding="utf-8"))

    market = tables["market"]
    atomic_write(
        paths["market"],
        lambda tmp: market.to_csv(tmp, index=False, encoding="utf-8", float_format="%.0f"),
    )

    assessments = tables["assessments"].copy()
    assessments["date"] = assessments["date"].dt.strftime("%Y-%m-%d")
    atomic_write(paths["assessments"], lambda tmp: assessments.to_csv(tmp, index=False, encoding="utf-8"))

    window = orders["date"] > pd.Timestamp(end) - pd.DateOffset(years=1)
    fixed_costs = round(float(orders.loc[window, "contribution_margin"].sum()) * _FIXED_COST_SHARE, -5)
    text = _params_yaml(names, fixed_costs)
    paths["params"] = out / "params.yaml"
    atomic_write(paths["params"], lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return paths
