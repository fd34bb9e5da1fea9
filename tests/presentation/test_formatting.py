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


def test_two_clients_in_one_process_each_keep_their_number_format(small_sample):
    # the number format is the workbook's own: opening a German client's workbook changes nobody else's figures
    from smartacct_helpers.facts.workbook import Workbook
    from smartacct_helpers.small_customers.views import sales_threshold

    english = Workbook.open(small_sample, {"number_format": "en"})
    german = Workbook.open(small_sample, {"number_format": "de"})
    # 110,000 / (200 x 4) = 137.50 per visit; x 5 visits = 687.50; / 0.08 = 8,593.75
    assert "**137.50 EUR**" in sales_threshold(english)[0].data
    assert "**137,50 €**" in sales_threshold(german)[0].data
    assert "**8,593.75 EUR** revenue" in sales_threshold(english)[0].data
    assert "**8.593,75 €** revenue" in sales_threshold(german)[0].data
