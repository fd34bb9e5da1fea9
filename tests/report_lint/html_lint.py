"""The linter's reading of report.html: its tables, text, alt texts and number format."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from smartacct_helpers.intake.schema import SCHEMA
from smartacct_helpers.presentation.tables import (
    LANDSCAPE_CHARACTERS,
    LANDSCAPE_COLUMNS,
    MAX_COLUMNS,
    PAGE_CHARACTERS,
    WRAP_CHARACTERS,
    snake_case,
)

from .finding import RAW_VALUES, Finding

#: a number with more than three decimals (thousands groups have exactly three digits)
NOISE = re.compile(r"(?<![\d.,])\d+[.,]\d{4,}(?![\d])")
#: a share written with more than one decimal
SHARE_NOISE = re.compile(r"\d[.,]\d{2,}\s*%")
#: a number, as a table cell holds one ("1.234,5", "-8,594 EUR", "45.7 %", "31.12.2025", "month 7")
NUMERIC = re.compile(r"^(?:[-+−]?[\d.,\s]+(?:\s*(?:%|€|\$|£|EUR|USD|GBP|CHF|[a-z]+))?|\d{4}-\d{2}-\d{2})$")
#: alt texts that say nothing about the chart (nbconvert writes the first when a notebook gives none)
EMPTY_ALT = {"", "no description has been provided for this image", "image", "chart", "figure"}
#: what counts as a missing value or an empty cell
EMPTY = {"", "–", "-", "—"}


def _where(node: Tag, n: int) -> str:
    """Section and heading above a node, and the table's number in the report."""
    section = node.find_parent("section")
    heading = node.find_previous(["h1", "h2", "h3", "h4"])
    parts = [f"table {n}" if node.name == "table" else node.name]
    if section is not None and section.get("id"):
        parts.append(f"section {section['id']}")
    if heading is not None:
        parts.append(f"under '{heading.get_text(' ', strip=True)[:60]}'")
    return ", ".join(parts)


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _align(cell: Tag, first_left: bool) -> str:
    """The alignment a cell gets: its own style, class or align; else the style sheet's (right, or left for a
    first cell where the style sheet says ``td:first-child{text-align:left}``)."""
    style = (cell.get("style") or "").replace(" ", "")
    match = re.search(r"text-align:(left|right|center)", style)
    if match:
        return match.group(1)
    classes = set(cell.get("class") or [])
    if "text" in classes:
        return "left"
    if "num" in classes:
        return "right"
    if cell.get("align"):
        return cell["align"]
    if first_left and cell.find_previous_sibling(["td", "th"]) is None:
        return "left"
    return "right"


def _value_findings(value: str, where: str, header: str = "") -> list[Finding]:
    out = []
    if value in RAW_VALUES:
        out.append(Finding("raw value", where, f"'{value}' under '{header}'" if header else value))
    if snake_case(value):
        out.append(Finding("code name", where, value[:80]))
    if NOISE.search(value) or SHARE_NOISE.search(value) or ("%" in header and re.search(r"\d[.,]\d{2,}$", value)):
        out.append(Finding("float noise", where, f"{value[:60]} under '{header}'"))
    if value.endswith(("...", "…")):
        out.append(Finding("cut with '...'", where, value[:80]))
    return out


def _width(headers: list[str], columns: list[list[str]]) -> int:
    """Characters the columns need side by side: the widest value (text wraps), or the header over three lines."""
    total = 0
    for head, values in zip(headers, columns, strict=False):
        longest_word = max((len(w) for w in head.split()), default=0)
        widest = max((len(v) for v in values), default=0)
        if not all(NUMERIC.match(v) or v in EMPTY for v in values):
            widest = min(widest, max([WRAP_CHARACTERS] + [len(w) for v in values for w in v.split()]))
        total += max(longest_word, -(-len(head) // 3), widest) + 2
    return total


def _group_heading(row: Tag, n_columns: int) -> bool:
    """Whether a row is a heading over a group of rows: one cell spanning the table."""
    cells = row.find_all(["td", "th"])
    return len(cells) == 1 and int(cells[0].get("colspan", 1)) >= max(n_columns, 2)


def lint_table(table: Tag, where: str, first_left: bool = False) -> list[Finding]:
    """Everything wrong with one HTML table (``first_left``: the style sheet aligns first cells left)."""
    findings = []
    head_rows = table.find("thead").find_all("tr") if table.find("thead") else []
    bodies = table.find_all("tbody", recursive=False) or [table]
    rows = [r for body in bodies for r in body.find_all("tr", recursive=False) if r not in head_rows] or [
        r for r in table.find_all("tr") if r not in head_rows and not r.find_all("th")
    ]
    if not head_rows:
        first = table.find("tr")
        if first is not None and first.find_all("th") and not first.find_all("td"):
            head_rows = [first]
            rows = [r for r in rows if r is not first]
    if len(head_rows) > 1:
        findings.append(Finding("index row", where, f"{len(head_rows)} header rows"))
    headers = [_text(c) for c in head_rows[-1].find_all(["th", "td"])] if head_rows else []
    if any(h == "" for h in headers):
        findings.append(Finding("index row", where, "a header cell without words"))
    for h in headers:
        if snake_case(h):
            findings.append(Finding("code-name header", where, h))
        if h in RAW_VALUES:
            findings.append(Finding("raw value", where, f"header '{h}'"))
    columns: list[list[str]] = [[] for _ in headers]
    aligns: list[list[str]] = [[] for _ in headers]
    width = max([len(headers)] + [len(r.find_all(["td", "th"])) for r in rows])
    rows = [r for r in rows if not _group_heading(r, width)]
    for row in rows:
        if row.find("th"):
            findings.append(Finding("index column", where, f"row header '{_text(row.find('th'))[:40]}'"))
        for i, cell in enumerate(row.find_all(["td", "th"])):
            value = _text(cell)
            header = headers[i] if i < len(headers) else ""
            findings += _value_findings(value, where, header)
            if i < len(columns):
                columns[i].append(value)
                aligns[i].append(_align(cell, first_left))
    for i, head in enumerate(headers):
        words_right = [
            v
            for v, a in zip(columns[i], aligns[i], strict=False)
            if v not in EMPTY and not NUMERIC.match(v) and a == "right"
        ]
        if words_right:
            findings.append(Finding("text aligned right", where, f"column '{head}' ('{words_right[0][:40]}')"))
    most, room = (LANDSCAPE_COLUMNS, LANDSCAPE_CHARACTERS) if _wide(table) else (MAX_COLUMNS, PAGE_CHARACTERS)
    if len(headers) > most:
        findings.append(Finding("too wide", where, f"{len(headers)} columns (at most {most} fit the page)"))
    elif headers and _width(headers, columns) > room:
        findings.append(
            Finding("too wide", where, f"{_width(headers, columns)} characters side by side (at most {room})")
        )
    return findings


def _wide(table: Tag) -> bool:
    """Whether a table is marked to print on a landscape page (its box has the class ``wide``)."""
    return table.parent is not None and "wide" in (table.parent.get("class") or [])


#: under ``number_format: de``, a number written the English way: a decimal point (137.50, 0.7, 19.1 %; a German
#: thousands group has three digits after its point, a date a second point), thousands with commas (8,593 but
#: not the German decimals 0,049), a % glued to its number, the currency's code where the symbol belongs; a
#: section's number (05.1) is none of these
ENGLISH_NUMBER = re.compile(
    r"(?<![\d.,])(?:0|[1-9]\d*)\.\d{1,2}(?![\d.])"
    r"|(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])"
    r"|\d%"
    r"|(?<![A-Za-z])EUR(?![A-Za-z])"
)


def english_numbers(text: str) -> list[str]:
    """The numbers of ``text`` written the English way (for a report in ``number_format: de``).

    >>> english_numbers("19.1% of revenue, 8,593.75 EUR; 0,049 and 8.593,75 € on 31.12.2025 in 05.1")
    ['19.1', '8,593', 'EUR']
    >>> english_numbers("37% of them")
    ['7%']
    """
    return [m.group(0) for m in ENGLISH_NUMBER.finditer(text)]


def lint_number_format(soup) -> list[Finding]:
    """Under ``number_format: de`` (the report's ``number-format`` meta tag): English-style numbers in the text,
    the tables and the images' alt texts."""
    meta = soup.find("meta", attrs={"name": "number-format"})
    if meta is None or meta.get("content") != "de":
        return []
    findings = []
    for node in soup.find_all(string=True):
        if node.find_parent(["pre", "code", "style", "script", "title", "head"]):
            continue
        if english_numbers(str(node)):
            findings.append(Finding("English number format", _where(node.parent, 0), str(node).strip()[:80]))
    for n, image in enumerate(soup.find_all("img"), start=1):
        hits = english_numbers(image.get("alt") or "")
        if hits:
            findings.append(Finding("English number format", _where(image, n), f"alt text: {', '.join(hits)}"))
    return findings


#: the columns the client's files may carry: named in the text where a section says what it needs, like file names
DATA_COLUMNS = {column for required, optional in SCHEMA.values() for column in (*required, *optional)}


def _without_data_columns(text: str) -> str:
    return re.sub(r"\b[A-Za-z0-9_]+\b", lambda m: " " if m.group(0) in DATA_COLUMNS else m.group(0), text)


def lint_html(text: str) -> list[Finding]:
    """The findings in the HTML of a report (or of a snippet of one)."""
    soup = BeautifulSoup(text, "html.parser")
    findings_format = lint_number_format(soup)
    css = " ".join(s.get_text() for s in soup.find_all("style")).replace(" ", "")
    first_left = bool(re.search(r"td:first-child[^{]*\{[^}]*text-align:left", css))
    for hidden in soup(["style", "script", "head"]):
        hidden.decompose()
    findings = []
    for n, table in enumerate(soup.find_all("table"), start=1):
        findings += lint_table(table, _where(table, n), first_left)
    for n, image in enumerate(soup.find_all("img"), start=1):
        if (image.get("alt") or "").strip().lower() in EMPTY_ALT:
            findings.append(Finding("image without alt text", _where(image, n), f"image {n}"))
    for node in soup.find_all(string=True):
        if node.find_parent(["table", "pre"]):
            continue
        if snake_case(_without_data_columns(str(node))):  # a setting's name in the text, as code or not
            findings.append(Finding("code name", _where(node.parent, 0), str(node).strip()[:80]))
        if node.find_parent("code"):
            continue
        for word in re.findall(r"\b(?:nan|NaN|NaT)\b", str(node)):
            findings.append(Finding("raw value", _where(node.parent, 0), f"'{word}' in '{str(node).strip()[:60]}'"))
    return findings + findings_format


def report_sections(text: str) -> list[str]:
    """The titles of a report's sections, as its contents list them."""
    soup = BeautifulSoup(text, "html.parser")
    return [a.get_text(" ", strip=True) for a in soup.select(".toc a")]


def figure_groups(text: str) -> list[tuple[str, int]]:
    """The key figures' groups in a report.html: (heading, number of rows), in order."""
    soup = BeautifulSoup(text, "html.parser")
    groups: list[tuple[str, int]] = []
    for row in soup.select("table.figures tr"):
        if "group" in (row.get("class") or []):
            groups.append((row.get_text(" ", strip=True), 0))
        elif groups:
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
    return groups


def wide_tables(text: str) -> list[bool]:
    """Of each table in a report.html, in order, whether it is marked to print on a landscape page."""
    soup = BeautifulSoup(text, "html.parser")
    for hidden in soup(["style", "script", "head"]):
        hidden.decompose()
    return [_wide(t) for t in soup.find_all("table")]
