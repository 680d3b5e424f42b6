"""Load: 20 browser sessions use the real app at once while an administrator imports a file through
the Import page. No session may see an error, a chart of another session's unit (mixed results),
or stale data after the import; the server's memory stays bounded. The figures are printed (run with
-s to see them) and reported in docs/deployment.md, "Reliability"."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pandas as pd
import pytest

from browsing import CHROMIUM, FLAGS, PASSPHRASE, _need_browser, _start

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SESSIONS = 20
YEARS = (2019, 2020, 2021, 2022, 2023)


@pytest.fixture(scope="module")
def loaded_server(tmp_path_factory, demo_copy):
    _need_browser()
    tmp = tmp_path_factory.mktemp("load")
    for url, proc in _start(tmp, demo_copy(tmp / "demo.duckdb")):
        yield url, proc, tmp


def _schools() -> list[tuple[str, str]]:
    # The server holds the database file, so the names come from the demo's own units table.
    from indicators import demo

    units = demo.generate(seed=0)["units"]
    schools = units[units["parent_unit"] == "UNI"]
    return list(zip(schools["unit"], schools["name_en"]))


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _session(browser, url: str, unit: str, name: str, year: int) -> dict:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(240_000)
    t = time.perf_counter()
    await page.goto(f"{url}/representation?unit={unit}&year={year}&lang=en")
    await page.wait_for_selector(".js-plotly-plot .gtitle")
    elapsed = time.perf_counter() - t
    heading = await page.locator("h1").first.inner_text()
    errors = await page.locator('[data-testid="stException"]').count()
    await context.close()
    return {"unit": unit, "name": name, "year": year, "heading": heading, "errors": errors, "seconds": elapsed}


async def _import(browser, url: str, file: Path) -> float:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(240_000)
    await page.goto(f"{url}/import?lang=en")
    await page.get_by_label("Administrator passphrase").fill(PASSPHRASE)
    await page.keyboard.press("Enter")
    await page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached")
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    t = time.perf_counter()
    await page.get_by_role("button", name="Import", exact=True).click()
    await page.get_by_text("Imported: batch").wait_for()
    await context.close()
    return time.perf_counter() - t


async def _run(url: str, jobs, file: Path):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        t = time.perf_counter()
        results = await asyncio.gather(_import(browser, url, file), *[_session(browser, url, *j) for j in jobs])
        total = time.perf_counter() - t
        # After the import: a new session sees the new year at once (nothing stale is shown).
        after = await _session(browser, url, "NEW", "NEW", 2026)
        await browser.close()
    return results[0], results[1:], total, after


def test_twenty_sessions_while_an_import_runs(loaded_server):
    url, proc, tmp = loaded_server
    schools = _schools()
    jobs = [(*schools[i % len(schools)], YEARS[i % len(YEARS)]) for i in range(SESSIONS)]
    new_year = pd.DataFrame(
        {
            "year": 2026,
            "person_id": [f"N{i}" for i in range(4000)],
            "unit": "NEW",
            "position": ["Doktorand", "Professor"] * 2000,
            "gender": ["K", "M", "M", "K"] * 1000,
        }
    )
    file = tmp / "staff_2026.csv"
    new_year.to_csv(file, index=False)

    import_s, sessions, total_s, after = asyncio.run(_run(url, jobs, file))
    rss = _peak_rss_mb(proc.pid)
    slowest = max(s["seconds"] for s in sessions)
    print(
        f"\nload: {SESSIONS} sessions + 1 import in {total_s:.1f} s; slowest first chart {slowest:.1f} s, "
        f"median {sorted(s['seconds'] for s in sessions)[SESSIONS // 2]:.1f} s; import {import_s:.1f} s; "
        f"server peak RSS {rss:.0f} MB"
    )
    for s in sessions:
        assert s["errors"] == 0, s
        # Each session's page is about its own unit and year, never a neighbour's.
        assert s["name"] in s["heading"] and str(s["year"]) in s["heading"], s
    assert after["errors"] == 0 and "2026" in after["heading"]
    assert rss < 1500
