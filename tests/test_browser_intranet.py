"""The app as an intranet installation runs it (issue 20, items 6 and 7): a real `streamlit run app.py`
on the demo data, driven by Debian's chromium through Playwright.

* nothing is fetched from outside the server: every request the pages make goes to the server
  itself (the page icon was fetched from a font host on the internet);
* the server's log has no "missing ScriptRunContext" (about 57 lines while the Export page made the
  workbook and the report, and two per table download);
* the page's Swedish CSV is, byte for byte, what `python -m indicators export --swedish` writes for
  the same view.
"""

from __future__ import annotations

import contextlib
import io
from urllib.parse import urlparse

import pytest

from browsing import CHROMIUM, FLAGS, _download, _need_browser, _settle, _start

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory, demo_copy):
    _need_browser()
    tmp = tmp_path_factory.mktemp("intranet")
    for url, _proc in _start(tmp, demo_copy(tmp / "demo.duckdb")):
        yield url, tmp / "streamlit.log", tmp / "demo.duckdb"


@pytest.fixture(scope="module")
def browser(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    yield pg
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    _settle(page)


def _table_download(page, label: str) -> bytes:
    table = page.locator('[data-testid="stExpander"]').filter(has_text="Tabell").first
    button = table.get_by_role("button", name=label, exact=True)
    if not button.is_visible():
        table.get_by_text("Tabell", exact=True).click()
    return _download(page, button)


def test_nothing_is_fetched_from_outside_the_server(served, page):
    url, _, _ = served
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in ("/", "/representation?unit=ELE&lang=en", "/pay?unit=ARK", "/committees", "/export"):
        _open(page, url + path)
        page.wait_for_timeout(1500)  # the favicon and the fonts are asked for after the first paint
    here = urlparse(url).netloc
    outside = sorted(
        {r for r in requests if urlparse(r).scheme in ("http", "https", "ws", "wss") and urlparse(r).netloc != here}
    )
    assert not outside, outside
    assert requests  # the listener heard the pages
    icon = page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\").href")
    assert icon.startswith(("data:", url)), icon


def test_downloads_leave_no_missing_script_run_context_in_the_log(served, page):
    url, log, _ = served
    _open(page, url + "/export?unit=ARK&year=2024&lang=en")
    workbook = _download(page, page.get_by_role("button", name="All indicators as one Excel workbook"))
    report = _download(page, page.get_by_role("button", name="Report as HTML (opens offline)"))
    assert workbook.startswith(b"PK") and b"<html" in report[:500].lower()
    _open(page, url + "/representation?unit=ARK&year=2024")
    assert _table_download(page, "CSV (svensk Excel)").startswith("\ufeff".encode())
    assert _table_download(page, "CSV").startswith("\ufeff".encode())
    text = log.read_text()
    assert "missing ScriptRunContext" not in text, [line for line in text.splitlines() if "ScriptRunContext" in line][
        :5
    ]
    assert "Traceback" not in text


@pytest.mark.parametrize("unit,lang", [("ARK", "sv"), ("*", "en")])
def test_the_pages_swedish_csv_is_the_command_lines(served, page, unit, lang):
    """The representation page's "CSV (svensk Excel)" and `export representation --swedish --lang`
    for the same unit, year and language: the same bytes."""
    from indicators import cli

    url, _, db = served
    query = f"?year=2024&lang={lang}" + ("" if unit == "*" else f"&unit={unit}")
    _open(page, url + "/representation" + query)
    label, word = ("CSV (svensk Excel)", "Tabell") if lang == "sv" else ("CSV (Swedish Excel)", "Table")
    table = page.locator('[data-testid="stExpander"]').filter(has_text=word).first
    button = table.get_by_role("button", name=label, exact=True)
    if not button.is_visible():
        table.get_by_text(word, exact=True).click()
    from_page = _download(page, button)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out):
        assert (
            cli.main(
                [
                    "export",
                    "representation",
                    "--unit",
                    unit,
                    "--year",
                    "2024",
                    "--swedish",
                    "--lang",
                    lang,
                    "--db",
                    str(db),
                ]
            )
            == 0
        )
    out.flush()
    assert out.buffer.getvalue() == from_page
