"""Partial years and the default year (indicators.years), on a real DuckDB file filled through the
real import; and in the app: the mark on a partial year, the default year in the URL, and a message
for a link that names an unknown unit or year.

The organisation of these tests: school A with departments A1 and A2, school B with department B1,
six people in each department. 2024 and 2025 have all three departments; 2026 has A1 only (as if one
school's file had come in first); 2027 has a committee and no staff at all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import app_test
from indicators.store import database, importer, years
from indicators.store.years import YearCoverage

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PARENT = {"A1": "A", "A2": "A", "B1": "B"}


def staff_file(folder: Path, name: str, year: int, units: list[str]) -> Path:
    rows = [
        {
            "year": year,
            "person_id": f"{u}-{i}",
            "unit": u,
            "parent_unit": PARENT[u],
            "position": "Professor",
            "gender": "K" if i % 2 else "M",
            "monthly_salary": 50000 + 100 * i,
        }
        for u in units
        for i in range(6)
    ]
    path = folder / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def committee_file(folder: Path, year: int) -> Path:
    path = folder / f"committees_{year}.csv"
    pd.DataFrame({"year": year, "body": "Fakultetsrådet", "gender": ["K", "M"], "unit": "A"}).to_csv(path, index=False)
    return path


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "years.duckdb"
    con = database.connect(path)
    files = [
        staff_file(tmp_path, "staff_2024.csv", 2024, ["A1", "A2", "B1"]),
        staff_file(tmp_path, "staff_2025.csv", 2025, ["A1", "A2", "B1"]),
        staff_file(tmp_path, "staff_2026_a1.csv", 2026, ["A1"]),
        committee_file(tmp_path, 2027),
    ]
    for f in files:
        result = importer.import_files(con, [f])
        assert result.ok, (result.refused, [str(p) for p in result.problems])
    con.close()
    return path


def test_the_years_and_which_are_partial(db_path):
    con = database.connect(db_path)
    assert years.available(con) == [2024, 2025, 2026, 2027]
    cov = years.coverage(con)
    # 2024 has nothing before it; 2025 has every department of 2024; 2026 lacks A2 and B1, which had
    # staff in 2025; 2027 has no staff at all, so A1, the only department of 2026, is missing.
    assert cov == {
        2024: YearCoverage(2024, None, ()),
        2025: YearCoverage(2025, 2024, ()),
        2026: YearCoverage(2026, 2025, ("A2", "B1")),
        2027: YearCoverage(2027, 2026, ("A1",)),
    }
    assert [y for y, c in cov.items() if c.partial] == [2026, 2027]
    assert years.default_year(cov) == 2025  # the latest complete year


def test_partial_is_judged_below_the_unit_asked_about(db_path):
    con = database.connect(db_path)
    # School A misses A2 in 2026; department A1 misses nothing in 2026 (its own staff are all there);
    # school B misses B1 in 2026 and has nothing to miss in 2027 (no staff of B in 2026).
    a, a1, b = years.coverage(con, "A"), years.coverage(con, "A1"), years.coverage(con, "B")
    assert a[2026].missing == ("A2",) and years.default_year(a) == 2025
    assert not a1[2026].partial and a1[2027].missing == ("A1",) and years.default_year(a1) == 2026
    assert b[2026].missing == ("B1",) and not b[2027].partial and years.default_year(b) == 2027


def test_the_rest_of_the_year_makes_it_complete_and_removing_it_takes_it_away(db_path, tmp_path):
    con = database.connect(db_path)
    whole = staff_file(tmp_path, "staff_2026.csv", 2026, ["A1", "A2", "B1"])
    assert importer.import_files(con, [whole], replace=True).ok  # the whole organisation's file of 2026
    cov = years.coverage(con)
    assert not cov[2026].partial and cov[2027].missing == ("A1", "A2", "B1")
    assert years.default_year(cov) == 2026
    batch = con.execute("SELECT max(batch_id) FROM import_batches WHERE kind = 'committees'").fetchone()[0]
    database.remove_batch(con, batch)  # without the committee, 2027 is no year of the data any more
    assert years.available(con) == [2024, 2025, 2026]
    assert years.default_year(years.coverage(con)) == 2026


def test_no_data_no_years(tmp_path):
    con = database.connect(tmp_path / "empty.duckdb")
    assert years.available(con) == [] and years.coverage(con) == {} and years.default_year({}) is None


# --- in the app -----------------------------------------------------------------------------------


def app(db_path: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("BALANS_DB", str(db_path))
    at = app_test(APP, 120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_fresh_visitor_sees_the_latest_complete_year_and_it_goes_into_the_url(db_path, monkeypatch):
    at = app(db_path, monkeypatch, lang="en")
    assert at.title[0].value == "Overview – The whole organisation, 2025"
    assert at.query_params["year"] == "2025"
    year = at.selectbox(key="year_pick")
    assert year.value == 2025
    assert year.options == ["2024", "2025", "2026 (partial)", "2027 (partial)"]
    assert not any("partial year" in w.value for w in at.warning)
    # choosing the partial year: marked in the title, and the overview says which units are missing
    year.select(2026).run()
    assert at.title[0].value == "Overview – The whole organisation, 2026 (partial)"
    assert any("2026 (partial)" in c.value for c in at.caption)  # the scorecard's introduction names the year so too
    assert "Share of women in The whole organisation, 2026 (partial)" in [h.value for h in at.subheader]
    assert [w.value for w in at.warning if "partial year" in w.value] == [
        "2026 is a partial year for The whole organisation: 2 units with staff in 2025 have none in 2026 (A2, B1). "
        "The figures of 2026 rest only on the units imported. The latest complete year: 2025."
    ]
    assert at.query_params["year"] == "2026"


def test_a_link_to_a_partial_year_keeps_its_year(db_path, monkeypatch):
    at = app(db_path, monkeypatch, lang="sv", year="2026", unit="A1")
    # for department A1, 2026 is complete: no mark
    assert at.title[0].value == "Översikt – A1, 2026"
    at = app(db_path, monkeypatch, lang="sv", year="2026", unit="A")
    assert at.title[0].value == "Översikt – A, 2026 (ofullständigt)"
    assert (
        "2026 är ett ofullständigt år för A: en enhet som hade personal 2025 har ingen 2026 (A2). Siffrorna "
        "för 2026 bygger bara på de enheter som är importerade. Senaste fullständiga år: 2025."
        in [w.value for w in at.warning]
    )


def test_an_unknown_unit_or_year_in_the_link_is_said(db_path, monkeypatch):
    at = app(db_path, monkeypatch, unit="NOPE", year="1990")  # Swedish, the default language
    notes = [w.value for w in at.warning]
    assert "Enheten ”NOPE” i länken finns inte i data; här visas Hela organisationen i stället." in notes
    assert "Året ”1990” i länken har inga data (år med data: 2024–2027); här visas 2025 i stället." in notes
    assert at.title[0].value == "Översikt – Hela organisationen, 2025"
    at.run()  # still said on the next run, until the visitor chooses another year
    assert any(n.startswith("Året ”1990”") for n in [w.value for w in at.warning])
    at.selectbox(key="year_pick").select(2024).run()
    assert not any(w.value.startswith("Året ”1990”") for w in at.warning)
    assert at.title[0].value == "Översikt – Hela organisationen, 2024"
    at = app(db_path, monkeypatch, lang="en", year="next")
    assert "The year “next” in the link has no data (years with data: 2024–2027); showing 2025 instead." in [
        w.value for w in at.warning
    ]


def test_an_unknown_unit_stays_in_the_link_until_another_unit_is_chosen(db_path, monkeypatch):
    """docs/decisions.md, "Decisions where the design was silent": an unknown unit stays in the URL, and
    so does its warning, until another unit is chosen (issue 20: /pay?unit=NOPE lost it)."""
    at = app(db_path, monkeypatch, unit="NOPE", lang="en")
    at.switch_page("views/pay.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["unit"] == "NOPE"
    assert any(w.value.startswith("The unit “NOPE” in the link") for w in at.warning)
    assert at.title[0].value.startswith("Pay – The whole organisation")
    at.run()  # the next run: still in the link, still said
    assert at.query_params["unit"] == "NOPE"
    assert any(w.value.startswith("The unit “NOPE” in the link") for w in at.warning)
    at.selectbox(key="unit_pick").select("A1").run()
    assert at.query_params["unit"] == "A1"
    assert not any("NOPE" in w.value for w in at.warning)


def test_the_demo_banner_says_which_kinds_and_years_are_synthetic_and_is_gone_where_none_are(tmp_path, monkeypatch):
    """Issue 20: after a real 2026 staff file over the demo, the banner "Demo data — synthetic" still
    covered the real 2026 figures. Here staff of 2024 are synthetic (the demo's), 2025 and 2026 real."""
    path = tmp_path / "mixed.duckdb"
    con = database.connect(path)
    assert importer.import_files(
        con, [staff_file(tmp_path, "demo_2024.csv", 2024, ["A1", "A2", "B1"])], synthetic=True
    ).ok
    for year in (2025, 2026):
        assert importer.import_files(con, [staff_file(tmp_path, f"hr_{year}.csv", year, ["A1", "A2", "B1"])]).ok
    assert database.synthetic_years(con) == {"staff": [2024]}
    con.close()
    banner = "Demo data — synthetic, not real people: staff for 2024."
    # 2026 with its trend from 2024: the trend shows the demo's 2024, and the banner says just that
    at = app(path, monkeypatch, lang="en", year="2026")
    assert [w.value for w in at.warning if w.value.startswith("Demo data")] == [banner]
    # 2026 with the trend from 2025: nothing synthetic in view (2026, and 2025 for the change), no banner
    at = app(path, monkeypatch, lang="en", year="2026", years="2025-2026")
    assert not [w.value for w in at.warning if w.value.startswith("Demo data")]
    at = app(path, monkeypatch, lang="sv", year="2025", years="2025-2026")  # 2024 is the year before 2025
    assert [w.value for w in at.warning if w.value.startswith("Demodata")] == [
        "Demodata – syntetiska, inte verkliga personer: personal för 2024."
    ]
