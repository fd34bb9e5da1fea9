"""Numbers as a reader expects them: money with thousands separators and currency.

Two number formats: ``en`` (``1,234.56 EUR``, the default) and ``de``
(``1.234,56 €``). The params key ``number_format`` chooses one per client,
and it is passed in: each view reads ``workbook.params.number_format`` and
hands it on as ``style`` to every figure, table and chart it shows. Nothing
here remembers a format between calls.

Examples
--------
>>> money(1234.5)
'1,234.50 EUR'
>>> money(1234.5, "EUR", style="de")
'1.234,50 €'
>>> money(2_500_000, compact=True)
'2.5M EUR'
>>> share(0.1234)
'12.3 %'
>>> share(0.1234, style="de")
'12,3 %'
>>> date_text("2025-12-31", style="de"), date_text("2025-12-31")
('31.12.2025', '2025-12-31')
"""

from __future__ import annotations

import datetime as dt
import math

#: what a missing value shows
MISSING = "–"
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
STYLES = ("en", "de")


def _localise(text: str, style: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if style == "de" else text


def _missing(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NaTType", "NAType")


def capitalised(text: str) -> str:
    """``text`` with its first letter capitalised and the rest as written (unlike ``str.capitalize``).

    >>> capitalised("ABC class by margin"), capitalised("no field visit"), capitalised("")
    ('ABC class by margin', 'No field visit', '')
    """
    return text[:1].upper() + text[1:]


def currency_sign(currency: str = "EUR", style: str = "en") -> str:
    """How a currency is written after its amounts and in headers: ``de`` with its symbol, ``en`` with its code.

    >>> currency_sign("EUR", "de"), currency_sign("EUR"), currency_sign("CHF", "de")
    ('€', 'EUR', 'CHF')
    """
    return SYMBOLS.get(currency, currency) if style == "de" else currency


def money(value, currency: str = "EUR", style: str = "en", decimals: int = 2, compact: bool = False) -> str:
    """Format an amount; ``style="de"`` swaps the separators and uses the currency symbol."""
    if _missing(value):
        return "–"
    if compact:
        for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= size:
                text = f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
                break
        else:
            text = f"{value:.0f}"
    else:
        text = f"{value:,.{decimals}f}"
    if style == "de":
        return f"{_localise(text, style)} {currency_sign(currency, style)}"
    return f"{text} {currency}"


def share(value, decimals: int = 1, style: str = "en", signed: bool = False) -> str:
    """A fraction as a percentage; ``signed`` writes a plus before a rise.

    >>> share(0.374, 0, "de"), share(0.0123, style="de", signed=True), share(-0.05, 0, signed=True)
    ('37 %', '+1,2 %', '-5 %')
    """
    if _missing(value):
        return "–"
    sign = "+" if signed else ""
    return f"{_localise(f'{value * 100:{sign}.{decimals}f}', style)} %"


def count(value, style: str = "en") -> str:
    """A whole number with thousands separators."""
    if _missing(value):
        return "–"
    return _localise(f"{int(value):,}", style)


def part_of(value: int, total: int, noun: str, style: str = "en") -> str:
    """How many of a known whole there are, in words: a subset never reads like the whole.

    >>> part_of(3, 20, "key account"), part_of(20, 20, "key account"), part_of(1, 1, "key account")
    ('3 of the 20 key accounts', 'all 20 key accounts', 'the one key account')
    >>> part_of(2, 2, "key account"), part_of(1, 1200, "key account", "de")
    ('both key accounts', '1 of the 1.200 key accounts')
    """
    if int(total) == 1:
        return f"the one {noun}"
    if int(value) == int(total):
        return f"both {noun}s" if int(total) == 2 else f"all {count(total, style)} {noun}s"
    return f"{count(value, style)} of the {count(total, style)} {noun}s"


def number(value, decimals: int = 2, style: str = "en") -> str:
    """A plain number with thousands separators and ``decimals`` places."""
    if _missing(value):
        return "–"
    return _localise(f"{value:,.{decimals}f}", style)


def plain(value, style: str = "en", decimals: int = 2) -> str:
    """A number with no more decimals than it has (at most ``decimals``): 4, 4.5, 2.25.

    >>> plain(4.0), plain(4.5, "de"), plain(1234.0)
    ('4', '4,5', '1,234')
    """
    if _missing(value):
        return MISSING
    text = f"{round(float(value), decimals):,.{decimals}f}".rstrip("0").rstrip(".")
    return _localise(text, style)


def date_text(value, style: str = "en") -> str:
    """A day in the number format's style: ``de`` 31.12.2025, ``en`` 2025-12-31.

    >>> date_text(dt.date(2025, 12, 31), "de"), date_text("2025-12-31T00:00:00", "en")
    ('31.12.2025', '2025-12-31')
    """
    if _missing(value):
        return MISSING
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if hasattr(value, "date") and callable(value.date):  # a timestamp or datetime: its day
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    return value.strftime("%d.%m.%Y" if style == "de" else "%Y-%m-%d")


def styled(
    df,
    currency: str = "EUR",
    money_cols=(),
    share_cols=(),
    count_cols=(),
    style: str = "en",
    decimals: dict[str, int] | None = None,
):
    """A pandas Styler that shows money, shares, counts and plain numbers readably (index kept).

    ``decimals`` maps further columns to the decimals their numbers show.
    All formats are set at once: a second ``.format`` call on the result
    would reset the columns it does not name.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"rate": [0.1234], "score": [98.1]})
    >>> html = styled(df, share_cols=["rate"], decimals={"score": 0}, style="en").to_html()
    >>> "12.3 %" in html and ">98<" in html
    True
    """
    formats = {c: (lambda v, cur=currency: money(v, cur, style, decimals=0)) for c in money_cols if c in df}
    formats |= {c: (lambda v: share(v, style=style)) for c in share_cols if c in df}
    formats |= {c: (lambda v: count(v, style=style)) for c in count_cols if c in df}
    formats |= {c: (lambda v, d=d: number(v, d, style)) for c, d in (decimals or {}).items() if c in df}
    return df.style.format(formats)


class Numbers:
    """One client's way of writing numbers: its currency and its number format, bound once.

    A page that writes many figures takes one ``Numbers`` (from the params)
    instead of passing the currency and the style to every call.

    >>> de = Numbers("EUR", "de")
    >>> de.money(1234.5, decimals=0), de.share(0.1234), de.count(12345), de.date("2025-12-31")
    ('1.234 €', '12,3 %', '12.345', '31.12.2025')
    >>> Numbers().money(2_500_000, compact=True)
    '2.5M EUR'
    """

    def __init__(self, currency: str = "EUR", style: str = "en"):
        self.currency = currency
        self.style = style

    @classmethod
    def of(cls, params) -> Numbers:
        """The numbers of a client's params (``currency`` and ``number_format``)."""
        return cls(params.currency, getattr(params, "number_format", "en"))

    def money(self, value, decimals: int = 2, compact: bool = False) -> str:
        return money(value, self.currency, self.style, decimals, compact)

    def share(self, value, decimals: int = 1, signed: bool = False) -> str:
        return share(value, decimals, self.style, signed)

    @property
    def sign(self) -> str:
        """The currency as amounts show it (:func:`currency_sign`)."""
        return currency_sign(self.currency, self.style)

    def count(self, value) -> str:
        return count(value, self.style)

    def number(self, value, decimals: int = 2) -> str:
        return number(value, decimals, self.style)

    def date(self, value) -> str:
        """A day as the report writes it (:func:`date_text`: ``de`` 31.12.2025, ``en`` 2025-12-31)."""
        return date_text(value, self.style)
