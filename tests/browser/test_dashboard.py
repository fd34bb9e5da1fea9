"""The manager dashboard in a real headless Chromium, served by `smartacct dashboard`.

The five answers on their tabs, one truth between cards and charts, every
control moving something visible, two viewers independent of each other,
memory given back after pages close, a friendly page for a wrong address, no
request leaving the machine, and the token off the loopback. Times are
written to tests/artifacts (and reported in benchmarks/RESULTS.md), never
asserted.
"""

import contextlib
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pandas as pd
import psutil
import pytest
import yaml

from tests.conftest import ARTIFACTS, ROOT, SAMPLE_PARAMS

ERROR_WORDS = ["Traceback", "Error", "Exception", "nan", "NaN"]
CLIENT = "Sample Elektro GmbH"
TABS = [
    "What small customers cost",
    "Does inside sales pay?",
    "Key accounts at risk",
    "Whom to call this week",
    "Did it work?",
]
QUESTIONS = [
    "What do the small customers cost today?",
    "Does inside sales pay?",
    "Which key accounts are at risk?",
    "Whom do we call this week?",
    "Did it work?",
]


def german(text: str) -> str:
    """An English-style figure written the German way, as the sample's number_format asks: 1,234.5 EUR -> 1.234,5 €."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".").replace(" EUR", " €")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_tables():
    params = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    cols = {v: k for k, v in params["data"]["columns"]["orders"].items()}
    orders = pd.read_parquet(SAMPLE_PARAMS.parent / params["data"]["orders"]).rename(columns=cols)
    orders["date"] = pd.to_datetime(orders["date"])
    customers = pd.read_csv(
        SAMPLE_PARAMS.parent / params["data"]["customers"], sep=";", dtype=str, encoding="utf-8-sig"
    )
    return params, orders, customers


def customers_to_manage_by_hand(threshold: float = 8593.75) -> int:
    """Customers below ``threshold`` in 2025 with an order in the last 24 months, in plain pandas."""
    params, orders, customers = sample_tables()
    ids = customers[params["data"]["columns"]["customers"]["customer_id"]]
    ref = orders["date"].max()
    window = orders[orders["date"] > ref - pd.DateOffset(months=12)]
    revenue = window.groupby("customer_id")["revenue"].sum().reindex(ids, fill_value=0.0)
    last = orders.groupby("customer_id")["date"].max().reindex(ids)
    below = revenue < threshold
    active = (last > ref - pd.DateOffset(months=24)).fillna(False)
    return int((below & active).sum())


# -- the server ------------------------------------------------------------------------------------------------


class Dashboard:
    """A `smartacct dashboard` process and what it printed."""

    def __init__(self, *args: str, env: dict | None = None):
        self.port = free_port()
        command = [sys.executable, "-m", "smartacct_helpers", "dashboard", "--port", str(self.port), *args]
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(iter(self.proc.stdout.readline, "")), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/"

    def wait_ready(self, timeout: float = 180) -> None:
        """Until Voila's pool is filled and its kernels have computed the page."""
        deadline = time.monotonic() + timeout
        while not any("is filled" in line for line in self.log):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail("the dashboard server did not get ready:\n" + "".join(self.log))
            time.sleep(0.2)
        wait_until_kernels_idle(self.proc.pid, deadline)

    def kernels(self) -> list[psutil.Process]:
        return [p for p in psutil.Process(self.proc.pid).children(recursive=True) if is_kernel(p)]

    def tree_mib(self) -> float:
        """Memory (RSS) of the server and everything it started, in MiB."""
        server = psutil.Process(self.proc.pid)
        total = 0
        for p in [server, *server.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child that ended meanwhile
                total += p.memory_info().rss
        return total / 2**20

    def stop(self) -> list[str]:
        """Stop as a service manager does; what was still running afterwards."""
        started = psutil.Process(self.proc.pid).children(recursive=True)  # Voila's kernels
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        _, alive = psutil.wait_procs(started, timeout=20)
        for p in alive:
            p.kill()
        return [" ".join(p.cmdline()[:3]) for p in alive]


def is_kernel(process: psutil.Process) -> bool:
    try:
        return "ipykernel" in " ".join(process.cmdline())
    except psutil.Error:  # gone, or a zombie being reaped
        return False


def wait_until_kernels_idle(server_pid: int, deadline: float) -> None:
    """Wait until the pre-heated kernels have run the notebook: their CPU time stops growing for a second."""
    server = psutil.Process(server_pid)
    last = -1.0
    while time.monotonic() < deadline:
        kernels = [p for p in server.children(recursive=True) if is_kernel(p)]
        try:
            used = sum(sum(p.cpu_times()[:2]) for p in kernels)
        except psutil.Error:
            used = -2.0
        if kernels and used == last:
            return
        last = used
        time.sleep(1.0)


@pytest.fixture(scope="module")
def dashboard():
    """`smartacct dashboard` on the sample and a free port, ready once its kernels have computed the page."""
    server = Dashboard()
    server.wait_ready()
    yield server
    alive = server.stop()
    assert not alive, f"still running after the dashboard was stopped: {alive}"


@pytest.fixture(scope="module")
def dashboard_url(dashboard):
    return dashboard.url


@pytest.fixture()
def pages(browser):
    """New pages, each closed after the test whatever happens (an open page keeps its kernel)."""
    opened = []

    def new(**kwargs):
        page = browser.new_page(**kwargs)
        opened.append(page)
        return page

    yield new
    for page in opened:
        if not page.is_closed():
            page.close()


def open_dashboard(new_page, url: str, width: int = 1366, height: int = 900):
    page = new_page(viewport={"width": width, "height": height})
    started = time.monotonic()
    page.goto(url)
    page.wait_for_selector(".sa-body-small .sa-card[data-key=to_manage]", timeout=90_000)
    return page, time.monotonic() - started


#: each tab's body, by its title
BODIES = dict(zip(TABS, ["small", "inside", "key", "calls", "review"], strict=True))


def tab(page, title: str) -> None:
    """Choose a tab and wait until its answer shows (a tab is built the first time it is chosen)."""
    page.locator(".lm-TabBar-tab", has_text=title).click()
    page.wait_for_selector(f".sa-body-{BODIES[title]} .sa-q", state="visible", timeout=30_000)
    page.wait_for_timeout(300)


def card(page, body: str, key: str) -> str:
    return page.locator(f".sa-body-{body} .sa-card[data-key={key}] .value").inner_text()


def press(page, control: str, key: str = "ArrowRight", times: int = 1) -> None:
    handle = page.locator(f".{control} .noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def wait_changed(page, body: str, before: str, timeout: int = 20_000) -> str:
    """The tab body's HTML once it differs from ``before``."""
    page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).innerHTML !== before",
        arg=[f".sa-body-{body}", before],
        timeout=timeout,
    )
    return page.locator(f".sa-body-{body}").inner_html()


# -- tests -----------------------------------------------------------------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port``, read from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            next(fh)
            for line in fh:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                    found.add(address)
    return found


def test_dashboard_binds_to_loopback_only(dashboard):
    # 0100007F is 127.0.0.1 in the kernel's little-endian notation; 0.0.0.0 would be 00000000
    assert listening_addresses(dashboard.port) == {"0100007F"}


def test_the_five_answers_each_on_its_tab(pages, dashboard_url):
    to_manage = customers_to_manage_by_hand()
    page, first_render = open_dashboard(pages, dashboard_url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "dashboard_first_render.txt").write_text(f"{first_render:.2f} s\n")
    assert page.title() == CLIENT
    titles = page.locator(".lm-TabBar-tab").all_inner_texts()
    assert [t.strip() for t in titles] == TABS
    # the page opens with the first tab's widgets alone; the others are built when first chosen
    assert [page.locator(f".sa-body-{key}").count() for key in BODIES.values()] == [1, 0, 0, 0, 0]
    last_day = sample_tables()[1]["date"].max()  # the sample's last invoice day, written as the report does
    assert f"Data up to {last_day:%d.%m.%Y}" in page.locator(".sa-sub").inner_text()

    # 1. small customers: 110,000 / (200 x 4) = 137.50 a visit, x 5 = 687.50 a year, / 8 % = 8,593.75
    # the sample writes numbers the German way (number_format: de): 137,50 €, 8.593,75 €
    assert card(page, "small", "visit_cost") == "137,50 €"
    assert card(page, "small", "management_cost") == "687,50 €"
    assert card(page, "small", "threshold") == "8.593,75 €"
    assert card(page, "small", "to_manage") == german(f"{to_manage:,}")
    assert card(page, "small", "field_cost") == german(f"{to_manage * 687.5:,.0f} EUR")
    for i, (title, question) in enumerate(zip(TABS, QUESTIONS, strict=True), start=1):
        tab(page, title)
        assert page.locator(".sa-q:visible").all_inner_texts() == [question]
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{i}.png"))
    # 2. inside sales at 400 customers per rep (the middle capacity): 11 reps x 65,000 + 90,000 + 25,000
    tab(page, TABS[1])
    assert card(page, "inside", "headcount") == str(math.ceil(to_manage / 400))
    assert card(page, "inside", "cost") == german(f"{math.ceil(to_manage / 400) * 65_000 + 115_000:,} EUR")
    assert card(page, "inside", "payback")
    # the return and the chance of paying back as the report's page one writes them on the sample
    # ("return on investment 37,4 %", "probability of paying back within 24 months 91,5 %")
    assert (card(page, "inside", "roi"), card(page, "inside", "chance")) == ("37,4 %", "91,5 %")
    assert page.locator(".sa-body-inside .sa-card[data-key=chance] .note").inner_text().startswith("within 24 months")
    # 3. the key accounts at risk are named, each with a reason and what losing it costs
    tab(page, TABS[2])
    rows = page.locator(".sa-body-key table[data-key=at_risk_table] tbody tr")
    assert rows.count() == int(card(page, "key", "at_risk"))
    heads = page.locator(".sa-body-key table[data-key=at_risk_table] thead th").all_inner_texts()
    assert heads[0] == "Customer" and heads[1] == "Share of revenue (%)" and heads[4] == "Why at risk"
    assert heads[5] == "Contribution margin lost (€)"  # the words and units of the report's tables
    first = rows.first.locator("td").all_inner_texts()
    assert first[0] and re.fullmatch(r"\d+,\d", first[1]) and first[4] and re.fullmatch(r"[\d.]+", first[5])
    # 4. whom to call: named customers with the reason
    tab(page, TABS[3])  # every inside rep: a line per list, and the 25 most urgent calls of all lists
    per_list = page.locator(".sa-body-calls table[data-key=lists_table] tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(n) for n in per_list) == int(card(page, "calls", "calls").replace(".", "")) > 0
    assert page.locator(".sa-body-calls table[data-key=calls_table] tbody tr").count() == 25
    assert "no order for" in page.locator(".sa-body-calls").inner_text()
    last_orders = page.locator(".sa-body-calls table[data-key=calls_table] tbody tr td:nth-child(4)").all_inner_texts()
    assert all(re.fullmatch(r"\d\d\.\d\d\.20\d\d", day) for day in last_orders)  # 31.12.2025, as the report
    # 5. the sample sets a programme start: the review's figures
    tab(page, TABS[4])
    assert card(page, "review", "paid_back").startswith("month")
    text = page.inner_text("body")
    assert not [word for word in ERROR_WORDS if re.search(rf"\b{word}\b", text)]
    page.close()


def test_no_label_is_cut(pages, dashboard_url):
    page, _ = open_dashboard(pages, dashboard_url)
    for title in TABS:
        tab(page, title)
        cut = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.lm-TabBar-tabLabel, .sa-control-label, .sa-card .label, .sa-card .note, .sa-legend-item, th'))
            .filter(e => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1))
            .map(e => e.innerText)""")
        assert cut == [], f"{title}: {cut}"
        widget_labels = page.evaluate("""() => Array.from(document.querySelectorAll('.widget-label, option'))
            .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")
        assert widget_labels == [], f"{title}: {widget_labels}"
    page.close()


def test_cards_and_chart_move_together_and_every_control_moves_something(pages, dashboard_url):
    page, _ = open_dashboard(pages, dashboard_url)
    # every change of the first tab is checked as it lands in the page, not only after it settled
    page.evaluate("""() => {
        window.__disagree = []; window.__changes = 0;
        const body = document.querySelector('.sa-body-small');
        const check = () => {
            const q = s => (body.querySelector(s) || {}).textContent || '';
            const threshold = q('.sa-card[data-key=threshold] .value');
            const onChart = q('.sa-threshold-label');
            const manage = q('.sa-card[data-key=to_manage] .value');
            const legend = q('.sa-legend-item');
            window.__changes += 1;
            if (!onChart.endsWith(' ' + threshold) || !legend.endsWith(': ' + manage))
                window.__disagree.push([threshold, onChart, manage, legend]);
        };
        new MutationObserver(check).observe(body, {childList: true, subtree: true, characterData: true});
    }""")
    before = page.locator(".sa-body-small").inner_html()
    press(page, "sa-ratio")  # 8.0 % -> 8.5 %: 687.50 / 0.085 = 8,088.24
    after = wait_changed(page, "small", before)
    assert card(page, "small", "threshold") == "8.088,24 €"
    assert card(page, "small", "to_manage") == german(f"{customers_to_manage_by_hand(687.5 / 0.085):,}")
    assert page.locator(".sa-body-small .sa-threshold-label").text_content() == "sales threshold 8.088,24 €"
    press(page, "sa-visits")  # 5 -> 6 visits: 137.50 x 6 = 825.00 a customer
    after = wait_changed(page, "small", after)
    assert card(page, "small", "management_cost") == "825,00 €"
    press(page, "sa-visits", "ArrowLeft")
    press(page, "sa-ratio", "ArrowLeft")
    page.wait_for_function(
        "() => document.querySelector('.sa-body-small .sa-card[data-key=threshold] .value').innerText === '8.593,75 €'",
        timeout=20_000,
    )
    assert page.evaluate("window.__changes") >= 4
    assert page.evaluate("window.__disagree") == []

    tab(page, TABS[1])
    before = page.locator(".sa-body-inside").inner_html()
    press(page, "sa-capacity", times=5)  # 400 -> 450 customers per rep
    page.wait_for_function(
        "() => document.querySelector('.sa-body-inside .sa-card[data-key=headcount] .note')"
        ".innerText.includes('450 per rep')",
        timeout=20_000,
    )
    to_manage = customers_to_manage_by_hand()
    assert card(page, "inside", "headcount") == str(math.ceil(to_manage / 450))
    before = page.locator(".sa-body-inside").inner_html()
    roi = card(page, "inside", "roi")
    press(page, "sa-uplift")  # more of the untapped potential won: a higher return
    wait_changed(page, "inside", before)
    assert card(page, "inside", "roi") != roi

    tab(page, TABS[3])
    before = page.locator(".sa-body-calls").inner_html()
    options = page.eval_on_selector_all(".sa-rep select option", "os => os.map(o => o.textContent)")
    options = [o.replace("\xa0", " ") for o in options]  # the widget writes spaces as no-break spaces
    assert len(options) >= 2
    page.locator(".sa-rep select").select_option(index=1)
    wait_changed(page, "calls", before)
    rep = options[1].rsplit(" (", 1)
    assert card(page, "calls", "calls") == rep[1].rstrip(")")
    reps = page.locator(".sa-body-calls table[data-key=calls_table] tbody tr td:nth-child(2)").all_inner_texts()
    assert set(reps) == {rep[0]}
    page.close()


def test_two_viewers_at_once_are_quick_and_independent(pages, dashboard):
    from smartacct_helpers.delivery.dashboard_server import REFILL_DELAY

    time.sleep(REFILL_DELAY + 2)
    wait_until_kernels_idle(dashboard.proc.pid, time.monotonic() + 120)  # the pool ready again
    one = pages(viewport={"width": 1366, "height": 900})
    two = pages(viewport={"width": 1366, "height": 900})
    started = {}
    for name, page in (("first", one), ("second", two)):
        started[name] = time.monotonic()
        page.goto(dashboard.url, wait_until="commit")
    rendered = {}  # (viewer, what): seconds until the answers showed (the first paint) and the live page
    selectors = {
        "answers shown": "#sa-first-paint .sa-card[data-key=to_manage], .sa-body-small .sa-card[data-key=to_manage]",
        "live page": ".sa-body-small .sa-card[data-key=to_manage]",
    }
    deadline = time.monotonic() + 90
    while len(rendered) < 4 and time.monotonic() < deadline:
        for name, page in (("first", one), ("second", two)):
            for what, selector in selectors.items():
                if (name, what) not in rendered and page.locator(selector).count():
                    rendered[name, what] = time.monotonic() - started[name]
        time.sleep(0.05)
    assert {name for name, what in rendered if what == "live page"} == {"first", "second"}
    (ARTIFACTS / "dashboard_two_viewers.txt").write_text(
        "".join(f"{name} viewer, {what}: {seconds:.2f} s\n" for (name, what), seconds in sorted(rendered.items()))
    )
    # the first viewer's control moves nothing on the second viewer's page
    tab(one, TABS[1])
    tab(two, TABS[1])
    headcount = card(two, "inside", "headcount")
    press(one, "sa-capacity", "ArrowLeft", times=10)  # 400 -> 300 customers per rep
    one.wait_for_function(
        "() => document.querySelector('.sa-body-inside .sa-card[data-key=headcount] .note')"
        ".innerText.includes('300 per rep')",
        timeout=20_000,
    )
    assert card(one, "inside", "headcount") != headcount
    two.wait_for_timeout(1000)
    assert card(two, "inside", "headcount") == headcount
    one.close()
    two.close()


def test_a_wrong_address_gives_a_friendly_page_with_a_link(pages, dashboard_url):
    page = pages()
    for wrong in ("no/such/page", "voila/files/dashboard.ipynb", "dashboard.ipynb"):
        response = page.goto(dashboard_url + wrong)
        assert response.status == 404
        assert "There is no such page" in page.inner_text("body")
        assert "Forbidden" not in page.inner_text("body")
    page.get_by_role("link", name="Open the dashboard").click()
    page.wait_for_selector(".sa-body-small .sa-card", timeout=90_000)
    assert page.title() == CLIENT
    page.close()


def test_the_page_asks_nothing_of_another_machine(browser, dashboard_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    asked = []

    def record(route):
        asked.append(route.request.url)
        if route.request.url.startswith(dashboard_url) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    try:
        context.route("**/*", record)
        page = context.new_page()
        page.goto(dashboard_url)
        page.wait_for_selector(".sa-body-small .sa-card", timeout=90_000)
        for title in TABS:
            tab(page, title)
        tab(page, TABS[0])
        before = page.locator(".sa-body-small").inner_html()
        press(page, "sa-ratio")
        wait_changed(page, "small", before)
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert len(asked) > 20, "the page's requests were not recorded"
    outside = [u for u in asked if not u.startswith(dashboard_url)]
    assert outside == []


@pytest.fixture(scope="module")
def fresh_dashboard():
    """A dashboard of its own, so that no other test's pages count in its memory."""
    server = Dashboard()
    server.wait_ready()
    yield server
    server.stop()


def test_closed_pages_give_their_memory_back(pages, fresh_dashboard):
    """Ten viewers one after another, each page closed without a goodbye (as a crashed browser leaves it)."""
    from smartacct_helpers.delivery.dashboard_server import REFILL_DELAY

    dashboard = fresh_dashboard
    page, _ = open_dashboard(pages, dashboard.url)
    page.close()
    time.sleep(REFILL_DELAY + 2)  # the pool starts a kernel for the next viewer, which computes the page
    wait_until_kernels_idle(dashboard.proc.pid, time.monotonic() + 120)
    after_first = dashboard.tree_mib()
    kernels_first = len(dashboard.kernels())
    for _ in range(10):
        page, _ = open_dashboard(pages, dashboard.url)
        page.close()
    peak_kernels = len(dashboard.kernels())
    deadline = time.monotonic() + 180
    pool = 2
    while len(dashboard.kernels()) > pool and time.monotonic() < deadline:
        time.sleep(2)
    wait_until_kernels_idle(dashboard.proc.pid, time.monotonic() + 60)
    at_end = dashboard.tree_mib()
    (ARTIFACTS / "dashboard_memory.txt").write_text(
        f"after the first view: {after_first:.0f} MiB, {kernels_first} kernels\n"
        f"right after ten more views: {peak_kernels} kernels\n"
        f"at the end: {at_end:.0f} MiB, {len(dashboard.kernels())} kernels ({at_end / after_first:.2f}x)\n"
    )
    assert len(dashboard.kernels()) <= pool, "the kernels of closed pages were not shut down"
    assert at_end <= 1.3 * after_first


def test_broken_params_file_gives_a_friendly_message(tmp_path):
    from smartacct_helpers.delivery.dashboard import dashboard

    bad = tmp_path / "params.yaml"
    bad.write_text("data: {orders: orders.csv}\nassumptions: {working_days: many}\n")
    page = dashboard(bad)
    assert "assumptions.working_days" in page.value
    assert "smartacct validate" in page.value  # says what to do
    assert "Traceback" not in page.value


# -- off the loopback: the token ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_dashboard():
    """The dashboard on every interface, without SMARTACCT_DASHBOARD_TOKEN: it makes up a token and prints it."""
    env = {k: v for k, v in os.environ.items() if k != "SMARTACCT_DASHBOARD_TOKEN"}
    env["SMARTACCT_DASHBOARD_POOL"] = "1"
    server = Dashboard("--host", "0.0.0.0", env=env)
    server.wait_ready()
    printed = next(line for line in server.log if "Dashboard for" in line)
    token = re.search(r"\?token=([\w-]+)", printed).group(1)
    yield server, token
    server.stop()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_off_the_loopback_nothing_is_served_without_the_token(pages, shared_dashboard):
    server, token = shared_dashboard
    assert "00000000" in listening_addresses(server.port)  # every interface
    assert len(token) >= 32
    status, text = _get(server.url)  # redirected to the page asking for the key
    assert status in (200, 401, 403) and "access key" in text
    assert CLIENT not in text and "Elektro" not in text
    status, text = _get(server.url + "api/kernels/" + "-".join(["0" * 8, "0" * 4, "0" * 4, "0" * 4, "0" * 12]))
    assert status == 403  # a kernel's address: refused before it is looked up
    status, text = _get(server.url + "?token=wrong-" + token)
    assert "access key" in text and CLIENT not in text
    page = pages()
    page.goto(server.url)
    page.fill("input[name=password]", "not the key")
    page.click("button[type=submit]")
    assert "not the access key" in page.inner_text("body")
    page.fill("input[name=password]", token)  # the key entered by hand opens the dashboard
    page.click("button[type=submit]")
    page.wait_for_selector(".sa-body-small .sa-card", timeout=90_000)
    assert page.title() == CLIENT
    page.close()


def test_off_the_loopback_the_address_with_the_token_opens_the_dashboard(pages, shared_dashboard):
    server, token = shared_dashboard
    page = pages()
    page.goto(f"{server.url}?token={token}")
    page.wait_for_selector(".sa-body-small .sa-card[data-key=to_manage]", timeout=90_000)
    assert page.title() == CLIENT
    page.close()


#: records the first paint's cards (their place and value) the moment it shows, before the live page replaces it
RECORD_FIRST_PAINT = """
new MutationObserver((_, watch) => {
  const paint = document.getElementById('sa-first-paint');
  if (!paint || !paint.querySelector('.sa-card[data-key=to_manage]')) { return; }
  watch.disconnect();
  // the first frame the browser draws (after the style sheets that hold drawing back), not the parsed page
  requestAnimationFrame(() => {
    // the live page may have taken its place already (a loaded machine): then it was never drawn
    if (!paint.isConnected) { window.firstPaint = 'replaced before it was drawn'; return; }
    window.firstPaint = Array.from(paint.querySelectorAll('.sa-card')).map(c => {
      const r = c.getBoundingClientRect();
      return [c.dataset.key, c.querySelector('.value').innerText, Math.round(r.x), Math.round(r.y), Math.round(r.width)];
    });
  });
}).observe(document, {childList: true, subtree: true});
"""


def _first_paint_and_live_page(browser, dashboard_url) -> tuple:
    """The first paint's cards as first drawn (see RECORD_FIRST_PAINT) and the live page's, once it replaced it."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        context.add_init_script(RECORD_FIRST_PAINT)
        page = context.new_page()
        page.goto(dashboard_url, wait_until="commit")
        page.wait_for_selector(".sa-body-small .sa-card[data-key=to_manage]", timeout=90_000)
        page.wait_for_selector("#sa-first-paint", state="detached", timeout=30_000)
        page.wait_for_timeout(300)
        painted = page.evaluate("window.firstPaint")
        live = page.evaluate("""() => Array.from(document.querySelectorAll('.sa-body-small .sa-card')).map(c => {
            const r = c.getBoundingClientRect();
            return [c.dataset.key, c.querySelector('.value').innerText, Math.round(r.x), Math.round(r.y),
                    Math.round(r.width)];
        })""")
        page.screenshot(path=str(ARTIFACTS / "dashboard-live-after-first-paint.png"))
    finally:
        context.close()
    return painted, live


def test_the_answers_show_before_voilas_scripts_and_the_live_page_takes_their_place(browser, dashboard_url):
    """The first paint: the first tab's answers need none of Voila's 5 MB of scripts, and the live page, once
    drawn, puts each card where the first paint had it, with the same value."""
    to_manage = german(f"{customers_to_manage_by_hand():,}")
    # Voila's scripts blocked: no widget is ever drawn, and the answers show all the same
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        context.route("**/voila/static/**", lambda route: route.abort())
        page = context.new_page()
        page.goto(dashboard_url, wait_until="commit")
        page.wait_for_selector("#sa-first-paint .sa-card[data-key=to_manage]", state="visible", timeout=90_000)
        assert page.locator("#sa-first-paint .sa-card[data-key=to_manage] .value").inner_text() == to_manage
        # 110,000 / (200 x 4) = 137.50 a visit, as the live page writes it (see the five answers above)
        assert page.locator("#sa-first-paint .sa-card[data-key=visit_cost] .value").inner_text() == "137,50 €"
        tab_titles = page.locator("#sa-first-paint .sa-fp-tab").all_inner_texts()
        assert [t.strip() for t in tab_titles] == TABS
        assert page.locator("#loading").is_hidden()  # no spinner over the answers
        assert page.locator("#rendered_cells .sa-card").count() == 0
    finally:
        context.close()
    # with the scripts: the live page replaces the first paint without moving a card
    for _ in range(3):  # a first paint replaced before its first frame moved nothing, and shows nothing to check
        painted, live = _first_paint_and_live_page(browser, dashboard_url)
        if painted != "replaced before it was drawn":
            break
    assert painted, "the first paint never showed"
    assert painted != "replaced before it was drawn", "three times, the live page came before the first paint"
    assert [c[:2] for c in painted] == [c[:2] for c in live] and len(live) == 5
    moved = [
        (p, q)
        for p, q in zip(painted, live, strict=True)
        if max(abs(a - b) for a, b in zip(p[2:], q[2:], strict=True)) > 1  # x, y and width, in pixels
    ]
    assert moved == [], moved


def test_a_live_page_that_never_comes_is_said_so_instead_of_a_busy_pointer_for_ever(browser, dashboard_url):
    from smartacct_helpers.delivery.dashboard_first_paint import PATIENCE_SECONDS, STALLED_TEXT

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        context.route("**/voila/static/**", lambda route: route.abort())  # no script of Voila: no live page
        page = context.new_page()
        page.clock.install()  # the page's timers run on a clock the test moves
        page.goto(dashboard_url, wait_until="commit")
        page.wait_for_selector("#sa-first-paint .sa-card[data-key=to_manage]", state="visible", timeout=90_000)
        stalled = page.locator("#sa-first-paint .sa-fp-stalled")
        assert stalled.is_hidden()
        assert page.locator("#sa-first-paint").evaluate("e => getComputedStyle(e).cursor") == "progress"
        page.clock.run_for(PATIENCE_SECONDS * 1000 - 1_000)  # a second short of the patience: still waiting
        assert stalled.is_hidden()
        page.clock.run_for(2_000)
        stalled.wait_for(state="visible", timeout=5_000)
        assert stalled.inner_text() == STALLED_TEXT
        assert page.locator("#sa-first-paint").evaluate("e => getComputedStyle(e).cursor") == "auto"
        # the answers stay where they were, under the notice
        assert page.locator("#sa-first-paint .sa-card[data-key=visit_cost] .value").inner_text() == "137,50 €"
        page.screenshot(path=str(ARTIFACTS / "dashboard-without-live-page.png"))
    finally:
        context.close()
