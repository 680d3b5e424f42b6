"""The DuckDB file: transactions, re-import rules, history, the unit tree and pseudonymisation."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from helpers import load, staff_rows
from indicators.protect import privacy
from indicators.store import check, database, keys, read
from indicators.store.schema import KINDS


def counts(con):
    return {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("staff", "committees", "import_batches", "units")
    }


def test_schema_is_created_and_versioned(db):
    assert database.schema_version(db) == database.SCHEMA_VERSION
    database.migrate(db)  # idempotent
    assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == database.SCHEMA_VERSION


def test_an_import_that_fails_half_way_leaves_no_rows(db):
    load(db, "staff", staff_rows([("Professor", "K", 3)], year=2023))
    before = counts(db)
    good, _ = check.check_sheet(
        "f.xlsx", "staff", read.frame_to_grid(staff_rows([("Professor", "M", 2)])), KINDS["staff"], 0
    )
    bad, _ = check.check_sheet(
        "f.xlsx",
        "committees",
        read.frame_to_grid(pd.DataFrame({"year": [2024], "body": ["B"], "gender": ["K"]})),
        KINDS["committees"],
        0,
    )
    bad.frame.loc[0, "gender"] = None  # breaks NOT NULL in the database, after staff rows were written
    with pytest.raises(database.ImportRefused):
        database.import_sheets(db, [good, bad], sha256={})
    assert counts(db) == before


def test_reimport_of_a_kind_and_year_is_refused_unless_replace(db):
    load(db, "staff", staff_rows([("Professor", "K", 3)], year=2024))
    with pytest.raises(database.ImportRefused, match=r"staff for 2024 was already imported in batch 1 \(test.xlsx"):
        load(db, "staff", staff_rows([("Professor", "M", 5)], year=2024))
    assert db.execute("SELECT count(*) FROM staff").fetchone()[0] == 3
    load(db, "staff", staff_rows([("Professor", "M", 5)], year=2024), replace=True)
    assert db.execute("SELECT count(*), min(gender) FROM staff").fetchone() == (5, "man")
    hist = database.history(db)
    assert hist["replaced_by"].tolist()[0] == 2
    # Another year is not a clash.
    load(db, "staff", staff_rows([("Professor", "M", 1)], year=2025))


def test_remove_batch(db):
    load(db, "staff", staff_rows([("Professor", "K", 3)], year=2024))
    load(db, "staff", staff_rows([("Professor", "K", 2)], year=2025))
    assert database.remove_batch(db, 1) == 3
    assert db.execute("SELECT DISTINCT year FROM staff").fetchall() == [(2025,)]
    with pytest.raises(database.StoreError, match="no import batch 7"):
        database.remove_batch(db, 7)


def test_staff_cells_follow_every_import_removal_and_undo(db):
    def cells():
        return db.execute(
            "SELECT year, gender, people, fte, sick_leave_days, with_sick FROM staff_cells ORDER BY ALL"
        ).fetchall()

    # 2024: three women at 0.5 FTE with 2 sick days each -> one cell of 3 people, 1.5 FTE, 6 days.
    load(db, "staff", staff_rows([("Professor", "K", 3)], year=2024, fte=0.5, sick_leave_days=2))
    # 2025: two men, FTE not given (counts as 1) and no sick days -> 2 people, 2.0 FTE, no days, 0 giving them.
    load(db, "staff", staff_rows([("Professor", "M", 2)], year=2025))
    assert cells() == [(2024, "woman", 3, 1.5, 6.0, 3), (2025, "man", 2, 2.0, None, 0)]
    database.remove_batch(db, 1)
    assert cells() == [(2025, "man", 2, 2.0, None, 0)]
    database.undo_remove(db)
    assert cells() == [(2024, "woman", 3, 1.5, 6.0, 3), (2025, "man", 2, 2.0, None, 0)]
    load(db, "staff", staff_rows([("Professor", "K", 1)], year=2025), replace=True)
    assert cells() == [(2024, "woman", 3, 1.5, 6.0, 3), (2025, "woman", 1, 1.0, None, 0)]


def test_unit_tree_from_parent_units(db):
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("Professor", "K", 1)], unit="D1", parent="S1"),
                staff_rows([("Professor", "K", 1)], unit="D2", parent="S1"),
                staff_rows([("Professor", "K", 1)], unit="D3", parent="S2"),
            ]
        ),
    )

    def below(u):
        return sorted(r[0] for r in db.execute("SELECT descendant FROM unit_tree WHERE ancestor = ?", [u]).fetchall())

    assert below("S1") == ["D1", "D2", "S1"]
    assert below(database.ALL_UNITS) == ["D1", "D2", "D3", "S1", "S2"]


def test_units_sheet_names_and_parents_win(db):
    load(db, "staff", staff_rows([("Professor", "K", 1)], unit="D1"))
    load(
        db,
        "units",
        pd.DataFrame(
            {
                "unit": ["D1", "S1"],
                "name_sv": ["Avd 1", "Skola 1"],
                "name_en": ["Dept 1", "School 1"],
                "parent_unit": ["S1", None],
            }
        ),
    )
    assert db.execute("SELECT parent_unit, name_en FROM units WHERE unit = 'D1'").fetchone() == ("S1", "Dept 1")
    assert db.execute("SELECT count(*) FROM unit_tree WHERE ancestor = 'S1'").fetchone()[0] == 2


def test_raw_person_ids_never_reach_the_database_file(tmp_path):
    path = tmp_path / "p.duckdb"
    con = database.connect(path)
    df = staff_rows([("Professor", "K", 3)])
    df["person_id"] = ["19850709-9805", "RAWID-000017", "RAWID-000018"]
    load(con, "staff", df)
    keys = [r[0] for r in con.execute("SELECT person_key FROM staff").fetchall()]
    con.execute("CHECKPOINT")
    con.close()
    data = path.read_bytes()
    for raw in (b"8507099805", b"850709", b"RAWID-000017", b"RAWID"):
        assert raw not in data
    assert all(len(k) == 32 for k in keys)
    # The key file is owner-only.
    mode = stat.S_IMODE(os.stat(privacy.key_path(path)).st_mode)
    assert mode == 0o600


def test_the_same_person_gets_the_same_key_across_years(db):
    a = staff_rows([("Professor", "K", 1)], year=2023)
    b = staff_rows([("Professor", "K", 1)], year=2024)
    a["person_id"] = b["person_id"] = "E-42"
    load(db, "staff", pd.concat([a, b]))
    assert db.execute("SELECT count(DISTINCT person_key) FROM staff").fetchone()[0] == 1


def test_a_lost_key_is_an_error_not_a_new_key(tmp_path):
    path = tmp_path / "k.duckdb"
    con = database.connect(path)
    load(con, "staff", staff_rows([("Professor", "K", 1)], year=2023))
    privacy.key_path(path).unlink()
    with pytest.raises(privacy.KeyMissing, match="restore the key"):
        load(con, "staff", staff_rows([("Professor", "K", 1)], year=2024))
    assert con.execute("SELECT count(*) FROM staff").fetchone()[0] == 1


def test_a_corrupt_database_file_gives_a_clear_message(tmp_path):
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a database" * 1000)
    with pytest.raises(database.StoreError, match="cannot be opened|damaged"):
        database.connect(path)


def test_sql_and_python_pseudonymisation_agree():
    import duckdb

    key = bytes(range(32))
    ids = pd.Series(["E123", "Ö-åäö-7", "8507099805", None, ""], dtype=object)
    expr, params = privacy.pseudonymise_sql("x", key)
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"x": ids}))
    in_sql = [r[0] for r in con.execute(f"SELECT {expr} FROM t", params).fetchall()]
    assert in_sql == privacy.pseudonymise(ids, key).tolist()
    assert in_sql[3] is None and in_sql[4] is None


def test_pseudonyms_hash_each_distinct_id_once_to_the_same_values(db):
    # The import's way (keys.pseudonyms: distinct ids hashed, then spread over the rows) gives every
    # row what the per-row HMAC gives, in the rows' own order and index: repeats the same pseudonym,
    # a missing or empty id none.
    key = bytes(range(32))
    ids = pd.Series(["E123", None, "Ö-åäö-7", "", "E123", "E9"], index=[7, 3, 5, 1, 0, 2], dtype="str")
    got = keys.pseudonyms(db, ids, key)
    want = privacy.pseudonymise(ids, key)
    assert list(got.index) == [7, 3, 5, 1, 0, 2]
    assert [None if pd.isna(v) else v for v in got] == want.tolist()
    assert got[7] == got[0] and pd.isna(got[3]) and pd.isna(got[1])


def test_career_spells_run_over_consecutive_years_across_seventy_years(db):
    # Person rows straight into staff (one a year, as every import leaves them), then the career cells.
    # A: associate professor 2016-2017, professor 2018-2019, away in 2020, professor again in 2021.
    # B: postdoc every year 2015-2021. C: professor 1951-1952, so the data span 70 years (more bits
    # than a BIGINT mask holds) and 1951 is the first year of data.
    people = [("A", "associate_professor", y) for y in (2016, 2017)]
    people += [("A", "professor", y) for y in (2018, 2019, 2021)]
    people += [("B", "postdoc", y) for y in range(2015, 2022)] + [("C", "professor", y) for y in (1951, 1952)]
    db.executemany(
        "INSERT INTO staff (batch_id, year, person_key, unit, position, position_category, gender) "
        "VALUES (1, ?, ?, 'U', ?, ?, 'woman')",
        [[year, who, category, category] for who, category, year in people],
    )
    database.refresh_staff_cells(db)
    cells = db.execute(
        """SELECT year, position_category, spell, spell_known, prev_position_category, prev_spell, prev_spell_known
           FROM career_cells ORDER BY year, position_category NULLS FIRST"""
    ).fetchall()
    # A spell is the run of consecutive years in the category up to that year; it is known when it began
    # after 1951. Cells exist only for years whose previous year has data (not 1951, not 2015: 2014 has none).
    assert cells == [
        (1952, "professor", 2, False, "professor", 1, False),  # C: began in the first year, start unknown
        (2016, "associate_professor", 1, True, None, None, None),  # A enters
        (2016, "postdoc", 2, True, "postdoc", 1, True),  # B: 2015-2016, known (2015 > 1951)
        (2017, "associate_professor", 2, True, "associate_professor", 1, True),
        (2017, "postdoc", 3, True, "postdoc", 2, True),
        (2018, "postdoc", 4, True, "postdoc", 3, True),
        (2018, "professor", 1, True, "associate_professor", 2, True),  # A promoted: a new spell
        (2019, "postdoc", 5, True, "postdoc", 4, True),
        (2019, "professor", 2, True, "professor", 1, True),
        (2020, None, None, None, "professor", 2, True),  # A leaves
        (2020, "postdoc", 6, True, "postdoc", 5, True),
        (2021, "postdoc", 7, True, "postdoc", 6, True),
        (2021, "professor", 1, True, None, None, None),  # A back after a year away: the run starts again
    ]
