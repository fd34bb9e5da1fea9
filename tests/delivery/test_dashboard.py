"""The dashboard's five answers, its pages of HTML and its server, without a browser.

The browser tests (tests/browser/test_dashboard.py) drive the served page;
these check the numbers behind it, worked out by hand from the sample's
files, and the server's edges that need no browser (a port in use, bad
data, the token rules).
"""

import html
import math
import re
import socket
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from smartacct_helpers.delivery import dashboard_answers as answers
from smartacct_helpers.delivery.dashboard import (
    ALL_REPS,
    calls_html,
    dashboard_page,
    inside_sales_html,
    key_accounts_html,
    open_every_tab,
    review_html,
    small_customers_html,
)
from smartacct_helpers.presentation.formatting import Numbers
from smartacct_helpers.presentation.sections import Needs
from smartacct_helpers.small_customers.analysis import classify
from tests.conftest import ROOT, SAMPLE_PARAMS


def sample_files():
    params = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    cols = {v: k for k, v in params["data"]["columns"]["orders"].items()}
    orders = pd.read_parquet(SAMPLE_PARAMS.parent / params["data"]["orders"]).rename(columns=cols)
    orders["date"] = pd.to_datetime(orders["date"])
    customers = pd.read_csv(
        SAMPLE_PARAMS.parent / params["data"]["customers"], sep=";", dtype=str, encoding="utf-8-sig"
    )
    return orders, customers


@pytest.fixture(scope="module")
def by_hand():
    """The sample's small customers in plain pandas: 8,593.75 EUR threshold, 24 months active window."""
    orders, customers = sample_files()
    ids = customers["Kundennummer"]
    ref = orders["date"].max()
    window = orders[orders["date"] > ref - pd.DateOffset(months=12)]
    revenue = window.groupby("customer_id")["revenue"].sum().reindex(ids, fill_value=0.0)
    last = orders.groupby("customer_id")["date"].max().reindex(ids)
    below = (revenue < 8593.75).to_numpy()
    active = (last > ref - pd.DateOffset(months=24)).fillna(False).to_numpy()
    return {
        "customers": len(ids),
        "to_manage": int((below & active).sum()),
        "below_inactive": int((below & ~active).sum()),
        "above": int((~below).sum()),
        "revenue_to_manage": float(revenue[below & active].clip(lower=0).sum()),
        "inside_reps": sorted(customers["Innendienst"].dropna().unique()),
        "with_inside_rep": int(customers["Innendienst"].notna().sum()),
    }


def test_the_controls_move_the_assumptions_as_the_notebooks_sliders_do():
    from smartacct_helpers.delivery.dashboard import SLIDER_RANGES
    from smartacct_helpers.presentation.widgets import SLIDERS

    for name, (low, high, step) in SLIDER_RANGES.items():
        assert (SLIDERS[name].low, SLIDERS[name].high, SLIDERS[name].step) == (low, high, step), name


# -- 1. small customers ------------------------------------------------------------------------------------------


def test_what_the_small_customers_cost_on_the_sample(sample_workbook, by_hand):
    costs = answers.small_customer_costs(classify(sample_workbook), sample_workbook.assumptions, with_bands=True)
    # 110,000 / (200 x 4) = 137.50 a visit; x 5 visits = 687.50 a customer and year; / 8 % = 8,593.75
    assert (costs.visit_cost, costs.management_cost, costs.threshold) == (137.5, 687.5, 8593.75)
    assert costs.customers == by_hand["customers"] == 6500
    assert (costs.to_manage, costs.below_inactive, costs.above) == (
        by_hand["to_manage"],
        by_hand["below_inactive"],
        by_hand["above"],
    )
    assert costs.field_cost == by_hand["to_manage"] * 687.5
    assert costs.revenue_to_manage == pytest.approx(by_hand["revenue_to_manage"], abs=0.01)
    bands = costs.bands
    # the chart's bars count every customer once, in the group the legend names
    assert [int(bands[g].sum()) for g in answers.GROUPS] == [costs.to_manage, costs.below_inactive, costs.above]
    holds = bands[bands["holds_threshold"]].iloc[0]
    assert holds["low"] <= 8593.75 < holds["high"]
    above = bands[bands["high"] <= 8593.75]  # bands wholly below the threshold hold nobody above it
    assert int(above["above"].sum()) == 0


def test_the_first_tab_shows_one_threshold_and_one_count(sample_workbook, by_hand):
    a = sample_workbook.assumptions
    costs = answers.small_customer_costs(classify(sample_workbook), a, with_bands=True)
    page = small_customers_html(costs, a, Numbers())
    assert (
        page.count("8,593.75 EUR") >= 3
    )  # the card, the chart's mark and the lead, the same text, as the report writes it
    assert "sales threshold 8,593.75 EUR" in page and "8,594" not in page
    legend = re.findall(r"sa-legend-item'>.*?</span>([^<]*)</span>", page)
    counts = [int(text.rsplit(": ", 1)[1].replace(",", "")) for text in legend]
    assert counts == [by_hand["to_manage"], by_hand["below_inactive"], by_hand["above"]]
    assert "customers to manage (below the threshold, ordered in the last 24 months)" in legend[0]


# -- 2. inside sales ---------------------------------------------------------------------------------------------


def test_does_inside_sales_pay_at_400_and_450_customers_per_rep(sample_workbook, by_hand):
    classified = classify(sample_workbook)
    n = by_hand["to_manage"]
    for capacity in (400, 450):
        case = answers.inside_sales_case(sample_workbook, classified, capacity)
        reps = math.ceil(n / capacity)
        assert case.own.headcount == case.external.headcount == reps
        # own: reps x 65,000 + a project manager 90,000 + systems 25,000; external: reps x 6,500 x 12 + 90,000
        assert case.own.cost["total"] == reps * 65_000 + 115_000
        assert case.external.cost["total"] == reps * 6_500 * 12 + 90_000
        assert case.limits is None and 0 <= case.chance_own <= 1 and 0 <= case.chance_external <= 1
    page = inside_sales_html(case, Numbers())
    assert f"{reps * 65_000 + 115_000:,} EUR" in page and "external provider" in page


def _card(page: str, key: str) -> tuple[str, str]:
    """The value and the note of the card ``key`` on a tab's HTML."""
    found = re.search(
        rf"data-key='{key}'><div class='label'>[^<]*</div><div class='value'>([^<]*)</div><div class='note'>([^<]*)<",
        page,
    )
    assert found, key
    return found.group(1), found.group(2)


def test_the_dashboard_writes_the_return_and_the_chance_as_the_report_does(sample_workbook):
    from smartacct_helpers.inside_sales.figures import business_case_figures

    summary = business_case_figures(sample_workbook)  # the figures summary.json holds
    de = Numbers("EUR", "de")  # the sample's number format
    # the page as it opens: the middle of the params' capacities 350 / 400 / 450
    case = answers.inside_sales_case(sample_workbook, classify(sample_workbook), 400)
    page = inside_sales_html(case, de)
    roi, _ = _card(page, "roi")
    chance, note = _card(page, "chance")
    # The report's page one on the sample: "return on investment 37,4 % over the business case's horizon,
    # ... probability of paying back within 24 months 91,5 %": one decimal, and the same 24 months.
    assert (roi, chance) == ("37,4 %", "91,5 %")
    assert note.startswith("within 24 months")
    assert roi == de.share(summary["roi"]) and chance == de.share(summary["probability_payback_24m"])
    assert "chance of paying back within 24 months" in page and "within 36 months" not in page.split("chance")[1]
    # the ROI and payback themselves stay reckoned over business_case_months (36 on the sample)
    assert "return over 36 months" in page


def test_the_dashboard_writes_days_as_the_report_does(sample_workbook, by_hand):
    orders, _ = sample_files()
    last = orders["date"].max()  # the sample's reference date: its last invoice day
    page = open_every_tab(dashboard_page(sample_workbook))
    text = " ".join(_texts(page))
    assert f"Data up to {last:%d.%m.%Y}" in text  # de, as the report writes 31.12.2025
    assert f"{last:%b %Y}" not in text  # no "31 Dec 2025" any more
    # every day of the call lists is written the German way too
    days = re.findall(r">(\d\d\.\d\d\.\d{4})</td>", text)
    assert days and not re.search(r">\d{1,2} [A-Z][a-z]{2} \d{4}<", text)


def test_inside_sales_without_customers_to_manage_says_so(sample_workbook):
    nobody = classify(sample_workbook).assign(to_manage=False)
    case = answers.inside_sales_case(sample_workbook, nobody, 400)
    assert case.customers == 0 and case.own.headcount == 0
    page = inside_sales_html(case, Numbers())
    assert "This section would show what an inside-sales team for the small customers costs and returns" in page


# -- 3. key accounts ---------------------------------------------------------------------------------------------


def test_the_key_accounts_at_risk_are_named_with_their_reasons(sample_workbook):
    from smartacct_helpers.key_accounts.analysis import analysis_of

    answer = answers.key_accounts_at_risk(sample_workbook)
    risk = answer.at_risk
    key = analysis_of(sample_workbook).key_accounts
    assert answer.key_accounts == len(key) == 20
    assert len(risk) and all(len(r) >= 1 for r in risk["reasons"])
    high = set(key.loc[key["competitor_activity"] == "high", "customer_id"])
    assert high <= set(risk["customer_id"])  # every one with high competition is listed
    assert all(
        ("high competitor activity" in r) == (c in high)
        for c, r in zip(risk["customer_id"], risk["reasons"], strict=True)
    )
    assert risk["margin_lost"].is_monotonic_decreasing
    # losing them all loses the sum of their margins
    assert answer.loss_all["margin_lost"] == pytest.approx(risk["margin_lost"].sum())
    assert not risk["name"].str.fullmatch(r"\d+").any()  # names, not ids
    page = key_accounts_html(answer, Numbers())
    assert "Herfindahl" not in page and "spread over many customers" in page
    # a falling trend says over how long (trend_years: 3 on the sample), apart from the year-on-year warning
    falling = [x for r in risk["reasons"] for x in r if x.startswith("revenue falling")]
    assert falling and all(x.endswith("a year over the last 3 years") for x in falling)
    # an account that grew on the year before while its trend falls says both in one reason, never side by side
    for reasons in risk["reasons"]:
        text = "; ".join(reasons)
        assert not ("revenue up" in text and "revenue falling by" in text), reasons
    both = [x for r in risk["reasons"] for x in r if x.startswith("revenue up") and "still falling by" in x]
    assert both, "the sample holds a key account that grew on the year before against a falling trend"
    assert all(re.search(r", after (a|two|three) falling years?: over the last 3 years still", x) for x in both)


def test_growth_on_the_year_before_after_falling_years_by_hand():
    from smartacct_helpers.delivery.dashboard_customer_answers import falling_years_before, grown_after_falling

    # 500 -> 400 -> 300 -> 390: up 30 % on the year before, after two falling years (400 < 500, 300 < 400);
    # the least-squares slope over x = -1.5, -0.5, 0.5, 1.5 (mean 397.5) is
    # (102.5 x -1.5 + 2.5 x -0.5 - 97.5 x 0.5 - 7.5 x 1.5) / 5 = -215 / 5 = -43 a year, 43 / 390 = 11 % of the last
    yearly = [500.0, 400.0, 300.0, 390.0]
    assert falling_years_before(yearly) == 2
    text = grown_after_falling(
        yearly,
        "revenue up 30 % on the year before (300 € -> 390 €)",
        -43 / 390,
        "the last 4 years",
        Numbers("EUR", "de"),
    )
    assert text == (
        "revenue up 30 % on the year before (300 € -> 390 €), after two falling years: over the last 4 years "
        "still falling by 11 % a year (500 € -> 400 € -> 300 € -> 390 €)"
    )
    # 300 -> 500 -> 400 -> 450: one fall (500 -> 400) right before the last year, after a rise; 400 -> 500: none
    assert falling_years_before([300.0, 500.0, 400.0, 450.0]) == 1
    assert falling_years_before([300.0, 400.0, 500.0, 450.0]) == 0


def test_the_key_accounts_answer_without_revenue_says_what_it_needs():
    assert isinstance(answers.REVENUE_NEEDS, str)
    page = key_accounts_html(Needs("the key accounts at risk", answers.REVENUE_NEEDS), Numbers())
    assert "This section would show the key accounts at risk; it needs customers with revenue" in page


# -- 4. calls ----------------------------------------------------------------------------------------------------


def test_this_weeks_calls_per_inside_rep(sample_workbook, by_hand):
    from smartacct_helpers.early_warning.rhythm import early_warning_count

    calls = answers.calls_this_week(sample_workbook)
    assert calls.rep_column == "inside_rep"
    assert calls.warned == early_warning_count(sample_workbook)
    assert list(calls.lists) == [*by_hand["inside_reps"], answers.UNASSIGNED]
    assert all(0 < len(v) <= 25 for v in calls.lists.values())
    assert all(r for v in calls.lists.values() for r in v["reason"])
    one = by_hand["inside_reps"][0]
    page = calls_html(calls, one, Numbers())
    assert len(re.findall(f">{one}</td>", page)) == len(calls.lists[one])
    everyone = calls_html(calls, ALL_REPS, Numbers())
    # a line per list, and the 25 most urgent calls of all lists: two headers, 4 lines, 25 calls
    assert everyone.count("<tr>") == 2 + len(calls.lists) + 25
    # the last column, the chance still buying in % with one decimal, as the report's tables write it
    urgent = re.findall(r">(\d+\.\d)</td></tr>", everyone.split("data-key='calls_table'")[1])
    firsts = [round(100 * float(v["probability_alive"].iloc[0]), 1) for v in calls.lists.values()]
    assert len(urgent) == 25 and float(urgent[0]) == min(firsts)  # the least likely to buy first
    # the sample's most urgent call shows 0.0 (it ordered about every 42 days, silent for 338): a note says why
    from smartacct_helpers.delivery.dashboard import most_urgent

    first = most_urgent(calls).iloc[0]
    assert urgent[0] == "0.0"
    text = html.unescape(everyone)
    assert f"Why {first['name']} shows a chance of still buying of 0.0 %: it used to order about every" in text
    assert f"has now gone {first['days_since_last_order']:.0f} days without an order" in text
    assert "takes it to have stopped buying" in text


def test_the_tables_speak_the_words_of_the_report(sample_workbook):
    calls = answers.calls_this_week(sample_workbook)
    page = calls_html(calls, ALL_REPS, Numbers("EUR", "de"))
    table = page.split("data-key='calls_table'>")[1]
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", table.split("</thead>")[0])
    # the column catalogue's words, with their units in the client's format, as in the report's tables
    assert heads == [
        "Customer",
        "Inside rep",
        "Reason",
        "Last order",
        "Revenue, last 12 months (€)",
        "Probability of still buying (%)",
    ]
    first = re.findall(r"<td[^>]*>([^<]*)</td>", table.split("<tbody>")[1].split("</tr>")[0])
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", first[3]) and re.fullmatch(r"\d+,\d", first[5])
    assert "sa-table" in page and "smartacct-table" in page  # the table layer's markup, the page's style


def test_without_inside_reps_the_calls_follow_the_outside_reps(variants):
    from smartacct_helpers.facts.workbook import Workbook

    params, tables = variants["customers without inside_rep"]
    calls = answers.calls_this_week(Workbook.from_tables(params, tables))
    assert calls.rep_column == "outside_rep"
    outside = set(tables.customers["outside_rep"].dropna())
    assert calls.lists and set(calls.lists) - {answers.UNASSIGNED} <= outside


# -- 5. did it work? ---------------------------------------------------------------------------------------------


def test_the_year_one_review_on_the_sample(sample_workbook, by_hand):
    from smartacct_helpers.review.analysis import tracking_figures

    answer = answers.year_one_kpis(sample_workbook)
    assert answer.managed == by_hand["with_inside_rep"] == 918  # 326 + 300 + 292 with an inside rep
    assert answer.team_size == len(by_hand["inside_reps"]) == 3
    assert answer.paid_back_month == tracking_figures(sample_workbook)["amortisation_month"]
    page = review_html(answer, Numbers())
    # the programme start 2025-01-01 of the sample's params, written as the report writes days
    assert f"month {answer.paid_back_month}" in page and "2025-01-01" in page
    assert "01.01.2025" in review_html(answer, Numbers("EUR", "de"))


def test_without_a_programme_start_the_review_says_what_it_needs(sample_workbook):
    answer = answers.year_one_kpis(sample_workbook.with_assumptions(programme_start=None))
    assert isinstance(answer, Needs)
    assert "programme_start" in str(answer)
    assert "This section would show the year-one review" in review_html(answer, Numbers())


# -- the page on inputs a client may have ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    from smartacct_helpers.intake.tables import load_tables
    from smartacct_helpers.params import load_params
    from smartacct_helpers.sample.write import write_sample
    from tests.degradation import variants

    folder = tmp_path_factory.mktemp("variants")
    write_sample(folder, customers=300, years=5, seed=11)
    params = load_params(folder / "params.yaml")
    return variants(params, load_tables(params))


def _texts(widget):
    yield str(getattr(widget, "value", ""))
    for child in getattr(widget, "children", ()):
        yield from _texts(child)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_the_page_opens_with_the_first_tab_and_builds_each_other_when_chosen(sample_workbook):
    import ipywidgets

    page = dashboard_page(sample_workbook)

    def bodies():
        return sorted(c for w in _walk(page) for c in getattr(w, "_dom_classes", ()) if c.startswith("sa-body-"))

    assert bodies() == ["sa-body-small"]
    tabs = next(w for w in _walk(page) if isinstance(w, ipywidgets.Tab))
    tabs.selected_index = 3  # whom to call
    assert bodies() == ["sa-body-calls", "sa-body-small"]
    tabs.selected_index = 1  # inside sales: its controls come with it, and the first tab's still move it
    assert bodies() == ["sa-body-calls", "sa-body-inside", "sa-body-small"]
    before = next(w for w in _walk(page) if "sa-body-inside" in w._dom_classes).value
    next(w for w in _walk(page) if "sa-visits" in getattr(w, "_dom_classes", ())).value = 6
    assert next(w for w in _walk(page) if "sa-body-inside" in w._dom_classes).value != before
    tabs.selected_index = 3  # chosen again: built once, kept
    assert bodies() == ["sa-body-calls", "sa-body-inside", "sa-body-small"]


@pytest.mark.parametrize(
    "name, sentences",
    [
        ("orders only", ["one list for everyone", "gives no competitor activity"]),
        ("13 months of history", ["This section would show the year-one review", "no trend counts"]),
        ("no activities file", ["field visits they get today are not known"]),
    ],
)
def test_the_page_on_short_or_thin_data_says_what_is_missing(variants, name, sentences):
    from smartacct_helpers.facts.workbook import Workbook

    params, tables = variants[name]
    page = open_every_tab(dashboard_page(Workbook.from_tables(params, tables)))
    text = " ".join(_texts(page))
    assert "class='sa-problem'" not in text
    for sentence in sentences:
        assert sentence in text, sentence
    assert not re.search(r"\bnan\b|\bNaN\b|None\b(?! of)", re.sub("<[^>]+>", " ", text))


# -- the server --------------------------------------------------------------------------------------------------


def _dashboard(*args, env=None, timeout=120):
    import os

    return subprocess.run(
        [sys.executable, "-m", "smartacct_helpers", "dashboard", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_a_port_in_use_exits_2_naming_the_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _dashboard("--port", str(port))
    assert done.returncode == 2
    assert f"port {port} is already in use" in done.stderr


def test_bad_data_stops_the_start_with_exit_2_naming_file_row_and_column(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "customer_id,date,revenue\nA1,2024-03-01,100.00\nA2,2024-03-02,lots\n", encoding="utf-8"
    )
    (tmp_path / "params.yaml").write_text("data: {orders: orders.csv}\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = _dashboard("--params", str(tmp_path / "params.yaml"), "--port", str(port))
    assert done.returncode == 2, done.stderr
    assert "orders.csv" in done.stderr and "row 3" in done.stderr and "revenue" in done.stderr


def test_a_bad_pool_size_is_refused():
    from smartacct_helpers.delivery.dashboard_server import StartError, pool_size

    with pytest.raises(StartError, match="SMARTACCT_DASHBOARD_POOL"):
        pool_size({"SMARTACCT_DASHBOARD_POOL": "many"})


def test_the_token_rules():
    from smartacct_helpers.delivery.dashboard_server import choose_token

    assert choose_token("127.0.0.1", {}) == (None, False)
    assert choose_token("localhost", {}) == (None, False)
    first, generated = choose_token("0.0.0.0", {})
    second, _ = choose_token("0.0.0.0", {})
    assert generated and first != second and len(first) >= 32
    assert choose_token("192.168.1.20", {"SMARTACCT_DASHBOARD_TOKEN": " key "}) == ("key", False)


def test_the_pages_without_the_dashboard_show_no_data():
    from smartacct_helpers.delivery.dashboard_server import access_key_page, not_found_page

    page = not_found_page("/")
    assert "href='/'" in page and "no such page" in page and "http" not in page.replace("http-equiv", "")
    key = access_key_page("/login", "/", "<input type='hidden' name='_xsrf' value='x'>", wrong=True)
    assert "name='password'" in key and "not the access key" in key and "http" not in key


def test_a_kernel_reads_the_files_again_once_one_changed(tmp_path, small_sample, monkeypatch):
    import os
    import shutil

    from smartacct_helpers.delivery.dashboard import kept_answers, open_workbook
    from smartacct_helpers.delivery.dashboard_server import STAMPS_FILE, write_snapshot
    from smartacct_helpers.facts.workbook import SNAPSHOT, Workbook

    data = tmp_path / "data"
    shutil.copytree(small_sample.parent, data)
    folder = tmp_path / "snapshot"
    folder.mkdir()
    assert write_snapshot(data / "params.yaml", folder) == folder
    assert (folder / STAMPS_FILE).is_file()
    opened = []
    real = Workbook.from_snapshot.__func__
    monkeypatch.setattr(Workbook, "from_snapshot", classmethod(lambda cls, *a: opened.append(a) or real(cls, *a)))
    monkeypatch.setenv(SNAPSHOT, str(folder))
    first = open_workbook(data / "params.yaml")
    assert len(opened) == 1 and first is not None
    kept = kept_answers(first)  # the answers computed once at the start come along
    assert set(kept) == {"key", "calls", "review"}
    assert kept["calls"].warned == answers.calls_this_week(first).warned
    orders = next(p for p in data.iterdir() if p.name.startswith("orders"))
    os.utime(orders, ns=(orders.stat().st_atime_ns, orders.stat().st_mtime_ns + 10**9))  # a new export
    second = open_workbook(data / "params.yaml")
    assert len(opened) == 1  # not from the snapshot: the files were read
    assert SNAPSHOT not in os.environ and kept_answers(second) is None
    assert len(second.customers) == len(first.customers)


def test_the_dashboard_benchmark_runs_on_the_sample():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_dashboard", ROOT / "benchmarks" / "bench_dashboard.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.main(["--changes", "2"])["in_process"]
    assert result["customers"] == 6500
    assert set(result["changes_ms"]) == {"sa-ratio", "sa-visits", "sa-capacity", "sa-uplift", "sa-rep"}
    assert all(len(t["all"]) >= 2 and t["median"] > 0 for t in result["changes_ms"].values())


def test_a_german_client_reads_the_whole_page_in_its_number_format(small_sample):
    from smartacct_helpers.facts.workbook import Workbook

    page = open_every_tab(dashboard_page(Workbook.open(small_sample, {"number_format": "de"})))
    text = re.sub("<[^>]+>", " ", " ".join(_texts(page)))
    # German amounts: a dot between thousands and the euro sign after the number ("12.345 €");
    # shares with a decimal comma ("12,3 %"); nothing left in the English style.
    assert re.search(r"\d{1,3}(\.\d{3})+ €", text)
    assert re.search(r"\d+,\d %", text)
    assert not re.search(r"\d,\d{3} EUR|\d\.\d %", text)


def test_with_kept_reports_the_review_tab_shows_their_trends(small_sample, tmp_path):
    import json

    from smartacct_helpers.delivery.dashboard import trends_html
    from smartacct_helpers.params import load_params
    from smartacct_helpers.presentation.formatting import Numbers

    params = load_params(small_sample)
    folder = tmp_path / params.client_slug
    for day, to_manage in (("2025-10-31", 280), ("2025-11-30", 276)):
        (folder / day).mkdir(parents=True)
        figures = {"reference_date": day, "customers_to_manage": to_manage, "hhi": 0.05}
        (folder / day / "summary.json").write_text(json.dumps(figures), encoding="utf-8")
    text = trends_html(tmp_path, params, Numbers())
    assert "over the 2 kept reports, the last of 2025-11-30" in text and "data:image/png;base64," in text
    # one kept report, or no folder: nothing to draw
    assert trends_html(None, params, Numbers()) == ""
    (folder / "2025-10-31" / "summary.json").unlink()
    assert trends_html(tmp_path, params, Numbers()) == ""


def test_the_page_offers_its_first_tab_as_plain_html_with_the_live_numbers(sample_workbook, variants):
    """The first paint, which the page template shows until the browser has drawn the widgets."""
    from smartacct_helpers.facts.workbook import Workbook

    page = dashboard_page(sample_workbook)
    bundle = page._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # Voila and JupyterLab still draw the widgets
    paint = bundle["text/html"]
    assert paint.startswith('<div id="sa-first-paint"')
    # the same title and answer, to the character, as the live widgets hold
    body = next(w for w in _walk(page) if "sa-body-small" in getattr(w, "_dom_classes", ())).value
    assert body in paint and page.children[0].value in paint
    # 110,000 EUR / (200 days x 4 visits) = 137.50 a visit; the sample writes it the German way
    assert "<div class='value'>137,50 €</div>" in paint
    # every tab's title, the first one shown as chosen, and the first tab's two controls with their values
    assert (
        len(re.findall(r"class='sa-fp-tab( sa-fp-current)?'", paint)) == 5
        and "sa-fp-tab sa-fp-current'>What small customers cost<" in paint
    )
    assert "Field visits a customer needs a year: 5" in paint
    assert "Highest sales cost, as a share of a customer&#x27;s revenue: 8,0 %" in paint
    # the handle of the visits slider (2 to 8, at 5) sits half-way along its 348 px track: 6 + 174 = 180 px
    assert "style='left:180px'" in paint
    # a control moved later changes the live page, not the first paint, which only the first load shows
    next(w for w in _walk(page) if "sa-visits" in getattr(w, "_dom_classes", ())).value = 6
    assert page._repr_mimebundle_()["text/html"] == paint
    # thin data: the first paint holds what the live page says
    params, tables = variants["orders only"]
    thin = dashboard_page(Workbook.from_tables(params, tables))
    thin_body = next(w for w in _walk(thin) if "sa-body-small" in getattr(w, "_dom_classes", ())).value
    assert thin_body in thin._repr_mimebundle_()["text/html"]


def test_a_page_that_opens_with_a_problem_has_no_first_paint(sample_workbook, monkeypatch):
    """A problem shows live only: the first paint never shows an answer the live page replaces by a message."""
    from smartacct_helpers.delivery import dashboard as module

    def broken(*args, **kwargs):
        raise ValueError("no threshold")

    monkeypatch.setattr(module, "small_customers_html", broken)
    page = dashboard_page(sample_workbook)
    assert "no threshold" in page.children[1].value
    assert "text/html" not in page._repr_mimebundle_()
