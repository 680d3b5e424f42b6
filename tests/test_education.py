"""Education (sub-goal 3): students, trend, completion proxy and the pipeline's student stages."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load, row
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.subgoals import education
from workbook import import_workbook

COLUMNS = ["year", "unit", "programme", "level", "gender", "registered", "new_entrants", "degrees"]


def students(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture
def two_programmes(keyed):
    db = keyed
    load(
        db,
        "students",
        students(
            [
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
            ]
        ),
    )
    return db


def test_share_per_programme_and_level(two_programmes):
    df = registry.compute(two_programmes, "students", Filters(year=2024, exact=True))
    data = row(df, level="first", programme="Datateknik", measure="registered")
    # 20 / (20 + 80) = 0.20; Wilson 20/100 -> [0.1334, 0.2888] (docs/design.md, "Share of women")
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
    # k = 5 (goals.toml): Datateknik's 5 women graduates are shown (published within the p-table's +2,
    # never below k), Fysik's 1 and 2 are not.
    shown = row(df, programme="Datateknik", measure="degrees")
    assert not shown["suppressed"] and 5 <= shown["women"] <= 7
    fysik = row(df, programme="Fysik", measure="degrees")
    assert fysik["suppressed"] and pd.isna(fysik["women"]) and pd.isna(fysik["total"])
    assert pd.isna(fysik["share_women"])
    # Fysik new entrants 2 and 3: hidden; the third cycle has one programme, so 'all' is hidden too.
    assert row(df, level="third", programme="all", measure="new_entrants")["suppressed"]
    # Exact figures hide nothing.
    exact = registry.compute(two_programmes, "students", Filters(year=2024, exact=True))
    assert not exact["suppressed"].any() and row(exact, programme="Fysik", measure="degrees")["women"] == 1


def test_a_hidden_programme_is_not_the_level_minus_the_others(keyed):
    db = keyed
    load(
        db,
        "students",
        students(
            [
                (2024, "D1", "A", "first", "K", 5, None, None),
                (2024, "D1", "A", "first", "M", 10, None, None),
                (2024, "D1", "B", "first", "K", 4, None, None),
                (2024, "D1", "B", "first", "M", 10, None, None),
                (2024, "D1", "C", "first", "K", 6, None, None),
                (2024, "D1", "C", "first", "M", 6, None, None),
            ]
        ),
    )
    df = registry.compute(db, "students", Filters())
    # k = 5: A's 5 women are shown, B's 4 are hidden.
    a, b, c, every = (row(df, programme=p) for p in ("A", "B", "C", "all"))
    assert not a["suppressed"] and 5 <= a["women"] <= 7
    assert b["suppressed"] and pd.isna(b["women"]) and pd.isna(b["share_women"])
    # No complementary suppression: C (6 women) stays, and so does 'all' (15 women).
    assert not c["suppressed"] and not every["suppressed"]
    for r, true in ((c, 6), (every, 15)):
        assert abs(r["women"] - true) <= 2 and r["women"] >= 5
    # The attack: 'all' minus A and C. Each published count has noise of its own (its cell key is the
    # sum of its rows' record keys), so the difference is not B's 4 women.
    assert every["women"] - a["women"] - c["women"] != 4
    # The shares agree with the counts shown: A's 5' / (5' + 10'), to 0.1 percentage point.
    assert a["share_women"] == pytest.approx(a["women"] / (a["women"] + a["men"]), abs=0.0005)


def test_trend_per_year_and_level(two_programmes):
    df = registry.compute(two_programmes, "students_trend", Filters(year_from=2023, year_to=2024, exact=True))
    first_2023 = row(df, year=2023, level="first", measure="registered")
    # 2023: 15 / (15 + 85) = 0.15
    assert first_2023["share_women"] == pytest.approx(0.15)
    every_2024 = row(df, year=2024, level="all", measure="registered")
    # 2024 all levels: women 20 + 45 + 30 + 6 = 101, men 80 + 55 + 20 + 14 = 169
    assert (every_2024["women"], every_2024["men"]) == (101, 169)
    only_2024 = registry.compute(two_programmes, "students_trend", Filters(year_from=2024))
    assert set(only_2024["year"]) == {2024}


def test_the_same_students_show_the_same_numbers_in_every_table(two_programmes):
    # The first cycle of 2024 is the students table's 'all' row of that level and the trend's level row;
    # its new entrants and degrees are also the completion row over 2024 alone: the same records with
    # the same measure, so the same published numbers.
    f = Filters(year=2024, year_from=2024, year_to=2024)
    table = registry.compute(two_programmes, "students", f)
    trend = registry.compute(two_programmes, "students_trend", f)
    done = row(registry.compute(two_programmes, "completion", f), level="first", programme="all")
    for measure in ("registered", "new_entrants", "degrees"):
        one = row(table, level="first", programme="all", measure=measure)
        two = row(trend, level="first", measure=measure)
        assert (one["women"], one["men"], one["total"]) == (two["women"], two["men"], two["total"])
    assert done["new_women"] == row(table, level="first", programme="all", measure="new_entrants")["women"]
    assert done["degrees_men"] == row(table, level="first", programme="all", measure="degrees")["men"]
    # ... and a measure's noise is its own: the women registered (20 + 45 = 65) and the women new
    # entrants of Datateknik and Arkitektur alike are published within +-2 of the truth.
    assert abs(row(table, level="first", programme="all", measure="registered")["women"] - 65) <= 2


def test_completion_proxy(two_programmes):
    df = registry.compute(two_programmes, "completion", Filters(year_from=2024, year_to=2024, exact=True))
    data = row(df, level="first", programme="Datateknik")
    # women 5 degrees / 10 entrants = 0.5; men 12 / 20 = 0.6; ratio 0.5 / 0.6 = 0.8333
    assert data["completion_women"] == pytest.approx(0.5)
    assert data["completion_men"] == pytest.approx(0.6)
    assert data["ratio_women_men"] == pytest.approx(0.8333, abs=1e-4)
    assert not education.completion_alike(data["ratio_women_men"])  # outside 0.9-1.1
    # Over both years: women (5 + 4) / (10 + 8) = 0.5, men (12 + 11) / (20 + 22) = 0.5476
    both = row(
        registry.compute(two_programmes, "completion", Filters(exact=True)), level="first", programme="Datateknik"
    )
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
    # Exact counts with their cell keys, for the pipeline indicator to publish them.
    assert {"women__ck", "men__ck", "other__ck", "total__ck"} <= set(df.columns)


def test_unit_includes_sub_units(db):
    load(db, "units", pd.DataFrame({"unit": ["S", "D1", "D2"], "parent_unit": [None, "S", "S"]}))
    load(
        db,
        "students",
        students(
            [
                (2024, "D1", "A", "first", "K", 10, 5, 5),
                (2024, "D1", "A", "first", "M", 10, 5, 5),
                (2024, "D2", "B", "first", "K", 30, 10, 10),
                (2024, "D2", "B", "first", "M", 10, 5, 5),
            ]
        ),
    )
    school = registry.compute(db, "students", Filters(unit="S", exact=True))
    assert row(school, programme="all", measure="registered")["women"] == 40
    d1 = registry.compute(db, "students", Filters(unit="D1"))
    assert set(d1["programme"]) == {"A", "all"}


def test_import_from_xlsx_with_swedish_headers(db, tmp_path):
    sheet = pd.DataFrame(
        {
            "År": [2024, 2024],
            "Enhet": ["ARK", "ARK"],
            "Program": ["Arkitektur", "Arkitektur"],
            "Nivå": ["Grundnivå", "Grundnivå"],
            "Kön": ["Kvinna", "Man"],
            "Registrerade": [120, 95],
            "Nybörjare": [40, 30],
            "Examina": [25, 21],
        }
    )
    import_workbook(db, tmp_path / "studenter.xlsx", {"Studenter": sheet})
    df = registry.compute(db, "students", Filters(exact=True))
    data = row(df, programme="Arkitektur", measure="registered")
    # 120 / (120 + 95) = 0.5581
    assert data["level"] == "first" and data["share_women"] == pytest.approx(120 / 215)
