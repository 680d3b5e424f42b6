"""Shared fixtures: a real DuckDB file per test, and data loaded through the real import path.
The helpers they use, and that tests import, are in helpers.py."""

from __future__ import annotations

import json
import tomllib

import pytest

from browsing import CHROMIUM, FLAGS, SHOTS, _need_browser, _start
from helpers import FIXED_KEY
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


@pytest.fixture(scope="module")
def demo_db(request, tmp_path_factory):
    """The path of a demo database, made for the test module as `python -m indicators demo` makes it,
    with the module's DEMO = {"seed": ..., "scale": ...} (default seed 0, scale 1). One per module:
    a module that changes it (the Import page's remove and undo) changes no other's."""
    options = {"seed": 0, "scale": 1, **getattr(request.module, "DEMO", {})}
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert cli.main(["demo", "--seed", str(options["seed"]), "--scale", str(options["scale"]), "--db", str(path)]) == 0
    return path


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
def server(tmp_path_factory):
    _need_browser()
    for url, _proc in _start(tmp_path_factory.mktemp("browser")):
        yield url


@pytest.fixture
def fresh_server(tmp_path_factory):
    """A server of its own that nobody has visited yet."""
    _need_browser()
    for url, _proc in _start(tmp_path_factory.mktemp("fresh")):
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
