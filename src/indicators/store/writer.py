"""The write side: one writer at a time holds the store, and publishes a snapshot after each change.

    with writer.writing(db, "python -m indicators import hr2025.xlsx") as con:
        database.import_sheets(con, ...)        # short write transactions on the store
    # here the store is closed, and (if it changed) its snapshot is published: readers see it

Every change of data (import, remove, undo-remove, the demo, and later the plans) goes through
`writing`. It takes the writer lock, an OS lock (flock) on `<db>.lock`, in which the holder records
its pid, command and since when; a second writer waits up to `wait` seconds (BALANS_WRITE_WAIT,
default WAIT_SECONDS) and is then refused with WriterBusy, which names the holder. The kernel
releases a flock when its process dies, however it dies, so a killed writer never leaves the lock
held. The lock covers the store only: readers never take it and never wait for it.

Publishing (`publish`, under the lock) copies the closed, checkpointed store to a new snapshot file,
writes the cells the pages read into it (cells.materialise), fsyncs it, swaps the pointer
(snapshot.py) with os.replace, and deletes the replaced snapshot. A file
copy, not DuckDB's ATTACH + COPY FROM DATABASE: at sector scale (1 M staff rows, a 37 MB file)
the copy took 0.08 s against 1.36 s, because COPY FROM DATABASE reads, decompresses and
recompresses every row group while the copy moves bytes inside the kernel (docs/architecture.md,
"One writer, many readers").

A writer killed at any moment leaves the last published snapshot serving: before its commit the
store is as it was (DuckDB rolls the transaction back); after it, the store holds the change and the
pointer still names the old snapshot, until the next writer (or `python -m indicators publish`, or
the next app process to start) sees the store is newer than its snapshot and publishes it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from . import cells, database, snapshot

# How long a second writer waits for the first before it is refused. Long enough to queue behind an
# ordinary import (a 100 000-row file takes about 2 s, its publish a fraction of one), short enough
# that a stuck or very long writer is reported while the user is still looking.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


class WriterBusy(database.StoreError):
    """Another process holds the writer lock; the message says which and since when."""

    def __init__(self, db: Path, holder: dict, waited: float):
        self.db, self.holder, self.waited = db, holder, waited
        super().__init__(
            f"the database {db} is being changed by another Balans process: {describe(holder)}; "
            f"waited {waited:g} s for it to finish. Try again when it has finished"
        )

    @property
    def fields(self) -> dict:
        """The parts of the message, for a translation (app.toml's writer_busy)."""
        return {
            "db": str(self.db),
            "command": self.holder.get("command") or "?",
            "pid": self.holder.get("pid") or "?",
            "since": _since(self.holder),
            "waited": f"{self.waited:g}",
        }


def describe(holder: dict) -> str:
    if not holder:
        return "a process that has just taken the lock"
    host = f" on {holder['host']}" if holder.get("host") and holder["host"] != socket.gethostname() else ""
    return f"{holder.get('command') or '?'} (pid {holder.get('pid', '?')}{host}, since {_since(holder)})"


def _since(holder: dict) -> str:
    try:
        return dt.datetime.fromisoformat(holder["since"]).strftime("%Y-%m-%d %H:%M:%S")
    except (KeyError, TypeError, ValueError):
        return "?"


def lock_path(db: str | Path) -> Path:
    return Path(f"{db}.lock")


def default_wait() -> float:
    try:
        return float(os.environ.get("BALANS_WRITE_WAIT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


def holder(db: str | Path) -> dict:
    """Who holds the writer lock, as the holder recorded it ({} when nobody does, or unreadable)."""
    try:
        text = lock_path(db).read_text(encoding="utf-8")
        return json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}


@contextmanager
def lock(
    db: str | Path, command: str, wait: float | None = None, on_wait: Callable[[dict], None] | None = None
) -> Iterator[None]:
    """Hold the writer lock of the store at `db`, waiting up to `wait` seconds for it.

    flock locks an open file description, so two threads of one process (two app sessions importing
    at once) exclude each other as two processes do. on_wait(holder) is called once when it has to wait.
    """
    db = Path(db)
    wait = default_wait() if wait is None else wait
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= wait:
                    raise WriterBusy(db, holder(db), round(wait, 1)) from None
                if on_wait is not None and not told:
                    on_wait(holder(db))
                    told = True
                time.sleep(min(POLL_SECONDS, max(wait - waited, 0.001)))
        record = json.dumps(
            {
                "pid": os.getpid(),
                "command": command,
                "host": socket.gethostname(),
                "since": dt.datetime.now().isoformat(timespec="seconds"),
            }
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, record.encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # nobody holds it: a stale record must not name a process that is gone
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def writing(
    db: str | Path | None = None,
    command: str | None = None,
    wait: float | None = None,
    on_wait: Callable[[dict], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store, read-write, for one writer at a time; published when the block ends.

    Yields a connection to the store (created and migrated if need be). Use it directly, not
    through cursors: at the end it is checkpointed and closed, and the store is published if it
    changed (also when the block raised after committing something). Raises WriterBusy when the lock
    stays taken for `wait` seconds, StoreError when the store cannot be opened.
    """
    path = Path(db or database.default_db_path())
    with lock(path, command or default_command(), wait, on_wait):
        con = database.connect(path)
        try:
            yield con
        finally:
            try:
                con.execute("CHECKPOINT")  # the file alone then holds every committed change
            except duckdb.Error:
                pass  # closing checkpoints too; a store that cannot is caught by publish below
            con.close()
            if snapshot.is_stale(path):
                publish(path, checkpointed=True)


def refresh(db: str | Path | None = None, wait: float | None = None, command: str | None = None) -> int | None:
    """Publish the store if it holds what its newest snapshot does not (see snapshot.is_stale);
    returns the new generation, or None when the snapshot was up to date."""
    path = Path(db or database.default_db_path())
    with lock(path, command or default_command(), wait):
        if not snapshot.is_stale(path):
            return None
        return publish(path)


def default_command() -> str:
    """How the running process was started, for the lock's record: `python -m indicators import x.xlsx`."""
    if Path(sys.argv[0]).name == "__main__.py":
        return " ".join(["python -m indicators", *sys.argv[1:]])
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]).strip() or "python"


def publish(db: str | Path, checkpointed: bool = False) -> int:
    """Publish the store as the next generation; the caller holds the writer lock. Returns it.

    checkpointed: the caller has just checkpointed and closed the store (writing() has); otherwise it
    is opened first, which replays a log a killed writer left and migrates an older schema.
    """
    db = Path(db)
    if not checkpointed:
        con = database.connect(db)
        con.execute("CHECKPOINT")
        con.close()
    out = snapshot.folder(db)
    out.mkdir(exist_ok=True)
    pointer = snapshot.read_pointer(db)
    known = [g for g in map(snapshot.generation_of, os.listdir(out)) if g is not None]
    # One more than any generation this folder has named, so that it only grows (a cache key that
    # came back would serve a removed batch's tables).
    generation = max([pointer.generation if pointer else 0, *known]) + 1
    state = snapshot.store_state(db)
    final = out / snapshot.file_name(generation)
    tmp = out / f".{final.name}.{os.getpid()}.tmp"
    _copy(db, tmp)
    # The cells the pages read, computed once for this snapshot (cells.py), before anyone can read it.
    cells.materialise(tmp)
    _fsync(tmp)
    # Readable by whoever may read the store, writable by nobody: a snapshot never changes.
    os.chmod(tmp, (os.stat(db).st_mode & 0o444) or 0o400)
    _fault_point()
    os.replace(tmp, final)
    record = {
        "generation": generation,
        "file": final.name,
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
        "store": list(state) if state else None,
        "schema_version": database.SCHEMA_VERSION,
        "cells": cells.VERSION,
    }
    ptmp = out / f".{snapshot.POINTER}.{os.getpid()}.tmp"
    with open(os.open(ptmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), "w", encoding="utf-8") as f:
        f.write(json.dumps(record))
        f.flush()
        os.fsync(f.fileno())
    os.replace(ptmp, out / snapshot.POINTER)
    _fsync(out)  # the renames themselves survive a power cut
    for name in os.listdir(out):
        # the replaced snapshots, and the temporary files of writers killed part-way (only the lock
        # holder gets here, so none of them is still being written)
        if name != final.name and (snapshot.generation_of(name) is not None or name.endswith(".tmp")):
            try:
                os.unlink(out / name)
            except FileNotFoundError:
                pass
    return generation


def _copy(src: Path, dst: Path) -> None:
    """src to a new file dst, created owner-only (it holds what the store holds), fsynced.
    sendfile copies inside the kernel: 37 MB in well under a tenth of a second here."""
    with open(src, "rb") as fin, open(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fout:
        size, offset = os.fstat(fin.fileno()).st_size, 0
        while offset < size:
            sent = os.sendfile(fout.fileno(), fin.fileno(), offset, size - offset)
            if sent == 0:
                break
            offset += sent
        os.fsync(fout.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fault_point() -> None:
    """Fault injection for the reliability tests only: BALANS_PAUSE_IN_PUBLISH=seconds makes a
    publish announce itself and wait with the new snapshot written but not yet current, so that a
    test can kill the process at exactly that moment. Unset (always, in use) it does nothing."""
    pause = os.environ.get("BALANS_PAUSE_IN_PUBLISH")
    if pause:
        print("balans: snapshot written, not yet published", file=sys.stderr, flush=True)
        time.sleep(float(pause))


def publish_left(db: str | Path) -> None:
    """Publish what a writer left unpublished (killed before it published, or a store from a Balans
    before snapshots), unless a writer is busy: then that writer publishes it itself."""
    try:
        refresh(db, wait=0, command=f"{default_command()} (publishing what a writer left)")
    except WriterBusy:
        pass


def reader(db: str | Path | None = None) -> snapshot.Reader:
    """A snapshot.Reader of the store that publishes what a killed writer left (publish_left)."""
    return snapshot.Reader(db, catch_up=publish_left)
