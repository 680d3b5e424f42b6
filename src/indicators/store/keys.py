"""The secret key, the pseudonyms and the record keys: what the import writes so that no raw id reaches
the database and every record carries the keys of the cell-key method (protect/privacy.py, rules 1
and 2: read its docstring for why). Here, on the store's floor, because the import computes them as it
writes; the cell-key method above reads them (privacy names each of them too).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from contextlib import suppress
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import scans


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
            "restore the key from your backup (a new key would make every person a stranger to last year)"
        )
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
    expr = (
        f"CASE WHEN {column} IS NULL OR {column} = '' THEN NULL ELSE "
        f"substr({_hmac_sql(f'{column}::VARCHAR')}, 1, 32) END"
    )
    return expr, _pads(key)


def pseudonyms(con, ids: pd.Series, key: bytes) -> pd.Series:
    """`pseudonymise_sql` of every id, computed once per distinct id (in the database engine) and
    spread back over the rows: a file of ten years holds each person about five times, and hashing
    every row took three times as long (docs/performance.md, "Step 3, second pass: CPU time under
    load"). The same values as `pseudonymise`; missing ids stay missing. `con` is the writer's: the
    distinct ids are registered on it only for this query, never stored."""
    codes, distinct = pd.factorize(ids)  # a missing id is code -1
    frame = pd.DataFrame({"n": np.arange(len(distinct)), "person_id": pd.array(distinct, dtype="str")})
    expr, params = pseudonymise_sql("person_id", key)
    con.register("incoming_ids", scans.batched(frame))  # hashed on every thread
    try:
        hashed = con.sql(f"SELECT {expr} FROM incoming_ids ORDER BY n", params=params).to_arrow_table().column(0)
    finally:
        # in an aborted transaction unregistering fails too: the error that aborted it is the one to
        # report (database.import_sheets names the sheet); a registration left so dies with the
        # writer's connection, which writer.writing closes after the import
        with suppress(duckdb.TransactionException):
            con.unregister("incoming_ids")
    # Spread over the rows in Arrow (a missing code is a missing index, so a missing pseudonym), into
    # pandas' own text type (Arrow's large string) without a Python string per row: a third less CPU
    # than numpy's object array and pandas' conversion, the same values (docs/performance.md,
    # "The import's store stages").
    rows = hashed.cast(pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(rows, index=ids.index, dtype="str")


# --- record keys ---------------------------------------------------------------------------------------

KEY_RANGE = 256  # record and cell keys of counts are 0..255, as in the ONS cell-key package
RECORD_KEY_PREFIX = "balans-record-key|"
# Magnitude keys are 32 bits: nothing ties them to a p-table's 256 columns, and with 2^32 keys a
# cell's magnitude noise cannot be found by trying every key against a published (rounded) figure.
MAGNITUDE_KEY_RANGE = 2**32
MAGNITUDE_KEY_PREFIX = "balans-magnitude-key|"
# The message of a person row's keys: the pseudonym and the year (module docstring, rule 2).
PERSON_MESSAGE = "person_key || '|' || year::VARCHAR"


def record_key_sql(message: str, key: bytes) -> tuple[str, list[bytes]]:
    """A record key 0..255: the first byte of HMAC-SHA-256(key, prefix || message), as a DuckDB
    expression and its parameters. `message` is a trusted SQL expression (a column list joined by
    '|'), never user input: for a person PERSON_MESSAGE (pseudonym and year), for an aggregated row
    its identity (store.row_identity, which includes its year)."""
    expr = f"('0x' || substr({_hmac_sql(repr(RECORD_KEY_PREFIX) + ' || ' + message)}, 1, 2))::SMALLINT"
    return expr, _pads(key)


def magnitude_key_sql(message: str, key: bytes) -> tuple[str, list[bytes]]:
    """A magnitude key 0..2^32-1: the first four bytes of HMAC-SHA-256(key, another prefix || message),
    as a DuckDB expression and its parameters; the message as in `record_key_sql`."""
    expr = f"('0x' || substr({_hmac_sql(repr(MAGNITUDE_KEY_PREFIX) + ' || ' + message)}, 1, 8))::BIGINT"
    return expr, _pads(key)


def record_key(message: str, key: bytes) -> int:
    """`record_key_sql` in Python (tests, and checking the SQL)."""
    return hmac.new(key, (RECORD_KEY_PREFIX + message).encode("utf-8"), hashlib.sha256).digest()[0]


def magnitude_key(message: str, key: bytes) -> int:
    """`magnitude_key_sql` in Python."""
    digest = hmac.new(key, (MAGNITUDE_KEY_PREFIX + message).encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def person_message(person_key: str, year: int) -> str:
    """PERSON_MESSAGE in Python."""
    return f"{person_key}|{year}"
