"""The bad-input corpus through the Import page (AppTest), as HR would upload it: every problem shown
in the page's table before anything is written, no exception, and the database unchanged."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators import cli, ingest, store
from indicators.access import hash_passphrase

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
IMPORT_PAGE = "views/import.py"
BAD = ROOT / "tests" / "data" / "bad"
PASSPHRASE = "correct horse battery staple"
UPLOADABLE = {s.lstrip(".") for s in ingest.SPREADSHEET_SUFFIXES}
# The page's uploader accepts spreadsheet types only; other files never reach Balans from the app.
CASES = [c for c in csv.DictReader(open(BAD / "expected.csv", encoding="utf-8"))
         if c["file"].rsplit(".", 1)[-1] in UPLOADABLE]
TABLES = ("staff", "committees", "units", "import_batches", "unit_tree")


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    db = tmp_path_factory.mktemp("imp") / "seed.duckdb"
    assert cli.main(["import", str(ROOT / "data" / "templates" / "balans_staff_template.xlsx"), "--db", str(db)]) == 0
    return db


@pytest.fixture
def db(seeded_template, tmp_path, monkeypatch):
    path = tmp_path / "b.duckdb"
    shutil.copy(seeded_template, path)
    shutil.copy(f"{seeded_template}.key", f"{path}.key")
    monkeypatch.setenv("BALANS_DB", str(path))
    return path


def snapshot(db: Path) -> dict:
    con = store.connect(db)
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def import_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["balans"] = {"admin_passphrase": hash_passphrase(PASSPHRASE)}
    at.query_params["lang"] = "en"
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
        df = df.rename(columns={"fil": "file", "flik": "sheet", "rad": "row", "kolumn": "column", "nivå": "level",
                                "meddelande": "message"})
        if "message" in df.columns:
            blank = lambda v: None if pd.isna(v) or v in ("", "None", "nan", "–") else v  # noqa: E731
            return [ingest.Problem(r.file, blank(r.sheet), blank(r.row) and int(float(r.row)), blank(r.column),
                                   r.message, "error" if r.level in ("error", "fel") else "warning").render(lang)
                    for r in df.itertuples(index=False)]
    return []


def test_the_page_sees_most_of_the_corpus():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_through_the_import_page(case, db):
    before = snapshot(db)
    at = import_page()
    at.file_uploader[0].set_value((case["file"], (BAD / case["file"]).read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    problems = shown_problems(at)
    confirm = [b for b in at.button if b.key == "confirm_import"]
    if case["exit"] == "1":
        # Every problem the command line reports, in the page's table in English, the column named
        # by the file's own header; and no way to import.
        found = ingest.check_file(BAD / case["file"]).problems
        assert any(case["message"] in str(p) for p in found)
        assert problems == [p.render("en", headers=True) for p in found]
        assert not confirm
    else:
        assert confirm and not any(" error " in f" {p} " for p in problems)
        confirm[0].click().run()
        assert not at.exception and at.success and at.success[0].value.startswith("Imported")
    if case["exit"] == "1":
        assert snapshot(db) == before
    else:
        assert snapshot(db) != before


def test_an_uploaded_name_never_becomes_a_path(db, tmp_path):
    """A file called ../../evil.xlsx is checked from a generated temporary name; its name is a label."""
    at = import_page()
    name = "../../../tmp/evil.xlsx"
    at.file_uploader[0].set_value((name, (ROOT / "data" / "templates" / "balans_staff_template.xlsx").read_bytes(),
                                   "application/octet-stream"))
    at.run()
    assert not at.exception
    assert not Path("/tmp/evil.xlsx").exists()


def test_a_damaged_database_file_gives_a_message_not_a_crash(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 500)
    monkeypatch.setenv("BALANS_DB", str(broken))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.error and ("damaged" in at.error[0].value or "cannot be opened" in at.error[0].value)
