"""The app's data: the published snapshot this run reads, the writer, and every table cached by the
snapshot's generation (indicators, scorecards, units, year coverage). Nothing here draws a page:
views/_draw.py does, views/_filters.py reads the view from the URL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from indicators.catalogue import LANGS, texts
from indicators.plan.followup import chart_targets
from indicators.present import pages
from indicators.protect import registry
from indicators.store import database, snapshot, writer
from indicators.store import years as yearsmod
from indicators.subgoals import benchmarks

t = texts("app")


def lang() -> str:
    """The session's language (views/_filters.py puts the link's into the session)."""
    value = st.session_state.get("_lang")
    return value if value in LANGS else "sv"


def db_path() -> str:
    return str(database.default_db_path())


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> snapshot.Reader:
    # One reader per process: it holds the newest published snapshot read-only and moves to a newer
    # one at the next query after a publish; sessions share it, each query on a cursor of its own.
    return writer.reader(path)


def _connection(path: str, generation: int | None = None):
    """The read-only connection to that generation's snapshot while it is open, else to the newest."""
    return _reader(path).connection(generation)


def open_snapshot() -> int:
    """Called at the top of every run (app.py): the newest published snapshot becomes the one this
    run reads, from its first query to its last, so that a publish during a run never mixes two
    snapshots on one page. Raises StoreError when nothing can be read (a damaged database)."""
    generation, _ = _reader(db_path()).newest()
    st.session_state["_generation"] = generation
    return generation


def connection():
    return _connection(db_path(), batch())


def newest():
    """The newest published snapshot, whatever this run reads (after a write of this run's own)."""
    return _reader(db_path()).newest()[1]


def write(command: str, fn):
    """fn(con) on the store under the writer lock (writer.writing), then published; its result, or
    None after an error message: another writer (the command line, another session) held the lock
    longer than BALANS_WRITE_WAIT, or the store cannot be written."""
    try:
        with writer.writing(db_path(), f"the Balans app: {command}") as con:
            return fn(con)
    except writer.WriterBusy as e:
        st.error(t("writer_busy", lang(), **e.fields))
    except database.StoreError as e:
        st.error(str(e))
    return None


def indicators() -> dict:
    # Not cached: when a source file changes, Streamlit's watcher reloads the package, and only
    # the freshly imported registry knows the indicators (imports are cheap once in sys.modules).
    return registry.load_all()


def batch() -> int:
    """Part of every cache key: the generation of the snapshot this run reads (open_snapshot), a
    number that grows with every published change, so a new import or removal shows at once."""
    try:
        generation = st.session_state.get("_generation")
    except Exception:  # outside a script run (a deferred download): the newest
        generation = None
    return generation if generation is not None else _reader(db_path()).generation()


@st.cache_data(show_spinner=False, max_entries=5000)
def _compute(indicator_id: str, filters: registry.Filters, path: str, batch_key: int) -> pd.DataFrame:
    return registry.compute(_connection(path, batch_key), indicator_id, filters)


def compute(indicator_id: str, filters: registry.Filters) -> pd.DataFrame | None:
    """The suppressed table, or None (after an info box) when the indicator is not available."""
    if indicator_id not in indicators():
        st.info(t("not_available", lang(), id=indicator_id))
        return None
    try:
        return _compute(indicator_id, filters, db_path(), batch())
    except Exception as e:  # an indicator bug must not take the page down; say which one failed
        st.warning(t("failed", lang(), id=indicator_id, error=str(e).splitlines()[0] if str(e) else type(e).__name__))
        return None


@contextmanager
def prefetched(page: pages.Page, filters: registry.Filters, first: str | None = None):
    """Compute everything the page shows (`page.computes`, from its declaration) into the cache
    while the page is drawn: `first` (the source of the chart drawn first) alone, before the block
    starts; the rest side by side (registry.SIDE_BY_SIDE threads; those read from memory one after
    another on one of them, as registry.side_by_side does) in the background once the block
    calls the function it is given (`rest()`, after the first chart's section), or when it ends. A
    section that reaches a table still being computed waits for it (st.cache_data computes a key once
    and holds its other callers until it is there). The block ends when every table is in. A failure
    is left for its section to report.

    So a view nobody has seen yet draws its first chart when that one table is ready, instead of
    after all of them, and the threads that fetch or unpickle the other tables do not contend for the
    interpreter while that chart's figure is built and sent (docs/performance.md, "In the browser")."""
    available = indicators()
    path, key, ctx = db_path(), batch(), get_script_run_ctx()

    def one(source: str) -> None:
        add_script_run_ctx(threading.current_thread(), ctx)  # st.cache_data belongs to this session's run
        try:
            if source.startswith(pages.GOALS):
                _goals_call(source.removeprefix(pages.GOALS), filters, path, key)
            elif source in available:
                _compute(source, filters, path, key)
        except Exception:
            pass

    if first is not None:
        one(first)
    pool = ThreadPoolExecutor(max_workers=registry.SIDE_BY_SIDE)
    started = []

    def rest() -> None:
        if not started:
            started.append(True)
            others = [s for s in page.computes if s != first]
            # as registry.side_by_side: the tables read from memory one after another on one thread
            # (Python's lock: threads only slow them), the queries beside them on the others
            try:
                con = _connection(path, key)
                here = [s for s in others if pages.in_memory(con, s, filters)]
            except Exception:  # as one(): each section computes its table and reports what failed
                here = []
            if here:
                pool.submit(lambda: [one(s) for s in here])
            for source in others:
                if source not in here:
                    pool.submit(one, source)

    try:
        yield rest
        rest()  # a page that never reached its first chart's section (stopped early)
    finally:
        pool.shutdown(wait=True)  # no thread outlives the run, even one stopped or rerun


@st.cache_data(show_spinner=False, max_entries=2000)
def _goals_call(function: str, filters: registry.Filters, path: str, batch_key: int) -> pd.DataFrame:
    # on the snapshot's connection (its cells); the card runs its own queries on cursors of its own (goals._rows)
    return pages.compute(_connection(path, batch_key), pages.Section(pages.GOALS + function), filters)


def scorecard(function: str, filters: registry.Filters) -> pd.DataFrame | None:
    """goals.scorecard, scorecard_units or scorecard_overview, cached like the indicators."""
    try:
        return _goals_call(function, filters, db_path(), batch())
    except Exception as e:
        st.warning(
            t("failed", lang(), id=f"goals.{function}", error=str(e).splitlines()[0] if str(e) else type(e).__name__)
        )
        return None


@st.cache_data(show_spinner=False)
def _units(path: str, batch_key: int) -> pd.DataFrame:
    cur = _connection(path, batch_key).cursor()
    return cur.execute("SELECT unit, parent_unit, name_sv, name_en FROM units").df()


@st.cache_data(show_spinner=False)
def _coverage(path: str, batch_key: int, unit: str) -> dict[int, yearsmod.YearCoverage]:
    """The years and which are partial for the unit (indicators.years)."""
    cur = _connection(path, batch_key).cursor()
    try:
        return yearsmod.coverage(cur, unit)
    finally:
        cur.close()


@st.cache_data(show_spinner=False)
def _has_data(path: str, batch_key: int) -> bool:
    cur = _connection(path, batch_key).cursor()
    try:
        return database.has_data(cur) or database.has_data(cur, "committees")
    finally:
        cur.close()


def has_data() -> bool:
    """Whether anything is imported (staff or committees), once per snapshot: a published snapshot never changes."""
    return _has_data(db_path(), batch())


@st.cache_data(show_spinner=False)
def _synthetic_years(path: str, batch_key: int) -> dict[str, list[int]]:
    cur = _connection(path, batch_key).cursor()
    try:
        return database.synthetic_years(cur)
    finally:
        cur.close()


def synthetic_years() -> dict[str, list[int]]:
    """The demo's years still in the snapshot (database.synthetic_years), once per snapshot, for the banner."""
    return _synthetic_years(db_path(), batch())


def has_components(year: int) -> bool:
    """Whether the year has pay components imported (annual and hourly pay exist)."""
    return bool(
        connection()
        .cursor()
        .execute("SELECT EXISTS (SELECT 1 FROM pay_components WHERE year = ?)", [year])
        .fetchone()[0]
    )


def unit_tree() -> list[tuple[str, int]]:
    """(unit, depth) in tree order: university, then each school followed by its departments."""
    units = _units(db_path(), batch())
    children: dict[str | None, list[str]] = {}
    known = set(units["unit"])
    for u, p in zip(units["unit"], units["parent_unit"]):
        children.setdefault(p if isinstance(p, str) and p in known else None, []).append(u)
    out: list[tuple[str, int]] = []

    def walk(parent, depth):
        for u in sorted(children.get(parent, [])):
            if depth < 20:
                out.append((u, depth))
                walk(u, depth + 1)

    walk(None, 0)
    return out


@st.cache_data(show_spinner=False)
def _unit_names(path: str, batch_key: int, lng: str) -> dict[str, str]:
    cur = _connection(path, batch_key).cursor()
    try:
        return database.unit_names(cur, lng)
    finally:
        cur.close()


def unit_names(lng: str | None = None) -> dict[str, str]:
    """Unit code -> name in the language (store.unit_names), once per snapshot and language."""
    return _unit_names(db_path(), batch(), lng or lang())


def unit_name(code: str, lng: str | None = None) -> str:
    """The unit's name in the language (store.unit_names); the whole organisation for '*' or ''."""
    lng = lng or lang()
    if not code or code == database.ALL_UNITS:
        return t("whole_org", lng)
    return unit_names(lng).get(code, code)


def k_of(indicator_id: str) -> int:
    indicators()
    return pages.k_of(indicator_id)


@st.cache_data(show_spinner=False)
def _targets(path: str, batch_key: int, unit: str, year: int | None) -> tuple:
    return chart_targets(_connection(path, batch_key).cursor(), unit, year)


@st.cache_data(show_spinner=False)
def _national(path: str, batch_key: int, year: int | None) -> dict:
    return benchmarks.references(_connection(path, batch_key).cursor(), year)


def national(year: int | None) -> dict:
    """The country's newest figure per category up to `year` (shipped and imported benchmarks), for the charts."""
    return _national(db_path(), batch(), year)


def cached(indicator_id: str, filters: registry.Filters) -> pd.DataFrame:
    """The protected table from this session's cache (raises when the indicator fails): what the
    workbook and the report are made from, so they hold what the pages show."""
    return _compute(indicator_id, filters, db_path(), batch())
