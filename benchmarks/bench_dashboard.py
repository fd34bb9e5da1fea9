"""The manager dashboard: what a kernel computes, what a control change costs, what viewers wait and what memory stays.

Two measurements, on the sample by default or on the large data set of
``make_large.py`` (``--params /tmp/smartacct-large/params.yaml``):

1. **In-process** (always): open the workbook, compute the answers no
   control moves (what ``smartacct dashboard`` does once when it starts),
   build the page (:func:`smartacct_helpers.delivery.dashboard.dashboard_page`, what
   each viewer's kernel computes), then move every control of the page several times,
   each time to a value not set before, and time what the change does:
   recompute the answers and write the tab's cards and chart. The goal is
   150 ms per change at 100,000 customers.
2. **Served** (``--serve``): start ``smartacct dashboard`` on a free port,
   wait until its ready kernels have computed the page, then in headless
   Chromium (Playwright, ``/usr/bin/chromium``) time how long two viewers
   who open the page at the same moment wait for it, and a third who
   arrives right after, while no kernel is ready: until the answers show
   (``answers_shown_s``: the page's first paint, its first tab as plain
   HTML) and until the live page is drawn, its controls working
   (``viewers_s``); open and close ten viewers one after
   another and compare the memory of the whole process tree (RSS of the
   server and its kernels) after the first view with the memory once the
   closed pages' kernels are gone. Against a reference in the same run:
   ``--floor`` first times a page of one widget served by the same Voila
   setup (the least a Voila page can wait on this machine), ``--compare
   DIR`` another checkout's two viewers, and ``--rounds N`` repeats the
   lot; each result holds the load average as the viewers came.

Run from the repository root:

    .venv/bin/python benchmarks/bench_dashboard.py [--params FILE] [--changes 5] [--serve] [--json FILE]
    .venv/bin/python benchmarks/bench_dashboard.py --serve-only --views 0 --floor --rounds 3 --compare /tmp/before

Nothing here is asserted in the tests; `tests/test_benchmarks.py` runs the
first measurement on the sample so that the script keeps working.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "data" / "sample" / "params.yaml"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CARDS = ".sa-body-small .sa-card[data-key=to_manage]"
#: the same card in the page's first paint (its first tab as plain HTML, shown until the live page is drawn)
FIRST_PAINT = "#sa-first-paint .sa-card[data-key=to_manage]"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _with_class(page, name: str):
    return next(w for w in _walk(page) if name in getattr(w, "_dom_classes", ()))


#: control -> the values a viewer moves it to, each new to the page
MOVES = {
    "sa-ratio": [0.085, 0.09, 0.075, 0.07, 0.095, 0.1, 0.065, 0.105, 0.06],
    "sa-visits": [6, 7, 4, 8, 3, 2],
    "sa-capacity": [410, 420, 380, 390, 430, 370, 440, 360, 450],
    "sa-uplift": [0.045, 0.05, 0.035, 0.055, 0.03, 0.06, 0.025, 0.065, 0.02],
}


def in_process(params: Path, changes: int) -> dict:
    """Open, build the page, and time each control's changes (median, and every change)."""
    started = time.perf_counter()
    from smartacct_helpers.delivery.dashboard import dashboard_page, open_every_tab
    from smartacct_helpers.delivery.dashboard_answers import fixed_answers
    from smartacct_helpers.facts.workbook import Workbook

    imported = time.perf_counter() - started
    started = time.perf_counter()
    workbook = Workbook.open(params)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    fixed = fixed_answers(workbook)
    once = time.perf_counter() - started
    started = time.perf_counter()
    page = dashboard_page(workbook, fixed)
    built = time.perf_counter() - started
    started = time.perf_counter()
    open_every_tab(page)  # the further tabs, built the first time a viewer chooses each
    further = time.perf_counter() - started
    out = {
        "params": str(params),
        "customers": len(workbook.customers),
        "import_s": imported,
        "open_s": opened,
        "fixed_answers_s": once,
        "page_s": built,
        "further_tabs_s": further,
        "changes_ms": {},
    }
    for name, values in MOVES.items():
        control = _with_class(page, name)
        times = []
        for value in values[:changes]:
            started = time.perf_counter()
            control.value = value  # the page's handler runs at once, as in the kernel
            times.append((time.perf_counter() - started) * 1000)
        out["changes_ms"][name] = {"median": statistics.median(times), "all": [round(t, 1) for t in times]}
    reps = _with_class(page, "sa-rep")
    times = []
    for _label, value in list(reps.options)[1 : changes + 1] + list(reps.options)[:1]:
        started = time.perf_counter()
        reps.value = value
        times.append((time.perf_counter() - started) * 1000)
    out["changes_ms"]["sa-rep"] = {"median": statistics.median(times), "all": [round(t, 1) for t in times]}
    return out


# -- served ------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int):
    import psutil

    server = psutil.Process(pid)
    return [server, *server.children(recursive=True)]


def _mib(pid: int) -> dict:
    import psutil

    total, kernels = 0, []
    for p in _tree(pid):
        try:
            rss = p.memory_info().rss
        except psutil.Error:
            continue
        total += rss
        if _is_kernel(p):
            kernels.append(round(rss / 2**20))
    return {"tree_mib": round(total / 2**20), "kernels_mib": kernels}


def _is_kernel(process) -> bool:
    import psutil

    try:
        return "ipykernel" in " ".join(process.cmdline())
    except psutil.Error:  # gone, or a zombie being reaped
        return False


def _kernels(pid: int) -> int:
    return sum(_is_kernel(p) for p in _tree(pid)[1:])


def _idle(pid: int, timeout: float = 600) -> None:
    """Until the kernels' CPU time stops growing for two seconds."""
    import psutil

    deadline, last = time.monotonic() + timeout, -1.0
    while time.monotonic() < deadline:
        used = 0.0
        for p in _tree(pid)[1:]:
            try:
                used += sum(p.cpu_times()[:2])
            except psutil.Error:
                used = -2.0
        if used == last:
            return
        last = used
        time.sleep(2.0)


def _wait_for(pages, clock: dict, waits: dict, which: tuple, selectors: dict, timeout: float = 600) -> None:
    """Note in ``waits[name, i]`` how long each page ``i`` of ``which`` took, from ``clock``, until the selector
    ``selectors[name]`` showed."""
    deadline = time.monotonic() + timeout
    while not all((n, i) in waits for i in which for n in selectors) and time.monotonic() < deadline:
        for i in which:
            for name, selector in selectors.items():
                if (name, i) not in waits and pages[i].locator(selector).count():
                    waits[name, i] = time.monotonic() - clock[i]
        time.sleep(0.05)


#: the floor: a notebook that only shows one widget with one card, served by the dashboard's own Voila setup
FLOOR_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "floor",
            "metadata": {},
            "outputs": [],
            "source": "import ipywidgets\nipywidgets.HTML(\"<div class='sa-body-small'><div class='sa-card' "
            "data-key='to_manage'>1</div></div>\")",
        }
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

FLOOR_SERVER = """
import sys
from smartacct_helpers.delivery import dashboard_server as s
from smartacct_helpers.delivery.dashboard_voila import DashboardVoila
folder, port = sys.argv[1], int(sys.argv[2])
config = s.voila_config("floor", "127.0.0.1", port, None, s.pool_size())
config.Voila.root_dir = folder
app = DashboardVoila(config=config)
app.initialize([folder + "/floor.ipynb"])
app.start()
"""


def floor_command(folder: Path, port: int) -> list[str]:
    """The command that serves :data:`FLOOR_NOTEBOOK` from ``folder`` on ``port``, as the dashboard is served."""
    (folder / "floor.ipynb").write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    return [sys.executable, "-c", FLOOR_SERVER, str(folder), str(port)]


def served(params: Path, views: int = 10, selector: str = CARDS, code: Path = ROOT, floor: bool = False) -> dict:
    """Start the dashboard and measure viewers' waits and memory (see the module).

    ``code`` is the checkout whose ``smartacct dashboard`` runs, and
    ``selector`` what shows that its page is there: another checkout and
    selector time an earlier version of the dashboard. With ``floor``, the
    page served is :data:`FLOOR_NOTEBOOK` instead: one widget with one
    card, through the same Voila setup, kernel pool and page template, the
    least any widget page can wait.
    """
    import tempfile

    from playwright.sync_api import sync_playwright

    try:
        from smartacct_helpers.delivery.dashboard_server import POOL_SIZE, REFILL_DELAY
    except ImportError:  # a version from before the kernel pool was sized and culled
        POOL_SIZE, REFILL_DELAY = 1, 1

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "smartacct_helpers", "dashboard", "--params", str(params), "--port", str(port)]
    if floor:
        command = floor_command(Path(tempfile.mkdtemp(prefix="smartacct-floor-")), port)
    proc = subprocess.Popen(
        command,
        cwd=code,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    out: dict = {"params": "the floor: one widget" if floor else str(params), "code": str(code)}
    try:
        while not any("is filled" in line for line in log):
            if proc.poll() is not None:
                raise RuntimeError("the dashboard stopped:\n" + "".join(log))
            time.sleep(0.2)
        _idle(proc.pid)
        out["start_s"] = time.monotonic() - started
        out["ready"] = _mib(proc.pid)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pages = [browser.new_page(viewport={"width": 1366, "height": 900}) for _ in range(3)]
            clock, waits = {}, {}
            out["load_average"] = [round(x, 2) for x in os.getloadavg()]  # 1, 5 and 15 minutes, as the viewers come
            for i, page in enumerate(pages[:2]):  # two viewers at the same moment
                clock[i] = time.monotonic()
                page.goto(url, wait_until="commit")
            # the answers on the screen (the first paint, or the live page where there is none), and the live page
            selectors = {"shown": f"{FIRST_PAINT}, {selector}", "live": selector}
            _wait_for(pages, clock, waits, (0, 1), selectors)
            clock[2] = time.monotonic()  # a third, while the two are open and no kernel is ready
            pages[2].goto(url, wait_until="commit")
            _wait_for(pages, clock, waits, (2,), selectors)
            for key, name in (("answers_shown_s", "shown"), ("viewers_s", "live")):
                out[key] = {
                    "first": waits.get((name, 0)),
                    "second": waits.get((name, 1)),
                    "third_no_ready_kernel": waits.get((name, 2)),
                }
            for page in pages:
                page.close()
            time.sleep(REFILL_DELAY + 2)
            _idle(proc.pid)
            out["after_first_views"] = _mib(proc.pid)
            times = []
            for _ in range(views):  # one after another, each closed without a goodbye
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                t = time.monotonic()
                page.goto(url, wait_until="commit", timeout=600_000)
                page.wait_for_selector(selector, timeout=600_000)
                times.append(round(time.monotonic() - t, 2))
                page.close()
            out["views_s"] = times
            out["kernels_after_the_views"] = _kernels(proc.pid)
            t = time.monotonic()
            while views and _kernels(proc.pid) > POOL_SIZE and time.monotonic() - t < 300:
                time.sleep(2)
            out["closed_kernels_gone_after_s"] = round(time.monotonic() - t, 1)
            _idle(proc.pid)
            out["at_end"] = _mib(proc.pid)
            out["end_over_first"] = out["at_end"]["tree_mib"] / out["after_first_views"]["tree_mib"]
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=Path, default=SAMPLE, help="params file (default: the sample)")
    parser.add_argument("--changes", type=int, default=5, help="changes per control (default 5)")
    parser.add_argument("--serve", action="store_true", help="also serve the dashboard and time viewers in Chromium")
    parser.add_argument("--views", type=int, default=10, help="viewers one after another when serving (default 10)")
    parser.add_argument("--selector", default=CARDS, help="what shows that the page is there (default: its cards)")
    parser.add_argument("--serve-only", action="store_true", help="leave out the in-process measurement")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--floor", action="store_true", help="when serving, first time a page of one widget served the same way"
    )
    parser.add_argument("--rounds", type=int, default=1, help="when serving, how many times (default 1)")
    parser.add_argument(
        "--compare", type=Path, help="when serving, also time this checkout's two viewers in each round, before --code"
    )
    args = parser.parse_args(argv)
    results = {}
    if not args.serve_only:
        results["in_process"] = r = in_process(args.params, args.changes)
        print(
            f"{r['customers']:,} customers: open {r['open_s']:.2f} s, the answers no control moves "
            f"{r['fixed_answers_s']:.2f} s, the first tab {r['page_s']:.2f} s, the four others {r['further_tabs_s']:.2f} s"
        )
        for name, t in r["changes_ms"].items():
            print(f"  {name:12} median {t['median']:6.1f} ms  {t['all']}")
    if args.serve or args.serve_only:
        for i in range(args.rounds):
            suffix = f"_{i + 1}" if args.rounds > 1 else ""
            if args.floor:  # served by this checkout's Voila setup, whichever --code
                results["floor" + suffix] = floor = served(args.params, 0, CARDS, ROOT, floor=True)
                print(json.dumps(floor, indent=2))
            if args.compare:
                results["compared" + suffix] = other = served(args.params, 0, args.selector, args.compare.resolve())
                print(json.dumps(other, indent=2))
            results["served" + suffix] = r = served(args.params, args.views, args.selector, args.code.resolve())
            print(json.dumps(r, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
