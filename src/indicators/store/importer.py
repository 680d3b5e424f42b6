"""Import files: check them all, then write them all in one transaction (or nothing)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..catalogue.phrases import where
from . import database
from .check import Checked, Problem, check_file, check_together


@dataclass
class ImportResult:
    checked: list[Checked] = field(default_factory=list)
    batch_ids: list[int] = field(default_factory=list)
    refused: str | None = None  # why nothing was written, when something was refused
    sha256: dict[str, str] = field(default_factory=dict)  # file name -> digest, once checked
    clashes: list[dict] = field(default_factory=list)  # store.ImportRefused.clashes, when that was why

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.checked for p in c.problems]

    @property
    def ok(self) -> bool:
        return self.refused is None and all(c.ok for c in self.checked)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_files(paths: list[Path], *, kind: str | None = None, names: list[str] | None = None) -> ImportResult:
    """Validate every file (nothing is written, no database is needed): the first half of an import,
    done before the writer lock is taken so that the lock is held only while writing.

    names: how to call each file in messages and history (the upload's name, not a temp path).
    """
    names = names or [Path(p).name for p in paths]
    result = ImportResult([check_file(p, kind=kind, display_name=n) for p, n in zip(paths, names)])
    check_together(result.checked, across_files=True)  # one import is one unit: its files' sheets together
    if not result.ok:
        result.refused = "the data were refused: nothing was imported"
        return result
    result.sha256 = {n: sha256_of(Path(p)) for p, n in zip(paths, names)}
    return result


def store_checked(con, result: ImportResult, *, replace: bool = False, synthetic: bool = False) -> ImportResult:
    """Store every sheet of checked files in one transaction (the second half; `con` is the writer's)."""
    if not result.ok:
        return result
    sheets = [s for c in result.checked for s in c.sheets]
    try:
        result.batch_ids = database.import_sheets(
            con, sheets, sha256=result.sha256, replace=replace, synthetic=synthetic
        )
    except database.ImportRefused as e:
        result.refused = str(e)
        result.clashes = e.clashes
        for p in e.problems:  # what the database refused, beside what the checker found in that file
            next((c for c in result.checked if c.file == p.file), result.checked[0]).problems.append(p)
    return result


def import_files(
    con,
    paths: list[Path],
    *,
    kind: str | None = None,
    replace: bool = False,
    names: list[str] | None = None,
    synthetic: bool = False,
) -> ImportResult:
    """Validate every file; if all are clean, store every sheet in one transaction."""
    return store_checked(con, check_files(paths, kind=kind, names=names), replace=replace, synthetic=synthetic)


def problem_table(checked: list[Checked], lang: str) -> pd.DataFrame:
    """Every problem of the files checked, in the language, naming the file's own headers (the Import
    page's table, "problems" in columns.toml). Text cells, so that a problem without a sheet, row or
    column shows an empty cell."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "sheet": p.sheet or "",
                "row": "" if p.row is None else str(p.row),
                "column": p.column_label(lang) or "",
                "level": where(p.level, lang),
                "message": p.text(lang),
            }
            for c in checked
            for p in c.problems
        ],
        columns=["file", "sheet", "row", "column", "level", "message"],
    )
