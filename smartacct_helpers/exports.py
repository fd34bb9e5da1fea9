"""Tables a client can act on: CSV and XLSX files, written atomically.

Each file is written under a temporary name in the target folder and renamed
into place when complete, so a reader never sees half a file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def readable_mode(directory: bool = False) -> int:
    """The permissions a new file (or folder) gets under the current umask.

    Temporary files start private (0600); a finished output gets the mode the
    user would expect from a plain ``open``.
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def atomic_write(path: str | Path, write) -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then rename it into place.

    A reader never sees half a file, and a failed write leaves the old file
    (if any) untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, readable_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with a byte-order mark, so that spreadsheet programs show umlauts."""
    return atomic_write(path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))


def write_xlsx(sheets: dict[str, pd.DataFrame] | pd.DataFrame, path: str | Path) -> Path:
    """An Excel workbook with one sheet per entry, header frozen, columns sized to fit."""
    import pandas as pd

    if isinstance(sheets, pd.DataFrame):
        sheets = {"customers": sheets}

    def write(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, df in sheets.items():
                sheet = str(name)[:31]
                frame = df.copy()
                for col in frame.select_dtypes(include=["datetimetz"]).columns:
                    frame[col] = frame[col].dt.tz_localize(None)
                frame.to_excel(writer, sheet_name=sheet, index=False)
                ws = writer.sheets[sheet]
                ws.freeze_panes = "A2"
                for i, col in enumerate(frame.columns, start=1):
                    sample = frame[col].astype(str).fillna("").head(200).str.len()
                    width = max(len(str(col)), int(sample.max()) if len(sample) else 0)
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 50)

    return atomic_write(path, write)


def export_table(df: pd.DataFrame, out_dir: str | Path, name: str) -> list[Path]:
    """Write ``name.csv`` and ``name.xlsx`` into ``out_dir``; returns both paths."""
    out = Path(out_dir)
    return [write_csv(df, out / f"{name}.csv"), write_xlsx({name: df}, out / f"{name}.xlsx")]
