"""The Arrow lookups of customer ids: the same answers as pandas' ``isin`` and ``map``."""

import numpy as np
import pandas as pd

from smartacct_helpers.arrow import isin, looked_up
from smartacct_helpers.intake.schema import LazyTables


def test_isin_finds_known_ids_and_never_a_missing_one():
    found = isin(pd.Series(["7", "9", None, "8"], dtype="str"), ["7", "8"])
    assert found.tolist() == [True, False, False, True]


def test_looked_up_keeps_the_keys_index_and_leaves_unknown_ids_missing():
    # keys indexed 5, 6, 7: "7" -> small, "9" unknown -> missing, "7" again -> small
    keys = pd.Series(["7", "9", "7"], index=[5, 6, 7], dtype="str")
    segments = pd.Series(["small", "field"], index=pd.Index(["7", "8"], dtype="str"), dtype="str")
    got = looked_up(keys, segments)
    assert got.index.tolist() == [5, 6, 7]
    assert got[5] == "small" and got[7] == "small" and pd.isna(got[6])


def test_looked_up_gives_what_map_gives_for_numbers_and_days():
    keys = pd.Series(["3", "1", "2", "4"], dtype="str")
    peak = pd.Series([10.0, 20.0, 30.0], index=["1", "2", "3"])
    assert np.array_equal(looked_up(keys, peak).to_numpy(), [30.0, 10.0, 20.0, np.nan], equal_nan=True)
    days = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-01"]), index=["1", "2"])
    got = looked_up(keys, days)
    assert got.tolist()[1:3] == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert got.isna().tolist() == [True, False, False, True]


def test_looked_up_falls_back_to_pandas_for_mixed_keys():
    # an int key among strings: Arrow cannot hold them in one array, pandas compares one by one
    got = looked_up(pd.Series(["1", 2], dtype=object), pd.Series(["a", "b"], index=["1", 2]))
    assert got.tolist() == ["a", "b"]


class _Counted(LazyTables):
    """Lazy tables that count their reads (at module level, so that pickle finds the class)."""

    reads = 0

    def _read(self, table):
        _Counted.reads += 1
        return pd.DataFrame({"customer_id": ["7"] * 3})


def test_a_pickled_lazy_table_reads_its_lines_again_instead_of_carrying_them():
    import pickle

    tables = _Counted(customers=pd.DataFrame({"customer_id": ["7"]}))
    assert len(tables.orders) == 3 and tables.is_read("orders") and _Counted.reads == 1
    copy = pickle.loads(pickle.dumps(tables))
    assert not copy.is_read("orders")
    assert list(copy.customers["customer_id"]) == ["7"]
    assert len(copy.orders) == 3 and _Counted.reads == 2  # read on first use, as by the original


def test_positions_by_hand():
    from smartacct_helpers.arrow import positions

    # "8" is second, "x" nowhere, "7" first; mixed types go to pandas and give the same answer
    assert positions(pd.Series(["8", "x", "7"]), pd.Index(["7", "8"])).tolist() == [1, -1, 0]
    assert positions([8, "x", 7], pd.Index([7, 8, "y"])).tolist() == [1, -1, 0]


def test_labelled_writes_the_text_of_each_code_on_its_row():
    from smartacct_helpers.arrow import labelled

    out = labelled(np.array([2, 0, 2, 1]), ["field", "small", "lapsed"], index=pd.Index([10, 11, 12, 13]))
    assert out.tolist() == ["lapsed", "field", "lapsed", "small"]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.dtype == "str"  # the same column pandas makes of text, not objects
    assert out.equals(pd.Series(["lapsed", "field", "lapsed", "small"], index=[10, 11, 12, 13], dtype="str"))


def test_customer_attributes_on_the_lines_are_read_only_where_mapped():
    from smartacct_helpers.intake.schema import match_columns

    problems = []
    found = match_columns(
        ["customer_id", "date", "revenue", "region", "Branche"],
        "orders",
        {"industry": "Branche"},
        "orders.csv",
        problems,
    )
    # region is a customer attribute, found on invoice lines only when the params map it
    assert found == {"industry": "Branche", "customer_id": "customer_id", "date": "date", "revenue": "revenue"}
    assert problems == []
    match_columns(
        ["customer_id", "Branche"], "customers", {"industry": "Branche", "umsatz": "Branche"}, "c.csv", problems
    )
    assert len(problems) == 1 and "maps 'umsatz'" in problems[0].message


def test_quantity_and_unit_price_stand_in_for_the_revenue():
    from smartacct_helpers.intake.schema import match_columns

    problems = []
    found = match_columns(
        ["customer_id", "date", "Qty", "Price"], "orders", {"quantity": "Qty", "unit_price": "Price"}, "o.csv", problems
    )
    assert problems == [] and found["quantity"] == "Qty" and "revenue" not in found
    match_columns(["customer_id", "date", "Qty"], "orders", {"quantity": "Qty"}, "o.csv", problems)
    assert [p.column for p in problems] == ["revenue"]
    assert "or map quantity and unit_price" in problems[0].message
