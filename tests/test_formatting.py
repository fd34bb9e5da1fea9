from smartacct_helpers.presentation.formatting import count, money, share


def test_money_styles():
    assert money(1234.56) == "1,234.56 EUR"
    assert money(1234.56, "EUR", style="de") == "1.234,56 €"
    assert money(-8593.75, "EUR", decimals=0) == "-8,594 EUR"
    assert money(108_000_000, compact=True) == "108M EUR"
    assert money(None) == "–"


def test_share_and_count():
    assert share(0.18) == "18.0 %"
    assert count(6500) == "6,500"
