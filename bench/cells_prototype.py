"""PROTOTYPE, NOT WIRED IN: what publish-time base cells would cost, and what a page would then cost.

    python bench/cells_prototype.py [--scale N] [--repeat R]

Issue 25, step 2 (docs/performance.md, "Publish-time materialisation: design"). Nothing in the app,
the writer or the indicators reads what this makes: it works on a scratch copy of bench/run.py's
cached database and prints figures for the design. It measures, at the given scale:

1. at publish: building the base cells in DuckDB from the person rows (the staff cells the pages
   already read, and pay cells per year × unit × position × gender × employment type with counts,
   key sums, salary sums and the largest salary), their rows and their bytes in the snapshot;
2. per table, on a page: one query for the unit's cells, the table's sums from them in numpy, and
   the protection's array core (privacy.perturb_counts and floor_at_thresholds on the counts),
   against today's path (the indicator's SQL on staff_cells, then privacy.publish on the frame).

The magnitude key is a stand-in here (a second byte of each person's record key would be stored at
import, beside `rkey`); the published figures are not compared, only timed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import duckdb
import numpy as np
import run

from indicators.present import pages
from indicators.protect import privacy, registry
from indicators.store import snapshot

PAY_CELLS = """
    CREATE TABLE pay_cells AS
    SELECT year, unit, position_category, employment_type, gender,
           count(*) AS people, sum(rkey)::BIGINT AS rkey_sum,
           -- stand-in for a second per-person key (a magnitude key stored at import)
           sum((rkey::INTEGER * 131 + 7) % 256)::BIGINT AS mkey_sum,
           count(monthly_salary) AS paid, sum(monthly_salary) AS salary_sum, max(monthly_salary) AS salary_max,
           sum(monthly_salary * coalesce(fte, 1)) AS salary_fte_sum, sum(coalesce(fte, 1)) AS fte
    FROM staff
    GROUP BY ALL
    ORDER BY year, unit
"""
STAFF_CELLS = f"CREATE TABLE staff_cells_again AS {run.store.STAFF_CELLS_KEYED}"
UNIT_CELLS = """
    SELECT c.* FROM staff_cells c
    JOIN (SELECT DISTINCT descendant FROM unit_tree WHERE ancestor = $unit) t ON t.descendant = c.unit
"""


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def publish_cost(db: Path, repeat: int) -> None:
    """Building the cells at publish, on a scratch copy of the newest snapshot."""
    pointer = snapshot.read_pointer(db)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "s.duckdb"
        shutil.copy(pointer.file, copy)
        copy.chmod(0o600)
        con = duckdb.connect(str(copy))
        before = copy.stat().st_size
        for name, sql in (("staff cells (what staff_cells holds)", STAFF_CELLS), ("pay cells", PAY_CELLS)):
            table = sql.split()[2]
            ms = median_ms(
                lambda table=table, sql=sql: (con.execute(f"DROP TABLE IF EXISTS {table}"), con.execute(sql)), repeat
            )
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            print(f"  publish: {name:38s} {ms:8.1f} ms  {rows:8d} rows")
        con.execute("DROP TABLE staff_cells_again")
        con.execute("CHECKPOINT")
        con.close()
        print(f"  snapshot: {before / 1e6:.1f} MB, with the pay cells {copy.stat().st_size / 1e6:.1f} MB")


def page_cost(db: Path, repeat: int) -> None:
    """One representation table both ways."""
    registry.load_all()
    reader = run.writer.reader(db)
    con = reader.connection()
    f = pages.governed(run.one_unit_and_year(con))
    ind = registry.REGISTRY["representation"]

    def today():
        return registry.compute(con, "representation", f)

    def unit_cells():
        cur = con.cursor()
        try:
            return cur.execute(UNIT_CELLS, {"unit": f.unit}).fetchnumpy()
        finally:
            cur.close()

    cells = unit_cells()
    year = cells["year"] == f.year
    positions = cells["position_category"][year]
    gender = cells["gender"][year]
    people = cells["people"][year].astype(np.int64)
    keys = cells["rkey_sum"][year].astype(np.int64)

    def sums():
        # the representation table's counts and key sums per (position, gender), and the 'all' row
        out = {}
        for p in (*np.unique(positions), None):
            rows = np.ones(len(people), dtype=bool) if p is None else positions == p
            for g in ("woman", "man", "other"):
                sel = rows & (gender == g)
                out[(p, g)] = (people[sel].sum(), keys[sel].sum())
        return out

    def protect(table):
        n = np.array([v[0] for v in table.values()])
        k = np.array([v[1] for v in table.values()]) + privacy._measure_shift("people")
        published = privacy.floor_at_thresholds(n, privacy.perturb_counts(n, k))
        return published, (published > 0) & (published < 5)

    print(f"  page, one representation table for {f.unit} {f.year}:")
    print(f"    today (SQL on staff_cells, then privacy.publish): {median_ms(today, repeat):7.2f} ms")
    base = lambda: ind.function(con.cursor(), f)  # noqa: E731
    print(f"      of which the indicator's SQL and frame:          {median_ms(base, repeat):7.2f} ms")
    frame = base()
    print(
        f"      of which privacy.publish on the frame:            "
        f"{median_ms(lambda: privacy.publish(frame, ind.protection, f), repeat):7.2f} ms"
    )
    print(
        f"    the unit's cells in one query ({len(cells['year'])} cells, every year):   "
        f"{median_ms(unit_cells, repeat):7.2f} ms (once a page)"
    )
    print(f"    the table's sums in numpy from them:               {median_ms(sums, repeat):7.2f} ms")
    table = sums()
    print(
        f"    the protection's array core (perturb, floor, rule): {median_ms(lambda: protect(table), repeat):7.2f} ms"
    )
    reader.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    db = run.prepare(args.scale, ("db",))["db"]
    print(f"PROTOTYPE (not wired in), scale {args.scale:g}")
    publish_cost(db, max(3, args.repeat // 2))
    page_cost(db, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
