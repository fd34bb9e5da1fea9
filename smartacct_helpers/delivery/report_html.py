"""The report's HTML: cover, contents, page one, the notebooks' cells a client sees, glossary, assumptions.

:func:`write_html` puts one self-contained document together (code hidden, charts embedded, nothing loaded
from the network); its style sheets print it on A4 (:data:`PRINT_CSS`), a table too wide for portrait on a
landscape page (:func:`landscape_cells`). :mod:`smartacct_helpers.delivery.report` runs the notebooks and
calls it.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import nbformat

from ..inside_sales.figures import PAYBACK_CHANCE_MONTHS
from ..presentation.formatting import count, currency_sign, date_text, money, number, share
from ..presentation.tables import CSS as TABLE_CSS
from ..presentation.tables import Table, table
from .storyline import STORY_CSS, _amount, _months, glossary_html

CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1.5em;line-height:1.5}
h1{color:#1f4e79;font-size:2em;margin-bottom:.2em} h2{color:#1f4e79;border-bottom:2px solid #1f4e79;padding-bottom:.2em;margin-top:2.2em}
h3{color:#333} .cover{border-bottom:4px solid #1f4e79;padding-bottom:1em;margin-bottom:2em} .cover p{margin:.2em 0;color:#555}
table{border-collapse:collapse;margin:1em 0;font-size:.9em} th,td{border-bottom:1px solid #ddd;padding:.35em .7em;text-align:right}
th{background:#f3f6fa;text-align:left} td:first-child,th:first-child{text-align:left}
img{max-width:100%;height:auto} pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}
.toc a{color:#1f4e79;text-decoration:none} .notebook{page-break-before:always}
.figures td{text-align:right} .figures td:first-child{text-align:left;color:#444} .figures tr.group th{background:#1f4e79;color:#fff;padding-top:.5em} .note{color:#666;font-size:.9em}
.jp-OutputArea-output, .output_area{margin:.4em 0}
table.changes td.text{text-align:left}
"""

#: the printed report: A4 at a readable size (body 10 pt, tables 8 pt), page numbers in the bottom margin, a
#: chart never taller than a page (so that it is never split),
#: headings kept with what follows, no table row or chart split across pages, a table's header repeated on
#: each page it spans; a table too wide for portrait (class ``wide``, :func:`~..presentation.tables.table`)
#: prints on a landscape page with the words beside it (the text outputs next to it in its cell, and the
#: text cell before it when no chart comes first: :func:`landscape_cells`); charts stay on portrait pages; its
#: number columns are kept narrow (their headers wrap) so that its text columns need not wrap row by row
PRINT_CSS = """
@page{size:A4;margin:14mm 12mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:9pt;color:#555;font-family:Helvetica,Arial,sans-serif}}
@page wide{size:A4 landscape;margin:14mm 12mm}
@media print{
 body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35}
 h1{font-size:20pt} h2{font-size:15pt;margin-top:1.2em} h3{font-size:12pt} h4{font-size:10.5pt}
 h1,h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}
 table,table.smartacct{font-size:8pt} table.figures{font-size:9.5pt} th,td{padding:.15em .4em}
 table{max-width:100%} table:not(.smartacct) td,table:not(.smartacct) th{overflow-wrap:anywhere}
 thead{display:table-header-group} tr,img,figure,svg{break-inside:avoid;page-break-inside:avoid}
 tr.group{break-after:avoid;page-break-after:avoid} tbody.group{break-inside:avoid;page-break-inside:avoid}
 .note,.smartacct-table-note,table.smartacct caption,.cover p{font-size:9pt}
 pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:9pt}
 img{max-width:100%;max-height:262mm;width:auto;object-fit:contain}
 .notebook{break-before:page;page-break-before:always}
 .wide,.output_area:has(.wide),.output_area:not(:has(img)):has(+ .output_area .wide),
 .output_area:has(.wide)+.output_area:not(:has(img)),.celltag_landscape{page:wide}
 .wide th.num{width:1%;min-width:6em}
 a{color:inherit;text-decoration:none}
 .smartacct-cards>div{break-inside:avoid} .smartacct-cards>div>div:first-child{font-size:9pt!important}
}
"""


#: the assumptions' sources ("smartacct default", "client input") each on one line: a row a line, not two
ASSUMPTIONS_CSS = "table.assumptions td:last-child{white-space:nowrap}"


def figure_sections(figures: dict, style: str = "en") -> list[tuple[str, list[tuple[str, str]]]]:
    """The executive summary's figures, grouped and written for a reader (a figure not known is left out)."""
    sections = [group(figures, style) for group in (_business_figures, _team_figures, _account_figures, _lever_figures)]
    return [(title, [(k, v) for k, v in rows if v != "–"]) for title, rows in sections]


def _business_figures(figures: dict, style: str) -> tuple[str, list[tuple[str, str]]]:
    """The business and its small customers."""
    cur = figures["currency"]
    return (
        "The business and its small customers",
        [
            ("Customers in total", count(figures["customers_total"], style=style)),
            ("Revenue, last 12 months", _amount(figures["revenue_12m"], cur, style)),
            ("A / B / C / D customers", " / ".join(count(figures["abc_counts"][k], style=style) for k in "ABCD")),
            (
                "Revenue share of A / B / C",
                " / ".join(share(figures["abc_revenue_share"][k], style=style) for k in "ABC"),
            ),
            ("Cost of one field visit", _amount(figures["visit_cost"], cur, style)),
            (
                "Field management cost per customer and year",
                _amount(figures["management_cost_per_customer"], cur, style),
            ),
            ("Sales threshold for field management", money(figures["sales_threshold"], cur, style=style)),
            ("Customers below the threshold", count(figures["customers_below_threshold"], style=style)),
            (
                "Of these, to manage (ordered in the active window)",
                count(figures["customers_to_manage"], style=style),
            ),
        ],
    )


def _team_figures(figures: dict, style: str) -> tuple[str, list[tuple[str, str]]]:
    """Potential and the inside-sales team."""
    cur = figures["currency"]
    get = figures.get
    heads = figures.get("inside_sales_headcount", {})
    return (
        "Potential and the inside-sales team",
        [
            ("Sales potential of all customers", _amount(get("potential_total"), cur, style)),
            (
                "Sales potential of the customers to manage",
                _amount(get("potential_small_customers"), cur, style),
            ),
            (
                "Median share of wallet of the customers to manage",
                share(get("share_of_wallet_median"), style=style),
            ),
            ("Inside-sales reps needed (by customers per rep)", ", ".join(f"{v} at {k}" for k, v in heads.items())),
            ("Yearly cost of the team (middle capacity)", _amount(get("inside_sales_annual_cost"), cur, style)),
            ("Return on investment (base scenario)", share(get("roi"), style=style)),
            ("Payback", _months(get("payback_months"))),
            ("Uplift on the gap needed to break even", share(get("break_even_uplift"), style=style)),
            (
                f"Probability of paying back within {PAYBACK_CHANCE_MONTHS} months",
                share(get("probability_payback_24m"), style=style),
            ),
        ],
    )


def _account_figures(figures: dict, style: str) -> tuple[str, list[tuple[str, str]]]:
    """Key accounts and concentration."""
    cur = figures["currency"]
    get = figures.get
    return (
        "Key accounts and concentration",
        [
            ("Key accounts", count(get("key_accounts"), style=style)),
            ("Their share of revenue", share(get("key_account_revenue_share"), style=style)),
            (
                "Largest customer / top 5 / top 10",
                " / ".join(share(figures[k], style=style) for k in ("top1_share", "top5_share", "top10_share")),
            ),
            ("Herfindahl index", number(figures["hhi"], 3, style=style)),
            ("Margin lost with the largest customer", _amount(get("worst_case_top1_margin_loss"), cur, style)),
            ("Margin lost with the five largest", _amount(get("worst_case_top5_margin_loss"), cur, style)),
            (
                "Share of key-account profit from the best 20 %",
                share(get("profit_share_top20pct_key_accounts"), style=style),
            ),
            ("Customers losing money after the cost to serve", count(get("customers_loss_making"), style=style)),
        ],
    )


def _lever_figures(figures: dict, style: str) -> tuple[str, list[tuple[str, str]]]:
    """Levers and the year-one review."""
    cur = figures["currency"]
    get = figures.get
    return (
        "Levers and the year-one review",
        [
            (
                "Operating profit gained by the levers on small customers",
                _amount(get("small_customer_levers_operating_profit_delta"), cur, style),
            ),
            (
                "Apart: by the price rise on large customers",
                _amount(get("large_customer_levers_operating_profit_delta"), cur, style),
            ),
            ("C customers that were A within 3 years", share(get("c_to_a_rate_3y"), style=style)),
            (
                "Market share in the small-customer segment / overall",
                " / ".join(share(get(k), style=style) for k in ("market_share_small_customers", "market_share_overall"))
                if get("market_share_overall") is not None
                else "–",
            ),
        ],
    )


def figures_html(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The key figures as one table with a ``<tbody>`` per group, which the print style keeps on one page.

    Chromium breaks a table between any two rows, whatever the rows' break rules say; a group's own
    body is kept whole, so no page ends with a group's heading or its heading and a single row.

    >>> figures_html([("Customers", [("In total", "6.500")])])
    "<table class='figures'><tbody class='group'><tr class='group'><th colspan='2'>Customers</th></tr><tr><td>In total</td><td>6.500</td></tr></tbody></table>"
    """
    bodies = "".join(
        f"<tbody class='group'><tr class='group'><th colspan='2'>{html.escape(title)}</th></tr>"
        + "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in items)
        + "</tbody>"
        for title, items in groups
        if items
    )
    return f"<table class='figures'>{bodies}</table>"


def _opening(chart, note: str = "") -> str:
    if chart is None:
        return ""
    return (
        "<p>Two tracks: a key-account programme for the few customers that carry the business, and a cheaper "
        "way to serve all others by their value and potential. Every customer is placed by what it buys today "
        "and what it could buy, coloured by the treatment it should get.</p>"
        + chart.html()
        + (f"<p class='note'>{html.escape(note)}</p>" if note else "")
    )


def opening_chart(workbook):
    """The portfolio map that opens the executive summary (a chart with its alt text)."""
    from ..key_accounts.charts import portfolio_map_chart
    from ..key_accounts.portfolio import portfolio_map

    return portfolio_map_chart(portfolio_map(workbook), workbook.params.currency, style=workbook.params.number_format)


#: the tag of a notebook cell that serves the workshop only (how to run the tool, the sliders); the report drops it
WORKSHOP_ONLY = "workshop-only"
#: tags of cells the report leaves out: the parameters, those papermill injects, and the workshop's own
DROPPED_TAGS = ("parameters", "injected-parameters", WORKSHOP_ONLY)


def report_cells(nb):
    """The cells of an executed notebook that the client's report shows.

    Cells tagged ``parameters``, ``injected-parameters`` or ``workshop-only``
    are left out (the last keep what serves the workshop in the notebooks:
    how to run the tool, the sliders); so are widget outputs and what a cell
    wrote to stderr.
    """
    cells = [c for c in nb.cells if not set(c.metadata.get("tags", [])) & set(DROPPED_TAGS)]
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if "application/vnd.jupyter.widget-view+json" not in o.get("data", {}) and o.get("name") != "stderr"
            ]
    return cells


#: the tag :func:`landscape_cells` gives a text cell that leads into a table printed on a landscape page
LANDSCAPE = "landscape"


def landscape_cells(cells) -> None:
    """Tag the text cell before a table too wide for portrait ``landscape``, when nothing but words come
    between them, so that it prints on the landscape page with the table (the template writes the tag as the
    class ``celltag_landscape``). The table's own output and the words beside it go there by the style sheet.
    """
    for before, cell in zip(cells, cells[1:], strict=False):
        if before.cell_type != "markdown" or cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "smartacct-table wide" in str(data.get("text/html", "")):
                tags = before.metadata.setdefault("tags", [])
                if LANDSCAPE not in tags:
                    tags.append(LANDSCAPE)
                break
            if any(kind.startswith("image/") for kind in data):
                break


def _notebook_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Notebook"


def write_html(
    notebooks: list[Path],
    figures: dict,
    assumptions,
    path: Path,
    opening_chart=None,
    style: str = "en",
    changes: str = "",
    storyline: str = "",
    note: str = "",
) -> Path:
    """One self-contained HTML document: cover, contents, key figures, what changed, notebooks, assumptions.

    ``storyline`` opens the executive summary (:func:`storyline_html`: the
    situation, the findings, the recommendation and the next 90 days);
    ``note`` says which customers the portfolio map after the key figures
    cannot place (:func:`opening_note`);
    ``changes`` is the section "Since the last report"
    (:func:`~smartacct_helpers.delivery.changes_section.changes_html`), shown
    after the key figures.

    Code is hidden, charts are embedded as images, nothing is loaded from the
    network.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    sections = []
    for i, nb_path in enumerate(notebooks, start=1):
        nb = nbformat.read(str(nb_path), as_version=4)
        nb.cells = report_cells(nb)
        landscape_cells(nb.cells)
        body, _ = exporter.from_notebook_node(nb)
        sections.append((f"nb{i}", _notebook_title(nb), body))

    generated = date_text(dt.date.today(), style)
    rows = figures_html(figure_sections(figures, style=style))
    toc = "".join(f"<li><a href='#{sid}'>{html.escape(title)}</a></li>" for sid, title, _ in sections)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta name='number-format' content='{html.escape(style)}'>",
        f"<title>{html.escape(figures['client'])}: customer analysis {date_text(figures['reference_date'], style)}</title>",
        f"<style>{CSS}{TABLE_CSS}{PRINT_CSS}</style></head><body>",
        "<div class='cover'>",
        f"<h1>{html.escape(figures['client'])}</h1><p><strong>Small customers, field visits and key "
        "accounts</strong></p>",
        f"<p>Reference date {date_text(figures['reference_date'], style)} &middot; generated {generated} &middot; amounts in "
        f"{html.escape(currency_sign(figures['currency'], style))}</p>",
        "</div>",
        "<h2 id='contents'>Contents</h2><ol class='toc'><li><a href='#summary'>Executive summary</a></li>",
        "<li><a href='#since'>Since the last report</a></li>" if changes else "",
        toc,
        "<li><a href='#glossary'>Glossary</a></li><li><a href='#assumptions'>Assumptions</a></li></ol>",
        "<h2 id='summary'>Executive summary</h2>",
        storyline,
        "<h3>Key figures</h3>",
        rows,
        _opening(opening_chart, note),
        changes,
    ]
    for sid, _title, body in sections:
        parts.append(f"<section class='notebook' id='{sid}'>{body}</section>")
    parts.append(f"<style>{STORY_CSS}</style>" + glossary_html(figures, style))
    parts.append("<h2 id='assumptions'>Assumptions</h2>")
    parts.append(
        "<p class='note'>Every number the analysis rests on and where it comes from: the practitioner article, "
        "a smartacct default, the client's input, the client's data, or a value set for this run only.</p>"
    )
    if not isinstance(assumptions, Table):  # a table of the params (:func:`~.params.assumptions_table`)
        assumptions = table(assumptions, style=style, fit=False)
    parts.append(f"<style>{ASSUMPTIONS_CSS}</style>" + assumptions.to_html(table_class="smartacct assumptions"))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
