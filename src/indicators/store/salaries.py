"""Each year's salaries in memory, once per process and snapshot: the pay tables' medians, percentiles
and quartile bands computed in numpy instead of on person rows
(docs/performance.md, "The pay page's salaries in memory").

A median or a percentile is not a sum: it cannot be summed from pay_cells (store/cells.py), and a query
on person rows costs 30-100 ms at scale 1. So `of(held, year)` reads the year's salaried women and men
once (the people `subgoals/pay/scope.pay_scope` counts in the full-time monthly salary: a salary above 0,
woman or man), sorted by salary, then gender, then person key, with what the pay tables group, filter
and key by. Any selection of them (`picked`) is then sorted by salary already, and grouping it with a
stable sort (`segments`) keeps each group's salaries sorted: a percentile is an index (`quantile_cont`,
DuckDB's interpolation reproduced exactly) and a quartile band a position (`ntile`, DuckDB's).

Read on the first pay table of a year (a page that shows no pay never waits for it): about 100 000
salaries a year at scale 1, 6.1 MB. Like the cells, the arrays hold true salaries and keys: as
confidential as the person rows, and they leave the process only through privacy.publish.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from . import cells, sql

# The year's salaried women and men (pay_scope's people in the monthly salary), sorted so that any
# selection of them is sorted by salary, and ties of salary and gender by person key (pay_quartiles'
# order). `key_rank`: the person key's place among the year's (the quartiles' last tie-break, across
# genders); `points`: the job's points in the year's job evaluation (NULL: not evaluated), as pay_cells.
SALARIES = f"""
    WITH people AS (
        SELECT unit, position, position_category, employment_type, gender, monthly_salary, rkey, mkey,
               job_level, person_key
        FROM staff WHERE year = $year AND monthly_salary > 0 AND gender IN ('woman', 'man'))
    SELECT s.unit, s.position_category, s.employment_type, s.gender = 'woman' AS woman,
           s.monthly_salary AS pay, s.rkey, s.mkey, s.job_level, p.points,
           dense_rank() OVER (ORDER BY s.person_key) AS key_rank
    FROM people s
    LEFT JOIN ({sql.job_titles("people")}) t ON t.title = s.position
    LEFT JOIN ({sql.job_points("$year")}) p ON p.job = t.job
    ORDER BY s.monthly_salary, s.gender, s.person_key"""
# (each distinct title folded once, sql.job_titles, and one year's job points: 971 -> 431 ms at scale 1,
# load 9, the same rows)

CODED = ("unit", "position_category", "employment_type")
# The results `Salaries.memo` keeps: a few rows each (four quartile bands).
MEMO_AT_MOST = 256


@dataclass
class Salaries:
    """One year's salaried women and men (SALARIES), a row each: numbers as numpy arrays, text as codes
    into `labels` (-1: none), `below` the codes of each unit and the units below it."""

    year: int
    columns: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    below: dict[str, np.ndarray]
    fused: bool = True  # DuckDB's interpolation rounds once (`interpolation_of`)

    # What a selection gave (`memo`): pay_quartiles and pay_transparency rank the same people into bands.
    made: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key, make):
        """make() the first time `key` is asked for, its result after that (at most MEMO_AT_MOST kept,
        the oldest dropped first); two threads asking at once may both make it, alike."""
        with self._lock:
            if key in self.made:
                return self.made[key]
        value = make()
        with self._lock:
            while len(self.made) >= MEMO_AT_MOST:
                self.made.pop(next(iter(self.made)))
            self.made[key] = value
        return value

    def code(self, column: str, label) -> int:
        """The code of a label (-2 when no row has it)."""
        hits = np.flatnonzero(self.labels[column] == label)
        return int(hits[0]) if len(hits) else -2


def load(con, year: int) -> Salaries:
    """Read the year's salaries from the snapshot connection `con` (on a cursor of its own)."""
    cur = con.cursor()
    try:
        df = cur.execute(SALARIES, {"year": year}).df()
        tree = cur.execute(cells.UNIT_TREE).fetchall()
        fused = interpolation_of(cur)
    finally:
        cur.close()
    columns, labels = {}, {}
    for name in df.columns:
        if name in CODED:
            codes, uniques = pd.factorize(df[name], use_na_sentinel=True)
            columns[name], labels[name] = codes.astype(np.int32), np.asarray(uniques, dtype=object)
        elif name == "woman":
            columns[name] = df[name].to_numpy(dtype=bool)
        elif name in ("rkey", "mkey", "key_rank"):
            columns[name] = df[name].to_numpy(dtype=np.int64)
        else:
            columns[name] = df[name].to_numpy(dtype=float, na_value=np.nan)
    known = {u: i for i, u in enumerate(labels["unit"])}
    below: dict[str, list[int]] = {}
    for ancestor, descendant in tree:
        if descendant in known:
            below.setdefault(ancestor, []).append(known[descendant])
    below_codes = {a: np.unique(np.array(c, dtype=np.int64)) for a, c in below.items()}
    return Salaries(year, columns, labels, below_codes, fused)


def of(held, year: int | None) -> Salaries | None:
    """The year's salaries of the snapshot whose cells are `held` (cells.Cells), read once per process
    and snapshot; None without a year or once the snapshot is no longer held."""
    con = cells.connection_of(held)
    if year is None or con is None:
        return None
    return held.once(("salaries", int(year)), lambda: load(con, int(year)))


def picked(s: Salaries, unit: str, positions: tuple[str, ...] = (), employment_type: str | None = None) -> np.ndarray:
    """The rows (ascending, so sorted by salary) of `unit` with its sub-units, of the positions (empty:
    all) and the employment type (None: all): sql.in_units and sql.staff_filters."""
    c = s.columns
    inside = np.zeros(len(s.labels["unit"]) + 1, dtype=bool)
    inside[s.below.get(unit, np.zeros(0, dtype=np.int64))] = True
    keep = inside[c["unit"]]
    if positions:
        wanted = np.zeros(len(s.labels["position_category"]) + 2, dtype=bool)
        wanted[[s.code("position_category", p) for p in positions]] = True
        keep &= wanted[c["position_category"]]
    if employment_type is not None:
        keep &= c["employment_type"] == s.code("employment_type", employment_type)
    return np.flatnonzero(keep)


def segments(groups: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows in groups 0..n-1 (`groups`, one per row, the rows sorted by salary): the order that puts
    each group's rows together, still sorted by salary (a stable sort), each group's first place in
    that order and its size."""
    # a stable sort of small integers is numpy's radix sort: linear, 4x the speed of int64's merge sort
    small = np.int16 if n < 2**15 else np.int32 if n < 2**31 else np.int64
    order = np.argsort(groups.astype(small, copy=False), kind="stable")
    counts = np.bincount(groups, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if n else np.zeros(0, dtype=np.int64)
    return order, starts, counts


def quantile_cont(
    values: np.ndarray, starts: np.ndarray, counts: np.ndarray, q: float, fused: bool = True
) -> np.ndarray:
    """DuckDB's quantile_cont(x, q) (and median, q = 0.5) of each segment values[start:start + count],
    sorted ascending: at rank RN = (n - 1) q, with d = RN - floor(RN), lo the value at floor(RN) and
    hi the one at ceil(RN), lo x (1 - d) + hi x d (R's type 7), as DuckDB computes it for a DOUBLE
    (CastInterpolation::Interpolate), so the same double: its build on this machine fuses the first
    product with the sum into one rounding (an FMA; `fused`, which `interpolation_of` asks DuckDB).
    NaN for an empty segment (SQL's NULL). Check: 10, 20, 30, 40 at q = 0.1: RN 0.3, 10 x 0.7 + 20 x
    0.3 = 13."""
    out = np.full(len(counts), np.nan)
    has = counts > 0
    rn = (counts[has] - 1).astype(float) * q
    lo, hi = np.floor(rn), np.ceil(rn)
    first = starts[has]
    a, b = values[first + lo.astype(np.int64)], values[first + hi.astype(np.int64)]
    d = rn - lo
    mixed = fma(a, 1.0 - d, b * d) if fused else a * (1.0 - d) + b * d
    out[has] = np.where(lo == hi, a, mixed)
    return out


def fma(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """x * y + z rounded once (a fused multiply-add; numpy has none): the product split exactly into
    p + e (Dekker's TwoProduct), p + z into s + r (Knuth's TwoSum); where r + e is itself exact, s +
    (r + e) rounds the exact sum once; elsewhere (rare) the sum is made in fractions."""
    p, e = _two_product(x, y)
    s, r = _two_sum(p, z)
    w, rest = _two_sum(r, e)
    out = s + w
    for i in np.flatnonzero(rest != 0):
        out[i] = float(Fraction(float(x[i])) * Fraction(float(y[i])) + Fraction(float(z[i])))
    return out


_SPLIT = 134217729.0  # 2^27 + 1: Veltkamp's split of a double into two halves of 26 bits


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLIT * a
    high = c - (c - a)
    return high, a - high


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


# Two salaries whose interpolated 10th percentile differs with and without the fused multiply-add:
# 41 828.20 x 0.9 + 49 632.85 x 0.1 is 42 608.665 fused and 42 608.664999999994 in two roundings.
PROBE = "SELECT quantile_cont(x, 0.1) FROM (VALUES (41828.2::DOUBLE), (49632.85::DOUBLE)) v(x)"


def interpolation_of(con) -> bool:
    """Whether the DuckDB that `con` is of fuses its interpolation (`quantile_cont`'s `fused`)."""
    value = con.execute(PROBE).fetchone()[0]
    return value == float(fma(np.array([41828.2]), np.array([1.0 - 0.1]), np.array([49632.85 * 0.1]))[0])


def ntile(n: int, buckets: int) -> np.ndarray:
    """DuckDB's ntile(buckets) over n ordered rows: the bucket (1..) of each, the first n mod b buckets
    a row larger (at most n buckets). Check: 7 rows in 4: 1, 1, 2, 2, 3, 3, 4."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    b = min(buckets, n)
    size, large = divmod(n, b)
    row = np.arange(n)
    small_from = large * (size + 1)
    return np.where(row < small_from, 1 + row // (size + 1), 1 + large + (row - small_from) // max(size, 1))
