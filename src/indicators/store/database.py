"""The DuckDB file: schema and migrations, import batches, the unit tree.

One file, the store (data/balans.duckdb unless --db or BALANS_DB says otherwise), written only
under the writer lock (writer.writing) and read through published snapshots (snapshot.Reader); the
functions here take whichever connection they are given. Every import is one
transaction: its import_batches rows and its data rows land together or not at all, and a process
killed half-way leaves the file as it was (DuckDB rolls back an uncommitted write-ahead log).
A DuckDB connection is not thread-safe: callers that serve threads (the app) open one connection
per process and give each query its own `cursor()`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pandas as pd

from . import keys as record_keys  # the pseudonyms and record keys the import writes (privacy.py's rules 1, 2)
from . import pay_checks, scans
from .check import Problem, Sheet
from .schema import DATA_DIR, KINDS
from .sql import ALL_UNITS


class StoreError(Exception):
    """The database cannot be used as asked; the message says why and what to do."""


def default_db_path() -> Path:
    return Path(os.environ.get("BALANS_DB") or DATA_DIR / "balans.duckdb")


# One row per year, unit, position category, employment type, manager and gender: how many people,
# their FTE (a missing FTE counts as full time, as everywhere in Balans), their leave days and how many
# rows give each leave column. Every page that counts people reads this instead of the person rows
# (1 M rows at sector scale, some 10 000 cells); only pay, which needs each salary, reads staff.
STAFF_CELLS = """
    SELECT year, unit, position_category, employment_type, manager, gender,
           count(*) AS people, sum(coalesce(fte, 1)) AS fte,
           sum(parental_leave_days), sum(care_of_child_days), sum(sick_leave_days),
           count(parental_leave_days), count(care_of_child_days), count(sick_leave_days)
    FROM staff
    GROUP BY ALL
    ORDER BY year, unit
"""

# Since schema 5 the cells also carry what the cell-key method needs (privacy.py): the sum of their
# people's record keys, and each magnitude's largest single contribution.
STAFF_CELLS_KEYED = """
    SELECT year, unit, position_category, employment_type, manager, gender,
           count(*) AS people, sum(coalesce(fte, 1)) AS fte,
           sum(parental_leave_days) AS parental_leave_days, sum(care_of_child_days) AS care_of_child_days,
           sum(sick_leave_days) AS sick_leave_days,
           count(parental_leave_days) AS with_parental, count(care_of_child_days) AS with_care,
           count(sick_leave_days) AS with_sick,
           sum(rkey)::BIGINT AS rkey_sum, max(coalesce(fte, 1)) AS fte_max,
           max(parental_leave_days) AS parental_max, max(care_of_child_days) AS care_max,
           max(sick_leave_days) AS sick_max
    FROM staff
    GROUP BY ALL
    ORDER BY year, unit
"""

# Since schema 7 the cells also carry the sum of their people's magnitude keys and each magnitude's
# second largest contribution (privacy.py: the ABS's top-contributor noise), and a person's keys are
# made from their pseudonym and the year (privacy.PERSON_MESSAGE).
STAFF_CELLS_V7 = """
    SELECT year, unit, position_category, employment_type, manager, gender,
           count(*) AS people, sum(coalesce(fte, 1)) AS fte,
           sum(parental_leave_days) AS parental_leave_days, sum(care_of_child_days) AS care_of_child_days,
           sum(sick_leave_days) AS sick_leave_days,
           count(parental_leave_days) AS with_parental, count(care_of_child_days) AS with_care,
           count(sick_leave_days) AS with_sick,
           sum(rkey)::BIGINT AS rkey_sum, sum(mkey)::BIGINT AS mkey_sum, max(coalesce(fte, 1)) AS fte_max,
           max(parental_leave_days) AS parental_max, max(care_of_child_days) AS care_max,
           max(sick_leave_days) AS sick_max,
           max(parental_leave_days, 2)[2] AS parental_max2, max(care_of_child_days, 2)[2] AS care_max2,
           max(sick_leave_days, 2)[2] AS sick_max2
    FROM staff
    GROUP BY ALL
    ORDER BY year, unit
"""

# Careers (issue 24): each person's year t beside their year t-1, pre-aggregated like staff_cells, so
# that the Careers page never joins person rows. One row per group of: the year t; unit, position
# category, employment type and (for professors) the title at t, and the same at t-1, each NULL where the
# person was not employed that year (an entrant has no t-1, a leaver no t); the gender; the years the
# person had been in the position at t and at t-1 (`spell`, `prev_spell`: consecutive years in the same
# category, that year included) and whether that spell began after the first year of data (`*_known`:
# a spell already running then has an unknown start). Beside the count, the sums of the record and
# magnitude keys of year t (rkey_sum, mkey_sum: a flow of people employed at t is counted with their
# keys of t) and of year t-1 (prev_*: a leaver exists only at t-1), so every flow is a cell of the
# cell-key method (privacy.py). Only years whose previous year has data get cells: the first year of
# data has no flows. Built with hash aggregates (each person's years in a category as bits, below) and a
# full outer join of year t with t-1 on the person; subgoals/careers.py reads it. Each person is a small
# integer here (`pid`, numbered in no particular order, only to pair one person's rows), so the joins
# compare integers, not 64-character pseudonyms. A row's spell (the run of consecutive years in its
# category that ends at its year) is read from a bit mask of the years the person held that category,
# one hash aggregate and a join, without sorting every person-year as a window (year - row_number) did:
# bit k of `years` is the year k years before the last, so shifted by the row's distance from the last
# year, bit 0 is the row's own year and the run of ones from it is the spell; x xor (x + 1) has one bit
# more than x's trailing ones. Exactly the window's spells, because a person has one row a year
# (check.py refuses a person twice in a year, and an import replaces whole years), and years lie between
# 1950 and next year (readings.read_year), well within a HUGEINT's 127 bits
# (docs/performance.md, "The import's store stages").
CAREER_CELLS = r"""
    WITH bounds AS (SELECT min(year) AS first_year, max(year) AS last_year FROM staff),
    data_years AS (SELECT DISTINCT year FROM staff),
    people AS (SELECT person_key, row_number() OVER () AS pid FROM (SELECT DISTINCT person_key FROM staff)),
    rows AS (
        SELECT s.year, p.pid, s.unit, s.position_category, s.employment_type, s.gender, s.rkey, s.mkey,
               CASE WHEN s.position_category = 'professor'
                    THEN trim(regexp_replace(lower(s.position), '[\s_\-./]+', ' ', 'g')) END AS title
        FROM staff s JOIN people p USING (person_key)),
    masks AS (
        SELECT pid, position_category, bit_or(1::HUGEINT << ((SELECT last_year FROM bounds) - year)) AS years
        FROM rows GROUP BY ALL),
    runs AS (
        SELECT r.*, m.years >> ((SELECT last_year FROM bounds) - r.year) AS back
        FROM rows r JOIN masks m USING (pid, position_category)),
    spells AS (
        SELECT * EXCLUDE (back, run), run::SMALLINT AS spell,
               year - run + 1 > (SELECT first_year FROM bounds) AS spell_known
        FROM (SELECT *, bit_count(xor(back, back + 1)) - 1 AS run FROM runs)),
    before AS (SELECT * FROM spells WHERE year + 1 IN (SELECT year FROM data_years)),
    now AS (SELECT * FROM spells WHERE year - 1 IN (SELECT year FROM data_years))
    SELECT coalesce(n.year, b.year + 1)::SMALLINT AS year,
           n.unit, n.position_category, n.employment_type, n.title, n.spell, n.spell_known,
           b.unit AS prev_unit, b.position_category AS prev_position_category,
           b.employment_type AS prev_employment_type, b.title AS prev_title,
           b.spell AS prev_spell, b.spell_known AS prev_spell_known,
           coalesce(n.gender, b.gender) AS gender,
           count(*) AS people,
           coalesce(sum(n.rkey), 0)::BIGINT AS rkey_sum, coalesce(sum(n.mkey), 0)::BIGINT AS mkey_sum,
           coalesce(sum(b.rkey), 0)::BIGINT AS prev_rkey_sum, coalesce(sum(b.mkey), 0)::BIGINT AS prev_mkey_sum
    FROM before b FULL OUTER JOIN now n ON n.pid = b.pid AND n.year = b.year + 1
    GROUP BY ALL
    ORDER BY year, unit
"""

# The tables whose rows carry a record key (privacy.record_key_sql), and what identifies a row.
KEYED_TABLES = ("staff", "students", "leave", "incidents", "recruitment")

# Each entry brings a database from the previous version to this one. Never edit a released entry:
# add the next one, so that a file made by an older Balans is migrated, not lost.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE import_batches (
            batch_id     INTEGER PRIMARY KEY,
            kind         VARCHAR NOT NULL,
            file_name    VARCHAR NOT NULL,
            sheet        VARCHAR,
            sha256       VARCHAR NOT NULL,
            years        INTEGER[],
            row_count    INTEGER NOT NULL,
            imported_at  TIMESTAMP NOT NULL,
            synthetic    BOOLEAN NOT NULL DEFAULT false,
            replaced_by  INTEGER)""",
        """CREATE TABLE staff (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, person_key VARCHAR NOT NULL,
            unit VARCHAR NOT NULL, parent_unit VARCHAR, position VARCHAR NOT NULL,
            position_category VARCHAR NOT NULL, gender VARCHAR NOT NULL, fte DOUBLE,
            monthly_salary DOUBLE, job_level DOUBLE, manager BOOLEAN, employment_type VARCHAR,
            birth_year SMALLINT, parental_leave_days DOUBLE, care_of_child_days DOUBLE,
            sick_leave_days DOUBLE)""",
        """CREATE TABLE committees (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, body VARCHAR NOT NULL,
            body_type VARCHAR, unit VARCHAR, role VARCHAR, member_category VARCHAR,
            gender VARCHAR NOT NULL, person_key VARCHAR)""",
        """CREATE TABLE units (
            unit VARCHAR PRIMARY KEY, parent_unit VARCHAR, name_sv VARCHAR, name_en VARCHAR,
            batch_id INTEGER)""",
        # Every (ancestor, descendant) pair, itself included, and '*' above every unit: a filter
        # on a unit "with its sub-units" is then one join.
        "CREATE TABLE unit_tree (ancestor VARCHAR NOT NULL, descendant VARCHAR NOT NULL, depth INTEGER NOT NULL)",
    ],
    # The other sub-goals: aggregated counts per year, unit and gender (no person rows).
    2: [
        """CREATE TABLE students (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, unit VARCHAR NOT NULL,
            programme VARCHAR NOT NULL, level VARCHAR NOT NULL, gender VARCHAR NOT NULL,
            registered INTEGER, new_entrants INTEGER, degrees INTEGER)""",
        """CREATE TABLE leave (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, unit VARCHAR NOT NULL,
            gender VARCHAR NOT NULL, staff INTEGER NOT NULL, available_days DOUBLE,
            parental_leave_days DOUBLE, care_of_child_days DOUBLE, sick_leave_days DOUBLE,
            long_term_sick INTEGER)""",
        """CREATE TABLE incidents (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, unit VARCHAR NOT NULL,
            category VARCHAR NOT NULL, gender VARCHAR NOT NULL, count INTEGER NOT NULL,
            survey_respondents INTEGER, survey_exposed INTEGER)""",
        """CREATE TABLE recruitment (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, unit VARCHAR NOT NULL,
            position VARCHAR NOT NULL, position_category VARCHAR NOT NULL, gender VARCHAR NOT NULL,
            applicants INTEGER, shortlisted INTEGER, offered INTEGER, appointed INTEGER,
            promotion_applied INTEGER, promotion_granted INTEGER)""",
    ],
    # Removed batches wait here until the next import or removal, so a removal can be undone.
    3: [
        f"CREATE TABLE trash_{t} AS SELECT * FROM {t} LIMIT 0"
        for t in ("import_batches", "staff", "committees", "units", "students", "leave", "incidents", "recruitment")
    ],
    # Staff pre-aggregated for the pages that count people (refresh_staff_cells), filled here for a
    # database made before it existed.
    4: [
        """CREATE TABLE staff_cells (
            year SMALLINT NOT NULL, unit VARCHAR NOT NULL, position_category VARCHAR NOT NULL,
            employment_type VARCHAR, manager BOOLEAN, gender VARCHAR NOT NULL,
            people BIGINT NOT NULL, fte DOUBLE NOT NULL,
            parental_leave_days DOUBLE, care_of_child_days DOUBLE, sick_leave_days DOUBLE,
            with_parental BIGINT NOT NULL, with_care BIGINT NOT NULL, with_sick BIGINT NOT NULL)""",
        f"INSERT INTO staff_cells {STAFF_CELLS}",
    ],
    # The cell-key method (privacy.py): a record key per person row and per aggregated row, and in
    # staff_cells the sum of the keys and the largest contributions. Rows of an older database get
    # their keys from the key file (fill_record_keys), then the cells are rebuilt.
    5: [
        *[f"ALTER TABLE {t} ADD COLUMN rkey SMALLINT" for t in KEYED_TABLES],
        *[f"ALTER TABLE trash_{t} ADD COLUMN rkey SMALLINT" for t in KEYED_TABLES],
        "ALTER TABLE staff_cells ADD COLUMN rkey_sum BIGINT",
        "ALTER TABLE staff_cells ADD COLUMN fte_max DOUBLE",
        "ALTER TABLE staff_cells ADD COLUMN parental_max DOUBLE",
        "ALTER TABLE staff_cells ADD COLUMN care_max DOUBLE",
        "ALTER TABLE staff_cells ADD COLUMN sick_max DOUBLE",
        lambda con: fill_record_keys(con),
        "DELETE FROM staff_cells",
        f"INSERT INTO staff_cells BY NAME {STAFF_CELLS_KEYED}",
    ],
    # The yearly plan and the pay survey's record (issue 14; src/indicators/plan/records.py writes them).
    # Rows are edited, never imported as batches: every change is also written to plan_audit.
    6: [
        """CREATE TABLE plan_measures (
            measure_id INTEGER PRIMARY KEY, unit VARCHAR NOT NULL, year SMALLINT NOT NULL,
            title_sv VARCHAR NOT NULL, title_en VARCHAR, description VARCHAR,
            subgoal SMALLINT NOT NULL CHECK (subgoal BETWEEN 1 AND 6),
            indicator VARCHAR, target_value DOUBLE, target_year SMALLINT, goal_area VARCHAR,
            responsible VARCHAR, start_date DATE, deadline DATE,
            status VARCHAR NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
            cost_sek DOUBLE, evidence VARCHAR,
            participants_women INTEGER, participants_men INTEGER, participants_other INTEGER,
            carried_from INTEGER,
            updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL,
            synthetic BOOLEAN NOT NULL DEFAULT false)""",
        """CREATE TABLE pay_findings (
            finding_id INTEGER PRIMARY KEY, year SMALLINT NOT NULL,
            source VARCHAR NOT NULL CHECK (source IN ('equal_work', 'equal_value', 'pay_transparency')),
            group_key VARCHAR NOT NULL, gap_pct DOUBLE,
            explained BOOLEAN, reason VARCHAR,
            action VARCHAR, action_cost_sek DOUBLE, action_deadline DATE, action_responsible VARCHAR,
            art10_path VARCHAR CHECK (art10_path IN ('justified', 'corrected', 'joint_assessment')),
            art10_date DATE, remeasured_on DATE, remeasured_gap_pct DOUBLE, art10_with VARCHAR,
            carried_from INTEGER,
            carried_out VARCHAR CHECK (carried_out IN ('yes', 'partly', 'no')), evaluation VARCHAR,
            updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL,
            synthetic BOOLEAN NOT NULL DEFAULT false, UNIQUE (year, source, group_key))""",
        """CREATE TABLE pay_consultations (
            consultation_id INTEGER PRIMARY KEY, year SMALLINT NOT NULL, held_on DATE NOT NULL,
            participants VARCHAR NOT NULL, notes VARCHAR,
            updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL,
            synthetic BOOLEAN NOT NULL DEFAULT false, UNIQUE (year, held_on))""",
        # Every insert, update and delete of the three tables above: the row before and after, as JSON.
        """CREATE TABLE plan_audit (
            audit_id INTEGER PRIMARY KEY, changed_at TIMESTAMP NOT NULL, who VARCHAR NOT NULL,
            table_name VARCHAR NOT NULL, row_id INTEGER NOT NULL,
            action VARCHAR NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before JSON, after JSON, via VARCHAR)""",
    ],
    # Issue 19: keys that do not link years, and a magnitude key of its own (privacy.py). A person's
    # record key is remade from their pseudonym and the year; every keyed row gets a magnitude key;
    # the cells carry the magnitude keys' sum and each magnitude's second largest contribution.
    7: [
        *[f"ALTER TABLE {t} ADD COLUMN mkey BIGINT" for t in KEYED_TABLES],
        *[f"ALTER TABLE trash_{t} ADD COLUMN mkey BIGINT" for t in KEYED_TABLES],
        "ALTER TABLE staff_cells ADD COLUMN mkey_sum BIGINT",
        "ALTER TABLE staff_cells ADD COLUMN parental_max2 DOUBLE",
        "ALTER TABLE staff_cells ADD COLUMN care_max2 DOUBLE",
        "ALTER TABLE staff_cells ADD COLUMN sick_max2 DOUBLE",
        lambda con: fill_yearly_keys(con),
        "DELETE FROM staff_cells",
        f"INSERT INTO staff_cells BY NAME {STAFF_CELLS_V7}",
    ],
    # Issue 24: careers (CAREER_CELLS, refreshed with staff_cells) and national benchmarks (a sheet kind).
    8: [
        """CREATE TABLE career_cells (
            year SMALLINT NOT NULL, unit VARCHAR, position_category VARCHAR, employment_type VARCHAR,
            title VARCHAR, spell SMALLINT, spell_known BOOLEAN,
            prev_unit VARCHAR, prev_position_category VARCHAR, prev_employment_type VARCHAR,
            prev_title VARCHAR, prev_spell SMALLINT, prev_spell_known BOOLEAN,
            gender VARCHAR NOT NULL, people BIGINT NOT NULL,
            rkey_sum BIGINT NOT NULL, mkey_sum BIGINT NOT NULL, prev_rkey_sum BIGINT NOT NULL,
            prev_mkey_sum BIGINT NOT NULL)""",
        f"INSERT INTO career_cells BY NAME {CAREER_CELLS}",
        """CREATE TABLE benchmarks (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, category VARCHAR NOT NULL,
            women INTEGER NOT NULL, men INTEGER NOT NULL, source VARCHAR NOT NULL, subject_area VARCHAR)""",
        "CREATE TABLE trash_benchmarks AS SELECT * FROM benchmarks LIMIT 0",
    ],
    # Issue 21: working time on the staff sheet, pay components per person, year and component (a
    # person's keys are their staff row's: the components carry none), the job evaluation's factor plan
    # and job scores, and the log of workers' requests for pay information (art. 7; pseudonyms only).
    9: [
        "ALTER TABLE staff ADD COLUMN weekly_hours DOUBLE",
        "ALTER TABLE staff ADD COLUMN annual_hours DOUBLE",
        "ALTER TABLE trash_staff ADD COLUMN weekly_hours DOUBLE",
        "ALTER TABLE trash_staff ADD COLUMN annual_hours DOUBLE",
        """CREATE TABLE pay_components (
            batch_id INTEGER NOT NULL, year SMALLINT NOT NULL, person_key VARCHAR NOT NULL,
            component VARCHAR NOT NULL, amount DOUBLE NOT NULL)""",
        """CREATE TABLE job_factors (
            batch_id INTEGER, year SMALLINT NOT NULL, criterion VARCHAR NOT NULL, subfactor VARCHAR NOT NULL,
            name_sv VARCHAR, name_en VARCHAR, weight DOUBLE NOT NULL, levels INTEGER NOT NULL)""",
        """CREATE TABLE job_scores (
            batch_id INTEGER, year SMALLINT NOT NULL, job VARCHAR NOT NULL, subfactor VARCHAR NOT NULL,
            level INTEGER NOT NULL)""",
        *[
            f"CREATE TABLE trash_{t} AS SELECT * FROM {t} LIMIT 0"
            for t in ("pay_components", "job_factors", "job_scores")
        ],
        """CREATE TABLE pay_requests (
            request_id INTEGER PRIMARY KEY, person_key VARCHAR NOT NULL, year SMALLINT NOT NULL,
            received_on DATE NOT NULL, answered_on DATE, notes VARCHAR,
            updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL,
            synthetic BOOLEAN NOT NULL DEFAULT false)""",
    ],
}
SCHEMA_VERSION = max(MIGRATIONS)


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if need be) the database, with a clear error if it can't be."""
    path = Path(path or default_db_path())
    if read_only and not path.exists():
        raise StoreError(f"no database at {path}: import data or run `python -m indicators demo` first")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        text = str(e)
        if "lock" in text.lower():
            # Balans' own writers queue on the writer lock and its readers open snapshots, so this
            # is a program outside Balans (a notebook, a backup tool) or a Balans before snapshots.
            raise StoreError(
                f"the database {path} is in use by another program (a notebook, a backup, "
                "an older Balans?); close it and try again"
            ) from None
        raise StoreError(f"the database {path} cannot be opened: {text.splitlines()[0]}") from None
    except duckdb.Error as e:
        raise StoreError(
            f"the database {path} is damaged or not a Balans database "
            f"({str(e).splitlines()[0]}); restore it from a backup"
        ) from None
    if not read_only:
        try:
            migrate(con)
        except BaseException:
            con.close()  # a store left open here would hold DuckDB's lock against every other writer
            raise
    return con


def schema_version(con) -> int:
    # fetchall, not fetchone: a result left unfinished makes this DuckDB refuse the connection's next
    # con.register() ("connection has an unfinished result")
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] or 0


def migrate(con) -> None:
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(f"the database was written by a newer Balans (schema {current}); upgrade Balans")
    if current == SCHEMA_VERSION:
        return
    with transaction(con):
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                if callable(statement):
                    statement(con)
                else:
                    con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, dt.datetime.now()])


def db_path_of(con) -> Path:
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return Path(path)


def has_data(con, table: str = "staff") -> bool:
    return con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]


def key_for(con) -> bytes:
    data = any(has_data(con, t) for t in (*KEYED_TABLES, "committees"))
    return record_keys.load_key(db_path_of(con), data_exist=data)


# --- import -----------------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The import would overwrite data already imported, or the database refused a value; nothing was
    written.

    str() is the command line's message; `clashes` the same in parts, for a page to say in its own
    language: dicts of file, sheet, kind, years (the overlap), batch_id, file_name, imported_at.
    `problems`: what the database refused, as check.Problem naming file, sheet, row and column, as
    the checker names what it refuses."""

    def __init__(self, message: str, clashes: list[dict] | None = None, problems: list[Problem] | None = None):
        super().__init__(message)
        self.clashes = clashes or []
        self.problems = problems or []


def _clashes(con, sheet: Sheet) -> list[tuple]:
    if not sheet.years:
        return []
    return con.execute(
        """SELECT batch_id, file_name, imported_at, list_intersect(years, ?::INTEGER[]) AS overlap
           FROM import_batches
           WHERE kind = ? AND replaced_by IS NULL AND len(list_intersect(years, ?::INTEGER[])) > 0
           ORDER BY batch_id""",
        [sheet.years, sheet.kind.name, sheet.years],
    ).fetchall()


def _insert(con, sheet: Sheet, batch_id: int, key: bytes | None) -> None:
    """Rows into the sheet's table. A raw person id is replaced by its keyed hash before the INSERT
    (keys.pseudonyms, in the database engine): it is read from the in-memory frame and never written
    anywhere."""
    frame = sheet.frame.drop(columns=["source_row"])
    if "person_id" in frame:  # each person's pseudonym once, however many years the file holds
        frame = frame.assign(person_key=record_keys.pseudonyms(con, frame["person_id"], key)).drop(
            columns=["person_id"]
        )
    for col in frame.columns:
        if frame[col].dtype == object and pd.api.types.infer_dtype(frame[col], skipna=True) == "string":
            frame[col] = frame[col].astype("str")  # Arrow-backed text: DuckDB reads it without Python objects
    con.register("incoming", scans.batched(frame))  # the keys hashed on every thread
    # Rows land sorted by year and unit, so that DuckDB's per-row-group min/max lets a page's query
    # for one year skip the other years' rows instead of scanning them (bench/run.py measures this).
    order = " ORDER BY " + ", ".join(c for c in ("year", "unit") if c in frame) if "year" in frame else ""
    table = sheet.kind.table
    try:
        if "person_key" in frame:
            if table in KEYED_TABLES:  # a person's keys are made from their pseudonym and the year
                # hashed in the scan, before the sort, where each thread hashes its own batches
                keys, key_params = _keys_sql(record_keys.PERSON_MESSAGE, key)
                con.execute(
                    f"INSERT INTO {table} BY NAME SELECT *, ? AS batch_id, {keys} FROM incoming{order}",
                    [batch_id, *key_params],
                )
            else:
                con.execute(f"INSERT INTO {table} BY NAME SELECT *, ? AS batch_id FROM incoming{order}", [batch_id])
        elif table in KEYED_TABLES:
            keys, params = _keys_sql(row_identity(sheet.kind.name, list(frame.columns)), key)
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT *, ? AS batch_id, {keys} FROM incoming{order}", [batch_id, *params]
            )
        else:
            con.execute(f"INSERT INTO {table} BY NAME SELECT *, ? AS batch_id FROM incoming{order}", [batch_id])
    finally:
        # A refused row leaves the transaction aborted, unregistering too, until the rollback:
        # import_sheets unregisters the frame after it.
        with suppress(duckdb.TransactionException):
            con.unregister("incoming")


def _key_exprs(message: str, key: bytes) -> tuple[str, str, list[bytes]]:
    """The SQL of a row's `rkey` and `mkey` from one message (record_keys.record_key_sql,
    magnitude_key_sql), and their parameters in that order."""
    rkey, rparams = record_keys.record_key_sql(message, key)
    mkey, mparams = record_keys.magnitude_key_sql(message, key)
    return rkey, mkey, [*rparams, *mparams]


def _keys_sql(message: str, key: bytes) -> tuple[str, list[bytes]]:
    """`rkey` and `mkey` as select-list items."""
    rkey, mkey, params = _key_exprs(message, key)
    return f"{rkey} AS rkey, {mkey} AS mkey", params


def row_identity(kind: str, columns: list[str]) -> str:
    """The SQL message an aggregated row's record key is made from: its kind and the columns that
    make it unique (schema.SheetKind.unique), so the same row gets the same key at every re-import."""
    parts = [repr(kind)] + [f"coalesce({c}::VARCHAR, '')" for c in KINDS[kind].unique if c in columns]
    return " || '|' || ".join(parts)


def fill_record_keys(con) -> None:
    """Record keys for the rows of a database made before schema 5 (the migration): from the key
    file beside it, exactly as an import today makes them."""
    if not any(has_data(con, t) for t in KEYED_TABLES):
        return
    try:
        key = key_for(con)
    except record_keys.KeyMissing as e:
        raise StoreError(f"cannot bring the database to schema 5 (record keys): {e}") from None
    expr, params = record_keys.record_key_sql("person_key", key)
    con.execute(f"UPDATE staff SET rkey = {expr}", params)
    for kind in ("students", "leave", "incidents", "recruitment"):
        table = KINDS[kind].table
        columns = [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        ]
        expr, params = record_keys.record_key_sql(row_identity(kind, columns), key)
        con.execute(f"UPDATE {table} SET rkey = {expr}", params)


def fill_yearly_keys(con) -> None:
    """The keys of schema 7 for the rows of an older database (and its trash, which an undo brings
    back): a person's record key remade from pseudonym and year, every keyed row's magnitude key, from
    the key file beside it, exactly as an import today makes them."""
    tables = [t for t in KEYED_TABLES if has_data(con, t) or has_data(con, f"trash_{t}")]
    if not tables:
        return
    try:
        key = key_for(con)
    except record_keys.KeyMissing as e:
        raise StoreError(f"cannot bring the database to schema 7 (yearly record keys): {e}") from None
    for kind in ("staff", "students", "leave", "incidents", "recruitment"):
        table = KINDS[kind].table
        if table not in tables:
            continue
        if table == "staff":
            message = record_keys.PERSON_MESSAGE
        else:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
                ).fetchall()
            ]
            message = row_identity(kind, columns)
        rkey, mkey, params = _key_exprs(message, key)
        for t in (table, f"trash_{table}"):
            con.execute(f"UPDATE {t} SET rkey = {rkey}, mkey = {mkey}", params)


def import_sheets(
    con, sheets: list[Sheet], *, sha256: dict[str, str], replace: bool = False, synthetic: bool = False
) -> list[int]:
    """Write validated sheets in one transaction; return the new batch ids.

    Refuses (ImportRefused, nothing written) when a kind and year are already present, unless
    replace is set; then the earlier rows of those years go and their batch is marked replaced.
    """
    key = key_for(con) if any(s.kind.table in KEYED_TABLES or "person_id" in s.frame for s in sheets) else None
    clashes = {id(s): _clashes(con, s) for s in sheets}
    if not replace:
        refusals = [
            f"{s.file}, sheet {s.name}: {s.kind.name} for {', '.join(map(str, overlap))} was already imported "
            f"in batch {bid} ({fname}, {when:%Y-%m-%d %H:%M}); use --replace to replace it"
            for s in sheets
            for bid, fname, when, overlap in clashes[id(s)]
        ]
        if refusals:
            raise ImportRefused(
                "\n".join(refusals),
                [
                    {
                        "file": s.file,
                        "sheet": s.name,
                        "kind": s.kind.name,
                        "years": list(overlap),
                        "batch_id": bid,
                        "file_name": fname,
                        "imported_at": when,
                    }
                    for s in sheets
                    for bid, fname, when, overlap in clashes[id(s)]
                ],
            )
    now = dt.datetime.now()
    try:
        with transaction(con):
            _empty_trash(con)  # a removal can be undone only until the next import
            first = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches").fetchone()[0]
            batch_ids = list(range(first, first + len(sheets)))
            # What the import replaces goes before any row is written: deleted sheet by sheet, between
            # the inserts, a second sheet of the same kind and year deleted the first one's rows (issue 20).
            for sheet, batch_id in zip(sheets, batch_ids):
                if sheet.years:
                    con.execute(
                        f"DELETE FROM {sheet.kind.table} WHERE year IN (SELECT unnest(?::INTEGER[]))", [sheet.years]
                    )
                if sheet.kind.table == "units":
                    con.execute(
                        "DELETE FROM units WHERE unit IN (SELECT unnest(?::VARCHAR[]))", [sheet.frame["unit"].tolist()]
                    )
                for old, *_ in clashes[id(sheet)]:
                    _replaced(con, old, sheet.kind.table, batch_id)
            for sheet, batch_id in zip(sheets, batch_ids):
                con.execute(
                    "INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [
                        batch_id,
                        sheet.kind.name,
                        sheet.file,
                        sheet.name,
                        sha256.get(sheet.file, ""),
                        sheet.years,
                        len(sheet.frame),
                        now,
                        synthetic,
                    ],
                )
                try:
                    _insert(con, sheet, batch_id, key)
                except duckdb.Error as e:
                    raise _refused_by_database(sheet, e) from None
            _check_batches_hold_their_rows(con, sheets, batch_ids)
            problems = pay_checks.refused(con, sheets, key)
            if problems:  # raised inside the transaction: nothing of the import stays
                raise ImportRefused("the data were refused: nothing was imported", problems=problems)
            refresh_units(con)
            if any(sheet.kind.table == "staff" for sheet in sheets):
                refresh_staff_cells(con)
            _fault_point()
    finally:
        with suppress(duckdb.Error):  # after a refused row: the frame the aborted transaction kept
            con.unregister("incoming")
    return batch_ids


def _replaced(con, old: int, table: str, by: int) -> None:
    """An earlier batch whose years an import replaced: marked replaced when none of its rows are
    left; replaced in part (2025 of a file of 2015-2025), it keeps the years and the rows it still
    holds, so that history lists what the database holds and those years still refuse an import
    without --replace."""
    left = con.execute(
        f"SELECT count(*), list_sort(list_distinct(list(year::INTEGER))) FROM {table} WHERE batch_id = ?", [old]
    ).fetchone()
    if left[0] == 0:
        con.execute("UPDATE import_batches SET replaced_by = ? WHERE batch_id = ?", [by, old])
    else:
        con.execute("UPDATE import_batches SET row_count = ?, years = ? WHERE batch_id = ?", [left[0], left[1], old])


def _refused_by_database(sheet: Sheet, error: duckdb.Error) -> ImportRefused:
    """A database error while writing a sheet, as the checker would have said it: a NOT NULL failure
    names each row and the column (what check.check_sheet should have refused, and now does); any
    other names the sheet. The transaction is then rolled back, so nothing of the import stays."""
    text = str(error).splitlines()[0]
    null = re.search(r"NOT NULL constraint failed: \w+\.(\w+)", text)
    frame = sheet.frame
    if null and null.group(1) in frame:
        column = null.group(1)
        rows = frame.loc[frame[column].isna(), "source_row"]
        problems = [
            Problem.of(sheet.file, sheet.name, int(r), column, "empty_required", header=sheet.headers.get(column))
            for r in rows
        ]
    elif null:
        problems = [Problem.of(sheet.file, sheet.name, None, null.group(1), "column_empty")]
    else:
        problems = [Problem.of(sheet.file, sheet.name, None, None, "store_refused", detail=text)]
    return ImportRefused("the data were refused: nothing was imported", problems=problems)


def _check_batches_hold_their_rows(con, sheets: list[Sheet], batch_ids: list[int]) -> None:
    """`history` lists each batch with its row count: the rows written must be exactly those, or the
    import is not committed (a StoreError rolls it back). The guard behind issue 20's lost sheet."""
    for sheet, batch_id in zip(sheets, batch_ids):
        held = con.execute(f"SELECT count(*) FROM {sheet.kind.table} WHERE batch_id = ?", [batch_id]).fetchone()[0]
        if held != len(sheet.frame):
            raise StoreError(
                f"{sheet.file}, sheet {sheet.name}: {len(sheet.frame)} rows were to be imported, but "
                f"the database would hold {held}; nothing was imported"
            )


def _fault_point() -> None:
    """Fault injection for the reliability tests only: BALANS_PAUSE_BEFORE_COMMIT=seconds makes an
    import announce itself and wait with its rows written but not committed, so that a test can kill
    the process at exactly that moment. Unset (always, in use) it does nothing."""
    pause = os.environ.get("BALANS_PAUSE_BEFORE_COMMIT")
    if pause:
        print("balans: rows written, not committed", file=sys.stderr, flush=True)
        time.sleep(float(pause))


def remove_batch(con, batch_id: int) -> int:
    """Delete one batch and its rows; returns the number of data rows removed.

    The removed rows are kept aside until the next import or removal, so `undo_remove` can bring
    them back (a mistaken click in the Import page is not a lost year of data).
    """
    row = con.execute("SELECT kind FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
    if row is None:
        raise StoreError(f"there is no import batch {batch_id} (see `python -m indicators history`)")
    table = KINDS[row[0]].table
    with transaction(con):
        _empty_trash(con)
        n = con.execute(f"SELECT count(*) FROM {table} WHERE batch_id = ?", [batch_id]).fetchone()[0]
        con.execute(f"INSERT INTO trash_{table} SELECT * FROM {table} WHERE batch_id = ?", [batch_id])
        con.execute("INSERT INTO trash_import_batches SELECT * FROM import_batches WHERE batch_id = ?", [batch_id])
        con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id])
        con.execute("DELETE FROM import_batches WHERE batch_id = ?", [batch_id])
        refresh_units(con)
        if table == "staff":
            refresh_staff_cells(con)
    return n


def removed_batch(con) -> int | None:
    """The batch that `undo_remove` would restore, if any."""
    row = con.execute("SELECT max(batch_id) FROM trash_import_batches").fetchone()
    return row[0]


def undo_remove(con) -> int:
    """Restore the batch removed last (only until the next import or removal); returns its id."""
    batch_id = removed_batch(con)
    if batch_id is None:
        raise StoreError("there is no removal to undo (an import or another removal since clears it)")
    with transaction(con):
        for table in _data_tables():
            con.execute(f"INSERT INTO {table} SELECT * FROM trash_{table}")
        con.execute("INSERT INTO import_batches SELECT * FROM trash_import_batches")
        _empty_trash(con)
        refresh_units(con)
        refresh_staff_cells(con)
    return batch_id


def _data_tables() -> list[str]:
    return sorted({k.table for k in KINDS.values()})


def _empty_trash(con) -> None:
    for table in [*_data_tables(), "import_batches"]:
        con.execute(f"DELETE FROM trash_{table}")


@contextmanager
def transaction(con):
    """All or nothing: commit at the end, roll back on any error (or interruption)."""
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        con.rollback()
        raise


def refresh_units(con) -> None:
    """Units named by staff and committee rows join the units table; then the tree is rebuilt.

    A units sheet wins; otherwise a unit's parent is the parent_unit given in the staff sheet.
    """
    con.execute("DELETE FROM units WHERE batch_id IS NULL")
    con.execute("""
        INSERT INTO units (unit, parent_unit)
        SELECT unit, max(parent_unit) FROM (
            SELECT unit, parent_unit FROM staff
            UNION ALL SELECT parent_unit, NULL FROM staff WHERE parent_unit IS NOT NULL
            UNION ALL SELECT unit, NULL FROM committees WHERE unit IS NOT NULL
            UNION ALL SELECT unit, NULL FROM students
            UNION ALL SELECT unit, NULL FROM leave
            UNION ALL SELECT unit, NULL FROM incidents
            UNION ALL SELECT unit, NULL FROM recruitment
        ) WHERE unit NOT IN (SELECT unit FROM units)
        GROUP BY unit""")
    con.execute("DELETE FROM unit_tree")
    con.execute(
        """
        INSERT INTO unit_tree
        WITH RECURSIVE tree(ancestor, descendant, depth) AS (
            SELECT unit, unit, 0 FROM units
            UNION ALL
            SELECT u.parent_unit, t.descendant, t.depth + 1
            FROM tree t JOIN units u ON u.unit = t.ancestor
            WHERE u.parent_unit IS NOT NULL AND t.depth < 20
        )
        SELECT DISTINCT ancestor, descendant, depth FROM tree
        UNION ALL SELECT ?, unit, 99 FROM units""",
        [ALL_UNITS],
    )


def refresh_staff_cells(con) -> None:
    """Rebuild staff_cells and career_cells from the staff table, in the transaction that changed staff."""
    con.execute("DELETE FROM staff_cells")
    con.execute(f"INSERT INTO staff_cells BY NAME {STAFF_CELLS_V7}")
    con.execute("DELETE FROM career_cells")
    con.execute(f"INSERT INTO career_cells BY NAME {CAREER_CELLS}")


def history(con) -> pd.DataFrame:
    return con.execute("""
        SELECT batch_id, kind, file_name, sheet, years, row_count, imported_at, synthetic,
               replaced_by, sha256
        FROM import_batches ORDER BY batch_id""").df()


def unit_names(con, lang: str) -> dict[str, str]:
    """Unit code -> its name in the language where the units sheet gives one, else in the other
    language, else the code (the app, the report and the command line name units this way)."""
    rows = con.execute("SELECT unit, name_sv, name_en FROM units").fetchall()
    pick = (lambda sv, en: sv or en) if lang == "sv" else (lambda sv, en: en or sv)
    return {u: pick(sv, en) or u for u, sv, en in rows}


def has_synthetic(con) -> bool:
    return con.execute(
        "SELECT EXISTS (SELECT 1 FROM import_batches WHERE synthetic AND replaced_by IS NULL)"
    ).fetchone()[0]


def synthetic_years(con) -> dict[str, list[int]]:
    """Kind -> the years of synthetic (demo) data the database still holds, in the order of
    schema.KINDS, then "plan" for the demo's plan and pay survey; kinds without years (units) left out."""
    rows = dict(
        con.execute("""
        SELECT kind, list_sort(list_distinct(flatten(list(years)))) FROM import_batches
        WHERE synthetic AND replaced_by IS NULL AND years IS NOT NULL GROUP BY kind""").fetchall()
    )
    out = {kind: list(rows[kind]) for kind in KINDS if rows.get(kind)}
    plan = [
        y
        for (y,) in con.execute(
            "SELECT DISTINCT year FROM plan_measures WHERE synthetic UNION "
            "SELECT DISTINCT year FROM pay_findings WHERE synthetic ORDER BY 1"
        ).fetchall()
    ]
    if plan:
        out["plan"] = plan
    return out
