"""The pieces the views are built from: key figures as cards, readable tables, the files written.

A view (each room's ``views.py``) returns a list of things to display; these
helpers make the parts every room shows the same way.
"""

from __future__ import annotations

from IPython.display import HTML, Markdown


def headline(items: list[tuple[str, str]]) -> HTML:
    """A row of key figures as cards."""
    cards = "".join(
        "<div style='display:inline-block;min-width:150px;margin:0 12px 10px 0;padding:8px 12px;"
        "border-left:4px solid #1f4e79;background:#f3f6fa'>"
        f"<div style='font-size:0.8em;color:#555'>{label}</div>"
        f"<div style='font-size:1.3em;font-weight:bold;color:#1f4e79'>{value}</div></div>"
        for label, value in items
    )
    return HTML(f"<div class='smartacct-cards'>{cards}</div>")


def history_span(workbook) -> str:
    """How far the orders reach, in words: "the orders span 13 months (from 2010-12-01)"."""
    from ..facts.coverage import data_coverage
    from .formatting import count, date_text

    span = data_coverage(workbook)
    if not span["first_date"]:
        return "the data holds no orders"
    style = workbook.params.number_format
    return f"the orders span {count(span['months'], style=style)} months (from {date_text(span['first_date'], style)})"


def readable(frame):
    """``frame`` for a reader: text columns without any value left out, a missing text as "–".

    >>> import pandas as pd
    >>> readable(pd.DataFrame({"customer_id": ["1", "2"], "industry": [None, None], "name": ["Abt", None]})).to_dict("list")
    {'customer_id': ['1', '2'], 'name': ['Abt', '–']}
    """
    from ..facts.concepts import has_values

    text = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("string", "str")]
    empty = [c for c in text if c != "customer_id" and not has_values(frame, c)]
    out = frame.drop(columns=empty)
    for c in text:
        if c not in empty and out[c].isna().any():
            out[c] = out[c].astype(object).where(out[c].notna(), "–")
    return out


def written(paths) -> list:
    """The sentence naming the files an export wrote."""
    return [Markdown("Written: " + ", ".join(f"`{p.name}`" for p in paths))]
