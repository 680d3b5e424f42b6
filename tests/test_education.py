"""Education (sub-goal 3): students, trend, completion proxy and the pipeline's student stages."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load, row
from workbook import import_workbook

from indicators import education, registry
from indicators.registry import Filters

COLUMNS = ["year", "unit", "programme", "level", "gender", "registered", "new_entrants", "degrees"]


def students(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture
def two_programmes(db):
    load(db, "students", students([
        (2024, "D1", "Datateknik", "first", "K", 20, 10, 5),
        (2024, "D1", "Datateknik", "first", "M", 80, 20, 12),
        (2024, "D1", "Arkitektur", "first", "K", 45, 15, 9),
        (2024, "D1", "Arkitektur", "first", "M", 55, 15, 10),
        (2024, "D1", "Bioteknik", "second", "K", 30, 12, 8),
        (2024, "D1", "Bioteknik", "second", "M", 20, 8, 6),
        (2024, "D1", "Fysik", "third", "K", 6, 2, 1),
        (2024, "D1", "Fysik", "third", "M", 14, 3, 2),
        (2023, "D1", "Datateknik", "first", "K", 15, 8, 4),
        (2023, "D1", "Datateknik", "first", "M", 85, 22, 11),
    ]))
    return db


def test_share_per_programme_and_level(two_programmes):
    df = registry.compute(two_programmes, "students", Filters(year=2024))
    data = row(df, level="first", programme="Datateknik", measure="registered")
    # 20 / (20 + 80) = 0.20; Wilson 20/100 -> [0.1334, 0.2888] (DESIGN.md's check)
    assert data["share_women"] == pytest.approx(0.20)
    assert data["ci_low"] == pytest.approx(0.1334, abs=1e-4)
    assert data["ci_high"] == pytest.approx(0.2888, abs=1e-4)
    assert not data["balanced"]
    # Arkitektur 45 / 100 = 0.45: inside 40-60 %.
    assert row(df, programme="Arkitektur", measure="registered")["balanced"]
    # The first cycle in all: (20 + 45) / (100 + 100) = 0.325
    every = row(df, level="first", programme="all", measure="registered")
    assert (every["women"], every["men"], every["total"]) == (65, 135, 200)
    assert every["share_women"] == pytest.approx(0.325)
    # Degrees at Bioteknik: 8 / (8 + 6) = 0.5714
    assert row(df, programme="Bioteknik", measure="degrees")["share_women"] == pytest.approx(8 / 14)


def test_suppression_at_k_and_k_minus_one(two_programmes):
    df = registry.compute(two_programmes, "students", Filters(year=2024))
    # k = 5 (goals.toml): Datateknik's 5 women graduates are shown, Fysik's 1 and 2 are not.
    assert row(df, programme="Datateknik", measure="degrees")["women"] == 5
    fysik = row(df, programme="Fysik", measure="degrees")
    assert fysik["suppressed"] and pd.isna(fysik["women"]) and pd.isna(fysik["total"])
    # Fysik new entrants 2 and 3: hidden; the third cycle has one programme, so 'all' is hidden too.
    assert row(df, level="third", programme="all", measure="new_entrants")["suppressed"]


def test_exactly_k_shown_k_minus_one_hidden(db):
    load(db, "students", students([
        (2024, "D1", "A", "first", "K", 5, None, None), (2024, "D1", "A", "first", "M", 10, None, None),
        (2024, "D1", "B", "first", "K", 4, None, None), (2024, "D1", "B", "first", "M", 10, None, None),
        (2024, "D1", "C", "first", "K", 6, None, None), (2024, "D1", "C", "first", "M", 6, None, None),
    ]))
    df = registry.compute(db, "students", Filters())
    # k = 5: A's 5 women are shown, B's 4 are hidden.
    assert not row(df, programme="A")["suppressed"] and row(df, programme="A")["women"] == 5
    assert row(df, programme="B")["suppressed"] and pd.isna(row(df, programme="B")["women"])
    # 'all' (15 women) minus A and C would give B away, so the smallest other programme (C, 12
    # students against A's 15) is hidden as well; 'all' stays.
    assert row(df, programme="C")["suppressed"]
    assert row(df, programme="all")["women"] == 15


def test_trend_per_year_and_level(two_programmes):
    df = registry.compute(two_programmes, "students_trend", Filters(year_from=2023, year_to=2024))
    first_2023 = row(df, year=2023, level="first", measure="registered")
    # 2023: 15 / (15 + 85) = 0.15
    assert first_2023["share_women"] == pytest.approx(0.15)
    every_2024 = row(df, year=2024, level="all", measure="registered")
    # 2024 all levels: women 20 + 45 + 30 + 6 = 101, men 80 + 55 + 20 + 14 = 169
    assert (every_2024["women"], every_2024["men"]) == (101, 169)
    only_2024 = registry.compute(two_programmes, "students_trend", Filters(year_from=2024))
    assert set(only_2024["year"]) == {2024}


def test_completion_proxy(two_programmes):
    df = registry.compute(two_programmes, "completion", Filters(year_from=2024, year_to=2024))
    data = row(df, level="first", programme="Datateknik")
    # women 5 degrees / 10 entrants = 0.5; men 12 / 20 = 0.6; ratio 0.5 / 0.6 = 0.8333
    assert data["completion_women"] == pytest.approx(0.5)
    assert data["completion_men"] == pytest.approx(0.6)
    assert data["ratio_women_men"] == pytest.approx(0.8333, abs=1e-4)
    assert not education.completion_alike(data["ratio_women_men"])  # outside 0.9-1.1
    # Over both years: women (5 + 4) / (10 + 8) = 0.5, men (12 + 11) / (20 + 22) = 0.5476
    both = row(registry.compute(two_programmes, "completion", Filters()), level="first", programme="Datateknik")
    assert (both["first_year"], both["last_year"]) == (2023, 2024)
    assert both["completion_men"] == pytest.approx(23 / 42)


def test_pipeline_student_stages(two_programmes):
    df = education.pipeline_student_stages(two_programmes.cursor(), Filters(year=2024))
    assert list(df["stage"]) == ["students", "graduates"]
    # students: first and second cycle registered: women 20 + 45 + 30 = 95, men 80 + 55 + 20 = 155
    s = row(df, stage="students")
    assert (s["women"], s["men"]) == (95, 155)
    assert s["share_women"] == pytest.approx(95 / 250) and s["share_men"] == pytest.approx(155 / 250)
    # graduates: degrees women 5 + 9 + 8 = 22, men 12 + 10 + 6 = 28; the third cycle left out
    g = row(df, stage="graduates")
    assert (g["women"], g["men"]) == (22, 28)


def test_unit_includes_sub_units(db):
    load(db, "units", pd.DataFrame({"unit": ["S", "D1", "D2"], "parent_unit": [None, "S", "S"]}))
    load(db, "students", students([
        (2024, "D1", "A", "first", "K", 10, 5, 5), (2024, "D1", "A", "first", "M", 10, 5, 5),
        (2024, "D2", "B", "first", "K", 30, 10, 10), (2024, "D2", "B", "first", "M", 10, 5, 5),
    ]))
    school = registry.compute(db, "students", Filters(unit="S"))
    assert row(school, programme="all", measure="registered")["women"] == 40
    d1 = registry.compute(db, "students", Filters(unit="D1"))
    assert set(d1["programme"]) == {"A", "all"}


def test_import_from_xlsx_with_swedish_headers(db, tmp_path):
    sheet = pd.DataFrame({
        "År": [2024, 2024], "Enhet": ["ARK", "ARK"], "Program": ["Arkitektur", "Arkitektur"],
        "Nivå": ["Grundnivå", "Grundnivå"], "Kön": ["Kvinna", "Man"],
        "Registrerade": [120, 95], "Nybörjare": [40, 30], "Examina": [25, 21]})
    import_workbook(db, tmp_path / "studenter.xlsx", {"Studenter": sheet})
    df = registry.compute(db, "students", Filters())
    data = row(df, programme="Arkitektur", measure="registered")
    # 120 / (120 + 95) = 0.5581
    assert data["level"] == "first" and data["share_women"] == pytest.approx(120 / 215)
