"""One writer, many readers: the store is written under a lock, readers read published snapshots.

Real files and real processes: the command line as `python -m indicators`, the app through AppTest.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from helpers import app_test, files_of, staff_csv
from indicators import cli
from indicators.protect import privacy, registry
from indicators.protect.access import hash_passphrase
from indicators.store import writer

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
PASSPHRASE = "correct horse battery staple"


def professors(at: AppTest) -> dict:
    """The representation table's professor row on the page, as numbers."""
    for frame in at.dataframe:
        df = frame.value
        if "Women" in df.columns and "Position" in df.columns:
            row = df[df["Position"] == "professors"].iloc[0]
            return {"women": int(row["Women"]), "men": int(row["Men"])}
    raise AssertionError("no representation table on the page")


def published_professors(db: Path) -> dict:
    """What the page must show: the professors' row as the newest snapshot publishes it (the cell-key
    method moves each count by at most 2, the same way for the same people, so the page and this agree)."""
    reader = writer.reader(db)
    try:
        df = registry.compute(reader.connection(), "representation", registry.Filters(unit="U1", year=2025))
    finally:
        reader.close()
    row = df[df["position"] == "professor"].iloc[0]
    return {"women": int(row["women"]), "men": int(row["men"])}


def test_remove_and_a_corrected_import_show_the_corrected_numbers(tmp_path, monkeypatch):
    # The app's cache key was max(batch_id) * 1000003 + count(*): after "remove the latest batch,
    # import the corrected file" the new batch reuses the removed id and the key comes back the same
    # (2 * 1000003 + 2 both times), so the page kept the removed batch's numbers.
    db = tmp_path / "b.duckdb"
    privacy.key_path(db).write_text("7e" * 32)  # a fixed key: the same noise on every run
    assert (
        cli.main(
            [
                "import",
                str(staff_csv(tmp_path / "hr2024.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2024)),
                "--db",
                str(db),
            ]
        )
        == 0
    )
    wrong = staff_csv(tmp_path / "hr2025.csv", [("Professor", "K", 6), ("Professor", "M", 8)], 2025)
    assert cli.main(["import", str(wrong), "--db", str(db)]) == 0
    monkeypatch.setenv("BALANS_DB", str(db))
    at = app_test(APP, 120)
    at.query_params.update(unit="U1", year="2025", lang="en")
    at.run()
    at.switch_page("views/representation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert professors(at) == published_professors(db)  # 6 women and 8 men, published
    before = professors(at)

    assert cli.main(["remove", "2", "--db", str(db)]) == 0
    corrected = staff_csv(tmp_path / "hr2025_corrected.csv", [("Professor", "K", 9), ("Professor", "M", 8)], 2025)
    assert cli.main(["import", str(corrected), "--db", str(db)]) == 0  # batch 2 again
    at.run()  # the same session's next run
    assert not at.exception, [e.value for e in at.exception]
    # 9 women now: published within the p-table's ±2 (and at least k = 5), and no longer the old row
    assert professors(at) == published_professors(db) and 7 <= professors(at)["women"] <= 11
    assert professors(at) != before


# --- the generation: published by every change, never reused --------------------------------------


def test_the_generation_grows_with_every_change_even_when_a_batch_id_comes_back(tmp_path):
    db = tmp_path / "b.duckdb"
    a = staff_csv(tmp_path / "a.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2024)
    b = staff_csv(tmp_path / "b.csv", [("Professor", "K", 6), ("Professor", "M", 8)], 2025)
    c = staff_csv(tmp_path / "c.csv", [("Professor", "K", 9), ("Professor", "M", 8)], 2025)
    reader = writer.reader(db)
    seen = []
    for argv in (["import", a], ["import", b], ["import", b], ["remove", "2"], ["import", c], ["history"]):
        cli.main([*map(str, argv), "--db", str(db)])
        con = reader.connection()
        seen.append((reader.generation(), con.execute("SELECT max(batch_id), count(*) FROM import_batches").fetchone()))
    # import, import, refused (already imported: nothing changed, nothing published), remove,
    # import (batch 2 again, as after the first import of b), history (a reader: publishes nothing)
    assert seen == [(1, (1, 1)), (2, (2, 2)), (2, (2, 2)), (3, (1, 1)), (4, (2, 2)), (4, (2, 2))]
    assert files_of(db) == ["CURRENT", "g00000004.duckdb"]  # the replaced snapshots are gone
    reader.close()


# --- the writer lock: the second writer waits, then is told who holds it -----------------------------


def run(*args, env=None, **kw):
    return subprocess.run(
        [sys.executable, "-m", "indicators", *map(str, args)],
        capture_output=True,
        text=True,
        env={**ENV, **(env or {})},
        timeout=120,
        **kw,
    )


def hold(db: Path, f: Path, seconds: float) -> subprocess.Popen:
    """An import that takes the lock and pauses, rows written, before its commit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "indicators", "import", str(f), "--db", str(db)],
        env={**ENV, "BALANS_PAUSE_BEFORE_COMMIT": str(seconds)},
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr.readline().startswith("balans: rows written, not committed")
    return proc


def test_a_second_writer_waits_then_names_the_holder_while_readers_go_on(tmp_path):
    db = tmp_path / "b.duckdb"
    cli.main(
        [
            "import",
            str(staff_csv(tmp_path / "a.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2024)),
            "--db",
            str(db),
        ]
    )
    f2025 = staff_csv(tmp_path / "hr2025.csv", [("Professor", "K", 7), ("Professor", "M", 7)], 2025)
    f2026 = staff_csv(tmp_path / "hr2026.csv", [("Professor", "K", 8), ("Professor", "M", 8)], 2026)
    f2027 = staff_csv(tmp_path / "hr2027.csv", [("Professor", "K", 9), ("Professor", "M", 9)], 2027)
    started = dt.datetime.now().replace(microsecond=0)
    holder = hold(db, f2025, 60)
    try:
        # One that gives up after a second, told who holds the lock and since when ...
        t = time.monotonic()
        r = run("import", f2027, "--db", db, "--wait", 1)
        assert time.monotonic() - t >= 1
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert (
            f"is being changed by another Balans process: python -m indicators import {f2025} --db {db} "
            f"(pid {holder.pid}, since " in r.stderr
        )
        since = dt.datetime.strptime(r.stderr.split("since ")[-1][:19], "%Y-%m-%d %H:%M:%S")
        assert started - dt.timedelta(seconds=1) <= since <= dt.datetime.now()
        assert "waited 1 s" in r.stderr and r.stderr.startswith(
            "waiting for the writer lock: python -m indicators import"
        )
        # ... readers never wait: history reads the last snapshot (batch 1; the holder has not committed) ...
        h = run("history", "--db", db)
        assert h.returncode == 0 and "a.csv" in h.stdout and "hr2025" not in h.stdout
        # ... and one that waits long enough goes through once the holder is gone (killed here: the
        # kernel frees its lock, and its uncommitted batch is rolled back).
        patient = subprocess.Popen(
            [sys.executable, "-m", "indicators", "import", str(f2026), "--db", str(db), "--wait", "60"],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert patient.stderr.readline().startswith("waiting for the writer lock: python -m indicators import")
    finally:
        holder.kill()
        holder.wait()
    out, err = patient.communicate(timeout=60)
    assert patient.returncode == 0, err
    assert out.startswith("batch 2: staff from hr2026.csv")
    history = run("history", "--db", db).stdout
    assert "a.csv" in history and "hr2026.csv" in history and "hr2025" not in history and "hr2027" not in history


def test_the_import_page_says_who_holds_the_lock(tmp_path, monkeypatch):
    db = tmp_path / "b.duckdb"
    cli.main(
        [
            "import",
            str(staff_csv(tmp_path / "a.csv", [("Professor", "K", 6), ("Professor", "M", 6)], 2024)),
            "--db",
            str(db),
        ]
    )
    monkeypatch.setenv("BALANS_DB", str(db))
    monkeypatch.setenv("BALANS_WRITE_WAIT", "0.5")
    at = app_test(APP, 120)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("views/import.py").run()
    at.text_input(key="passphrase").input(PASSPHRASE).run()
    holder = hold(db, staff_csv(tmp_path / "b.csv", [("Professor", "K", 7), ("Professor", "M", 7)], 2025), 60)
    try:
        # loading the demo data: a write that asks for no confirmation (a removal is confirmed first,
        # tests/test_import_page.py), through the same ui.write as every write of the app
        at.button(key="load_demo").click().run()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value.startswith(
        "The data are being changed by another Balans process: python -m indicators "
        f"import {tmp_path / 'b.csv'} --db {db} (pid {holder.pid}, since "
    )
    assert "Waited 0.5 s" in at.error[0].value
    assert writer.reader(db).connection().execute("SELECT count(*) FROM import_batches").fetchone() == (1,)
