"""Representation indicators against numbers worked out by hand, on data imported the real way."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import SCHOOL_KEY, keyed_database, load, staff_rows
from indicators.protect import privacy, registry
from indicators.protect.registry import Filters
from indicators.store import cells, writer
from indicators.store.schema import POSITION_CATEGORIES

registry.load_all()


def rows_of(df: pd.DataFrame, **match) -> pd.DataFrame:
    for col, value in match.items():
        df = df[df[col] == value]
    return df


def one(df: pd.DataFrame, **match) -> pd.Series:
    found = rows_of(df, **match)
    assert len(found) == 1, found
    return found.iloc[0]


# --- representation by position -----------------------------------------------------------------


def test_balance_edges_through_the_indicator(db, goals):
    # professors 8 W / 12 M = 0.40 exactly; lecturers 12 W / 8 M = 0.60 exactly; both balanced.
    goals()
    load(
        db,
        "staff",
        staff_rows([("professor", "K", 8), ("professor", "M", 12), ("adjunkt", "K", 12), ("adjunkt", "M", 8)]),
    )
    df = registry.compute(db, "representation", Filters(year=2024, exact=True))
    prof, lect = one(df, position="professor"), one(df, position="lecturer")
    assert prof["share_women"] == pytest.approx(0.40) and bool(prof["balanced"])
    assert lect["share_women"] == pytest.approx(0.60) and bool(lect["balanced"])
    # With 60 % outside the band, the lecturers are out of balance; the professors still in.
    goals(balance={"upper_inclusive": False})
    df = registry.compute(db, "representation", Filters(year=2024, exact=True))
    assert not bool(one(df, position="lecturer")["balanced"])
    assert bool(one(df, position="professor")["balanced"])


def test_a_unit_with_only_women(db):
    # 10 women, no men: share 10/10 = 1.0, not balanced; Wilson 10/10 = [0.7225, 1.0].
    load(db, "staff", staff_rows([("adjunkt", "K", 10)]))
    row = one(registry.compute(db, "representation", Filters(year=2024, exact=True)), position="all")
    assert (row["women"], row["men"], row["total"]) == (10, 0, 10)
    assert row["share_women"] == 1.0 and not bool(row["balanced"])
    assert round(row["ci_low"], 4) == 0.7225 and row["ci_high"] == pytest.approx(1.0)


def test_other_gender_is_counted_but_outside_the_share(db):
    # 6 W, 6 M, 5 other/unknown: share = 6 / (6 + 6) = 0.5, total 17.
    load(db, "staff", staff_rows([("adjunkt", "K", 6), ("adjunkt", "M", 6), ("adjunkt", "X", 5)]))
    row = one(registry.compute(db, "representation", Filters(year=2024, exact=True)), position="all")
    assert (row["women"], row["men"], row["other"], row["total"]) == (6, 6, 5, 17)
    assert row["share_women"] == 0.5


def test_fte_measure(db):
    # 6 women at 50 % and 6 men full time: by headcount 6/12 = 0.5; by FTE 3 / (3 + 6) = 1/3.
    df = pd.concat(
        [
            staff_rows([("adjunkt", "K", 6)], fte=0.5),
            staff_rows([("adjunkt", "M", 6)], unit="U1", fte=1.0).assign(person_id=lambda d: "m" + d["person_id"]),
        ]
    )
    load(db, "staff", df)
    head = one(registry.compute(db, "representation", Filters(year=2024, exact=True)), position="all")
    fte = one(registry.compute(db, "representation", Filters(year=2024, measure="fte", exact=True)), position="all")
    assert head["share_women"] == 0.5
    assert fte["share_women"] == pytest.approx(1 / 3)
    assert (fte["fte_women"], fte["fte_men"]) == (3.0, 6.0)


# --- drill-down ---------------------------------------------------------------------------------


@pytest.fixture
def school(db):
    """School S with departments D1 (6 W, 9 M) and D2 (10 W, 5 M; one sub-group D2a with 5 W, 5 M
    of them), and 5 men placed in S itself."""
    load(
        db,
        "units",
        pd.DataFrame(
            {
                "unit": ["S", "D1", "D2", "D2a", "T"],
                "name_sv": ["Skolan", "Inst 1", "Inst 2", "Grupp 2a", "Annan skola"],
                "name_en": ["School", "Dept 1", "Dept 2", "Group 2a", "Other school"],
                "parent_unit": [None, "S", "S", "D2", None],
            }
        ),
    )
    frames = [
        staff_rows([("adjunkt", "K", 6), ("adjunkt", "M", 9)], unit="D1"),
        staff_rows([("adjunkt", "K", 5)], unit="D2"),
        staff_rows([("adjunkt", "K", 5), ("adjunkt", "M", 5)], unit="D2a"),
        staff_rows([("professor", "M", 5)], unit="S"),
        staff_rows([("professor", "K", 7)], unit="T"),
    ]
    load(db, "staff", pd.concat(frames, ignore_index=True))
    return db


def test_representation_units_drill_down(school):
    df = registry.compute(school, "representation_units", Filters(unit="S", year=2024, exact=True))
    assert df["unit"].tolist() == ["S", "D1", "D2"]  # the total first, then the direct sub-units
    s, d1, d2 = (one(df, unit=u) for u in ("S", "D1", "D2"))
    # S = D1 + D2 (with D2a) + the 5 men in S: 6+10 = 16 W, 9+5+5 = 19 M.
    assert (s["women"], s["men"], bool(s["is_total"])) == (16, 19, True)
    assert s["share_women"] == pytest.approx(16 / 35)
    assert (d1["women"], d1["men"]) == (6, 9) and d1["share_women"] == pytest.approx(0.4) and bool(d1["balanced"])
    # D2 includes its group D2a: 5 + 5 W, 5 M -> 10/15.
    assert (d2["women"], d2["men"]) == (10, 5) and d2["name_en"] == "Dept 2"
    assert not bool(d2["balanced"])


def test_whole_organisation_lists_top_level_units(school):
    df = registry.compute(school, "representation_units", Filters(year=2024, exact=True))
    assert df["unit"].tolist() == ["*", "S", "T"]
    assert one(df, unit="*")["name_en"] == "Whole organisation"
    assert one(df, unit="*")["women"] == 23


def test_unit_filter_includes_sub_units_only(school):
    df = registry.compute(school, "representation", Filters(unit="D2", year=2024, exact=True))
    row = one(df, position="all")
    assert (row["women"], row["men"]) == (10, 5)


# --- trend --------------------------------------------------------------------------------------


def test_trend_change_since_last_year_and_over_five_years(db):
    # 2019: 8 W / 12 M = 40 %; 2023: 10/10 = 50 %; 2024: 12/8 = 60 %.
    # change_1y (2024) = 60 - 50 = 10 pp; change_5y (2024) = 60 - 40 = 20 pp; 2023 has no 2022.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("adjunkt", "K", w), ("adjunkt", "M", m)], year=y)
                for y, w, m in ((2019, 8, 12), (2023, 10, 10), (2024, 12, 8))
            ]
        ),
    )
    df = registry.compute(db, "representation_trend", Filters(exact=True))
    latest, before = one(df, year=2024, position="all"), one(df, year=2023, position="all")
    assert latest["change_1y_pp"] == pytest.approx(10.0)
    assert latest["change_5y_pp"] == pytest.approx(20.0)
    assert math.isnan(before["change_1y_pp"])
    assert sorted(df["year"].unique()) == [2019, 2023, 2024]
    ranged = registry.compute(db, "representation_trend", Filters(year_from=2023, year_to=2024, exact=True))
    assert sorted(ranged["year"].unique()) == [2023, 2024]
    # Within the range the five-year change has no 2019 to look back at.
    assert math.isnan(one(ranged, year=2024, position="all")["change_5y_pp"])


def test_trend_change_is_hidden_when_last_years_share_is(db):
    # 2023: 3 W / 10 M (hidden: 3 < k); 2024: 10 W / 10 M shown. A change of +26.9 pp beside 50 %
    # would give 2023's hidden 23 % back, so it is not shown.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("adjunkt", "K", w), ("adjunkt", "M", m)], year=y)
                for y, w, m in ((2023, 3, 10), (2024, 10, 10))
            ]
        ),
    )
    df = registry.compute(db, "representation_trend", Filters())
    assert bool(one(df, year=2023, position="all")["suppressed"])
    assert math.isnan(one(df, year=2024, position="all")["change_1y_pp"])


def test_a_year_with_no_men(db):
    # 2023: 6 W / 6 M; 2024: 7 W and no men -> share 1.0, segregation undefined that year.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("adjunkt", "K", 6), ("adjunkt", "M", 6)], year=2023),
                staff_rows([("adjunkt", "K", 7)], year=2024),
            ]
        ),
    )
    trend = registry.compute(db, "representation_trend", Filters(exact=True))
    assert one(trend, year=2024, position="all")["share_women"] == 1.0
    assert one(trend, year=2024, position="all")["change_1y_pp"] == pytest.approx(50.0)
    seg = registry.compute(db, "segregation", Filters(exact=True))
    assert math.isnan(one(seg, year=2024)["duncan"])
    assert one(seg, year=2023)["duncan"] == pytest.approx(0.0)


# --- pipeline, glass ceiling, segregation, managers ---------------------------------------------


def gci_staff(year=2024, unit="U1", women_a=20):
    return staff_rows(
        [
            ("professor", "K", women_a),
            ("professor", "M", 80),
            ("lektor", "K", 60),
            ("lektor", "M", 90),
            ("forskarassistent", "K", 120),
            ("forskarassistent", "M", 130),
            ("doktorand", "K", 50),
            ("doktorand", "M", 50),
            ("adjunkt", "M", 9),
        ],
        year=year,
        unit=unit,
    )


def test_glass_ceiling_check_from_design(db):
    # A 20W/80M, B 60W/90M, C 120W/130M: (200/500) / (20/100) = 0.4 / 0.2 = 2.0.
    # Grade D (50/50) and lecturers (no grade) are left out.
    load(db, "staff", gci_staff())
    row = one(registry.compute(db, "glass_ceiling", Filters(year=2024, exact=True)), unit="*")
    assert row["gci"] == pytest.approx(2.0)
    assert (row["women_a"], row["total_a"], row["women_abc"], row["total_abc"]) == (20, 100, 200, 500)
    assert row["note"] is None
    assert "She Figures GCI" in registry.REGISTRY["glass_ceiling"].title("en")


def test_glass_ceiling_undefined_without_women_in_grade_a(db):
    load(db, "staff", gci_staff(women_a=0))
    row = one(registry.compute(db, "glass_ceiling", Filters(year=2024, exact=True)), unit="*")
    assert math.isnan(row["gci"]) and not math.isinf(row["share_women_abc"])
    assert row["note"] == "undefined: no women in grade A"


def test_glass_ceiling_per_sub_unit(school):
    # T has 7 women professors and nothing in B or C: (7/7) / (7/7) = 1.0. S: no women in A.
    df = registry.compute(school, "glass_ceiling", Filters(year=2024, exact=True))
    assert one(df, unit="T")["gci"] == pytest.approx(1.0)
    assert one(df, unit="S")["note"] == "undefined: no women in grade A"


def test_segregation_check_from_design(db):
    # X = lecturers 30 W / 10 M, Y = non-academic 20 W / 40 M; W = 50, M = 50:
    # D = ½ (|30/50 - 10/50| + |20/50 - 40/50|) = ½ (0.4 + 0.4) = 0.40.
    load(
        db,
        "staff",
        staff_rows(
            [("adjunkt", "K", 30), ("adjunkt", "M", 10), ("administratör", "K", 20), ("administratör", "M", 40)]
        ),
    )
    row = one(registry.compute(db, "segregation", Filters(exact=True)), year=2024)
    assert row["duncan"] == pytest.approx(0.40)
    assert (row["women"], row["men"], row["categories"]) == (50, 50, 2)


def test_segregation_by_fte(db):
    # Women lecturers at 50 %: w = 15 (lecturers), 20 (admin), W = 35; m = 10, 40, M = 50.
    # D = ½ (|15/35 - 10/50| + |20/35 - 40/50|) = ½ (0.228571 + 0.228571) = 0.228571.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("adjunkt", "K", 30)], fte=0.5),
                staff_rows(
                    [("adjunkt", "M", 10), ("administratör", "K", 20), ("administratör", "M", 40)], unit="U2", fte=1.0
                ),
            ]
        ),
    )
    row = one(registry.compute(db, "segregation", Filters(measure="fte", exact=True)), year=2024)
    assert row["duncan"] == pytest.approx(0.5 * (abs(15 / 35 - 10 / 50) + abs(20 / 35 - 40 / 50)))


def test_pipeline_two_years(db):
    # 2024: D 50/50, C 120/130, B 60/90, A 20/80 -> women 0.50, 0.48, 0.40, 0.20 (men the rest).
    # 2019 (year - 5) with 10 women professors: A = 10/90 = 0.111.
    load(db, "staff", pd.concat([gci_staff(2024), gci_staff(2019, women_a=10)]))
    df = registry.compute(db, "pipeline", Filters(year=2024, exact=True))
    now = rows_of(df, year=2024)
    assert now["stage"].tolist() == ["phd_student", "C", "B", "A"]
    assert now["share_women"].round(4).tolist() == [0.5, 0.48, 0.4, 0.2]
    assert (now["share_men"] + now["share_women"]).round(9).eq(1).all()
    assert one(df, year=2019, stage="A")["share_women"] == pytest.approx(10 / 90)
    # An explicit comparison year (year_from) replaces year - 5; 2020 has no data, so no rows.
    assert set(registry.compute(db, "pipeline", Filters(year=2024, year_from=2020, exact=True))["year"]) == {2024}
    assert set(registry.compute(db, "pipeline", Filters(year=2024, year_from=2019, exact=True))["year"]) == {2019, 2024}


def test_pipeline_starts_with_students_and_graduates_when_imported(db):
    # Students sheet for U1 (the staff's unit) in 2024: first cycle 60 W / 40 M registered, 12 W / 8 M
    # degrees; second cycle 30 W / 70 M registered, 9 W / 11 M degrees; third cycle is not a student
    # stage (doctoral students are staff). students = (60+30)/(60+30+40+70) = 90/200 = 0.45;
    # graduates = (12+9)/(12+9+8+11) = 21/40 = 0.525.
    load(db, "staff", gci_staff(2024))
    load(
        db,
        "students",
        pd.DataFrame(
            [
                (2024, "U1", "P", "first", "K", 60, 20, 12),
                (2024, "U1", "P", "first", "M", 40, 15, 8),
                (2024, "U1", "Q", "second", "K", 30, 10, 9),
                (2024, "U1", "Q", "second", "M", 70, 25, 11),
                (2024, "U1", "R", "third", "K", 5, 1, 1),
                (2024, "U1", "R", "third", "M", 5, 1, 1),
            ],
            columns=["year", "unit", "programme", "level", "gender", "registered", "new_entrants", "degrees"],
        ),
    )
    now = rows_of(registry.compute(db, "pipeline", Filters(year=2024, exact=True)), year=2024)
    assert now["stage"].tolist() == ["students", "graduates", "phd_student", "C", "B", "A"]
    assert now["share_women"].round(4).tolist()[:2] == [0.45, 0.525]


def test_managers(db):
    # 6 women and 9 men are managers: 6/15 = 0.40, balanced; the 10 others are not counted.
    load(
        db,
        "staff",
        pd.concat(
            [
                staff_rows([("administratör", "K", 6), ("administratör", "M", 9)], manager="ja"),
                staff_rows([("administratör", "K", 10)], unit="U2", manager="nej"),
            ]
        ),
    )
    row = one(registry.compute(db, "managers", Filters(exact=True)), year=2024)
    assert (row["women"], row["men"]) == (6, 9)
    assert row["share_women"] == pytest.approx(0.4) and bool(row["balanced"])


# --- protection (issue 12): the cell-key method on a hand-built school -------------------------------
# (conftest's keyed_school, with helpers.SCHOOL_KEY: the checks quote that key's noise)

ALL_BUT_PROFESSORS = tuple(p for p in POSITION_CATEGORIES if p != "professor")


def keyed_db(tmp_path, name: str = "keyed"):
    """A new database whose key file is written first, with SCHOOL_KEY."""
    return keyed_database(tmp_path / f"{name}.duckdb", SCHOOL_KEY)


def test_exact_figures_hide_nothing(keyed_school):
    df = registry.compute(keyed_school, "representation", Filters(unit="D1", exact=True))
    prof, lect = one(df, position="professor"), one(df, position="lecturer")
    assert (prof["women"], prof["men"], lect["other"], lect["total"]) == (2, 8, 2, 22)
    assert not df["suppressed"].any()


def test_hidden_position_row_is_not_all_positions_minus_the_others(keyed_school):
    # Filter differencing: the 'all' row for every position minus the 'all' row for every position but
    # professor would be the professors' row: 2 W, 8 M, hidden on the page. Protected figures are for
    # one position or all (privacy.one_position_or_all): "all but professors" is all positions, so the
    # difference is zero; exact figures keep the choice (the 'all' row of the other positions: 29 W, 22 M).
    df = registry.compute(keyed_school, "representation", Filters(unit="D1"))
    assert bool(one(df, position="professor")["suppressed"]) and pd.isna(one(df, position="professor")["women"])
    every = one(df, position="all")
    but_one = one(
        registry.compute(keyed_school, "representation", Filters(unit="D1", positions=ALL_BUT_PROFESSORS)),
        position="all",
    )
    assert (every["women"] - but_one["women"], every["men"] - but_one["men"]) == (0, 0)
    exact = one(
        registry.compute(keyed_school, "representation", Filters(unit="D1", positions=ALL_BUT_PROFESSORS, exact=True)),
        position="all",
    )
    assert (exact["women"], exact["men"]) == (29, 22)


def test_other_count_is_not_the_total_minus_women_and_men(keyed_school):
    # D1: lecturers 10 W / 10 M / 2 other (hidden), associate professors 5 other, professors (a hidden
    # row: 2 W) and non-academic none; the 'all' row: 31 W, 30 M, 7 other, 68. The lecturers' hidden 2
    # would be total − women − men − 5 − 0 = 68 − 31 − 30 − 5 = 2, or other − 5 − 0 = 7 − 5 = 2.
    f = Filters(unit="D1")
    exact = one(registry.compute(keyed_school, "representation", f.with_(exact=True)), position="all")
    assert exact[["women", "men", "other", "total"]].tolist() == [31, 30, 7, 68]
    df = registry.compute(keyed_school, "representation", f)
    lect, assoc, admin, every = (
        one(df, position=p) for p in ("lecturer", "associate_professor", "non_academic", "all")
    )
    assert pd.isna(lect["other"]) and pd.isna(lect["total"]) and not bool(lect["suppressed"])
    assert pd.notna(every["total"]) and pd.notna(every["other"])
    from_total = every["total"] - every["women"] - every["men"] - assoc["other"] - admin["other"]
    from_other = every["other"] - assoc["other"] - admin["other"]
    # Both land on 2 only by chance of the keys (each is a difference of published counts, see above).
    assert abs(from_total - 2) <= 2 * privacy.MAX_NOISE * 4 and abs(from_other - 2) <= 2 * privacy.MAX_NOISE * 3


def test_hidden_sub_unit_is_not_the_parent_minus_its_siblings(keyed_school):
    # Sibling differencing: S − D1 − D2 = D3, 43 − 31 − 9 = 3 W and 42 − 30 − 11 = 1 M, hidden.
    exact = registry.compute(keyed_school, "representation_units", Filters(unit="S", exact=True)).set_index("unit")
    assert exact.loc[["S", "D1", "D2", "D3"], "women"].tolist() == [43, 31, 9, 3]
    assert exact.loc[["S", "D1", "D2", "D3"], "men"].tolist() == [42, 30, 11, 1]
    df = registry.compute(keyed_school, "representation_units", Filters(unit="S"))
    assert df["unit"].tolist() == ["S", "D1", "D2", "D3"] and bool(one(df, unit="D3")["suppressed"])
    s, d1, d2 = (one(df, unit=u) for u in ("S", "D1", "D2"))
    assert not (s["suppressed"] or d1["suppressed"] or d2["suppressed"])
    # S − D1 − D2 is D3's count plus three noises: on the truth only by chance of the keys (above).
    assert abs(s["women"] - d1["women"] - d2["women"] - 3) <= 3 * privacy.MAX_NOISE


def test_the_same_cell_gives_the_same_number_in_every_table(keyed_school):
    # D2's 9 W / 11 M are one cell whether shown as the 'all' row of its own page, as its row among
    # S's sub-units, as the latest year of its trend; D1's professors are grade A of the glass ceiling
    # and of the pipeline; S's women and men are the segregation table's.
    counts = ["women", "men", "other", "total", "fte_women", "fte_men", "share_women"]
    own = one(registry.compute(keyed_school, "representation", Filters(unit="D2")), position="all")
    among = one(registry.compute(keyed_school, "representation_units", Filters(unit="S")), unit="D2")
    trend = one(registry.compute(keyed_school, "representation_trend", Filters(unit="D2")), position="all", year=2024)
    assert own[counts].tolist() == among[counts].tolist() == trend[counts].tolist()
    prof = one(registry.compute(keyed_school, "representation", Filters(unit="D1")), position="professor")
    gci = one(registry.compute(keyed_school, "glass_ceiling", Filters(unit="S")), unit="D1")
    grade_a = one(registry.compute(keyed_school, "pipeline", Filters(unit="D1")), stage="A")
    assert prof["total"] == gci["total_a"] == grade_a["total"]  # 10 professors, all women or men
    school = one(registry.compute(keyed_school, "representation", Filters(unit="S")), position="all")
    seg = one(registry.compute(keyed_school, "segregation", Filters(unit="S")), year=2024)
    assert (seg["women"], seg["men"]) == (school["women"], school["men"])


def test_published_counts_stay_within_the_p_tables_bound(keyed_school):
    # Every shown count is within ±2 of the exact one and, where the exact one is at least k = 5, not
    # below k; zero stays zero; full-time staff have an FTE equal to their published headcount.
    for ind, f in (
        ("representation", Filters(unit="D1")),
        ("representation_units", Filters(unit="S")),
        ("glass_ceiling", Filters(unit="S")),
        ("pipeline", Filters(unit="D1")),
    ):
        shown = registry.compute(keyed_school, ind, f)
        exact = registry.compute(keyed_school, ind, f.with_(exact=True))
        for col in [
            c
            for c in (
                "women",
                "men",
                "other",
                "total",
                "women_a",
                "men_a",
                "total_a",
                "women_abc",
                "men_abc",
                "total_abc",
            )
            if c in shown
        ]:
            p, e = shown[col].astype(float), exact[col].astype(float)
            seen = p.notna()
            assert ((p[seen] - e[seen]).abs() <= 2).all(), (ind, col)
            assert (p[seen & (e >= 5)] >= 5).all() and (p[seen & (e == 0)] == 0).all(), (ind, col)
        if "fte_women" in shown:
            seen = shown["women"].notna()
            assert (shown.loc[seen, "fte_women"] == shown.loc[seen, "women"].astype(float)).all(), ind


def test_the_filter_attack_is_right_only_by_chance(tmp_path):
    # 40 departments, each with 2 women and 8 men professors (hidden) and 10 W / 10 M lecturers. For
    # each, all positions minus the lecturers (the one difference one position or all leaves: "all but
    # professors" is all positions, test_hidden_position_row_is_not_all_positions_minus_the_others).
    # A count's difference is exact only when the noises
    # of its two cells cancel: for the p-table's 26/51/102/51/26 slots that is
    # (2·26² + 2·51² + 102²) / 256² ≈ 0.26 per count and ≈ 0.07 for both counts (a simulation of
    # 200 000 departments gives 0.257 and 0.067): about 10 women's counts and 3 pairs of 40 come out
    # right by chance (with SCHOOL_KEY: 12 and 5), and nothing in the tables says which. Without the
    # noise all 40 would be.
    con = keyed_db(tmp_path, "many")
    departments = [f"D{i:02d}" for i in range(40)]
    load(
        con,
        "staff",
        pd.concat(
            [
                staff_rows(
                    [("professor", "K", 2), ("professor", "M", 8), ("adjunkt", "K", 10), ("adjunkt", "M", 10)], unit=d
                )
                for d in departments
            ],
            ignore_index=True,
        ),
    )
    right_women = right_pairs = 0
    for d in departments:
        every = one(registry.compute(con, "representation", Filters(unit=d)), position="all")
        but_one = one(registry.compute(con, "representation", Filters(unit=d, positions=("lecturer",))), position="all")
        women, men = every["women"] - but_one["women"], every["men"] - but_one["men"]
        right_women += women == 2
        right_pairs += (women, men) == (2, 8)
    con.close()
    assert right_women <= 20 and right_pairs <= 10, (right_women, right_pairs)


def test_the_fte_beside_a_headcount_does_not_give_the_headcount_away(tmp_path):
    # 31 women, 3 of them half time: 29.5 FTE. Published beside a headcount n' (within ±2 of 31), an
    # exact mean FTE would give n away: 29.5 / 31 = 57/62, and of n' − 2 .. n' + 2 only 31 makes
    # n × mean a multiple of 0.5. The FTE published is round(29.5 · n'/31), whole FTE; for every
    # candidate n some total on the 0.5 step rounds to it (the range it allows is n/n' ≈ 1 FTE wide).
    con = keyed_db(tmp_path)
    load(
        con, "staff", staff_rows([("adjunkt", "K", 31), ("adjunkt", "M", 20)], fte=[1.0] * 28 + [0.5] * 3 + [1.0] * 20)
    )
    exact = one(registry.compute(con, "representation", Filters(exact=True)), position="all")
    assert (exact["women"], exact["fte_women"]) == (31, 29.5)
    row = one(registry.compute(con, "representation", Filters()), position="all")
    n, fte = int(row["women"]), row["fte_women"]
    assert fte == math.floor(29.5 * n / 31 + 0.5) and fte == int(fte)
    consistent = [
        c for c in range(n - 2, n + 3) if any(math.floor(j / 2 * n / c + 0.5) == fte for j in range(1, 2 * c + 1))
    ]
    assert consistent == list(range(n - 2, n + 3))
    # The exact mean would have left one candidate: the true 31.
    assert [c for c in range(n - 2, n + 3) if (29.5 / 31 * c * 2) % 1 < 1e-9 or (29.5 / 31 * c * 2) % 1 > 1 - 1e-9] == [
        31
    ]
    con.close()


# --- what a chart says is hidden, and what its title counts ------------------------------------------


PIPELINE_FILTERS = [
    Filters(),
    Filters(unit="BIO", year=2022),
    Filters(unit="BIO-2", year=2024, year_from=2019),
    Filters(unit="ELE", employment_type="temporary"),
    Filters(unit="NAT", measure="fte"),
    Filters(unit="ADM"),
    Filters(unit="NOWHERE"),
    Filters(unit="BIO", year=1990),
]


def test_the_pipelines_staff_stages_from_cells_are_its_querys(tmp_path, demo_copy):
    # On a snapshot the registry runs `pipeline` on a cursor that reaches the cells (cells.cursor): its
    # grades D to A are summed from them. On a plain cursor they come from the query. Same table.
    reader = writer.reader(demo_copy(tmp_path / "demo.duckdb", seed=3))
    con = reader.connection()
    ind = registry.load_all()["pipeline"]
    try:
        for f in PIPELINE_FILTERS:
            cur = con.cursor()
            queried = ind.function(cur, f)
            cur.close()
            with cells.cursor(con) as cur:
                assert cells.of(cur) is not None
                summed = ind.function(cur, f)
            pd.testing.assert_frame_equal(summed, queried, check_exact=False, rtol=1e-12, obj=repr(f))
    finally:
        reader.close()
