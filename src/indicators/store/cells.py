"""The cells the pages read: materialised into each snapshot when it is published, and held in memory
once per process and snapshot, where a page's tables are summed from them in numpy.

A snapshot never changes once published (snapshot.py), so what the pages read can be computed then:
`materialise` adds `pay_cells` (staff with a salary, women and men, per year, unit, position, employment
type, job level, the job's points in the year's job evaluation and gender: people, the sums of their
record and magnitude keys, the salary sum, the largest and second largest salary) to the snapshot's
file before it is made current; `staff_cells`
(the same grain without job level, every gender, headcount, FTE and leave days) is kept by every import
already (database.STAFF_CELLS_V7). Every input of the cell-key method is aggregable (counts, key sums
modulo 256, magnitude key sums, largest and second largest contribution: privacy.py), so a table summed
from cells publishes exactly the numbers the same table counted from person rows does.

A DuckDB query costs 6-10 ms whatever its size, 2.5-3.5 of it planning (docs/performance.md), and a
page asks for seven to nine tables. So `of(con)` reads a snapshot's cells once per process (10 000 staff
cells at sector scale: well under 2 MB; snapshot.Reader registers its connections) and `gender_sums`
sums a table from them: a mask over the unit's
descendants, the years, positions and employment type, then one group-by. The indicator functions that
can be summed this way say so to the registry (`register(..., cells=...)`), which uses them whenever the
snapshot has cells; the tests compare both ways for every such indicator on the demo
(tests/test_cells.py).

The careers tables read `career_cells` (kept by every import, database.CAREER_CELLS) the same way: `Cells.careers`
reads them on the first careers table, once per snapshot, with what the careers page reads besides (the latest
complete year, the plans' targets, the imported national figures), and subgoals/career_marks.py marks
them as careers.career_scope does.

The cells carry true sums and true keys: they are as confidential as the person rows, and never leave
the process except through privacy.publish.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from . import background, sql, years
from .sql import ALL_UNITS, GENDERS

# The version of what `materialise` writes: a snapshot published with an older one (or none) is
# published again (snapshot.is_stale), so that every reader finds the cells it expects.
VERSION = 2  # 2: pay_cells carry each job's points of the job evaluation (issue 21)

PAY_CELLS = f"""
    CREATE TABLE pay_cells AS
    SELECT s.year, s.unit, s.position_category, s.employment_type, s.job_level, s.gender, p.points,
           count(*) AS people, sum(s.rkey)::BIGINT AS rkey_sum, sum(s.mkey)::BIGINT AS mkey_sum,
           sum(s.monthly_salary) AS salary_sum, max(s.monthly_salary) AS salary_max,
           max(s.monthly_salary, 2)[2] AS salary_max2
    FROM staff s
    LEFT JOIN ({sql.JOB_POINTS}) p ON p.year = s.year AND p.job = {sql.job_key("s.position")}
    WHERE s.monthly_salary > 0 AND s.gender IN ('woman', 'man')
    GROUP BY ALL
    ORDER BY s.year, s.unit
"""
# The years with a job evaluation (a job scored on every sub-factor of the year's plan).
EVALUATED_YEARS = f"SELECT DISTINCT year FROM ({sql.JOB_POINTS})"


# Each unit and every unit below it (and itself), as the cells' units are summed.
UNIT_TREE = "SELECT DISTINCT ancestor, descendant FROM unit_tree"


def materialise(path: str | Path) -> None:
    """Write the cells into the database file at `path` (a snapshot not yet current: writer.publish)."""
    con = duckdb.connect(str(path))
    try:
        con.execute("DROP TABLE IF EXISTS pay_cells")
        con.execute(PAY_CELLS)
        con.execute("CHECKPOINT")
    finally:
        con.close()


# Every plan measure's target (not dropped, with a target value): unit, year, indicator, value, target
# year, measure id (careers.unit_target chooses among them).
PLAN_TARGETS = """
    SELECT unit, year, indicator, target_value, target_year, measure_id FROM plan_measures
    WHERE status <> 'dropped' AND target_value IS NOT NULL"""
# The national figures imported as the sheet kind `benchmarks` (subgoals/benchmarks.national).
IMPORTED_BENCHMARKS = "SELECT year, category, women, men, source, subject_area FROM benchmarks"

# --- in memory -------------------------------------------------------------------------------------------

# At most this many tables made once per snapshot (`Cells.soon`; `once` counts too): each filter combination
# asked for (years, positions, employment type, measure, pay) is a table of every unit of 10-100 kB at
# sector scale, and one made in the background; past this many the function answers, as before them.
MADE_AT_MOST = 256

# The text columns of a cells table, held as codes (pd.factorize) so that a filter is a lookup.
CODED = (
    "unit",
    "position_category",
    "employment_type",
    "gender",
    "job_level",
    # career_cells: the year before, and the professors' titles
    "prev_unit",
    "prev_position_category",
    "prev_employment_type",
    "title",
    "prev_title",
)
# career_cells as held: the titles without accents, as careers compares them with the excluded titles
# (careers.excluded_titles), so that the comparison is DuckDB's own strip_accents, made once.
CAREER_CELLS = """
    SELECT * REPLACE (strip_accents(title) AS title, strip_accents(prev_title) AS prev_title) FROM career_cells"""


@dataclass
class Table:
    """A cells table in memory, sorted by year: numbers as numpy arrays, text as codes into `labels`."""

    columns: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    years: np.ndarray  # the distinct years, ascending
    starts: np.ndarray  # rows of years[i] are starts[i]:starts[i + 1]

    def code(self, column: str, label) -> int:
        """The code of a label (-2 when the table has none: no row matches it)."""
        hits = np.flatnonzero(self.labels[column] == label)
        return int(hits[0]) if len(hits) else -2


@dataclass
class Cells:
    """One snapshot's cells, the unit tree and the units' names."""

    staff: Table
    pay: Table
    below: dict[str, np.ndarray]  # unit -> the codes (in staff's unit labels) of it and the units below it
    pay_below: dict[str, np.ndarray]
    names: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)
    evaluated: frozenset[int] = frozenset()  # the years with a job evaluation (EVALUATED_YEARS)
    # career_cells and what the careers page reads besides, read on first use (`careers`)
    read_careers: Callable[[], "Careers | None"] = lambda: None
    # Tables computed once for this snapshot (`once`): key -> [lock, table].
    _made: dict = field(default_factory=dict, repr=False)
    _making: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # Tables made on a thread of their own while no page is computed (`soon`; store/background.py).
    _queue: background.Queue = field(default_factory=lambda: background.Queue(MADE_AT_MOST), repr=False)

    def careers(self) -> "Careers | None":
        """The snapshot's career cells and the rest the careers page reads, read once, on first use (a
        page that shows no careers never waits for them); None without career_cells."""
        return self.once("careers", self.read_careers)

    def sub_units(self, unit: str) -> list[str]:
        """sql.sub_units in memory: the direct sub-units (of the whole organisation, the top-level units), sorted."""
        return sorted(
            u for u, parent in self.parents.items() if parent == unit or (unit == ALL_UNITS and parent is None)
        )

    def latest_year(self) -> int | None:
        """sql.latest_year of staff_cells."""
        return int(self.staff.years[-1]) if len(self.staff.years) else None

    def every_unit(self) -> tuple[str, ...]:
        """Every unit of the snapshot and the whole organisation ('*'), sorted."""
        return tuple(sorted({*self.parents, ALL_UNITS}))

    def once(self, key, make):
        """make() the first time `key` is asked for, its result after that: what a snapshot gives never
        changes, so a table computed from it once serves every later caller of this process. Callers of
        one key wait for the first; a make() that raises is tried again by the next."""
        with self._making:
            entry = self._made.setdefault(key, [threading.Lock(), _NOT_LOADED])
        with entry[0]:
            if entry[1] is _NOT_LOADED:
                entry[1] = make()
            return entry[1]

    def soon(self, key, make):
        """What make() gave for `key` when it is ready, else None, make() having been queued (the first
        time; after a make() that raised, again) for the snapshot's one background thread: for tables
        worth having, but not worth making the caller wait for, as they take longer to make than the
        caller's own answer. The thread makes them while no page is computed, the newest asked first,
        and stops for a page that starts (store/background.py)."""
        return self._queue.soon(key, make)

    def made(self, key) -> bool:
        """Whether `soon` has the table of `key` ready."""
        return self._queue.made(key)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait for the tables `soon` queued (the benchmark, timing the app after its first visits; tests)."""
        return self._queue.settle(timeout)

    def stop(self, wait: bool = True) -> None:
        """Queue nothing more; what waits is dropped, what is being made interrupted (`wait`: and over)."""
        self._queue.stop(wait)


@dataclass
class Careers:
    """A snapshot's career_cells (CAREER_CELLS: each person's year beside their year before), the unit
    tree in their unit and prev_unit codes, and what the careers page reads besides."""

    table: Table
    below: dict[str, np.ndarray]
    before: dict[str, np.ndarray]
    complete_year: int | None  # the whole organisation's latest complete year (years.default_year)
    targets: tuple[tuple, ...]  # the plans' targets (PLAN_TARGETS)
    benchmarks: pd.DataFrame | None  # the imported national figures (IMPORTED_BENCHMARKS)


def _table(df: pd.DataFrame) -> Table:
    df = df.sort_values("year", kind="stable")
    columns, labels = {}, {}
    for name in df.columns:
        if name in CODED:
            codes, uniques = pd.factorize(df[name], use_na_sentinel=True)
            columns[name], labels[name] = codes.astype(np.int32), np.asarray(uniques, dtype=object)
        elif name == "manager":
            columns[name] = df[name].to_numpy(dtype=float, na_value=np.nan)  # 1, 0, NaN (not given)
        elif name == "year":
            columns[name] = df[name].to_numpy(dtype=np.int64)
        else:
            columns[name] = df[name].to_numpy(dtype=float, na_value=np.nan)
    years, starts = np.unique(columns.get("year", np.zeros(0, dtype=np.int64)), return_index=True)
    return Table(columns, labels, years, np.append(starts, len(df)))


def _below(tree: pd.DataFrame, table: Table, column: str = "unit") -> dict[str, np.ndarray]:
    known = {u: i for i, u in enumerate(table.labels.get(column, []))}
    out: dict[str, list[int]] = {}
    for ancestor, descendant in zip(tree["ancestor"], tree["descendant"]):
        if descendant in known:
            out.setdefault(ancestor, []).append(known[descendant])
    return {a: np.unique(np.array(c, dtype=np.int64)) for a, c in out.items()}


def load(con) -> Cells | None:
    """The snapshot's cells, or None when it has none (a snapshot published before them, or the empty
    in-memory database of a store with nothing published)."""
    cur = con.cursor()
    try:
        tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"staff_cells", "pay_cells", "unit_tree", "units", "job_scores", "job_factors"} <= tables:
            return None
        staff = _table(cur.execute("SELECT * FROM staff_cells").df())
        pay = _table(cur.execute("SELECT * FROM pay_cells").df())
        tree = cur.execute(UNIT_TREE).df()
        units = cur.execute("SELECT unit, parent_unit, name_sv, name_en FROM units").fetchall()
        evaluated = frozenset(int(r[0]) for r in cur.execute(EVALUATED_YEARS).fetchall())
    finally:
        cur.close()
    return Cells(
        staff,
        pay,
        _below(tree, staff),
        _below(tree, pay),
        {u: (sv, en) for u, _, sv, en in units},
        {u: parent for u, parent, _, _ in units},
        evaluated,
        lambda: load_careers(con),
    )


def load_careers(con) -> Careers | None:
    """The snapshot's career cells and what the careers page reads besides (Cells.careers), or None when
    it has no career_cells."""
    cur = con.cursor()
    try:
        tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "career_cells" not in tables:
            return None
        careers = _table(cur.execute(CAREER_CELLS).df())
        tree = cur.execute(UNIT_TREE).df()
        complete = years.default_year(years.coverage(cur))
        targets = tuple(cur.execute(PLAN_TARGETS).fetchall()) if "plan_measures" in tables else ()
        imported = cur.execute(IMPORTED_BENCHMARKS).df() if "benchmarks" in tables else None
    finally:
        cur.close()
    return Careers(careers, _below(tree, careers), _below(tree, careers, "prev_unit"), complete, targets, imported)


# Per snapshot connection (snapshot.Reader opens one per generation and registers it here), a few at a
# time: a page run may still be reading the previous generation while the next is loaded. A connection
# not registered (a cursor, the store itself, a test's database) has no cells here: its tables come from
# its queries, as before the cells.
_HELD: OrderedDict = OrderedDict()
_LOCK = threading.Lock()
KEEP = 2
_NOT_LOADED = object()


def register(con) -> None:
    """Mark `con` as a published snapshot's connection, whose cells `of` may load (snapshot.Reader)."""
    with _LOCK:
        _HELD[con] = _NOT_LOADED
        while len(_HELD) > KEEP:
            _, gone = _HELD.popitem(last=False)
            if isinstance(gone, Cells):
                gone.stop(wait=False)  # an older snapshot's tables are nobody's to wait for


# The cursors `cursor` has open, by id, each with its snapshot connection: an indicator run on one (the
# registry's way) that reads another indicator's base table (equal_value_pairs, national_benchmarks)
# finds the snapshot's cells through it.
_CURSORS: dict[int, object] = {}


@contextmanager
def cursor(con):
    """A cursor of `con` whose cells (`of`) are con's while it is open; closed after."""
    cur = con.cursor()
    with _LOCK:
        _CURSORS[id(cur)] = con
    try:
        background.opened(cur)  # on the queue's thread, a cursor a page starting interrupts
        yield cur
    finally:
        background.closed(cur)
        with _LOCK:
            _CURSORS.pop(id(cur), None)
        cur.close()


def _held(con) -> Cells | None:
    """`con`'s cells if they are loaded (none are loaded by asking)."""
    with _LOCK:
        held = next((c for k, c in _HELD.items() if k is con), None)
    return held if isinstance(held, Cells) else None


def settle(con, timeout: float | None = None) -> None:
    """Wait for the tables the background thread makes from `con`'s snapshot (`Cells.soon`): to time the
    app after its first visits (the benchmark), or to read them (tests)."""
    held = _held(con)
    if held is not None:
        held.settle(timeout)


def stop(con) -> None:
    """Before `con` is closed (DuckDB refuses to close a connection in use): its snapshot's tables still
    waiting are dropped, the one being made interrupted, and its query over when this returns."""
    held = _held(con)
    if held is not None:
        held.stop()


def owner(con):
    """The snapshot connection a `cursor` is of (it closes with the call that opened it), else `con`."""
    with _LOCK:
        return _CURSORS.get(id(con), con)


def of(con) -> Cells | None:
    """The cells of the snapshot `con` reads (loaded once per process and connection), or None for a
    connection that is not a registered snapshot's (nor a `cursor` of one) or a snapshot without cells."""
    with _LOCK:
        con = _CURSORS.get(id(con), con)
        for held, cells in _HELD.items():
            if held is con:
                if cells is _NOT_LOADED:
                    cells = _HELD[held] = load(con)
                return cells
        return None


# --- sums by gender ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which cells: the units (each with its sub-units), years first..last (None: open), positions (empty:
    all), employment type (None: all), managers only."""

    units: tuple[str, ...]
    first: int | None
    last: int | None
    positions: tuple[str, ...] = ()
    employment_type: str | None = None
    managers: bool = False


def rows(table: Table, below: dict[str, np.ndarray], scope: Scope, unit: str) -> np.ndarray:
    """The row numbers of `table` in `scope` for one of its units (with its sub-units)."""
    lo = 0 if scope.first is None else int(np.searchsorted(table.years, scope.first, side="left"))
    hi = len(table.years) if scope.last is None else int(np.searchsorted(table.years, scope.last, side="right"))
    if lo >= hi:
        return np.zeros(0, dtype=np.int64)
    start, end = int(table.starts[lo]), int(table.starts[hi])
    c = table.columns
    inside = np.zeros(len(table.labels["unit"]) + 1, dtype=bool)
    inside[below.get(unit, np.zeros(0, dtype=np.int64))] = True
    keep = inside[c["unit"][start:end]]
    if scope.positions:
        # one place past the labels for a missing position (code -1) and one for a label the table does
        # not hold (code -2), which stays False: in a mask only one longer, -2 was the last label's place
        wanted = np.zeros(len(table.labels["position_category"]) + 2, dtype=bool)
        wanted[[table.code("position_category", p) for p in scope.positions]] = True
        keep &= wanted[c["position_category"][start:end]]
    if scope.employment_type is not None:
        keep &= c["employment_type"][start:end] == table.code("employment_type", scope.employment_type)
    if scope.managers:
        keep &= c["manager"][start:end] == 1.0
    return start + np.flatnonzero(keep)


def _group_max(groups: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    """The largest non-missing value per group (NaN where none), as SQL's max."""
    out = np.full(n, np.nan)
    np.fmax.at(out, groups, values)
    return out


def _group_second(groups: np.ndarray, n: int, largest: np.ndarray, second: np.ndarray) -> np.ndarray:
    """sql.second_largest_of_cells per group: the larger of the cells' second largest and the second of
    their largest (NaN where neither exists)."""
    top = _group_max(groups, n, largest)
    # the second of the largest: the largest again where two cells share it, else the largest below it
    at_top = largest == top[groups]
    ties = np.bincount(groups[at_top], minlength=n) >= 2
    below = np.where(at_top, np.nan, largest)
    runner = np.where(ties, top, _group_max(groups, n, below))
    return np.fmax(_group_max(groups, n, second), runner)


@dataclass(frozen=True)
class Sum:
    """One sql.gender_sums over cells: `value` summed (a count, cast to whole numbers with whole=True),
    with its key sum (`key`), magnitude key sum (`mkey`), largest (`largest`) and second largest
    contribution (`second`, the cells' own second largest) beside it, for each gender and in all
    (total "all") or over women and men (total "two"), named `names.format(gender)`."""

    value: str
    names: str = "{}"
    key: str | None = None
    mkey: str | None = None
    largest: str | None = None
    second: str | None = None
    whole: bool = False
    genders: tuple[str, ...] = tuple(GENDERS)
    total: str | None = "all"


def gender_sums(table: Table, picked: np.ndarray, groups: np.ndarray, n: int, sums: tuple[Sum, ...]) -> dict:
    """For rows `picked` of `table` falling in groups 0..n-1 (`groups`, one per picked row), the columns
    sql.gender_sums gives, in its order and types: sums with coalesce 0 (BIGINT where whole), keys as
    BIGINT, largest and second largest contributions NaN where there are none."""
    c = table.columns
    gender = c["gender"][picked]
    # Each gender's rows once, each summed column picked (missing as 0) once: numpy's per-call cost, not
    # the rows, is what a table of a few hundred cells pays (docs/performance.md).
    hits = {g: gender == table.code("gender", GENDERS[g]) for g in GENDERS}
    everyone = np.ones(len(picked), dtype=bool)
    out = {}
    for s in sums:
        wanted = [(s.names.format(g), hits[g]) for g in s.genders]
        if s.total == "all":
            wanted.append((s.names.format("total"), everyone))
        elif s.total == "two":
            wanted.append((s.names.format("total"), hits["women"] | hits["men"]))
        summed = {col: np.nan_to_num(c[col][picked]) for col in (s.value, s.key, s.mkey) if col}
        largest = c[s.largest][picked] if s.largest else None
        for name, hit in wanted:
            g = groups[hit]
            value = np.bincount(g, weights=summed[s.value][hit], minlength=n).astype(float)
            out[name] = np.rint(value).astype(np.int64) if s.whole else value
            if s.key:
                out[name + "__ck"] = np.rint(np.bincount(g, weights=summed[s.key][hit], minlength=n)).astype(np.int64)
            if s.mkey:
                out[name + "__mk"] = np.rint(np.bincount(g, weights=summed[s.mkey][hit], minlength=n)).astype(np.int64)
            if s.largest:
                out[name + "__max"] = _group_max(g, n, largest[hit])
            if s.second:
                out[name + "__max2"] = _group_second(g, n, largest[hit], c[s.second][picked][hit])
    return out


def grouped(table: Table, picked: np.ndarray, keys: list[str], sums: tuple[Sum, ...]) -> dict:
    """GROUP BY keys over rows `picked`: each key column (years as numbers, text as codes, `labels` gives
    them), then `gender_sums`, one row per group present, in the keys' order."""
    c = table.columns
    if len(picked) == 0:
        return {**{k: np.zeros(0, dtype=np.int64) for k in keys}, **gender_sums(table, picked, picked, 0, sums)}
    if keys:
        stacked = np.column_stack([c[k][picked].astype(np.int64) for k in keys])
        unique, groups = np.unique(stacked, axis=0, return_inverse=True)
    else:
        unique, groups = np.zeros((1, 0), dtype=np.int64), np.zeros(len(picked), dtype=np.int64)
    out = {k: unique[:, i] for i, k in enumerate(keys)}
    out.update(gender_sums(table, picked, groups.ravel(), len(unique), sums))
    return out


def labels(table: Table, column: str, codes: np.ndarray) -> np.ndarray:
    """The labels of codes, as objects."""
    return table.labels[column][codes]


# pandas' string dtype resolved once, its array made by the array type itself: what pd.array(values,
# dtype="str") does after parsing the name "str" and checking the values again on every call, 114
# against 31 microseconds for sixteen strings (measured); the pay page makes fifteen such columns.
_TEXT = pd.api.types.pandas_dtype("str")
_TEXT_ARRAY = _TEXT.construct_array_type()


def text(values):
    """A column of text as DuckDB hands VARCHAR to pandas: its string dtype, objects when empty."""
    values = np.asarray(values, dtype=object)
    return _TEXT_ARRAY._from_sequence(values, dtype=_TEXT) if len(values) else values


def whole_organisation(unit: str) -> bool:
    return unit == ALL_UNITS


# --- small tables besides the cells, made once per snapshot ----------------------------------------------


def connection_of(held: Cells):
    """The snapshot connection `held` was loaded from, or None once it is no longer held (`KEEP`)."""
    with _LOCK:
        return next((con for con, c in _HELD.items() if c is held), None)


def held_query(held: Cells, key, query: str, **params) -> tuple[Table, dict[str, np.ndarray]] | None:
    """`query` (with `params`) on the snapshot whose cells `held` are, as a `Table` and its units' tree
    (unit -> the codes of it and the units below it), read on a cursor of its own the first time `key`
    and `params` are asked for and held with the cells after that (`Cells.once`); None once the
    snapshot is no longer held. For what has no cells but is small once grouped: the students sheet
    (a few hundred rows a year at sector scale, whose query would cost 6-10 ms a table), and the pay
    tables that need a person's own rows, grouped at the finest grain a page can ask for (`of_year`).
    Columns are held as `_table` holds a cells table (text in CODED as codes, the rest numbers);
    columns named `*_id` are text held as codes too, their labels in Table.labels."""
    con = connection_of(held)
    if con is None:
        return None

    def make():
        cur = con.cursor()
        try:
            df = cur.execute(query, params).df() if params else cur.execute(query).df()
            tree = cur.execute(UNIT_TREE).df()
        finally:
            cur.close()
        coded = {}
        for name in [c for c in df.columns if c.endswith("_id")]:
            codes, uniques = pd.factorize(df.pop(name))
            df[name], coded[name] = codes, np.asarray(uniques, dtype=object)
        table = _table(df)
        for name, uniques in coded.items():
            table.columns[name] = table.columns[name].astype(np.int64)
            table.labels[name] = uniques
        return table, _below(tree, table)

    return held.once(("held_query", key, tuple(sorted(params.items()))), make)


def of_year(
    held: Cells, kind: str, year: int | None, query: str, **params
) -> tuple[Table, dict[str, np.ndarray]] | None:
    """`held_query` of a query with the parameter $year, one year at a time (made once per snapshot,
    kind, year and params); None without a year or once the snapshot is no longer held (the
    indicator's query answers then). A page's table is then summed from it in numpy, as from the pay
    cells."""
    return None if year is None else held_query(held, kind, query, year=year, **params)
