"""Many users at once: indicator queries from 20 threads on one shared connection (each through its
own cursor, as the app does) while an import writes, with no errors and no mixed results."""

from __future__ import annotations

import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from indicators.present import pages
from indicators.protect import registry
from indicators.store import database
from indicators.store.importer import import_files


@pytest.fixture(scope="module")
def shared(tmp_path_factory, demo_copy):
    folder = tmp_path_factory.mktemp("load")
    db = demo_copy(folder / "demo.duckdb")  # the session's demo (seed 0): no demo made for this module
    con = database.connect(db)
    yield con, folder
    con.close()


def test_twenty_sessions_and_an_import_at_once(shared):
    con, folder = shared
    registry.load_all()
    units = [database.ALL_UNITS] + [r[0] for r in con.execute("SELECT unit FROM units ORDER BY unit").fetchall()]
    jobs = [
        (units[i % len(units)], 2016 + i % 9, ind)
        for i, ind in enumerate(sorted(registry.REGISTRY) * (20 // len(registry.REGISTRY) + 1))
    ][:20]
    # each as its page computes it (pages.governed: trends end at the page's year), so a year imported
    # later changes none of them (a trend running to the last year would gain the new year's flows)
    view = lambda job: pages.governed(registry.Filters(unit=job[0], year=job[1]))  # noqa: E731
    expected = {job: registry.compute(con, job[2], view(job)) for job in jobs}

    # A new year arrives while everyone is looking at earlier ones.
    new_year = pd.DataFrame(
        {
            "year": 2026,
            "person_id": [f"N{i}" for i in range(3000)],
            "unit": "NEW-1",
            "position": "Doktorand",
            "gender": ["K", "M", "M"] * 1000,
        }
    )
    path = folder / "new.csv"
    new_year.to_csv(path, index=False)
    errors: list[BaseException] = []
    import_time: list[float] = []  # when the import started and ended
    query_times: list[float] = []  # when each session's query ended

    def importer():
        try:
            import_time.append(time.monotonic())
            result = import_files(con.cursor(), [path])
            import_time.append(time.monotonic())
            assert result.ok, result.refused
        except BaseException as e:  # collected, then raised in the main thread
            errors.append(e)

    def session(job):
        for _ in range(5):
            got = registry.compute(con, job[2], view(job))
            query_times.append(time.monotonic())
            pd.testing.assert_frame_equal(got, expected[job])
        return True

    # Memory: what the sessions allocate in Python (tables, pandas' intermediate frames; numpy reports
    # its arrays to tracemalloc), at its peak while all 20 run. The process's peak RSS cannot show it:
    # the demo's generation before this test had already set that peak, so its growth read 0.
    tracemalloc.start()
    try:
        t = threading.Thread(target=importer)
        t.start()
        with ThreadPoolExecutor(max_workers=20) as pool:
            assert all(pool.map(session, jobs))
        t.join(timeout=120)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not t.is_alive() and not errors, errors
    assert con.execute("SELECT count(*) FROM staff WHERE year = 2026").fetchone()[0] == 3000
    # The sessions really ran while the import wrote: some query ended between its start and its end
    # (20 x 5 queries take seconds, the import of 3 000 rows a fraction of one).
    start, end = import_time
    assert any(start < q < end for q in query_times), (start, end, min(query_times), max(query_times))
    # 20 sessions of small tables (the largest of the 20 is 13 kB), not copies of the database: the
    # peak was 5.4 MB here. Sessions that kept one year's staff rows (2025, some 2 200 rows) as a
    # DataFrame after each query peaked at 19.8 MB, and the whole staff table (some 26 000 rows with
    # the new year: 25 962 on the demo of seed 3 it was measured on) is 4.7 MB as a DataFrame, so 20 sessions holding a copy each would hold 95 MB. 16 MB
    # is three times the measured peak: room for threads that overlap differently, none for copies.
    assert peak < 16 * 2**20, f"{peak / 2**20:.1f} MB"


def test_every_table_reads_the_same_whatever_duckdbs_threads(shared):
    # Rows must come in a fixed order: a hash aggregate returns its groups in any order, which shows
    # as a table that reshuffles between two views (pay_transparency's job levels once did).
    con, _ = shared
    registry.load_all()
    try:
        for indicator in sorted(registry.REGISTRY):
            for unit in (database.ALL_UNITS, "UNI"):
                tables = []
                for threads in (1, 4):
                    con.execute(f"SET threads = {threads}")
                    tables.append(registry.compute(con, indicator, registry.Filters(unit=unit)))
                pd.testing.assert_frame_equal(tables[0], tables[1], obj=f"{indicator} for {unit}")
    finally:
        con.execute("RESET threads")
