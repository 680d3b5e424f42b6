"""What the tests share that is not a fixture: loading sheets through the real import, staff rows
built from (position, gender, count), the one row of a table, and the fixed pseudonymisation key.
Fixtures live in conftest.py, which uses these; a test imports them from here (never from another
test file)."""

from __future__ import annotations

import pandas as pd

from indicators.store import database, ingest, schema

# A fixed pseudonymisation key, written before the first import (the `keyed` fixture): the record keys,
# and so every protected figure, are then the same at every run.
FIXED_KEY = "5eed" * 16


def load(con, kind: str, df: pd.DataFrame, replace: bool = False) -> list[int]:
    """Validate a DataFrame as a sheet of `kind` and import it, exactly as a file would be."""
    sheet, problems = ingest.check_sheet("test.xlsx", kind, ingest.frame_to_grid(df), schema.KINDS[kind], 0)
    errors = [str(p) for p in problems if p.level == "error"]
    assert not errors, errors
    return database.import_sheets(con, [sheet], sha256={}, replace=replace)


def staff_rows(
    spec: list[tuple], year: int = 2024, unit: str = "U1", parent: str | None = None, **columns
) -> pd.DataFrame:
    """Staff rows from (position, gender, count) triples; further columns as keyword lists or constants."""
    rows = []
    for position, gender, n in spec:
        rows += [{"year": year, "unit": unit, "position": position, "gender": gender}] * n
    df = pd.DataFrame(rows)
    df.insert(1, "person_id", [f"{unit}-{year}-{i}" for i in range(len(df))])
    if parent:
        df["parent_unit"] = parent
    for name, value in columns.items():
        df[name] = value
    return df


def row(df: pd.DataFrame, **where) -> pd.Series:
    """The one row of df whose columns equal the given values (fails unless exactly one matches)."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    assert mask.sum() == 1, (where, df)
    return df[mask].iloc[0]
