from hypothesis import given
from hypothesis import strategies as st

from smartacct_helpers.business_case import headcount, headcount_by_capacity


def test_article_capacities():
    # 4,000 small customers: 4000/350 = 11.43 -> 12, 4000/400 = 10, 4000/450 = 8.89 -> 9
    assert headcount_by_capacity(4_000, [350, 400, 450]) == {"350": 12, "400": 10, "450": 9}


def test_zero_customers_need_nobody():
    assert headcount(0, 400) == 0


@given(st.integers(0, 100_000), st.integers(0, 1_000), st.integers(50, 1_000), st.integers(0, 500))
def test_headcount_never_falls_with_more_customers_or_less_capacity(customers, more, capacity, less):
    assert headcount(customers + more, capacity) >= headcount(customers, capacity)
    assert headcount(customers, max(capacity - less, 1)) >= headcount(customers, capacity)
    # and it is enough: nobody manages more than the capacity
    assert headcount(customers, capacity) * capacity >= customers
