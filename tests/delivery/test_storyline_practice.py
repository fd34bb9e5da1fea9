"""Page one's finding on the key-account practice: accounts without an exit barrier, discounts given back.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from smartacct_helpers.delivery.storyline import _practice_finding, practice_story
from smartacct_helpers.presentation.formatting import Numbers
from tests.key_accounts.test_practice import DISCOUNTS, LINES, workbook


def test_a_key_account_without_any_exit_barrier_is_named():
    # x, y, z are all among the 20 largest. y: a customer for 244 days (< 3 years), 1 of the 4 product groups
    # (25 % < 50 %), strategies not rated: 0 of the 2 barriers judged. x: long and broad (2); z: long (1)
    story = practice_story(workbook(LINES))
    assert story == {"without_barriers": ["y"], "discount": None}  # the orders hold no discount


def test_discounts_rising_faster_than_the_rests_are_named_and_unknown_barriers_are_not_none():
    # x alone is the key account (800 of 1,270 in 2025 = 63 % >= 50 %, no top N): 10 % -> 20 % against the
    # rest's 5 % -> 6 %. x's first order is the data's first day and less than 3 years ago, no product group,
    # no strategies: no barrier can be judged, so x is not said to have none
    story = practice_story(workbook(DISCOUNTS, key_account_top_n=0, key_account_min_share=0.5))
    assert story["without_barriers"] == []
    assert story["discount"]["key_first"] == 0.1 and story["discount"]["key_last"] == 0.2
    text = _practice_finding({"key_account_practice": story}, Numbers("EUR", "de"))
    assert text == (
        " The key accounts' discount rose from 10,0 % to 20,0 %, faster than the other customers' "
        "(5,0 % to 6,0 %): efficiency given back as price cuts."
    )
    # the rest's rising by more (5 % -> 16 %, +11 points against +10) says nothing
    quiet = workbook(
        DISCOUNTS.assign(discount=[100.0, 25.0, 200.0, 89.5]), key_account_top_n=0, key_account_min_share=0.5
    )
    # y in 2025: 89.5 / (470 + 89.5) = 16.0 %
    assert practice_story(quiet)["discount"] is None


def test_nothing_to_say_adds_nothing_and_names_are_escaped():
    assert _practice_finding({}, Numbers()) == ""
    assert _practice_finding({"key_account_practice": {"without_barriers": [], "discount": None}}, Numbers()) == ""
    two = _practice_finding({"key_account_practice": {"without_barriers": ["A & B", "C"], "discount": None}}, Numbers())
    assert two == " 2 key accounts (A &amp; B, C) show none of the exit barriers the data can judge."
