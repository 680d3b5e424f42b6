"""A frame as DuckDB scans it on all its threads: Arrow record batches, which the engine's threads
take one at a time.

A pandas frame is scanned by one thread per 102 400 rows, so the 100 000 rows of a one-year staff
sheet were hashed (the pseudonyms, the record and magnitude keys) on one core while the other
waited (docs/performance.md, "The import on both cores").
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

BATCH_ROWS = 16_384  # a few batches per thread from 50 000 rows up; smaller ones cost more than they share


def batched(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame's columns as an Arrow table of BATCH_ROWS-row batches, without its index. A column
    Arrow cannot take as one type (Python objects of several kinds) leaves the frame as it is, for
    DuckDB's own pandas scan to read as before."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame
    return pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_ROWS), table.schema)
