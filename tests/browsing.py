"""The real app in Debian's chromium, what the browser tests share: `streamlit run app.py` on a free
port (`_start`), Playwright's waits and downloads, and the screenshots of every step (tests/screenshots/,
git-ignored). The fixtures that use these (server, fresh_server, browser, page) are in conftest.py.

Skipped when /usr/bin/chromium is missing, unless BALANS_REQUIRE_BROWSER=1 (CI), then it fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indicators.protect.access import hash_passphrase

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSPHRASE = "a passphrase for the browser test"


def _need_browser():
    if CHROMIUM.exists():
        return
    if os.environ.get("BALANS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and BALANS_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp: Path, db: Path, with_secrets: bool = True):
    """`streamlit run app.py` on the database `db` (for the demo, conftest's demo_copy), its log and secrets in tmp; yields (URL, process), stops it after."""
    env = {**os.environ, "BALANS_DB": str(db), "PYTHONPATH": str(ROOT / "src")}
    # without secrets: the read-only installation (access.py "cli_only"), data change only on the server
    secrets = tmp / "secrets.toml"
    if with_secrets:
        secrets.write_text(f'[balans]\nadmin_passphrase = "{hash_passphrase(PASSPHRASE)}"\n')
    port = _free_port()
    log = open(tmp / "streamlit.log", "w")
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
            *(["--secrets.files", str(secrets)] if with_secrets else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):  # the server is up when its health endpoint answers (no script runs for it)
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (tmp / "streamlit.log").read_text()[-2000:])
    try:
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished the run (no 'running' status widget) and, on a session's first
    page, the run that draws the rest once the first chart is drawn (no gate: views/_draw.py)."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"], .st-key-balans_first_screen_gate')",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


# Resolves once the page's DOM has not changed for `quiet` ms (or after `cap` ms, whatever it does):
# Plotly lays a chart out again after its first draw when Streamlit gives it its width, and a section
# below the first screen is drawn after the first chart. Waiting for quiet takes what the page takes,
# where a fixed wait took its worst case on every visit.
_QUIET_JS = """([quiet, cap]) => new Promise(resolve => {
  const start = performance.now();
  let last = start;
  const seen = new MutationObserver(() => { last = performance.now(); });
  seen.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const tick = () => {
    const now = performance.now();
    if (now - last >= quiet || now - start >= cap) { seen.disconnect(); resolve(now - start); }
    else setTimeout(tick, 50);
  };
  setTimeout(tick, 50);
})"""


def _quiet(page, quiet: int = 500, cap: int = 10_000) -> float:
    """Wait until nothing on the page has changed for `quiet` ms; returns the ms waited."""
    return page.evaluate(_QUIET_JS, [quiet, cap])


def _download(page, button) -> bytes:
    """Click a download button and return the file. A second click when the first brings no file:
    now and then (about one first visit in ten here, and with the code before the pages prefetched
    too) Streamlit's deferred download answers a click with nothing, and a second click, as a user
    would give, always brought the file. Two silent clicks in a row still fail the test."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # Playwright only when a test downloads

    try:
        with page.expect_download(timeout=20_000) as info:
            button.click()
    except PlaywrightTimeout:
        with page.expect_download(timeout=20_000) as info:
            button.click()
    return Path(info.value.path()).read_bytes()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
