"""Readers of published snapshots (snapshot.py, handed to them by writer.reader): an empty database
of the current schema before the first publish, a move to the newest snapshot at the next query while
an open cursor finishes on its own, and never half an import, whatever the threads."""

from __future__ import annotations

import threading
import time

from helpers import files_of, staff_csv
from indicators import cli
from indicators.store import importer, writer


def test_a_fresh_install_reads_an_empty_database_until_the_first_publish(tmp_path):
    db = tmp_path / "new" / "balans.duckdb"
    reader = writer.reader(db)
    assert reader.generation() == 0
    con = reader.connection()
    assert con.execute("SELECT count(*) FROM staff").fetchone() == (
        0,
    )  # the schema, empty: pages show their empty state
    assert not db.parent.exists()  # reading creates nothing
    assert cli.main(["demo", "--if-empty", "--scale", "0.05", "--db", str(db)]) == 0
    assert reader.generation() == 1
    # The first snapshot holds the whole demo: 1 220 staff rows at scale 0.05 (seed 0).
    assert reader.connection().execute("SELECT count(*) FROM staff").fetchone() == (1220,)
    assert cli.main(["demo", "--if-empty", "--db", str(db)]) == 0  # nothing to do: nothing published
    assert reader.generation() == 1 and files_of(db) == ["CURRENT", "g00000001.duckdb"]
    reader.close()


def test_a_reader_moves_on_at_its_next_query_while_an_open_cursor_keeps_its_snapshot(tmp_path):
    db = tmp_path / "b.duckdb"
    cli.main(
        [
            "import",
            str(staff_csv(tmp_path / "a.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2024)),
            "--db",
            str(db),
        ]
    )
    reader = writer.reader(db)
    cur = reader.connection().cursor()
    cur.execute("SELECT count(*) FROM staff").fetchone()
    cli.main(
        [
            "import",
            str(staff_csv(tmp_path / "b.csv", [("Professor", "K", 6), ("Professor", "M", 8)], 2025)),
            "--db",
            str(db),
        ]
    )
    assert files_of(db) == ["CURRENT", "g00000002.duckdb"]  # generation 1 is deleted ...
    assert cur.execute("SELECT count(*) FROM staff").fetchone() == (12,)  # ... and still read whole by its cursor
    assert reader.connection().execute("SELECT count(*) FROM staff").fetchone() == (12 + 14,)
    assert reader.connection(1) is not reader.connection(2)  # a run pinned at 1 still reads 1
    cur.close()
    reader.close()


def test_threads_reading_while_imports_publish_never_see_half_an_import(tmp_path):
    # Each import adds one batch of 14 staff rows. A snapshot is whole when its staff rows equal the
    # row counts its import_batches record: 12 + 14 * n for n imports since, never anything between.
    db = tmp_path / "b.duckdb"
    cli.main(
        [
            "import",
            str(staff_csv(tmp_path / "a.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2016)),
            "--db",
            str(db),
        ]
    )
    files = [
        staff_csv(tmp_path / f"hr{y}.csv", [("Professor", "K", 7), ("Professor", "M", 7)], y) for y in range(2017, 2023)
    ]
    reader = writer.reader(db)
    seen, errors, done = set(), [], threading.Event()

    def read():
        while not done.is_set():
            try:
                cur = reader.connection().cursor()  # as the app does: the connection let go at once
                rows, recorded = cur.execute(
                    "SELECT (SELECT count(*) FROM staff), (SELECT sum(row_count) FROM import_batches)"
                ).fetchone()
                cur.close()
                seen.add((rows, recorded))
            except Exception as e:  # any failure of a reader is the finding
                errors.append(repr(e))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for th in threads:
        th.start()
    for f in files:
        with writer.writing(db, "test") as con:
            importer.import_files(con, [f])
    time.sleep(0.2)
    done.set()
    for th in threads:
        th.join()
    assert not errors, errors[:3]
    assert all(rows == recorded for rows, recorded in seen), seen
    assert {rows for rows, _ in seen} <= {12 + 14 * n for n in range(len(files) + 1)}
    assert (12 + 14 * len(files), 12 + 14 * len(files)) in seen  # they moved on to the last one
    reader.close()
