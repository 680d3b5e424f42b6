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


def _blank(df: pd.DataFrame, rows: pd.Series, columns: list[str]) -> None:
    for col in columns:
        if col not in df or not rows.any():
            continue
        if pd.api.types.is_bool_dtype(df[col]):
            df[col] = df[col].astype("boolean")
        elif pd.api.types.is_integer_dtype(df[col]):
            df[col] = df[col].astype("Int64")
        elif not (pd.api.types.is_float_dtype(df[col]) or df[col].dtype == object):
            df[col] = df[col].astype(object)
        df.loc[rows, col] = pd.NA if df[col].dtype != float else float("nan")


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
    n = out[counts].fillna(0)
    main = [c for c in counts if c != OTHER]
    if spec.every_gender:
        small = (n[[c for c in counts if c in ("women", "men")]] < k).any(axis=1)
    else:
        small = ((n[main] > 0) & (n[main] < k)).any(axis=1)
    total = out[spec.total].fillna(0) if spec.total and spec.total in out else n.sum(axis=1)
    small |= (total > 0) & (total < k)
    if spec.total and spec.total in out:
        # A group the table does not show is still there as the total minus the counts it does show
        # (a total beside one gender's count gives the other gender's), so it must be k or none too.
        rest = total - n.sum(axis=1)
        small |= (rest > 0) & (rest < k)
    if "suppressed" in out:
        # The indicator's own stricter rule (e.g. pay's complementary suppression across the margins
        # of its table) already hid these rows; they stay hidden, so suppressing twice changes nothing.
        small |= out["suppressed"].astype("boolean").fillna(True).astype(bool)
    if spec.partition:
        small = _complementary(out, small, total, list(spec.partition))
    other_hidden = pd.Series(False, index=out.index)
    if OTHER in counts and not spec.every_gender:
        other_hidden = (n[OTHER] > 0) & (n[OTHER] < k) & ~small
        if spec.partition:
            already = small | out[OTHER].isna()
            other_hidden = _complementary_other(out, already, other_hidden, n[OTHER], list(spec.partition))
    _blank(out, small, counts + [c for c in spec.hide if c in out])
    if spec.total and spec.total in out:
        _blank(out, small & (total < k), [spec.total])
    tied_to_other = [OTHER, spec.total] + [c for c in spec.hide if c == "total" or c.endswith(("_other", "_total"))]
    _blank(out, other_hidden, [c for c in tied_to_other if c and c in out])
    out["suppressed"] = small.astype(bool)
    return out


OTHER = "other"


def _complementary(df: pd.DataFrame, hidden: pd.Series, total: pd.Series, partition: list[str]) -> pd.Series:
    hidden = hidden.copy()
    for _, group in hidden.groupby([df[c] for c in partition], dropna=False, sort=False):
        idx = group.index
        if group.sum() == 1 and len(group) > 1:
            candidates = total.loc[idx][~group]
            hidden.loc[candidates.idxmin()] = True
    return hidden


def _complementary_other(df, already: pd.Series, other_hidden: pd.Series, other: pd.Series,
                         partition: list[str]) -> pd.Series:
    """A lone hidden other/unknown count in a partition could be worked out from the 'all' row minus
    the rest: hide the other count (and total) of one more row, the one with the fewest such people."""
    other_hidden = other_hidden.copy()
    blank = already | other_hidden
    for _, group in blank.groupby([df[c] for c in partition], dropna=False, sort=False):
        if group.sum() == 1 and len(group) > 1 and other_hidden.loc[group.index].any():
            candidates = other.loc[group.index][~group]
            positive = candidates[candidates > 0]
            other_hidden.loc[(positive if len(positive) else candidates).idxmin()] = True
    return other_hidden
