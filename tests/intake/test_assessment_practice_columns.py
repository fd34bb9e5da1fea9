"""The assessments' optional columns of the key-account practice: the seven strategies and the supplier's own side."""

from __future__ import annotations

import pandas as pd
import pytest

from smartacct_helpers.exceptions import InputDataError
from tests.intake.test_tables import files, tables_for  # noqa: F401  (the fixture of copied intake files)

HEADER = (
    "customer_id;date;partner_willingness;single_point_of_contact;pricing_incentives;integrated_inventory_billing;"
    "supplier_partner_willingness;supplier_transparency;supplier_growth_contribution\n"
)


def test_strategies_in_words_and_the_suppliers_scores(files):  # noqa: F811
    (files / "assessments.csv").write_text(
        HEADER + "00042;01.07.2025;4;ja;Nein;x;3;;5\n00042;01.12.2025;;yes;;0;2;2;2\n", encoding="utf-8"
    )
    a = tables_for(files, {"orders": "orders.parquet", "assessments": "assessments.csv"}).assessments
    # ja, yes and x are yes; Nein and 0 are no; an empty cell is not rated
    assert a["single_point_of_contact"].tolist() == [True, True]
    assert a["pricing_incentives"].tolist() == [False, pd.NA]
    assert a["integrated_inventory_billing"].tolist() == [True, False]
    assert str(a["supplier_partner_willingness"].dtype) == "Int64"
    assert a["supplier_transparency"].tolist() == [pd.NA, 2]
    assert a["supplier_growth_contribution"].tolist() == [5, 2]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("00042;01.07.2025;4;vielleicht;ja;ja;3;3;3", "single_point_of_contact", "expected true or false"),
        ("00042;01.07.2025;4;ja;ja;ja;3;6;3", "supplier_transparency", "expected a score from 1 to 5"),
    ],
)
def test_a_bad_value_names_file_row_and_column(files, row, column, message):  # noqa: F811
    (files / "assessments.csv").write_text(HEADER + row + "\n", encoding="utf-8")
    before = (files / "assessments.csv").read_bytes()
    with pytest.raises(InputDataError) as err:
        tables_for(files, {"orders": "orders.parquet", "assessments": "assessments.csv"})
    assert f"assessments.csv, row 2, column '{column}': {message}" in str(err.value)
    assert (files / "assessments.csv").read_bytes() == before  # the input is left as it was
