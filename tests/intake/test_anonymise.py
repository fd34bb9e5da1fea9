"""anonymise: true leaves no real customer name or id in any output file."""

import html
import re
import zipfile
from pathlib import Path

import pandas as pd

from smartacct_helpers.delivery.report import build_report
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.intake.anonymise import customer_aliases


def test_aliases_are_distinct_stable_and_independent_of_order():
    ids = pd.Series([f"{i:06d}" for i in range(1, 2001)])
    a = customer_aliases(ids, "Client")
    assert a.is_unique and len(a) == 2000
    assert customer_aliases(ids.sample(frac=1, random_state=1), "Client").sort_index().equals(a.sort_index())
    # another client (or other data) numbers the customers differently
    assert not customer_aliases(ids, "Other client").sort_index().equals(a.sort_index())
    assert set(a.index) & set(a.values) == set()


def test_same_customer_same_alias_in_every_table(small_sample):
    real = Workbook.open(small_sample)
    anon = Workbook.open(small_sample, {"anonymise": True})
    # the same customer keeps its revenue, under its alias, in the facts of both
    mapping = dict(zip(real.tables.customers["customer_id"], anon.tables.customers["customer_id"], strict=True))
    real_rev = real.customers.set_index("customer_id")["revenue_12m"].rename(index=mapping).sort_index()
    anon_rev = anon.customers.set_index("customer_id")["revenue_12m"].sort_index()
    pd.testing.assert_series_equal(real_rev, anon_rev)
    assert set(anon.tables.orders["customer_id"]) <= set(anon.tables.customers["customer_id"])
    assert set(anon.tables.activities["customer_id"]) <= set(anon.tables.customers["customer_id"])
    assert (anon.tables.customers["name"] == "Customer " + anon.tables.customers["customer_id"]).all()


def _texts(folder: Path):
    """Every output file's text; Excel files by their XML parts; pictures left out."""
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix in (".pdf", ".png"):
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    if part.endswith(".xml"):
                        yield f"{path.name}:{part}", z.read(part).decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            yield path.name, re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", text)


def test_no_real_name_or_id_in_any_output(small_sample, tmp_path):
    params = small_sample.parent / "params_anonymous.yaml"
    params.write_text(small_sample.read_text(encoding="utf-8") + "\nanonymise: true\n", encoding="utf-8")
    real = Workbook.open(small_sample).tables.customers
    names = [n for n in real["name"].dropna().unique() if len(n) > 4]
    ids = list(real["customer_id"])
    folder = build_report(params, tmp_path)
    found = []
    for where, text in _texts(folder):
        text = re.sub(r'"image/png": "[^"]*"', "", text)
        plain = html.unescape(text)
        for name in names:
            if name in plain or name in text:
                found.append((where, name))
        for cid in ids:
            if re.search(rf"(?<![\d.,]){cid}(?![\d])", plain):
                found.append((where, cid))
    assert not found, found[:10]
    assert any("C-0" in text for _, text in _texts(folder))  # the aliases are there instead
