"""Sub-goal 6: reported harassment and victimisation, per 100 staff or students; k = k_incidents (10)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load, row, staff_rows
from workbook import import_workbook

from indicators import registry, safety  # noqa: F401  (registers incidents)
from indicators.registry import Filters

COLUMNS = ["year", "unit", "category", "gender", "count", "survey_respondents", "survey_exposed"]


@pytest.fixture
def unit_with_staff(db):
    # D1: 20 women and 40 men on the staff in 2024.
    load(db, "staff", staff_rows([("Professor", "K", 20), ("Professor", "M", 40)], unit="D1"))
    return db


def test_counts_and_rates_per_100_staff(unit_with_staff):
    load(unit_with_staff, "incidents", pd.DataFrame([
        (2024, "D1", "victimisation", "K", 10, None, None),
        (2024, "D1", "victimisation", "M", 12, None, None),
    ], columns=COLUMNS))
    r = row(registry.compute(unit_with_staff, "incidents", Filters()), category="victimisation")
    assert (r["women"], r["men"], r["total"], r["population"]) == (10, 12, 22, "staff")
    # 10 / 20 * 100 = 50 per 100 women; 12 / 40 * 100 = 30 per 100 men; 22 / 60 * 100 = 36.67
    assert r["rate_women"] == pytest.approx(50.0)
    assert r["rate_men"] == pytest.approx(30.0)
    assert r["rate_total"] == pytest.approx(220 / 6)


def test_suppression_at_k_and_k_minus_one_and_zero_shown(unit_with_staff):
    load(unit_with_staff, "incidents", pd.DataFrame([
        (2024, "D1", "harassment", "K", 10, None, None), (2024, "D1", "harassment", "M", 0, None, None),
        (2024, "D1", "sexual_harassment", "K", 9, None, None), (2024, "D1", "sexual_harassment", "M", 0, None, None),
        (2024, "D1", "discrimination", "K", 0, None, None), (2024, "D1", "discrimination", "M", 0, None, None),
    ], columns=COLUMNS))
    df = registry.compute(unit_with_staff, "incidents", Filters())
    # k_incidents = 10: exactly 10 is shown, 9 is hidden with its rate and its total.
    h = row(df, category="harassment")
    assert not h["suppressed"] and (h["women"], h["men"]) == (10, 0)
    sh = row(df, category="sexual_harassment")
    assert sh["suppressed"] and pd.isna(sh["women"]) and pd.isna(sh["total"]) and pd.isna(sh["rate_women"])
    # 'all' (19) minus harassment (10) would give the 9 away: the smallest other row in the year
    # (discrimination, total 0) is hidden too, so the 9 could be split 9 + 0 or otherwise.
    assert row(df, category="discrimination")["suppressed"]
    assert row(df, category="all")["total"] == 19


def test_zero_counts_are_shown(unit_with_staff):
    load(unit_with_staff, "incidents", pd.DataFrame([
        (2024, "D1", "harassment", "K", 10, None, None), (2024, "D1", "harassment", "M", 0, None, None),
        (2024, "D1", "discrimination", "K", 0, None, None), (2024, "D1", "discrimination", "M", 0, None, None),
    ], columns=COLUMNS))
    d = row(registry.compute(unit_with_staff, "incidents", Filters()), category="discrimination")
    # No case identifies no one: 0 is shown, with a rate of 0 per 100.
    assert not d["suppressed"] and (d["women"], d["men"], d["total"]) == (0, 0, 0) and d["rate_women"] == 0


def test_students_when_the_unit_has_no_staff(db):
    load(db, "students", pd.DataFrame([
        (2024, "STUD", "Kår", "first", "K", 400, None, None), (2024, "STUD", "Kår", "first", "M", 600, None, None),
    ], columns=["year", "unit", "programme", "level", "gender", "registered", "new_entrants", "degrees"]))
    load(db, "incidents", pd.DataFrame([
        (2024, "STUD", "sexual_harassment", "K", 12, 200, 10), (2024, "STUD", "sexual_harassment", "M", 10, 300, 6),
    ], columns=COLUMNS))
    r = row(registry.compute(db, "incidents", Filters()), category="sexual_harassment")
    # per 100 students: 12 / 400 * 100 = 3.0; 10 / 600 * 100 = 1.667
    assert r["population"] == "students"
    assert (r["rate_women"], r["rate_men"]) == (pytest.approx(3.0), pytest.approx(10 / 6))
    # survey: 10 / 200 = 0.05 and 6 / 300 = 0.02; women's 0.05 <= 0.05: target met (edge included)
    assert (r["exposed_share_women"], r["exposed_share_men"]) == (pytest.approx(0.05), pytest.approx(0.02))
    assert r["target_met"]
    # respondents are not added up across categories
    assert pd.isna(row(registry.compute(db, "incidents", Filters()), category="all")["respondents_women"])


def test_survey_with_too_few_respondents_hidden(unit_with_staff):
    load(unit_with_staff, "incidents", pd.DataFrame([
        (2024, "D1", "sexual_harassment", "K", 0, 9, 2), (2024, "D1", "sexual_harassment", "M", 0, 10, 1),
    ], columns=COLUMNS))
    r = row(registry.compute(unit_with_staff, "incidents", Filters()), category="sexual_harassment")
    # 9 women answered (< 10): hidden, so the target (read on women) is unknown; 10 men: 1 / 10
    assert pd.isna(r["exposed_share_women"]) and pd.isna(r["respondents_women"])
    assert r["exposed_share_men"] == pytest.approx(0.10) and pd.isna(r["target_met"])


def test_import_from_xlsx_with_swedish_headers(unit_with_staff, tmp_path):
    sheet = pd.DataFrame({
        "År": [2024, 2024], "Enhet": ["D1", "D1"], "Kategori": ["Sexuella trakasserier"] * 2,
        "Kön": ["K", "M"], "Antal": [10, 0], "Svarande": [30, 50], "Utsatta": [3, 1]})
    import_workbook(unit_with_staff, tmp_path / "arenden.xlsx", {"Ärenden": sheet})
    r = row(registry.compute(unit_with_staff, "incidents", Filters()), category="sexual_harassment")
    # 10 / 20 * 100 = 50 per 100 women; survey 3 / 30 = 0.10
    assert r["rate_women"] == pytest.approx(50.0) and r["exposed_share_women"] == pytest.approx(0.10)
