"""A linter for the client's report: what a consultant would not hand over, found in report.html.

It reads a finished report.html and lists, with where it is:

* headers or values in code names (``revenue_12m``, ``plumbers_heating``), outside file names;
* raw values: ``nan``, ``None``, ``True``, ``False``, ``NaT``;
* float noise: a number with more than three decimals (``27.700000``), or a share with more than one;
* values cut with "..." (or "…");
* row numbers and index rows: a header cell inside the body of a table, more than one header row, a blank
  header;
* tables too wide for an A4 page (more columns, or more characters side by side, than the page holds);
* text columns right-aligned (the report's style sheet aligns cells right unless a table says otherwise);
* an Excel export named under a trimmed table that the report folder lacks;
* images without alt text (or with nbconvert's "No description has been provided for this image").

Use it from the tests (:func:`lint_html`, :func:`lint_folder`) or on a report folder::

    python -m tests.report_lint REPORT_FOLDER
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from smartacct_helpers.presentation.tables import MAX_COLUMNS, PAGE_CHARACTERS, WRAP_CHARACTERS, snake_case

#: values a reader must never see
RAW_VALUES = {"nan", "NaN", "None", "True", "False", "NaT", "<NA>", "inf", "-inf"}
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


@dataclass(frozen=True)
class Finding:
    """One thing in the report a client should not see."""

    kind: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.text}"


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
    body = table.find("tbody") or table
    rows = [r for r in body.find_all("tr", recursive=False) if r not in head_rows] or [
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
    if len(headers) > MAX_COLUMNS:
        findings.append(Finding("too wide", where, f"{len(headers)} columns (at most {MAX_COLUMNS} fit the page)"))
    elif headers and _width(headers, columns) > PAGE_CHARACTERS:
        findings.append(
            Finding(
                "too wide", where, f"{_width(headers, columns)} characters side by side (at most {PAGE_CHARACTERS})"
            )
        )
    return findings


def lint_html(text: str) -> list[Finding]:
    """The findings in the HTML of a report (or of a snippet of one)."""
    soup = BeautifulSoup(text, "html.parser")
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
        if node.find_parent(["table", "pre", "code"]):
            continue
        for word in re.findall(r"\b(?:nan|NaN|NaT)\b", str(node)):
            findings.append(Finding("raw value", _where(node.parent, 0), f"'{word}' in '{str(node).strip()[:60]}'"))
    return findings


def lint_folder(folder: Path) -> list[Finding]:
    """The findings in a report folder's report.html, and every Excel export a trimmed table names but the
    folder lacks."""
    text = (Path(folder) / "report.html").read_text(encoding="utf-8")
    findings = lint_html(text)
    for name in sorted(set(re.findall(r"in the Excel export ([\w.-]+\.xlsx)", text))):
        if not (Path(folder) / "exports" / name).exists():
            findings.append(Finding("export missing", "exports", f"{name} is named under a table but not written"))
    return findings


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.report_lint FOLDER``: print the findings, exit 1 if there are any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.report_lint REPORT_FOLDER", file=sys.stderr)
        return 2
    findings = lint_folder(Path(args[0]))
    for finding in findings:
        print(finding)
    print(f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
