"""careers.career_scope in memory: which of the snapshot's career_cells (store/cells.py) touch a unit, and
what each of them was in the unit, in numpy, for the careers tables summed from the cells.

The same marks as the SQL, NULL for NULL: a cell is in the scope when its person was in the unit (with
its sub-units) at t (`now_in`) or at t-1 (`before_in`); `now_ok` / `before_ok` say that their position
is one of those chosen (every position when none is) and their employment type the one chosen, that
year; `rank_now` / `rank_before` are the years' ranks on the ladder (NaN off it). A missing unit,
position or employment type (a leaver has no year t, an entrant no year t-1) is code -1: never inside
the unit, never one chosen (SQL's `coalesce(NULL IN ..., false)`), yet every position when none is
chosen (`$positions IS NULL OR ...` is true).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..protect.registry import Filters
from ..store.cells import Cells, Table


@dataclass(frozen=True)
class Marks:
    """The cells of a scope: their row numbers in the careers table and, per row, the marks."""

    table: Table
    rows: np.ndarray
    now_in: np.ndarray
    before_in: np.ndarray
    now_ok: np.ndarray
    before_ok: np.ndarray
    rank_now: np.ndarray
    rank_before: np.ndarray

    def column(self, name: str) -> np.ndarray:
        return self.table.columns[name][self.rows]

    def label_is(self, column: str, label: str) -> np.ndarray:
        """column = label (False where the column is missing)."""
        return self.column(column) == self.table.code(column, label)

    def one_of(self, column: str, labels) -> np.ndarray:
        """list_contains(labels, column): False where the column is missing."""
        wanted = np.zeros(len(self.table.labels[column]) + 1, dtype=bool)
        codes = [self.table.code(column, label) for label in labels]
        wanted[[c for c in codes if c >= 0]] = True
        return wanted[self.column(column)]

    def labels(self, column: str) -> np.ndarray:
        """The column's labels, None where missing."""
        return np.append(self.table.labels[column], None)[self.column(column)]

    def same_position(self) -> np.ndarray:
        """position_category = prev_position_category (False where either is missing)."""
        now, before = self.table.labels["position_category"], self.table.labels["prev_position_category"]
        as_now = {label: i for i, label in enumerate(now)}
        before_as_now = np.array([as_now.get(label, -3) for label in before] + [-3], dtype=np.int64)
        return self.column("position_category") == before_as_now[self.column("prev_position_category")]

    def promoted(self) -> np.ndarray:
        """rank_now > rank_before (False where either is off the ladder)."""
        with np.errstate(invalid="ignore"):
            return self.rank_now > self.rank_before


def _inside(table: Table, column: str, below: dict[str, np.ndarray], unit: str, codes: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(table.labels[column]) + 1, dtype=bool)
    inside[below.get(unit, np.zeros(0, dtype=np.int64))] = True
    return inside[codes]


def _ok(table: Table, codes_position: np.ndarray, codes_type: np.ndarray, f: Filters, prefix: str) -> np.ndarray:
    ok = np.ones(len(codes_position), dtype=bool)
    if f.positions:
        wanted = np.zeros(len(table.labels[prefix + "position_category"]) + 1, dtype=bool)
        codes = [table.code(prefix + "position_category", p) for p in f.positions]
        wanted[[c for c in codes if c >= 0]] = True
        ok &= wanted[codes_position]
    if f.employment_type is not None:
        ok &= codes_type == table.code(prefix + "employment_type", f.employment_type)
    return ok


def _ranks(table: Table, column: str, ladder: dict[str, int], codes: np.ndarray) -> np.ndarray:
    ranks = np.array([float(ladder.get(label, np.nan)) for label in table.labels[column]] + [np.nan])
    return ranks[codes]


def marks(held: Cells, f: Filters, ladder: dict[str, int], first: int | None, last: int | None) -> Marks | None:
    """careers.career_scope(f) over the years first..last (None: open) of the cells in memory; None when
    the snapshot has no career_cells."""
    careers = held.careers()
    if careers is None:
        return None
    table = careers.table
    lo = 0 if first is None else int(np.searchsorted(table.years, first, side="left"))
    hi = len(table.years) if last is None else int(np.searchsorted(table.years, last, side="right"))
    start, end = (int(table.starts[lo]), int(table.starts[hi])) if lo < hi else (0, 0)
    c = table.columns
    now_in = _inside(table, "unit", careers.below, f.unit, c["unit"][start:end])
    before_in = _inside(table, "prev_unit", careers.before, f.unit, c["prev_unit"][start:end])
    keep = np.flatnonzero(now_in | before_in)
    rows = start + keep
    return Marks(
        table,
        rows,
        now_in[keep],
        before_in[keep],
        _ok(table, c["position_category"][rows], c["employment_type"][rows], f, ""),
        _ok(table, c["prev_position_category"][rows], c["prev_employment_type"][rows], f, "prev_"),
        _ranks(table, "position_category", ladder, c["position_category"][rows]),
        _ranks(table, "prev_position_category", ladder, c["prev_position_category"][rows]),
    )


def by_gender(
    table: Table, rows: np.ndarray, groups: np.ndarray, n: int, people: np.ndarray, key: np.ndarray
) -> dict[str, np.ndarray]:
    """sql.gender_sums("sum(people)", key="sum(ck)", cast="BIGINT") per group 0..n-1 of the cells `rows`
    (each in `groups`): women, men, other and total, each with its key sum `__ck`, whole numbers."""
    gender = table.columns["gender"][rows]
    out = {}
    for name, hit in (
        ("women", gender == table.code("gender", "woman")),
        ("men", gender == table.code("gender", "man")),
        ("other", gender == table.code("gender", "other")),
        ("total", np.ones(len(rows), dtype=bool)),
    ):
        out[name] = np.rint(np.bincount(groups[hit], weights=people[hit], minlength=n)).astype(np.int64)
        out[name + "__ck"] = np.rint(np.bincount(groups[hit], weights=key[hit], minlength=n)).astype(np.int64)
    return out
