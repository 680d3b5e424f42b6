"""sql.py's fragments on a small real DuckDB table (the import graph is tests/test_house.py's)."""

from __future__ import annotations

import duckdb
import pytest

from indicators.store import database, sql

# The tree (a units sheet's rows) and the rows of a table `t` placed in it. rkey = 10 × n, so that
# each key sum below is ten times its count and the two are checked together.
#   UNI ─┬─ S1 ─┬─ D1
#        │      └─ D2
#        └─ S2
UNITS = [("UNI", None), ("S1", "UNI"), ("S2", "UNI"), ("D1", "S1"), ("D2", "S1"), ("O'Brien", "S2")]
ROWS = [  # unit, year, gender, position, employment type, n
    ("UNI", 2023, "woman", "professor", "permanent", 1),
    ("S1", 2023, "man", "lecturer", "temporary", 2),
    ("D1", 2023, "woman", "professor", "permanent", 3),
    ("D1", 2024, "man", "professor", "permanent", 4),
    ("D2", 2024, "other", "lecturer", "permanent", 5),
    ("S2", 2025, "woman", "lecturer", "temporary", 6),
    (None, 2024, "man", "professor", "permanent", 7),  # no unit: a body of the whole university
    ("O'Brien", 2025, "man", "lecturer", "permanent", 8),
]


@pytest.fixture
def con(tmp_path):
    con = database.connect(tmp_path / "t.duckdb")
    con.executemany("INSERT INTO units (unit, parent_unit, batch_id) VALUES (?, ?, 1)", UNITS)
    database.refresh_units(con)  # unit_tree as an import builds it
    con.execute("""CREATE TABLE t (unit VARCHAR, year SMALLINT, gender VARCHAR, position_category VARCHAR,
                                   employment_type VARCHAR, n INTEGER, rkey INTEGER)""")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ? * 10)", [(*r, r[-1]) for r in ROWS])
    yield con
    con.close()


def count(con, rows: sql.Fragment, where: sql.Fragment | None = None) -> int:
    where = where or sql.Fragment("true")
    return sql.execute(con, f"SELECT count(*) FROM {rows} r WHERE {where}", rows, where).fetchone()[0]


def test_a_unit_with_its_sub_units(con):
    # S1: its own row, D1's two and D2's one = 4; D2 alone 1; S2: S2's and O'Brien's = 2.
    assert count(con, sql.in_units("t", ["S1"])) == 4
    assert count(con, sql.in_units("t", ["D2"])) == 1
    assert count(con, sql.in_units("t", ["S2"])) == 2
    # The whole organisation: the 7 rows with a unit; with `unplaced` also the one without = 8.
    assert count(con, sql.in_units("t", [sql.ALL_UNITS])) == 7
    assert count(con, sql.in_units("t", [sql.ALL_UNITS], unplaced=True)) == 8
    # A row without a unit belongs to no school, unplaced or not: S2 keeps its 2.
    assert count(con, sql.in_units("t", ["S2"], unplaced=True)) == 2


def test_several_units_side_by_side(con):
    # S1 (4 rows) and D1 (2 rows, also among S1's): each counted once per unit, 6 in all.
    rows = sql.in_units("t", ["S1", "D1"])
    got = dict(sql.execute(con, f"SELECT scope, count(*) FROM {rows} GROUP BY scope", rows).fetchall())
    assert got == {"S1": 4, "D1": 2}


def test_a_value_never_enters_the_sql_text(con):
    rows = sql.in_units("t", ["O'Brien"])
    assert "O'Brien" not in rows.sql and rows.params == {"units": ["O'Brien"]}
    assert count(con, rows) == 1


def test_year_range_and_one_year(con):
    everywhere = sql.in_units("t", [sql.ALL_UNITS])
    # Placed rows by year: 2023 UNI, S1, D1; 2024 D1, D2; 2025 S2, O'Brien.
    assert count(con, everywhere, sql.year_range("r.year", 2023, 2024)) == 5
    assert count(con, everywhere, sql.year_range("r.year", None, 2023)) == 3  # open start
    assert count(con, everywhere, sql.year_range("r.year", 2024, None)) == 4  # open end
    assert count(con, everywhere, sql.year_range("r.year", None, None)) == 7  # every year
    assert count(con, everywhere, sql.in_year("r.year", 2024)) == 2
    assert count(con, everywhere, sql.in_year("r.year", None)) == 0  # no year: no rows


def test_positions_and_employment_type(con):
    everywhere = sql.in_units("t", [sql.ALL_UNITS])
    # Professors with a unit: UNI, D1 2023, D1 2024 = 3; none chosen: all 7.
    assert count(con, everywhere, sql.positions("r.position_category", ["professor"])) == 3
    assert count(con, everywhere, sql.positions("r.position_category", [])) == 7
    assert count(con, everywhere, sql.employment_type("r.employment_type", "temporary")) == 2  # S1, S2
    # All together: 2023-2024, professors, permanent = UNI 2023, D1 2023, D1 2024.
    both = (
        sql.year_range("r.year", 2023, 2024)
        & sql.positions("r.position_category", ["professor"])
        & sql.employment_type("r.employment_type", "permanent")
    )
    assert count(con, everywhere, both) == 3
    assert count(con, everywhere, sql.both()) == 7


def test_gender_sums(con):
    rows = sql.in_units("t", ["S1"])
    sums = sql.gender_sums("sum(n)", key="sum(rkey)", cast="BIGINT")
    got = sql.execute(con, f"SELECT {sums} FROM {rows}", rows, sums).df().iloc[0].to_dict()
    # S1's rows: women D1 3; men S1 2 + D1 4 = 6; other D2 5; total 14; each key ten times its count.
    assert got == {
        "women": 3,
        "women__ck": 30,
        "men": 6,
        "men__ck": 60,
        "other": 5,
        "other__ck": 50,
        "total": 14,
        "total__ck": 140,
    }
    # Women and men only (She Figures' T = W + M) in 2024: no women (0, or NULL without `zero`), men 4.
    two = sql.gender_sums("sum(n)", within="year = 2024", names="{}_24", genders=("women", "men"), total="two")
    got = sql.execute(con, f"SELECT {two} FROM {rows}", rows, two).df().iloc[0].to_dict()
    assert got == {"women_24": 0, "men_24": 4, "total_24": 4}
    bare = sql.gender_sums("sum(n)", within="year = 2024", genders=("women",), total=None, zero=False, largest="max(n)")
    got = sql.execute(con, f"SELECT {bare} FROM {rows}", rows, bare).fetchone()
    assert got == (None, None)


def test_sub_units(con):
    def children(unit):
        frag = sql.sub_units(unit)
        return [r[0] for r in sql.execute(con, f"{frag} ORDER BY unit", frag).fetchall()]

    assert children(sql.ALL_UNITS) == ["UNI"]  # the organisation's sub-unit is its root
    assert children("UNI") == ["S1", "S2"]
    assert children("D1") == []
    tree = sql.below(["S1", sql.ALL_UNITS])
    pairs = sql.execute(con, f"SELECT ancestor, count(*) FROM ({tree}) GROUP BY ancestor", tree).fetchall()
    assert dict(pairs) == {"S1": 3, sql.ALL_UNITS: 6}  # S1, D1, D2; every one of the six units


def test_staff_rows_else_the_leave_sheet(con):
    # S1 in 2024 (the tree above): D1's staff rows give sick days (3 women with 30 days; 2 men whose
    # rows give none), so D1 is counted from them and its leave row (10 women, 99 days) is not; D2's
    # staff rows give no sick days, so D2 comes from its leave row (4 men, 12 days) and its staff cell
    # (5 men) is not counted for this measure. D2's 2025 leave row is outside the years asked for.
    con.executemany(
        """INSERT INTO staff_cells (year, unit, position_category, gender, people, fte, sick_leave_days,
                                                with_parental, with_care, with_sick)
                       VALUES (2024, ?, 'professor', ?, ?, ?, ?, 0, 0, ?)""",
        [("D1", "woman", 3, 3.0, 30, 3), ("D1", "man", 2, 2.0, None, 0), ("D2", "man", 5, 5.0, None, 0)],
    )
    con.executemany(
        "INSERT INTO leave (batch_id, year, unit, gender, staff, sick_leave_days) VALUES (1, ?, ?, ?, ?, ?)",
        [(2024, "D1", "woman", 10, 99), (2024, "D2", "man", 4, 12), (2025, "D2", "man", 4, 50)],
    )
    rows = sql.staff_else_leave(
        ["S1"],
        2024,
        2024,
        cells="s.people, s.sick_leave_days",
        given="s.with_sick",
        staff_sums="sum(people) AS people, sum(sick_leave_days) AS sick",
        leave_sums="sum(l.staff), sum(l.sick_leave_days)",
        leave_given="l.sick_leave_days IS NOT NULL",
    )
    got = sql.execute(
        con, f"{rows} SELECT scope, year, gender, source, people, sick FROM by_gender ORDER BY ALL", rows
    ).fetchall()
    assert got == [
        ("S1", 2024, "man", "leave", 4, 12),
        ("S1", 2024, "man", "staff", 2, None),
        ("S1", 2024, "woman", "staff", 3, 30),
    ]


def test_parameters_travel_with_their_fragment(con):
    rows = sql.in_units("t", ["S1"])
    with pytest.raises(ValueError, match=r"\$units"):  # one name, two values
        sql.merge(rows, sql.in_units("t", ["S2"]))
    with pytest.raises(duckdb.Error):  # the fragment's text without its parameters
        con.execute(f"SELECT count(*) FROM {rows}").fetchone()
    with pytest.raises(duckdb.Error):  # parameters of a fragment the query does not use
        sql.execute(con, "SELECT 1", rows).fetchone()
