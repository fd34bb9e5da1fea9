"""The shape of Sample Elektro GmbH: its size, regions, industries, channels, prices and names.

Counts are for 6,500 customers and scale with the requested size
(:func:`smartacct_helpers.sample.draws._scaled`). Per industry: n customers
at the reference size and the employee range. Trades with
``value_per_employee`` buy employees x value x share of wallet (the share
drawn from a beta distribution with parameters ``sow``); the other industries
buy a log-normal annual revenue with the given median and spread, a little
more for larger firms.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

CLIENT = "Sample Elektro GmbH"
DEFAULT_END = dt.date(2025, 12, 31)

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
    [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hofmann",
        "Hartmann",
        "Lange",
        "Schmitt",
        "Werner",
        "Schmitz",
        "Krause",
        "Meier",
        "Lehmann",
        "Schmid",
        "Schulze",
        "Maier",
        "Köhler",
        "Herrmann",
        "König",
        "Walter",
        "Mayer",
        "Huber",
        "Kaiser",
        "Fuchs",
        "Peters",
        "Lang",
        "Scholz",
        "Möller",
        "Weiß",
        "Jung",
        "Hahn",
        "Schubert",
        "Vogel",
        "Friedrich",
        "Keller",
        "Günther",
        "Frank",
        "Berger",
        "Winkler",
        "Roth",
        "Beck",
        "Lorenz",
        "Baumann",
        "Franke",
        "Albrecht",
        "Schuster",
        "Simon",
        "Ludwig",
        "Böhm",
        "Winter",
        "Kraus",
        "Martin",
        "Schumacher",
        "Krämer",
        "Vogt",
        "Stein",
        "Jäger",
        "Otto",
        "Sommer",
        "Groß",
        "Seidel",
        "Heinrich",
        "Brandt",
        "Haas",
        "Schreiber",
        "Graf",
        "Schulte",
        "Dietrich",
        "Ziegler",
        "Kuhn",
        "Kühn",
        "Pohl",
        "Engel",
        "Horn",
        "Busch",
        "Bergmann",
        "Thomas",
        "Voigt",
        "Sauer",
        "Arnold",
        "Wolff",
        "Pfeiffer",
    ]
)
_NAME_PATTERNS = {
    "electricians": (
        ["Elektro", "Elektrotechnik", "Elektro-Service", "Elektroinstallation"],
        ["", " GmbH", " e.K.", " & Sohn", " GmbH & Co. KG"],
    ),
    "plumbers_heating": (
        ["Sanitär", "Haustechnik", "Heizungsbau", "Bad & Heizung"],
        ["", " GmbH", " e.K.", " & Söhne"],
    ),
    "hvac": (["Klimatechnik", "Lüftungsbau", "Kältetechnik", "TGA"], [" GmbH", " GmbH & Co. KG", " e.K."]),
    "industry": (
        ["Maschinenbau", "Metallwerk", "Kunststofftechnik", "Antriebstechnik", "Präzisionsteile"],
        [" GmbH", " AG", " GmbH & Co. KG"],
    ),
    "facility_management": (
        ["Gebäudeservice", "Facility Services", "Objektmanagement", "Hausverwaltung"],
        [" GmbH", " GmbH & Co. KG"],
    ),
    "public_sector": (["Stadtwerke", "Gemeinde", "Kreisverwaltung", "Schulverband", "Klinikum"], [""]),
    "retail_resellers": (["Baumarkt", "Fachhandel", "Leuchtenhaus", "Elektrofachmarkt"], [" GmbH", " KG", " e.K."]),
}
_KEY_NAMES = np.array(
    [
        "Rheinwerk",
        "Nordstahl",
        "Kraftwerk-Süd",
        "Alpenland",
        "Hansewerk",
        "Elbtal",
        "Mainkraft",
        "Weserland",
        "Donautal",
        "Harzmetall",
        "Ostseewerk",
        "Moselhütte",
        "Saarland",
        "Isarwerk",
        "Lahntal",
        "Ruhrkontor",
        "Spreewerk",
        "Neckarwerk",
        "Taunus",
        "Eifel",
        "Schwarzwald",
        "Allgäu",
        "Bodensee",
        "Emsland",
        "Vogtland",
        "Altmühl",
        "Frankenwerk",
        "Odenwald",
        "Sauerland",
        "Westerwald",
        "Hunsrück",
        "Rhön",
        "Fichtel",
        "Lausitz",
        "Uckermark",
        "Havelland",
        "Mecklenburg",
        "Pfalzwerk",
        "Kinzig",
        "Wetterau",
    ]
)
_KEY_SUFFIX = {
    "industry": ["Industrie AG", "Werke GmbH", "Automotive GmbH", "Chemie AG"],
    "facility_management": ["Facility Services SE", "Immobilienservice GmbH", "Gebäudemanagement AG"],
    "installer_groups": ["Elektrotechnik Gruppe", "Montagegruppe GmbH", "Installationsgruppe AG"],
}
