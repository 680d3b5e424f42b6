"""Faults a real installation meets: a killed import or publish, an old database, a locked or lost file, undo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers import load, staff_rows
from indicators.protect import privacy
from indicators.store import database, snapshot, writer
from indicators.store import keys as record_keys

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def contents(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("staff", "committees", "units", "import_batches", "unit_tree")
        }
    finally:
        con.close()


def published(db: Path) -> tuple[int, dict]:
    """The generation CURRENT names and what its snapshot holds (read as a reader reads it)."""
    pointer = snapshot.read_pointer(db)
    return pointer.generation, contents(pointer.file)


def test_an_import_killed_part_way_leaves_the_database_as_before(tmp_path):
    db = tmp_path / "k.duckdb"
    with writer.writing(db, "test") as con:
        load(con, "staff", staff_rows([("Professor", "K", 3)], year=2023))
    before = contents(db)
    assert published(db) == (1, before)
    f = tmp_path / "hr.csv"
    staff_rows([("Doktorand", "M", 5000)], year=2024).to_csv(f, index=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "import", str(f), "--db", str(db)],
        env={**ENV, "BALANS_PAUSE_BEFORE_COMMIT": "60"},
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until its rows are written inside the open transaction, then kill it outright.
    assert proc.stderr.readline().startswith("balans: rows written, not committed")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert contents(db) == before
    assert published(db) == (1, before)  # the readers' snapshot did not move either
    # ... and the database is usable: the same import now goes through (the kernel freed the lock).
    r = subprocess.run(
        [sys.executable, "-m", "indicators", "import", str(f), "--db", str(db)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert len(contents(db)["staff"]) == 5003
    assert published(db)[0] == 2 and len(published(db)[1]["staff"]) == 5003


def test_a_writer_killed_while_publishing_leaves_the_last_snapshot_serving(tmp_path):
    db = tmp_path / "p.duckdb"
    with writer.writing(db, "test") as con:
        load(con, "staff", staff_rows([("Professor", "K", 3)], year=2023))
    serving = writer.reader(db)  # an app process that is running
    assert serving.connection().execute("SELECT count(*) FROM staff").fetchone() == (3,)
    before = published(db)
    f = tmp_path / "hr.csv"
    staff_rows([("Doktorand", "M", 40)], year=2024).to_csv(f, index=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "import", str(f), "--db", str(db)],
        env={**ENV, "BALANS_PAUSE_IN_PUBLISH": "60"},
        stderr=subprocess.PIPE,
        text=True,
    )
    # The import is committed and its snapshot file written, not yet current: kill it there.
    assert proc.stderr.readline().startswith("balans: snapshot written, not yet published")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert published(db) == before  # CURRENT still names generation 1, whole
    assert serving.generation() == 1
    assert serving.connection().execute("SELECT count(*) FROM staff").fetchone() == (3,)
    assert any(n.endswith(".tmp") for n in os.listdir(snapshot.folder(db)))  # the half-published copy, unused
    assert len(contents(db)["staff"]) == 43  # the store kept the committed import
    assert snapshot.is_stale(db)
    # The next writer publishes what the killed one could not (here the repair command; any import,
    # removal or `demo --if-empty`, or a newly started app process, does it too).
    r = subprocess.run(
        [sys.executable, "-m", "indicators", "publish", "--db", str(db), "--wait", "5"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and r.stdout.strip() == "published generation 2", r.stderr
    assert serving.connection().execute("SELECT count(*) FROM staff").fetchone() == (43,)
    assert sorted(os.listdir(snapshot.folder(db))) == ["CURRENT", "g00000002.duckdb"]  # the stray copy is gone
    serving.close()


def test_a_database_of_an_older_schema_is_migrated_not_lost(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    for statement in database.MIGRATIONS[1]:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute(
        "INSERT INTO staff (batch_id, year, person_key, unit, position, position_category, gender) "
        "VALUES (1, 2020, 'k1', 'U1', 'Professor', 'professor', 'woman')"
    )
    con.close()
    privacy.key_path(db).write_text("ab" * 32)  # an older Balans made the key at its first import
    con = database.connect(db)
    assert database.schema_version(con) == database.SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM staff").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM students").fetchone()[0] == 0  # a table of a later version
    # staff_cells (version 4) is filled from the staff already there: the professor counts on the pages.
    assert con.execute("SELECT year, unit, gender, people, fte FROM staff_cells").fetchall() == [
        (2020, "U1", "woman", 1, 1.0)
    ]
    # the record keys (version 5, remade with the year in version 7) are made from the key file, as an
    # import today makes them
    key = bytes.fromhex("ab" * 32)
    rkey, mkey = privacy.record_key("k1|2020", key), record_keys.magnitude_key("k1|2020", key)
    assert con.execute("SELECT rkey, mkey FROM staff").fetchall() == [(rkey, mkey)]
    assert con.execute("SELECT rkey_sum, mkey_sum FROM staff_cells").fetchall() == [(rkey, mkey)]


def test_a_schema_6_database_gets_keys_that_do_not_link_years(tmp_path):
    # A database of schema 6: one person in 2024 and 2025 with the permanent record key of then (the
    # same both years), a leave-sheet row, and a removed staff row waiting in the trash. Version 7
    # remakes every person's record key from pseudonym and year, gives every keyed row (the trash's too,
    # which an undo brings back) a magnitude key, and rebuilds the cells with their sums.
    db = tmp_path / "six.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    for version in range(1, 7):
        for statement in database.MIGRATIONS[version]:
            if not callable(statement):  # version 5's key filling: nothing to fill yet
                con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    key = bytes.fromhex("cd" * 32)
    old = privacy.record_key("k1", key)
    for year in (2024, 2025):
        con.execute(
            "INSERT INTO staff (batch_id, year, person_key, unit, position, position_category, gender, "
            "sick_leave_days, rkey) VALUES (1, ?, 'k1', 'U1', 'Professor', 'professor', 'woman', 3, ?)",
            [year, old],
        )
    con.execute(
        "INSERT INTO trash_staff (batch_id, year, person_key, unit, position, position_category, gender, rkey) "
        "VALUES (2, 2023, 'k2', 'U1', 'Professor', 'professor', 'man', 7)"
    )
    con.execute(
        "INSERT INTO leave (batch_id, year, unit, gender, staff, sick_leave_days, rkey) "
        "VALUES (3, 2025, 'U2', 'woman', 12, 40, 9)"
    )
    con.close()
    privacy.key_path(db).write_text(key.hex())
    con = database.connect(db)
    assert database.schema_version(con) == database.SCHEMA_VERSION  # 7 and every migration since (8: careers)
    got = con.execute("SELECT year, rkey, mkey FROM staff ORDER BY year").fetchall()
    assert got == [
        (y, privacy.record_key(f"k1|{y}", key), record_keys.magnitude_key(f"k1|{y}", key)) for y in (2024, 2025)
    ]
    assert con.execute("SELECT rkey, mkey FROM trash_staff").fetchall() == [
        (privacy.record_key("k2|2023", key), record_keys.magnitude_key("k2|2023", key))
    ]
    # the leave row's identity already held its year: its record key is the same message's, as before,
    # and it gains a magnitude key from that message
    identity = "leave|2025|U2|woman"
    assert con.execute("SELECT rkey, mkey FROM leave").fetchall() == [
        (privacy.record_key(identity, key), record_keys.magnitude_key(identity, key))
    ]
    cells = con.execute(
        "SELECT year, rkey_sum, mkey_sum, sick_max, sick_max2 FROM staff_cells ORDER BY year"
    ).fetchall()
    assert cells == [(y, r, m, 3.0, None) for y, r, m in got]


def test_an_older_database_whose_key_is_gone_is_refused_by_name(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    for version in (1, 2, 3, 4):
        for statement in database.MIGRATIONS[version]:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    con.execute(
        "INSERT INTO staff (batch_id, year, person_key, unit, position, position_category, gender) "
        "VALUES (1, 2020, 'k1', 'U1', 'Professor', 'professor', 'woman')"
    )
    con.close()
    with pytest.raises(database.StoreError, match="key .* is missing"):
        database.connect(db)
    con = duckdb.connect(str(db))  # nothing was migrated: the file is as it was
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 4
    con.close()


def test_a_database_from_a_newer_balans_is_refused_clearly(tmp_path):
    db = tmp_path / "new.duckdb"
    database.connect(db).execute("INSERT INTO schema_version VALUES (999, now())")
    with pytest.raises(database.StoreError, match="newer Balans"):
        database.connect(db)


def test_a_store_held_by_another_program_stops_writers_not_readers(tmp_path):
    db = tmp_path / "locked.duckdb"
    with writer.writing(db, "test") as con:
        load(con, "staff", staff_rows([("Professor", "K", 3)], year=2023))
    # A program outside Balans (a notebook) opens the store itself, read-write.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"),
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        r = subprocess.run(
            [sys.executable, "-m", "indicators", "history", "--db", str(db)],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0 and "test.xlsx" in r.stdout, r.stderr  # from the snapshot
        r = subprocess.run(
            [sys.executable, "-m", "indicators", "remove", "1", "--db", str(db)],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 1
        assert "in use by another program" in r.stderr and "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_removal_can_be_undone_until_the_next_import(db):
    load(db, "staff", staff_rows([("Professor", "K", 3)], year=2023))
    load(db, "staff", staff_rows([("Professor", "M", 2)], year=2024))
    before = db.execute("SELECT * FROM staff ORDER BY ALL").fetchall()
    assert database.remove_batch(db, 2) == 2
    assert database.removed_batch(db) == 2
    assert database.undo_remove(db) == 2
    assert db.execute("SELECT * FROM staff ORDER BY ALL").fetchall() == before
    assert database.history(db)["batch_id"].tolist() == [1, 2]
    database.remove_batch(db, 2)
    load(db, "staff", staff_rows([("Lektor", "K", 1)], year=2025))  # an import ends the chance to undo
    with pytest.raises(database.StoreError, match="no removal to undo"):
        database.undo_remove(db)
