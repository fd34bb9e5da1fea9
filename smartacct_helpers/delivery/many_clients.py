"""Reports for many clients from one command line: each in turn, each under its own lock.

``smartacct report --params clients/*.yaml`` hands every params file to
:func:`build_reports`. One client whose data is bad, or whose run fails, does
not stop the others; at the end :func:`runs_table` says per client what
happened, and :func:`exit_code` sums it up for cron: 0 when every report was
written, 2 when the only problems were bad params or bad data, 1 when any
run failed otherwise.

Examples
--------
>>> runs = [ClientRun("a.yaml", "written", "reports/a/2025-12-31"), ClientRun("b.yaml", "bad data", "no orders")]
>>> exit_code(runs)
2
>>> print(runs_table(runs))
client  result   report folder or reason
a.yaml  written  reports/a/2025-12-31
b.yaml  bad data no orders
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import InputDataError, ParamsError, SmartacctError

WRITTEN, BAD_DATA, FAILED = "written", "bad data", "failed"


@dataclass(frozen=True)
class ClientRun:
    """What one client's run came to: ``result`` is written, bad data or failed."""

    params_file: str
    result: str
    detail: str


def params_files(patterns: Iterable[str]) -> list[str]:
    """The params files named on the command line, with patterns the shell left unexpanded.

    A pattern that matches nothing stays as it is, so that its run reports
    the missing file by name instead of silently doing nothing.

    >>> params_files(["no-such-folder/*.yaml", "a.yaml"])
    ['no-such-folder/*.yaml', 'a.yaml']
    """
    files: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else []
        files.extend(matches or [pattern])
    return list(dict.fromkeys(files))


def build_reports(
    files: Iterable[str | Path], build: Callable[[str], Path], say: Callable[[str], None] = print
) -> list[ClientRun]:
    """Run ``build`` for each params file in turn and note what each run came to.

    Parameters
    ----------
    files : iterable of path
        The clients' params files, in the order to run them.
    build : callable
        ``build(params_file) -> report folder``, e.g. :func:`~smartacct_helpers.delivery.report.build_report`
        with the reports folder and overrides bound.
    say : callable
        Where the line announcing each client goes.
    """
    runs = []
    for file in map(str, files):
        say(f"{file}: running")
        try:
            folder = build(file)
        except (ParamsError, InputDataError) as exc:
            runs.append(ClientRun(file, BAD_DATA, _one_line(exc)))
        except SmartacctError as exc:
            runs.append(ClientRun(file, FAILED, _one_line(exc)))
        except Exception as exc:  # a fault in one client's run must not cost the other clients their reports
            if os.environ.get("SMARTACCT_DEBUG"):
                raise
            runs.append(ClientRun(file, FAILED, f"unexpected {type(exc).__name__}: {_one_line(exc)}"))
        else:
            runs.append(ClientRun(file, WRITTEN, str(folder)))
    return runs


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def runs_table(runs: list[ClientRun]) -> str:
    """One line per client: the params file, the result and the report folder or the reason."""
    header = ("client", "result", "report folder or reason")
    rows = [header] + [(r.params_file, r.result, r.detail) for r in runs]
    first = max(len(r[0]) for r in rows)
    second = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{first}}  {b:<{second}} {c}".rstrip() for a, b, c in rows)


def exit_code(runs: list[ClientRun]) -> int:
    """0 when every report was written, 1 when a run failed, else 2 (bad params or data)."""
    results = {r.result for r in runs}
    if FAILED in results:
        return 1
    return 2 if BAD_DATA in results else 0
