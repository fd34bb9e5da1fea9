"""The report linter catches each kind of thing a client should not see, and passes a clean table."""

import pandas as pd
import pytest

from smartacct_helpers.delivery.exports import export_table
from smartacct_helpers.presentation.tables import table
from tests.report_lint import lint_html, main


def kinds(html: str) -> list[str]:
    return sorted({f.kind for f in lint_html(html)})


def _table(head: list[str], *rows: list[str], cell: str = "<td style='text-align:{a}'>{v}</td>") -> str:
    heads = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(cell.format(a="right" if any(ch.isdigit() for ch in v) else "left", v=v) for v in r) + "</tr>"
        for r in rows
    )
    return f"<section id='nb1'><h2>Small customers</h2><table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></section>"


def test_a_clean_table_of_the_layer_passes():
    frame = pd.DataFrame(
        {"customer_id": ["K1"], "industry": ["plumbers_heating"], "revenue_12m": [1234.5], "overdue": [True]}
    )
    assert lint_html(table(frame, "EUR", "de").to_html()) == []


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        (_table(["revenue_12m"], ["1,234"]), "code-name header"),
        (_table(["Industry"], ["plumbers_heating"]), "code name"),
        (_table(["Revenue (EUR)"], ["nan"]), "raw value"),
        (_table(["Overdue"], ["True"]), "raw value"),
        (_table(["Last order"], ["NaT"]), "raw value"),
        (_table(["Distance (km)"], ["27.700000"]), "float noise"),
        (_table(["Share of wallet (%)"], ["12.345"]), "float noise"),
        (_table(["Reason"], ["well past its usual inter..."]), "cut with '...'"),
        (
            (
                "<table><thead><tr><th></th><th>revenue</th></tr><tr><th>abc</th><th></th></tr></thead>"
                "<tbody><tr><th>A</th><td>1</td></tr></tbody></table>"
            ),
            "index row",
        ),
        ("<table><tbody><tr><th>0</th><td style='text-align:left'>Abt</td></tr></tbody></table>", "index column"),
        (_table([f"Column {i}" for i in range(10)], [str(i) for i in range(10)]), "too wide"),
        (_table(["Name", "Note"], ["x" * 60, "y" * 60], ["Graf", "y"]), "too wide"),
        (_table(["Reason"], ["overdue"], cell="<td>{v}</td>"), "text aligned right"),
        (_table(["Reason"], ["overdue"], cell="<td class='num'>{v}</td>"), "text aligned right"),
        ("<p>A chart</p><img src='data:image/png;base64,AAAA'>", "image without alt text"),
        ("<img alt='No description has been provided for this image' src='a.png'>", "image without alt text"),
        ("<p>The threshold is nan EUR.</p>", "raw value"),
        # a setting's name in the text, as the notebooks' Markdown writes it (backticks) or plain
        ("<p>The annual cost (<code>outside_rep_annual_cost</code>) is one number.</p>", "code name"),
        ("<p>The start date goes into the params as programme_start.</p>", "code name"),
    ],
)
def test_each_kind_of_finding_is_caught(html, kind):
    assert kind in kinds(html)


def test_the_report_style_sheet_and_group_headings_are_understood():
    # the report's style sheet aligns first cells left; a row of one cell spanning the table heads a group
    html = (
        "<style>td:first-child,th:first-child{text-align:left}</style><table><thead><tr><th>Figure</th>"
        "<th>Value</th></tr></thead><tbody><tr class='group'><th colspan='2'>The business</th></tr>"
        "<tr><td>Customers in total</td><td>6.500</td></tr></tbody></table>"
    )
    assert lint_html(html) == []
    assert "text aligned right" in kinds(
        html.replace("<style>td:first-child,th:first-child{text-align:left}</style>", "")
    )


def test_a_finding_says_where_it_is():
    (finding,) = [f for f in lint_html(_table(["Industry"], ["plumbers_heating"])) if f.kind == "code name"]
    assert "table 1" in finding.where and "nb1" in finding.where and "Small customers" in finding.where


def test_file_names_numbers_and_words_are_not_findings():
    html = _table(
        ["Figure", "Value"],
        ["Written", "customer_segments.xlsx"],
        ["Revenue (€)", "1.234.568"],
        ["Share (%)", "45,7"],
        ["Reference date", "31.12.2025"],
        ["Last order", "2025-12-31"],
        ["Herfindahl index", "0.123"],
    )
    assert lint_html(html) == []
    prose = (
        "<p>Written: <code>customer_segments.xlsx</code>, key_accounts.csv; the <code>quarter</code> or month. It "
        "needs a distance per customer (column distance_km of the customer master).</p>"
    )
    assert lint_html(prose) == []


def test_the_command_line_exits_1_on_findings(tmp_path, capsys):
    (tmp_path / "report.html").write_text(_table(["revenue_12m"], ["1"]), encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    assert "code-name header" in capsys.readouterr().out
    (tmp_path / "report.html").write_text(_table(["Revenue (EUR)"], ["1"]), encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    # a trimmed table names its Excel export: the folder must hold it
    (tmp_path / "report.html").write_text("<p>the full table is in the Excel export key_accounts.xlsx.</p>")
    assert main([str(tmp_path)]) == 1
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "key_accounts.xlsx").write_bytes(b"")
    assert main([str(tmp_path)]) == 1  # an empty file is no Excel file
    export_table(pd.DataFrame({"customer_id": ["K1"]}), tmp_path / "exports", "key_accounts", "EUR", "de")
    assert main([str(tmp_path)]) == 0


@pytest.mark.parametrize(
    "text",
    [
        "A AG brings 19.1% of revenue",  # a decimal point and a glued %
        "the threshold of 8,593 a year",  # thousands with a comma
        "amounts in EUR",  # the code where the symbol belongs
        "the go rule: 0.7",  # a bare English decimal
    ],
)
def test_english_numbers_are_caught_under_de_only(text):
    de = f"<html><head><meta name='number-format' content='de'></head><body><p>{text}</p></body></html>"
    assert "English number format" in kinds(de)
    assert "English number format" not in kinds(de.replace("content='de'", "content='en'"))


def test_german_numbers_dates_and_section_numbers_pass_under_de():
    html = (
        "<html><head><meta name='number-format' content='de'></head><body><h2>05.1 Key accounts</h2>"
        "<p>A AG brings 19,1 % of revenue; 8.593,75 € a year; Herfindahl 0,049; on 31.12.2025.</p>"
        "<img alt='the largest 20 % bring 83 % of revenue (Gini 0,82)' src='a.png'></body></html>"
    )
    assert lint_html(html) == []
    assert "English number format" in kinds(html.replace("(Gini 0,82)", "(Gini 0.82)"))
