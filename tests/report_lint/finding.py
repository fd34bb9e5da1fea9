"""What the linter finds: one thing in a report a client should not see, and the values no reader may see."""

from __future__ import annotations

from dataclasses import dataclass

#: values a reader must never see
RAW_VALUES = {"nan", "NaN", "None", "True", "False", "NaT", "<NA>", "inf", "-inf"}


@dataclass(frozen=True)
class Finding:
    """One thing in the report a client should not see."""

    kind: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.text}"
