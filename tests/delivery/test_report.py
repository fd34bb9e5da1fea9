"""The report folder: contents, atomic replacement, and a failing notebook."""

import gc
import json
import shutil

import nbformat
import pytest
from bs4 import BeautifulSoup

from smartacct_helpers.delivery import report as report_module
from smartacct_helpers.delivery.report import build_report
from smartacct_helpers.exceptions import ReportError
from smartacct_helpers.facts.workbook import Workbook
from smartacct_helpers.presentation.columns import ASSUMPTIONS
from tests.conftest import ROOT, own_copy

CONTRACT_KEYS = [
    "client",
    "currency",
    "reference_date",
    "customers_total",
    "revenue_12m",
    "abc_counts",
    "abc_revenue_share",
    "visit_cost",
    "management_cost_per_customer",
    "sales_threshold",
    "customers_below_threshold",
    "customers_to_manage",
    "inside_sales_headcount",
    "potential_total",
    "top1_share",
    "top5_share",
    "top10_share",
    "hhi",
]


def test_report_folder(sample_report):
    folder = sample_report
    assert folder.parent.name == "sample-elektro-gmbh"
    assert (folder / "report.html").exists() and (folder / "summary.json").exists()
    summary = json.loads((folder / "summary.json").read_text())
    assert list(summary)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert folder.name == summary["reference_date"]
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == sorted(
        p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    assert (folder / "exports" / "customer_segments.xlsx").exists()
    # nothing half-built is left beside it
    assert not list(folder.parent.glob(".building-*"))


def test_report_html_hides_code_and_needs_no_network(sample_report):
    html = (sample_report / "report.html").read_text()
    assert "Wb = Workbook.open" not in html and "Workbook.open(" not in html
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64") >= 4
    for heading in ("Executive summary", "Contents", "Assumptions", "Who are the small customers?", "generated "):
        assert heading in html


def test_failing_notebook_keeps_the_earlier_report(earlier_report, small_sample, tmp_path):
    out, folder, _ = own_copy(earlier_report, tmp_path)
    before = (folder / "summary.json").read_bytes()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", notebooks)
    bad = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    params = nbformat.v4.new_code_cell("params_file = ''\ninteractive = True\nexport_dir = ''")
    params.metadata["tags"] = ["parameters"]
    bad.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"),
    ]
    nbformat.write(bad, str(notebooks / "01_broken.ipynb"))
    with pytest.raises(ReportError) as err:
        build_report(small_sample, out, notebooks_dir=notebooks)
    message = str(err.value)
    assert "01_broken.ipynb" in message and "planted failure" in message
    # the earlier report is untouched, the failed notebook is kept, nothing half-built remains
    assert (folder / "summary.json").read_bytes() == before
    failed = sorted((out / "sample-elektro-gmbh").glob("failed-*"))
    assert failed and (failed[-1] / "01_broken.ipynb").exists()
    assert not list((out / "sample-elektro-gmbh").glob(".building-*"))


def test_second_run_replaces_the_report(earlier_report, small_sample, two_notebooks, tmp_path):
    out, folder, _ = own_copy(earlier_report, tmp_path)  # a report of the same client and day, already there
    (folder / "marker").write_text("old")
    again = build_report(small_sample, out, two_notebooks)
    assert again == folder and not (folder / "marker").exists()
    assert not list(folder.parent.glob(".replaced-*"))
    assert (folder / "summary.json").exists()


def test_the_report_holds_no_workbook_while_its_notebooks_run(small_sample, two_notebooks, tmp_path, monkeypatch):
    # Each notebook's kernel opens the data itself; at 10 million lines a workbook holds several hundred MB,
    # so the report's own process must have let go of its copy before the first notebook starts.
    def workbooks():
        return sum(isinstance(o, Workbook) for o in gc.get_objects())

    before, seen = workbooks(), []
    run = report_module.run_notebook

    def watched(*args, **kwargs):
        seen.append(workbooks())
        return run(*args, **kwargs)

    monkeypatch.setattr(report_module, "run_notebook", watched)
    folder = build_report(small_sample, tmp_path, two_notebooks)
    assert seen == [before, before]
    # what the report shows was computed before: the key figures and the opening chart are there
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["customers_total"] > 0
    assert (folder / "report.html").read_text().count("data:image/png;base64") >= 1


def test_the_notebooks_see_the_data_the_report_read(small_sample, two_notebooks, tmp_path, monkeypatch):
    # The report reads the data once and its notebooks' kernels open that workbook: an export replaced
    # while the report runs (here by bytes no reader takes) changes nothing, and nothing kept outlives the run.
    import os

    from smartacct_helpers.facts.workbook import SNAPSHOT
    from smartacct_helpers.params import load_params

    data = tmp_path / "data"
    shutil.copytree(small_sample.parent, data)
    params = load_params(data / "params.yaml")
    keep = Workbook.save_snapshot

    def keep_then_replace(self, folder):
        kept = keep(self, folder)
        params.path(params.data.orders).write_bytes(b"replaced during the run")
        return kept

    monkeypatch.setattr(Workbook, "save_snapshot", keep_then_replace)
    folder = build_report(data / "params.yaml", tmp_path / "out", two_notebooks)
    assert json.loads((folder / "summary.json").read_text())["customers_total"] == 400
    assert len(list((folder / "notebooks").iterdir())) == 2
    assert SNAPSHOT not in os.environ
    assert not list(folder.parent.glob(".building-*"))


PROBE = """import os, pickle
from smartacct_helpers.facts.workbook import SNAPSHOT, Workbook
wb = Workbook.open(params_file, overrides)
with open(os.path.join(os.environ[SNAPSHOT], "workbook.pickle"), "rb") as file:
    kept = pickle.load(file)["params"]
a = wb.assumptions
print(a.working_days, a.abc.a, a.max_sales_cost_ratio, wb.reference_date, kept == wb.params)"""


def test_values_set_for_this_run_reach_every_notebook(small_sample, tmp_path):
    from smartacct_helpers.overrides import parse_settings

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("00_first.ipynb", "01_second.ipynb"):
        nb = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
        )
        params = nbformat.v4.new_code_cell('params_file = ""\noverrides = {}\ninteractive = True\nexport_dir = ""')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbformat.v4.new_code_cell(PROBE)]
        nbformat.write(nb, str(notebooks / name))
    settings = parse_settings(
        [
            "assumptions.working_days=220",
            "assumptions.abc.a=0.75",
            "assumptions.max_sales_cost_ratio=0.10",
            "reference_date=2025-06-30",
        ]
    )
    folder = build_report(small_sample, tmp_path / "out", notebooks, overrides=settings)
    assert folder.name == "2025-06-30"  # the report is dated by the reference date set for this run
    for name in ("00_first.ipynb", "01_second.ipynb"):
        nb = nbformat.read(str(folder / "notebooks" / name), as_version=4)
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        # each kernel read the values of this run, and opened the workbook the report kept (same params)
        assert printed == "220 0.75 0.1 2025-06-30 True\n"
    summary = json.loads((folder / "summary.json").read_text())
    # 110,000 / (220 working days x 4 visits) = 125.00 per visit; x 5 visits a year = 625; / 0.10 = 6,250
    assert summary["visit_cost"] == pytest.approx(125.0)
    assert summary["sales_threshold"] == pytest.approx(6250.0)
    html = (folder / "report.html").read_text()
    # the assumptions table: each assumption in words, its value in the sample's German format, its source
    table = BeautifulSoup(html[html.index("id='assumptions'") :], "html.parser").find("table")
    rows = {cells[0]: cells[1:] for tr in table.find_all("tr") if (cells := [td.get_text() for td in tr("td")])}

    def row(name: str) -> list[str]:
        words = ASSUMPTIONS[name][0]
        return rows[words[:1].upper() + words[1:]]

    assert row("working_days") == ["220 days", "this run"]
    assert row("max_sales_cost_ratio") == ["10,0 %", "this run"]
    assert row("abc")[0].startswith("A up to 75,0 %") and row("abc")[1] == "this run"
    assert row("visits_per_day")[1] == "client input"  # the params file sets it
    assert "working_days" not in table.get_text() and "110000.0" not in table.get_text()
    # each source ("client input", "smartacct default") on one line: a row of the table is a line of the page
    assert table["class"] == ["smartacct", "assumptions"]
    assert "table.assumptions td:last-child{white-space:nowrap}" in html
    log = (folder.parent / "smartacct.log").read_text()
    assert "Set for this run: assumptions.working_days = 220, assumptions.abc.a = 0.75" in log


def test_the_summary_shows_the_levers_on_small_customers_apart_and_the_segments_market_share():
    from smartacct_helpers.delivery.report import figure_sections
    from smartacct_helpers.delivery.summary import key_figures
    from smartacct_helpers.intake.schema import Tables
    from smartacct_helpers.params import Params
    from smartacct_helpers.presentation.formatting import money
    from tests.facts.test_cost_to_serve import ACTIVITIES, MASTER, ORDERS

    p = Params.model_validate({"data": {"orders": "x.csv"}, "reference_date": "2025-12-31"})
    wb = Workbook.from_tables(p, Tables(orders=ORDERS, customers=MASTER, activities=ACTIVITIES))
    figures = key_figures(wb)
    rows = dict(dict(figure_sections(figures))["Levers and the year-one review"])
    small = figures["small_customer_levers_operating_profit_delta"]
    large = figures["large_customer_levers_operating_profit_delta"]
    assert figures["levers_operating_profit_delta"] == pytest.approx(small + large)
    assert rows["Operating profit gained by the levers on small customers"] == money(small, "EUR")
    assert rows["Apart: by the price rise on large customers"] == money(large, "EUR")
    # no market file: neither market share is known, and the row is left out rather than shown as unknown
    assert (
        figures["market_share_overall"] is None and "Market share in the small-customer segment / overall" not in rows
    )
    # one year of history: the C-to-A rate needs four windows
    assert figures["c_to_a_rate_3y"] is None and "C customers that were A within 3 years" not in rows


def test_workshop_cells_stay_in_the_notebooks_and_leave_the_report():
    from smartacct_helpers.delivery.report import WORKSHOP_ONLY, report_cells

    nb = nbformat.v4.new_notebook()
    kept = nbformat.v4.new_markdown_cell("## 1. ABC analysis")
    sliders = nbformat.v4.new_markdown_cell("## Try other assumptions\n\nMove the sliders.")
    sliders.metadata["tags"] = [WORKSHOP_ONLY]
    nb.cells = [kept, sliders]
    assert report_cells(nb) == [kept]
    # every cell of the committed notebooks that explains the tool or holds sliders is tagged
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            tool = any(
                words in cell.source
                for words in ("Run All", "smartacct validate", "Move the sliders", "widgets.explorer(", "_start_here`")
            )
            if tool:
                assert WORKSHOP_ONLY in cell.metadata.get("tags", []), (path.name, cell.source[:60])


def test_the_words_leading_into_a_wide_table_go_to_its_landscape_page():
    from smartacct_helpers.delivery.report import landscape_cells

    def code(*outputs):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
        return cell

    wide = {"text/html": "<div class='smartacct-table wide'><table></table></div>"}
    narrow = {"text/html": "<div class='smartacct-table'><table></table></div>"}
    words = {"text/markdown": "**12 customers** on the list"}
    chart = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    cells = [nbformat.v4.new_markdown_cell(f"## {n}") for n in range(4)]
    # words then the wide table: the heading goes along; a chart first: it stays; a narrow table: it stays
    notebook = [cells[0], code(words, wide), cells[1], code(chart, wide), cells[2], code(narrow), cells[3]]
    landscape_cells(notebook)
    assert [c.metadata.get("tags", []) for c in cells] == [["landscape"], [], [], []]
