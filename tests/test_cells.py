"""The cells materialised at publish (store/cells.py) against the person rows: for every indicator that
the registry sums from the snapshot's cells, the published table (and the base table before it) is the
same, byte for byte in the machine CSV and column type by column type, as the indicator's own query
gives, on the demo, for several units, years, positions, employment types, FTE and the exact tier.
Also: a publish writes the cells, and a snapshot published without them is published again."""

from __future__ import annotations

import dataclasses
import json

import duckdb
import pandas as pd
import pytest

from helpers import load, staff_rows
from indicators import cli
from indicators.present import export
from indicators.protect import privacy, registry
from indicators.protect.registry import Filters
from indicators.store import cells, snapshot, sql, writer
from indicators.subgoals import education, representation

FILTERS = [
    Filters(),
    Filters(unit="UNI", year=2023),
    Filters(unit="BIO"),
    Filters(unit="BIO-2", year=2024),
    Filters(unit="ELE", positions=("professor",)),
    Filters(unit="ELE", positions=("professor", "lecturer")),
    Filters(unit="IND", employment_type="temporary"),
    Filters(unit="NAT", measure="fte"),
    Filters(unit="ARK", year=2022, year_from=2018, year_to=2022),
    Filters(unit="ADM-3", year=2016),
    Filters(unit="BIO", exact=True),
    Filters(positions=("postdoc", "researcher"), exact=True, measure="fte"),
    Filters(unit="ELE", year=2021, positions=("phd_student",), employment_type="permanent"),
    Filters(unit="NOWHERE"),  # a unit without rows: empty tables, the same types
    Filters(unit="BIO", year=1990),  # a year without rows
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_copy):
    db = demo_copy(tmp_path_factory.mktemp("cells") / "demo.duckdb", seed=7)
    reader = writer.reader(db)
    yield db, reader.connection()
    reader.close()


def from_cells() -> list[str]:
    return [i for i, ind in registry.load_all().items() if ind.from_cells is not None]


def test_the_pages_tables_come_from_cells():
    # representation's page reads its seven tables from cells (the pipeline's student stages from the
    # students sheet held beside them), pay's equal_value and its pairs, pay's quantile tables from each
    # year's salaries in memory (store/salaries.py), and (from tables of one year made once per
    # snapshot, cells.of_year) adjusted_gap, job_value and raise_after_leave
    assert {
        "pipeline",
        "representation",
        "representation_units",
        "representation_trend",
        "glass_ceiling",
        "segregation",
        "managers",
        "equal_value",
        "salary_distribution",
        "equal_work",
        "pay_quartiles",
        "pay_transparency",
        "equal_value_pairs",
        "adjusted_gap",
        "job_value",
        "raise_after_leave",
    } <= set(from_cells())


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[8:60])
def test_cells_give_what_person_rows_give(demo, f):
    _, con = demo
    held = cells.of(con)
    assert held is not None
    for ind_id in from_cells():
        ind = registry.REGISTRY[ind_id]
        cur = con.cursor()
        on_demand = ind.function(cur, f)
        cur.close()
        materialised = ind.from_cells(held, f)
        assert materialised is not None, ind_id
        pd.testing.assert_frame_equal(materialised, on_demand, check_exact=False, rtol=1e-12, obj=ind_id)
        published = registry.compute(con, ind_id, f)
        # a protected table is for one position or all: several positions publish all (registry._published)
        g = f.with_(positions=()) if privacy.widened(ind.protection, f) else f
        if g is not f:
            cur = con.cursor()
            on_demand = ind.function(cur, g)
            cur.close()
        expected = privacy.publish(on_demand, ind.protection, g, exact=g.exact, branches=registry.branches(con))
        assert list(published.dtypes.astype(str)) == list(expected.dtypes.astype(str)), ind_id
        assert export.machine_csv(published, ind_id) == export.machine_csv(expected, ind_id), ind_id


def test_the_units_with_sub_units_from_the_cells_are_unit_trees(demo):
    # registry.branches (privacy.OWN_UNIT) from the snapshot's cells and from unit_tree: the same units
    _, con = demo
    held = registry.branches(con)
    tree = {u for (u,) in con.execute("SELECT DISTINCT ancestor FROM unit_tree WHERE depth > 0").fetchall()}
    assert held == tree and sql.ALL_UNITS in held and len(held) > 5


def test_student_stages_from_the_held_sheet_are_the_querys(demo):
    # The pipeline's student stages summed from the students sheet held with the cells (cells.held_query)
    # against education.student_stage_counts' query: rows, counts, keys (each moved to its stage's
    # measure from the declared one) and types, for a school, a department, the whole university, a
    # unit that has none, two years, one, none and a year without rows.
    _, con = demo
    held = cells.of(con)
    cur = con.cursor()
    rows = 0
    for unit in ("BIO", "BIO-2", "*", "NOWHERE"):
        for years in ([2019, 2024], [2024], [], [1990]):
            for declared in ("people", "registered"):
                queried = education.student_stage_counts(cur, [unit], years, declared=declared)
                summed = education.student_stage_counts_cells(held, unit, years, declared=declared)
                pd.testing.assert_frame_equal(summed, queried, obj=f"{unit} {years} {declared}")
                rows += len(queried)
    cur.close()
    assert rows > 0  # the demo's schools have students: the comparison compared something


def test_a_snapshot_no_longer_held_leaves_the_pipeline_to_its_query(demo):
    # A page that took the cells just before a newer snapshot pushed theirs out (cells.KEEP): the
    # students sheet can no longer be read beside them (cells.connection_of gives None for cells that
    # are not held), so the pipeline's cells path gives None, the registry's sign to run the query,
    # and the pipeline on a cursor answers from its query: the same table, never an error.
    _, con = demo
    held = cells.of(con)
    stale = dataclasses.replace(held, _made={})  # the same cells, no longer among those held
    assert cells.connection_of(stale) is None
    f = Filters(unit="BIO", year=2024)
    assert education.student_stage_counts_cells(stale, "BIO", [2019, 2024]) is None
    assert registry.REGISTRY["pipeline"].from_cells(stale, f) is None
    cur = con.cursor()
    try:
        queried = representation._pipeline(cur, f, None)
        pd.testing.assert_frame_equal(representation._pipeline(cur, f, stale), queried)
    finally:
        cur.close()
    assert (queried["stage"] == "students").any()  # the student stages were there to compare


def test_a_position_no_row_holds_selects_no_row(demo):
    # cells.Table.code gives -2 for a label the table does not hold; the selection must then pick no
    # row at all. (With a mask one longer than the labels, -2 was the last label's place: a position
    # missing from the data selected the rows of whichever position sorted last.)
    _, con = demo
    held = cells.of(con)
    staff = held.staff
    last = staff.labels["position_category"][-1]
    everyone = cells.Scope(("UNI",), None, None)
    assert len(cells.rows(staff, held.below, everyone, "UNI")) > 0
    assert staff.code("position_category", "no such position") == -2
    unknown = cells.Scope(("UNI",), None, None, ("no such position",))
    assert len(cells.rows(staff, held.below, unknown, "UNI")) == 0
    # and beside a position that is there, it adds nothing: the same rows as that position alone
    alone = cells.rows(staff, held.below, cells.Scope(("UNI",), None, None, (last,)), "UNI")
    both = cells.rows(staff, held.below, cells.Scope(("UNI",), None, None, (last, "no such position")), "UNI")
    assert len(alone) > 0 and list(both) == list(alone)
    first = staff.labels["position_category"][0]
    with_first = cells.rows(staff, held.below, cells.Scope(("UNI",), None, None, (first, "no such position")), "UNI")
    only_first = cells.rows(staff, held.below, cells.Scope(("UNI",), None, None, (first,)), "UNI")
    assert list(with_first) == list(only_first)


def test_publish_writes_the_cells(demo):
    db, con = demo
    pointer = snapshot.read_pointer(db)
    assert pointer.cells == cells.VERSION
    # the demo's salaried women and men, counted in person rows and in the cells
    people, total = con.execute(
        "SELECT count(*), sum(monthly_salary) FROM staff WHERE monthly_salary > 0 AND gender IN ('woman', 'man')"
    ).fetchone()
    assert con.execute("SELECT sum(people), sum(salary_sum) FROM pay_cells").fetchone() == (people, total)


def test_a_snapshot_without_cells_is_published_again(tmp_path):
    db = tmp_path / "b.duckdb"
    assert cli.main(["demo", "--seed", "3", "--scale", "0.1", "--db", str(db)]) == 0
    pointer = snapshot.read_pointer(db)
    # as a Balans before the cells left it: no pay_cells, a pointer without "cells"
    old = tmp_path / "old.duckdb"
    old.write_bytes(pointer.file.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("DROP TABLE pay_cells")
    con.close()
    pointer.file.chmod(0o600)
    pointer.file.write_bytes(old.read_bytes())
    record = json.loads((snapshot.folder(db) / snapshot.POINTER).read_text())
    del record["cells"]
    (snapshot.folder(db) / snapshot.POINTER).write_text(json.dumps(record))
    assert snapshot.is_stale(db)
    reader = writer.reader(db)  # catches up: publishes the store again, with its cells
    try:
        assert snapshot.read_pointer(db).generation == pointer.generation + 1
        assert cells.of(reader.connection()) is not None
    finally:
        reader.close()


def test_equal_value_from_cells_by_job_level_and_by_value_group(tmp_path):
    # A year without a job evaluation groups by job level, one with an evaluation by value group (the
    # cells carry each job's points); both as the query gives them. Annual pay is not in the cells: None.
    # Professors (job level 8) are scored 5 of 5 on the plan's one sub-factor: 100 points, value group 10;
    # lecturers (level 5) 3 of 5: 60 points, group 7 (floor(60 / 10) + 1).
    db = tmp_path / "v.duckdb"
    rows = staff_rows(
        [("Professor", "K", 6), ("Professor", "M", 6), ("Adjunkt", "K", 7), ("Adjunkt", "M", 5)],
        year=2025,
        unit="A",
        fte=1.0,
        monthly_salary=[60_000 + 500 * i for i in range(12)] + [40_000 + 300 * i for i in range(12)],
        job_level=[8] * 12 + [5] * 12,
    )
    with writer.writing(db) as con:
        load(con, "staff", rows)
    shown = {}
    for evaluated in (False, True):
        if evaluated:
            with writer.writing(db) as con:
                load(
                    con,
                    "factor_plan",
                    pd.DataFrame(
                        [
                            {
                                "year": 2025,
                                "criterion": "kunskaper och färdigheter",
                                "subfactor": "utbildning",
                                "weight": 100,
                                "levels": 5,
                            }
                        ]
                    ),
                )
                load(
                    con,
                    "job_scores",
                    pd.DataFrame(
                        [
                            {"year": 2025, "job": "Professor", "subfactor": "utbildning", "level": 5},
                            {"year": 2025, "job": "Adjunkt", "subfactor": "utbildning", "level": 3},
                        ]
                    ),
                )
        reader = writer.reader(db)
        try:
            con = reader.connection()
            held = cells.of(con)
            assert held.evaluated == (frozenset({2025}) if evaluated else frozenset())
            ind = registry.load_all()["equal_value"]
            cur = con.cursor()
            on_demand = ind.function(cur, Filters(unit="A"))
            assert ind.from_cells(held, Filters(unit="A", pay="annual")) is None
            cur.close()
            materialised = ind.from_cells(held, Filters(unit="A"))
            pd.testing.assert_frame_equal(materialised, on_demand, check_exact=False, rtol=1e-12)
            # pay_transparency's category rows by value group (evaluated) or job level, from the salaries
            transparency = registry.REGISTRY["pay_transparency"]
            cur = con.cursor()
            on_demand = transparency.function(cur, Filters(unit="A"))
            cur.close()
            pd.testing.assert_frame_equal(transparency.from_cells(held, Filters(unit="A")), on_demand)
            assert on_demand["part"].tolist().count("value_group" if evaluated else "job_level") == 2
            shown[evaluated] = materialised[["basis", "position", "job_level", "total"]].values.tolist()
        finally:
            reader.close()
    assert shown[False] == [["job_level", "lecturer", 5.0, 12], ["job_level", "professor", 8.0, 12]]
    assert shown[True] == [["evaluation", "lecturer", 7, 12], ["evaluation", "professor", 10, 12]]
