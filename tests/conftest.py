"""Shared fixtures: a real DuckDB file per test, and data loaded through the real import path.
The helpers they use, and that tests import, are in helpers.py."""

from __future__ import annotations

import json
import tomllib

import pytest

from helpers import FIXED_KEY
from indicators.protect import privacy
from indicators.store import database, schema


@pytest.fixture
def db(tmp_path):
    """A connection to a new DuckDB file of the current schema (its key file made at first import)."""
    con = database.connect(tmp_path / "t.duckdb")
    yield con
    con.close()


@pytest.fixture
def keyed(db):
    """`db` with the fixed key (helpers.FIXED_KEY) written before any import, so that every protected
    figure of a test is the same at every run."""
    privacy.key_path(database.db_path_of(db)).write_text(FIXED_KEY)
    return db


@pytest.fixture
def goals(tmp_path, monkeypatch):
    """goals(privacy={"k": 2}) points BALANS_GOALS at a copy of data/goals.toml with those settings
    changed. A new file per call: settings.goals() caches per path, so each test gets its own."""
    calls = []

    def set_goals(**sections) -> None:
        with open(schema.DATA_DIR / "goals.toml", "rb") as f:
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
