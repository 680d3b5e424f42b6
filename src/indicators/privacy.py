"""Privacy by construction: pseudonymised person keys, and suppression of small groups.

Two rules from DESIGN.md live here and nowhere else:

1. A raw person id (employee number or personnummer) never reaches the database. At import it is
   replaced by HMAC-SHA-256 under a secret key kept in a file beside the database (created on the
   first import with owner-only permissions, never committed). The same person gets the same key
   every year, so people can be followed over time, but the key cannot be turned back into the id
   without the secret.
2. No number that rests on fewer than k persons leaves the package, nor a number from which a hidden
   one could be worked out again (Statistics Sweden's practice of primary and secondary, or
   complementary, suppression).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


class KeyMissing(Exception):
    """Data exist but the pseudonymisation key is gone: a new key would split every person in two."""


def key_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.key")


def load_key(db_path: str | Path, data_exist: bool) -> bytes:
    path = key_path(db_path)
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    if data_exist:
        raise KeyMissing(
            f"the pseudonymisation key {path} is missing but the database already holds staff data; "
            "restore the key from your backup (a new key would make every person a stranger to last year)")
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key


def pseudonymise(ids: pd.Series, key: bytes) -> pd.Series:
    """HMAC-SHA-256 of each id, 128 bits as hex. Missing ids stay missing."""
    keyed = hmac.new(key, digestmod=hashlib.sha256)  # copying a keyed state skips re-keying per id

    def one(v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v == "":
            return None
        h = keyed.copy()
        h.update(str(v).encode("utf-8"))
        return h.hexdigest()[:32]
    return pd.Series([one(v) for v in ids], index=ids.index, dtype=object)


def pseudonymise_sql(column: str, key: bytes) -> tuple[str, list[bytes]]:
    """The same HMAC-SHA-256 as `pseudonymise`, as a DuckDB expression and its parameters
    (RFC 2104: H((K xor opad) || H((K xor ipad) || m))), so a million ids hash inside the database
    engine instead of one Python call each. `column` is a trusted column name, never user input."""
    padded = key.ljust(64, b"\0")  # SHA-256's block size; our keys are 32 bytes
    ipad = bytes(b ^ 0x36 for b in padded)
    opad = bytes(b ^ 0x5C for b in padded)
    expr = (f"CASE WHEN {column} IS NULL OR {column} = '' THEN NULL ELSE "
            f"substr(sha256(?::BLOB || unhex(sha256(?::BLOB || encode({column}::VARCHAR)))), 1, 32) END")
    return expr, [opad, ipad]


# --- suppression ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Suppression:
    """How one indicator's table is suppressed.

    counts: columns of persons per gender; total: their sum (shown when it alone is at least k);
    hide: further columns computed from the counts (shares, FTE, intervals, salaries) hidden with
    them; partition: the columns that identify rows adding up to a total shown elsewhere (e.g. year
    and unit for a table by position), within which a lone hidden row is paired with another;
    every_gender: pay figures need k women and k men, so zero is as small as one.
    k_setting: the goals.toml [privacy] key that gives k.
    """

    counts: tuple[str, ...] = ("women", "men", "other")
    total: str | None = "total"
    hide: tuple[str, ...] = ()
    partition: tuple[str, ...] = ()
    every_gender: bool = False
    k_setting: str = "k"


def _blank(df: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> None:
    """Set the cells of `rows` (a boolean array) in `columns` to missing, widening the dtype to hold it:
    booleans and integers become nullable, floats get NaN, anything else becomes objects with pd.NA."""
    if not rows.any():
        return
    for col in columns:
        if col not in df:
            continue
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            s = s.astype("boolean")
        elif pd.api.types.is_integer_dtype(s):
            s = s.astype("Int64")
        if isinstance(s.dtype, np.dtype) and s.dtype.kind == "f":
            values = s.to_numpy(dtype=float, copy=True)
            values[rows] = np.nan
        elif isinstance(s.dtype, (pd.BooleanDtype, pd.Int64Dtype)):
            values = s.array.copy()
            values[rows] = pd.NA
        else:
            values = s.to_numpy(dtype=object, copy=True)
            values[rows] = pd.NA
        df[col] = pd.Series(values, index=df.index, dtype=values.dtype)


def suppress(df: pd.DataFrame, spec: Suppression, k: int) -> pd.DataFrame:
    """Return a copy with small groups hidden and a boolean column `suppressed`.

    Primary: a row is hidden when a count of women or men is between 1 and k-1 (with every_gender,
    below k including 0), or its total is below k, or the total minus the counts shown (a group the
    table leaves out, such as the men beside a women-and-total table) is between 1 and k-1.
    A small count of other/unknown gender hides only that count and the row's total (from which it
    could be worked out), not the women and men beside it: three people recorded as "X" must not
    blank a whole university's doctoral students.
    Secondary: within a partition, a row hidden alone could be worked out from the total shown
    elsewhere, so the smallest other row is hidden too; likewise a lone hidden other/total cell.
    A row that arrives with `suppressed` true (set by the indicator's own rule) stays hidden.
    """
    out = df.copy()
    counts = [c for c in spec.counts if c in out]
    if out.empty:
        out["suppressed"] = pd.Series(dtype=bool)
        return out
    # Plain arrays, not DataFrame arithmetic: a page runs this once per table, on tables of a few rows.
    rows = len(out)
    n = {c: out[c].to_numpy(dtype=float, na_value=0.0) for c in counts}
    counted = sum(n.values(), np.zeros(rows))
    main = [c for c in counts if c != OTHER]
    small = np.zeros(rows, dtype=bool)
    if spec.every_gender:
        for c in counts:
            if c in ("women", "men"):
                small |= n[c] < k
    else:
        for c in main:
            small |= (n[c] > 0) & (n[c] < k)
    has_total = bool(spec.total) and spec.total in out
    total = out[spec.total].to_numpy(dtype=float, na_value=0.0) if has_total else counted
    small |= (total > 0) & (total < k)
    if has_total:
        # A group the table does not show is still there as the total minus the counts it does show
        # (a total beside one gender's count gives the other gender's), so it must be k or none too.
        rest = total - counted
        small |= (rest > 0) & (rest < k)
    if "suppressed" in out:
        # The indicator's own stricter rule (e.g. pay's complementary suppression across the margins
        # of its table) already hid these rows; they stay hidden, so suppressing twice changes nothing.
        small |= out["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    groups = _groups(out, list(spec.partition)) if spec.partition else []
    small = _complementary(small, total, groups)
    other_hidden = np.zeros(rows, dtype=bool)
    if OTHER in counts and not spec.every_gender:
        other = n[OTHER]
        other_hidden = (other > 0) & (other < k) & ~small
        already = small | out[OTHER].isna().to_numpy(dtype=bool)
        other_hidden = _complementary_other(already, other_hidden, other, groups)
    _blank(out, small, counts + [c for c in spec.hide if c in out])
    if has_total:
        _blank(out, small & (total < k), [spec.total])
    tied_to_other = [OTHER, spec.total] + [c for c in spec.hide if c == "total" or c.endswith(("_other", "_total"))]
    _blank(out, other_hidden, [c for c in tied_to_other if c and c in out])
    out["suppressed"] = small
    return out


OTHER = "other"


def _groups(df: pd.DataFrame, partition: list[str]) -> list[np.ndarray]:
    """The row positions of each partition, in order of first appearance (missing values form groups too)."""
    codes = df.groupby(partition, dropna=False, sort=False).ngroup().to_numpy()
    return [np.flatnonzero(codes == g) for g in range(codes.max() + 1)] if len(codes) else []


def _complementary(hidden: np.ndarray, total: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Within each partition, a row hidden alone could be worked out from the total shown elsewhere:
    hide the smallest other row (by total; the first of equals) too."""
    hidden = hidden.copy()
    for idx in groups:
        alone = hidden[idx]
        if alone.sum() == 1 and len(idx) > 1:
            candidates = idx[~alone]
            hidden[candidates[np.argmin(total[candidates])]] = True
    return hidden


def _complementary_other(already: np.ndarray, other_hidden: np.ndarray, other: np.ndarray,
                         groups: list[np.ndarray]) -> np.ndarray:
    """A lone hidden other/unknown count in a partition could be worked out from the 'all' row minus
    the rest: hide the other count (and total) of one more row, the one with the fewest such people."""
    other_hidden = other_hidden.copy()
    blank = already | other_hidden
    for idx in groups:
        if blank[idx].sum() == 1 and len(idx) > 1 and other_hidden[idx].any():
            candidates = idx[~blank[idx]]
            positive = candidates[other[candidates] > 0]
            pool = positive if len(positive) else candidates
            other_hidden[pool[np.argmin(other[pool])]] = True
    return other_hidden
