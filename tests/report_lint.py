"""A linter for the client's report: what a consultant would not hand over, found in report.html.

It reads a finished report.html and lists, with where it is:

* headers, values or text in code names (``revenue_12m``, ``plumbers_heating``, a setting's name), outside file
  names and, in the text, the names of the columns the client's files may carry (what a section needs);
* raw values: ``nan``, ``None``, ``True``, ``False``, ``NaT``;
* float noise: a number with more than three decimals (``27.700000``), or a share with more than one;
* values cut with "..." (or "…");
* row numbers and index rows: a header cell inside the body of a table, more than one header row, a blank
  header;
* tables too wide for an A4 page (more columns, or more characters side by side, than the page holds: a
  table marked ``wide`` prints on a landscape page, which holds more);
* text columns right-aligned (the report's style sheet aligns cells right unless a table says otherwise);
* an Excel export named under a trimmed table that the report folder lacks;
* images without alt text (or with nbconvert's "No description has been provided for this image").

It reads report.pdf (:func:`lint_pdf`) for what makes a printed report hard to read:

* text too small: table text (text inside a table of the PDF's structure tree) under 7.5 pt, any other text
  under 9 pt;
* text cut off: a character beyond the page's edge or more than half the margin into it;
* pages without their number in the bottom margin;
* sections without a bookmark (the PDF outline holds one entry per heading of the contents);
* table rows split across two pages (the structure tree puts a body row's text on both), and charts (a
  picture that goes on past the page's edge);
* nearly empty pages: less than 15 % of the page's height used, unless the next page opens a section;
* a group of the key figures torn apart: its heading the last line of a page, or alone there with one row;
* a table marked ``wide`` (too wide for portrait) with text on a portrait page.

And every Excel export (:func:`lint_xlsx`): a bold, frozen header row with a filter, headers and sheet names
in words, number formats on money, share and count columns, yes/no for booleans, print setup (landscape, fit
to one page wide, the header row repeated).

Use it from the tests (:func:`lint_html`, :func:`lint_pdf`, :func:`lint_xlsx`, :func:`lint_folder`) or on a
report folder::

    python -m tests.report_lint REPORT_FOLDER
"""

from __future__ import annotations

import ctypes
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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


# -- the PDF -------------------------------------------------------------------------------------------------------
#: the smallest text a reader is given, in points: inside a table, and anywhere else
TABLE_TEXT_MIN = 7.5
BODY_TEXT_MIN = 9.0
#: the page margin the report prints with (14 mm at the top and bottom, 12 mm at the sides), in points
MARGIN_TOP = 14 / 25.4 * 72
MARGIN_SIDE = 12 / 25.4 * 72
#: a page using less of its height than this is nearly empty
NEARLY_EMPTY = 0.15
#: structure elements whose text is table text
TABLE_TAGS = {"Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Caption"}
#: the parts of a table that hold rows: looking up from a text, the row it is in lies below the nearest of them
TABLE_PARTS = TABLE_TAGS - {"TR", "TH", "TD"}
#: how far above its text a table's element may be (a table's text sits a few levels under it: cell, row, body)
TABLE_REACH = 11


@dataclass
class PdfPage:
    """What the linter reads of a printed page, in points, ``top`` and ``bottom`` from the page's top edge.

    ``chars`` holds the characters the page draws, a dict each: ``text``, ``size`` (the font size times the
    scale of the text's matrix: the size on paper), ``x0``, ``x1``, ``top``, ``bottom`` (the box from the
    font's descent up one font size) and ``mcid`` (the marked-content id the structure tree knows the text
    by, -1 for none). ``images`` and ``rects`` hold the pictures and the upright rectangles it draws
    (``top``, ``bottom``, ``width``, ``height``).
    """

    width: float
    height: float
    chars: list[dict]
    images: list[dict]
    rects: list[dict]


def _chars(page, height: float) -> list[dict]:
    """The characters a page draws, read through PDFium's text page (see :class:`PdfPage`).

    Left out: the spaces and line breaks PDFium puts between words and lines (the page draws none there), and
    the spaces of a text object that draws nothing (PDFium skips an object without width); a hyphen ending a
    line (which PDFium reads as ``\\x02``) is read as "-".
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    text = textpage.raw
    box, matrix, size = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX(), ctypes.c_float()
    box_at, matrix_at, size_at = ctypes.byref(box), ctypes.byref(matrix), ctypes.byref(size)
    # most characters are a text object of their own: each asks for its object's size, matrix and mark
    generated, unicode, loose_box = (
        pdfium_c.FPDFText_IsGenerated,
        pdfium_c.FPDFText_GetUnicode,
        pdfium_c.FPDFText_GetLooseCharBox,
    )
    text_object, font_size, char_matrix = (
        pdfium_c.FPDFText_GetTextObject,
        pdfium_c.FPDFTextObj_GetFontSize,
        pdfium_c.FPDFText_GetMatrix,
    )
    marked_content = pdfium_c.FPDFPageObj_GetMarkedContentID
    chars = []
    try:
        for i in range(pdfium_c.FPDFText_CountChars(text)):
            if generated(text, i):
                continue
            run = text_object(text, i)
            font_size(run, size_at)
            char_matrix(text, i, matrix_at)
            points = size.value * math.hypot(matrix.c, matrix.d)
            loose_box(text, i, box_at)
            code = unicode(text, i)
            bottom = height - box.bottom
            chars.append(
                {
                    "text": "-" if code == 2 else chr(code),
                    "size": points,
                    "x0": box.left,
                    "x1": box.right,
                    "top": bottom - points,
                    "bottom": bottom,
                    "mcid": marked_content(run),
                }
            )
    finally:
        textpage.close()
    return chars


def _transform(matrices: list[tuple], x: float, y: float) -> tuple[float, float]:
    """A point in page space: ``matrices`` from the object's own outwards (a form's comes after its objects')."""
    for a, b, c, d, e, f in matrices:
        x, y = a * x + c * y + e, b * x + d * y + f
    return x, y


def _box(points: list[tuple[float, float]], height: float) -> dict:
    """The box around points of the page (from its bottom left corner), as :class:`PdfPage` gives it."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return {
        "top": height - max(ys),
        "bottom": height - min(ys),
        "width": max(xs) - min(xs),
        "height": max(ys) - min(ys),
    }


def _rectangles(path, matrices: list[tuple]) -> list[list[tuple[float, float]]]:
    """The corners of the upright rectangles a path draws: each of its subpaths that moves to a point and
    draws four lines back to it along the page's axes (pdfminer's rule; ``re`` draws one)."""
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([])
        subpaths[-1].append((kind, _transform(matrices, x.value, y.value)))
    found = []
    for subpath in subpaths:
        kinds, points = [k for k, _ in subpath], [p for _, p in subpath]
        if kinds[1:] != [pdfium_c.FPDF_SEGMENT_LINETO] * 4 or not _near(points[0], points[4]):
            continue
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if all(_near(p, q) for p, q in ((x0, x1), (y1, y2), (x2, x3), (y3, y0))) or all(
            _near(p, q) for p, q in ((y0, y1), (x1, x2), (y2, y3), (x3, x0))
        ):
            found.append(points[:4])
    return found


def _near(a, b) -> bool:
    """Two numbers (or points) the same to a thousandth of a point (PDFium keeps coordinates as floats)."""
    return math.dist(a, b) < 1e-3 if isinstance(a, tuple) else abs(a - b) < 1e-3


def _shapes(page, height: float) -> tuple[list[dict], list[dict]]:
    """The pictures and the upright rectangles a page draws, those inside forms too (see :class:`PdfPage`)."""
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    images: list[dict] = []
    rects: list[dict] = []
    object_type = pdfium_c.FPDFPageObj_GetType

    def matrix_of(obj) -> tuple:
        pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

    def visit(objects: Iterable, outer: list[tuple]) -> None:
        """``outer``: the matrices of the forms the objects are in, innermost first."""
        for obj in objects:
            kind = object_type(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:  # the unit square, drawn through the image's matrix
                matrices = [matrix_of(obj), *outer]
                images.append(_box([_transform(matrices, x, y) for x, y in ((0, 0), (0, 1), (1, 0), (1, 1))], height))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                rects.extend(_box(corners, height) for corners in _rectangles(obj, [matrix_of(obj), *outer]))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                inner = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
                visit(inner, [matrix_of(obj), *outer])

    get_object = pdfium_c.FPDFPage_GetObject
    visit((get_object(page.raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))), [])
    return images, rects


def _read_page(page) -> PdfPage:
    """A page of a PDF opened with pypdfium2, read for the linter."""
    width, height = page.get_size()
    return PdfPage(width, height, _chars(page, height), *_shapes(page, height))


@dataclass
class Structure:
    """What the PDF's structure tree says of its pages (Chromium writes a tagged PDF).

    ``table_text``: for each page number, the marked-content ids of the text inside a table; ``rows``: for
    each page number, the table body rows that have text on it (a header row repeated on the next page is no
    body row); ``tables``: the pages each table has text on, the tables in the order they begin.
    """

    table_text: dict[int, set[int]]
    rows: dict[int, set[tuple]]
    tables: list[set[int]]


def _element_type(element, buffer) -> str:
    """A structure element's type (its /S, through the tree's role map)."""
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDF_StructElement_GetType(element, buffer, len(buffer))
    if size > len(buffer):
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw[: max(size - 2, 0)].decode("utf-16-le")


def _structure(pages: list) -> Structure:
    """Read the structure tree page by page (PDFium loads, for a page, the elements above its marked content).

    An element is known across pages by its path from the tree's root (its place among its parent's kids, and
    so on up). Each marked content is placed as the tree's parents of it say: inside a table when a table's
    part (the table, its head, body, foot or caption) or a body row is above it; in the nearest row above it,
    below the nearest table part; in the nearest table at most :data:`TABLE_REACH` levels above it. A row is
    a body row unless a header cell (TH) is among its kids on any page.
    """
    import pypdfium2.raw as pdfium_c

    buffer = ctypes.create_string_buffer(64)
    header_rows: set[tuple] = set()
    # each marked content: (page, mcid, below a table part, the rows above it nearest first, its table)
    marks: list[tuple[int, int, bool, tuple, tuple | None]] = []
    for number, page in enumerate(pages, start=1):
        tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
        if not tree:  # an untagged PDF
            continue
        # (element, its path, its parent's type, below a table part, the rows above it, the nearest table)
        todo = [
            (pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i), (i,), None, False, (), None)
            for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree))
        ]
        while todo:
            element, path, parent, part, rows, table = todo.pop()
            if not element:
                continue
            kind = _element_type(element, buffer)
            if kind == "TH" and parent == "TR":
                header_rows.add(path[:-1])
            if kind in TABLE_PARTS:
                part, rows = True, ()
            if kind == "TR":
                rows = (path, *rows)
            if kind == "Table":
                table = path
            for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
                kid = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
                if kid:
                    todo.append((kid, (*path, i), kind, part, rows, table))
                elif (mcid := pdfium_c.FPDF_StructElement_GetChildMarkedContentID(element, i)) >= 0:
                    near = table if table is not None and len(path) - len(table) <= TABLE_REACH else None
                    marks.append((number, mcid, part, rows, near))
        pdfium_c.FPDF_StructTree_Close(tree)
    text: dict[int, set[int]] = {n: set() for n in range(1, len(pages) + 1)}
    body_rows: dict[int, set[tuple]] = {n: set() for n in range(1, len(pages) + 1)}
    tables: dict[tuple, set[int]] = {}  # in the order the tables begin (dicts keep their order)
    for number, mcid, part, rows, table in sorted(marks, key=lambda m: m[:2]):
        row = next((r for r in rows if r not in header_rows), None)
        if part or row is not None:
            text[number].add(mcid)
        if row is not None:
            body_rows[number].add(row)
        if table is not None:
            tables.setdefault(table, set()).add(number)
    return Structure(text, body_rows, list(tables.values()))


def _lines(chars: list[dict]) -> list[tuple[float, str]]:
    """The page's text as lines, top to bottom: (top, text)."""
    rows: dict[int, list[dict]] = {}
    for c in chars:
        rows.setdefault(round(c["top"] / 3), []).append(c)
    return [
        (min(c["top"] for c in row), "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])).strip())
        for _, row in sorted(rows.items())
    ]


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _torn_groups(page_lines: list[list[str]], groups: list[tuple[str, int]]) -> list[Finding]:
    """Groups of the key figures whose heading ends a page, or stands there with one row while more follow.

    ``page_lines`` holds each page's body lines, ``groups`` each group's heading and number of rows, in the
    order the table shows them (found after the line "Key figures").
    """
    findings: list[Finding] = []
    todo = [(_squash(title), title, n) for title, n in groups]
    started = False
    for number, lines in enumerate(page_lines, start=1):
        for i, line in enumerate(lines):
            if not started:
                started = _squash(line) == "keyfigures"
                continue
            if not todo or _squash(line) != todo[0][0]:
                continue
            _key, title, n = todo.pop(0)
            after = len(lines) - i - 1
            if after < min(2, n):
                kind = "last line of the page" if after == 0 else "alone with one row on the page"
                findings.append(Finding("key-figures group torn", f"report.pdf page {number}", f"'{title}': {kind}"))
    return findings


def lint_pdf(
    path: Path,
    sections: list[str] | None = None,
    groups: list[tuple[str, int]] | None = None,
    wide: list[bool] | None = None,
) -> list[Finding]:
    """The findings in a printed report: text too small or cut off, pages without a number, sections without
    a bookmark, nearly empty pages, key-figure groups torn apart.

    ``sections`` are the titles of the report's sections (its contents); each needs a bookmark.
    ``groups`` are the key figures' groups, (heading, number of rows) (:func:`figure_groups`).
    ``wide`` says of each table of the HTML, in order, whether it is marked to print on a landscape page
    (:func:`wide_tables`); the PDF's structure tree gives the pages of its tables in the same order.
    Table text is what the PDF's structure tree puts inside a table (Chromium writes a tagged PDF);
    everything else is body text, the page numbers too. Characters are counted without spaces.
    The PDF is read with PDFium (pypdfium2).
    """
    import pypdfium2 as pdfium

    findings: list[Finding] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        opened = list(pdf)
        pages = [_read_page(page) for page in opened]
        structure = _structure(opened)
        titles = [bookmark.get_title() for bookmark in pdf.get_toc()]
    finally:
        pdf.close()
    for title in sections or []:
        if not any(_squash(title) == _squash(t) for t in titles):
            findings.append(Finding("no bookmark", "report.pdf", f"section '{title}'"))
    starts = {_squash(t) for t in titles}
    for number in range(1, len(pages)):
        for _row in sorted(structure.rows[number] & structure.rows[number + 1]):
            findings.append(
                Finding("table row split", f"report.pdf page {number}", "a table row goes on on the next page")
            )
    used: list[float] = []
    first_lines: list[str] = []
    page_lines: list[list[str]] = []
    for number, page in enumerate(pages, start=1):
        where = f"report.pdf page {number}"
        width, height = page.width, page.height
        seen = [c for c in page.chars if c["text"].strip()]
        tabled = [c["mcid"] in structure.table_text[number] for c in seen]
        small_body = [c for c, t in zip(seen, tabled, strict=True) if not t and c["size"] < BODY_TEXT_MIN - 0.05]
        small_table = [c for c, t in zip(seen, tabled, strict=True) if t and c["size"] < TABLE_TEXT_MIN - 0.05]
        for kind, chars, least in (
            ("text too small", small_body, BODY_TEXT_MIN),
            ("table text too small", small_table, TABLE_TEXT_MIN),
        ):
            if chars:
                sample = "".join(c["text"] for c in chars[:40]).strip()
                smallest = min(c["size"] for c in chars)
                findings.append(
                    Finding(
                        kind, where, f"{len(chars)} characters at {smallest:.1f} pt (at least {least:g}): '{sample}'"
                    )
                )
        cut = [
            c
            for c in seen
            if c["x1"] > width - MARGIN_SIDE / 2 or c["x0"] < MARGIN_SIDE / 2 or c["bottom"] > height or c["top"] < 0
        ]
        split = [o for o in page.images if o["top"] < -1 or o["bottom"] > height + 1]
        if split:
            findings.append(Finding("chart split", where, f"{len(split)} picture(s) go on past the page's edge"))
        if cut:
            findings.append(
                Finding(
                    "text cut off",
                    where,
                    f"{len(cut)} characters past the margin: '{''.join(c['text'] for c in cut[:40])}'",
                )
            )
        body = [c for c in page.chars if c["top"] < height - MARGIN_TOP]
        footer = " ".join(t for _, t in _lines([c for c in page.chars if c["top"] >= height - MARGIN_TOP]))
        if not re.search(rf"(?<!\d){number}(?!\d)", footer):
            findings.append(Finding("no page number", where, f"bottom margin holds '{footer[:40]}'"))
        # text, and pictures and boxes as far as they reach into the body (a tall chart may run to the margin)
        boxes = [(c["top"], c["bottom"]) for c in body] + [
            (o["top"], min(o["bottom"], height - MARGIN_TOP))
            for o in page.images + page.rects
            if o["top"] < height - MARGIN_TOP and not (o["width"] > 0.9 * width and o["height"] > 0.9 * height)
        ]
        bottom = max((b for _, b in boxes), default=MARGIN_TOP)
        used.append((bottom - MARGIN_TOP) / (height - 2 * MARGIN_TOP))
        lines = _lines(body)
        first_lines.append(_squash(lines[0][1]) if lines else "")
        page_lines.append([text for _, text in lines])
    for i, share in enumerate(used[:-1]):
        if share < NEARLY_EMPTY and first_lines[i + 1] not in starts:
            findings.append(
                Finding(
                    "nearly empty page",
                    f"report.pdf page {i + 1}",
                    f"{share:.0%} of the page used, and the next page opens no section",
                )
            )
    findings += _torn_groups(page_lines, groups or [])
    findings += _portrait_wide_tables(pages, structure.tables, wide or [])
    return findings


def _portrait_wide_tables(pages: list[PdfPage], tables: list[set[int]], wide: list[bool]) -> list[Finding]:
    """Tables marked wide that have text on a portrait page (``tables``: the pages each table of the PDF has
    text on, :class:`Structure`; ``wide``: one flag per table of the HTML)."""
    if not any(wide):
        return []
    if len(tables) != len(wide):
        return [Finding("tables unmatched", "report.pdf", f"{len(tables)} tables in the PDF, {len(wide)} in the HTML")]
    portrait = {n for n, page in enumerate(pages, start=1) if page.width < page.height}
    return [
        Finding("wide table on a portrait page", f"report.pdf page {min(on & portrait)}", f"table {n}")
        for n, (flag, on) in enumerate(zip(wide, tables, strict=True), start=1)
        if flag and on & portrait
    ]


# -- the Excel files -----------------------------------------------------------------------------------------------
#: rows of each sheet read for the number formats and values (the header and the first rows show the pattern)
XLSX_ROWS = 200
#: a header's unit that asks for a currency format, and the codes it may show
CURRENCY_UNIT = re.compile(r"\((€|\$|£|[A-Z]{3})\)\s*$")


def _sheet_settings(path: Path) -> dict[str, dict]:
    """Each sheet's frozen pane, filter and print setup, read from the file's XML (quicker than loading every
    cell): ``{title: {"pane", "filter", "landscape", "fit", "titles"}}``."""
    import html as html_
    import zipfile

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        titles = {
            int(i): text
            for i, text in re.findall(
                r'<definedName[^>]*name="_xlnm.Print_Titles"[^>]*localSheetId="(\d+)"[^>]*>([^<]*)<', book
            )
        }
        out = {}
        for n, (name, rid) in enumerate(re.findall(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', book)):
            target = targets.get(rid, "").lstrip("/")
            xml = z.read(target if target.startswith("xl/") else f"xl/{target}").decode("utf-8")
            start, end = xml.find("<sheetData"), xml.find("</sheetData>")
            if start >= 0:
                xml = xml[:start] + xml[end:] if end >= 0 else xml[:start]
            pane = re.search(r'<pane [^>]*topLeftCell="([A-Z]+\d+)"[^>]*state="frozen"', xml)
            setup = re.search(r"<pageSetup [^>]*>", xml)
            setup = setup.group(0) if setup else ""
            width = re.search(r'fitToWidth="(\d+)"', setup)
            height = re.search(r'fitToHeight="(\d+)"', setup)
            out[html_.unescape(name)] = {
                "pane": pane.group(1) if pane else None,
                "filter": "<autoFilter" in xml,
                "landscape": 'orientation="landscape"' in setup,
                "fit": 'fitToPage="1"' in xml
                and (width.group(1) if width else "1") == "1"
                and (height.group(1) if height else "1") == "0",
                "titles": titles.get(n, "").split("!")[-1].replace("$", ""),
            }
    return out


def lint_xlsx(path: Path) -> list[Finding]:
    """The findings in one Excel file: per sheet, a header row that is not bold, frozen and filtered; headers or a
    sheet name in code names; a number without a number format, money without its currency, a share not as a
    percentage; TRUE/FALSE; print setup other than landscape, one page wide, with the header row repeated."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = Path(path).name
    try:
        settings = _sheet_settings(path)
        book = openpyxl.load_workbook(path, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [Finding("not an Excel file", name, f"{type(exc).__name__}")]
    findings = []
    for ws in book.worksheets:
        where = f"{name} sheet '{ws.title}'"
        if snake_case(ws.title):
            findings.append(Finding("code-name sheet", where, ws.title))
        rows = list(ws.iter_rows(min_row=1, max_row=XLSX_ROWS))
        header = [c for c in (rows[0] if rows else ()) if c.value is not None]
        if not header:
            continue
        heads = [str(c.value).strip() for c in header]
        for h in heads:
            if snake_case(h):
                findings.append(Finding("code-name header", where, h))
        if not all(c.font is not None and c.font.b for c in header):
            findings.append(Finding("header not bold", where, heads[0][:40]))
        sheet = settings.get(ws.title, {})
        if not re.fullmatch(r"[A-Z]+2", sheet.get("pane") or ""):
            findings.append(Finding("header not frozen", where, f"frozen at {sheet.get('pane')}"))
        if not sheet.get("filter"):
            findings.append(Finding("no filter", where, "the header row has no filter"))
        if not sheet.get("landscape"):
            findings.append(Finding("print setup", where, "not landscape"))
        if not sheet.get("fit"):
            findings.append(Finding("print setup", where, "not fit to one page wide"))
        if sheet.get("titles") != "1:1":
            findings.append(Finding("print setup", where, f"header row not repeated ({sheet.get('titles')})"))
        told: set[int] = set()
        for row in rows[1:]:
            for i, (cell, head) in enumerate(zip(row, heads, strict=False)):
                value = cell.value
                if i in told or value is None:
                    continue
                unit = CURRENCY_UNIT.search(head)
                code = getattr(cell, "number_format", None) or "General"
                kind = None
                if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in ("true", "false")):
                    kind, text = "raw value", f"{value} under '{head}' (yes/no)"
                elif isinstance(value, str) and value in RAW_VALUES:
                    kind, text = "raw value", f"'{value}' under '{head}'"
                elif isinstance(value, str) and snake_case(value):
                    kind, text = "code name", f"'{value[:40]}' under '{head}'"
                elif isinstance(value, (int, float)) and code == "General":
                    kind, text = "no number format", f"column '{head}' ({value})"
                elif isinstance(value, (int, float)) and head.endswith("(%)") and "%" not in code:
                    kind, text = "share not as percentage", f"column '{head}' ({code})"
                elif isinstance(value, (int, float)) and unit and unit.group(1) not in code:
                    kind, text = "money without currency", f"column '{head}' ({code})"
                if kind:
                    findings.append(Finding(kind, where, text))
                    told.add(i)
    book.close()
    return findings


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


def lint_folder(folder: Path) -> list[Finding]:
    """The findings in a report folder: its report.html, every Excel export a trimmed table names but the
    folder lacks, its report.pdf (where there is one) and every Excel file under exports/."""
    folder = Path(folder)
    text = (folder / "report.html").read_text(encoding="utf-8")
    findings = lint_html(text)
    for name in sorted(set(re.findall(r"in the Excel export ([\w.-]+\.xlsx)", text))):
        if not (folder / "exports" / name).exists():
            findings.append(Finding("export missing", "exports", f"{name} is named under a table but not written"))
    if (folder / "report.pdf").exists():
        findings += lint_pdf(folder / "report.pdf", report_sections(text), figure_groups(text), wide_tables(text))
    for workbook in sorted((folder / "exports").glob("*.xlsx")):
        findings += lint_xlsx(workbook)
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
