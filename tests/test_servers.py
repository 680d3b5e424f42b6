"""Several processes at once, for real: two `streamlit run app.py` servers on one database, chromium
sessions on both, and the command line importing, removing and reading while they serve.

Skipped without /usr/bin/chromium, unless BALANS_REQUIRE_BROWSER=1 (CI), then it fails.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browsing import CHROMIUM, FLAGS, SHOTS, _download, _free_port, _need_browser, _settle
from helpers import staff_rows
from indicators.protect import privacy, registry
from indicators.store import writer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]


def staff_csv(path: Path, women: int, men: int, year: int) -> Path:
    staff_rows([("Professor", "K", women), ("Professor", "M", men)], year=year, unit="U1", parent="S1").to_csv(
        path, index=False
    )
    return path


def cli(*args, db: Path) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [sys.executable, "-m", "indicators", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    return r


def serve(db: Path, log: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, "BALANS_DB": str(db), "PYTHONPATH": str(ROOT / "src")},
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )
    return f"http://127.0.0.1:{port}", proc


def wait_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("streamlit did not start: " + log.read_text()[-2000:])


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A database with 2024 (professors in U1: 6 women, 6 men), and two app servers serving it."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("servers")
    db = tmp / "balans.duckdb"
    privacy.key_path(db).write_text("3c" * 32)  # a fixed key: the same published figures on every run
    cli("import", staff_csv(tmp / "hr2024.csv", 6, 6, 2024), db=db)
    servers = [serve(db, tmp / f"streamlit_{i}.log") for i in range(2)]  # both start at once
    for i, (url, proc) in enumerate(servers):
        wait_up(url, proc, tmp / f"streamlit_{i}.log")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield {"db": db, "tmp": tmp, "urls": [u for u, _ in servers], "browser": browser}
        browser.close()
    for _, proc in servers:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def open_page(setup, url: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = setup["browser"].new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)  # a fresh server's first run imports the app and computes its tables
    page.goto(url)
    page.wait_for_selector("h1")
    _settle(page)
    return page


def published(db: Path) -> tuple[int, int]:
    """The professors of U1 in 2025 as the newest snapshot publishes them (what every page, download
    and export shows: the cell-key method moves the true counts by at most 2)."""
    registry.load_all()
    reader = writer.reader(db)
    try:
        df = registry.compute(reader.connection(), "representation", registry.Filters(unit="U1", year=2025))
    finally:
        reader.close()
    row = df[df["position"] == "professor"].iloc[0]
    return int(row["women"]), int(row["men"])


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def professors(page) -> tuple[int, int]:
    """Women and men among the professors, from the representation table's CSV download."""
    table = page.locator('[data-testid="stExpander"]').filter(has_text="Table").first
    button = table.get_by_role("button", name="CSV", exact=True)
    if not button.is_visible():  # a reloaded page may keep the expander open: open it only when closed
        table.get_by_text("Table").click()
    data = _download(page, button).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(data)) if r["position"] == "professor")
    return int(row["women"]), int(row["men"])


def choose_year(page, year: int) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Year").first
    box.click()
    page.get_by_role("option", name=str(year), exact=True).click()
    _settle(page)


def test_two_servers_serve_while_the_command_line_imports_and_both_see_it(setup):
    db, tmp = setup["db"], setup["tmp"]
    # A shows the representation tables; B a page of one indicator (cheaper on two shared cores).
    a = open_page(setup, setup["urls"][0] + "/representation?unit=U1&lang=en")
    b = open_page(setup, setup["urls"][1] + "/health?unit=U1&lang=en")
    assert heading(a) == "Representation – U1, 2024" and heading(b) == "Health – U1, 2024"
    # The session of docs/guide.md, "The command line", while both serve: import, history, export.
    r = cli("import", staff_csv(tmp / "hr2025.csv", 7, 8, 2025), db=db)
    assert r.stdout.startswith("batch 2: staff from hr2025.csv")
    assert "hr2025.csv" in cli("history", db=db).stdout
    exported = cli("export", "representation", "--unit", "U1", "--year", 2025, db=db).stdout.lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["position"] == "professor")
    assert (int(row["women"]), int(row["men"])) == published(db)  # 7 and 8, published
    # Server A, the same session (no reload, no restart): its next run (moving to another page)
    # reads the new snapshot, and the year chooser offers 2025. The session keeps the year it shows.
    a.get_by_role("link", name="Committees").click()
    a.wait_for_url("**/committees**")
    _settle(a)
    choose_year(a, 2025)
    a.get_by_role("link", name="Representation").click()
    a.wait_for_url("**/representation**")
    a.wait_for_selector(".js-plotly-plot")
    _settle(a)
    a.screenshot(path=str(SHOTS / "servers_a_new_year.png"), full_page=True)
    assert heading(a).endswith("U1, 2025")
    assert professors(a) == published(db)
    # Server B: a visitor arriving now (the link without a year) starts on 2025, the latest year.
    b.goto(setup["urls"][1] + "/health?unit=U1&lang=en")
    b.wait_for_selector("h1")
    _settle(b)
    assert heading(b) == "Health – U1, 2025"
    setup["pages"] = (a, b)


def test_remove_and_a_corrected_import_show_the_corrected_numbers(setup):
    db, tmp = setup["db"], setup["tmp"]
    a, b = setup["pages"]
    # After the first test: batch 2 holds 2025 with 7 women professors; the file was wrong, 9 is right.
    cli("remove", 2, db=db)
    assert cli("import", staff_csv(tmp / "hr2025_corrected.csv", 9, 8, 2025), db=db).stdout.startswith("batch 2:")
    # Batch 2 again: under the old key (max batch id and count) server A's cache served 7 here.
    a.reload()
    a.wait_for_selector(".js-plotly-plot")
    _settle(a)
    a.screenshot(path=str(SHOTS / "servers_a_corrected.png"), full_page=True)
    assert professors(a) == published(db) and abs(professors(a)[0] - 9) <= 2  # 9 women now
    for page in (a, b):
        page.context.close()
