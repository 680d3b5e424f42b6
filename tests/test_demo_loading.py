"""demo.load never replaces really imported data (not synthetic) unless told to (the command line's
`demo --replace`): every caller, the command line and the Import page alike, gets the refusal, and
the database is left as it was. The demo covers 2015-2025 for every kind, and the units UNI, ARK, ...
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators import cli, demo
from indicators.store import database, importer

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "data" / "templates"
SCALE = 0.05  # a small demo: the guard does not depend on its size
TABLES = (
    "import_batches",
    "staff",
    "committees",
    "units",
    "unit_tree",
    "students",
    "leave",
    "incidents",
    "recruitment",
    "staff_cells",
)


def snapshot(con) -> dict:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


@pytest.fixture
def real(tmp_path):
    """A database holding one real import: the staff template, two people of 2025 (batch 1)."""
    con = database.connect(tmp_path / "real.duckdb")
    assert importer.import_files(con, [TEMPLATES / "balans_staff_template.xlsx"]).ok
    yield con
    con.close()


def test_the_demo_refuses_to_replace_a_real_year(real):
    before = snapshot(real)
    with pytest.raises(demo.RealDataInTheWay) as refused:
        demo.load(real, scale=SCALE)
    # the staff template's 2025 is the only real year the demo's 2015-2025 would replace
    assert refused.value.batches == [
        {"batch_id": 1, "kind": "staff", "file_name": "balans_staff_template.xlsx", "years": [2025]}
    ]
    assert str(refused.value).splitlines()[1] == "batch 1: staff from balans_staff_template.xlsx, years 2025"
    assert snapshot(real) == before
    assert isinstance(refused.value, demo.DemoRefused)  # the command line's handler catches it as before


def test_told_to_it_replaces_them(real):
    ids = demo.load(real, scale=SCALE, replace_real=True)
    staff_batch = real.execute("SELECT batch_id FROM import_batches WHERE synthetic AND kind = 'staff'").fetchone()[0]
    assert staff_batch in ids
    assert real.execute("SELECT replaced_by FROM import_batches WHERE batch_id = 1").fetchone()[0] == staff_batch
    assert real.execute("SELECT count(*) FROM staff WHERE batch_id = 1").fetchone()[0] == 0


def test_demo_over_demo_and_over_other_years_is_fine(tmp_path):
    con = database.connect(tmp_path / "d.duckdb")
    first = demo.load(con, scale=SCALE)
    second = demo.load(con, scale=SCALE)  # synthetic years replace synthetic years
    assert set(first).isdisjoint(second)
    # a real 2026, a year the demo does not have, stands in nobody's way and is kept
    path = tmp_path / "staff_2026.csv"
    pd.DataFrame(
        {"year": 2026, "person_id": ["N1", "N2"], "unit": "NEW", "position": "Professor", "gender": ["K", "M"]}
    ).to_csv(path, index=False)
    assert importer.import_files(con, [path]).ok
    demo.load(con, scale=SCALE)
    assert con.execute("SELECT count(*) FROM staff WHERE year = 2026").fetchone()[0] == 2


def test_a_real_units_sheet_is_in_the_way_too(tmp_path):
    # the units template names UNI and ARK, which the demo's units sheet would overwrite
    con = database.connect(tmp_path / "u.duckdb")
    assert importer.import_files(con, [TEMPLATES / "balans_units_template.xlsx"]).ok
    with pytest.raises(demo.RealDataInTheWay) as refused:
        demo.load(con, scale=SCALE)
    assert refused.value.batches == [
        {"batch_id": 1, "kind": "units", "file_name": "balans_units_template.xlsx", "years": []}
    ]


def test_the_command_line_keeps_its_words(tmp_path, capsys):
    db = tmp_path / "c.duckdb"
    assert cli.main(["import", str(TEMPLATES / "balans_staff_template.xlsx"), "--db", str(db)]) == 0
    assert cli.main(["demo", "--db", str(db), "--scale", str(SCALE)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{db} already holds data; use --replace to load the demo over it, or --db to write it elsewhere"
    )
    assert cli.main(["demo", "--db", str(db), "--scale", str(SCALE), "--replace"]) == 0  # as before
