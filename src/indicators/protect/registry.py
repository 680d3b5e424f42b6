"""The indicator registry: every indicator, the sub-goal it serves, its titles and how it is protected.

An indicator is a function (connection, Filters) -> pandas DataFrame, computed in DuckDB SQL with
parameters: its *base* table (counts with their cell keys, sums with their largest contribution).
`compute` runs it and publishes it through its `privacy.Protection` (perturbed, derived, suppressed;
or exact for those allowed exact figures, `Filters.exact`) before the table leaves the package, so
the page, the download button and `python -m indicators export` all get exactly the same table.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..catalogue import pick, vocabulary
from ..store import background, cells
from ..store.sql import ALL_UNITS
from . import arrays, privacy
from .privacy import Protection

# The six sub-goals (1..6) and the GEP areas an indicator's .meta.toml may name, with their words
# (catalogue/subgoals.toml): sub-goal -> (Swedish, English), GEP area -> (Swedish, English).
SUBGOALS: dict[int, tuple[str, str]] = {int(n): words for n, words in vocabulary("subgoals", "subgoal").items()}
GEP_AREAS: dict[str, tuple[str, str]] = vocabulary("subgoals", "gep_area")


@dataclass(frozen=True)
class Filters:
    """What the user chose. A unit includes its sub-units; '*' is the whole organisation."""

    unit: str = ALL_UNITS
    year: int | None = None  # the year of a snapshot; None: the latest with data
    year_from: int | None = None  # a range for trends
    year_to: int | None = None
    positions: tuple[str, ...] = ()  # position categories; empty: all
    employment_type: str | None = None
    measure: str = "headcount"  # or "fte"
    # The measure of pay the pay tables show (subgoals/pay/scope.MEASURES): the full-time monthly
    # salary, gross annual pay or gross hourly pay.
    pay: str = "monthly"
    # Several units side by side, each with its sub-units (the scorecard per sub-unit): set by
    # compute_scoped, never by a page. Empty: just `unit`.
    units: tuple[str, ...] = ()
    # Exact figures (nothing perturbed, nothing hidden): only for those allowed them (access.py), and
    # everything made that way says so. Part of the filters so that every cache key tells them apart.
    exact: bool = False

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)


@dataclass(frozen=True)
class Indicator:
    """An indicator: its function, its protection, and its metadata as `<module>.meta.toml` beside the
    module declares it (sub-goal, GEP area, unit, target, title and description in Swedish and English,
    source, the columns its table holds), the way Our World in Data's etl keeps a `.meta.yml` beside
    each step. What a column means is columns.toml's."""

    id: str
    subgoal: int
    titles: tuple[str, str]  # (Swedish, English)
    descriptions: tuple[str, str]
    unit_of_measure: str  # "share", "count", "index", "percent", "SEK", ...
    function: Callable[..., pd.DataFrame]
    gep_area: str
    target: str | None = None  # a goals.toml key, e.g. "balance" or "pay.gap_target_pct"
    protection: Protection | None = None  # None: rests on no personal data (committee seats)
    source: str = ""
    columns: tuple[str, ...] = ()  # the columns the Method page describes, in order
    # True when the function computes several units in one query (Filters.units, see compute_scoped).
    scoped: bool = False
    # The same base table summed from the snapshot's cells in memory (store/cells.py): (cells, Filters)
    # -> DataFrame, or None where the cells do not cover the filters. None: always the function.
    from_cells: Callable[..., pd.DataFrame | None] | None = None
    # True when each row of the base table is one scope's and year's, computed from that scope's and
    # year's data alone (a scoped trend): the table of every unit, computed once per snapshot and
    # years, then holds the rows of any units asked for (`of_every_unit`).
    every_unit: bool = False

    @property
    def personal(self) -> bool:
        return self.protection is not None

    @property
    def k_setting(self) -> str:
        return self.protection.k_setting if self.protection is not None else "k"

    def title(self, lang: str = "en") -> str:
        return pick(self.titles, lang)

    def description(self, lang: str = "en") -> str:
        return pick(self.descriptions, lang)


META_KEYS = {"subgoal", "gep_area", "unit_of_measure", "target", "title", "description", "source", "columns"}
REQUIRED = {"subgoal", "gep_area", "unit_of_measure", "title", "description"}


@cache
def _metadata_file(path: str) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def metadata(module: str, indicator_id: str) -> dict:
    """The indicator's entry in `<module>.meta.toml` beside its module, checked: every key known, the
    required ones there, title and description as [Swedish, English]."""
    path = Path(sys.modules[module].__file__).with_suffix(".meta.toml")
    entry = _metadata_file(str(path)).get(indicator_id)
    if entry is None:
        raise ValueError(f"indicator {indicator_id}: no [{indicator_id}] in {path.name}")
    unknown, missing = set(entry) - META_KEYS, REQUIRED - set(entry)
    if unknown or missing:
        raise ValueError(f"{path.name} [{indicator_id}]: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
    for key in ("title", "description"):
        if not (isinstance(entry[key], list) and len(entry[key]) == 2):
            raise ValueError(f'{path.name} [{indicator_id}].{key}: a pair ["svenska", "English"]')
    return {
        "subgoal": entry["subgoal"],
        "gep_area": entry["gep_area"],
        "unit_of_measure": entry["unit_of_measure"],
        "target": entry.get("target"),
        "titles": tuple(entry["title"]),
        "descriptions": tuple(entry["description"]),
        "source": entry.get("source", ""),
        "columns": tuple(entry.get("columns", ())),
    }


REGISTRY: dict[str, Indicator] = {}


def register(
    *,
    id: str,
    protection: Protection | None = None,
    scoped: bool = False,
    cells: Callable[..., pd.DataFrame | None] | None = None,
    every_unit: bool = False,
) -> Callable:
    """Decorator: @register(id=..., protection=..., scoped=..., cells=..., every_unit=...) over an indicator
    function; the rest of what the indicator is comes from its module's `.meta.toml` (`metadata`). `cells`:
    the same base table from the snapshot's cells in memory (Indicator.from_cells); `every_unit`: its rows
    are each one scope's and year's alone (Indicator.every_unit)."""

    def wrap(fn):
        # a protected table's published precision comes from its own column declarations
        protected = None if protection is None else replace(protection, table=id)
        ind = Indicator(
            id=id,
            function=fn,
            protection=protected,
            scoped=scoped,
            from_cells=cells,
            every_unit=every_unit and scoped,
            **metadata(fn.__module__, id),
        )
        if ind.id in REGISTRY:
            raise ValueError(f"indicator {ind.id} registered twice")
        if ind.subgoal not in SUBGOALS or ind.gep_area not in GEP_AREAS:
            raise ValueError(f"indicator {ind.id}: unknown sub-goal or GEP area")
        REGISTRY[ind.id] = ind
        return fn

    return wrap


def compute(con, indicator_id: str, filters: Filters, exact: bool | None = None) -> pd.DataFrame:
    """The indicator's table as every page and export shows it: protected (privacy.publish), or exact
    when `exact` (or filters.exact) says so."""
    ind = REGISTRY[indicator_id]
    if exact is not None:
        filters = filters.with_(exact=exact)
    return _published(con, ind, filters.with_(units=()) if filters.units else filters)


def _published(con, ind: Indicator, filters: Filters) -> pd.DataFrame:
    """The indicator's base table, then published through its protection: for one chosen position or
    for all (privacy.one_position_or_all), unless exact. The base table comes from the snapshot's cells
    in memory where the indicator can be summed from them (store/cells.py), else from its function on a
    cursor of its own. Both give the same table (tests/test_cells.py)."""
    if privacy.widened(ind.protection, filters):
        filters = filters.with_(positions=())
    with background.foreground():  # the tables of every unit wait (store/background.py)
        base = base_table(con, ind, filters)
        own = ind.protection is not None and privacy.OWN_UNIT in ind.protection.group.by.values()
        return privacy.publish(
            base, ind.protection, filters, exact=filters.exact, branches=branches(con) if own else None
        )


def branches(con) -> frozenset[str]:
    """The units with sub-units (privacy.OWN_UNIT): from the snapshot's cells, else from unit_tree."""
    held = cells.of(con)
    if held is not None:  # the whole organisation ('*') holds every top unit, as unit_tree says
        return frozenset(parent or ALL_UNITS for parent in held.parents.values())
    with cells.cursor(con) as cur:
        return frozenset(
            u for (u,) in cur.execute("SELECT DISTINCT ancestor FROM unit_tree WHERE depth > 0").fetchall()
        )


def base_table(con, ind: Indicator, filters: Filters, on_demand: bool = False) -> pd.DataFrame:
    """The indicator's base table: from the cells when it can be, else from its table of every unit
    (`of_every_unit`), unless on_demand; else its function."""
    every_unit = ind.every_unit and background.enabled()  # off: the function, as before the queue
    if (ind.from_cells is not None or every_unit) and not on_demand:
        held = cells.of(con)
        if ind.from_cells is not None:
            base = None if held is None else ind.from_cells(held, filters)
        else:
            base = None if held is None else of_every_unit(con, held, ind, filters)
        if base is not None:
            return base
    return _run(con, ind, filters)


def _run(con, ind: Indicator, filters: Filters) -> pd.DataFrame:
    with cells.cursor(con) as cur:  # the snapshot's cells reachable from it (an indicator built on another's)
        return ind.function(cur, filters)


# A unit that no snapshot has: its table is the function's own empty table (columns and types).
NOWHERE = "\x00"


def of_every_unit(con, held: cells.Cells, ind: Indicator, filters: Filters) -> pd.DataFrame | None:
    """An `every_unit` indicator's base table for `filters`: its units' rows of the table of every unit
    of the snapshot, which the indicator's function computes for the rest of the filters (the same
    years) once per process and snapshot, in a thread of its own (`cells.Cells.soon`). None until that
    table is ready, and when a unit asked for is not the snapshot's: then the function answers.

    Each row being one scope's and year's alone (Indicator.every_unit), the rows are those the
    function gives for the units asked for, in its order (by scope first); the columns and types are
    those it gives for the shape asked for (with a scope column or not), read from its own empty
    tables. tests/test_registry.py compares the two on the demo. A scorecard or page then costs a
    lookup, not six queries of 8-25 ms each at sector scale; the first asker of a snapshot and years
    waits for nothing more than its own query (docs/performance.md, "Tables of every unit, once per
    snapshot").
    """
    asked = list(filters.units) or [filters.unit]
    if not set(asked) <= set(held.every_unit()):
        return None
    rest, nowhere = _every_unit_keys(filters)
    snapshot = cells.owner(con)  # not a cursor that closes before the thread is done
    every = held.soon((ind.id, rest), lambda: _run(snapshot, ind, rest.with_(units=held.every_unit())))
    shape = held.soon((ind.id, nowhere), lambda: _run(snapshot, ind, nowhere))
    if every is None or shape is None:
        return None
    # on the column arrays (arrays.py): a pandas selection of a table of 20-40 columns costs 1-2 ms
    cols = arrays.columns_of(every)
    rows = np.flatnonzero(np.isin(np.asarray(cols["scope"], dtype=object), asked))
    if not len(rows):
        return shape.copy()
    return arrays.frame({name: cols[name][rows] for name in shape.columns})


def _every_unit_keys(filters: Filters) -> tuple[Filters, Filters]:
    """The filters of the table of every unit (the rest of `filters`), and those of the function's own
    empty table of the shape asked for (a scope column or not)."""
    rest = filters.with_(unit=ALL_UNITS, units=())
    return rest, rest.with_(unit=NOWHERE, units=(NOWHERE,) if filters.units else ())


def in_memory(con, indicator_id: str, filters: Filters) -> bool:
    """Whether the indicator's base table for `filters` is read from memory now (its cells, or its table
    of every unit made): no query, so no reason to compute it beside others in threads."""
    ind, held = REGISTRY[indicator_id], cells.of(con)
    if held is None or (ind.from_cells is None and not (ind.every_unit and background.enabled())):
        return False
    if ind.from_cells is not None:
        return True
    if privacy.widened(ind.protection, filters):
        filters = filters.with_(positions=())
    return all(held.made((ind.id, key)) for key in _every_unit_keys(filters))


# Threads for computing independent tables side by side, each on a cursor of its own: DuckDB answers
# one query without holding Python's lock while another table is finished in pandas. Measured on two
# cores (bench/run.py): three beat two, and four were no better.
SIDE_BY_SIDE = 3


def side_by_side(fn: Callable, items: list, here: Callable = lambda x: False) -> list:
    """[fn(x) for x in items], on up to SIDE_BY_SIDE threads; fn must open its own cursor. The items for
    which here(x) is true (tables read from memory: `in_memory`) are computed on the calling thread,
    one after another, while the threads compute the rest: work in Python alone, which threads only
    slow down (Python's lock; the representation page, whose seven tables are all read from memory,
    took 1.4 times as long on three threads: docs/performance.md, "Tables from memory on the calling thread")."""
    local = [here(x) for x in items]
    queued = [x for x, h in zip(items, local) if not h]
    if len(items) < 2 or not queued:
        return [fn(x) for x in items]
    # a query on a thread while the calling thread computes from memory: DuckDB lets go of Python's lock
    with ThreadPoolExecutor(max_workers=min(SIDE_BY_SIDE, len(queued))) as pool:
        running = iter([pool.submit(fn, x) for x in queued])
        done = [fn(x) if h else None for x, h in zip(items, local)]
        return [d if h else next(running).result() for d, h in zip(done, local)]


def scopes(f: Filters) -> list[str]:
    """The units a scoped indicator computes: Filters.units, else the chosen unit alone."""
    return list(f.units) or [f.unit]


def unscoped(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """A scoped indicator's table as the pages show it: the `scope` column only when several units were asked for."""
    return df if f.units else df.drop(columns="scope")


def compute_scoped(con, indicator_id: str, filters: Filters, units: list[str]) -> pd.DataFrame:
    """The indicator's table for each of `units` (each with its sub-units), stacked, with a leading
    `scope` column: row for row what `compute` gives for that unit alone, suppression included.

    A scoped indicator does it in one query (the scorecard per sub-unit would otherwise run one per
    unit and sub-goal); any other is computed unit by unit.
    """
    ind = REGISTRY[indicator_id]
    if not ind.scoped:
        parts = [compute(con, indicator_id, filters.with_(unit=u, units=())) for u in units]
        parts = [p.assign(scope=u)[["scope", *p.columns]] for u, p in zip(units, parts)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["scope"])
    # Rows are published one by one (a cell's noise is a function of its own records), so each unit's
    # rows are what it gets alone.
    return _published(con, ind, filters.with_(units=tuple(units)))


# The modules that register indicators on import, in the order `list` shows them: the one list of
# them (the app, the command line and the tests all fill the registry through load_all).
INDICATOR_MODULES = (
    "representation",
    "committees",
    "pay.gap",
    "pay.equal_work",
    "pay.equal_value",
    "pay.quartiles",
    "pay.distribution",
    "pay.transparency",
    "pay.model",
    "pay.evaluation",
    "pay.assessment",
    "education",
    "care",
    "health",
    "safety",
    "recruitment",
    "careers",
    "benchmarks",
)


def load_all() -> dict[str, Indicator]:
    """Import every indicator module so that the registry is full (a module that fails to import
    raises: a broken indicator is never silently missing).

    The package's one plugin loader, and its only import by name: the indicator modules register
    themselves into this registry, a floor below them (subgoals/ above protect/), so the registry
    cannot name them in an import without an arrow running back up; a caller above both (the app,
    the command line, the scorecard) calls this rather than importing eight modules it does not use."""
    for name in INDICATOR_MODULES:
        importlib.import_module(f"indicators.subgoals.{name}")
    return REGISTRY
