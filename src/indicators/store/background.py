"""Work that can wait: a snapshot's tables of every unit, made on one thread of their own while no page
is being computed (docs/performance.md, "Tables of every unit, once per snapshot").

A table of every unit costs more than the one unit's query that answers meanwhile (at scale 1,
committee_summary 0.13 s for the scorecard's two years against 0.01-0.03 s for one unit, pay_gap_trend
0.23 s), and a DuckDB query takes both of the machine's two cores. Made as soon as asked, they made the
first overview after a publish take about twice main's time. So the queue yields to the pages:

- it starts a table only when no page has computed anything for `QUIET` seconds (`foreground`, which
  registry marks around every published table);
- a page starting while a table is being made interrupts it (DuckDB's `interrupt` on the queue's
  cursors), and the table goes back to the queue, to be made again in the next quiet spell;
- the newest asked first: the page being visited needs its tables, not those of the pages before it;
- `stop` drops what has not started and interrupts what has, so that closing a snapshot (DuckDB
  refuses to close a connection in use) waits for at most an interrupted query; the thread also stops
  when the interpreter ends (the main thread no longer alive), so a server's shutdown waits for no queue.

No thread of the queue is a daemon, and none is inside DuckDB when the interpreter finalises. A daemon
thread inside a DuckDB query while the interpreter finalises aborts the process when the query ends:
DuckDB takes the GIL back from C++ (pybind11), CPython makes a thread that takes the GIL during
finalisation leave by pthread_exit, and the forced unwinding that pthread_exit starts meets a C++ frame
that may not be unwound ("terminate called after throwing an instance of ''", "FATAL: exception not
rethrown", SIGABRT). A thread is a daemon unless told otherwise when the thread that starts it is one,
and Streamlit's script threads are daemons: the queue's thread, started by the first page asking,
was one, and the test suite's interpreter aborted at its exit (tests/test_background.py reproduces it).
So the threads here say daemon=False; the interpreter's exit (threading._shutdown) then waits for
them, and their watcher (`_watch`) interrupts the query being made as soon as the main thread has
ended, so that the wait is one interrupted query's. The switch BALANS_BACKGROUND=off makes nothing in
the background (`enabled`; the test suite's default, docs/performance.md).
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Callable

import duckdb

# Seconds without a page being computed before the queue starts a table: longer than the gaps
# between one page's sections (a few ms) and between a page's tables and its charts (Plotly, tens of
# ms), shorter than a reader's look at a page.
QUIET = 0.25

# Seconds between two interrupts of a table being made, until it stops (`Queue._watch`).
INTERRUPT_EVERY = 0.01

# Seconds between two looks, by a table's watcher, at whether the main thread has ended (`Queue._watch`):
# how long an interpreter's exit may wait before the query being made is interrupted.
WATCH_EVERY = 0.05

# Pages computing now, and when the last one ended (time.monotonic).
_PAGES = {"now": 0, "ended": 0.0}
_PAGES_LOCK = threading.Lock()
# The queues making a table now: a page starting interrupts them.
_WORKING: set[Queue] = set()
# The queue whose thread this is (cursors opened on it are the ones `interrupt` reaches).
_LOCAL = threading.local()
_NOT_MADE = object()


def enabled() -> bool:
    """Whether tables are made in the background: not when the environment says BALANS_BACKGROUND=off
    (the test suite's default, tests/conftest.py: a test then computes what main computed; the tests of
    the queue and of its tables turn it on). Read at each ask, so a test can turn it on for itself."""
    return os.environ.get("BALANS_BACKGROUND", "on").strip().lower() != "off"


@contextmanager
def foreground():
    """Mark a page's work (registry's published tables): the queues wait for it, and stop what they are
    making for it. On a queue's own thread it marks nothing (a table of every unit built on another's)."""
    if getattr(_LOCAL, "queue", None) is not None:
        yield
        return
    with _PAGES_LOCK:
        _PAGES["now"] += 1
        working = list(_WORKING)
    for queue in working:
        queue.interrupt()
    try:
        yield
    finally:
        with _PAGES_LOCK:
            _PAGES["now"] -= 1
            _PAGES["ended"] = time.monotonic()


def _claim(queue: Queue) -> bool:
    """Whether no page has computed anything for QUIET seconds; if so, `queue` is marked working (a page
    starting from now on interrupts it), in one step so that no page starts unseen in between."""
    with _PAGES_LOCK:
        if _PAGES["now"] or time.monotonic() - _PAGES["ended"] < QUIET:
            return False
        _WORKING.add(queue)
        return True


class Interrupted(RuntimeError):
    """A table of the queue stopped for a page (or a snapshot closing) before its next query."""


def opened(cur) -> None:
    """A cursor opened (store/cells.cursor): on a queue's thread, one its `interrupt` reaches; when the
    queue was interrupted before it opened, its table stops here (no query started for nothing)."""
    queue = getattr(_LOCAL, "queue", None)
    if queue is not None:
        with queue._lock:
            if queue._interrupted:
                raise Interrupted
            queue._cursors.add(cur)


def closed(cur) -> None:
    queue = getattr(_LOCAL, "queue", None)
    if queue is not None:
        with queue._lock:
            queue._cursors.discard(cur)


class Queue:
    """One snapshot's tables to make, each once: `soon(key, make)` gives make()'s result when it is ready,
    else None (make() queued the first time it is asked for). At most `most` keys are kept."""

    def __init__(self, most: int):
        self._most = most
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._made: dict = {}  # key -> what make() gave, or _NOT_MADE while waiting or being made
        self._waiting: list[tuple[object, Callable]] = []  # the newest asked last: made first
        self._running = None  # the key being made
        self._cursors: set = set()  # its cursors (`opened`)
        self._interrupted = False
        self._run: object | None = None  # one make() of `_running` (its watcher's, `_watch`)
        self._thread: threading.Thread | None = None
        self._stopped = False

    def soon(self, key, make: Callable):
        if not enabled():
            return None  # the caller's own answer, as if the queue were full
        with self._lock:
            made = self._made.get(key, None)
            if key not in self._made:
                if self._stopped or len(self._made) >= self._most:
                    return None  # a snapshot closing, or enough kept for one: the caller's own answer
                self._made[key] = made = _NOT_MADE
                self._waiting.append((key, make))
                if self._thread is None:
                    # daemon=False said, not inherited: the asker is often a Streamlit script thread,
                    # a daemon (see the module's docstring); it ends when the main thread has ended
                    self._thread = threading.Thread(target=self._work, name="cells-queue", daemon=False)
                    self._thread.start()
            elif self._waiting and self._waiting[-1][0] != key and made is _NOT_MADE:
                # asked again: the page being visited needs it, so it comes first
                at = next((i for i, (k, _) in enumerate(self._waiting) if k == key), None)
                if at is not None:
                    self._waiting.append(self._waiting.pop(at))
            return None if made is _NOT_MADE else made

    def made(self, key) -> bool:
        with self._lock:
            return self._made.get(key, _NOT_MADE) is not _NOT_MADE

    def __len__(self) -> int:
        with self._lock:
            return len(self._made)

    def interrupt(self) -> None:
        """Stop the table being made (it goes back to the queue, `_work`): its watcher interrupts it."""
        with self._lock:
            if self._running is None or self._interrupted:
                return
            self._interrupted = True
            self._changed.notify_all()

    def _watch(self, run) -> None:
        """The watcher of one make() (`run`), on a thread of its own for as long as it runs: interrupts
        its queries when a page starts (`interrupt`) or the main thread has ended (the interpreter's
        exit waits for the queue's threads). DuckDB ignores an interrupt that comes between two queries
        (a make() opening its cursor, or between its queries): so again every INTERRUPT_EVERY seconds
        until the make() is over. From here, not from the page's thread, so that a page starting
        waits for no cursor and no thread is started per interrupt."""
        while True:
            with self._changed:
                if self._run is not run:
                    return
                if not self._interrupted and threading.main_thread().is_alive():
                    self._changed.wait(WATCH_EVERY)  # woken by `interrupt` and by the make() ending
                    continue
                self._interrupted = True  # (the main thread ended) a cursor opened from now on stops
                cursors = list(self._cursors)
            for cur in cursors:
                try:
                    cur.interrupt()
                except duckdb.Error:
                    pass  # closed between: its query is over
            time.sleep(INTERRUPT_EVERY)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is waiting or being made (the benchmark, after a warm run; tests). True
        when so, False when `timeout` seconds passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._thread is None, timeout)

    def stop(self, wait: bool = True) -> None:
        """Make nothing more: drop what waits, interrupt what is being made, and (wait) let its query end."""
        with self._lock:
            self._stopped = True
            for key, _ in self._waiting:
                self._made.pop(key, None)
            self._waiting.clear()
        self.interrupt()
        if wait:
            with self._changed:
                self._changed.wait_for(lambda: self._thread is None)

    def _next(self):
        """The next key and make() once the pages are quiet, or None when there is nothing (more) to do."""
        while True:
            with self._lock:
                if self._stopped or not self._waiting or not threading.main_thread().is_alive():
                    for key, _ in self._waiting:
                        self._made.pop(key, None)  # asked again later, queued again
                    self._waiting.clear()
                    self._thread = None
                    self._changed.notify_all()
                    return None
                if _claim(self):
                    key, make = self._waiting.pop()
                    self._running, self._interrupted, self._run = key, False, object()
                    watcher = threading.Thread(
                        target=self._watch, args=(self._run,), name="cells-interrupt", daemon=False
                    )
                    watcher.start()
                    return key, make
            time.sleep(QUIET / 5)

    def _work(self) -> None:
        _LOCAL.queue = self
        while (job := self._next()) is not None:
            key, make = job
            try:
                made = make()
            except Exception:  # interrupted, or a snapshot closed under it: asked again, made again
                made = _NOT_MADE
            with self._lock:
                with _PAGES_LOCK:
                    _WORKING.discard(self)
                self._running = self._run = None
                self._cursors.clear()
                self._changed.notify_all()  # its watcher ends
                if made is not _NOT_MADE and not self._stopped:
                    self._made[key] = made
                elif self._interrupted and not self._stopped:
                    self._waiting.append((key, make))  # for a page: made in the next quiet spell
                else:
                    self._made.pop(key, None)
