"""Nothing silently lost (issue 20, items 2 and 3): a required value that a personnummer could have given
and did not is refused by row; a database error reaches nobody (the store says it as the checker
would, and rolls back); sheets of one kind and year combine, the same person twice refused by sheet
and row; `history` lists exactly the rows the database holds. Real xlsx files, a real DuckDB file and
the command line's main()."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from indicators import cli
from indicators.store import check, database, importer, read, readings
from indicators.store.schema import KINDS

HEAD = ["year", "person_id", "unit", "parent_unit", "position", "fte", "monthly_salary"]
TABLES = ("staff", "committees", "units", "import_batches", "unit_tree", "staff_cells")


def workbook(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def people(ids, year=2009, gender=True) -> list[list]:
    head = HEAD[:5] + (["gender"] if gender else []) + HEAD[5:]
    return [head] + [
        [year, pid, "D1", "S1", "Professor", *(["K" if i % 2 else "M"] if gender else []), 1, 45000 + i]
        for i, pid in enumerate(ids)
    ]


def snapshot(db) -> dict:
    con = database.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


def problems(checked) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.code) for c in checked for p in c.errors]


@pytest.fixture
def seeded(tmp_path):
    db = tmp_path / "b.duckdb"
    assert (
        cli.main(
            ["import", str(workbook(tmp_path / "old.xlsx", {"staff": people(["X1", "X2"], 2008)})), "--db", str(db)]
        )
        == 0
    )
    return db


# --- item 2: required values a personnummer may give ------------------------------------------------


def test_a_staff_file_without_gender_is_refused_by_check_and_import(tmp_path, seeded, capsys):
    """The issue's file: 40 rows, no gender column, employee numbers (nothing to read a gender from).
    Before, `check` said "staff, 40 rows" and `import` ended in a ConstraintException."""
    path = workbook(tmp_path / "nogender.xlsx", {"staff": people([f"N{i}" for i in range(40)], gender=False)})
    assert problems([check.check_file(path)]) == [("staff", None, "gender", "missing_derivable")]
    assert cli.main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nogender.xlsx, sheet staff, column gender: the required column is missing, and no id" in err, err
    before = snapshot(seeded)
    assert cli.main(["import", str(path), "--db", str(seeded)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err
    assert snapshot(seeded) == before


def test_rows_whose_id_gives_no_gender_are_refused_by_row(tmp_path):
    # rows 2 and 4 are personnummer (test numbers: valid dates and check digits), row 3 an employee
    # number, and row 5 ten digits that are no personnummer (month 34): rows 3 and 5 have no gender
    rows = [
        ["år", "personnummer", "enhet", "befattning"],
        [2024, "19850709-9805", "U1", "Lektor"],
        [2024, "E123", "U1", "Lektor"],
        [2024, "850709-9813", "U1", "Lektor"],
        [2024, "1234567890", "U1", "Lektor"],
    ]
    checked = check.check_file(workbook(tmp_path / "p.xlsx", {"staff": rows}))
    assert problems([checked]) == [("staff", 3, "gender", "not_derived"), ("staff", 5, "gender", "not_derived")]
    line = checked.errors[0].render("sv", headers=True)
    assert line.startswith("p.xlsx, flik staff, rad 3, kolumn kön: ") and "personnummer" in line, line


def test_a_personnummer_needs_a_real_date_and_check_digit():
    ids = pd.Series(["19850709-9805", "850709-9813", "121212+1212", "850709-9806", "851309-9805", "1234567890"])
    out = readings.split_personnummer(ids, pd.Series([2024] * 6))
    # the last three: a wrong check digit (…9806), month 13, and month 34
    assert out["is_pnr"].tolist() == [True, True, True, False, False, False]


def test_a_constraint_failure_in_the_store_is_a_problem_and_rolls_back(tmp_path, seeded):
    """A sheet that reaches the store with a NULL gender (what the checker let through before): the
    store names file, sheet, rows and column as the checker does, writes nothing, and the connection
    is usable afterwards."""
    sheet, _ = check.check_sheet(
        "f.xlsx",
        "Personal",
        read.frame_to_grid(
            pd.DataFrame(
                {"year": 2010, "person_id": ["A", "B", "C"], "unit": "D1", "position": "Professor", "gender": "K"}
            )
        ),
        KINDS["staff"],
        0,
    )
    sheet.frame.loc[[0, 2], "gender"] = None  # spreadsheet rows 2 and 4
    before = snapshot(seeded)
    con = database.connect(seeded)
    try:
        with pytest.raises(database.ImportRefused) as refused:
            database.import_sheets(con, [sheet], sha256={})
        assert [str(p) for p in refused.value.problems] == [
            "f.xlsx, sheet Personal, row 2, column gender: empty value in a required column",
            "f.xlsx, sheet Personal, row 4, column gender: empty value in a required column",
        ]
        assert con.execute("SELECT count(*) FROM staff").fetchone() == (2,)  # still usable
    finally:
        con.close()
    assert snapshot(seeded) == before


# --- item 3: sheets of one kind and year ---------------------------------------------------------------


def test_two_sheets_of_one_year_with_the_same_person_are_refused_by_sheet_and_row(tmp_path, seeded, capsys):
    """The issue's workbook: "staff" 25 people, "staff 2" 20 people, 5 of them also in the first sheet,
    all 2009. Before, both batches were listed and only the second sheet's 20 rows were kept."""
    first = [f"P{i}" for i in range(25)]
    second = [f"P{i}" for i in range(20, 40)]  # P20-P24 twice: rows 2-6 of "staff 2"
    path = workbook(tmp_path / "two.xlsx", {"staff": people(first), "staff 2": people(second)})
    before = snapshot(seeded)
    assert cli.main(["import", str(path), "--db", str(seeded)]) == 1
    err = capsys.readouterr().err.splitlines()
    # P20 is row 22 of "staff" (header on row 1) and row 2 of "staff 2"
    assert err[0] == (
        "two.xlsx, sheet staff 2, row 2, column person_id: the same person in the same year as on sheet staff, row 22"
    )
    assert len([e for e in err if "the same person" in e]) == 5
    assert snapshot(seeded) == before
    line = check.check_file(path).errors[0].render("sv", headers=True)
    assert line == "two.xlsx, flik staff 2, rad 2, kolumn person_id: samma person samma år som på flik staff, rad 22"


def test_two_sheets_of_one_year_combine(tmp_path, seeded, capsys):
    """25 + 15 different people for 2009 in two sheets: all 40 are stored, in two batches whose rows
    are those the database holds."""
    path = workbook(
        tmp_path / "two.xlsx",
        {"staff": people([f"P{i}" for i in range(25)]), "staff 2": people([f"P{i}" for i in range(25, 40)])},
    )
    assert cli.main(["import", str(path), "--db", str(seeded)]) == 0
    con = database.connect(seeded)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT person_key) FROM staff WHERE year = 2009").fetchone() == (
            40,
            40,
        )
        assert history_matches_rows(con)
        assert con.execute("SELECT sum(people) FROM staff_cells WHERE year = 2009").fetchone() == (40,)
    finally:
        con.close()
    # and replaced together: a new 2009 file of 3 people leaves exactly those 3
    one = workbook(tmp_path / "new.xlsx", {"staff": people(["Q1", "Q2", "Q3"])})
    assert cli.main(["import", str(one), "--db", str(seeded), "--replace"]) == 0
    con = database.connect(seeded)
    try:
        assert con.execute("SELECT count(*) FROM staff WHERE year = 2009").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM import_batches WHERE replaced_by IS NOT NULL").fetchone() == (2,)
        assert history_matches_rows(con)
    finally:
        con.close()


def test_two_files_of_one_year_in_one_import_combine_or_are_refused_together(tmp_path, seeded, capsys):
    a = workbook(tmp_path / "a.xlsx", {"Personal": people(["P1", "P2", "P3"])})
    b = workbook(tmp_path / "b.xlsx", {"Personal": people(["P3", "P4"])})  # P3 again: row 2 of b.xlsx
    before = snapshot(seeded)
    assert cli.main(["import", str(a), str(b), "--db", str(seeded)]) == 1
    err = capsys.readouterr().err
    assert (
        "b.xlsx, sheet Personal, row 2, column person_id: the same person in the same year as in a.xlsx, "
        "sheet Personal, row 4"
    ) in err, err
    assert snapshot(seeded) == before
    c = workbook(tmp_path / "c.xlsx", {"Personal": people(["P4", "P5"])})
    assert cli.main(["import", str(a), str(c), "--db", str(seeded)]) == 0
    con = database.connect(seeded)
    try:
        assert con.execute("SELECT count(*) FROM staff WHERE year = 2009").fetchone() == (5,)
        assert history_matches_rows(con)
    finally:
        con.close()


def test_a_unit_with_two_parents_across_sheets_is_refused(tmp_path):
    rows_b = people(["P9"])
    rows_b[1][3] = "S2"  # D1 under S2 here, under S1 in the first sheet
    checked = importer.check_files([workbook(tmp_path / "u.xlsx", {"staff": people(["P1"]), "staff 2": rows_b})])
    assert problems(checked.checked) == [("staff 2", 2, "parent_unit", "two_parents")]


def history_matches_rows(con) -> bool:
    """Every batch history lists holds exactly the rows it says; a replaced batch holds none."""
    for kind, table in ((k, v.table) for k, v in KINDS.items()):
        listed = dict(
            con.execute(
                "SELECT batch_id, row_count FROM import_batches WHERE kind = ? AND replaced_by IS NULL", [kind]
            ).fetchall()
        )
        held = dict(con.execute(f"SELECT batch_id, count(*) FROM {table} GROUP BY batch_id").fetchall())
        if table == "units":
            continue  # units rows from staff sheets carry no batch
        if listed != held:
            return False
    return True


def test_a_batch_replaced_in_part_keeps_what_it_still_holds(tmp_path, seeded, capsys):
    """A file of 2009 and 2010, then 2010 replaced: the first batch still holds its 2009 rows, so
    history lists it with 2009 and those rows (not as replaced, with the count of both years), and a
    new 2009 file without --replace is refused rather than deleting them unannounced."""
    both = workbook(tmp_path / "both.xlsx", {"staff": people(["A", "B", "C"], 2009)[:] + people(["A", "B"], 2010)[1:]})
    assert cli.main(["import", str(both), "--db", str(seeded)]) == 0  # batch 2: 3 + 2 rows
    new_2010 = workbook(tmp_path / "2010.xlsx", {"staff": people(["D"], 2010)})
    assert cli.main(["import", str(new_2010), "--db", str(seeded), "--replace"]) == 0  # batch 3
    con = database.connect(seeded)
    try:
        assert con.execute(
            "SELECT years, row_count, replaced_by FROM import_batches WHERE batch_id = 2"
        ).fetchone() == ([2009], 3, None)
        assert history_matches_rows(con)
    finally:
        con.close()
    capsys.readouterr()
    again = workbook(tmp_path / "2009.xlsx", {"staff": people(["E"], 2009)})
    before = snapshot(seeded)
    assert cli.main(["import", str(again), "--db", str(seeded)]) == 1
    assert "staff for 2009 was already imported in batch 2" in capsys.readouterr().err
    assert snapshot(seeded) == before
