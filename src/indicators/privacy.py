"""Privacy by construction: pseudonymised person keys, record keys, and the cell-key method.

Three rules live here and nowhere else:

1. A raw person id (employee number or personnummer) never reaches the database. At import it is
   replaced by HMAC-SHA-256 under a secret key kept in a file beside the database (created on the
   first import with owner-only permissions, never committed). The same person gets the same key
   every year, so people can be followed over time, but the key cannot be turned back into the id
   without the secret.
2. Every record carries a permanent *record key*, an integer 0-255 (`record_key_sql`): for a person
   an HMAC of their pseudonym under the same secret (so it is the same across years and re-imports and
   cannot be worked out from anything stored beside it), for an aggregated row (students, leave,
   incidents, recruitment) an HMAC of the row's identity (kind, year, unit, gender, ...).
3. No figure leaves the package exactly as it was counted, unless the user is allowed exact figures
   (`exact`). Every published count is perturbed by the cell-key method (ONS, ABS TableBuilder,
   Statistics Sweden from reference year 2025): a cell's key is the sum of its records' keys modulo
   256, and the documented p-table (`PTABLE`) turns (count, cell key) into a noise of at most ±2.
   Magnitudes (salary sums, days, FTE) get a noise of 25-50 % of the cell's largest contribution
   from the same key (the ABS's rule for magnitude tables; goals.toml [privacy] magnitude_noise). The same people therefore always give the same
   published number, in every view, and the difference of two views is noise rather than a person.
   Primary suppression then hides what rests on fewer than k persons (true or published count), and
   shares, rates, gaps and intervals are computed from the published counts and sums (`publish`).
   Secondary (complementary) suppression is no longer needed: it protected one table's margins, but
   a free choice of units, years and positions makes new margins that no single table knows of.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

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
            f"the pseudonymisation key {path} is missing but the database already holds data; "
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


def _hmac_sql(message: str) -> str:
    """HMAC-SHA-256 of a VARCHAR expression as hex, RFC 2104: H((K xor opad) || H((K xor ipad) || m));
    its two parameters are `_pads(key)`."""
    return f"sha256(?::BLOB || unhex(sha256(?::BLOB || encode({message}))))"


def _pads(key: bytes) -> list[bytes]:
    padded = key.ljust(64, b"\0")  # SHA-256's block size; our keys are 32 bytes
    return [bytes(b ^ 0x5C for b in padded), bytes(b ^ 0x36 for b in padded)]


def pseudonymise_sql(column: str, key: bytes) -> tuple[str, list[bytes]]:
    """The same HMAC-SHA-256 as `pseudonymise`, as a DuckDB expression and its parameters, so a
    million ids hash inside the database engine instead of one Python call each. `column` is a
    trusted column name, never user input."""
    expr = (f"CASE WHEN {column} IS NULL OR {column} = '' THEN NULL ELSE "
            f"substr({_hmac_sql(f'{column}::VARCHAR')}, 1, 32) END")
    return expr, _pads(key)


# --- record keys and the p-table -------------------------------------------------------------------

KEY_RANGE = 256  # record and cell keys are 0..255, as in the ONS cell-key package
RECORD_KEY_PREFIX = "balans-record-key|"


def record_key_sql(message: str, key: bytes) -> tuple[str, list[bytes]]:
    """A record key 0..255: the first byte of HMAC-SHA-256(key, prefix || message), as a DuckDB
    expression and its parameters. `message` is a trusted SQL expression (a column list joined by
    '|'), never user input. For a person the message is their pseudonym, so the key is permanent."""
    expr = f"('0x' || substr({_hmac_sql(repr(RECORD_KEY_PREFIX) + ' || ' + message)}, 1, 2))::SMALLINT"
    return expr, _pads(key)


def record_key(message: str, key: bytes) -> int:
    """`record_key_sql` in Python (tests, and checking the SQL)."""
    return hmac.new(key, (RECORD_KEY_PREFIX + message).encode("utf-8"), hashlib.sha256).digest()[0]


# The p-table: the noise a count gets, by the slot its cell key falls in. Of the 256 slots, 26 give
# -2, 51 give -1, 102 give 0, 51 give +1 and 26 give +2: unbiased, variance (2·26·4 + 2·51) / 256 ≈ 1.21,
# never more than ±2 (the bound a published count keeps from the true one). Each count has a row of
# its own (the ONS's p-table has a row per count; counts above 750 reuse rows 501-750, as there), and
# within a row the slot is a fixed pseudo-random function of the cell key (`_mix`), so that a cell
# and the same cell with one more person (key + r, count + 1) get unrelated noise whoever that
# person is: were the slot a straight line in the key, a person's own key would decide the difference.
NOISE_BY_SLOT = np.repeat(np.array([-2, -1, 0, 1, 2]), [26, 51, 102, 51, 26])
MAX_NOISE = 2


def _mix(x: np.ndarray, salt: int) -> np.ndarray:
    """A fixed pseudo-random function of non-negative integers, 0..2^64-1 (SplitMix64's finaliser,
    Steele, Lea and Flood 2014): neighbouring inputs give unrelated outputs. Vectorised, no state."""
    z = (np.asarray(x, dtype=np.uint64) + np.uint64(salt)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


COUNT_SALT = 0x636F756E74  # "count"
MAGNITUDE_SALT = 0x6D61676E  # "magn"


def ptable_summary() -> tuple[list[int], list[float]]:
    """The p-table's noise values and the share of cell keys that gets each (the Method page)."""
    values, slots = np.unique(NOISE_BY_SLOT, return_counts=True)
    return [int(v) for v in values], [float(c) / KEY_RANGE for c in slots]


def ptable_row(n: np.ndarray) -> np.ndarray:
    """The p-table's row for a count (the ONS's 'pcv'): the count itself up to 750, then 501-750 again."""
    n = np.asarray(n, dtype=np.int64)
    return np.where(n <= 750, n, (n - 1) % 250 + 501)


def _permutations(rows: int, salt: int) -> np.ndarray:
    """One pseudo-random permutation of the 256 keys per row: the order of _mix over (row, key)."""
    keys = np.arange(rows, dtype=np.uint64)[:, None] * np.uint64(KEY_RANGE) + np.arange(KEY_RANGE, dtype=np.uint64)
    return np.argsort(_mix(keys, salt), axis=1, kind="stable")


# PTABLE[row, key]: the noise of a count whose p-table row is `row` and whose cell key is `key`. Every
# row holds each noise exactly as often as NOISE_BY_SLOT does, so every count is perturbed without bias.
PTABLE = NOISE_BY_SLOT[_permutations(751, COUNT_SALT)].astype(np.int8)
MAGNITUDE_SLOT = _permutations(1, MAGNITUDE_SALT)[0]


def count_noise(n, cell_key) -> np.ndarray:
    """The p-table's noise for true counts n with cell keys (any integers; taken modulo 256)."""
    row = ptable_row(n)
    key = np.asarray(cell_key, dtype=np.int64) % KEY_RANGE
    return PTABLE[row, key].astype(np.int64)


def perturb_counts(n, cell_key) -> np.ndarray:
    """Published counts: n + noise, zero stays zero and a count of people never falls below one."""
    n = np.rint(np.asarray(n, dtype=float)).astype(np.int64)
    return np.where(n > 0, np.maximum(1, n + count_noise(n, cell_key)), 0)


def magnitude_direction(cell_key) -> np.ndarray:
    """A magnitude's noise as a fraction of its largest contribution, before the factor m: ±0.5..±1,
    a fixed pseudo-random function of the cell key (another salt than the count's, so it is not the
    count's noise); never near zero, so that a difference of two cells is never their exact difference."""
    s = MAGNITUDE_SLOT[np.asarray(cell_key, dtype=np.int64) % KEY_RANGE]
    return np.where(s < 128, 1.0, -1.0) * (0.5 + 0.5 * (s % 128) / 127)


def perturb_magnitudes(total, largest, cell_key, m: float) -> np.ndarray:
    """Published sums (ABS TableBuilder's magnitude perturbation with one top contributor):
    S' = S + m · x_max · u(key), |u| in [0.5, 1]; zero stays zero. For non-negative data x_max <= S, so
    with m < 1 a positive sum stays positive."""
    total = np.asarray(total, dtype=float)
    largest = np.nan_to_num(np.asarray(largest, dtype=float))
    noisy = total + m * largest * magnitude_direction(cell_key)
    return np.where((total == 0) | np.isnan(total), total, noisy)


def magnitude_noise() -> float:
    from . import settings
    return float(settings.goals()["privacy"].get("magnitude_noise", 0.5))


# --- what an indicator declares ------------------------------------------------------------------

KEY = "__ck"       # suffix: the sum of the record keys of a count's records (the base table gives it)
LARGEST = "__max"  # suffix: a magnitude's largest single contribution
OTHER = "other"


@dataclass(frozen=True)
class Suppression:
    """Primary suppression of a row, on the true and on the published counts alike.

    counts: columns of persons per gender; total: their sum (shown when it alone is at least k);
    hide: further columns computed from the counts (shares, FTE, intervals, salaries) hidden with
    them; every_gender: pay figures need k women and k men, so zero is as small as one;
    k_setting: the goals.toml [privacy] key that gives k.
    """

    counts: tuple[str, ...] = ("women", "men", "other")
    total: str | None = "total"
    hide: tuple[str, ...] = ()
    every_gender: bool = False
    k_setting: str = "k"
    partition: tuple[str, ...] = ()  # transition only: complementary suppression is gone (see the module)


@dataclass(frozen=True)
class CellRule:
    """Cells hidden where a count behind them is small: `hide` is blanked in every row where one of
    `counts` (true or published) is from 1 to k-1 (with every: below k, zero included). For
    numerators and denominators that are not the row's own counts (survey respondents and the
    exposed among them; long-term sick cases)."""

    counts: tuple[str, ...]
    hide: tuple[str, ...]
    k_setting: str = "k"
    every: bool = False


@dataclass(frozen=True)
class Protection:
    """How one indicator's table is protected.

    The indicator's function returns its *base* table: the counts, with a column `<count>__ck` (the
    sum of the record keys of the records counted) beside each, and the magnitudes with their
    `<magnitude>__max` (largest single contribution). `publish` perturbs them, then:

    counts: count column -> the measure it counts ("people", "registered", "cases", ...). Two columns
        of the same measure over the same records get the same noise, on every page.
    magnitudes: magnitude column -> the count column whose records it sums (its cell key).
    scaled: column -> magnitude or count column: a mean or median moved by the same factor S'/S as
        that sum (a mean is S'/n with the true n, not S'/n': with pay groups of 5 to 50 people a count
        moved by 2 would move a mean by up to 40 %, and neither S nor n is shown to check it against);
        or a figure that follows a head count, moved by n'/n (available days are FTE × 365: as a sum
        of their own, next to a perturbed head count of full-timers, they would give the true count).
    derive(df, filters): the columns computed from counts and sums (shares, intervals, rates, gaps,
        flags), run on the published figures, or on the exact ones.
    rows: the primary suppression of a row (None: none); cells: further cell rules.
    derive must keep the rows in place (same order and number): the rules compare them with the true ones.
    after(df, filters): what is computed across rows once hidden rows are blank (a change since
        last year must not give a hidden share back).
    inherited: the table is built from tables already published (registry.compute of another
        indicator): nothing more to perturb; rows and cells still apply.
    """

    counts: Mapping[str, str] = field(default_factory=dict)
    magnitudes: Mapping[str, str] = field(default_factory=dict)
    scaled: Mapping[str, str] = field(default_factory=dict)
    derive: Callable | None = None
    rows: Suppression | None = field(default_factory=Suppression)
    cells: tuple[CellRule, ...] = ()
    after: Callable | None = None
    inherited: bool = False

    @property
    def k_setting(self) -> str:
        return self.rows.k_setting if self.rows is not None else "k"


def _helpers(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c.endswith((KEY, LARGEST))]


def threshold(spec: Protection, column: str) -> int:
    """The k that a count column is held to: its row rule's, a cell rule's that names it, else k."""
    from . import settings
    if spec.rows is not None and (column in spec.rows.counts or column == spec.rows.total):
        return settings.k_anonymity(spec.rows.k_setting)
    for rule in spec.cells:
        if column in rule.counts:
            return settings.k_anonymity(rule.k_setting)
    return settings.k_anonymity()


def thresholds() -> list[int]:
    """Every k of goals.toml [privacy]: the thresholds that no count may be published across."""
    from . import settings
    privacy = settings.goals()["privacy"]
    return sorted({int(v) for name, v in privacy.items() if name == "k" or name.startswith("k_")})


def floor_at_thresholds(true: np.ndarray, published: np.ndarray) -> np.ndarray:
    """A count at or above a threshold is never published below it, for every threshold at once: the
    same people counted on the Health page (k = 10) and on the Representation page (k = 5) are then
    published as the same number, whatever the page's own k."""
    out = np.asarray(published).copy()
    for k in thresholds():
        out = np.where(true >= k, np.maximum(out, k), out)
    return out


def perturb(base: pd.DataFrame, spec: Protection) -> pd.DataFrame:
    """The base table with every declared count and magnitude published (noise from its cell key).

    A count of at least k is never published below k (the p-table's threshold, as the ONS's p-tables
    keep a cell from crossing it): so hiding by the true count and hiding by the published count are
    the same, and no count below k is ever shown."""
    out = base.copy()
    m = magnitude_noise()
    for col, measure in spec.counts.items():
        if col not in out:
            continue
        key = out[col + KEY].to_numpy(dtype=float, na_value=0.0).astype(np.int64) + _measure_shift(measure)
        true = out[col].to_numpy(dtype=float, na_value=np.nan)
        published = floor_at_thresholds(np.nan_to_num(true), perturb_counts(np.nan_to_num(true), key)).astype(float)
        published[np.isnan(true)] = np.nan
        out[col] = published.astype(np.int64) if not np.isnan(published).any() else pd.array(published, dtype="Int64")
        for scaled, basis in spec.scaled.items():  # a figure that follows its head count
            if basis == col and scaled in out:
                with np.errstate(divide="ignore", invalid="ignore"):
                    factor = np.where(np.nan_to_num(true) > 0, published / true, 1.0)
                out[scaled] = out[scaled].to_numpy(dtype=float, na_value=np.nan) * factor
    for col, count in spec.magnitudes.items():
        if col not in out:
            continue
        key = out[count + KEY].to_numpy(dtype=float, na_value=0.0).astype(np.int64)
        before = out[col].to_numpy(dtype=float, na_value=np.nan)
        after = perturb_magnitudes(before, out[col + LARGEST].to_numpy(dtype=float, na_value=0.0), key, m)
        # A published sum carries no more digits than its data had (whole days, or hundredths of FTE):
        # more would only be noise printed out. Decided cell by cell, so a cell reads the same in any table.
        after = np.where(before % 1 == 0, np.round(after, 0), np.round(after, 2))
        out[col] = after
        for scaled, magnitude in spec.scaled.items():
            if magnitude == col and scaled in out:
                with np.errstate(divide="ignore", invalid="ignore"):
                    factor = np.where(before > 0, after / before, 1.0)
                out[scaled] = out[scaled].to_numpy(dtype=float, na_value=np.nan) * factor
    return out


def _measure_shift(measure: str) -> int:
    """A fixed offset of the cell key per measure (the first byte of its SHA-256): the registered
    students and the degrees of the same rows are different counts and must not share their noise."""
    return hashlib.sha256(measure.encode()).digest()[0]


def measure_offset(measure: str, declared: str) -> int:
    """What to add to a cell key so that a count declared in `Protection.counts` as counting `declared`
    gets the noise of `measure` instead.

    Some tables count a different measure in each row of one column (registered students, new entrants
    and degrees; the funnel's applicants, shortlisted, offered and appointed; a population of staff or
    of students). perturb adds shift(declared) to the key of every row (the first byte of the
    measure's SHA-256, _measure_shift); adding (shift(measure) - shift(declared)) mod 256 here
    makes it shift(measure), so that the 12 women graduates of a programme get the same noise in every
    table that counts them as degrees, and not the noise of its 12 registered women."""
    return (_measure_shift(measure) - _measure_shift(declared)) % KEY_RANGE


def measure_offset_sql(column: str, measures, declared: str) -> str:
    """`measure_offset` per row, as SQL over a column that names the row's measure (trusted names)."""
    whens = " ".join(f"WHEN '{m}' THEN {measure_offset(m, declared)}" for m in measures)
    return f"(CASE {column} {whens} END)"


def _blank(df: pd.DataFrame, rows: np.ndarray, columns) -> None:
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


def _small_rows(df: pd.DataFrame, spec: Suppression, k: int, adds_up: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(rows to hide, rows whose other/unknown count alone is to hide) by the primary rule.

    A row is hidden when a count of women or men is between 1 and k-1 (with every_gender, below k
    including 0), or its total is below k, or the total minus the counts shown (a group the table
    leaves out, such as the men beside a women-and-total table) is between 1 and k-1.
    A small count of other/unknown gender hides only that count and the row's total (from which it
    could be worked out), not the women and men beside it: three people recorded as "X" must not
    blank a whole university's doctoral students.
    """
    rows = len(df)
    counts = [c for c in spec.counts if c in df]
    n = {c: df[c].to_numpy(dtype=float, na_value=0.0) for c in counts}
    counted = sum(n.values(), np.zeros(rows))
    small = np.zeros(rows, dtype=bool)
    for c in counts:
        if c == OTHER:
            continue
        small |= (n[c] < k) if (spec.every_gender and c in ("women", "men")) else ((n[c] > 0) & (n[c] < k))
    has_total = bool(spec.total) and spec.total in df
    total = df[spec.total].to_numpy(dtype=float, na_value=0.0) if has_total else counted
    small |= (total > 0) & (total < k)
    if has_total and adds_up:  # published counts do not add up: the rest is read from the true ones
        rest = total - counted
        small |= (rest > 0.5) & (rest < k)
    other = np.zeros(rows, dtype=bool)
    if OTHER in counts and not spec.every_gender:
        other = (n[OTHER] > 0) & (n[OTHER] < k)
    return small, other


def suppress(df: pd.DataFrame, spec: Suppression, k: int, true: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy with small groups hidden and a boolean column `suppressed`.

    The rule (`_small_rows`) is applied to the published counts and, when given, to the true ones
    (`true`, the same rows before perturbation): a group is hidden when either is small, so no
    published figure rests on fewer than k persons and none below k is ever shown. A row that
    arrives with `suppressed` true stays hidden.
    """
    out = df.copy()
    if out.empty:
        out["suppressed"] = pd.Series(dtype=bool)
        return out
    small, other = _small_rows(out, spec, k, adds_up=true is None)
    if true is not None:
        small_t, other_t = _small_rows(true, spec, k)
        small, other = small | small_t, other | other_t
    if "suppressed" in out:
        small |= out["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    counts = [c for c in spec.counts if c in out]
    _blank(out, small, counts + [c for c in spec.hide if c in out])
    if spec.total and spec.total in out:
        total = out[spec.total].to_numpy(dtype=float, na_value=0.0)
        _blank(out, small & (total < k), [spec.total])
    other &= ~small
    tied = [OTHER, spec.total] + [c for c in spec.hide if c == "total" or c.endswith(("_other", "_total"))]
    _blank(out, other, [c for c in tied if c and c in out])
    out["suppressed"] = small
    return out


def _cells(df: pd.DataFrame, true: pd.DataFrame | None, rule: CellRule, k: int) -> None:
    hidden = np.zeros(len(df), dtype=bool)
    for frame in (df, true):
        if frame is None:
            continue
        for c in rule.counts:
            if c in frame:
                n = frame[c].to_numpy(dtype=float, na_value=np.nan)
                small = (np.nan_to_num(n, nan=0.0) < k) if rule.every else ((n > 0) & (n < k))
                hidden |= small
    _blank(df, hidden, rule.hide)


def publish(base: pd.DataFrame, spec: Protection | None, filters, exact: bool = False) -> pd.DataFrame:
    """The table as it leaves the package: perturbed, derived, suppressed; or, for those allowed
    exact figures, derived from the true counts with nothing hidden (`suppressed` all false)."""
    if spec is None:
        return base
    from . import settings
    if exact:
        out = base.drop(columns=_helpers(base))
        if spec.derive is not None:
            out = spec.derive(out, filters)
        out["suppressed"] = False
        if spec.after is not None:
            out = spec.after(out, filters)
        return out
    true = base.drop(columns=_helpers(base))
    out = base if spec.inherited else perturb(base, spec)
    out = out.drop(columns=_helpers(out))
    if spec.derive is not None:
        out = spec.derive(out, filters)
    if spec.rows is not None:
        out = suppress(out, spec.rows, settings.k_anonymity(spec.rows.k_setting), true=true)
    elif "suppressed" not in out:
        out["suppressed"] = False
    for rule in spec.cells:
        _cells(out, true, rule, settings.k_anonymity(rule.k_setting))
    if spec.after is not None:
        out = spec.after(out, filters)
    return out
