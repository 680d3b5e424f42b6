"""The demo's aggregated sheets (issue 6): valid through the real import, and shaped like the brief."""

from __future__ import annotations

import pytest

from indicators import demo
from indicators.protect import registry
from indicators.store import database
from indicators.protect.registry import Filters


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = database.connect(tmp_path_factory.mktemp("demo") / "d.duckdb")
    demo.load(c, seed=0)
    registry.load_all()
    yield c
    c.close()


def test_every_kind_imported(con):
    # Every row demo.generate(seed=0) makes arrives, none dropped by the import's checks: 440 students
    # rows (20 programmes x 2 genders x 11 years), 687 leave, 528 incidents and 550 recruitment rows.
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("students", "leave", "incidents", "recruitment")}
    assert counts == {"students": 440, "leave": 687, "incidents": 528, "recruitment": 550}


def test_engineering_about_a_quarter_women_architecture_and_biotech_more(con):
    share = {}
    for programme in ("Datateknik", "Maskinteknik", "Arkitektur", "Bioteknik"):
        w, t = con.execute("SELECT sum(registered) FILTER (WHERE gender = 'woman'), sum(registered) FROM students "
                           "WHERE programme = $p", {"p": programme}).fetchone()
        share[programme] = w / t
    assert 0.15 < share["Datateknik"] < 0.35 and 0.15 < share["Maskinteknik"] < 0.35
    assert 0.5 < share["Arkitektur"] < 0.75 and 0.5 < share["Bioteknik"] < 0.75


def test_women_apply_less_but_pass_more_often(con):
    up = registry.compute(con, "recruitment_funnel", Filters(unit="UNI", year=2020))
    up = up[up["level"] == "rollup"].set_index("stage")
    assert up.loc["applicants", "share_women"] < 0.4
    # across 11 years, the chance from applicant to appointed is higher for women
    w, wa, m, ma = con.execute("""
        SELECT sum(appointed) FILTER (WHERE gender = 'woman'), sum(applicants) FILTER (WHERE gender = 'woman'),
               sum(appointed) FILTER (WHERE gender = 'man'), sum(applicants) FILTER (WHERE gender = 'man')
        FROM recruitment""").fetchone()
    assert w / wa > m / ma


def test_incident_counts_are_small(con):
    assert con.execute("SELECT max(count) FROM incidents").fetchone()[0] < 30
