"""The report folder of one client: lock, log, recovery after a killed run, retention, PDF.

``OUT/<client-slug>/`` holds one folder per reference date, the failed runs
(``failed-<timestamp>/``), the log ``smartacct.log`` and the lock ``.lock``.
Every change to it is made so that a run killed at any moment leaves the
last good report intact and the next run able to start without clean-up.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..exceptions import ReportError
from .exports import readable_mode

LOCK_NAME = ".lock"
LOG_NAME = "smartacct.log"
BUILDING = ".building-"
REPLACED = ".replaced-"
_logger = logging.getLogger("smartacct.report")


def log(message: str) -> None:
    """One line of progress: to the terminal and, once a run log is open, to the log file."""
    _logger.info(message)


@contextlib.contextmanager
def run_log(path: Path):
    """Progress to the terminal (stderr) and, with timestamps, appended to ``path``."""
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s [pid %(process)d] %(message)s"))
    to_terminal = logging.StreamHandler(sys.stderr)
    to_terminal.setFormatter(logging.Formatter("%(message)s"))
    _logger.setLevel(logging.INFO)
    _logger.propagate = False
    _logger.addHandler(to_file)
    _logger.addHandler(to_terminal)
    try:
        yield
    except BaseException as exc:
        _logger.error(f"Stopped: {type(exc).__name__}: {exc}")
        raise
    finally:
        for handler in (to_file, to_terminal):
            _logger.removeHandler(handler)
            handler.close()


@contextlib.contextmanager
def client_lock(client_dir: Path):
    """Hold the client's lock for one run; a second run for the same client is refused.

    The lock is an ``flock`` on ``.lock`` in the client's folder: the
    operating system drops it when the process ends, however it ends, so a
    lock left by a killed run never blocks the next one.
    """
    path = client_dir / LOCK_NAME
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the run holds the lock
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise ReportError(
            f"another report run for this client is in progress ({holder}); "
            f"this run stops without touching it. Lock: {path}"
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")
    fh.flush()
    try:
        yield path
    finally:
        fh.truncate(0)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def recover_interrupted_runs(client_dir: Path) -> None:
    """Clean up after a run that was killed: half-built folders go, a report caught mid-swap comes back.

    Only called while holding the client's lock, so nothing found here
    belongs to a live run.
    """
    for item in client_dir.iterdir():
        if item.name.startswith(BUILDING):
            shutil.rmtree(item, ignore_errors=True)
        elif item.name.startswith(REPLACED):
            original = client_dir / item.name[len(REPLACED) :].rsplit("-", 1)[0]
            if original.exists():
                shutil.rmtree(item, ignore_errors=True)
            else:
                os.replace(item, original)


def prune_reports(client_dir: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest dated reports (and failed runs) of a client."""
    removed = []
    for pattern in (r"\d{4}-\d{2}-\d{2}", r"failed-\d{8}-\d{6}"):
        folders = sorted(p for p in client_dir.iterdir() if p.is_dir() and re.fullmatch(pattern, p.name))
        for old in folders[:-keep]:
            shutil.rmtree(old)
            removed.append(old)
    return removed


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def replace_dir(new: Path, final: Path) -> None:
    """Put ``new`` in the place of ``final`` in one step where the system allows it.

    On Linux both folders are swapped atomically, so ``final`` is at every
    moment either the complete old or the complete new report. Elsewhere the
    old folder is moved aside first and restored by the next run if this one
    dies in between (:func:`recover_interrupted_runs`).
    """
    if not final.exists():
        os.replace(new, final)
        return
    if _exchange(new, final):
        shutil.rmtree(new, ignore_errors=True)  # now holds the old report
        return
    old = final.with_name(f"{REPLACED}{final.name}-{os.getpid()}")
    os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)


def print_pdf(html_path: Path, pdf_path: Path) -> str:
    """Print the report to PDF with headless Chromium where it is installed; returns a note for the log."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        return "No PDF: Chromium is not installed (apt-get install chromium), report.html is complete without it"
    tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",  # the page numbers are the style sheet's (@page margin boxes)
        "--generate-pdf-document-outline",  # a bookmark per heading
        f"--print-to-pdf={tmp}",
        html_path.as_uri(),
    ]
    try:
        with tempfile.TemporaryDirectory(prefix="smartacct-chromium-") as profile:
            subprocess.run(command + [f"--user-data-dir={profile}"], capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        tmp.unlink(missing_ok=True)
        return f"No PDF: Chromium did not finish ({type(exc).__name__})"
    if not tmp.exists() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        return "No PDF: Chromium wrote nothing"
    os.chmod(tmp, readable_mode())
    os.replace(tmp, pdf_path)
    return f"PDF written: {pdf_path.name}"
