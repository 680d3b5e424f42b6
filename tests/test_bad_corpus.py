"""Every file of the bad-input corpus through `python -m indicators import`: message, exit code, no
traceback, and the database unchanged in every table (tests/data/bad/expected.csv lists the cases)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from indicators import cli
from indicators.store import database, read

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
CASES = list(csv.DictReader(open(BAD / "expected.csv", encoding="utf-8")))
DATA_TABLES = (
    "staff",
    "committees",
    "units",
    "import_batches",
    "unit_tree",
    "students",
    "leave",
    "incidents",
    "recruitment",
)


def snapshot(db: Path) -> dict:
    con = database.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DATA_TABLES}
    finally:
        con.close()


@pytest.fixture
def seeded(tmp_path):
    """A database that already holds one year, so 'unchanged' means something."""
    db = tmp_path / "b.duckdb"
    assert cli.main(["import", str(ROOT / "data" / "templates" / "balans_staff_template.xlsx"), "--db", str(db)]) == 0
    return db


def test_every_bad_file_has_its_expected_message():
    # tests/data/bad/ holds the 40 files of docs/deployment.md, "Reliability", and expected.csv; every file has its
    # row there (a file without one would be tested by nothing), and no row names a missing file.
    files = sorted(p.name for p in BAD.iterdir() if p.name != "expected.csv")
    assert sorted(c["file"] for c in CASES) == files
    assert len(files) == 40


def _sheet_names(name: str) -> list[str]:
    try:
        return list(read.read_sheets(BAD / name))
    except read.FileRefused:
        return []


# The people each workbook of several sheets must leave in the database, counted by hand from
# make_bad_corpus.py: (staff rows, distinct people) of its year, 2009, and committee seats.
MULTI_SHEET = {
    "two_staff_sheets_same_year.xlsx": (40, 40, 0),  # "staff" P0-P24 and "staff 2" P25-P39: 25 + 15
    "two_staff_sheets_same_person.xlsx": (0, 0, 0),  # P20-P24 in both sheets: refused, nothing stored
    "staff_and_committees_sheets.xlsx": (4, 4, 2),  # P0-P3 and two seats of Fakultetsrådet
}


def test_every_multi_sheet_case_is_counted():
    assert sorted(c["file"] for c in CASES if len(_sheet_names(c["file"])) > 1) == sorted(MULTI_SHEET)


@pytest.mark.parametrize("name", sorted(MULTI_SHEET))
def test_a_workbook_of_several_sheets_stores_every_person_and_history_what_it_holds(name, seeded, capsys):
    """Issue 20: one sheet's rows deleted another's of the same kind and year, while history listed
    both. Counted after the import: the people stored, and every batch's rows against history's."""
    cli.main(["import", str(BAD / name), "--db", str(seeded)])
    con = database.connect(seeded)
    try:
        staff = con.execute("SELECT count(*), count(DISTINCT person_key) FROM staff WHERE year = 2009").fetchone()
        seats = con.execute("SELECT count(*) FROM committees WHERE year = 2009").fetchone()[0]
        assert (*staff, seats) == MULTI_SHEET[name]
        for kind, table in (("staff", "staff"), ("committees", "committees")):
            listed = con.execute(
                "SELECT batch_id, row_count FROM import_batches WHERE kind = ? AND replaced_by IS NULL ORDER BY 1",
                [kind],
            ).fetchall()
            held = con.execute(f"SELECT batch_id, count(*) FROM {table} GROUP BY 1 ORDER BY 1").fetchall()
            assert listed == held, (kind, listed, held)
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_through_the_cli(case, seeded, capsys):
    before = snapshot(seeded)
    code = cli.main(["import", str(BAD / case["file"]), "--db", str(seeded)])
    err = capsys.readouterr().err
    assert code == int(case["exit"]), err
    assert "Traceback" not in err
    if code == 1:
        assert case["message"] in err, err
        assert err.splitlines()[0].startswith(case["file"])
        assert snapshot(seeded) == before
    else:
        assert snapshot(seeded) != before  # accepted: imported


@pytest.mark.parametrize("name", ["renamed_png.xlsx", "bomb.xlsx", "merged_header.xlsx"])
def test_a_real_process_prints_no_traceback(name, seeded):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(
        [sys.executable, "-m", "indicators", "import", str(BAD / name), "--db", str(seeded)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.startswith(name)


def test_a_file_over_the_upload_limit(tmp_path, seeded, capsys):
    big = tmp_path / "huge.csv"
    with open(big, "wb") as f:  # sparse: costs no disk
        f.truncate((read.max_file_mb() + 1) * 1024 * 1024)
    before = snapshot(seeded)
    assert cli.main(["import", str(big), "--db", str(seeded)]) == 1
    assert f"over the limit of {read.max_file_mb()} MB" in capsys.readouterr().err
    assert snapshot(seeded) == before


def test_the_upload_limit_is_the_apps(tmp_path):
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert read.max_file_mb() == config["server"]["maxUploadSize"]


def test_100_000_rows_with_one_bad_row_at_the_end(tmp_path, seeded, capsys):
    n = 100_000
    df = pd.DataFrame(
        {
            "year": 2023,
            "person_id": [f"E{i}" for i in range(n)],
            "unit": "U1",
            "position": "Doktorand",
            "gender": ["K", "M"] * (n // 2),
            "monthly_salary": "31000",
        }
    )
    df.loc[n - 1, "monthly_salary"] = "trettiotusen"
    path = tmp_path / "big.csv"
    df.to_csv(path, index=False)
    before = snapshot(seeded)
    assert cli.main(["import", str(path), "--db", str(seeded)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    # header on row 1, so the last data row is row n + 1; and that is the only problem
    assert err[0] == (
        f"big.csv, sheet big, row {n + 1}, column monthly_salary: not a monthly salary in SEK "
        "between 1 000 and 250 000 (found 'trettiotusen')"
    )
    assert snapshot(seeded) == before


def test_names_with_quotes_and_sql_come_back_unchanged(seeded, capsys):
    assert cli.main(["import", str(BAD / "sql_and_formula_names.xlsx"), "--db", str(seeded)]) == 0
    con = database.connect(seeded)
    units = {r[0] for r in con.execute("SELECT unit FROM units").fetchall()}
    con.close()
    assert {"Robert'); DROP TABLE staff;--", '=HYPERLINK("http://example.invalid","klick")', 'Avd "Ö"; \\ %'} <= units
