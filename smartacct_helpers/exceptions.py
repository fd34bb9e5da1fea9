"""The errors a user of smartacct gets to see.

Each carries enough to find the fault: the params key, or the file, row and
column of the input data. The command line turns them into exit code 2 and a
readable message; anything else is a bug and exits with 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class SmartacctError(Exception):
    """Base class of every error smartacct raises on purpose.

    In a notebook, IPython shows such an error as its name and message,
    without the code it passed through: the message says what to fix.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class ParamsError(SmartacctError):
    """The params file is missing, unreadable or holds a bad value.

    Parameters
    ----------
    problems : list of str
        One line per problem, each naming the key (``assumptions.working_days``).
    file : str, optional
        The params file.
    """

    def __init__(self, problems: list[str] | str, file: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.file = file
        where = f"{file}: " if file else ""
        lines = [f"{where}{p}" for p in self.problems]
        super().__init__("Bad params:\n  " + "\n  ".join(lines))


class OverrideError(ParamsError):
    """A value set for one run is bad (``smartacct report --set``, a notebook's ``overrides``).

    Its message is one line per bad key, each naming the key
    (``assumptions.workng_days (set for this run): unknown key``).
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.file = None
        SmartacctError.__init__(self, "\n".join(self.problems))


@dataclass(frozen=True)
class Problem:
    """One finding about the input data.

    ``row`` is the row as a person sees it in the source: the line number in
    a CSV file or the row number in an Excel sheet (the header is row 1), or
    the 1-based record number in a Parquet file or database table.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" stops the run, "warning" is reported

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) + f": {self.message}"


class InputDataError(SmartacctError):
    """The input data cannot be used as it is; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = self.problems[:50]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"... and {len(self.problems) - len(shown)} more")
        super().__init__(f"The input data has {len(self.problems)} problem(s):\n  " + "\n  ".join(lines))


class ReportError(SmartacctError):
    """A notebook failed while the report was being built."""
