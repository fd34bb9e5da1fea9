"""The linter's reading of report.pdf, with PDFium: text sizes, cuts, page numbers, bookmarks, split rows and
charts, nearly empty pages, torn groups and wide tables on portrait pages."""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .finding import Finding

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
