"""The read side: published snapshots of the store, and the Reader that every reader opens.

The store (data/balans.duckdb) is written only by the process holding the writer lock (writer.py).
After each change the writer publishes a copy of it, a database file nobody writes again, beside it:

    data/balans.duckdb                       the store: written under the lock, never read by readers
    data/balans.duckdb.lock                  the writer lock (holder's pid, command, since when)
    data/balans.duckdb.snapshots/CURRENT     the pointer: {"generation": 7, "file": "g00000007.duckdb", ...}
    data/balans.duckdb.snapshots/g00000007.duckdb   the newest snapshot (read-only file mode)

The pointer is replaced atomically (written to a temporary file, fsynced, os.replace), so a reader
sees the old snapshot or the new one, never half of one. A snapshot's generation is a number that
only grows (one more than the highest the folder has known), and it is the app's cache key: unlike
the import batch ids, which are reused after a removal, it never comes back.

Readers (every app session and process, the command line's history and export, the benchmark) hold
a `Reader`: its connection is to the newest snapshot, read-only, and it moves to a newer one at the
next call after a publish, without a restart. A replaced snapshot is deleted by the writer; a reader
still holding it open keeps reading it (Linux keeps an open file readable) until it moves on.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

from . import cells, database

POINTER = "CURRENT"
KEEP_OPEN = 2  # generations a Reader holds: the newest, and the one a page run may still be reading


def folder(db: str | Path) -> Path:
    """Where the snapshots of the store at `db` are published."""
    return Path(f"{db}.snapshots")


def file_name(generation: int) -> str:
    return f"g{generation:08d}.duckdb"


def generation_of(name: str) -> int | None:
    """The generation in a snapshot's file name (g00000007.duckdb -> 7), None for any other file."""
    if name.startswith("g") and name.endswith(".duckdb") and name[1:-7].isdigit():
        return int(name[1:-7])
    return None


@dataclass(frozen=True)
class Pointer:
    """What CURRENT says: the newest snapshot, and the state of the store it was copied from."""

    generation: int
    file: Path
    published_at: str
    store: tuple | None  # (inode, size, mtime_ns) of the store when it was copied
    schema_version: int
    cells: int = 0  # the version of the cells written into it (cells.VERSION; 0: none)


def read_pointer(db: str | Path) -> Pointer | None:
    """The pointer of the store at `db`, or None when nothing was ever published (or it is unreadable)."""
    path = folder(db) / POINTER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Pointer(
            int(data["generation"]),
            path.parent / data["file"],
            data.get("published_at", ""),
            tuple(data["store"]) if data.get("store") else None,
            int(data.get("schema_version", 0)),
            int(data.get("cells", 0)),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # A pointer is written whole and swapped in by rename, so a broken one is damage from outside
        # Balans; the next publish writes a new one. Until then there is nothing consistent to read.
        return None


def store_state(db: str | Path) -> tuple | None:
    """(inode, size, mtime_ns) of the store file, None when there is none. Any committed change
    rewrites the file (DuckDB checkpoints at close); opening, reading or a rolled-back write does not."""
    try:
        s = os.stat(db)
    except FileNotFoundError:
        return None
    return (s.st_ino, s.st_size, s.st_mtime_ns)


def is_stale(db: str | Path) -> bool:
    """Whether the store holds something the newest snapshot does not: a change whose writer was
    killed before publishing, a write-ahead log not yet checkpointed, a schema older than this
    Balans (a migration is due), or cells older than this Balans writes (cells.VERSION)."""
    state = store_state(db)
    if state is None:
        return False
    pointer = read_pointer(db)
    return (
        pointer is None
        or pointer.store != state
        or pointer.schema_version < database.SCHEMA_VERSION
        or pointer.cells < cells.VERSION
        or Path(f"{db}.wal").exists()
    )


class Reader:
    """The newest published snapshot of one store, read-only; one per process, shared by its threads.

    `connection()` returns a DuckDB connection to it (give each query its own `cursor()`, as
    registry.compute does); `generation()` says which one is newest. Each call looks at the pointer
    (one stat of a small file) and moves to a newer snapshot when there is one. With nothing
    published yet the connection is to an empty in-memory database of the current schema
    (generation 0), so that every page shows its empty state.
    """

    def __init__(self, db: str | Path | None = None, catch_up: Callable[[Path], None] | None = None):
        self.db = Path(db or database.default_db_path())
        # How a store left unpublished gets published: writer.reader passes writer.publish_left. The
        # writer is handed in, not imported, so that snapshot.py stays below writer.py.
        self._publish_left = catch_up
        self._lock = threading.Lock()
        self._open: dict[int, duckdb.DuckDBPyConnection] = {}
        self._seen: tuple | None = None  # the pointer file's (inode, mtime_ns) when last read
        self._pointer: Pointer | None = None
        # A store changed by a writer that was killed before it published, or made by a Balans older
        # than snapshots: publish it now if no writer is busy (one is, then it publishes itself).
        self._catch_up(must=False)

    def _catch_up(self, must: bool) -> None:
        if self._publish_left is None or not is_stale(self.db):
            return
        try:
            self._publish_left(self.db)
        except (database.StoreError, OSError):
            # Nothing published and the store cannot be read (damaged, locked by a program outside
            # Balans, from a newer Balans): say so. With a snapshot to serve, serve it; the next
            # writer meets the same message.
            if must:
                raise

    def _newest(self) -> Pointer | None:
        path = folder(self.db) / POINTER
        try:
            s = os.stat(path)
            seen = (s.st_ino, s.st_mtime_ns)
        except FileNotFoundError:
            seen = None
        if seen != self._seen or seen is None:
            if seen is None and store_state(self.db) is not None:
                self._catch_up(must=True)  # a store with nothing published yet
                try:
                    s = os.stat(path)
                    seen = (s.st_ino, s.st_mtime_ns)
                except FileNotFoundError:
                    seen = None
            self._pointer = read_pointer(self.db) if seen is not None else None
            self._seen = seen
        return self._pointer

    def generation(self) -> int:
        """The newest published generation (0: nothing published yet)."""
        with self._lock:
            pointer = self._newest()
            return pointer.generation if pointer else 0

    def connection(self, generation: int | None = None) -> duckdb.DuckDBPyConnection:
        """The newest snapshot's connection; or, when asked for a generation this Reader still holds
        open, that one (so that a page run reads one snapshot from its first query to its last)."""
        with self._lock:
            if generation is not None and generation in self._open:
                return self._open[generation]
            return self._open_newest()[1]

    def newest(self) -> tuple[int, duckdb.DuckDBPyConnection]:
        """The newest generation and its connection, opened together (no publish can fall between)."""
        with self._lock:
            return self._open_newest()

    def _open_newest(self) -> tuple[int, duckdb.DuckDBPyConnection]:
        for _ in range(5):
            pointer = self._newest()
            gen = pointer.generation if pointer else 0
            if gen in self._open:
                return gen, self._open[gen]
            try:
                con = _open_snapshot(pointer)
            except FileNotFoundError:
                # Replaced and deleted between reading the pointer and opening the file: read the
                # pointer again, it names the newer one.
                self._seen = None
                continue
            self._open[gen] = con
            for old in sorted(self._open)[:-KEEP_OPEN]:
                # Let go, not close: closing would cut the cursors of queries still running on it
                # in other threads; DuckDB closes it when the last of them is done.
                del self._open[old]
            return gen, con
        raise database.StoreError(f"the snapshots of {self.db} keep changing under the reader; try again")

    def close(self) -> None:
        with self._lock:
            for con in self._open.values():
                cells.stop(con)  # its tables of every unit: those waiting dropped, the one being made interrupted
                con.close()
            self._open.clear()


def _open_snapshot(pointer: Pointer | None) -> duckdb.DuckDBPyConnection:
    if pointer is None:
        con = duckdb.connect(":memory:")
        database.migrate(con)
        return con
    if not pointer.file.exists():
        raise FileNotFoundError(pointer.file)
    try:
        con = duckdb.connect(str(pointer.file), read_only=True)
    except duckdb.IOException as e:
        if not pointer.file.exists():
            raise FileNotFoundError(pointer.file) from None
        raise database.StoreError(f"the snapshot {pointer.file} cannot be opened: {str(e).splitlines()[0]}") from None
    except duckdb.Error as e:
        raise database.StoreError(
            f"the snapshot {pointer.file} is damaged ({str(e).splitlines()[0]}); "
            "`python -m indicators publish` publishes the store again"
        ) from None
    version = database.schema_version(con)
    if version > database.SCHEMA_VERSION:
        con.close()
        raise database.StoreError(f"the database was written by a newer Balans (schema {version}); upgrade Balans")
    cells.register(con)  # its cells are read into memory at its first page (cells.of)
    return con
