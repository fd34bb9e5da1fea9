"""The PDF part of the report linter catches each kind of finding in a small bad PDF, and passes a good one
printed with the report's style sheet."""

from pathlib import Path

import pytest

from smartacct_helpers.delivery.report import CSS, PRINT_CSS
from smartacct_helpers.delivery.report_folder import print_pdf
from smartacct_helpers.presentation.tables import CSS as TABLE_CSS
from tests.conftest import CHROMIUM, require
from tests.report_lint import lint_pdf

pytestmark = pytest.mark.browser

STYLE = f"<style>{CSS}{TABLE_CSS}{PRINT_CSS}</style>"
TABLE = (
    "<table class='smartacct'><thead><tr><th class='text'>Customer</th><th class='num'>Revenue (€)</th></tr>"
    "</thead><tbody>"
    + "".join(f"<tr><td class='text'>Kunde {i}</td><td class='num'>{i}.000</td></tr>" for i in range(1, 30))
    + "</tbody></table>"
)
#: two sections, each opening a page with its heading, a paragraph and a table
GOOD = (
    f"<html><head>{STYLE}</head><body><h2 id='summary'>Executive summary</h2><p>{'The business in words. ' * 30}"
    f"</p>{TABLE}<section class='notebook'><h1>Who are the small customers?</h1><p>{'Small customers. ' * 40}</p>"
    f"{TABLE}</section></body></html>"
)


def printed(tmp_path: Path, html: str) -> Path:
    require(Path(CHROMIUM).exists(), "Debian's chromium", "run `make test` as root, or `apt-get install chromium`")
    (tmp_path / "report.html").write_text(html, encoding="utf-8")
    assert print_pdf(tmp_path / "report.html", tmp_path / "report.pdf") == "PDF written: report.pdf"
    return tmp_path / "report.pdf"


def kinds(tmp_path: Path, html: str, sections=("Executive summary", "Who are the small customers?")) -> set[str]:
    return {f.kind for f in lint_pdf(printed(tmp_path, html), list(sections))}


def test_a_report_printed_with_the_style_sheet_passes(tmp_path):
    assert lint_pdf(printed(tmp_path, GOOD), ["Executive summary", "Who are the small customers?"]) == []


def _pdf(lines: list[tuple[float, float, str]], drawing: str = "") -> bytes:
    """A one-page A4 PDF (595 x 842 pt) in Helvetica 10 pt with a text at each (x, y from the bottom, text),
    then ``drawing``: it may draw the form /Chart, which draws a picture 200 pt wide from 100 to 700 pt up."""
    text = ("".join(f"BT /F1 10 Tf {x} {y} Td ({t}) Tj ET " for x, y, t in lines) + drawing).encode()
    chart = b"q 200 0 0 600 100 100 cm /Picture Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Chart 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Picture 7 0 R >> >>"
        b" /Length %d >>\nstream\n%s\nendstream" % (len(chart), chart),
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Length 1 >>\nstream\n\x00\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_text_past_the_page_edge_is_cut_off(tmp_path):
    # a column that starts 10 pt before the right edge (595 pt) runs past it; the page number sits inside
    page = [(40, 800, "Customer"), (585, 800, "Revenue"), (290, 20, "1")]
    (tmp_path / "cut.pdf").write_bytes(_pdf(page))
    assert [f.kind for f in lint_pdf(tmp_path / "cut.pdf")] == ["text cut off"]
    (tmp_path / "fine.pdf").write_bytes(_pdf(page[:1] + page[2:]))
    assert lint_pdf(tmp_path / "fine.pdf") == []


def test_a_picture_in_a_form_is_where_the_form_draws_it(tmp_path):
    text = [(40, 800, "Customer"), (290, 20, "1")]
    # the form as it is: its picture runs from 100 to 700 pt above the page's bottom, inside the page's 842 pt
    (tmp_path / "inside.pdf").write_bytes(_pdf(text, "q /Chart Do Q"))
    assert lint_pdf(tmp_path / "inside.pdf") == []
    # the form moved 400 pt down: its picture runs from -300 to 300 pt, past the page's bottom edge
    (tmp_path / "past.pdf").write_bytes(_pdf(text, "q 1 0 0 1 0 -400 cm /Chart Do Q"))
    assert [f.kind for f in lint_pdf(tmp_path / "past.pdf")] == ["chart split"]


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        # body text at 8 pt: under 9
        (("<p>The business", "<p style='font-size:8pt'>The business"), "text too small"),
        # table text at 7 pt: under 7.5 (8 pt would pass in a table)
        (
            ("<table class='smartacct'>", "<table class='smartacct' style='font-size:7pt!important'>"),
            "table text too small",
        ),
        # a line too long for the page: Chromium shrinks the whole page to fit it
        (
            ("<h2 id='summary'>", "<p style='white-space:nowrap'>" + "too long " * 40 + "</p><h2 id='summary'>"),
            "text too small",
        ),
        # the style sheet's page numbers taken away
        (('content:counter(page) " / " counter(pages)', "content:none"), "no page number"),
        # a section without a heading has no bookmark
        (("<h1>Who are the small customers?</h1>", "<p>Who are the small customers?</p>"), "no bookmark"),
        # a row taller than a page must split
        (("<td class='text'>Kunde 1</td>", "<td class='text'>" + "Kunde 1<br>" * 90 + "</td>"), "table row split"),
        # one line, then a page break before something that is no section
        (
            ("<p>Small customers. ", "<p>One line.</p><p style='break-before:page'>Small customers. "),
            "nearly empty page",
        ),
    ],
)
def test_each_kind_of_pdf_finding_is_caught(tmp_path, change, kind):
    old, new = change
    assert old in GOOD
    assert kind in kinds(tmp_path, GOOD.replace(old, new))


#: four groups of eight key figures, as page one shows them
GROUPS = [(f"Group {g}", [(f"Figure {g}.{i}", f"{i}.000 €") for i in range(1, 9)]) for g in range(1, 5)]


def test_a_key_figures_group_is_never_torn_from_its_rows(tmp_path):
    from smartacct_helpers.delivery.report import figures_html

    kept = figures_html(GROUPS)  # one body per group, kept whole
    one_body = kept.replace("</tbody><tbody class='group'>", "").replace("<tbody class='group'>", "<tbody>")
    groups = [(title, len(rows)) for title, rows in GROUPS]
    caught, torn = set(), set()
    # a spacer pushes the table down; at 632 pt the first group's heading and one row are left at the bottom
    # of page one when the table is one body (A4 less the margins holds 762 pt)
    for height in (620, 632, 644):
        for name, markup in (("one body", one_body), ("kept", kept)):
            folder = tmp_path / f"{name}-{height}"
            folder.mkdir()
            page = (
                f"<html><head>{STYLE}</head><body><h2>Executive summary</h2><div style='height:{height}pt'></div>"
                f"<h3>Key figures</h3>{markup}<p>After the figures.</p></body></html>"
            )
            found = {f.kind for f in lint_pdf(printed(folder, page), None, groups)}
            (caught if name == "one body" else torn).update(found)
    assert caught == {"key-figures group torn"}
    assert torn == set()


def test_a_wide_table_prints_on_a_landscape_page(tmp_path):
    import pypdfium2

    heads = "".join(f"<th class='num'>Revenue {y} (€)</th>" for y in range(2012, 2026))
    cells = "".join(f"<td class='num'>{y}.000</td>" for y in range(2012, 2026))
    wide = (
        f"<div class='smartacct-table wide'><table class='smartacct'><thead><tr>{heads}</tr></thead><tbody>"
        + f"<tr>{cells}</tr>" * 5
        + "</tbody></table></div>"
    )
    page = GOOD.replace("</section>", f"{wide}</section>")
    (tmp_path / "landscape").mkdir()
    pdf = printed(tmp_path / "landscape", page)
    assert lint_pdf(pdf, None, None, [False, False, True]) == []
    opened = pypdfium2.PdfDocument(pdf)
    sizes = [tuple(round(side) for side in page.get_size()) for page in opened]
    opened.close()
    assert sizes[-1] == (842, 595) and (595, 842) in sizes  # A4 in points: 210 x 297 mm
    (tmp_path / "portrait").mkdir()
    flat = printed(tmp_path / "portrait", page.replace("{page:wide}", "{}"))
    assert "wide table on a portrait page" in {f.kind for f in lint_pdf(flat, None, None, [False, False, True])}


def test_a_chart_taller_than_a_page_is_shrunk_to_fit_one(tmp_path):
    import base64
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (600, 2400), (31, 78, 121)).save(png, "PNG")  # 1:4, at the page's width four pages tall
    picture = f"<img alt='a tall chart' src='data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}'>"
    page = GOOD.replace("</section>", f"{picture}</section>")
    assert "chart split" not in kinds(tmp_path, page)
    (tmp_path / "unbounded").mkdir()
    assert "chart split" in kinds(tmp_path / "unbounded", page.replace("max-height:262mm", "max-height:none"))
