"""A small table as a dict of column arrays: how the cell-key method and the indicators' derive steps
work on a table, with one DataFrame built at the end instead of a pandas operation per column.

Why: a pandas operation on a column (a selection, a set, a drop, a rename, a `where`) costs
20-250 microseconds whatever the number of rows (pandas 3, measured in docs/performance.md), and a
published table is ten to thirty rows: the version of privacy.publish that worked column by column on
DataFrames spent 5-20 ms a table on such operations and almost nothing on the numbers. Here a table is
`Columns`, a dict name -> numpy array (or a pandas extension array where the column is nullable or
text), in the table's order; numpy does the arithmetic; `frame` makes the DataFrame once.

`columns_of` and `frame` use two of pandas' own internals (DataFrame._get_column_array and
DataFrame._from_arrays, both in pandas since 1.x): through the public API (DataFrame.items, the
constructor from a dict) the same two steps cost 8-15 times as much, as they make a Series per column
and check and infer every array again. pandas is pinned (requirements.txt); tests/test_published_golden.py,
which compares every published table column type by column type, fails if either changes behaviour.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

Columns = dict


def columns_of(df: pd.DataFrame) -> Columns:
    """The DataFrame's columns as arrays (numpy where the dtype is numpy's, else the extension array),
    the arrays themselves, not copies: so that `frame` gives the same dtypes back. Never write into them."""
    return {name: df._get_column_array(i) for i, name in enumerate(df.columns.tolist())}


def frame(cols: Columns, index: pd.Index | None = None) -> pd.DataFrame:
    """The DataFrame of `columns_of`'s arrays, in their order and with their dtypes as they are (an
    object array stays objects: pandas' constructor would make a column of strings its string dtype)."""
    index = pd.RangeIndex(length(cols)) if index is None else index
    return pd.DataFrame._from_arrays(list(cols.values()), _names(tuple(cols)), index, verify_integrity=False)


@lru_cache(maxsize=4096)
def _names(names: tuple[str, ...]) -> pd.Index:
    """The columns' Index, made once per set of names: pandas infers its string dtype for 100-250
    microseconds each time, most of `frame`'s cost (241 of 297 us for 14 columns, measured), and a
    published table is framed three to five times. An Index is immutable (a frame that adds, drops or
    renames a column gets a new one), so frames can share it; none of ours sets its `.name`."""
    return pd.Index(list(names))


def length(cols: Columns) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def values(cols: Columns, name: str, missing: float = np.nan) -> np.ndarray:
    """A column as floats (a new array), missing values as `missing`; a column the table lacks is all
    `missing`. What `Series.to_numpy(dtype=float, na_value=missing)` gives."""
    if name not in cols:
        return np.full(length(cols), missing)
    a = cols[name]
    if isinstance(a, np.ndarray) and a.dtype.kind in "iub":
        return a.astype(float)
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        out = a.astype(float)
        if not np.isnan(missing):
            out[np.isnan(out)] = missing
        return out
    return (pd.array(a) if isinstance(a, np.ndarray) else a).to_numpy(dtype=float, na_value=missing)


def nullable_ints(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    """Int64 values with `missing` as NA (pd.array(..., dtype="Int64") checks and costs 25 times as much)."""
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), np.asarray(missing, dtype=bool))


def flags(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.BooleanArray:
    """A nullable boolean column ("boolean"), NA where `missing`."""
    values = np.asarray(values, dtype=bool)
    return pd.arrays.BooleanArray(
        values, np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    )


def ratio(numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """numerator / denominator × scale where the denominator is above 0, else NaN: pandas'
    `(a / b * scale).where(b > 0)` on float columns."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator * scale, np.nan)


def renamed(cols: Columns, names: dict[str, str]) -> Columns:
    """The columns with some renamed, in place in the order."""
    return {names.get(name, name): a for name, a in cols.items()}


def inserted(cols: Columns, position: int, name: str, array) -> Columns:
    """The columns with `name` inserted at `position` (DataFrame.insert)."""
    items = list(cols.items())
    items.insert(position, (name, array))
    return dict(items)


def constant(value, n: int):
    """A column of n times `value` with the dtype pandas gives `df[name] = value` (a scalar set on a
    DataFrame of n rows): int64 for a whole number, float64 for a float, its string dtype for text,
    objects for None and pd.NA. The same column, without a pandas set per column (new_professors set
    eight of them on every call)."""
    if value is None or value is pd.NA:
        return np.full(n, value, dtype=object)
    if isinstance(value, str):
        return pd.array(np.full(n, value, dtype=object), dtype="str")
    if isinstance(value, (bool, np.bool_)):
        return np.full(n, value, dtype=bool)
    if isinstance(value, (int, np.integer)):
        return np.full(n, value, dtype=np.int64)
    if isinstance(value, (float, np.floating)):
        return np.full(n, value, dtype=np.float64)
    raise TypeError(f"constant: no column of {type(value).__name__}")


def nullable_floats(values: np.ndarray) -> pd.arrays.FloatingArray:
    """A Float64 column of float `values`, NA where they are NaN: what pandas gives dividing two
    nullable integer columns and keeping the quotient `where` the divisor is above 0."""
    missing = np.isnan(values)
    return pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing)


def taken(cols: Columns, rows: np.ndarray) -> Columns:
    """The columns of some rows only (`rows`: a boolean mask or row numbers), in their order: a
    DataFrame's `df[mask]` or `df.take(rows)` on every column at once, without pandas."""
    rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows, dtype=np.int64)
    return {name: a[rows] for name, a in cols.items()}


def nullable(cols: Columns, *names: str) -> bool:
    """True when one of the columns is a pandas extension array (nullable Int64, Float64, boolean):
    pandas' arithmetic on it gives a nullable result, on numpy's alone a numpy one."""
    return any(not isinstance(cols[name], np.ndarray) for name in names if name in cols)


def quotient(cols: Columns, numerator: str, denominator: str, scale: float = 1.0):
    """numerator / denominator × scale where the denominator is above 0, else missing (`ratio`), with
    the dtype pandas gives `(df[a] / df[b] * scale).where(df[b] > 0)`: Float64 when either column is
    nullable, else float64."""
    q = ratio(values(cols, numerator), values(cols, denominator), scale)
    return nullable_floats(q) if nullable(cols, numerator, denominator) else q
