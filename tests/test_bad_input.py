"""Bad input: every case of the corpus under tests/data/bad/ through the command line.

Each case folder holds a params file, the files it names and ``expected.txt``
(the exit code, then exactly the problem lines ``smartacct validate`` must
print; see ``tests/data/bad/make_corpus.py``). For every case: the exit code,
one line per problem naming the file, row and column (or the params key),
no traceback, and every file in the folder byte-identical afterwards.
"""

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from smartacct_helpers.delivery.cli import main
from tests.conftest import ROOT, console_script

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expected.txt").is_file())
# run from the folder above the corpus, naming the params file relative to it
FROM_ABOVE = {"params_path_relative_to_another_folder"}


def digest(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def expected_of(folder: Path, params: str) -> tuple[int, list[str] | None]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    code = int(re.fullmatch(r"# exit (\d)", lines[0]).group(1))
    wanted = [line.replace("{params}", params).replace("{dir}", str(folder)) for line in lines[1:]]
    return code, (None if wanted == ["# any message naming the file"] else wanted)


def problem_lines(err: str) -> list[str]:
    """The lines after ``error: ...:`` each naming one problem."""
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: "), err
    return [line.strip() for line in lines[1:] if line.strip()]


def params_argument(folder: Path) -> tuple[str, Path | None]:
    if folder.name in FROM_ABOVE:
        return f"{folder.parent.name}/{folder.name}/params.yaml", folder.parent.parent
    return str(folder / "params.yaml"), None


def test_the_corpus_has_at_least_40_cases():
    assert len(CASES) >= 40
    # every case says what it must report (two leave the wording to the parser they quote)
    assert sum(expected_of(c, "")[1] is None for c in CASES) <= 2


@pytest.mark.parametrize("folder", CASES, ids=[c.name for c in CASES])
def test_bad_input_case(folder, capsys, monkeypatch):
    params, cwd = params_argument(folder)
    if cwd is not None:
        monkeypatch.chdir(cwd)
    code, wanted = expected_of(folder, params)
    before = digest(folder)
    assert main(["validate", "--params", params]) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert digest(folder) == before  # nothing written, nothing changed
    if code == 0:
        assert set(wanted) <= {line.strip() for line in out.splitlines()}
        return
    found = problem_lines(err)
    head = err.splitlines()[0]
    counted = re.search(r"has (\d+) problem", head)
    if counted:  # data problems: the count in the first line is the number of lines that follow
        assert int(counted.group(1)) == len(found)
    if wanted is None:
        data_file = next(p.name for p in folder.iterdir() if p.name not in ("params.yaml", "expected.txt"))
        assert all(data_file in line or "params.yaml" in line for line in found), found
    else:
        assert sorted(found) == sorted(wanted)


def test_damaged_parquet_and_bad_yaml_name_file_and_line(capsys):
    folder = CORPUS / "parquet_damaged"
    assert main(["validate", "--params", str(folder / "params.yaml")]) == 2
    [line] = problem_lines(capsys.readouterr().err)
    assert line.startswith("orders.parquet: cannot be read as a Parquet file")
    folder = CORPUS / "params_yaml_syntax"
    assert main(["validate", "--params", str(folder / "params.yaml")]) == 2
    [line] = problem_lines(capsys.readouterr().err)
    # the flow mapping opened on line 1 is never closed; the parser notices on line 2
    assert line.startswith(f"{folder / 'params.yaml'}: not valid YAML at line 2")


def test_python_tag_in_params_runs_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folder = CORPUS / "params_python_tag"
    assert main(["validate", "--params", str(folder / "params.yaml")]) == 2
    assert "could not determine a constructor" in capsys.readouterr().err
    assert not (tmp_path / "planted.txt").exists() and not (folder / "planted.txt").exists()


def test_yaml_is_only_read_with_the_safe_loader():
    from smartacct_helpers.overrides import _UniqueKeyLoader

    assert issubclass(_UniqueKeyLoader, yaml.SafeLoader)
    for source in sorted((ROOT / "smartacct_helpers").rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for call in re.findall(r"yaml\.\w+\([^)]*\)?", text):
            name = call.split("(")[0]
            assert name in ("yaml.safe_load", "yaml.safe_dump", "yaml.load", "yaml.dump", "yaml.constructor"), call
            if name == "yaml.load":
                assert "Loader=" in call, f"{source.name}: {call}"
        for loader in re.findall(r"Loader=([\w.]+)", text):
            assert loader in ("_UniqueKeyLoader", "yaml.BaseLoader", "yaml.SafeLoader"), f"{source.name}: {loader}"
        assert "unsafe_load" not in text and "full_load" not in text and "yaml.Loader" not in text


def test_relative_params_path_from_another_working_directory_works(tmp_path):
    """Paths inside the params file are read from its folder, wherever the command runs."""
    folder = CORPUS / "missing_employees"  # good data with one warning: exit code 0
    params = os.path.relpath(folder / "params.yaml", tmp_path)
    done = subprocess.run(
        [console_script("smartacct"), "validate", "--params", params],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "orders" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "name",
    ["text_in_money_column", "params_abc_out_of_order", "xlsx_merged_cells", "params_path_relative_to_another_folder"],
)
def test_console_script(name):
    folder = CORPUS / name
    params, cwd = params_argument(folder)
    code, wanted = expected_of(folder, params)
    before = digest(folder)
    done = subprocess.run(
        [console_script("smartacct"), "validate", "--params", params],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )
    assert done.returncode == code
    assert "Traceback" not in done.stderr
    assert sorted(problem_lines(done.stderr)) == sorted(wanted)
    assert digest(folder) == before


def test_report_command_stops_on_bad_input_with_exit_2(tmp_path, capsys):
    folder = CORPUS / "unparseable_dates"
    assert main(["report", "--params", str(folder / "params.yaml"), "--out", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert "orders.csv, row 4, column 'date'" in err and "Traceback" not in err
    assert not list((tmp_path / "reports").rglob("report.html"))


def test_an_unforeseen_fault_gives_one_line_not_a_traceback(monkeypatch, capsys):
    import smartacct_helpers.delivery.validate as validate

    def broken(_):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(validate, "validate", broken)
    assert main(["validate", "--params", str(CORPUS / "empty_file" / "params.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "error: unexpected ZeroDivisionError: division by zero (run again with "
        "SMARTACCT_DEBUG=1 to see where it happened)"
    )


def test_a_reader_failing_unforeseen_is_a_problem_of_the_file(monkeypatch, capsys):
    from smartacct_helpers.intake import files

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(files, "_read_csv", broken)
    assert main(["validate", "--params", str(CORPUS / "text_in_money_column" / "params.yaml")]) == 2
    assert problem_lines(capsys.readouterr().err) == [
        "orders.csv: cannot be read (RecursionError: maximum recursion depth exceeded)"
    ]


# --- what is read with a warning instead ---------------------------------------------------------------


def load(folder: Path, **data):
    from smartacct_helpers.intake.tables import load_tables
    from smartacct_helpers.params import parse_params

    return load_tables(parse_params({"data": data}, folder, str(folder / "params.yaml")))


def test_excel_title_row_is_skipped_with_a_warning(tmp_path):
    import datetime as dt

    from tests.data.bad.make_corpus import HEADER, ROWS, xlsx

    (tmp_path / "orders.xlsx").write_bytes(xlsx({"Orders": [["Umsatzliste 2025"], [], HEADER] + ROWS}))
    t = load(tmp_path, orders="orders.xlsx")
    assert t.orders["revenue"].tolist() == [100.5, 250.0, 75.25]
    assert t.orders["date"].min() == dt.datetime(2025, 1, 15)
    [w] = t.warnings
    assert (w.row, w.severity) == (3, "warning")
    assert w.message == "the header is in row 3; the rows above it (starting with 'Umsatzliste 2025') are skipped"


def test_excel_sheet_chosen_in_the_params_and_the_others_named(tmp_path):
    from tests.data.bad.make_corpus import HEADER, ROWS, xlsx

    (tmp_path / "orders.xlsx").write_bytes(xlsx({"Info": [["Export"]], "Umsaetze": [HEADER] + ROWS, "Leer": []}))
    t = load(tmp_path, orders="orders.xlsx", sheets={"orders": "Umsaetze"})
    assert t.orders["customer_id"].tolist() == ["1001", "1002", "1003"] and not t.warnings
    # without the setting the first sheet is read and the other sheet holding data is named (the empty one not)
    (tmp_path / "two.xlsx").write_bytes(xlsx({"Umsaetze": [HEADER] + ROWS, "Notizen": [["Stand Januar"]], "Leer": []}))
    [w] = load(tmp_path, orders="two.xlsx").warnings
    assert w.message == (
        "the workbook has 2 sheets with data; the first, 'Umsaetze', is read and 'Notizen' "
        "ignored; choose another with data.sheets.orders"
    )


def test_merged_cells_outside_the_columns_read_do_not_matter(tmp_path):
    from tests.data.bad.make_corpus import HEADER, ROWS, xlsx

    rows = [["Umsatzliste", None, None, None], HEADER + ["remark"]] + [r + [None] for r in ROWS]
    rows[2][3] = "same remark for both"
    (tmp_path / "orders.xlsx").write_bytes(xlsx({"Orders": rows}, merge={"Orders": ["A1:D1", "D3:D4"]}))
    t = load(tmp_path, orders="orders.xlsx")
    assert len(t.orders) == 3
    assert [w.row for w in t.warnings] == [2]  # only the title row


def test_quoted_line_breaks_keep_the_row_numbers_true(tmp_path):
    (tmp_path / "orders.csv").write_text(
        'customer_id,date,revenue,order_id\n1001,2025-01-15,1.00,"A\nB"\n1002,2025-02-20,x,C\n', encoding="utf-8"
    )
    from smartacct_helpers.exceptions import InputDataError

    with pytest.raises(InputDataError) as err:
        load(tmp_path, orders="orders.csv")
    # the first record spans lines 2 and 3, so the bad amount is on line 4
    assert [(p.row, p.column) for p in err.value.problems] == [(4, "revenue")]


def test_utf16_with_byte_order_mark_is_read(tmp_path):
    from tests.data.bad.make_corpus import ORDERS

    (tmp_path / "orders.csv").write_bytes(ORDERS.encode("utf-16"))  # with BOM, as Excel's "Unicode text"
    assert load(tmp_path, orders="orders.csv").orders["revenue"].sum() == pytest.approx(100.5 + 250 + 75.25)


def test_german_text_numbers_in_an_excel_column(tmp_path):
    from tests.data.bad.make_corpus import HEADER, xlsx

    # amounts typed as text the German way next to a real number column: each column decided by itself
    rows = [
        HEADER + ["contribution_margin"],
        ["1001", "2025-01-15", "1.100,50", 20.5],
        ["1002", "2025-02-20", "250,00", 40.25],
    ]
    (tmp_path / "orders.xlsx").write_bytes(xlsx({"Orders": rows}))
    o = load(tmp_path, orders="orders.xlsx").orders
    assert o["revenue"].tolist() == [1100.5, 250.0]
    assert o["contribution_margin"].tolist() == [20.5, 40.25]


def test_empty_fields_after_the_last_column_are_fine(tmp_path):
    # some ERP systems end every line with the delimiter
    (tmp_path / "orders.csv").write_text(
        "customer_id;date;revenue;\n1001;15.01.2025;100,50;\n1002;20.02.2025;250,00;;\n", encoding="utf-8"
    )
    o = load(tmp_path, orders="orders.csv").orders
    assert o["customer_id"].tolist() == ["1001", "1002"] and o["revenue"].tolist() == [100.5, 250.0]


def test_a_column_wrong_throughout_is_named_20_times_then_counted(tmp_path):
    from smartacct_helpers.exceptions import InputDataError

    lines = "".join(f"{1000 + i},2025-01-15,x{i}\n" for i in range(25))  # 25 bad amounts on lines 2 to 26
    (tmp_path / "orders.csv").write_text("customer_id,date,revenue\n" + lines, encoding="utf-8")
    with pytest.raises(InputDataError) as err:
        load(tmp_path, orders="orders.csv")
    problems = err.value.problems
    assert [p.row for p in problems[:20]] == list(range(2, 22))
    assert str(problems[20]) == "orders.csv, column 'revenue': and 5 more rows like these, the last in row 26"
    assert len(problems) == 21
