"""The command line as a user runs it: real files, exit codes and messages. Each command kind (import, its
refusal, history, export, check, usage errors, demo) runs here at least once as a real process, where the exit
code of the process and the absence of a traceback are the point; the rest call the same main() in process
(helpers.cli_main), which tests the same command without a Python start-up of seconds each."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd

from helpers import cli_main

ROOT = Path(__file__).resolve().parents[1]


def run(*args, db=None):
    """The command as a real process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "indicators", *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def main(*args, db=None):
    """The same command in this process (helpers.cli_main)."""
    return cli_main(*args, *(["--db", db] if db is not None else []))


def tables(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    out = {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("staff", "committees", "import_batches", "units", "unit_tree")
    }
    con.close()
    return out


def staff_xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personal"
    ws.append(
        [
            "År",
            "Anställningsnummer",
            "Enhet",
            "Överordnad enhet",
            "Befattning",
            "Kön",
            "Sysselsättningsgrad",
            "Månadslön",
        ]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def unit_rows(year=2024):
    # D1 (in school S1): professors 6 women / 9 men, doctoral students 10 / 10 (FTE 0.5 each for women).
    rows = [[year, f"P{i}", "D1", "S1", "Professor", "K" if i < 6 else "M", 100, 60000] for i in range(15)]
    rows += [
        [year, f"D{i}", "D1", "S1", "Doktorand", "K" if i < 10 else "M", 50 if i < 10 else 100, 32000]
        for i in range(20)
    ]
    return rows


def test_import_history_and_export_end_to_end(tmp_path):
    db = tmp_path / "b.duckdb"
    f = staff_xlsx(tmp_path / "hr2024.xlsx", unit_rows())
    r = run("import", f, db=db)
    assert r.returncode == 0, r.stderr
    assert "batch 1: staff from hr2024.xlsx (sheet Personal), 35 rows, years 2024" in r.stdout

    again = main("import", f, db=db)
    assert again.returncode == 1
    assert "already imported in batch 1 (hr2024.xlsx" in again.stderr

    hist = run("history", db=db)
    assert "hr2024.xlsx" in hist.stdout and "staff" in hist.stdout

    out = run("export", "representation", "--unit", "S1", "--year", 2024, "--exact", db=db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("\ufeffyear,position,women,men")
    table = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff"))).set_index("position")
    # professors: 6 / (6 + 9) = 0.40 exactly -> balanced (both edges included)
    assert table.loc["professor", ["women", "men", "total"]].tolist() == [6, 9, 15]
    assert table.loc["professor", "share_women"] == 0.4
    assert bool(table.loc["professor", "balanced"]) is True
    # all positions: 16 / (16 + 19) = 0.45714...
    assert round(table.loc["all", "share_women"], 4) == 0.4571
    # FTE: women 6 * 1.0 + 10 * 0.5 = 11; men 9 + 10 = 19; share 11 / 30 = 0.3667
    fte = main("export", "representation", "--unit", "S1", "--measure", "fte", "--exact", db=db)
    t2 = pd.read_csv(io.StringIO(fte.stdout.lstrip("\ufeff"))).set_index("position")
    assert (t2.loc["all", "fte_women"], t2.loc["all", "fte_men"]) == (11.0, 19.0)
    assert round(t2.loc["all", "share_women"], 4) == 0.3667


def test_export_suppresses_small_groups(tmp_path):
    db = tmp_path / "b.duckdb"
    rows = unit_rows() + [[2024, "L1", "D1", "S1", "Universitetslektor", "K", 100, 50000]]
    main("import", staff_xlsx(tmp_path / "hr.xlsx", rows), db=db)
    out = main("export", "representation", "--unit", "D1", db=db)
    table = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff"))).set_index("position")
    # One woman lecturer: hidden. The 'all' row no longer gives her away (all - the rest), since the
    # counts beside it are published with noise, so nothing else is hidden for her sake.
    assert table.loc["associate_professor", ["women", "share_women"]].isna().all()
    assert table.loc["associate_professor", "suppressed"]
    assert not table.loc["professor", "suppressed"] and not table.loc["phd_student", "suppressed"]
    # 10 women doctoral students, published within the p-table's ±2 and never below k = 5
    assert 8 <= table.loc["phd_student", "women"] <= 12
    # --exact gives the true figures, nothing hidden, and says on stderr that they are confidential
    out = main("export", "representation", "--unit", "D1", "--exact", db=db)
    exact = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff"))).set_index("position")
    assert (exact.loc["associate_professor", "women"], exact.loc["phd_student", "women"]) == (1, 10)
    assert (exact.loc["all", "women"], exact.loc["all", "men"]) == (17, 19)  # 6 + 10 + 1 women, 9 + 10 men
    assert "exact figures — confidential" in out.stderr


def test_the_swedish_csv_is_the_pages_swedish_csv(tmp_path):
    """--swedish writes the page's "CSV (svensk Excel)": Swedish headers and words, rounded as the page
    shows, ';' and decimal commas; never the codes and float noise of the machine CSV (issue 20, item 6)."""
    db = tmp_path / "b.duckdb"
    main("import", staff_xlsx(tmp_path / "hr.xlsx", unit_rows()), db=db)
    out = main(
        "export", "representation", "--unit", "D1", "--year", 2024, "--exact", "--swedish", "--lang", "sv", db=db
    )
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout.lstrip("\ufeff")), delimiter=";"))
    head = rows[0]
    assert head[:3] == ["År", "Befattning", "Kvinnor"] and "Andel kvinnor (%)" in head, head
    by_position = {r[1]: dict(zip(head, r)) for r in rows[1:]}
    # professors 6 women of 15: 40,0 %; doctoral students 10 of 20: 50,0 %; all 16 of 35 = 45,714... -> 45,7
    assert by_position["professorer"]["Andel kvinnor (%)"] == "40,0"
    assert by_position["doktorander"]["Andel kvinnor (%)"] == "50,0"
    assert by_position["alla anställda"]["Andel kvinnor (%)"] == "45,7"
    assert "phd_student" not in out.stdout and "False" not in out.stdout and "0,457142" not in out.stdout


def test_the_swedish_csv_is_swedish_whatever_the_language(tmp_path):
    """The Swedish CSV names units by their Swedish names from the English page too (--lang en): it is
    the Swedish table, and was the English page's unit names in it (docs/decisions.md, "Decisions where
    the design was silent")."""
    db = tmp_path / "b.duckdb"
    units = tmp_path / "units.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Enheter"
    wb.active.append(["unit", "parent_unit", "name_sv", "name_en"])
    wb.active.append(["S1", None, "Skolan", "The School"])
    wb.active.append(["D1", "S1", "Institutionen", "The Department"])
    wb.save(units)
    assert main("import", units, staff_xlsx(tmp_path / "hr.xlsx", unit_rows()), db=db).returncode == 0
    args = ("export", "scorecard_units", "--unit", "S1", "--year", 2024, "--exact", "--swedish")
    sv, en = main(*args, "--lang", "sv", db=db), main(*args, "--lang", "en", db=db)
    assert en.returncode == 0, en.stderr
    assert en.stdout == sv.stdout  # byte for byte
    rows = list(csv.reader(io.StringIO(en.stdout.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Enhet", "Delmål"] and {r[0] for r in rows[1:]} == {"Institutionen"}
    assert "The Department" not in en.stdout and "The School" not in en.stdout


def test_export_takes_every_filter_the_app_has(tmp_path):
    db = tmp_path / "b.duckdb"
    main("import", staff_xlsx(tmp_path / "hr2024.xlsx", unit_rows(2024)), db=db)
    main("import", staff_xlsx(tmp_path / "hr2025.xlsx", unit_rows(2025)), db=db)
    # positions: professors alone in D1 are 6 women and 9 men (exact figures)
    out = main("export", "representation", "--unit", "D1", "--positions", "professor", "--exact", db=db)
    t = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff"))).set_index("position")
    assert (t.loc["all", "women"], t.loc["all", "men"]) == (6, 9)
    # a trend from 2025 to 2025: one year only
    out = main("export", "representation_trend", "--unit", "D1", "--from", "2025", "--to", "2025", "--exact", db=db)
    assert set(pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff")))["year"]) == {2025}
    # FTE: 10 women doctoral students at 50 % are 5 FTE
    out = main("export", "representation", "--unit", "D1", "--year", "2025", "--measure", "fte", "--exact", db=db)
    t = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff"))).set_index("position")
    assert t.loc["phd_student", "fte_women"] == 5
    bad = main("export", "representation", "--positions", "dean", db=db)
    assert bad.returncode == 2 and "unknown position category 'dean'" in bad.stderr


def test_salary_figures_are_for_one_position_or_all(tmp_path):
    # Protected tables are published for one position or all (privacy.one_position_or_all): several
    # positions together are refused with exit 2 and a message saying why and what to give; one
    # position, none, or exact figures are fine. Committee seats (unprotected) keep every choice.
    db = tmp_path / "b.duckdb"
    main("import", staff_xlsx(tmp_path / "hr2024.xlsx", unit_rows(2024)), db=db)
    two = main("export", "pay_gap", "--unit", "D1", "--positions", "professor,phd_student", db=db)
    assert two.returncode == 2 and two.stdout == ""
    assert "one position or for all positions" in two.stderr and "--positions" in two.stderr
    for ok in (["--positions", "professor"], [], ["--positions", "professor,phd_student", "--exact"]):
        assert main("export", "pay_gap", "--unit", "D1", *ok, db=db).returncode == 0, ok
    assert (
        main("export", "representation", "--unit", "D1", "--positions", "professor,phd_student", db=db).returncode == 2
    )


def test_a_bad_file_is_refused_with_every_problem_and_the_database_unchanged(tmp_path):
    db = tmp_path / "b.duckdb"
    main("import", staff_xlsx(tmp_path / "ok.xlsx", unit_rows(2023)), db=db)
    before = tables(db)
    bad = staff_xlsx(
        tmp_path / "bad.xlsx",
        unit_rows()
        + [
            [2024, "X1", "D1", "S1", "Professor", None, 100, 60000],
            [2099, "X2", "D1", "S1", "Professor", "K", 150, "sextio tusen"],
        ],
    )
    r = run("import", bad, db=db)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert "bad.xlsx, sheet Personal, row 37, column gender: empty value in a required column" in lines
    assert any(line.startswith("bad.xlsx, sheet Personal, row 38, column year:") for line in lines)
    assert any(line.startswith("bad.xlsx, sheet Personal, row 38, column fte:") for line in lines)
    assert any(line.startswith("bad.xlsx, sheet Personal, row 38, column monthly_salary:") for line in lines)
    assert "Traceback" not in r.stderr
    assert tables(db) == before


def test_check_writes_nothing_and_usage_errors_exit_2(tmp_path):
    f = staff_xlsx(tmp_path / "hr.xlsx", unit_rows())
    r = run("check", f)
    assert r.returncode == 0 and "staff, 35 rows, years 2024" in r.stdout
    assert main("export", "no_such_indicator").returncode == 2
    assert run("frobnicate").returncode == 2
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    r = main("import", png, db=tmp_path / "x.duckdb")
    assert r.returncode == 1 and "photo.xlsx: the file is not a real .xlsx workbook" in r.stderr
    assert "Traceback" not in r.stderr


def test_demo_is_reproducible_and_labelled_synthetic(tmp_path, demo_copy):
    # a: the demo made by a real process; b: the session's demo (conftest's demo_copy), made by the same
    # command in the test process, with a key of its own: the two makings share nothing but the seed.
    a = tmp_path / "a.duckdb"
    first = run("demo", "--seed", 0, db=a)
    assert first.returncode == 0, first.stderr
    b = demo_copy(tmp_path / "b.duckdb", seed=0)
    ta, tb = tables(a), tables(b)
    # The demo (seed 0, scale 1) has 23 645 staff rows in each database, and says so.
    assert len(ta["staff"]) == len(tb["staff"]) == 23_645
    assert "23645 staff rows" in first.stdout
    # Person keys and record keys (rkey and mkey, the last two columns before issue 21's weekly_hours and
    # annual_hours) differ: each database has its own secret key.

    def strip(rows):
        return sorted(r[:2] + r[3:-4] + r[-2:] for r in rows)

    assert strip(ta["staff"]) == strip(tb["staff"])
    assert all(row[7] for row in ta["import_batches"])  # synthetic flag
    assert main("demo", "--if-empty", db=a).returncode == 0
    assert main("demo", db=a).returncode == 1  # would overwrite data without --replace
