"""Numbers as a reader expects them: money with thousands separators and currency.

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
"""
from __future__ import annotations

import math

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def money(value, currency: str = "EUR", style: str = "en", decimals: int = 2, compact: bool = False) -> str:
    """Format an amount; ``style="de"`` swaps the separators and uses the symbol."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
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
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return f"{text} {SYMBOLS.get(currency, currency)}"
    return f"{text} {currency}"


def share(value, decimals: int = 1) -> str:
    """A fraction as a percentage."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value * 100:.{decimals}f} %"


def count(value) -> str:
    """A whole number with thousands separators."""
    return f"{int(value):,}"


def styled(df, currency: str = "EUR", money_cols=(), share_cols=(), count_cols=(), style: str = "en"):
    """A pandas Styler that shows money, shares and counts readably (index kept)."""
    formats = {c: (lambda v, cur=currency: money(v, cur, style, decimals=0)) for c in money_cols if c in df}
    formats |= {c: share for c in share_cols if c in df}
    formats |= {c: (lambda v: "–" if v is None or v != v else f"{int(v):,}") for c in count_cols if c in df}
    return df.style.format(formats)
