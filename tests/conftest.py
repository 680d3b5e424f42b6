"""Shared fixtures: a real DuckDB file per test, and data loaded through the real import path."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.store import check, database, read, schema


@pytest.fixture
def db(tmp_path):
    con = database.connect(tmp_path / "t.duckdb")
    yield con
    con.close()


def load(con, kind: str, df: pd.DataFrame, replace: bool = False) -> list[int]:
    """Validate a DataFrame as a sheet of `kind` and import it, exactly as a file would be."""
    sheet, problems = check.check_sheet("test.xlsx", kind, read.frame_to_grid(df), schema.KINDS[kind], 0)
    errors = [str(p) for p in problems if p.level == "error"]
    assert not errors, errors
    return database.import_sheets(con, [sheet], sha256={}, replace=replace)


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


@pytest.fixture
def goals(tmp_path, monkeypatch):
    """goals(privacy={"k": 2}) points BALANS_GOALS at a copy of data/goals.toml with those settings
    changed. A new file per call: settings.goals() caches per path, so each test gets its own."""
    import json
    import tomllib

    from indicators.store import schema as _schema

    calls = []

    def set_goals(**sections) -> None:
        with open(_schema.DATA_DIR / "goals.toml", "rb") as f:
            data = tomllib.load(f)
        for section, values in sections.items():
            data.setdefault(section, {}).update(values)
        lines = []
        for section, values in data.items():
            lines.append(f"[{section}]")
            lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
        path = tmp_path / f"goals_{len(calls)}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        calls.append(path)
        monkeypatch.setenv("BALANS_GOALS", str(path))
    return set_goals


def row(df: pd.DataFrame, **where) -> pd.Series:
    """The one row of df whose columns equal the given values (fails unless exactly one matches)."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    assert mask.sum() == 1, (where, df)
    return df[mask].iloc[0]
