"""The linter's reading of the Excel exports: header row, number formats and print setup."""

from __future__ import annotations

import re
from pathlib import Path

from smartacct_helpers.presentation.tables import snake_case

from .finding import RAW_VALUES, Finding

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
