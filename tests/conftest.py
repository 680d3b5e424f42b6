"""Shared fixtures: a real DuckDB file per test, and data loaded through the real import path."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import ingest, schema, store


@pytest.fixture
def db(tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    yield con
    con.close()


def load(con, kind: str, df: pd.DataFrame, replace: bool = False) -> list[int]:
    """Validate a DataFrame as a sheet of `kind` and import it, exactly as a file would be."""
    sheet, problems = ingest.check_sheet("test.xlsx", kind, ingest.frame_to_grid(df), schema.KINDS[kind], 0)
    errors = [str(p) for p in problems if p.level == "error"]
    assert not errors, errors
    return store.import_sheets(con, [sheet], sha256={}, replace=replace)


def staff_rows(spec: list[tuple], year: int = 2024, unit: str = "U1", parent: str | None = None,
               **columns) -> pd.DataFrame:
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
