"""Health (sub-goal 5): sick-leave rate by gender, FTE-weighted; k = k_sick_leave (10)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load, staff_rows
from indicators.protect import registry
from indicators.protect.registry import Filters
from indicators.subgoals import health  # noqa: F401  (registers sick_leave)
from workbook import import_workbook

LEAVE_COLUMNS = [
    "year",
    "unit",
    "gender",
    "staff",
    "available_days",
    "parental_leave_days",
    "care_of_child_days",
    "sick_leave_days",
    "long_term_sick",
]


def one_year(df, year):
    assert (df["year"] == year).sum() == 1, df
    return df[df["year"] == year].iloc[0]


def test_rate_fte_weighted_from_staff_rows(db):
    # 10 women half-time with 6 sick days each; 10 men full-time with 5 each.
    load(
        db,
        "staff",
        staff_rows(
            [("Professor", "K", 10), ("Professor", "M", 10)],
            unit="D1",
            fte=[0.5] * 10 + [1.0] * 10,
            sick_leave_days=[6] * 10 + [5] * 10,
        ),
    )
    r = one_year(registry.compute(db, "sick_leave", Filters(exact=True)), 2024)
    # available days = fte * 365: women 10 * 0.5 * 365 = 1825, men 10 * 365 = 3650
    assert (r["available_days_women"], r["available_days_men"]) == (1825, 3650)
    # women 60 / 1825 = 0.032877; men 50 / 3650 = 0.013699; ratio 2.4 > 1.2
    assert r["rate_women"] == pytest.approx(60 / 1825)
    assert r["rate_men"] == pytest.approx(50 / 3650)
    assert r["ratio_women_men"] == pytest.approx(2.4)
    assert not r["target_met"]
    # women and men together: 110 / 5475
    assert r["rate_total"] == pytest.approx(110 / 5475)
    assert r["source"] == "staff" and pd.isna(r["long_term_women"])


def test_leave_sheet_with_long_term_cases(db):
    load(
        db,
        "leave",
        pd.DataFrame(
            [
                (2024, "D2", "K", 40, 10000, None, None, 300, 12),
                (2024, "D2", "M", 60, 15000, None, None, 375, 3),
            ],
            columns=LEAVE_COLUMNS,
        ),
    )
    r = one_year(registry.compute(db, "sick_leave", Filters(exact=True)), 2024)
    # women 300 / 10000 = 0.03; men 375 / 15000 = 0.025; ratio 1.2: at the target, met (<=)
    assert (r["rate_women"], r["rate_men"]) == (pytest.approx(0.03), pytest.approx(0.025))
    assert r["ratio_women_men"] == pytest.approx(1.2) and r["target_met"]
    # exact figures hide nothing: 12 women and 3 men long-term sick
    assert (r["long_term_women"], r["long_term_men"]) == (12, 3)
    p = one_year(registry.compute(db, "sick_leave", Filters()), 2024)
    # protected: 12 women shown within the p-table's ±2 (never below k_sick_leave = 10); 3 men hidden
    assert 10 <= p["long_term_women"] <= 14 and pd.isna(p["long_term_men"])


def test_suppression_at_k_and_k_minus_one(db):
    # k_sick_leave = 10 (goals.toml), stricter than k = 5.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("Professor", "K", 10), ("Professor", "M", 12)], unit="A", sick_leave_days=2),
                staff_rows([("Professor", "K", 9), ("Professor", "M", 12)], unit="B", sick_leave_days=2),
            ]
        ),
    )
    a = one_year(registry.compute(db, "sick_leave", Filters(unit="A")), 2024)
    # 10 women: shown, as a published count within the p-table's ±2 and never below k
    assert not a["suppressed"] and 10 <= a["women"] <= 12
    b = one_year(registry.compute(db, "sick_leave", Filters(unit="B")), 2024)
    assert b["suppressed"] and pd.isna(b["rate_women"]) and pd.isna(b["rate_men"]) and pd.isna(b["sick_days_men"])


def test_import_leave_sheet_from_xlsx_with_swedish_headers(db, tmp_path):
    sheet = pd.DataFrame(
        {
            "år": [2025, 2025],
            "enhet": ["ARK", "ARK"],
            "kön": ["kvinna", "man"],
            "antal anställda": [140, 160],
            "tillgängliga dagar": [30000, 35000],
            "sjukfrånvaro": [1500, 900],
            "långtidssjuka": [3, 2],
        }
    )
    import_workbook(db, tmp_path / "sjuk.xlsx", {"Frånvaro": sheet})
    r = one_year(registry.compute(db, "sick_leave", Filters(exact=True)), 2025)
    # women 1500 / 30000 = 0.05; men 900 / 35000 = 0.025714; ratio 1.9444
    assert r["ratio_women_men"] == pytest.approx((1500 / 30000) / (900 / 35000))


def test_a_person_of_another_gender_does_not_hide_the_table(db):
    # One person recorded as X: below k, but left out of this table rather than hiding it.
    load(
        db,
        "staff",
        staff_rows(
            [("Professor", "K", 10), ("Professor", "M", 10), ("Professor", "X", 1)],
            unit="D1",
            sick_leave_days=[4] * 10 + [2] * 10 + [50],
        ),
    )
    r = one_year(registry.compute(db, "sick_leave", Filters(exact=True)), 2024)
    assert not r["suppressed"] and (r["women"], r["men"], r["total"]) == (10, 10, 20)
    assert "other" not in r.index
    # women and men only: (40 + 20) / (20 * 365); the X person's 50 days are not in it
    assert r["rate_total"] == pytest.approx(60 / 7300)
