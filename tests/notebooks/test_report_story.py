"""The finished sample report tells one story: each headline number is the same wherever it is shown.

The report is read as a client reads it (its visible text, section by section); each concept's number is
taken from the words next to it ("4.320 customers to manage", "Key accounts 20") and must be the same in every
section that shows it, and the same as in summary.json. A subset is shown with its own words ("Of the 4.320
customers to manage, 4.030 go to inside sales"), which these patterns do not read as the concept itself.
"""

from __future__ import annotations

import html
import json
import re

import pytest

pytestmark = pytest.mark.notebooks

#: a whole number in the sample's number format (de: 4.320), not part of a decimal (10,1) or a longer number
NUMBER = r"(?<![\d,.])(\d{1,3}(?:\.\d{3})+|\d+)(?!\d|,\d)"

#: concept -> patterns whose first group is that concept's number, as the report words it
HEADLINES = {
    "customers_to_manage": [
        r"(?<!small )" + NUMBER + r" customers to manage",
        r"Of these, to manage \(ordered in the active window\) " + NUMBER,
        r"of these, " + NUMBER + r" ordered in the active window",
        r"Of the " + NUMBER + r" customers to manage",
        r"(?<!small )customers to manage " + NUMBER,
    ],
    "customers_below_threshold": [
        r"Customers below the threshold " + NUMBER,
        NUMBER + r" customers(?: \([\d,]+ %\))? buy less",
        NUMBER + r" of [\d.]+ customers \([\d,]+ %\) fall below the threshold",
        r"flat threshold: " + NUMBER,
    ],
    "key_accounts": [
        r"(?<![Oo]f the )(?<!\d)" + NUMBER + r" key accounts\b(?! with)",
        r"Of the " + NUMBER + r" key accounts",
        r"Key accounts " + NUMBER + r"\b",
    ],
    "a_customers": [
        NUMBER + r" A customers(?! \(large)",
    ],
    "inside_sales_reps": [
        r"(?<!pilot )team of " + NUMBER + r" reps\b",
        r"the full rollout(?: in the business case(?: \(notebook 04\))?)? needs " + NUMBER,
        r"Base case, internal team, 400 customers per rep: " + NUMBER + r" reps",
        r"The " + NUMBER + r" inside reps of the base case",
        NUMBER + r" inside reps would cost",
        r"decide on the \w+ team of " + NUMBER + r" inside reps",
    ],
    "pilot_team_reps": [
        r"pilot team of " + NUMBER + r" (?:inside )?reps",
    ],
}


def _value(text: str) -> int:
    return int(text.replace(".", ""))


def _sections(report_html: str) -> dict[str, str]:
    """The visible text of the executive summary and of each notebook's section."""
    parts = re.split(r"<section class='notebook' id='(nb\d+)'>", report_html)
    out = {"summary": parts[0]}
    out |= {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    for key, text in out.items():
        text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        out[key] = re.sub(r"\s+", " ", text.replace("*", ""))
    return out


def headline_numbers(report_html: str) -> dict[str, dict[str, set[int]]]:
    """concept -> section -> the numbers shown for it there."""
    found: dict[str, dict[str, set[int]]] = {}
    for section, text in _sections(report_html).items():
        for concept, patterns in HEADLINES.items():
            for pattern in patterns:
                for match in re.finditer(pattern, text):
                    found.setdefault(concept, {}).setdefault(section, set()).add(_value(match.group(1)))
    return found


def test_the_patterns_read_the_numbers_next_to_their_labels():
    page = (
        "<p>Of the 4.320 customers to manage, 4.030 go to inside sales; 5.277 customers (81,2 %) buy less.</p>"
        "<section class='notebook' id='nb5'><p>Of the 20 key accounts, 9 go into the programme. Key accounts "
        "with high competitor activity: 7. There are 838 A customers.</p></section>"
    )
    assert headline_numbers(page) == {
        "customers_to_manage": {"summary": {4320}},
        "customers_below_threshold": {"summary": {5277}},
        "key_accounts": {"nb5": {20}},
        "a_customers": {"nb5": {838}},
    }


def test_each_headline_number_is_the_same_in_every_section(sample_report):
    report = (sample_report / "report.html").read_text(encoding="utf-8")
    summary = json.loads((sample_report / "summary.json").read_text(encoding="utf-8"))
    found = headline_numbers(report)
    expected = {
        "customers_to_manage": summary["customers_to_manage"],
        "customers_below_threshold": summary["customers_below_threshold"],
        "key_accounts": summary["key_accounts"],
        "a_customers": summary["abc_counts"]["A"],
        # the business case's team: the customers to manage at the middle capacity of 400 per rep
        "inside_sales_reps": summary["inside_sales_headcount"]["400"],
    }
    for concept, value in expected.items():
        shown = found.get(concept, {})
        # the summary and at least one notebook show each of these, or the test would prove nothing
        assert "summary" in shown and len(shown) >= 2, (concept, shown)
        wrong = {section: numbers for section, numbers in shown.items() if numbers != {value}}
        assert not wrong, f"{concept} is {value} in summary.json but {wrong} in the report"
    # the pilot team is one number too, in the storyline, 04 and 07, and smaller than the full rollout
    pilot = found["pilot_team_reps"]
    assert len(pilot) >= 2 and len(set().union(*pilot.values())) == 1, pilot
    assert next(iter(set().union(*pilot.values()))) < expected["inside_sales_reps"]


def test_the_costs_of_field_management_read_the_same_wherever_the_report_shows_them(sample_report):
    """Every table, sentence and chart description writes them to the cent, as the executive summary does.

    The sample's assumptions: 110,000 / (200 days x 4 visits) = 137.50 a visit; x 5 visits = 687.50 a customer
    and year; / 8 % = 8,593.75 of revenue a year (de: 137,50 / 687,50 / 8.593,75). Rounded to whole euros they
    would read 688 and 8.594, which is what a second place must not show.
    """
    report = (sample_report / "report.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", report, flags=re.S)))
    alts = " ".join(html.unescape(a) for a in re.findall(r'alt="([^"]*)"', report))
    for shown in (text, alts):
        assert not re.search(r"(?<![\d.,])(8\.594|688)(?![\d.,])", shown), "a rounded threshold or management cost"
    assert text.count("8.593,75") >= 4 and "8.593,75" in alts
    assert text.count("687,50") >= 2
