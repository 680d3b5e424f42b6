"""Shared fixtures: a real DuckDB file per test, and data loaded through the real import path.
The helpers they use, and that tests import, are in helpers.py."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from browsing import CHROMIUM, FLAGS, SHOTS, _need_browser, _start
from helpers import FIXED_KEY, SCHOOL_KEY, copy_demo, keyed_database, load, staff_rows
from indicators import cli
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
def keyed_school(tmp_path):
    """School S with departments D1, D2, D3, all full time, k = 5:
    D1: professors 2 W / 8 M (a hidden row), lecturers 10 W / 10 M / 2 other (a hidden other count),
        associate professors 7 W / 6 M / 5 other, non-academic 12 W / 6 M: 31 W, 30 M, 7 other, 68;
    D2: lecturers 9 W / 11 M; D3: lecturers 3 W / 1 M (a hidden sub-unit). S: 43 W, 42 M, 7 other, 92."""
    con = keyed_database(tmp_path / "keyed.duckdb", SCHOOL_KEY)
    load(
        con,
        "units",
        pd.DataFrame(
            {
                "unit": ["S", "D1", "D2", "D3"],
                "name_sv": ["Skolan", "Inst 1", "Inst 2", "Inst 3"],
                "name_en": ["School", "Dept 1", "Dept 2", "Dept 3"],
                "parent_unit": [None, "S", "S", "S"],
            }
        ),
    )
    load(
        con,
        "staff",
        pd.concat(
            [
                staff_rows(
                    [
                        ("professor", "K", 2),
                        ("professor", "M", 8),
                        ("adjunkt", "K", 10),
                        ("adjunkt", "M", 10),
                        ("adjunkt", "X", 2),
                        ("lektor", "K", 7),
                        ("lektor", "M", 6),
                        ("lektor", "X", 5),
                        ("administratör", "K", 12),
                        ("administratör", "M", 6),
                    ],
                    unit="D1",
                    fte=1.0,
                ),
                staff_rows([("adjunkt", "K", 9), ("adjunkt", "M", 11)], unit="D2", fte=1.0),
                staff_rows([("adjunkt", "K", 3), ("adjunkt", "M", 1)], unit="D3", fte=1.0),
            ],
            ignore_index=True,
        ),
    )
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory):
    """demo_copy(db, seed=0, scale=1) puts at `db` the demo database that `python -m indicators demo
    --seed seed --scale scale --db db` makes, and returns db. Each (seed, scale) is made once per session
    and copied (helpers.copy_demo): a copy costs well under a second, making the demo about 8 s of CPU.
    Each caller has its own file, so a module that changes its copy changes no other's."""
    made = {}

    def copy(db: Path, seed: int = 0, scale: float = 1) -> Path:
        if (seed, scale) not in made:
            path = tmp_path_factory.mktemp("demo_made") / "demo.duckdb"
            assert cli.main(["demo", "--seed", str(seed), "--scale", str(scale), "--db", str(path)]) == 0
            made[(seed, scale)] = path
        return copy_demo(made[(seed, scale)], db)

    return copy


@pytest.fixture(scope="module")
def demo_db(request, tmp_path_factory, demo_copy):
    """The path of a demo database, made for the test module as `python -m indicators demo` makes it,
    with the module's DEMO = {"seed": ..., "scale": ...} (default seed 0, scale 1): the module's own copy
    (demo_copy), so that a module that changes it (the Import page's remove and undo) changes no other's."""
    options = {"seed": 0, "scale": 1, **getattr(request.module, "DEMO", {})}
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.duckdb", options["seed"], options["scale"])


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


# --- the real app in chromium (browsing.py): a server per module, a browser on it, a page per test ---


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_copy):
    _need_browser()
    tmp = tmp_path_factory.mktemp("browser")
    for url, _proc in _start(tmp, demo_copy(tmp / "demo.duckdb")):
        yield url


@pytest.fixture
def fresh_server(tmp_path_factory, demo_copy):
    """A server of its own that nobody has visited yet."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("fresh")
    for url, _proc in _start(tmp, demo_copy(tmp / "demo.duckdb")):
        yield url


@pytest.fixture(scope="module")
def browser(server):
    # Playwright only where a browser test asks for it: the rest of the suite never loads it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    pg.screenshot(path=str(SHOTS / f"last_{request.node.name}.png"), full_page=True)  # to see a failure
    context.close()
