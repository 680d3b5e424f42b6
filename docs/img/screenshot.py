"""Retake the README's screenshot: the demo's overview in Debian's chromium, as a reader sees it.

    PYTHONPATH=src python docs/img/screenshot.py [--lang en] [--out docs/img/overview.png]

A demo database in a temporary folder, `streamlit run app.py` on a free port (the flags of
tests/test_browser.py), the overview opened at 1400 × 1800 and captured once its charts are drawn.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=["sv", "en"])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "overview.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        env = {**os.environ, "BALANS_DB": str(db), "PYTHONPATH": str(ROOT / "src")}
        subprocess.run([sys.executable, "-m", "indicators", "demo", "--db", str(db)], env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
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
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):  # up when the health endpoint answers
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1800})
                page.set_default_timeout(120_000)
                page.goto(f"{url}/?lang={args.lang}")
                page.wait_for_selector(".js-plotly-plot .main-svg")
                # the page is done when Streamlit's "running" indicator has gone and the fonts are in
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(args.out))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(args.out)


if __name__ == "__main__":
    main()
