"""What the tests share that is not a fixture: loading sheets through the real import, staff and
committee-seat rows built from (category, gender, count) triples, the one row of a table, the fixed
pseudonymisation key, and reading the app in AppTest. Fixtures live in conftest.py, which uses these;
a test imports them from here or from browsing.py (the browser's), never from another test file."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from indicators import cli
from indicators.protect import privacy
from indicators.store import check, database, read, schema, snapshot

# A fixed pseudonymisation key, written before the first import (the `keyed` fixture): the record keys,
# and so every protected figure, are then the same at every run.
FIXED_KEY = "5eed" * 16
# The key of the hand-built school (conftest's keyed_school): its checks, in test_representation and
# test_charts, quote this key's noise (FIXED_KEY gives other numbers). With this key each attack of
# test_representation misses; with any key a single difference of two published counts hits the true
# value only by chance (about one time in four per count: both cells' noises must cancel) and nothing
# in the tables tells the attacker when.
SCHOOL_KEY = "06" * 32
NBSP = "\u00a0"  # the space the Swedish formats put before % and between thousands
# The app, as AppTest runs it.
APP = str(Path(__file__).resolve().parents[1] / "app.py")
# The session's mark that the browser has drawn a first chart (views/_draw.py, FIRST_SCREEN).
FIRST_SCREEN = "balans_first_screen"


_EMPTY: list[Path] = []  # one database migrated to the current schema, made at the first new_store()


def new_store(path: Path, key: str | None = None):
    """A connection to a new database at `path` of the current schema, as database.connect(path) makes it
    on a new file, with its key file written first when `key` is given. A copy of one empty database
    migrated once per process: the migrations cost twice what the copy does, and tests make hundreds."""
    if not _EMPTY:
        folder = Path(tempfile.mkdtemp(prefix="balans_empty_"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        database.connect(folder / "empty.duckdb").close()
        _EMPTY.append(folder / "empty.duckdb")
    if key is not None:
        privacy.key_path(path).write_text(key)
    shutil.copyfile(_EMPTY[0], path)
    return database.connect(path)


def keyed_database(path, key: str = FIXED_KEY):
    """A connection to a new database at `path` whose key file is written first, with `key`."""
    return new_store(path, key)


def checked(kind: str, df: pd.DataFrame) -> check.Sheet:
    """A DataFrame validated as a sheet of `kind`, exactly as a file would be (no error allowed)."""
    sheet, problems = check.check_sheet("test.xlsx", kind, read.frame_to_grid(df), schema.KINDS[kind], 0)
    errors = [str(p) for p in problems if p.level == "error"]
    assert not errors, errors
    return sheet


def load(con, kind: str, df: pd.DataFrame | check.Sheet, replace: bool = False) -> list[int]:
    """Validate a DataFrame as a sheet of `kind` and import it, exactly as a file would be; a sheet
    already validated (checked(), for a test that imports the same rows into many databases) as it is."""
    sheet = df if isinstance(df, check.Sheet) else checked(kind, df)
    return database.import_sheets(con, [sheet], sha256={}, replace=replace)


def staff_rows(
    spec: list[tuple], year: int = 2024, unit: str = "U1", parent: str | None = None, **columns
) -> pd.DataFrame:
    """Staff rows from (position, gender, count) triples; further columns as keyword lists or constants."""
    rows = []
    for position, gender, n in spec:
        rows += [{"year": year, "unit": unit, "position": position, "gender": gender}] * n
    df = pd.DataFrame(rows)
    df.insert(1, "person_id", [f"{unit}-{year}-{i}" for i in range(len(df))])
    if parent:
        df["parent_unit"] = parent
    for name, value in columns.items():
        df[name] = value
    return df


def staff_csv(path: Path, spec: list[tuple], year: int, unit: str = "U1") -> Path:
    """A CSV staff file of staff_rows(spec, year, unit), as HR would export it."""
    staff_rows(spec, year=year, unit=unit).to_csv(path, index=False)
    return path


def copy_demo(source: Path, db: Path) -> Path:
    """A copy at `db` of the demo database `source` (for conftest's demo_copy): the store, its key file and
    its published snapshot, as `python -m indicators demo --db db` leaves them (with the source's key, so
    the same noise). Copying a file of a few MB is far cheaper than making the demo again for every
    module that needs one of its own. The snapshot's pointer records the store file it was published
    from (snapshot.store_state: inode, size, mtime); the copy is a new file, so the copy's pointer is
    written for it, as the demo command would have written it, or the first reader would publish the
    copy again as generation 2."""
    shutil.copyfile(source, db)
    shutil.copy(privacy.key_path(source), privacy.key_path(db))  # with its mode: owner-only
    shutil.copytree(snapshot.folder(source), snapshot.folder(db))
    pointer_file = snapshot.folder(db) / snapshot.POINTER
    pointer = json.loads(pointer_file.read_text(encoding="utf-8"))
    pointer["store"] = list(snapshot.store_state(db))
    pointer_file.write_text(json.dumps(pointer), encoding="utf-8")
    assert not snapshot.is_stale(db)
    return db


def cli_main(*args) -> subprocess.CompletedProcess:
    """`python -m indicators *args` as cli.main() in this process, returned as subprocess.run(..., text=True)
    returns a real process: exit code (argparse's usage error too), stdout as text (the byte order mark
    kept) and stderr. It spares a Python start-up and the import of every module (seconds a command);
    each command kind keeps a real process somewhere (test_cli.py), where the exit code of the process and
    the absence of a traceback are what is tested."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.StringIO()
    argv = [str(a) for a in args]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as e:  # argparse: a usage error, exit 2
            code = e.code
    out.flush()
    text = io.TextIOWrapper(io.BytesIO(out.buffer.getvalue()), encoding="utf-8").read()  # its universal newlines
    return subprocess.CompletedProcess(argv, code, text, err.getvalue())


def files_of(db: Path) -> list[str]:
    """The published snapshot folder's files: CURRENT and the snapshots it keeps."""
    return sorted(os.listdir(snapshot.folder(db)))


def row(df: pd.DataFrame, **where) -> pd.Series:
    """The one row of df whose columns equal the given values (fails unless exactly one matches)."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    assert mask.sum() == 1, (where, df)
    return df[mask].iloc[0]


def seats(
    year: int, body: str, body_type: str | None, unit: str | None, spec: list[tuple[str, str, int]]
) -> pd.DataFrame:
    """Seat rows from (role, gender, count) triples."""
    rows = []
    for role, gender, n in spec:
        rows += [{"year": year, "body": body, "body_type": body_type, "unit": unit, "role": role, "gender": gender}] * n
    df = pd.DataFrame(rows)
    df["person_id"] = [f"{year}-{body}-{i}" for i in range(len(df))]
    return df


def representation_rows() -> pd.DataFrame:
    """Two rows of the representation table: 5 of 9 women among professors (5/9 = 0.5555555555555556),
    349 (a float 349.0, as a perturbed count can come) PhD students' total, and a hidden row."""
    return pd.DataFrame(
        {
            "year": pd.array([2025, 2025], dtype="int16"),
            "position": ["professor", "phd_student"],
            "women": pd.array([5, None], dtype="Int64"),
            "total": [349.0, float("nan")],
            "share_women": [5 / 9, float("nan")],
            "balanced": pd.array([True, None], dtype="boolean"),
            "suppressed": [False, True],
        }
    )


# --- the app in AppTest ---


def app_test(path: str | Path = APP, timeout: float = 120):
    """The app in AppTest, as a browser session sees it once it has drawn its first chart: the whole
    page in one run. A session's first page comes in two runs in a browser (views/_draw.py,
    first_screen_only), the second asked for by the browser, which AppTest has not; test_pages_app.py
    tests the first run alone."""
    at = AppTest.from_file(str(path), default_timeout=timeout)
    at.session_state[FIRST_SCREEN] = True
    return at


def chart_titles(at) -> list[str]:
    """The charts' titles as read: the line breaks charts.common.finish puts in to fit the width are spaces."""
    return [
        json.loads(c.proto.spec)["layout"]["title"]["text"]
        .replace("<br><sup>", "\0")
        .replace("<br>", " ")
        .replace("\0", "<br><sup>")
        for c in at.get("plotly_chart")
    ]


def failures(at) -> list[str]:
    """Warnings that an indicator or its chart failed (the page stays up, so only this shows it)."""
    return [w.value for w in at.warning if "could not" in w.value or "kunde inte" in w.value]
