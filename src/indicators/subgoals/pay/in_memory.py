"""The pay tables' person-level figures from the year's salaries in memory (store/salaries.py): the
people `scope.pay_scope` counts, GENDER_PAY's sums, means and medians by gender, and the quartile bands,
each the same numbers and types as its query gives (tests/test_cells.py compares them on the demo).

Only the full-time monthly salary is held (gross annual and hourly pay join each person's pay components:
those tables keep their queries), and only a snapshot's year of one unit with its sub-units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...protect import arrays, privacy
from ...protect.registry import Filters
from ...store import cells, salaries
from ...store.schema import POSITION_CATEGORIES
from ..representation import ALL_POSITIONS
from .scope import DEFAULT_MEASURE, MEASURES, TWO


@dataclass(frozen=True)
class Picked:
    """The year's salaries and the rows of them a table counts."""

    year: int
    salaries: salaries.Salaries
    rows: np.ndarray

    def column(self, name: str) -> np.ndarray:
        return self.salaries.columns[name][self.rows]


def picked(held: cells.Cells, f: Filters) -> Picked | None:
    """pay_scope's people for `f` (one unit with its sub-units, the snapshot's year, one position or all,
    the employment type) in the monthly salary; None for another measure of pay, or no year."""
    if (f.pay if f.pay in MEASURES else DEFAULT_MEASURE) != DEFAULT_MEASURE:
        return None
    year = f.year if f.year is not None else held.latest_year()
    held_year = salaries.of(held, year)
    if held_year is None:
        return None
    positions = privacy.one_position_or_all(f.positions, f.exact)
    return Picked(int(year), held_year, salaries.picked(held_year, f.unit, positions, f.employment_type))


def gender_pay(p: Picked, groups: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """scope.GENDER_PAY for the picked rows in groups 0..n-1 (`groups`, one per row), in its order and
    types: women, their key and magnitude key sums, then men's; each gender's salary sum, largest and
    second largest salary (the largest again where two share it), mean and median (NaN where the
    gender has nobody, as SQL's NULL; counts 0)."""
    woman = p.column("woman")
    segment = groups * 2 + woman  # men of group i in segment 2i, women in 2i + 1
    order, starts, counts = salaries.segments(segment, 2 * n)
    pay = p.column("pay")
    sorted_pay = pay[order]
    whole = {name: np.bincount(segment, weights=p.column(name), minlength=2 * n) for name in ("rkey", "mkey")}
    total = np.bincount(segment, weights=pay, minlength=2 * n)
    out: dict[str, np.ndarray] = {}
    stats: dict[str, np.ndarray] = {}
    for g in TWO:
        at = np.arange(n) * 2 + (1 if g == "women" else 0)
        count, start = counts[at], starts[at]
        out[g] = count.astype(np.int64)
        out[f"{g}__ck"] = np.rint(whole["rkey"][at]).astype(np.int64)
        out[f"{g}__mk"] = np.rint(whole["mkey"][at]).astype(np.int64)
        last = start + count - 1
        stats[f"salary_{g}"] = np.where(count > 0, total[at], np.nan)
        stats[f"salary_{g}__max"] = np.where(count > 0, sorted_pay[np.maximum(last, 0)] if len(pay) else np.nan, np.nan)
        stats[f"salary_{g}__max2"] = np.where(
            count > 1, sorted_pay[np.maximum(last - 1, 0)] if len(pay) else np.nan, np.nan
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            stats[f"mean_{g}"] = np.where(count > 0, total[at] / count, np.nan)
        stats[f"median_{g}"] = salaries.quantile_cont(sorted_pay, start, count, 0.5, p.salaries.fused)
    for g in TWO:
        out.update({name: stats[name] for name in (f"salary_{g}", f"salary_{g}__max", f"salary_{g}__max2")})
    out.update({name: stats[name] for stat in ("mean", "median") for g in TWO for name in [f"{stat}_{g}"]})
    return out


def codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GROUP BY one column: its distinct values ascending (NaN, SQL's NULL, a group of its own, last)
    and each row's group. Codes (whole numbers from 0) by counting, other values by hashing: no sort
    of the rows."""
    if values.dtype.kind in "iu" and (len(values) == 0 or values.min() >= 0):
        present = np.bincount(values) > 0 if len(values) else np.zeros(0, dtype=bool)
        number = np.cumsum(present) - 1
        return np.flatnonzero(present), number[values] if len(values) else np.zeros(0, dtype=np.int64)
    groups, unique = pd.factorize(values, sort=True)
    if (groups < 0).any():  # NaN: its own group, last
        groups = np.where(groups < 0, len(unique), groups)
        unique = np.append(np.asarray(unique, dtype=float), np.nan)
    return np.asarray(unique), groups.astype(np.int64)


def pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GROUP BY two code columns (whole numbers from 0): the distinct pairs, ordered by the first then
    the second, and each row's group."""
    width = int(second.max()) + 1 if len(second) else 1
    unique, groups = codes(first.astype(np.int64) * width + second)
    return unique // width, unique % width, groups


def ordered(cols: dict[str, np.ndarray], by: list[str]) -> dict[str, np.ndarray]:
    """scope.in_order on columns: sorted by `by` (positions in career order, anything else by value,
    as pandas sorts text), stable, before any DataFrame is made (a pandas sort of a few rows of text
    costs 10 ms)."""
    rank = {p: i for i, p in enumerate((*POSITION_CATEGORIES, ALL_POSITIONS))}
    keys = []
    for name in reversed(by):
        values = np.asarray(cols[name], dtype=object)
        if name == "position":
            keys.append(np.array([rank.get(v, len(rank)) for v in values]))
        else:
            keys.append(pd.factorize(values, sort=True)[0])
    order = np.lexsort(keys) if keys and len(keys[0]) else np.zeros(0, dtype=np.int64)
    return {name: a[order] for name, a in cols.items()}


def frame(cols: dict[str, np.ndarray], f: Filters, after: str = "year") -> pd.DataFrame:
    """The table of columns with scope.measured's `pay_measure` after `after`, its text columns in
    DuckDB's string dtype (cells.text)."""
    measure = f.pay if f.pay in MEASURES else DEFAULT_MEASURE
    out = {}
    for name, a in cols.items():
        out[name] = cells.text(a) if a.dtype == object else a
        if name == after:
            out["pay_measure"] = pd.array(np.full(len(a), measure, dtype=object), dtype="str")  # as pandas fills it
    return arrays.frame(out)


def quartile_bands(p: Picked, f: Filters) -> pd.DataFrame:
    """`ranked_bands` of the people `f` picks, kept per year (Salaries.memo): pay_quartiles and
    pay_transparency show the same bands."""
    key = ("bands", f.unit, privacy.one_position_or_all(f.positions, f.exact), f.employment_type)
    return p.salaries.memo(key, lambda: ranked_bands(p)).copy()


def ranked_bands(p: Picked) -> pd.DataFrame:
    """quartiles.QUARTILE_BANDS in memory: the picked people ranked by pay, then their place among the
    women (or men) of the same pay, then person key, then gender, cut into four bands of whole persons
    (DuckDB's ntile), each band's women and men with their key sums beside the scope's women and men.
    No rows where nobody is picked (the query's WHERE)."""
    n = len(p.rows)
    if n == 0:
        return pd.DataFrame(
            {
                "quartile": np.zeros(0, dtype=np.int32),
                **{c: np.zeros(0, dtype=np.int64) for c in BAND_COLUMNS},
            }
        )
    pay, woman, rank, rkey = p.column("pay"), p.column("woman"), p.column("key_rank"), p.column("rkey")
    # the place of each among the same pay and gender: rows come sorted by pay, gender, person key
    new = np.r_[True, (pay[1:] != pay[:-1]) | (woman[1:] != woman[:-1])]
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    place = (np.arange(n) - starts[run] + 0.5) / np.diff(np.r_[starts, n])[run]
    order = np.lexsort((woman, rank, place, pay))
    band = np.empty(n, dtype=np.int64)
    band[order] = salaries.ntile(n, 4) - 1
    out = {"quartile": np.arange(1, 5, dtype=np.int32)}
    for name, hit in (("women", woman), ("men", ~woman), ("total", np.ones(n, dtype=bool))):
        out[name] = np.bincount(band[hit], minlength=4).astype(np.int64)
        out[f"{name}__ck"] = np.rint(np.bincount(band[hit], weights=rkey[hit], minlength=4)).astype(np.int64)
    out["scope_women"] = np.full(4, int(woman.sum()), dtype=np.int64)
    out["scope_men"] = np.full(4, int(n - woman.sum()), dtype=np.int64)
    return pd.DataFrame(out)


BAND_COLUMNS = ("women", "women__ck", "men", "men__ck", "total", "total__ck", "scope_women", "scope_men")
