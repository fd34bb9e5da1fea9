"""The worklists carry whom to call: the master's contact person, phone and e-mail, where it has them."""

import openpyxl
import pandas as pd

from smartacct_helpers.delivery.client_exports import with_contacts, write_worklists

MASTER = pd.DataFrame(
    {
        "customer_id": ["001", "002", "003"],
        "contact_person": ["Anna Becker", None, "Jan Koch"],
        "phone": ["+49 30 1234567", "+49 89 7654321", None],
        "email": [None, None, None],  # a column the master leaves empty stays out
    }
)


def test_a_call_list_carries_the_contacts_after_the_name(tmp_path):
    calls = pd.DataFrame(
        {"customer_id": ["003", "001"], "name": ["Koch Bau", "Becker Elektro"], "risk_score": [80.0, 60.0]}
    )
    listed = with_contacts(calls, MASTER)
    assert list(listed.columns) == ["customer_id", "name", "contact_person", "phone", "risk_score"]
    assert listed["contact_person"].tolist() == ["Jan Koch", "Anna Becker"]
    assert listed["phone"].tolist() == [None, "+49 30 1234567"]
    path = write_worklists({"Innendienst 1": listed}, tmp_path, currency="EUR", style="de")
    rows = list(openpyxl.load_workbook(path)["Innendienst 1"].values)
    assert rows[0] == ("Customer number", "Customer", "Contact person", "Phone", "Risk (score 0-100)")
    assert rows[1] == ("003", "Koch Bau", "Jan Koch", None, 80)


def test_without_contacts_in_the_master_the_list_stays_as_it_is():
    calls = pd.DataFrame({"customer_id": ["1"], "name": ["A"]})
    assert with_contacts(calls, MASTER[["customer_id"]]) is calls
    assert with_contacts(calls, None) is calls
