"""Balans at sector scale: how fast it answers, side by side with what a user would otherwise do.

    python bench/run.py [--scale N] [--json FILE] [--repeat R] [--no-growth]

Scale 1 is "sector scale" (docs/design.md, "Performance targets"): 100 000 staff a year for ten years (1 M staff rows) and at
least 50 000 committee seats. The synthetic data are generated once per scale and cached under
bench/cache/ (git-ignored). Every figure is the median of repeated runs. It prints a table and,
with --json, writes these keys: import_xlsx_s, import_xlsx_ratio_vs_openpyxl, import_csv_1m_s,
page_queries_ms (per page), page_queries_ms_max, scorecard_ms, pandas_ratio, rss_mb (null with
--no-rss) and growth (page_queries_ms per page at each scale run).

Each figure is held to its target (TARGETS, docs/design.md "Performance targets"): the table marks a
miss and says by how much, and the run ends with the list of misses; a miss never stops the run. The
first-chart target (a page against a bare Streamlit page in a real browser) is bench/browser.py's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

import pandas as pd

from indicators import cli, demo
from indicators.present import pages
from indicators.protect import registry
from indicators.store import cells, database, importer, writer

CACHE = HERE / "cache"
# demo.generate(scale=1) makes about 2 200 staff a year; sector scale is 100 000 a year.
DEMO_SCALE_PER_SECTOR = 45
YEARS = range(2016, 2026)  # ten years


# The targets (docs/design.md, "Performance targets"), at scale 1: figure -> (comparison, bound).
# Every page's queries are held to page_queries_ms_max's bound, and their growth from the smallest
# to the largest scale run to linear (`growth_factors`).
TARGETS: dict[str, tuple[str, float]] = {
    "import_xlsx_s": ("<=", 0.65),
    "import_xlsx_ratio_vs_openpyxl": (">=", 20),
    "import_csv_1m_s": ("<=", 1.5),
    "page_queries_ms_max": ("<", 30),
    "scorecard_ms": ("<", 30),
    "pandas_ratio": (">=", 10),
    "rss_mb": ("<", 600),
}
LINEAR = 1.0  # growth factor: the time's growth over the data's; above 1 is faster than linear


def meets(value: float | None, target: tuple[str, float]) -> bool | None:
    """Whether value meets (comparison, bound); None when there is no value (a figure not measured)."""
    if value is None:
        return None
    op, bound = target
    return {"<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound}[op]


def growth_factors(growth: dict[str, dict[str, float]]) -> dict[str, float]:
    """Per page, how much faster than the data its queries grew from the smallest to the largest
    scale run: (t_large / t_small) / (scale_large / scale_small). 1 is linear, below 1 sublinear.
    Empty with a single scale."""
    if len(growth) < 2:
        return {}
    small, large = min(growth, key=float), max(growth, key=float)
    data = float(large) / float(small)
    return {
        page: (growth[large][page] / growth[small][page]) / data
        for page in growth[small]
        if page in growth[large] and growth[small][page] > 0
    }


def judged(res: dict) -> list[tuple[str, float | None, str, bool | None]]:
    """Every figure with its target as text and whether it meets it (None: not measured, or no
    target): (name, value, target, ok), in the order the table prints them."""

    def row(name, value, target):
        return (name, value, f"{target[0]} {target[1]:g}", meets(value, target))

    rows = [row(name, res.get(name), target) for name, target in TARGETS.items()]
    rows += [
        row(f"page_queries_ms[{page}]", ms, TARGETS["page_queries_ms_max"])
        for page, ms in res["page_queries_ms"].items()
    ]
    rows += [(f"growth: page_queries_ms_max at scale {k}", max(v.values()), "", None) for k, v in res["growth"].items()]
    span = f"{min(res['growth'], key=float)}..{max(res['growth'], key=float)}"
    rows += [
        row(f"growth over linear, scale {span} [{page}]", g, ("<=", LINEAR))
        for page, g in growth_factors(res["growth"]).items()
    ]
    return rows


def misses(res: dict) -> list[str]:
    """What missed its target, each as a line that says by how much."""
    out = []
    for name, value, target, ok in judged(res):
        if ok is False:
            bound = float(target.split()[1])
            out.append(f"{name} = {value:.2f}, target {target} ({value / bound:.2g} times the bound)")
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` calls (seconds), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _stamp() -> str:
    """What the cached files were made from: the schema version and the demo generator's source.
    A cache made by an older Balans (fewer sheets, an older schema) is regenerated, never measured."""
    files = sorted(Path(demo.__file__).parent.glob("*.py")) + [Path(database.__file__)]  # the demo package, the store
    source = b"".join(f.read_bytes() for f in files)
    return f"schema {database.SCHEMA_VERSION}, sources {hashlib.sha256(source).hexdigest()[:16]}"


def prepare(scale: float, need: tuple[str, ...] = ("db", "xlsx", "csv")) -> dict[str, Path]:
    """The cached database, a 100 000-row staff xlsx and the 1 M-row staff csv for this scale
    (only those in `need` are made: the growth runs need the database alone)."""
    folder = CACHE / f"scale_{scale:g}"
    paths = {"db": folder / "balans.duckdb", "xlsx": folder / "staff_xlsx.xlsx", "csv": folder / "staff_1m.csv"}
    stamp = folder / "STAMP"
    if not (stamp.exists() and stamp.read_text() == _stamp()):
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    stamp.write_text(_stamp())
    missing = [k for k in need if not paths[k].exists()]
    if not missing:
        return paths
    print(f"generating scale {scale:g} ({', '.join(missing)}) under {folder} (once) ...", file=sys.stderr)
    if "db" in missing:
        assert (
            cli.main(["demo", "--seed", "1", "--scale", str(DEMO_SCALE_PER_SECTOR * scale), "--db", str(paths["db"])])
            == 0
        )
    if "csv" in missing or "xlsx" in missing:
        staff = demo.generate(seed=1, scale=DEMO_SCALE_PER_SECTOR * scale)["staff"]
        staff = staff[staff["year"].isin(YEARS)]
        if "csv" in missing:
            staff.to_csv(paths["csv"], index=False)
        if "xlsx" in missing:
            one_year = staff[staff["year"] == staff["year"].max()]
            # 100 000 rows from scale 1 up (fewer below, so a tiny run stays quick): the latest year,
            # repeated under other person ids where it is short.
            n = int(100_000 * min(scale, 1.0))
            rows = one_year
            while len(rows) < n:
                extra = one_year.assign(person_id=one_year["person_id"] + f"-{len(rows)}")
                rows = pd.concat([rows, extra])
            _write_xlsx(rows.head(n), paths["xlsx"])
    return paths


def _write_xlsx(df: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)  # streaming: a 100 000-row sheet in seconds, not minutes
    ws = wb.create_sheet("staff")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    wb.save(path)


def import_into_fresh_db(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        # end to end as the command line does it: checked, then written under the lock and published
        result = importer.check_files([path])
        with writer.writing(Path(tmp) / "b.duckdb", "bench/run.py import") as con:
            importer.store_checked(con, result)
        elapsed = time.perf_counter() - t
        assert result.ok, [str(p) for p in result.problems[:5]]
        return elapsed


def page_files() -> dict[str, Path]:
    """The app's pages, id -> file, as app.py hands them to st.navigation (indicators/present/pages.py)."""
    return {p.id: ROOT / p.file for p in pages.PAGES}


def page_sources() -> dict[str, list[str]]:
    """Each page and what it computes (`Page.computes`: indicator ids and "goals.<function>"), from
    the page declaration, so the benchmark follows the pages as they change. Pages that compute
    nothing (import, export until a button is clicked, method) are left out."""
    return {p.id: p.computes for p in pages.PAGES if p.computes}


def page_runner(con, sources: list[str], filters: registry.Filters):
    """One call that computes everything a page computes, as the page does (views/_draw.page): every section's
    table side by side, with the filters the page governs (its trends end at its year); the tables read
    from memory (pages.in_memory) on the calling thread while the threads run the queries
    (registry.side_by_side; views/_data.prefetched runs them one after another on one of its threads)."""
    f = pages.governed(filters)
    return lambda: registry.side_by_side(
        lambda s: pages.compute(con, pages.Section(s), f), sources, lambda s: pages.in_memory(con, s, f)
    )


def one_unit_and_year(con) -> registry.Filters:
    unit = con.execute(
        "SELECT unit FROM units WHERE parent_unit = (SELECT unit FROM units WHERE parent_unit IS NULL "
        "LIMIT 1) ORDER BY unit LIMIT 1"
    ).fetchone()
    year = con.execute("SELECT max(year) FROM staff").fetchone()[0]
    return registry.Filters(unit=unit[0] if unit else database.ALL_UNITS, year=year)


def settle(con) -> None:
    """Wait for the tables of every unit that the warm run started in the background
    (registry.of_every_unit): the figures are an app process's after its first visits. What a first
    visit costs is in docs/performance.md, "Tables of every unit, once per snapshot"."""
    cells.settle(con)


def page_queries_ms(db: Path, repeat: int) -> dict[str, float]:
    """Per page, the median time (ms) of all its queries for one unit and year, warm."""
    registry.load_all()
    reader = writer.reader(db)  # as the app reads: the newest published snapshot
    con = reader.connection()
    filters = one_unit_and_year(con)
    out = {}
    for page, sources in page_sources().items():
        run = page_runner(con, sources, filters)
        run()  # warm
        settle(con)
        out[page] = timed(run, repeat)[0] * 1000
    reader.close()
    return out


def scorecard(db: Path, repeat: int) -> tuple[float, float]:
    """Ours (ms) and the plain-pandas reference's time over ours."""
    import pandas_reference

    from indicators.subgoals import goals

    reader = writer.reader(db)
    con = reader.connection()
    filters = one_unit_and_year(con)
    goals.scorecard(con, filters)
    settle(con)
    ours, table = timed(lambda: goals.scorecard(con, filters), repeat)
    frames = pandas_reference.load(con)
    theirs, ref = timed(lambda: pandas_reference.scorecard(frames, filters), max(3, repeat // 3))
    # The reference computes the true figures: it is checked against the exact scorecard (the
    # protected one, timed above, differs from it by the cell-key method's noise by design), and
    # what it finds hidden against the protected one.
    exact = goals.scorecard(con, filters.with_(exact=True))
    reader.close()
    pandas_reference.check_same(exact, ref, protected=table)
    return ours * 1000, theirs / ours


def rss_mb(db: Path) -> float:
    """Peak resident memory (MB) of a fresh process that opens the database and renders every page
    once with AppTest: the memory one app process needs for one session's tour of the app."""
    files = [str(p.relative_to(ROOT)) for p in page_files().values()]
    code = (
        "import json\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=600)\n"
        # every page whole, as a browser has it once its first chart is drawn (views/_draw.py, FIRST_SCREEN)
        "at.session_state['balans_first_screen'] = True\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        f"for page in json.loads({json.dumps(json.dumps(files))}):\n"
        "    at.switch_page(page).run()\n"
        "    assert not at.exception, (page, at.exception)\n"
        # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across fork and exec, so the
        # child would report this (large) benchmark process's peak instead of its own.
        "print(int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024)\n"
    )
    env = {**os.environ, "BALANS_DB": str(db), "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-3000:])
    return float(r.stdout.strip().splitlines()[-1])


def openpyxl_s(path: Path, repeat: int) -> float:
    return timed(lambda: pd.read_excel(path, engine="openpyxl"), repeat)[0]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0, help="1 = sector scale (100 000 staff a year)")
    p.add_argument("--json", help="write the figures here")
    p.add_argument("--repeat", type=int, default=9, help="runs per figure (the median is reported)")
    p.add_argument("--no-growth", action="store_true", help="skip the 1/10 and 3x scale runs")
    p.add_argument("--no-rss", action="store_true", help="skip the AppTest memory run")
    args = p.parse_args(argv)

    paths = prepare(args.scale)
    res: dict = {}
    imports = max(1, min(5, args.repeat))
    res["import_xlsx_s"] = statistics.median(import_into_fresh_db(paths["xlsx"]) for _ in range(imports))
    res["import_xlsx_ratio_vs_openpyxl"] = openpyxl_s(paths["xlsx"], min(3, imports)) / res["import_xlsx_s"]
    res["import_csv_1m_s"] = statistics.median(import_into_fresh_db(paths["csv"]) for _ in range(min(3, imports)))
    res["page_queries_ms"] = page_queries_ms(paths["db"], args.repeat)
    res["page_queries_ms_max"] = max(res["page_queries_ms"].values())
    res["scorecard_ms"], res["pandas_ratio"] = scorecard(paths["db"], args.repeat)
    res["rss_mb"] = None if args.no_rss else rss_mb(paths["db"])
    # How the cost grows with the data: every page's queries at 1/10, 1 and 3 times the scale.
    res["growth"] = {f"{args.scale:g}": res["page_queries_ms"]}
    if not args.no_growth:
        for factor in (0.1, 3):
            s = args.scale * factor
            res["growth"][f"{s:g}"] = page_queries_ms(prepare(s, ("db",))["db"], args.repeat)
    res["growth"] = dict(sorted(res["growth"].items(), key=lambda kv: float(kv[0])))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"

    print(f"Balans benchmark, scale {args.scale:g} ({machine}); the targets are for scale 1")
    for name, value, target, ok in judged(res):
        shown = "-" if value is None else f"{value:10.2f}"
        mark = {True: "ok", False: "MISSED", None: ""}[ok]
        print(f"  {name:52s} {shown:>10s}  {target:8s} {mark}")
    missed = misses(res)
    print(f"{len(missed)} target(s) missed" + (":" if missed else "."))
    for line in missed:
        print(f"  - {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
