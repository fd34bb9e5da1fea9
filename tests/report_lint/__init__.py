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

import re
import sys
from pathlib import Path

from .finding import Finding
from .html_lint import figure_groups, lint_html, report_sections, wide_tables
from .pdf_lint import lint_pdf
from .xlsx_lint import lint_xlsx

__all__ = ["Finding", "lint_folder", "lint_html", "lint_pdf", "lint_xlsx", "main"]


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
