"""The bad-input corpus through the Import page (AppTest), as HR would upload it: every problem shown
in the page's table before anything is written, no exception, and the database unchanged."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from helpers import app_test
from indicators import cli
from indicators.protect.access import hash_passphrase
from indicators.store import check, database, read

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
IMPORT_PAGE = "views/import.py"
BAD = ROOT / "tests" / "data" / "bad"
PASSPHRASE = "correct horse battery staple"
UPLOADABLE = {s.lstrip(".") for s in read.SPREADSHEET_SUFFIXES}
# The page's uploader accepts spreadsheet types only; other files never reach Balans from the app.
CASES = [
    c
    for c in csv.DictReader(open(BAD / "expected.csv", encoding="utf-8"))
    if c["file"].rsplit(".", 1)[-1] in UPLOADABLE
]
TABLES = ("staff", "committees", "units", "import_batches", "unit_tree")


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("imp") / "seed.duckdb"
    assert (
        cli.main(["import", str(ROOT / "data" / "templates" / "balans_staff_template.xlsx"), "--db", str(db_path)]) == 0
    )
    return db_path


@pytest.fixture
def db_path(seeded_template, tmp_path, monkeypatch):
    path = tmp_path / "b.duckdb"
    shutil.copy(seeded_template, path)
    shutil.copy(f"{seeded_template}.key", f"{path}.key")
    monkeypatch.setenv("BALANS_DB", str(path))
    return path


def snapshot(db_path: Path) -> dict:
    con = database.connect(db_path)
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def import_page(lang: str = "en") -> AppTest:
    at = app_test(APP, 120)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(IMPORT_PAGE).run()
    at.text_input(key="passphrase").input(PASSPHRASE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_problems(at, lang: str = "en") -> list[str]:
    """The page's problem table, each row written out as one line (file, sheet, row, column: message)
    in the page's language, as Problem.render writes it."""
    for frame in at.dataframe:
        df = frame.value
        df.columns = [str(c).lower() for c in df.columns]
        df = df.rename(
            columns={
                "fil": "file",
                "flik": "sheet",
                "rad": "row",
                "kolumn": "column",
                "nivå": "level",
                "meddelande": "message",
            }
        )
        if "message" in df.columns:
            blank = lambda v: None if pd.isna(v) or v in ("", "None", "nan", "–") else v  # noqa: E731
            return [
                check.Problem(
                    r.file,
                    blank(r.sheet),
                    blank(r.row) and int(float(r.row)),
                    blank(r.column),
                    r.message,
                    "error" if r.level in ("error", "fel") else "warning",
                ).render(lang)
                for r in df.itertuples(index=False)
            ]
    return []


def test_the_page_sees_every_spreadsheet_of_the_corpus():
    # Of the corpus's 40 files (34 xlsx, 5 csv, 1 pdf) the page is given the 39 whose suffix its
    # uploader accepts (read.SPREADSHEET_SUFFIXES); the pdf goes through the command line only.
    assert sorted(c["file"] for c in CASES) == sorted(
        p.name for p in BAD.iterdir() if p.name not in ("expected.csv", "not_a_spreadsheet.pdf")
    )
    assert len(CASES) == 39


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_through_the_import_page(case, db_path):
    before = snapshot(db_path)
    at = import_page()
    at.file_uploader[0].set_value((case["file"], (BAD / case["file"]).read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    problems = shown_problems(at)
    confirm = [b for b in at.button if b.key == "confirm_import"]
    if case["exit"] == "1":
        # Every problem the command line reports, in the page's table in English, the column named
        # by the file's own header; and no way to import.
        found = check.check_file(BAD / case["file"]).problems
        assert any(case["message"] in str(p) for p in found)
        assert problems == [p.render("en", headers=True) for p in found]
        assert not confirm
    else:
        assert confirm and not any(" error " in f" {p} " for p in problems)
        confirm[0].click().run()
        assert not at.exception and at.success and at.success[0].value.startswith("Imported")
    if case["exit"] == "1":
        assert snapshot(db_path) == before
    else:
        assert snapshot(db_path) != before


def test_an_uploaded_name_never_becomes_a_path(db_path, tmp_path):
    """A file called ../../evil.xlsx is checked from a generated temporary name; its name is a label."""
    at = import_page()
    name = "../../../tmp/evil.xlsx"
    at.file_uploader[0].set_value(
        (name, (ROOT / "data" / "templates" / "balans_staff_template.xlsx").read_bytes(), "application/octet-stream")
    )
    at.run()
    assert not at.exception
    assert not Path("/tmp/evil.xlsx").exists()


def test_a_damaged_database_file_gives_a_message_not_a_crash(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 500)
    monkeypatch.setenv("BALANS_DB", str(broken))
    at = app_test(APP, 120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    # One message naming the file, then DuckDB's own reason (its words, pinned with DuckDB).
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(f"the database {broken} cannot be opened: "), errors
    assert errors[0].endswith("exists, but it is not a valid DuckDB database file!"), errors


# --- the page in the user's language -------------------------------------------------------------


def upload(at, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def swedish_hr_file(salary_row_4="mycket", gender_row_3=None, type_row_5="ibland") -> bytes:
    """A staff sheet as Swedish HR writes it: lower-case Swedish headers, sheet "Personal"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personal"
    for row in (
        ["år", "anställningsnummer", "enhet", "befattning", "kön", "månadslön", "anställningsform"],
        [2025, "A1", "U1", "Professor", "K", 50000, "tillsvidare"],
        [2025, "A2", "U1", "Professor", gender_row_3, 51000, "tillsvidare"],
        [2025, "A3", "U1", "Doktorand", "M", salary_row_4, "visstid"],
        [2025, "A4", "U1", "Doktorand", "K", 30000, type_row_5],
    ):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_swedish_page_names_the_files_own_headers(db_path):
    at = import_page("sv")
    upload(at, "hr.xlsx", swedish_hr_file())
    # kön empty on row 3, månadslön "mycket" on row 4, anställningsform "ibland" on row 5: in the
    # file's own words, in Swedish, and the page offers no import
    assert shown_problems(at, "sv") == [
        "hr.xlsx, flik Personal, rad 3, kolumn kön: tomt värde i en obligatorisk kolumn",
        "hr.xlsx, flik Personal, rad 4, kolumn månadslön: inte en månadslön i kronor mellan 1 000 och 250 000 "
        "(i filen: 'mycket')",
        "hr.xlsx, flik Personal, rad 5, kolumn anställningsform: okänt värde 'ibland' (förväntat ett av: "
        "tillsvidare, visstid)",
    ]
    table = next(f.value for f in at.dataframe if "Meddelande" in f.value.columns)
    # the message next to the file, so that it is on screen at 1280 px (issue 22: columns.toml's roles)
    assert list(table.columns) == ["Fil", "Meddelande", "Flik", "Rad", "Kolumn", "Nivå"]
    assert set(table["Nivå"]) == {"fel"}
    text = " ".join(table.astype(str).to_numpy().ravel())
    assert "gender" not in text and "monthly_salary" not in text and "employment_type" not in text
    assert not [b for b in at.button if b.key == "confirm_import"]
    assert at.error[0].value == "Filen kan inte importeras förrän felen är rättade."


@pytest.mark.parametrize(
    "name,line",
    [
        # SV_HEAD on row 3: the second data row, row 5, has "okänd" under Månadslön
        (
            "header_on_third_row_bad_value.xlsx",
            "header_on_third_row_bad_value.xlsx, flik staff, rad 5, kolumn Månadslön: inte en månadslön i kronor mellan "
            "1 000 och 250 000 (i filen: 'okänd')",
        ),
        # sheet organ, the seat on row 2 has the role "kung"
        (
            "committee_unknown_role.xlsx",
            "committee_unknown_role.xlsx, flik organ, rad 2, kolumn roll: okänt värde 'kung' (förväntat ett av: "
            "ordförande, vice ordförande, ledamot, suppleant, sekreterare)",
        ),
        # no position column: named as the Swedish template heads it
        (
            "missing_position_column.xlsx",
            "missing_position_column.xlsx, flik staff, kolumn befattning: den obligatoriska kolumnen saknas (godtas "
            "också: befattning, tjänstekategori, tjänst, job title)",
        ),
        (
            "bomb.xlsx",
            "bomb.xlsx: arbetsboken säger att den packas upp till 1056 MB, över gränsen på 1000 MB (en komprimeringsbomb?)",
        ),
    ],
)
def test_bad_files_of_the_corpus_in_swedish(db_path, name, line):
    # bomb.xlsx declares 66 x 16 MiB = 1056 MiB of sheet XML, over the limit of 1000
    at = import_page("sv")
    upload(at, name, (BAD / name).read_bytes())
    assert shown_problems(at, "sv") == [line]


def test_the_preview_shows_the_files_headers_and_words(db_path):
    at = import_page("sv")
    upload(at, "hr.xlsx", swedish_hr_file(salary_row_4=None, gender_row_3="K", type_row_5="visstid"))
    preview = at.dataframe[0].value
    assert list(preview.columns) == [
        "Rad",
        "år",
        "enhet",
        "befattning",
        "kön",
        "månadslön",
        "anställningsform",
        "Befattningskategori",
    ]
    assert preview["kön"].tolist() == ["kvinna", "kvinna", "man", "kvinna"]
    assert preview["Befattningskategori"].tolist() == ["professorer", "professorer", "doktorander", "doktorander"]
    # A3's salary was left empty: an empty cell, not None
    assert preview["månadslön"].tolist() == ["50\u00a0000", "51\u00a0000", "", "30\u00a0000"]
    assert any(m.value == "Flik Personal: personal, 4 rader, år 2025" for m in at.markdown)


def test_a_refused_reimport_points_at_the_pages_replace_option(db_path):
    con = database.connect(db_path)
    when = con.execute("SELECT imported_at FROM import_batches WHERE batch_id = 1").fetchone()[0]
    con.close()
    before = snapshot(db_path)
    at = import_page("sv")
    template = ROOT / "data" / "templates" / "balans_staff_template.xlsx"
    upload(at, template.name, template.read_bytes())
    at.button(key="confirm_import").click().run()
    assert [e.value for e in at.error] == [
        f"balans_staff_template.xlsx, flik staff: personal för 2025 är redan importerat i batch 1 "
        f"(balans_staff_template.xlsx, {when:%Y-%m-%d %H:%M}). Kryssa i ”Ersätt data för samma typ och år” "
        "ovanför knappen för att ersätta det."
    ]
    assert snapshot(db_path) == before
    at.checkbox(key="replace").check().run()  # what the message says to do
    at.button(key="confirm_import").click().run()
    assert not at.exception and at.success[0].value == "Importerat: batch 2."


# --- removing a batch -----------------------------------------------------------------------------


def test_remove_preselects_nothing_shows_what_goes_and_asks_first(db_path):
    assert (
        cli.main(["import", str(ROOT / "data" / "templates" / "balans_committees_template.xlsx"), "--db", str(db_path)])
        == 0
    )  # batch 2, beside the staff template's batch 1
    con = database.connect(db_path)
    when = con.execute("SELECT imported_at FROM import_batches WHERE batch_id = 1").fetchone()[0]
    con.close()
    at = import_page("en")
    pick = at.selectbox(key="remove_batch_0")
    assert pick.value is None  # nothing chosen for the user
    assert pick.options == [
        "Batch 2: committees for 2025, 2 rows, balans_committees_template.xlsx",
        "Batch 1: staff for 2025, 2 rows, balans_staff_template.xlsx",
    ]
    assert not [b for b in at.button if b.key == "remove_button"]  # nothing to remove until one is chosen
    before = snapshot(db_path)
    pick.select(1).run()
    assert [w.value for w in at.warning if w.value.startswith("This will be removed")] == [
        f"This will be removed: batch 1, staff for 2025, 2 rows from the file balans_staff_template.xlsx "
        f"(imported {when:%Y-%m-%d %H:%M})."
    ]
    button = at.button(key="remove_button")
    assert button.disabled
    with pytest.raises(AppTestError):  # a browser user cannot press it either
        button.click()
    at.run()
    assert snapshot(db_path) == before and not at.success
    at.checkbox(key="remove_sure_0").check().run()
    assert at.checkbox(key="remove_sure_0").label == "I understand that batch 1 and its 2 rows will be removed"
    assert not at.button(key="remove_button").disabled
    at.button(key="remove_button").click().run()
    assert not at.exception and at.success[0].value == "Batch 1 was removed (2 rows)."
    con = database.connect(db_path)
    assert [r[0] for r in con.execute("SELECT batch_id FROM import_batches").fetchall()] == [2]  # the right one
    assert con.execute("SELECT count(*) FROM staff").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM committees").fetchone()[0] == 2
    con.close()
    assert at.selectbox(key="remove_batch_1").value is None  # a fresh, empty choice after the removal


def test_the_demo_button_does_not_replace_real_years(db_path):
    before = snapshot(db_path)
    at = import_page("sv")
    at.button(key="load_demo").click().run()
    assert not at.exception
    # the staff template's 2025 (batch 1) is real and inside the demo's 2015-2025
    assert [e.value for e in at.error] == [
        "Demodata lästes inte in: de skulle ersätta verkliga, importerade data (batch 1, personal för 2025). Ta bort "
        "de batcherna först, eller läs in demodata i en annan databas från kommandoraden."
    ]
    assert snapshot(db_path) == before


def test_importing_part_of_a_year_says_so_at_once(db_path):
    # The seeded database has the staff template's 2025: two people in ARK-1. A 2026 file with
    # people in ARK-2 only leaves ARK-1 without staff in 2026: one unit missing, so 2026 is partial
    # and 2025 stays the year a visitor sees first.
    at = import_page("en")
    rows = "\n".join(f"2026,N{i},ARK-2,ARK,Professor,{'K' if i % 2 else 'M'}" for i in range(6))
    upload(at, "ark2_2026.csv", ("year,person_id,unit,parent_unit,position,gender\n" + rows + "\n").encode())
    at.button(key="confirm_import").click().run()
    assert not at.exception and at.success[0].value == "Imported: batch 2."
    assert [w.value for w in at.warning if "covers only part" in w.value] == [
        "2026 covers only part of the organisation: one unit with staff in 2025 has none in 2026. The year is shown "
        "as partial, and visitors see 2025, until a file with the whole organisation's 2026 is imported with "
        "“Replace data of the same kind and year” (it replaces what 2026 holds now)."
    ]
