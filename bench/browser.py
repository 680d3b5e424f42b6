"""Balans in a real browser: how long a page takes to draw its first chart, against a bare Streamlit page.

    python bench/browser.py [--scale N | --db FILE] [--runs N] [--pages overview,representation,pay]
                            [--vs CHECKOUT] [--json FILE] [--trace]

Two servers of the same kind run side by side: `streamlit run app.py` on the benchmark's database
(bench/run.py's cache for the scale, or --db) and `streamlit run` of a bare page that draws one
Plotly chart and nothing else. Headless Debian chromium (Playwright, /usr/bin/chromium, the flags of
tests/test_browser.py) opens each page in a fresh browser context (a new Streamlit session, an empty
HTTP cache), the pages in turn, N rounds, so that the machine's drift reaches them all alike.

A visit is timed from the navigation's start to the first Plotly chart drawn (the chart's SVG holds
its first trace), read in the page itself (performance.now() in a MutationObserver, so Playwright's
polling adds nothing). The figure per page is the median of N; the ratio is that median over the bare
page's, the target at most 1.2 (docs/design.md, "Performance targets"). The first visit after a
server starts (nothing cached in the process) is timed apart and reported beside the medians.

Pages are visited as the issue measured them: the overview at the start page, the others for the
benchmark's school (bench/run.py's unit, the first school) and the latest year. `--vs` runs a third
server, the app of another checkout (a `git worktree` of an older commit) on the same database, and
visits every page on both in the same rounds: a before/after in one run, since a single timing on a
shared machine means little (its rows are named `<page>@vs`). `--json` writes
{"bare": {...}, "<page>": {"url", "median_ms", "min_ms", "max_ms", "runs_ms", "ratio"[, "over_vs"]},
"first_visit_ms": {...}, "machine": ...}, where over_vs is the median of the rounds' page / page@vs.
`--trace` adds one visit of each page taken apart (`trace`: the server's part, the wire's, the
browser's; docs/performance.md, "In the browser").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

CHROMIUM = Path("/usr/bin/chromium")
# As tests/test_browser.py launches it.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET = 1.2  # a page's first chart at most 1.2 times the bare page's
VIEWPORT = {"width": 1400, "height": 1000}

# One Plotly chart and nothing else, with the app's page config: the yardstick.
BARE_PAGE = """import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="bare", layout="wide")
st.plotly_chart(go.Figure(go.Bar(x=["Kvinnor", "Män"], y=[3, 4])), width="stretch")
"""

# Set before any script of the page runs: the moment the first Plotly chart holds a drawn trace. A
# Sankey diagram (the careers page's transitions) draws no `g.trace`: its nodes are `g.sankey-node`.
FIRST_CHART = """(() => {
  const drawn = () => document.querySelector(
    '[data-testid="stPlotlyChart"] .main-svg g.trace, [data-testid="stPlotlyChart"] .main-svg g.sankey-node');
  const seen = () => {
    if (window.__firstChart === undefined && drawn()) { window.__firstChart = performance.now(); observer.disconnect(); }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, {childList: true, subtree: true});
})();"""


# With --trace: when the sidebar, the first chart's box and its trace appeared, and the long tasks.
TRACE = """(() => {
  window.__seen = {}; window.__long = [];
  const marks = {sidebar: '[data-testid="stSidebar"] [data-testid="stRadio"]', box: '[data-testid="stPlotlyChart"]'};
  const seen = () => { for (const k in marks) if (window.__seen[k] === undefined && document.querySelector(marks[k])) window.__seen[k] = performance.now(); };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
  new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
    .observe({type: 'longtask', buffered: true});
})();"""


def trace(browser, url: str, timeout_ms: int) -> dict:
    """One more fresh visit, taken apart: the websocket messages that arrived before the first chart
    was drawn (how many, their bytes, when the chart's own arrived: the server's part), the files
    fetched, the main thread's long tasks before the chart (the browser's part), and when the
    sidebar's first widget and the chart's box appeared. Milliseconds from the navigation's start."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(FIRST_CHART)
        context.add_init_script(TRACE)
        page = context.new_page()
        frames: list[tuple[float, bytes]] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda b: frames.append((time.perf_counter(), b))))
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstChart !== undefined", timeout=timeout_ms, polling=50)
        got = page.evaluate(
            """() => ({chart: window.__firstChart, seen: window.__seen, long: window.__long,
                files: performance.getEntriesByType('resource').map(e => e.transferSize)})"""
        )
    finally:
        context.close()
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    before = [(t, b) for t, b in frames if isinstance(b, bytes) and (t - start) * 1000 <= got["chart"]]
    sent = None
    for t, b in before:
        m = ForwardMsg()
        m.ParseFromString(b)
        if m.WhichOneof("type") == "delta" and m.delta.new_element.WhichOneof("type") == "plotly_chart":
            sent = (t - start) * 1000
            break
    return {
        "chart_ms": got["chart"],
        "chart_delta_ms": sent,
        "messages": len(before),
        "message_kb": sum(len(b) for _, b in before) / 1000,
        "long_tasks_ms": sum(d for s, d in got["long"] if s < got["chart"]),
        "files": len(got["files"]),
        "file_mb": sum(got["files"]) / 1e6,
        **{f"{k}_ms": v for k, v in got["seen"].items()},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit(script: Path, cwd: Path, env: dict, log: Path):
    """`streamlit run script` headless on a free port (the flags of tests/test_browser.py); yields its
    URL once its health endpoint answers, stops it after."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
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
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def first_chart_ms(browser, url: str, timeout_ms: int) -> float:
    """One visit in a fresh context: milliseconds from the navigation's start to the first chart drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(FIRST_CHART)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstChart !== undefined", timeout=timeout_ms, polling=50)
        return float(page.evaluate("window.__firstChart"))
    finally:
        context.close()


def school_and_year(db: Path) -> tuple[str, int]:
    """bench/run.py's unit and year (the first school, the latest year)."""
    import run

    from indicators.store import writer

    reader = writer.reader(db)
    try:
        f = run.one_unit_and_year(reader.connection())
    finally:
        reader.close()
    return f.unit, f.year


def page_urls(pages: list[str], unit: str, year: int) -> dict[str, str]:
    """Each page's path: the overview at the start page, the others for the school and year."""
    from indicators.present import pages as declared

    return {p: "/" if p == declared.PAGES[0].id else f"/{declared.page(p).path}?unit={unit}&year={year}" for p in pages}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0, help="bench/run.py's cached database of this scale")
    p.add_argument("--db", help="a database of your own instead (used as it is)")
    p.add_argument("--runs", type=int, default=5, help="visits per page (the median is reported)")
    p.add_argument("--pages", default="overview,representation,pay", help="page ids, comma-separated")
    p.add_argument("--vs", help="another checkout whose app.py is timed beside this one's, on the same database")
    p.add_argument("--timeout", type=float, default=120, help="seconds a visit may take")
    p.add_argument("--json", help="write the figures here")
    p.add_argument("--trace", action="store_true", help="and one more visit of each page taken apart (trace())")
    args = p.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    if args.db:
        db = Path(args.db).resolve()
    else:
        import run

        db = run.prepare(args.scale, ("db",))["db"]
    unit, year = school_and_year(db)
    urls = page_urls([x for x in args.pages.split(",") if x], unit, year)
    timeout = int(args.timeout * 1000)
    res: dict = {}
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "bare.py").write_text(BARE_PAGE)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        bare = stack.enter_context(streamlit(tmp / "bare.py", tmp, env, tmp / "bare.log"))
        checkouts = {"": ROOT, **({"@vs": Path(args.vs).resolve()} if args.vs else {})}
        apps = {
            label: stack.enter_context(
                streamlit(
                    where / "app.py",
                    where,
                    {**env, "BALANS_DB": str(db), "PYTHONPATH": str(where / "src")},
                    tmp / f"app{label}.log",
                )
            )
            for label, where in checkouts.items()
        }
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        stack.callback(browser.close)
        targets = {
            "bare": bare + "/",
            **{page + label: app + path for page, path in urls.items() for label, app in apps.items()},
        }
        # The first visit of each server: the process has cached nothing yet.
        res["first_visit_ms"] = {"bare": first_chart_ms(browser, targets["bare"], timeout)}
        first = next(iter(urls), None)
        for label in apps if first is not None else ():
            res["first_visit_ms"][first + label] = first_chart_ms(browser, targets[first + label], timeout)
        for name in targets:  # and one visit of every page, so that the rounds time warm processes alike
            first_chart_ms(browser, targets[name], timeout)
        runs: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, url in targets.items():
                runs[name].append(first_chart_ms(browser, url, timeout))
        if args.trace:
            res["trace"] = {name: trace(browser, url, timeout) for name, url in targets.items()}
    base = statistics.median(runs["bare"])
    for name, ms in runs.items():
        med = statistics.median(ms)
        res[name] = {
            "url": "/" + targets[name].split("/", 3)[-1],
            "median_ms": med,
            "min_ms": min(ms),
            "max_ms": max(ms),
            "runs_ms": ms,
            "ratio": med / base,
        }
        if name + "@vs" in runs:  # this checkout over the other, round by round (the pair shares the moment)
            res[name]["over_vs"] = statistics.median(a / b for a, b in zip(ms, runs[name + "@vs"]))
    res["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}"
    )

    print(
        f"First chart drawn, median of {args.runs} fresh sessions ({res['machine']}); database {db}"
        + (f"; @vs: the app of {checkouts['@vs']}" if args.vs else "")
    )
    print(f"  {'page':20s} {'median ms':>10s} {'min':>8s} {'max':>8s} {'x bare':>7s}  target")
    missed = []
    for name in runs:
        r = res[name]
        mark = "" if name == "bare" else ("ok" if r["ratio"] <= TARGET else "MISSED")
        if mark == "MISSED":
            missed.append(f"{name}: {r['ratio']:.2f} times the bare page, target <= {TARGET:g}")
        print(
            f"  {name:20s} {r['median_ms']:10.0f} {r['min_ms']:8.0f} {r['max_ms']:8.0f} {r['ratio']:7.2f}  "
            f"{'' if name == 'bare' else f'<= {TARGET:g} '}{mark}"
        )
    for name in runs:
        if "over_vs" in res[name]:
            print(f"  {name}: this checkout over @vs, median of the rounds' ratios: {res[name]['over_vs']:.2f}")
    print(
        "  first visit after the server started: "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in res["first_visit_ms"].items())
    )
    for name, tr in res.get("trace", {}).items():
        print(
            f"  trace {name}: chart {tr['chart_ms']:.0f} ms, its message at {tr['chart_delta_ms'] or 0:.0f}; "
            f"{tr['messages']} messages ({tr['message_kb']:.0f} kB) before it; long tasks {tr['long_tasks_ms']:.0f} ms; "
            f"{tr['files']} files ({tr['file_mb']:.1f} MB); sidebar {tr.get('sidebar_ms', 0):.0f}, "
            f"chart box {tr.get('box_ms', 0):.0f} ms"
        )
    print(f"{len(missed)} target(s) missed" + (":" if missed else "."))
    for line in missed:
        print(f"  - {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
