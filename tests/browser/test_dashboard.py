"""The manager dashboard in a real headless Chromium, served by `smartacct dashboard`."""

import math
import socket
import subprocess
import sys
import threading
import time

import pandas as pd
import psutil
import pytest
import yaml
from tests.conftest import ARTIFACTS, ROOT, SAMPLE_PARAMS

ERROR_WORDS = ["Traceback", "Error", "Exception"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def customers_to_manage_by_hand() -> int:
    """Customers below 8,593.75 EUR in 2025 with an order in the last 24 months, in plain pandas."""
    params = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    cols = {v: k for k, v in params["data"]["columns"]["orders"].items()}
    orders = pd.read_parquet(SAMPLE_PARAMS.parent / params["data"]["orders"]).rename(columns=cols)
    orders["date"] = pd.to_datetime(orders["date"])
    customers = pd.read_csv(
        SAMPLE_PARAMS.parent / params["data"]["customers"], sep=";", dtype=str, encoding="utf-8-sig"
    )
    ids = customers[params["data"]["columns"]["customers"]["customer_id"]]
    ref = orders["date"].max()
    window = orders[orders["date"] > ref - pd.DateOffset(months=12)]
    revenue = window.groupby("customer_id")["revenue"].sum().reindex(ids, fill_value=0.0)
    last = orders.groupby("customer_id")["date"].max().reindex(ids)
    # 110,000 / (200 x 4) = 137.50 per visit; x 5 visits = 687.50; / 8 % = 8,593.75
    below = revenue < 8593.75
    active = (last > ref - pd.DateOffset(months=24)).fillna(False)
    return int((below & active).sum())


@pytest.fixture(scope="module")
def dashboard_url():
    """`smartacct dashboard` on a free port, ready once Voila has a kernel waiting for the first viewer."""
    port = free_port()
    exe = [sys.executable, "-m", "smartacct_helpers", "dashboard", "--port", str(port)]
    proc = subprocess.Popen(exe, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while not any("is filled" in line for line in log):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the dashboard server did not get ready:\n" + "".join(log))
        time.sleep(0.2)
    wait_until_kernels_idle(proc.pid, deadline)
    yield f"http://127.0.0.1:{port}/"
    started = psutil.Process(proc.pid).children(recursive=True)  # Voila and its kernels
    proc.terminate()  # as a service manager stops it
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    _, alive = psutil.wait_procs(started, timeout=20)
    for p in alive:
        p.kill()
    assert not alive, f"still running after the dashboard was stopped: {[' '.join(p.cmdline()[:3]) for p in alive]}"


def wait_until_kernels_idle(server_pid: int, deadline: float) -> None:
    """Wait until the pre-heated kernel has run the notebook: its CPU time stops growing for a second."""
    server = psutil.Process(server_pid)
    last = -1.0
    while time.monotonic() < deadline:
        kernels = [p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
        used = sum(sum(p.cpu_times()[:2]) for p in kernels)
        if kernels and used == last:
            return
        last = used
        time.sleep(1.0)


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


def test_dashboard_binds_to_loopback_only(dashboard_url):
    port = int(dashboard_url.rsplit(":", 1)[1].strip("/"))
    # 0100007F is 127.0.0.1 in the kernel's little-endian notation; 0.0.0.0 would be 00000000
    assert listening_addresses(port) == {"0100007F"}


def test_cards_capacity_control_and_no_errors(browser, dashboard_url):
    to_manage = customers_to_manage_by_hand()
    page = browser.new_page(viewport={"width": 1280, "height": 1700})
    started = time.monotonic()
    page.goto(dashboard_url)
    page.wait_for_selector(".sa-card[data-key=headcount]", timeout=60_000)
    first_render = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "dashboard_first_render.txt").write_text(f"{first_render:.2f} s\n")

    headcount = page.locator(".sa-card[data-key=headcount] .value")
    assert headcount.inner_text() == str(math.ceil(to_manage / 400))  # the middle capacity
    assert page.locator(".sa-card[data-key=to_manage] .value").inner_text() == f"{to_manage:,}"

    # move the capacity slider from 400 to 450 customers per rep (5 steps of 10)
    handle = page.locator(".sa-capacity .noUi-handle")
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.sa-card[data-key=headcount] .note').innerText.includes('450')", timeout=20_000
    )
    assert headcount.inner_text() == str(math.ceil(to_manage / 450))

    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    text = page.inner_text("body")
    assert not [word for word in ERROR_WORDS if word in text]
    assert page.locator("img").count() >= 2  # the Pareto and the threshold chart
    page.close()


def test_broken_params_file_gives_a_friendly_message(tmp_path):
    from smartacct_helpers.delivery.dashboard import dashboard

    bad = tmp_path / "params.yaml"
    bad.write_text("data: {orders: orders.csv}\nassumptions: {working_days: many}\n")
    page = dashboard(bad)
    assert "assumptions.working_days" in page.value
    assert "smartacct validate" in page.value  # says what to do
    assert "Traceback" not in page.value
